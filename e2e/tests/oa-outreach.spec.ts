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

test('mass-send a video with its title (uploadvideo first), and set the send speed at WeChat', async ({ page }) => {
  test.setTimeout(120_000);
  const { id, appid } = await demoOa(page.request);
  await page.goto(`/accounts/${id}/followers`);
  await page.getByTestId('sync-start').click();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  const wx = await sim(page.request, 'GET', `/oa/${appid}`);
  const tagged = Object.entries(wx.followers).filter(([, f]: any) => f.subscribed && f.tagid_list.includes(101));
  expect(tagged.length).toBeGreaterThan(0);

  // A video material in the library.
  const up = await page.request.post(`/api/accounts/${id}/materials`, {
    headers: { 'x-wxportal-upload': '1' },
    multipart: {
      kind: 'video',
      title: '开业视频素材',
      introduction: '素材简介',
      file: { name: 'clip.mp4', mimeType: 'video/mp4', buffer: Buffer.from('\x00\x00\x00\x18ftypmp42 clip') },
    },
  });
  expect(up.status()).toBe(201);
  const material = await up.json();

  await page.goto(`/accounts/${id}/mass`);
  // The send speed: WeChat's level is read, changed and read back.
  const speed = page.getByTestId('mass-speed');
  await expect(speed.getByTestId('mass-speed-current')).toHaveAttribute('data-level', '0');
  await speed.getByTestId('mass-speed-select').selectOption('2');
  await speed.getByTestId('mass-speed-save').click();
  await expect(page.getByTestId('toast').filter({ hasText: '群发速度已更新' })).toBeVisible();
  await expect(speed.getByTestId('mass-speed-current')).toHaveAttribute('data-level', '2');
  expect((await sim(page.request, 'GET', `/oa/${appid}`)).mass_speed).toBe(2);

  // A video: the title followers see is required.
  await page.getByTestId('mass-type-video').check();
  await page.getByTestId('mass-material-open').click();
  await page.locator(`[data-testid="picker-item"][data-media-id="${material.media_id}"]`).click();
  await page.getByTestId('mass-target-tag').check();
  await page.getByTestId('mass-tag').selectOption('101');
  await page.getByTestId('mass-send').click();
  await expect(page.getByTestId('error-video_title')).toHaveText('请填写视频标题');
  const title = `新店开业 ${Date.now() % 100000}`;
  await page.getByTestId('mass-video-title').fill(title);
  await page.getByTestId('mass-video-description').fill('三分钟带你逛新店');
  await expect(page.getByTestId('error-video_title')).toBeHidden();
  await page.screenshot({ path: 'test-results/shots/oa-mass-video-1440-zh.png', fullPage: true });
  await page.getByTestId('mass-send').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('toast').filter({ hasText: '已提交群发' })).toBeVisible();

  await sim(page.request, 'POST', '/clock/advance', { seconds: 31 });
  const row = page.getByTestId('mass-job').first();
  await expect(row).toHaveAttribute('data-status', 'sent', { timeout: 20_000 });
  // Each tagged follower got the video under the title typed here.
  for (const [openid] of tagged) {
    const box = await sim(page.request, 'GET', `/oa/${appid}/followers/${openid}/inbox`);
    const got = box.filter((m: any) => m.source === 'mass' && m.msg_type === 'mpvideo' && m.content.title === title);
    expect(got.length).toBe(1);
    expect(got[0].content.media_id).not.toBe(material.media_id);
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId('mass-type-video').check();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: 'test-results/shots/oa-mass-video-390-zh.png', fullPage: true });
});
