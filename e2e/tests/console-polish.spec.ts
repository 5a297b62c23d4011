import { test, expect, ADMIN_STORAGE } from './fixtures';
import type { APIRequestContext, Page } from '@playwright/test';

// What a new user tripped over (issue 18): refunds, charts, the suite panel, dialogs, console
// noise, and pages wider than a phone.
test.use({ storageState: ADMIN_STORAGE });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

async function demo(request: APIRequestContext, kind: string): Promise<number> {
  const list = await (await request.get('/api/accounts')).json();
  const a = list.find((x: any) => x.environment === 'sandbox' && x.kind === kind);
  expect(a, `a sandbox demo ${kind}`).toBeTruthy();
  return a.id;
}

/** A paid order of the demo merchant, paid by a payer through the sandbox. */
async function paidOrder(request: APIRequestContext): Promise<{ id: number; no: string; merchant: number }> {
  const merchant = await demo(request, 'pay_merchant');
  const products = await (await request.get(`/api/pay/merchants/${merchant}/products`)).json();
  const product = products.find((p: any) => p.price_fen >= 100) ?? products[0];
  const r = await request.post(`/api/accounts/${merchant}/sandbox/act`, {
    data: { type: 'pay_product', product_id: product.id },
  });
  expect(r.ok(), await r.text()).toBeTruthy();
  const body = await r.json();
  const payment = body.payment;
  expect(payment?.order_id, JSON.stringify(body)).toBeTruthy();
  return { id: payment.order_id, no: payment.out_trade_no, merchant };
}

async function setLang(request: APIRequestContext, lang: 'zh-CN' | 'en') {
  const r = await request.patch('/api/auth/me', { data: { lang } });
  expect(r.ok()).toBeTruthy();
}

/** The dialog holds focus: the active element is inside it. */
async function focusInDialog(page: Page): Promise<boolean> {
  return page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'));
}

test.describe('at phone width', () => {
  test.use({ viewport: PHONE });

  test('refund: starts empty, the dialog names amount and order, Esc/backdrop cancel, partial reads 部分退款', async ({ page }) => {
    const order = await paidOrder(page.request);
    await page.goto(`/pay/orders/${order.id}`);
    await expect(page.getByTestId('order-state')).toHaveAttribute('data-state', 'SUCCESS');
    const amount = page.getByTestId('refund-amount');
    await expect(amount).toHaveValue('');
    // Nothing typed: nothing is refunded, the field says why.
    await page.getByTestId('refund-submit').click();
    await expect(page.getByTestId('error-refund_fee')).toBeVisible();
    await expect(page.getByRole('dialog')).toHaveCount(0);

    await amount.fill('0.01');
    const submit = page.getByTestId('refund-submit');
    await submit.click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('confirm-text')).toContainText('¥0.01');
    await expect(dialog.getByTestId('confirm-text')).toContainText(order.no);
    // Focus moved in and stays in while tabbing around, both ways.
    await expect.poll(() => focusInDialog(page)).toBe(true);
    for (let n = 0; n < 6; n++) {
      await page.keyboard.press('Tab');
      expect(await focusInDialog(page)).toBe(true);
    }
    for (let n = 0; n < 6; n++) {
      await page.keyboard.press('Shift+Tab');
      expect(await focusInDialog(page)).toBe(true);
    }
    // Esc closes it and gives focus back to the button that opened it; nothing was refunded.
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(submit).toBeFocused();
    // A click on the backdrop closes it too.
    await submit.click();
    await expect(dialog).toBeVisible();
    await page.getByTestId('modal-backdrop').click({ position: { x: 5, y: 5 } });
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId('refund-row')).toHaveCount(0);

    await submit.click();
    await page.getByTestId('confirm-ok').click();
    await expect(page.getByTestId('refund-row').first()).toHaveAttribute('data-state', 'SUCCESS', { timeout: 15_000 });
    await expect(page.getByTestId('refund-state').first()).toHaveText('退款成功');
    const badge = page.getByTestId('order-state');
    await expect(badge).toHaveAttribute('data-state', 'REFUND');
    await expect(badge).toHaveAttribute('data-partial', 'true');
    await expect(badge).toHaveText('部分退款');
    await expect(amount).toHaveValue('');

    // The list says the same.
    await page.goto(`/pay/${order.merchant}?tab=orders`);
    const row = page.locator(`[data-testid="order-row"][data-out-trade-no="${order.no}"]`);
    await expect(row.getByTestId('order-state')).toHaveText('部分退款');
  });

  test('the suite panel pushes a suite_ticket and says the portal took it', async ({ page }) => {
    const suite = await demo(page.request, 'work_suite');
    await page.goto(`/accounts/${suite}`);
    const panel = page.getByTestId('simulate-panel');
    await expect(panel.getByTestId('simulate-action')).toHaveValue('suite_ticket');
    // An instruction carries no content: the field is not offered.
    await expect(panel.getByTestId('simulate-text')).toBeHidden();
    await panel.getByTestId('simulate-send').click();
    const result = panel.getByTestId('simulate-result');
    await expect(result.locator('[data-outcome]')).toHaveAttribute('data-outcome', 'ticket_accepted');
    await expect(result).toContainText('suite_ticket');
    await expect(result).not.toContainText('echostr');
    await expect(result).toContainText('票据已接收');
  });
});

