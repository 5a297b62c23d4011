import { test, expect, ADMIN_STORAGE } from './fixtures';
import type { APIRequestContext } from '@playwright/test';

test.use({ storageState: ADMIN_STORAGE });

// A 1×1 PNG.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c63f8cfc0f01f00050001ff89993d1d0000000049454e44ae426082',
  'hex',
);

async function sandboxOa(request: APIRequestContext): Promise<number> {
  const list = await (await request.get('/api/accounts')).json();
  const oa = list.find(
    (a: { environment: string; kind: string }) => a.environment === 'sandbox' && a.kind === 'official_account',
  );
  expect(oa, 'the sandbox demo Official Account').toBeTruthy();
  return oa.id;
}

async function firstFollower(request: APIRequestContext, id: number): Promise<string> {
  const page = await (await request.get(`/api/accounts/${id}/sandbox/followers?page=1`)).json();
  return page.items.find((p: { subscribed: boolean }) => p.subscribed).id;
}

test('build a two-level menu tied to a rule, publish, click it as a follower, roll back', async ({ page }) => {
  const id = await sandboxOa(page.request);
  const rule = await page.request.post(`/api/accounts/${id}/reply-rules`, {
    data: {
      name: 'e2e menu click',
      triggers: [{ type: 'menu_click', key: 'E2E_TODAY' }],
      replies: [{ type: 'text', content: 'e2e 今日推荐' }],
    },
  });
  expect(rule.status()).toBe(201);

  await page.goto(`/accounts/${id}/menus`);
  await expect(page.getByTestId('menu-phone')).toBeVisible();

  // Top-level click button tied to the rule.
  await page.getByTestId('menu-add-top').click();
  await page.getByTestId('menu-field-name').fill('今日');
  await page.getByTestId('menu-field-key').fill('NO_RULE_YET');
  await expect(page.getByTestId('menu-key-unmatched')).toBeVisible();
  await page.getByTestId('menu-field-key').fill('E2E_TODAY');
  await expect(page.getByTestId('menu-key-unmatched')).toBeHidden();

  // A second top-level button with a sub-button opening a web page.
  await page.getByTestId('menu-add-top').click();
  await page.getByTestId('menu-field-name').fill('更多');
  await page.getByTestId('menu-add-sub-1').click();
  await page.getByTestId('menu-field-name').fill('官网');
  await page.getByTestId('menu-field-type').selectOption('view');
  await page.getByTestId('menu-field-url').fill('ftp://example.com');
  await expect(page.getByTestId('error-menu-url')).toBeVisible();
  await expect(page.getByTestId('menu-publish')).toBeDisabled();
  await page.getByTestId('menu-field-url').fill('https://example.com/');
  await expect(page.getByTestId('error-menu-url')).toBeHidden();

  await page.getByTestId('menu-publish').click();
  await expect(page.getByTestId('menu-publish-warning')).toBeVisible();
  await page.getByTestId('menu-note').fill('e2e first');
  await page.getByTestId('menu-publish-confirm').click();
  await expect(page.getByTestId('menu-version').first()).toHaveAttribute('data-number', '1');

  // What WeChat (the emulator) now shows this follower.
  const follower = await firstFollower(page.request, id);
  const seen = await (
    await page.request.post(`/api/accounts/${id}/menu/trymatch`, { data: { user_id: follower } })
  ).json();
  expect(seen.buttons[0].key).toBe('E2E_TODAY');
  expect(seen.buttons[1].sub_button[0].url).toBe('https://example.com/');

  // Click it as a follower in the sandbox panel and get the rule's reply.
  await page.goto(`/accounts/${id}`);
  await page.getByTestId('simulate-action').selectOption('click');
  await page.getByTestId('simulate-text').fill('E2E_TODAY');
  await page.getByTestId('simulate-send').click();
  await expect(page.getByTestId('simulate-result')).toContainText('e2e 今日推荐');

  // Version 2 renames the first button; roll back to version 1.
  await page.getByTestId('tab-menus').click();
  await page.getByTestId('menu-btn-0').click();
  await page.getByTestId('menu-field-name').fill('明日');
  await page.getByTestId('menu-publish').click();
  await page.getByTestId('menu-publish-confirm').click();
  await expect(page.getByTestId('menu-version').first()).toHaveAttribute('data-number', '2');
  await page.locator('[data-testid="menu-version"][data-number="1"]').getByTestId('menu-version-rollback').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('menu-version').first()).toHaveAttribute('data-number', '3');
  const after = await (
    await page.request.post(`/api/accounts/${id}/menu/trymatch`, { data: { user_id: follower } })
  ).json();
  expect(after.buttons[0].name).toBe('今日');
  // The diff of version 2 against version 1 names the renamed button.
  await page.locator('[data-testid="menu-version"][data-number="2"]').getByTestId('menu-version-compare').click();
  await expect(page.getByTestId('menu-diff')).toContainText('明日');
});

