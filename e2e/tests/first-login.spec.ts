import { test, expect, login, ADMIN_PASSWORD, ADMIN_STORAGE } from './fixtures';
import { state } from './state';

test('first login forces a password change, then opens the console', async ({ page }) => {
  await page.goto('/');
  // Signed out: any page leads to the login form.
  await expect(page.getByTestId('login-username')).toBeVisible();

  await login(page, 'admin', 'not-the-password-1');
  await expect(page.getByTestId('login-error')).toBeVisible();

  await login(page, 'admin', state().initialPassword);
  // The printed initial password must be replaced before anything else.
  await expect(page.getByTestId('pw-new')).toBeVisible();
  await page.goto('/accounts');
  await expect(page.getByTestId('pw-new')).toBeVisible();

  await page.getByTestId('pw-current').fill(state().initialPassword);
  await page.getByTestId('pw-new').fill('short');
  await page.getByTestId('pw-confirm').fill('short');
  await page.getByTestId('pw-submit').click();
  await expect(page.getByTestId('pw-error').or(page.getByTestId('error-new_password'))).toBeVisible();

  await page.getByTestId('pw-new').fill(ADMIN_PASSWORD);
  await page.getByTestId('pw-confirm').fill(ADMIN_PASSWORD);
  await page.getByTestId('pw-submit').click();
  await expect(page.getByTestId('nav-accounts')).toBeVisible();
  await expect(page.getByTestId('current-user')).toContainText('admin');

  // The old password no longer works; the new one does.
  const me = await page.request.get('/api/auth/me');
  expect(me.status()).toBe(200);
  expect((await me.json()).must_change_password).toBe(false);
  await page.context().storageState({ path: ADMIN_STORAGE });
});