test('signed out: no 401 in the console; the payer page has its icon', async ({ browser, baseURL, playwright }) => {
  const ctx = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const page = await ctx.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  await page.goto('/accounts');
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByTestId('login-username')).toBeVisible();

  const admin = await playwright.request.newContext({ baseURL, storageState: ADMIN_STORAGE });
  const merchant = await demo(admin, 'pay_merchant');
  const products = await (await admin.get(`/api/pay/merchants/${merchant}/products`)).json();
  await admin.dispose();
  await page.goto(`/pay/${merchant}/products/${products[0].id}`);
  await expect(page.getByTestId('pay-product')).toBeVisible();
  // The browser asks for the icon on its own: give it a moment.
  await page.waitForTimeout(500);
  expect(problems).toEqual([]);
  await ctx.close();
});

/** Every bar chart keeps a usable track and its numbers inside the card; the SVG chart's axis
 *  labels are readable. */
async function checkCharts(page: Page, where: string) {
  const issues = await page.evaluate(() => {
    const out: string[] = [];
    document.querySelectorAll('.bar-row').forEach((row, n) => {
      const track = row.querySelector('.bar-track');
      const value = row.querySelector('.bar-value');
      const card = row.closest('.card');
      if (!track || !card) return;
      const t = track.getBoundingClientRect();
      if (t.width < 40) out.push(`bar ${n}: track ${t.width}px wide`);
      const c = card.getBoundingClientRect();
      if (value) {
        const v = value.getBoundingClientRect();
        if (v.right > c.right + 1 || v.left < c.left - 1) out.push(`bar ${n}: count outside its card`);
      }
    });
    document.querySelectorAll('.chart-frame').forEach((f, n) => {
      const svg = f.querySelector('svg')!.getBoundingClientRect();
      if (svg.width < 150) out.push(`chart ${n}: ${svg.width}px wide`);
      f.querySelectorAll('.chart-axis-y span, .chart-tick-x').forEach((l) => {
        const size = parseFloat(getComputedStyle(l).fontSize);
        if (size < 10) out.push(`chart ${n}: label at ${size}px`);
      });
    });
    return out;
  });
  expect(issues, where).toEqual([]);
}

for (const viewport of [DESKTOP, PHONE]) {
  test(`charts keep their shape at ${viewport.width}px`, async ({ page }) => {
    await page.setViewportSize(viewport);
    const oa = await demo(page.request, 'official_account');
    const merchant = await demo(page.request, 'pay_merchant');
    // Something for the inspector to show.
    const followers = await (await page.request.get(`/api/accounts/${oa}/sandbox/followers`)).json();
    const who = (followers.items ?? followers).find((p: any) => p.subscribed)?.id;
    await page.request.post(`/api/accounts/${oa}/sandbox/act`, {
      data: { subject: who, type: 'text', content: 'chart check' },
    });
    const pages: [string, string][] = [
      ['/accounts', '.bar-row'],
      [`/accounts/${oa}/inspector`, '[data-testid="outcome-chart"] .bar-row'],
      [`/pay/${merchant}`, '[data-testid="dashboard-chart"]'],
    ];
    for (const [path, ready] of pages) {
      await page.goto(path);
      await expect(page.locator(ready).first()).toBeVisible();
      await checkCharts(page, path);
    }
  });
}