test('upload an image material and use it in an image auto-reply', async ({ page }) => {
  const id = await sandboxOa(page.request);
  await page.goto(`/accounts/${id}/materials`);
  await page.getByTestId('upload-kind').selectOption('image');
  // WeChat's type limits are checked before sending.
  await page.getByTestId('upload-file').setInputFiles({ name: 'bad.webp', mimeType: 'image/webp', buffer: PNG });
  await expect(page.getByTestId('upload-error')).toBeVisible();
  await page.getByTestId('upload-file').setInputFiles({ name: 'e2e-logo.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.getByTestId('upload-error')).toBeHidden();
  await page.getByTestId('upload-submit').click();
  const row = page.getByTestId('material-row').filter({ hasText: 'e2e-logo.png' });
  await expect(row).toBeVisible();
  const mediaId = await row.getAttribute('data-media-id');
  expect(mediaId).toBeTruthy();
  // The thumbnail is the image's bytes, served through the portal.
  await expect(row.locator('img.mat-thumb')).toHaveJSProperty('naturalWidth', 1);

  // The image auto-reply is made in the rule editor, choosing the uploaded image in the picker.
  await page.goto(`/accounts/${id}/rules`);
  await page.getByTestId('rule-new').click();
  const editor = page.getByTestId('rule-editor');
  await editor.getByTestId('rule-name').fill('e2e image reply');
  await editor.getByTestId('trigger-pattern').fill('e2e 图片');
  await editor.getByTestId('reply-kind').selectOption('image');
  // A media id can still be typed by hand; the picker then replaces it.
  await editor.getByTestId('reply-media').fill('typed-by-hand');
  await expect(editor.getByTestId('reply-media')).toHaveValue('typed-by-hand');
  await editor.getByTestId('reply-media-picker-open').click();
  await page.locator(`[data-testid="picker-item"][data-media-id="${mediaId}"]`).click();
  await expect(editor.getByTestId('reply-media')).toHaveValue(mediaId!);
  await expect(editor.locator('.field-error')).toHaveCount(0);
  await editor.getByTestId('rule-save').click();
  await expect(page.getByTestId('rule-editor')).toHaveCount(0);
  await expect(page.getByTestId('rule-row').filter({ hasText: 'e2e image reply' })).toContainText(mediaId!);

  const follower = await firstFollower(page.request, id);
  const act = await (
    await page.request.post(`/api/accounts/${id}/sandbox/act`, {
      data: { type: 'text', subject: follower, content: 'e2e 图片' },
    })
  ).json();
  expect(JSON.stringify(act)).toContain(mediaId);

  // The staff reply box offers the same picker for an image reply (the follower just wrote, so
  // the 48-hour window is open); the follower receives that media id.
  await page.goto(`/accounts/${id}/messages`);
  await page.getByTestId('conversation-item').filter({ hasText: follower }).first().click();
  const conv = page.getByTestId('conversation');
  await conv.getByTestId('reply-type').selectOption('image');
  await conv.getByTestId('reply-media-picker-open').click();
  await page.locator(`[data-testid="picker-item"][data-media-id="${mediaId}"]`).click();
  await expect(conv.getByTestId('reply-text')).toHaveValue(mediaId!);
  await conv.getByTestId('reply-send').click();
  await expect(conv.getByTestId('reply-text')).toHaveValue('');
  const acct = await (await page.request.get(`/api/accounts/${id}`)).json();
  const inbox = await (
    await page.request.get(`/sandbox/_sim/oa/${acct.settings.app_id}/followers/${follower}/inbox`)
  ).json();
  expect(inbox.some((i: { source: string }) => i.source === 'custom' && JSON.stringify(i).includes(mediaId!))).toBe(
    true,
  );
});

test('write a draft with an inline image and publish it', async ({ page, baseURL }) => {
  const id = await sandboxOa(page.request);
  // A cover material first (through the API: the upload UI is covered above).
  const cover = await page.request.post(`/api/accounts/${id}/materials`, {
    headers: { 'x-wxportal-upload': '1' },
    multipart: { kind: 'image', file: { name: 'cover.png', mimeType: 'image/png', buffer: PNG } },
  });
  expect(cover.status()).toBe(201);

  await page.goto(`/accounts/${id}/drafts`);
  await page.getByTestId('draft-new').click();
  await page.getByTestId('draft-save').click();
  await expect(page.getByTestId('error-title')).toBeVisible();
  await page.getByTestId('draft-title').fill('e2e 第一篇图文');
  await page.getByTestId('draft-author').fill('编辑部');
  // The body is rich text: the image is uploaded through uploadimg and shown through the portal.
  await page.getByTestId('draft-content').fill('你好，世界');
  await page.getByTestId('draft-insert-image').setInputFiles({ name: 'inline.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.getByTestId('draft-content').locator('img')).toHaveAttribute('data-wx-src', /mmbiz\.qpic\.cn/);
  await page.getByTestId('draft-cover-open').click();
  await page.getByTestId('picker-item').first().click();
  await page.getByTestId('draft-save').click();
  await expect(page).toHaveURL(/\/drafts\/\d+$/);
  await expect(page.getByTestId('draft-state')).toHaveAttribute('data-status', 'draft');

  await page.getByTestId('draft-publish').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('draft-state')).toHaveAttribute('data-status', 'publishing');
  // WeChat finishes the job 30 (emulated) seconds later and pushes PUBLISHJOBFINISH.
  const adv = await page.request.post(`${baseURL}/sandbox/_sim/clock/advance`, { data: { seconds: 31 } });
  expect(adv.ok()).toBeTruthy();
  await expect(page.getByTestId('draft-state')).toHaveAttribute('data-status', 'published', { timeout: 20_000 });
  await expect(page.getByTestId('draft-links')).toContainText('mp.weixin.qq.com');
});
