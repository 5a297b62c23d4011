import { test, expect, ADMIN_STORAGE } from './fixtures';

test.use({ storageState: ADMIN_STORAGE });

test('Chinese by default; the English switch is remembered per user', async ({ page, browser, baseURL }) => {
  await page.goto('/accounts');
  const nav = page.getByTestId('nav-accounts');
  await expect(nav).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  const chinese = await nav.innerText();
  expect(chinese).toMatch(/[\u4e00-\u9fff]/);

  await page.getByTestId('lang-switch').click();
  await expect(nav).not.toHaveText(chinese);
  await expect(nav).toHaveText(/Accounts/i);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  // Remembered on the server for this user: a fresh browser with the same session shows English.
  const me = await (await page.request.get('/api/auth/me')).json();
  expect(me.lang).toBe('en');
  const other = await browser.newContext({ storageState: await page.context().storageState(), baseURL });
  const page2 = await other.newPage();
  await page2.goto('/accounts');
  await expect(page2.getByTestId('nav-accounts')).toHaveText(/Accounts/i);

  // Switch back so other tests see the default.
  await page.getByTestId('lang-switch').click();
  await expect(nav).toHaveText(chinese);
  await other.close();
});
