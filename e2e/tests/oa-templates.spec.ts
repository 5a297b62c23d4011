import { test, expect, ADMIN_STORAGE } from './fixtures';

test.use({ storageState: ADMIN_STORAGE });

// Screenshots for people to look at (not committed).
const SHOTS = 'test-results/shots';

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

async function noOverflow(page: any) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test('set the industry, add a template, send it to two followers and see each delivery state', async ({ page }) => {
  test.setTimeout(180_000);
  const { id, appid } = await demoOa(page.request);

  // The portal needs WeChat's followers first.
  await page.goto(`/accounts/${id}/followers`);
  await page.getByTestId('sync-start').click();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  const wx = await sim(page.request, 'GET', `/oa/${appid}`);
  const subscribed = Object.keys(wx.followers).filter((o) => wx.followers[o].subscribed);
  expect(subscribed.length).toBeGreaterThan(1);
  const [okOpenid, blockOpenid] = subscribed;
  // The second one refuses the account's template messages (WeChat: "failed:user block").
  await sim(page.request, 'POST', `/oa/${appid}/followers/${blockOpenid}`, { blocks_templates: true });

  await page.goto(`/accounts/${id}/templates`);
  await expect(page.getByTestId('tab-templates')).toHaveClass(/tab-current/);

  // Industry: both codes, then WeChat's names of them.
  await page.getByTestId('tpl-industry-edit').click();
  await page.getByTestId('tpl-industry-save').click();
  await expect(page.getByTestId('error-industry_id1')).toBeVisible();
  await page.getByTestId('tpl-industry1').selectOption('1');
  await page.getByTestId('tpl-industry2').selectOption('2');
  await page.getByTestId('tpl-industry-save').click();
  await expect(page.getByTestId('toast').filter({ hasText: '行业已设置' })).toBeVisible();
  await expect(page.getByTestId('tpl-industry-primary')).toContainText('行业1');
  await expect(page.getByTestId('tpl-industry-secondary')).toContainText('行业2');

  // Add from the library: a bad number is caught before WeChat is asked.
  await page.getByTestId('tpl-short-id').fill('ABC123');
  await page.getByTestId('tpl-add').click();
  await expect(page.getByTestId('error-template_id_short')).toContainText('TM');
  await page.getByTestId('tpl-short-id').fill('OPENTM207498902');
  await page.getByTestId('tpl-add').click();
  await expect(page.getByTestId('toast').filter({ hasText: '模板已添加' })).toBeVisible();
  const row = page.getByTestId('tpl-row').filter({ hasText: 'OPENTM207498902' });
  await expect(row).toHaveCount(1);
  // The field preview names every {{key.DATA}} of the content.
  await expect(row.getByTestId('tpl-fields').locator('.tpl-field')).toHaveText(['first', 'keyword1', 'keyword2', 'remark']);
  const templateId = await row.getAttribute('data-id');
  const templateTitle = (await row.getByTestId('tpl-title').textContent())!.trim();
  expect(templateTitle.length).toBeGreaterThan(0);
  await page.getByTestId('tpl-sync').click();
  await expect(page.getByTestId('toast').filter({ hasText: '已同步' })).toBeVisible();
  await expect(page.getByTestId('tpl-row').filter({ hasText: 'OPENTM207498902' })).toHaveCount(1);

  // The send form: pick the template from its row, then inline validation.
  await row.getByTestId('tpl-use').click();
  await expect(page.getByTestId('tpl-template')).toHaveValue(templateId!);
  await page.getByTestId('tpl-send-submit').click();
  await expect(page.getByTestId('error-data-first')).toBeVisible();
  await expect(page.getByTestId('error-recipients')).toBeVisible();

  const stamp = `${Date.now()}`;
  await page.getByTestId('tpl-value-first').fill(`您的订单已发货 ${stamp}`);
  await page.getByTestId('tpl-value-keyword1').fill('双十二礼盒');
  await page.getByTestId('tpl-color-keyword1').fill('red');
  await expect(page.getByTestId('error-data-keyword1')).toBeVisible();
  await page.getByTestId('tpl-color-keyword1').fill('#e4393c');
  await expect(page.getByTestId('error-data-keyword1')).toBeHidden();
  await page.getByTestId('tpl-value-keyword2').fill('2026年12月7日');
  await page.getByTestId('tpl-value-remark').fill('感谢您的支持');
  await expect(page.getByTestId('error-data-first')).toBeHidden();
  // The preview renders the values in their colours.
  await expect(page.getByTestId('tpl-preview-keyword1')).toHaveText('双十二礼盒');
  await expect(page.getByTestId('tpl-preview-keyword1')).toHaveAttribute('style', /#e4393c/);

  await page.getByTestId('tpl-jump-url').check();
  await page.getByTestId('tpl-url').fill('ftp://example.com');
  await expect(page.getByTestId('error-jump')).toBeVisible();
  await page.getByTestId('tpl-url').fill('https://example.com/orders/1');
  await expect(page.getByTestId('error-jump')).toBeHidden();

  // Recipients: two followers found by openid.
  for (const openid of [okOpenid, blockOpenid]) {
    await page.getByTestId('tpl-pick-search').fill(openid);
    const pick = page.locator(`[data-testid="tpl-pick"][data-openid="${openid}"]`);
    await pick.check();
    await expect(page.locator(`[data-testid="tpl-picked-chip"][data-openid="${openid}"]`)).toBeVisible();
  }
  await expect(page.getByTestId('error-recipients')).toBeHidden();
  await page.screenshot({ path: `${SHOTS}/templates-send-1440-zh.png`, fullPage: true });

  await page.getByTestId('tpl-send-submit').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('toast').filter({ hasText: '已开始发送' })).toBeVisible();

  // The job finishes; TEMPLATESENDJOBFINISH gives one success and one user block.
  const job = page.getByTestId('tpl-job').first();
  await expect(job).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await expect(job.getByTestId('tpl-count-delivered')).toHaveText('1', { timeout: 30_000 });
  await expect(job.getByTestId('tpl-count-user_block')).toHaveText('1');
  await expect(job.getByTestId('tpl-job-status')).toHaveText('已完成');
  // The job names its template by title, not by its long id.
  await expect(job.locator('.tpl-title')).toHaveText(templateTitle);

  // WeChat delivered it to the first follower only, with the values typed.
  const inbox = await sim(page.request, 'GET', `/oa/${appid}/followers/${okOpenid}/inbox`);
  const got = inbox.filter((m: any) => m.source === 'template' && JSON.stringify(m.content).includes(stamp));
  expect(got.length).toBe(1);
  expect(got[0].content.template_id).toBe(templateId);
  expect(got[0].content.touser).toBe(okOpenid);
  expect(got[0].content.url).toBe('https://example.com/orders/1');
  expect(got[0].content.data.keyword1).toEqual({ value: '双十二礼盒', color: '#e4393c' });
  const blocked = await sim(page.request, 'GET', `/oa/${appid}/followers/${blockOpenid}/inbox`);
  expect(blocked.filter((m: any) => m.source === 'template' && JSON.stringify(m.content).includes(stamp)).length).toBe(0);
  await page.screenshot({ path: `${SHOTS}/templates-1440-zh.png`, fullPage: true });

  // The delivery report: each recipient's state in words, filterable.
  await job.getByTestId('tpl-job-link').click();
  await expect(page.getByTestId('tpl-job-summary')).toBeVisible();
  await expect(page.getByTestId('tpl-job-template-title')).toHaveText(templateTitle);
  const ok = page.locator(`[data-testid="tpl-recipient"][data-openid="${okOpenid}"]`);
  await expect(ok).toHaveAttribute('data-state', 'delivered');
  await expect(ok.getByTestId('tpl-recipient-state')).toHaveText('送达成功');
  const bl = page.locator(`[data-testid="tpl-recipient"][data-openid="${blockOpenid}"]`);
  await expect(bl.getByTestId('tpl-recipient-state')).toHaveText('用户拒收');
  await page.getByTestId('tpl-state-filter').selectOption('user_block');
  await expect(page.getByTestId('tpl-recipient')).toHaveCount(1);
  await expect(bl).toBeVisible();
  await page.getByTestId('tpl-state-filter').selectOption('');
  await expect(page.getByTestId('tpl-recipient')).toHaveCount(2);
  const reportUrl = page.url();
  // The follower's own page keeps the log: this job, refused by the follower.
  await page.goto(`/accounts/${id}/followers/${encodeURIComponent(blockOpenid)}`);
  const log = page.getByTestId('follower-templates');
  await expect(log.getByTestId('follower-template').first()).toContainText('用户拒收');
  await page.goto(reportUrl);
  await page.screenshot({ path: `${SHOTS}/templates-report-1440-zh.png`, fullPage: true });

  // A phone: nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(ok).toBeVisible();
  await noOverflow(page);
  await page.screenshot({ path: `${SHOTS}/templates-report-390-zh.png`, fullPage: true });
  await page.goto(`/accounts/${id}/templates`);
  await expect(page.getByTestId('tpl-job').first()).toBeVisible();
  await page.getByTestId('tpl-row').first().getByTestId('tpl-use').click();
  await noOverflow(page);
  await page.screenshot({ path: `${SHOTS}/templates-390-zh.png`, fullPage: true });

  // English, at both widths.
  await page.getByTestId('lang-switch').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('tpl-job').first().getByTestId('tpl-job-status')).toHaveText('Finished');
  await noOverflow(page);
  await page.screenshot({ path: `${SHOTS}/templates-390-en.png`, fullPage: true });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: `${SHOTS}/templates-1440-en.png`, fullPage: true });
  await page.goto(reportUrl);
  await expect(bl.getByTestId('tpl-recipient-state')).toHaveText('Blocked by user');
  await page.screenshot({ path: `${SHOTS}/templates-report-1440-en.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(ok).toBeVisible();
  await noOverflow(page);
  await page.screenshot({ path: `${SHOTS}/templates-report-390-en.png`, fullPage: true });
  // Back to the default for the other specs.
  await page.getByTestId('lang-switch').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
});
