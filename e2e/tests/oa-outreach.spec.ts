import { test, expect, ADMIN_STORAGE } from './fixtures';

test.use({ storageState: ADMIN_STORAGE });

// The sandbox demo Official Account, and the emulator's control API ("WeChat's own console").
async function demoOa(request: any): Promise<{ id: number; appid: string }> {
  const list = await (await request.get('/api/accounts')).json();
  const oa = list.find((a: any) => a.environment === 'sandbox' && a.kind === 'official_account');
  expect(oa, 'the sandbox demo Official Account').toBeTruthy();
  const full = await (await request.get(`/api/accounts/${oa.id}`)).json();
  return { id: oa.id, appid: full.settings.app_id };
}

async function sim(request: any, method: 'GET' | 'POST', path: string, data?: any) {
  const url = `/sandbox/_sim${path}`;
  const res = method === 'GET' ? await request.get(url) : await request.post(url, { data: data ?? {} });
  expect(res.ok(), `${method} ${path}: ${res.status()}`).toBeTruthy();
  return res.json().catch(() => null);
}

test('preview, then mass-send a text to a tag and see WeChat finish it with counts', async ({ page }) => {
  test.setTimeout(120_000);
  const { id, appid } = await demoOa(page.request);

  // The portal needs WeChat's tags and followers first.
  await page.goto(`/accounts/${id}/followers`);
  await page.getByTestId('sync-start').click();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });

  const wx = await sim(page.request, 'GET', `/oa/${appid}`);
  const tagged = Object.entries(wx.followers).filter(([, f]: any) => f.subscribed && f.tagid_list.includes(101));
  expect(tagged.length).toBeGreaterThan(0);
  const [firstOpenid] = tagged[0];

  await page.goto(`/accounts/${id}/mass`);
  await expect(page.getByTestId('tab-mass')).toHaveClass(/tab-current/);
  await expect(page.getByTestId('mass-quota')).toBeVisible();

  // Inline validation: nothing typed yet.
  await page.getByTestId('mass-send').click();
  await expect(page.getByTestId('error-content')).toBeVisible();
  await expect(page.getByTestId('error-target')).toBeVisible();

  const text = `双十二会员专享 ${Date.now()}`;
  await page.getByTestId('mass-content').fill(text);
  await expect(page.getByTestId('error-content')).toBeHidden();

  // Preview to one follower: only that follower gets it.
  await page.getByTestId('mass-preview').click();
  await page.getByTestId('mass-preview-openid').fill(firstOpenid);
  await page.getByTestId('mass-preview-send').click();
  await expect(page.getByTestId('toast').filter({ hasText: '预览已发送' })).toBeVisible();
  const inbox = await sim(page.request, 'GET', `/oa/${appid}/followers/${firstOpenid}/inbox`);
  expect(inbox.some((m: any) => m.source === 'mass_preview' && JSON.stringify(m.content).includes(text))).toBeTruthy();

  // Send to tag 101, confirming with the quota in view.
  await page.getByTestId('mass-target-tag').check();
  await page.getByTestId('mass-tag').selectOption('101');
  await expect(page.getByTestId('error-target')).toBeHidden();
  await page.screenshot({ path: 'test-results/oa-outreach-mass-1440-zh.png', fullPage: true });
  await page.getByTestId('mass-send').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('toast').filter({ hasText: '已提交群发' })).toBeVisible();

  const row = page.getByTestId('mass-job').filter({ hasText: text });
  await expect(row).toHaveAttribute('data-status', 'submitted');
  await expect(row.getByTestId('mass-status')).toHaveText('发送中');

  // WeChat finishes the job (MASSSENDJOBFINISH); the list follows on its own.
  await sim(page.request, 'POST', '/clock/advance', { seconds: 31 });
  await expect(row).toHaveAttribute('data-status', 'sent', { timeout: 20_000 });
  await expect(row.getByTestId('mass-status')).toHaveText('已发送');
  await expect(row.getByTestId('mass-sent')).toHaveText(String(tagged.length));
  await expect(row.getByTestId('mass-errors')).toHaveText('0');
  for (const [openid] of tagged) {
    const box = await sim(page.request, 'GET', `/oa/${appid}/followers/${openid}/inbox`);
    expect(box.filter((m: any) => m.source === 'mass' && JSON.stringify(m.content).includes(text)).length).toBe(1);
  }
  // The quota counts it.
  await expect(page.getByTestId('mass-quota')).toContainText('1 /');

  await page.screenshot({ path: 'test-results/oa-outreach-mass-1440-zh-sent.png', fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(row).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: 'test-results/oa-outreach-mass-390-zh.png', fullPage: true });
});
