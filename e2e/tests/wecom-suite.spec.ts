import { test, expect, ADMIN_STORAGE } from './fixtures';

test.use({ storageState: ADMIN_STORAGE });

// A service provider installs its suite in a customer's corp, as issue 14 describes: create the
// install link in the console, open it as the corp's admin (the emulator plays WeCom's consent
// page), land on the portal's install page, and find the corp authorised in the console, with
// what the emulator says it granted; manage it through the WeCom pages (its contacts, read with
// the corp token). Then the corp uninstalls and both the managed corp and the console show it
// revoked.

const SHOTS = process.env.WXPORTAL_SHOTS ?? 'test-results/shots';

async function demoSuite(request: any): Promise<{ id: number; suiteId: string }> {
  const list = await (await request.get('/api/accounts')).json();
  const a = list.find((x: any) => x.environment === 'sandbox' && x.kind === 'work_suite');
  expect(a, 'the sandbox demo suite').toBeTruthy();
  const full = await (await request.get(`/api/accounts/${a.id}`)).json();
  return { id: a.id, suiteId: full.settings.suite_id };
}

async function useLang(page: any, lang: 'zh-CN' | 'en') {
  const now = (await page.locator('html').getAttribute('lang')) ?? '';
  if ((lang === 'en') !== now.startsWith('en')) {
    await page.getByTestId('lang-switch').first().click();
  }
  await expect(page.locator('html')).toHaveAttribute('lang', lang === 'en' ? /^en/ : /^zh/);
}

