import { test, expect, ADMIN_STORAGE } from './fixtures';

test.use({ storageState: ADMIN_STORAGE });

// The provider login of issue 14: staff copy the login URL for WeCom's provider console, a corp
// member opens the scan-login link (the emulator plays WeCom's QR page: pick who scans), lands on
// the portal's login page which names them, and the console's 服务商登录 tab lists who logged in
// from which corp. The same login link opened again is refused.

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

/// A member "scans" on the emulated WeCom page; the phone lands on the portal's login page.
async function scanAs(phone: any, scanUrl: string, index: number): Promise<{ corpid: string; userid: string }> {
  await phone.goto(scanUrl);
  const who = phone.locator('select[name="who"]');
  await who.selectOption({ index });
  const [corpid, userid] = (await who.inputValue()).split('|');
  await phone.getByRole('button').click();
  await phone.waitForURL(/\/suite\/\d+\/login\?auth_code=/);
  return { corpid, userid };
}

test('a member logs in through the provider login and staff see who, from which corp', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const { id, suiteId } = await demoSuite(page.request);
  expect((await page.request.post(`/sandbox/_sim/suites/${suiteId}/push_ticket`, { data: {} })).ok()).toBeTruthy();

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/accounts/${id}/provider`);
  await useLang(page, 'zh-CN');
  await expect(page.getByTestId('provider-login-url')).toContainText(`/suite/${id}/login`);
  await expect(page.getByTestId('provider-not-configured')).toHaveCount(0);
  const scanUrl = (await page.getByTestId('provider-scan-url').getAttribute('href'))!;
  expect(scanUrl).toContain('/wwopen/sso/3rd_qrConnect?appid=');

  // The provider check: both tokens come.
  await page.getByTestId('provider-check-run').click();
  await expect(page.getByTestId('provider-check-item')).toHaveCount(2);
  await expect(page.locator('[data-testid="provider-check-item"][data-ok="true"]')).toHaveCount(2);

  // On a phone, in Chinese: scan, and the page names the member.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const zh = await scanAs(phone, scanUrl, 0);
  await expect(phone.locator('h1')).toHaveText('登录成功');
  await expect(phone.getByTestId('login-userid')).toHaveText(zh.userid);
  await expect(phone.getByTestId('login-corp')).toContainText(zh.corpid);
  await expect(phone.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await phone.screenshot({ path: `${SHOTS}/provider-login-page-390-zh.png`, fullPage: true });
  // The same link again: a login code works once.
  const used = phone.url();
  await phone.goto(used);
  await expect(phone.locator('h1')).toContainText('已经使用过');

  // Another member, in English.
  const enUrl = scanUrl.replace('state=wxportal.zh', 'state=wxportal.en');
  const en = await scanAs(phone, enUrl, 1);
  await expect(phone.locator('h1')).toHaveText('Logged in');
  await expect(phone.getByTestId('login-userid')).toHaveText(en.userid);
  await expect(phone.locator('body')).not.toContainText('登录成功');
  await phone.screenshot({ path: `${SHOTS}/provider-login-page-390-en.png`, fullPage: true });
  await phone.close();

  // Staff see both logins, who and from which corp.
  await page.getByTestId('provider-logins-reload').click();
  const first = page.locator(`[data-testid="provider-login"][data-userid="${zh.userid}"]`).first();
  await expect(first).toHaveAttribute('data-state', 'ok');
  await expect(first).toContainText(zh.corpid);
  const second = page.locator(`[data-testid="provider-login"][data-userid="${en.userid}"]`).first();
  await expect(second).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/provider-1440-zh.png`, fullPage: true });
  await useLang(page, 'en');
  await expect(page.getByTestId('provider-logins')).toContainText('Logins');
  await page.screenshot({ path: `${SHOTS}/provider-1440-en.png`, fullPage: true });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByTestId('provider-logins')).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'nothing wider than a phone').toBeLessThanOrEqual(0);
  await page.screenshot({ path: `${SHOTS}/provider-390-en.png`, fullPage: true });
  await useLang(page, 'zh-CN');
  await page.screenshot({ path: `${SHOTS}/provider-390-zh.png`, fullPage: true });
});
