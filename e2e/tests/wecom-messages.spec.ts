import { test, expect, ADMIN_STORAGE } from './fixtures';

test.use({ storageState: ADMIN_STORAGE });

const SHOTS = process.env.WM_SHOTS ?? 'test-results/shots';

// The sandbox demo WeCom app, and the emulator's control API ("WeCom's own console").
async function demoWork(request: any): Promise<{ id: number; corpid: string; agentid: number }> {
  const list = await (await request.get('/api/accounts')).json();
  const a = list.find((x: any) => x.environment === 'sandbox' && x.kind === 'work_app');
  expect(a, 'the sandbox demo WeCom app').toBeTruthy();
  const full = await (await request.get(`/api/accounts/${a.id}`)).json();
  return { id: a.id, corpid: full.settings.corp_id, agentid: full.settings.agent_id };
}

async function sim(request: any, path: string) {
  const res = await request.get(`/sandbox/_sim${path}`);
  expect(res.ok(), `GET ${path}: ${res.status()}`).toBeTruthy();
  return res.json();
}

/** The app messages in a member's emulator inbox. */
async function inbox(request: any, corpid: string, userid: string): Promise<any[]> {
  const box = await sim(request, `/work/${corpid}/members/${userid}/inbox`);
  return box.filter((m: any) => m.source === 'app_message');
}

/** The picker reads the contacts mirror: fill it from the emulator first. */
async function syncContacts(request: any, id: number) {
  const r = await request.post(`/api/accounts/${id}/contacts/sync`, { data: {} });
  expect([202, 409]).toContain(r.status());
  await expect
    .poll(async () => (await (await request.get(`/api/accounts/${id}/contacts/sync`)).json()).job?.status, { timeout: 90_000 })
    .toMatch(/^(succeeded|partial)$/);
}

