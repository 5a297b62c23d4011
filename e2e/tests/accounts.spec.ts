import { test, expect, ADMIN_STORAGE } from './fixtures';

test.use({ storageState: ADMIN_STORAGE });

test('create an Official Account, see its callback URL, edit it', async ({ page, baseURL }) => {
  await page.goto('/accounts');
  await page.getByTestId('accounts-new').click();
  await page.getByTestId('field-kind').selectOption('official_account');

  await page.getByTestId('field-name').fill('e2e 测试公众号');
  // Inline validation uses the shared rules before anything is sent.
  await page.getByTestId('field-app_id').fill('wx123');
  await page.getByTestId('field-app_id').blur();
  await expect(page.getByTestId('error-app_id')).toBeVisible();
  await page.getByTestId('field-app_id').fill('wxe2e0123456789abc');
  await expect(page.getByTestId('error-app_id')).toBeHidden();

  await page.getByTestId('field-app_secret').fill('0123456789abcdef0123456789abcdef');
  await page.getByTestId('field-original_id').fill('gh_e2e012345678');
  await page.getByTestId('generate-token').click();
  await expect(page.getByTestId('field-token')).toHaveValue(/^[A-Za-z0-9]{32}$/);
  const token = await page.getByTestId('field-token').inputValue();
  await page.getByTestId('generate-aes-key').click();
  await expect(page.getByTestId('field-encoding_aes_key')).toHaveValue(/^[A-Za-z0-9]{43}$/);
  await page.getByTestId('account-save').click();

  await expect(page.getByTestId('account-name')).toHaveText('e2e 测试公众号');
  const callback = page.getByTestId('callback-url');
  await expect(callback).toHaveText(new RegExp(`^${baseURL}/wx/\\d+$`));
  const id = (await callback.innerText()).split('/').pop();

  // What the server stored: secrets masked, never in clear.
  const stored = await (await page.request.get(`/api/accounts/${id}`)).json();
  expect(stored.settings.app_id).toBe('wxe2e0123456789abc');
  expect(JSON.stringify(stored)).not.toContain('0123456789abcdef0123456789abcdef');
  expect(stored.settings.app_secret.set).toBe(true);
  // The Token is sealed too: masked on the page until an admin reveals it to copy it.
  expect(JSON.stringify(stored)).not.toContain(token);
  await expect(page.getByTestId('account-token')).not.toContainText(token);
  await page.getByTestId('account-token-reveal').click();
  await expect(page.getByTestId('account-token-value')).toHaveText(token);

  await page.getByTestId('account-edit').click();
  await page.getByTestId('field-name').fill('e2e 公众号（已改名）');
  await page.getByTestId('account-save').click();
  await expect(page.getByTestId('account-name')).toHaveText('e2e 公众号（已改名）');

  await page.getByTestId('nav-accounts').click();
  await expect(page.getByTestId('account-row').filter({ hasText: 'e2e 公众号（已改名）' })).toBeVisible();
  await page.getByTestId('accounts-search').fill('no-such-account-xyz');
  await expect(page.getByTestId('account-row').filter({ hasText: 'e2e 公众号（已改名）' })).toHaveCount(0);
});

test('server-side validation errors show under the field', async ({ page }) => {
  // A duplicate app id is only known to the server: 409 must surface as a readable message.
  const first = await page.request.post('/api/accounts', {
    data: {
      kind: 'official_account',
      name: 'dup one',
      app_id: 'wxdup0123456789abc',
      app_secret: '0123456789abcdef0123456789abcdef',
      token: 'dupToken123',
      encoding_aes_key: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
      message_mode: 'safe',
      original_id: 'gh_dup012345678',
    },
  });
  expect(first.status()).toBe(201);

  await page.goto('/accounts');
  await page.getByTestId('accounts-new').click();
  await page.getByTestId('field-kind').selectOption('official_account');
  await page.getByTestId('field-name').fill('dup two');
  await page.getByTestId('field-app_id').fill('wxdup0123456789abc');
  await page.getByTestId('field-app_secret').fill('0123456789abcdef0123456789abcdef');
  await page.getByTestId('field-token').fill('dupToken456');
  await page.getByTestId('field-encoding_aes_key').fill('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG');
  await page.getByTestId('field-original_id').fill('gh_dup012345679');
  await page.getByTestId('account-save').click();
  await expect(page.getByTestId('form-error')).toBeVisible();
  await expect(page.getByTestId('account-name')).toHaveCount(0);
});
