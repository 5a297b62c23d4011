import { test, expect, ADMIN_STORAGE } from './fixtures';

test.use({ storageState: ADMIN_STORAGE });

// The demo Official Account of the sandbox (`serve --sandbox` creates it on first start).
async function demoOa(request: import('@playwright/test').APIRequestContext): Promise<number> {
  const list = await (await request.get('/api/accounts')).json();
  const oa = list.find((a: any) => a.environment === 'sandbox' && a.kind === 'official_account');
  expect(oa, 'a sandbox demo Official Account').toBeTruthy();
  return oa.id;
}

test('keyword rule → simulator → follower message → conversation → staff reply → inspector', async ({ page }) => {
  const id = await demoOa(page.request);
  const keyword = `e2e-${Date.now()}`;

  // 1. Create a keyword rule in the editor (validated as you type).
  await page.goto(`/accounts/${id}/rules`);
  await page.getByTestId('rule-new').click();
  const editor = page.getByTestId('rule-editor');
  await editor.getByTestId('rule-save').click();
  await expect(editor.locator('.field-error').first()).toBeVisible();
  await editor.getByTestId('rule-name').fill('e2e 关键词');
  await editor.getByTestId('trigger-pattern').fill(keyword);
  await editor.getByTestId('reply-text').fill('您好，{openid}，我们收到了');
  await expect(editor.locator('.field-error')).toHaveCount(0);
  await editor.getByTestId('rule-save').click();
  await expect(page.getByTestId('rule-editor')).toHaveCount(0);
  const row = page.getByTestId('rule-row').filter({ hasText: 'e2e 关键词' });
  await expect(row).toBeVisible();
  await expect(row.getByTestId('rule-hits')).toHaveText('0');

  // 2. Simulate it: the rule fires and the reply XML is shown; hits stay 0.
  await page.getByTestId('rule-sim-text').fill(keyword);
  await page.getByTestId('rule-sim-run').click();
  await expect(page.getByTestId('rule-sim-fired')).toHaveText('e2e 关键词');
  await expect(page.getByTestId('rule-sim-xml')).toContainText('我们收到了');

  // 3. Send as a follower from the sandbox panel; the follower sees the reply.
  await page.goto(`/accounts/${id}`);
  const panel = page.getByTestId('simulate-panel');
  await expect(panel.getByTestId('simulate-subject').locator('option').first()).not.toHaveText('…');
  const openid = await panel.getByTestId('simulate-subject').inputValue();
  expect(openid).toMatch(/^o/);
  await panel.getByTestId('simulate-text').fill(keyword);
  await panel.getByTestId('simulate-send').click();
  await expect(panel.getByTestId('simulate-result').locator('[data-source="passive_reply"]')).toContainText('我们收到了');

  // The hit is counted once.
  await page.goto(`/accounts/${id}/rules`);
  await expect(page.getByTestId('rule-row').filter({ hasText: 'e2e 关键词' }).getByTestId('rule-hits')).toHaveText('1');

  // 4. The conversation in the message log.
  await page.goto(`/accounts/${id}/messages`);
  await page.getByTestId('messages-search').fill(keyword);
  await page.getByTestId('messages-search').press('Enter');
  const msg = page.getByTestId('message-row').filter({ hasText: keyword }).first();
  await expect(msg).toBeVisible();
  // Clicking the row (not the follower's id, which opens the conversation) shows the detail.
  await msg.getByText(keyword).click();
  await expect(page.getByTestId('message-detail')).toContainText(`<Content><![CDATA[${keyword}]]></Content>`);
  await page.getByTestId('conversation-item').filter({ hasText: openid }).click();
  const conv = page.getByTestId('conversation');
  await expect(conv.getByTestId('conversation-message').filter({ hasText: keyword })).toBeVisible();
  await expect(conv.getByTestId('conversation-message').filter({ hasText: '我们收到了' })).toBeVisible();

  // 5. Reply from it (customer-service API, within the 48-hour window).
  await expect(conv.getByTestId('reply-window')).toBeVisible();
  await conv.getByTestId('reply-send').click();
  await expect(conv.locator('.field-error')).toBeVisible();
  await conv.getByTestId('reply-text').fill('人工客服为您服务');
  await conv.getByTestId('reply-send').click();
  await expect(conv.getByTestId('conversation-message').filter({ hasText: '人工客服为您服务' })).toContainText('已发送');
  // The emulator recorded what the follower saw.
  const acct = await (await page.request.get(`/api/accounts/${id}`)).json();
  const inbox = await (await page.request.get(`/sandbox/_sim/oa/${acct.settings.app_id}/followers/${openid}/inbox`)).json();
  expect(inbox.some((i: any) => i.source === 'custom' && i.content?.content === '人工客服为您服务')).toBe(true);

  // 6. The inspector: the delivery, its decrypted XML, and a replay that counts nothing twice.
  await page.goto(`/accounts/${id}/inspector`);
  const delivery = page.getByTestId('delivery-row').filter({ hasText: 'passive' }).first();
  await expect(delivery).toBeVisible();
  await delivery.click();
  await expect(page.getByTestId('delivery-decrypted')).toContainText(keyword);
  await page.getByTestId('delivery-replay').click();
  await expect(page.getByTestId('replay-result')).toHaveAttribute('data-outcome', 'duplicate');
  await page.goto(`/accounts/${id}/rules`);
  await expect(page.getByTestId('rule-row').filter({ hasText: 'e2e 关键词' }).getByTestId('rule-hits')).toHaveText('1');
});
