import { test, expect, ADMIN_STORAGE } from './fixtures';

test.use({ storageState: ADMIN_STORAGE });

async function demoOa(request: any): Promise<{ id: number; appid: string }> {
  const list = await (await request.get('/api/accounts')).json();
  const oa = list.find((a: any) => a.environment === 'sandbox' && a.kind === 'official_account');
  expect(oa, 'the sandbox demo Official Account').toBeTruthy();
  const full = await (await request.get(`/api/accounts/${oa.id}`)).json();
  return { id: oa.id, appid: full.settings.app_id };
}

test('create a QR code, a sandbox follower scans it, the scan is counted', async ({ page }) => {
  const { id } = await demoOa(page.request);
  const scene = `e2e-${Date.now()}`;

  await page.goto(`/accounts/${id}/qrcodes`);
  await expect(page.getByTestId('tab-qrcodes')).toHaveClass(/tab-current/);
  await page.getByTestId('qr-new').click();
  const form = page.getByTestId('qr-form');
  // Inline validation before anything is sent.
  await form.getByTestId('qr-save').click();
  await expect(form.locator('.field-error').first()).toBeVisible();
  await form.getByTestId('qr-name').fill('门店海报 e2e');
  await form.getByTestId('qr-scene').fill(scene);
  await form.getByTestId('qr-days').fill('7');
  await form.getByTestId('qr-note').fill('一楼收银台');
  await form.getByTestId('qr-save').click();
  await expect(page.getByTestId('qr-form')).toHaveCount(0);
  const row = page.getByTestId('qr-row').filter({ hasText: scene });
  await expect(row).toBeVisible();
  await expect(row.getByTestId('qr-scans')).toHaveText('0');

  // The sandbox follower scans the code from the simulate panel (already following: SCAN) …
  await page.goto(`/accounts/${id}`);
  const panel = page.getByTestId('simulate-panel');
  await expect(panel.getByTestId('simulate-subject').locator('option').first()).not.toHaveText('…');
  const scan = async () => {
    await panel.getByTestId('simulate-action').selectOption('scan');
    await panel.getByTestId('simulate-text').fill(scene);
    await panel.getByTestId('simulate-send').click();
    await expect(panel.getByTestId('simulate-result').last()).toContainText(scene);
  };
  await scan();
  await page.goto(`/accounts/${id}/qrcodes`);
  await expect(row.getByTestId('qr-scans')).toHaveText('1');
  await expect(row.getByTestId('qr-subscribes')).toHaveText('0');

  // … then unfollows and scans again: a subscription through the code.
  await page.goto(`/accounts/${id}`);
  await expect(panel.getByTestId('simulate-subject').locator('option').first()).not.toHaveText('…');
  await panel.getByTestId('simulate-action').selectOption('unsubscribe');
  await panel.getByTestId('simulate-send').click();
  await scan();

  // The list and the code's page count both; the image comes from the portal.
  await page.goto(`/accounts/${id}/qrcodes`);
  await expect(row.getByTestId('qr-scans')).toHaveText('2');
  await expect(row.getByTestId('qr-subscribes')).toHaveText('1');
  await row.getByTestId('qr-open').click();
  await expect(page.getByTestId('qr-scene-value')).toHaveText(scene);
  await expect(page.getByTestId('qr-stat-scans')).toHaveText('2');
  await expect(page.getByTestId('qr-stat-subscribes')).toHaveText('1');
  await expect(page.getByTestId('qr-stat-repeat')).toHaveText('1');
  await expect(page.getByTestId('qr-chart').locator('rect[data-scans="2"]')).toHaveCount(1);
  await expect(page.getByTestId('qr-subscribers').locator('tbody tr')).toHaveCount(1);
  const img = page.getByTestId('qr-image');
  await expect(img).toHaveAttribute('src', new RegExp(`^/api/accounts/${id}/qrcodes/\\d+/image$`));
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBeGreaterThan(0);

  // The followers it brought, through the list's QR-scene filter.
  await page.getByTestId('qr-followers').click();
  await expect(page.getByTestId('filter-qr-scene')).toContainText(scene);
  await expect(page.getByTestId('follower-row')).toHaveCount(1);
});
