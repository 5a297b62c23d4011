import { test, expect, ADMIN_STORAGE } from './fixtures';

test.use({ storageState: ADMIN_STORAGE });

const SHOTS = process.env.WM_SHOTS ?? 'test-results/shots';

async function demoWork(request: any): Promise<{ id: number; corpid: string }> {
  const list = await (await request.get('/api/accounts')).json();
  const a = list.find((x: any) => x.environment === 'sandbox' && x.kind === 'work_app');
  expect(a, 'the sandbox demo WeCom app').toBeTruthy();
  const full = await (await request.get(`/api/accounts/${a.id}`)).json();
  return { id: a.id, corpid: full.settings.corp_id };
}

/** The app messages in a member's emulator inbox. */
async function inbox(request: any, corpid: string, userid: string): Promise<any[]> {
  const res = await request.get(`/sandbox/_sim/work/${corpid}/members/${userid}/inbox`);
  expect(res.ok()).toBeTruthy();
  return (await res.json()).filter((m: any) => m.source === 'app_message');
}

async function syncContacts(request: any, id: number) {
  const r = await request.post(`/api/accounts/${id}/contacts/sync`, { data: {} });
  expect([202, 409]).toContain(r.status());
  await expect
    .poll(async () => (await (await request.get(`/api/accounts/${id}/contacts/sync`)).json()).job?.status, { timeout: 90_000 })
    .toMatch(/^(succeeded|partial)$/);
}

/** Beijing date and hh:mm of a moment. */
function beijing(ms: number): { date: string; time: string } {
  const iso = new Date(ms + 8 * 3600_000).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

async function setWhen(page: any, when: { date: string; time: string }) {
  await page.getByTestId('wm-schedule-date').fill(when.date);
  await page.getByTestId('wm-schedule-date').press('Tab');
  await page.getByTestId('wm-schedule-time').fill(when.time);
  await page.getByTestId('wm-schedule-time').press('Tab');
}

test('save a draft, edit it, schedule it for now and see it sent; schedule another, cancel and delete it', async ({ page }) => {
  test.setTimeout(240_000);
  const { id, corpid } = await demoWork(page.request);
  await syncContacts(page.request, id);
  const all = (await (await page.request.get(`/api/accounts/${id}/contacts/members?per_page=200`)).json()).items;
  const member = all.find((m: any) => m.status === 'active') ?? all[0];
  expect(member, 'a member').toBeTruthy();

  await page.goto(`/accounts/${id}/send`);
  if (((await page.locator('html').getAttribute('lang')) ?? '').startsWith('en')) {
    await page.getByTestId('lang-switch').first().click();
  }
  await expect(page.getByTestId('tab-send')).toHaveText('发送消息');
  await expect(page.getByTestId('wm-drafts')).toBeVisible();

  // A draft: the member and a first text.
  await page.getByTestId('picker-pane-members').check();
  await page.getByTestId('picker-member-search').fill(member.userid);
  await page.getByTestId(`picker-member-${member.userid}`).check();
  const first = `草稿：季度总结提纲 ${Date.now()}`;
  await page.getByTestId('wm-body').fill(first);
  await page.getByTestId('wm-save-draft').click();
  await expect(page.getByTestId('toast').filter({ hasText: '已存为草稿' })).toBeVisible();
  await expect(page.getByTestId('wm-body')).toHaveValue('');
  const row = page.getByTestId('wm-draft-row').filter({ hasText: first });
  await expect(row).toHaveAttribute('data-state', 'draft');
  await expect(row.getByTestId('wm-draft-state')).toHaveText('草稿');

  // Edit it: the composer gets it back, recipients included.
  await row.getByTestId('wm-draft-edit').click();
  await expect(page.getByTestId('wm-editing')).toContainText(first);
  await expect(page.getByTestId('wm-body')).toHaveValue(first);
  await expect(page.getByTestId('picker-chip')).toHaveCount(1);
  const text = `定时：季度总结会改到周五 ${Date.now()}`;
  await page.getByTestId('wm-body').fill(text);

  // Schedule: a time in the past is refused in Chinese, then the current minute goes.
  await page.getByTestId('wm-schedule').click();
  await expect(page.getByTestId('wm-schedule-box')).toBeVisible();
  await expect(page.getByTestId('wm-schedule-box')).toContainText('北京时间');
  await setWhen(page, beijing(Date.now() - 2 * 3600_000));
  await page.getByTestId('wm-schedule-confirm').click();
  await expect(page.getByTestId('error-scheduled_at')).toHaveText('发送时间已过，请选择将来的时间');
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.getByTestId('wm-compose').screenshot({ path: `${SHOTS}/schedule-1440-zh.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId('wm-schedule-box').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/schedule-390-zh.png` });
  await page.setViewportSize({ width: 1280, height: 720 });
  await setWhen(page, beijing(Date.now()));
  await page.getByTestId('wm-schedule-confirm').click();
  await expect(page.getByTestId('toast').filter({ hasText: '已定时' })).toBeVisible();
  await expect(page.getByTestId('wm-editing')).toHaveCount(0);
  await expect(page.getByTestId('wm-draft-row').filter({ hasText: first })).toHaveCount(0);

  // The server's worker sends it: the list follows it until it is sent.
  const sched = page.getByTestId('wm-draft-row').filter({ hasText: text });
  await expect(sched).toHaveAttribute('data-state', 'sent', { timeout: 60_000 });
  await expect(sched).toHaveAttribute('data-message-state', 'sent');
  await expect(sched.getByTestId('wm-draft-state')).toHaveText('已发送');
  await expect(sched.getByTestId('wm-draft-message')).toContainText('发送记录 #');
  await expect(page.getByTestId('wm-row').filter({ hasText: text })).toHaveAttribute('data-state', 'sent');
  const box = await inbox(page.request, corpid, member.userid);
  expect(box.filter((m: any) => JSON.stringify(m.content).includes(text)).length).toBe(1);

  // The recipients stay chosen. Another one an hour ahead: cancelled (kept as a draft), then
  // deleted after confirming.
  await expect(page.getByTestId('picker-chip')).toHaveCount(1);
  const later = `不会发出的定时消息 ${Date.now()}`;
  await page.getByTestId('wm-body').fill(later);
  await page.getByTestId('wm-schedule').click();
  await setWhen(page, beijing(Date.now() + 3600_000));
  await page.getByTestId('wm-schedule-confirm').click();
  const laterRow = page.getByTestId('wm-draft-row').filter({ hasText: later });
  await expect(laterRow).toHaveAttribute('data-state', 'scheduled');
  await expect(laterRow.getByTestId('wm-draft-state')).toHaveText('已定时');
  await page.screenshot({ path: `${SHOTS}/drafts-1280-zh.png`, fullPage: true });
  await laterRow.getByTestId('wm-draft-cancel').click();
  await expect(page.getByTestId('toast').filter({ hasText: '已取消定时' })).toBeVisible();
  await expect(laterRow).toHaveAttribute('data-state', 'draft');
  await laterRow.getByTestId('wm-draft-delete').click();
  await expect(page.getByTestId('confirm-text')).toContainText(later);
  await page.getByTestId('confirm-ok').click();
  await expect(laterRow).toHaveCount(0);
  expect((await inbox(page.request, corpid, member.userid)).some((m: any) => JSON.stringify(m.content).includes(later))).toBeFalsy();
});