/** Every console page a staff member can reach, for the demo accounts. */
async function consolePages(request: APIRequestContext): Promise<string[]> {
  const oa = await demo(request, 'official_account');
  const app = await demo(request, 'work_app');
  const suite = await demo(request, 'work_suite');
  const merchant = await demo(request, 'pay_merchant');
  const followers = await (await request.get(`/api/accounts/${oa}/followers?per_page=1`)).json();
  const openid = followers.items?.[0]?.openid;
  const orders = await (await request.get(`/api/pay/merchants/${merchant}/orders?per_page=1`)).json();
  const order = orders.items?.[0]?.id;
  const pages = [
    '/accounts', '/accounts/new', `/accounts/${oa}`, `/accounts/${oa}/edit`,
    `/accounts/${oa}/rules`, `/accounts/${oa}/messages`, `/accounts/${oa}/inspector`,
    `/accounts/${oa}/menus`, `/accounts/${oa}/materials`, `/accounts/${oa}/drafts`,
    `/accounts/${oa}/drafts/new`, `/accounts/${oa}/followers`, `/accounts/${oa}/tags`,
    `/accounts/${app}`, `/accounts/${app}/messages`, `/accounts/${suite}`, `/accounts/${suite}/inspector`,
    '/pay', `/pay/${merchant}`, `/pay/${merchant}?tab=orders`, `/pay/${merchant}?tab=products`,
    `/pay/${merchant}?tab=bills`, '/staff', '/audit', '/password',
    // The newer pages: OA outreach and the WeCom app's contacts, sends and menu.
    `/accounts/${oa}/mass`, `/accounts/${oa}/templates`, `/accounts/${oa}/qrcodes`, `/accounts/${oa}/kf`,
    `/accounts/${app}/contacts`, `/accounts/${app}/send`, `/accounts/${app}/menus`, `/accounts/${suite}/corps`,
  ];
  if (openid) pages.push(`/accounts/${oa}/followers/${encodeURIComponent(openid)}`);
  if (order) pages.push(`/pay/orders/${order}`);
  const qrcodes = await (await request.get(`/api/accounts/${oa}/qrcodes`)).json();
  const qr = (qrcodes.items ?? qrcodes)?.[0]?.id;
  if (qr) pages.push(`/accounts/${oa}/qrcodes/${qr}`);
  const jobs = await (await request.get(`/api/accounts/${oa}/templates/jobs`)).json();
  const job = (jobs.items ?? jobs)?.[0]?.id;
  if (job) pages.push(`/accounts/${oa}/templates/jobs/${job}`);
  return pages;
}

