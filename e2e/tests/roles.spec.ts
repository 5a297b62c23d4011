import { test, expect, login, adminApi } from './fixtures';

test('a viewer sees accounts but cannot change them', async ({ page, playwright }) => {
  const admin = await adminApi(playwright);
  const created = await admin.post('/api/staff', {
    data: { username: 'viewer1', password: 'Viewer-pass-2026', role: 'viewer' },
  });
  expect(created.status()).toBe(201);
  const account = await admin.post('/api/accounts', {
    data: {
      kind: 'work_app',
      name: '企业微信 e2e 应用',
      corp_id: 'wwe2e0123456789abc',
      agent_id: 1000002,
      secret: 'e2e-secret_0123456789',
      token: 'workToken123',
      encoding_aes_key: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
    },
  });
  expect(account.status()).toBe(201);
  const { id } = await account.json();

  await login(page, 'viewer1', 'Viewer-pass-2026');
  // A password set by an admin is temporary: the viewer must choose their own first.
  await expect(page.getByTestId('pw-new')).toBeVisible();
  await page.getByTestId('pw-current').fill('Viewer-pass-2026');
  await page.getByTestId('pw-new').fill('Viewer-own-pass-77');
  await page.getByTestId('pw-confirm').fill('Viewer-own-pass-77');
  await page.getByTestId('pw-submit').click();
  await expect(page.getByTestId('nav-accounts')).toBeVisible();
  // Admin-only navigation is not offered to a viewer.
  await expect(page.getByTestId('nav-staff')).toHaveCount(0);
  await expect(page.getByTestId('nav-audit')).toHaveCount(0);

  await page.goto(`/accounts/${id}`);
  await expect(page.getByTestId('account-name')).toHaveText('企业微信 e2e 应用');
  await expect(page.getByTestId('callback-url')).toContainText(`/wx/${id}`);
  await expect(page.getByTestId('account-edit')).toHaveCount(0);
  await expect(page.getByTestId('account-delete')).toHaveCount(0);
  await page.goto('/accounts');
  await expect(page.getByTestId('account-row').first()).toBeVisible();
  await expect(page.getByTestId('accounts-new')).toHaveCount(0);

  // The server enforces it too, whatever the UI shows.
  const patch = await page.request.patch(`/api/accounts/${id}`, { data: { name: 'hacked' } });
  expect(patch.status()).toBe(403);
  const after = await (await admin.get(`/api/accounts/${id}`)).json();
  expect(after.name).toBe('企业微信 e2e 应用');
  await admin.dispose();
});