test('install the suite in a corp from a link, see it authorised, then revoked', async ({ page }) => {
  test.setTimeout(180_000);
  const { id, suiteId } = await demoSuite(page.request);
  // A fresh suite_ticket, so the suite token can be fetched.
  expect((await page.request.post(`/sandbox/_sim/suites/${suiteId}/push_ticket`, { data: {} })).ok()).toBeTruthy();

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/accounts/${id}/corps`);
  await useLang(page, 'zh-CN');
  await expect(page.getByTestId('suite-ticket')).toHaveAttribute('data-stale', 'false');
  await expect(page.getByTestId('suite-instruction-url')).toContainText(`/wx/${id}`);
  await expect(page.getByTestId('suite-corps-empty')).toBeVisible();

  await page.getByTestId('suite-install-test').check();
  await page.getByTestId('suite-install-create').click();
  const link = page.getByTestId('suite-install-link');
  await expect(link.locator('.suite-qr svg')).toBeVisible();
  const url = (await page.getByTestId('suite-install-url').textContent())!.trim();
  expect(url).toContain('/3rdapp/install?suite_id=');
  await page.screenshot({ path: `${SHOTS}/suite-corps-1440-zh.png`, fullPage: true });

  // The corp's admin opens the link: WeCom's consent page (emulated), then back to the portal.
  const admin = await page.context().newPage();
  await admin.goto(url);
  await admin.locator('select[name="who"]').selectOption({ index: 0 });
  const picked = await admin.locator('select[name="who"]').inputValue();
  const [pickedCorp] = picked.split('|');
  await admin.getByRole('button').click();
  await expect(admin.locator('h1')).toHaveText('授权成功');
  await expect(admin.locator('body')).toContainText(pickedCorp);
  await admin.screenshot({ path: `${SHOTS}/suite-installed-page-zh.png` });
  await admin.close();

  // The console lists the corp, with the app and the range the emulator granted.
  await page.getByTestId('suite-corps-reload').click();
  const row = page.locator(`[data-testid="suite-corp"][data-corpid="${pickedCorp}"]`);
  await expect(row).toHaveAttribute('data-state', 'active');
  await expect(row.getByTestId('suite-agent')).toHaveCount(1);
  await expect(row).toContainText('授权中');
  const emulated = await (await page.request.get(`/sandbox/_sim/suites/${suiteId}`)).json();
  expect(Object.keys(emulated.authorizations ?? {})).toContain(pickedCorp);
  await row.getByTestId('suite-corp-refresh').click();
  await expect(page.getByText('已从企业微信刷新授权信息')).toBeVisible();

  // English, and a phone.
  await useLang(page, 'en');
  await expect(row).toContainText('Active');
  await page.screenshot({ path: `${SHOTS}/suite-corps-1440-en.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByTestId('suite-corps')).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'nothing wider than a phone').toBeLessThanOrEqual(0);
  await page.screenshot({ path: `${SHOTS}/suite-corps-390-en.png`, fullPage: true });
  await useLang(page, 'zh-CN');
  await page.screenshot({ path: `${SHOTS}/suite-corps-390-zh.png`, fullPage: true });

  // The data URL to paste into the provider console.
  await expect(page.getByTestId('suite-data-url')).toContainText(`/wx/${id}/data`);

  // Manage the corp: its contacts, read with the corp token the suite obtained.
  await page.setViewportSize({ width: 1440, height: 900 });
  await row.getByTestId('suite-corp-manage').click();
  await expect(page).toHaveURL(/\/accounts\/\d+\/contacts$/);
  const managedUrl = page.url();
  const banner = page.getByTestId('managed-corp-banner');
  await expect(banner).toHaveAttribute('data-state', 'active');
  await expect(banner).toContainText('授权中');
  await page.getByTestId('contacts-sync-start').click();
  await expect(page.getByTestId('contacts-sync-status')).toHaveAttribute('data-status', /succeeded|partial/, { timeout: 30_000 });
  const corp = await (await page.request.get(`/sandbox/_sim/work/${pickedCorp}`)).json();
  const members = Object.keys(corp.members);
  expect(members.length).toBeGreaterThan(0);
  await expect(page.getByTestId('count-members')).toHaveText(String(members.length));
  await expect(page.locator(`[data-testid="member-row"][data-userid="${members[0]}"]`)).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/suite-managed-contacts-1440-zh.png`, fullPage: true });
  // Third-party apps have no API menu: the tab says so.
  await page.getByTestId('tab-menus').click();
  await expect(page.getByTestId('managed-no-menus')).toBeVisible();
  await expect(page.getByTestId('managed-no-menus')).toContainText('第三方应用不能设置应用菜单');
  await useLang(page, 'en');
  await expect(page.getByTestId('managed-no-menus')).toContainText('A third-party app has no API menu');
  await page.goto(managedUrl);
  await expect(page.getByTestId('managed-corp-banner')).toContainText('Active');
  await expect(page.locator(`[data-testid="member-row"][data-userid="${members[0]}"]`)).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/suite-managed-contacts-1440-en.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByTestId('managed-corp-banner')).toBeVisible();
  const phoneOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(phoneOverflow, 'nothing wider than a phone').toBeLessThanOrEqual(0);
  await page.screenshot({ path: `${SHOTS}/suite-managed-contacts-390-en.png`, fullPage: true });
  await useLang(page, 'zh-CN');
  await page.screenshot({ path: `${SHOTS}/suite-managed-contacts-390-zh.png`, fullPage: true });

  // The corp uninstalls: cancel_auth reaches the portal; the managed corp shows it revoked and
  // refuses calls, its members still listed.
  expect((await page.request.post(`/sandbox/_sim/suites/${suiteId}/uninstall`, { data: { corpid: pickedCorp } })).ok()).toBeTruthy();
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.reload();
  await expect(page.getByTestId('managed-corp-banner')).toHaveAttribute('data-state', 'revoked');
  await expect(page.getByTestId('managed-corp-revoked')).toContainText('该企业已取消授权');
  await expect(page.locator(`[data-testid="member-row"][data-userid="${members[0]}"]`)).toBeVisible();
  await page.getByTestId('contacts-sync-start').click();
  await expect(page.getByTestId('toast').filter({ hasText: '该企业已取消授权' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/suite-managed-revoked-1440-zh.png`, fullPage: true });
  await useLang(page, 'en');
  await expect(page.getByTestId('managed-corp-revoked')).toContainText('This corp uninstalled the suite');
  await page.screenshot({ path: `${SHOTS}/suite-managed-revoked-1440-en.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByTestId('managed-corp-banner')).toHaveAttribute('data-state', 'revoked');
  await page.screenshot({ path: `${SHOTS}/suite-managed-revoked-390-en.png`, fullPage: true });
  await useLang(page, 'zh-CN');
  await page.screenshot({ path: `${SHOTS}/suite-managed-revoked-390-zh.png`, fullPage: true });

  // And the suite's console shows it revoked.
  await page.goto(`/accounts/${id}/corps`);
  await expect(row).toHaveAttribute('data-state', 'revoked');
  await expect(row).toContainText('已取消授权');
  await expect(row.getByTestId('suite-corp-refresh')).toHaveCount(0);
});

// 线上自助注册授权: the corp's admin adds the suite from WeCom's app market (the emulator's market
// page); WeCom pushes create_auth without State and the portal exchanges it: the corp appears,
// marked as installed from the market, with its interface licences (接口许可) read at install;
// the provider activates a member's licence, ends the trial, and staff refresh the licences.
test('install the suite from the app market and see its origin and licences', async ({ page }) => {
  test.setTimeout(120_000);
  const { id, suiteId } = await demoSuite(page.request);
  expect((await page.request.post(`/sandbox/_sim/suites/${suiteId}/push_ticket`, { data: {} })).ok()).toBeTruthy();

  const admin = await page.context().newPage();
  await admin.goto(`/sandbox/open.work.weixin.qq.com/3rdapp/market?suite_id=${suiteId}`);
  await admin.locator('select[name="who"]').selectOption({ index: 0 });
  const [corpid, userid] = (await admin.locator('select[name="who"]').inputValue()).split('|');
  await admin.getByRole('button').click();
  await expect(admin.locator('h1')).toHaveText('添加成功');
  await admin.close();

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/accounts/${id}/corps`);
  await useLang(page, 'zh-CN');
  const row = page.locator(`[data-testid="suite-corp"][data-corpid="${corpid}"]`);
  await expect(row).toHaveAttribute('data-state', 'active');
  await expect(row.getByTestId('suite-corp-origin')).toHaveAttribute('data-origin', 'market');
  await expect(row.getByTestId('suite-corp-origin')).toHaveText('从企业微信应用市场自助安装');
  const licence = row.getByTestId('suite-corp-licence');
  await expect(licence).toHaveAttribute('data-status', 'trial');
  await expect(licence).toHaveAttribute('data-basic', '0');

  // The provider activates the admin's account and the trial ends: staff read them again.
  expect((await page.request.post(`/sandbox/_sim/suites/${suiteId}/license/activate`, { data: { corpid, userid } })).ok()).toBeTruthy();
  expect((await page.request.post(`/sandbox/_sim/suites/${suiteId}/license/app`, { data: { corpid, trial_ended: true } })).ok()).toBeTruthy();
  await row.getByTestId('suite-corp-licences-refresh').click();
  await expect(page.getByText('已从企业微信刷新接口许可')).toBeVisible();
  await expect(licence).toHaveAttribute('data-basic', '1');
  await expect(licence).toHaveAttribute('data-status', 'enforced');
  await expect(row.getByTestId('suite-corp-licence-counts')).toHaveText('基础帐号 1 · 互通帐号 0');
  await page.screenshot({ path: `${SHOTS}/suite-corps-licences-1440-zh.png`, fullPage: true });
  await useLang(page, 'en');
  await expect(row.getByTestId('suite-corp-origin')).toHaveText("Installed from WeCom's app market");
  await expect(row.getByTestId('suite-corp-licence-counts')).toHaveText('1 basic · 0 interworking accounts');
  await page.screenshot({ path: `${SHOTS}/suite-corps-licences-1440-en.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(row).toHaveAttribute('data-state', 'active');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'nothing wider than a phone').toBeLessThanOrEqual(0);
  // Each cell's content stays inside the card, and the install's lines stack (they once sat
  // side by side at this width, overlapping, with the buttons running off the card).
  const spill = await row.evaluate((tr) => {
    const card = tr.getBoundingClientRect();
    return [...tr.querySelectorAll('td *')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && (r.right > card.right + 1 || r.left < card.left - 1);
      })
      .map((el) => (el.textContent ?? '').trim().slice(0, 40));
  });
  expect(spill, 'nothing spills out of the card').toEqual([]);
  const at = await row.getByTestId('suite-corp-installed-at').boundingBox();
  const origin = await row.getByTestId('suite-corp-origin').boundingBox();
  expect(origin!.y, 'the origin is under the install time').toBeGreaterThanOrEqual(at!.y + at!.height - 1);
  await page.screenshot({ path: `${SHOTS}/suite-corps-licences-390-en.png`, fullPage: true });
  await useLang(page, 'zh-CN');

  // Leave the sandbox as found.
  expect((await page.request.post(`/sandbox/_sim/suites/${suiteId}/uninstall`, { data: { corpid } })).ok()).toBeTruthy();
});