test('no console page is wider than a 390px phone', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize(PHONE);
  const failures: string[] = [];
  for (const path of await consolePages(page.request)) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    // Let skeletons turn into content.
    await page.waitForTimeout(300);
    const wide = await page.evaluate(() => {
      const vw = document.documentElement.clientWidth;
      const out: string[] = [];
      if (document.documentElement.scrollWidth > vw + 1) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth}px`);
      const name = (el: Element) =>
        `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''}.${[...el.classList].join('.')}`;
      document.querySelectorAll('.content *').forEach((el) => {
        const cs = getComputedStyle(el);
        if (cs.display === 'none' || cs.visibility === 'hidden') return;
        // Places that scroll on purpose, with their own affordance: code, raw XML, tab strips.
        // Fields scroll their own text; the progress line is an animation that slides inside its track.
        if (el.closest('pre, textarea, select, input, [data-scroll-x], .modal, .progress-line')) return;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) return;
        if (r.right > vw + 1 && !el.closest('[data-scroll-x]')) out.push(`${name(el)} ends at ${Math.round(r.right)}px`);
        // Content cut off by a box that hides or scrolls it (ellipsis is fine: it says so).
        if (el.scrollWidth > el.clientWidth + 1 && cs.overflowX !== 'visible' && cs.textOverflow !== 'ellipsis')
          out.push(`${name(el)} hides ${el.scrollWidth - el.clientWidth}px`);
      });
      return out.slice(0, 5);
    });
    if (wide.length) failures.push(`${path}:\n  ${wide.join('\n  ')}`);
  }
  expect(failures, failures.join('\n')).toEqual([]);
});

test('account tabs scroll with a visible hint on a phone', async ({ page }) => {
  await page.setViewportSize(PHONE);
  const oa = await demo(page.request, 'official_account');
  await page.goto(`/accounts/${oa}`);
  const tabs = page.getByTestId('account-tabs');
  await expect(tabs).toBeVisible();
  const overflow = await tabs.evaluate((el) => el.scrollWidth > el.clientWidth);
  if (overflow) {
    // The strip says there is more to the right, and stops saying so at the end.
    await expect(tabs).toHaveAttribute('data-more-right', 'true');
    await tabs.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    await expect(tabs).not.toHaveAttribute('data-more-right', 'true');
  }
  // The current tab is in view.
  await page.goto(`/accounts/${oa}/tags`);
  const current = tabs.locator('.tab-current');
  await expect(current).toBeInViewport();
});

test('order filters fold away on a phone', async ({ page }) => {
  await page.setViewportSize(PHONE);
  const merchant = await demo(page.request, 'pay_merchant');
  await page.goto(`/pay/${merchant}?tab=orders`);
  await expect(page.getByTestId('order-row').first()).toBeVisible();
  const toggle = page.getByTestId('orders-filters-toggle');
  await expect(toggle).toBeVisible();
  await expect(page.getByTestId('orders-state')).toBeHidden();
  await toggle.click();
  await expect(page.getByTestId('orders-state')).toBeVisible();
});

/** Words that may stay in Latin letters in the Chinese UI: names of things, units, formats. */
const ALLOWED = new Set(
  [
    'wxportal', 'AppID', 'AppSecret', 'OpenID', 'UnionID', 'Token', 'EncodingAESKey', 'AESKey', 'API', 'URL', 'ID', 'IP',
    'HTTP', 'HTTPS', 'XML', 'JSON', 'CSV', 'SHA', 'MD5', 'HMAC', 'QR', 'ms', 'KB', 'MB', 'GB', 'p50', 'max', 'Markdown',
    'CorpID', 'AgentID', 'Secret', 'SuiteID', 'mch_id', 'key', 'PKCS', 'access_token', 'suite_ticket', 'media_id',
    'echostr', 'success', 'Esc', 'Tab', 'UTC', 'GMT', 'VIP', 'sandbox', 'OAuth', 'JS-SDK', 'H5', 'P12', 'PFX', 'ICP',
    'UserID', 'HTML',
    // File formats, as WeChat names them in its limits.
    'bmp', 'png', 'jpg', 'jpeg', 'gif', 'mp3', 'amr', 'wma', 'wav', 'mp4',
  ].map((w) => w.toLowerCase()),
);

/** Something on the newer pages for the walk to read: followers and WeCom contacts synced, a
 *  QR code, a scheduled mass send, an app message, a conversation and a rejected callback. */
async function seedForWalk(request: APIRequestContext) {
  const oa = await demo(request, 'official_account');
  const app = await demo(request, 'work_app');
  const ok = (r: { ok(): boolean; status(): number }, what: string) =>
    expect(r.ok() || r.status() === 409, `${what}: ${r.status()}`).toBeTruthy();
  ok(await request.post(`/api/accounts/${oa}/followers/sync`, { data: {} }), 'follower sync');
  ok(await request.post(`/api/accounts/${app}/contacts/sync`, { data: {} }), 'contacts sync');
  await expect
    .poll(async () => (await (await request.get(`/api/accounts/${app}/contacts/sync`)).json()).job?.status, { timeout: 90_000 })
    .toMatch(/^(succeeded|partial)$/);
  const codes = await (await request.get(`/api/accounts/${oa}/qrcodes`)).json();
  if (!(codes.items ?? codes).length) {
    ok(await request.post(`/api/accounts/${oa}/qrcodes`, { data: { name: '门店海报', permanent: true, scene_str: 'walk-store' } }), 'qr code');
  }
  const later = new Date(Date.now() + 7 * 24 * 3600_000).toISOString();
  ok(
    await request.post(`/api/accounts/${oa}/mass`, {
      data: { message: { msgtype: 'text', content: '周末活动预告' }, target: { kind: 'all' }, scheduled_at: later, request_key: 'walk-mass' },
    }),
    'mass send',
  );
  ok(
    await request.post(`/api/accounts/${app}/wecom/messages`, {
      data: { recipients: { all: true }, content: { msgtype: 'text', content: '系统维护通知' } },
    }),
    'app message',
  );
  const followers = await (await request.get(`/api/accounts/${oa}/sandbox/followers`)).json();
  const who = (followers.items ?? followers).find((p: any) => p.subscribed)?.id;
  await request.post(`/api/accounts/${oa}/sandbox/act`, { data: { subject: who, type: 'text', content: '你好' } });
  // A staff reply WeChat refuses (45047: too many replies): the conversation shows why, in Chinese.
  const appid = (await (await request.get(`/api/accounts/${oa}`)).json()).settings.app_id;
  ok(
    await request.post('/sandbox/_sim/faults', {
      data: { target: appid, kind: 'errcode', errcode: 45047, path: '/message/custom/send', count: 1 },
    }),
    'fault',
  );
  await request.post(`/api/accounts/${oa}/messages/reply`, {
    data: { to_user: who, reply: { type: 'text', content: '稍等，马上为您处理' } },
  });
  ok(await request.delete('/sandbox/_sim/faults'), 'faults cleared');
  await request.post(`/api/accounts/${oa}/sandbox/act`, { data: { type: 'subscribe', scene: 'walk-store' } });
  // The emulator's clock stands still between advances, and WeChat de-duplicates events by
  // sender and CreateTime: move it on, so a later spec's event from the same follower is new.
  ok(await request.post('/sandbox/_sim/clock/advance', { data: { seconds: 5 } }), 'clock');
  // A forged callback: the inspector shows why it was refused.
  await request.post(`/wx/${oa}?signature=forged&timestamp=${Math.floor(Date.now() / 1000)}&nonce=1`, {
    data: '<xml><ToUserName>x</ToUserName></xml>',
    headers: { 'content-type': 'text/xml' },
  });
}

test('the Chinese UI has no English words outside names and units', async ({ page }) => {
  test.setTimeout(300_000);
  await setLang(page.request, 'zh-CN');
  await seedForWalk(page.request);
  const failures: string[] = [];
  for (const path of await consolePages(page.request)) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(300);
    const words: string[] = await page.evaluate(() => {
      const out: string[] = [];
      // User data and raw protocol text are not UI text: ids, names, XML, JSON, URLs.
      const skip = 'pre, code, .mono, textarea, script, style, [data-user-content], .row-title, .detail-title h1, [data-testid="account-name"], [data-testid="current-user"], [data-testid="lang-switch"], .brand-mark, .bubble, .tag-list, .badge-blue, option';
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || el.closest(skip)) continue;
        if (!(el as HTMLElement).checkVisibility?.()) continue;
        out.push(n.textContent ?? '');
      }
      document.querySelectorAll('input[placeholder], [aria-label], [title]').forEach((e) => {
        if ((e as HTMLElement).closest(skip) || !(e as HTMLElement).checkVisibility?.()) return;
        for (const a of ['placeholder', 'aria-label', 'title']) {
          const v = e.getAttribute(a);
          if (v) out.push(v);
        }
      });
      return out;
    });
    const bad = new Set<string>();
    for (const text of words) {
      // URLs, e-mail addresses and paths are data.
      const cleaned = text.replace(/\b(?:https?|weixin):\/\/\S+/g, ' ').replace(/\S+@\S+/g, ' ').replace(/\/\S*/g, ' ');
      for (const token of cleaned.split(/[\s,.;:!?()（）【】「」“”"'·、，。：；！？/|[\]{}<>=+*#%&~`^$\\]+/)) {
        // Words of letters only; ids and codes (with digits or underscores) are data.
        if (!/^[A-Za-z][A-Za-z-]*[A-Za-z]$/.test(token)) continue;
        if (ALLOWED.has(token.toLowerCase())) continue;
        bad.add(token);
      }
    }
    if (bad.size) failures.push(`${path}: ${[...bad].slice(0, 15).join(', ')}`);
  }
  expect(failures, failures.join('\n')).toEqual([]);
});