async function shoot(page: any, name: string) {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

test('pick a department and a member, send text and a textcard, recall, invalid users, app menu', async ({ page }) => {
  test.setTimeout(240_000);
  const { id, corpid, agentid } = await demoWork(page.request);
  await syncContacts(page.request, id);

  // A leaf department with a few members, and a member outside it.
  const depts = (await (await page.request.get(`/api/accounts/${id}/contacts/departments`)).json()).departments;
  const leaf = depts.find((d: any) => d.member_count >= 1 && d.member_count <= 8 && !depts.some((c: any) => c.parent_id === d.id));
  expect(leaf, 'a small leaf department').toBeTruthy();
  const inDept = (await (await page.request.get(`/api/accounts/${id}/contacts/members?department=${leaf.id}&per_page=200`)).json()).items;
  const all = (await (await page.request.get(`/api/accounts/${id}/contacts/members?per_page=200`)).json()).items;
  const outsider = all.find((m: any) => !inDept.some((x: any) => x.userid === m.userid) && m.status === 'active') ??
    all.find((m: any) => !inDept.some((x: any) => x.userid === m.userid));
  expect(outsider, 'a member outside the department').toBeTruthy();
  const receivers: string[] = [...inDept.map((m: any) => m.userid), outsider.userid];

  await page.goto(`/accounts/${id}/send`);
  await expect(page.getByTestId('tab-send')).toHaveClass(/tab-current/);
  // This spec reads Chinese texts; an earlier spec may have left the admin in English.
  if (((await page.locator('html').getAttribute('lang')) ?? '').startsWith('en')) {
    await page.getByTestId('lang-switch').first().click();
  }
  await expect(page.getByTestId('tab-send')).toHaveText('发送消息');
  await expect(page.getByTestId('wm-usage')).toBeVisible();

  // Inline validation before anything is chosen.
  await page.getByTestId('wm-send').click();
  await expect(page.getByTestId('error-recipients')).toBeVisible();
  await expect(page.getByTestId('error-content.content')).toBeVisible();

  // The department through the tree's filter, the member through the search.
  await page.getByTestId('picker-dept-filter').fill(leaf.name);
  await page.getByTestId(`picker-dept-${leaf.id}`).check();
  await page.getByTestId('picker-pane-members').check();
  await page.getByTestId('picker-member-search').fill(outsider.userid);
  await page.getByTestId(`picker-member-${outsider.userid}`).check();
  await expect(page.getByTestId('picker-chip')).toHaveCount(2);
  await expect(page.getByTestId('recipient-count')).toHaveAttribute('data-count', String(receivers.length));
  await expect(page.getByTestId('error-recipients')).toBeHidden();

  const text = `周五下午三点全员会议 ${Date.now()}`;
  await page.getByTestId('wm-body').fill(text);
  await expect(page.getByTestId('error-content.content')).toBeHidden();
  await shoot(page, 'send-1440-zh');
  await page.getByTestId('wm-send').click();
  await expect(page.getByTestId('confirm-text')).toContainText('1 个部门');
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('toast').filter({ hasText: '已发送' })).toBeVisible();
  await expect(page.getByTestId('wm-last')).toHaveAttribute('data-state', 'sent');

  const textRow = page.getByTestId('wm-row').filter({ hasText: text });
  await expect(textRow).toHaveAttribute('data-state', 'sent');
  await expect(textRow.getByTestId('wm-row-state')).toHaveText('已发送');
  // Exactly the department's members and the chosen member got it.
  for (const u of receivers) {
    const box = await inbox(page.request, corpid, u);
    expect(box.filter((m: any) => JSON.stringify(m.content).includes(text)).length, u).toBe(1);
  }
  const other = all.find((m: any) => !receivers.includes(m.userid));
  if (other) {
    const box = await inbox(page.request, corpid, other.userid);
    expect(box.some((m: any) => JSON.stringify(m.content).includes(text))).toBeFalsy();
  }

  // A textcard to the same recipients (they stay chosen after a send).
  await page.getByTestId('wm-type-textcard').check();
  await page.getByTestId('wm-send').click();
  await expect(page.getByTestId('error-content.title')).toBeVisible();
  const title = `报销审批提醒 ${Date.now()}`;
  await page.getByTestId('wm-title').fill(title);
  await page.getByTestId('wm-description').fill('您有 2 笔报销单待审批');
  await page.getByTestId('wm-url').fill('ftp://example.com');
  await expect(page.getByTestId('error-content.url')).toContainText('http');
  await page.getByTestId('wm-url').fill('https://example.com/approve');
  await page.getByTestId('wm-btntxt').fill('去审批');
  await page.getByTestId('wm-send').click();
  await page.getByTestId('confirm-ok').click();
  const cardRow = page.getByTestId('wm-row').filter({ hasText: title });
  await expect(cardRow).toHaveAttribute('data-state', 'sent');
  await expect(cardRow).toHaveAttribute('data-type', 'textcard');
  const card = (await inbox(page.request, corpid, outsider.userid)).find((m: any) => m.msg_type === 'textcard' && JSON.stringify(m.content).includes(title));
  expect(card, 'the textcard in the emulator inbox').toBeTruthy();
  expect(card.content.textcard.url).toBe('https://example.com/approve');

  // Filters: only textcards.
  await page.getByTestId('wm-filter-type').selectOption('textcard');
  await expect(page.getByTestId('wm-row').filter({ hasText: text })).toHaveCount(0);
  await expect(cardRow).toBeVisible();
  await page.getByTestId('wm-filter-type').selectOption('');

  // Recall the text message, confirmed first; it leaves the inboxes.
  await textRow.getByTestId('wm-row-recall').click();
  await expect(page.getByTestId('confirm-text')).toContainText(text);
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('toast').filter({ hasText: '已撤回' })).toBeVisible();
  await expect(textRow).toHaveAttribute('data-state', 'recalled');
  await expect(textRow.getByTestId('wm-row-recall')).toHaveCount(0);
  expect((await inbox(page.request, corpid, outsider.userid)).some((m: any) => JSON.stringify(m.content).includes(text))).toBeFalsy();

  // A member and an unknown userid: delivered, and WeChat's invaliduser shown.
  for (let n = await page.getByTestId('picker-chip-remove').count(); n > 0; n--) {
    await page.getByTestId('picker-chip-remove').first().click();
  }
  await page.getByTestId('wm-type-text').check();
  await page.getByTestId('picker-pane-members').check();
  await page.getByTestId('picker-member-search').fill(outsider.userid);
  await page.getByTestId(`picker-member-${outsider.userid}`).check();
  const ghost = `ghost${Date.now() % 100000}`;
  await page.getByTestId('picker-member-search').fill(ghost);
  await page.getByTestId('picker-add-userid').click();
  await expect(page.getByTestId('picker-chip')).toHaveCount(2);
  const mixed = `部分无效 ${Date.now()}`;
  await page.getByTestId('wm-body').fill(mixed);
  await page.getByTestId('wm-send').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('wm-last').getByTestId('wm-invalid-users')).toContainText(ghost);
  await expect(page.getByTestId('wm-last').getByTestId('wm-invalid-users')).toContainText('无效成员');
  const mixedRow = page.getByTestId('wm-row').filter({ hasText: mixed });
  await expect(mixedRow.getByTestId('wm-row-invalid')).toBeVisible();
  await mixedRow.getByTestId('wm-row-detail').click();
  await expect(page.getByTestId('wm-detail')).toBeVisible();
  await expect(page.getByRole('dialog').getByTestId('wm-invalid-users')).toContainText(ghost);
  await page.getByTestId('wm-detail-close').click();

  // Only an unknown userid: WeCom refuses (81013), stored as failed, with a retry.
  await page.getByTestId('picker-chip-remove').first().click();
  await expect(page.getByTestId('picker-chip')).toHaveCount(1);
  const lost = `无人接收 ${Date.now()}`;
  await page.getByTestId('wm-body').fill(lost);
  await page.getByTestId('wm-send').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('toast').filter({ hasText: '81013' })).toBeVisible();
  await expect(page.getByTestId('wm-last').getByTestId('wm-part-error')).toContainText('接收人全部无效');
  const lostRow = page.getByTestId('wm-row').filter({ hasText: lost });
  await expect(lostRow).toHaveAttribute('data-state', 'failed');
  await expect(lostRow.getByTestId('wm-row-retry')).toBeVisible();
  await page.getByTestId('wm-filter-state').selectOption('failed');
  await expect(lostRow).toBeVisible();
  await expect(page.getByTestId('wm-row').filter({ hasText: mixed })).toHaveCount(0);
  await page.getByTestId('wm-filter-state').selectOption('');
  await shoot(page, 'send-log-1440-zh');

  // The phone width, then English, at both widths; nothing wider than the screen.
  const noOverflow = async () => {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  };
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  await noOverflow();
  await shoot(page, 'send-390-zh');
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('tab-send')).toHaveText('Send');
  await page.waitForTimeout(300);
  await noOverflow();
  await shoot(page, 'send-390-en');
  await page.setViewportSize({ width: 1440, height: 900 });
  await shoot(page, 'send-1440-en');

  // The app menu: publish, and the emulator holds it for the agent.
  await page.goto(`/accounts/${id}/menus`);
  await expect(page.getByTestId('tab-menus')).toHaveClass(/tab-current/);
  await expect(page.getByTestId('wcm-agent')).toContainText(String(agentid));
  const addTop = page.getByTestId('menu-add-top');
  while ((await page.getByTestId('menu-btn-0').count()) > 0) {
    await page.getByTestId('menu-btn-0').click();
    await page.getByTestId('menu-remove').click();
  }
  await addTop.click();
  await page.getByTestId('menu-field-name').fill('打卡');
  await page.getByTestId('menu-field-key').fill('CHECK_IN');
  // WeCom's types only: no materials or articles.
  await expect(page.getByTestId('menu-field-type').locator('option[value="media_id"]')).toHaveCount(0);
  await addTop.click();
  await page.getByTestId('menu-field-name').fill('门户');
  await page.getByTestId('menu-field-type').selectOption('view');
  await page.getByTestId('menu-field-url').fill('https://example.com/portal');
  await page.getByTestId('menu-publish').click();
  await page.getByTestId('menu-publish-confirm').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Published' })).toBeVisible();
  await expect
    .poll(async () => {
      const corp = await sim(page.request, `/work/${corpid}`);
      return JSON.stringify(corp.menus?.[String(agentid)] ?? null);
    })
    .toContain('CHECK_IN');
  const corp = await sim(page.request, `/work/${corpid}`);
  const menu = corp.menus[String(agentid)];
  expect(menu.map((b: any) => b.name)).toEqual(['打卡', '门户']);
  expect(menu[1].url).toBe('https://example.com/portal');
  await shoot(page, 'menus-1440-en');
  await page.setViewportSize({ width: 390, height: 844 });
  await noOverflow();
  await shoot(page, 'menus-390-en');
  // Back to Chinese: the language is remembered for the admin.
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('tab-menus')).toHaveText('应用菜单');
  await shoot(page, 'menus-390-zh');
});
