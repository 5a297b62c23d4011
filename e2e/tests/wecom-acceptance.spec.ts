import { test, expect, ADMIN_STORAGE } from './fixtures';

test.use({ storageState: ADMIN_STORAGE });

// Issue 13's acceptance flow in one go, against the sandbox's emulator: build a department,
// add a member to it, tag them, send a textcard to the tag through the picker and see it
// delivered (in the send log and in the emulator's inbox), publish an app menu (the emulator
// holds it), then the app's overview with its preflight, at 1440 and 390 px in both languages.

const SHOTS = process.env.WXPORTAL_SHOTS ?? 'test-results/shots';

async function demoWork(request: any): Promise<{ id: number; corpid: string; agentid: number }> {
  const list = await (await request.get('/api/accounts')).json();
  const a = list.find((x: any) => x.environment === 'sandbox' && x.kind === 'work_app');
  expect(a, 'the sandbox demo WeCom app').toBeTruthy();
  const full = await (await request.get(`/api/accounts/${a.id}`)).json();
  return { id: a.id, corpid: full.settings.corp_id, agentid: full.settings.agent_id };
}

/** The emulator's own view ("WeCom's servers"), through the sandbox control API. */
async function sim(request: any, path: string) {
  const res = await request.get(`/sandbox/_sim${path}`);
  expect(res.ok(), `GET ${path}: ${res.status()}`).toBeTruthy();
  return res.json();
}

async function inbox(request: any, corpid: string, userid: string): Promise<any[]> {
  const box = await sim(request, `/work/${corpid}/members/${userid}/inbox`);
  return box.filter((m: any) => m.source === 'app_message');
}

async function useLang(page: any, lang: 'zh-CN' | 'en') {
  const now = (await page.locator('html').getAttribute('lang')) ?? '';
  if ((lang === 'en') !== now.startsWith('en')) {
    await page.getByTestId('lang-switch').first().click();
  }
  await expect(page.locator('html')).toHaveAttribute('lang', lang === 'en' ? /^en/ : /^zh/);
}

async function noOverflow(page: any, what: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${what}: nothing wider than the window`).toBeLessThanOrEqual(0);
}

test('department → member → tag → textcard to the tag → delivered → app menu, and the overview', async ({ page }) => {
  test.setTimeout(240_000);
  const { id, corpid, agentid } = await demoWork(page.request);
  const stamp = Date.now().toString().slice(-6);
  const deptName = `验收部${stamp}`;
  const userid = `accept.${stamp}`;
  const tagName = `验收标签${stamp}`;

  // ---- contacts: sync, then a department, a member in it, a tag with the member ----
  await page.goto(`/accounts/${id}/contacts`);
  await useLang(page, 'zh-CN');
  await page.getByTestId('contacts-sync-start').click();
  await expect(page.getByTestId('contacts-sync-status')).toHaveAttribute('data-status', /succeeded|partial/, { timeout: 60_000 });

  await page.getByTestId('dept-new').click();
  const deptForm = page.getByTestId('dept-form');
  await deptForm.getByTestId('dept-field-name').fill(deptName);
  await deptForm.getByTestId('dept-save').click();
  await expect(deptForm).toHaveCount(0);
  const deptRow = page.getByTestId('dept-tree').getByTestId('dept-row').filter({ hasText: deptName });
  await expect(deptRow).toBeVisible();
  const deptId = Number(await deptRow.getAttribute('data-id'));
  expect((await sim(page.request, `/work/${corpid}`)).departments[deptId].name).toBe(deptName);

  await expect(page.getByTestId('filter-dept')).toContainText(deptName);
  await page.getByTestId('member-new').click();
  const form = page.getByTestId('member-form');
  await form.getByTestId('member-field-userid').fill(userid);
  await form.getByTestId('member-field-name').fill('验收员');
  await form.getByTestId('member-field-mobile').fill(`138${stamp}02`);
  await expect(form.getByTestId('member-dept-select').first()).toHaveValue(String(deptId));
  await form.getByTestId('member-save').click();
  await expect(form).toHaveCount(0);
  await expect(page.locator(`[data-testid="member-row"][data-userid="${userid}"]`)).toBeVisible();
  expect((await sim(page.request, `/work/${corpid}`)).members[userid].department).toEqual([deptId]);

  await page.getByTestId('contacts-view-tags').click();
  await page.getByTestId('wc-tag-new').click();
  await page.getByTestId('wc-tag-field-name').fill(tagName);
  await page.getByTestId('wc-tag-save').click();
  const tagRow = page.getByTestId('wc-tag-row').filter({ hasText: tagName });
  await expect(tagRow).toBeVisible();
  const tagId = Number(await tagRow.getAttribute('data-id'));
  await tagRow.getByTestId('wc-tag-open').click();
  const panel = page.getByTestId('tag-panel');
  await panel.getByTestId('tag-add-userids').fill(userid);
  await panel.getByTestId('tag-add-submit').click();
  await expect(panel.locator(`[data-testid="tag-member"][data-userid="${userid}"]`)).toBeVisible();
  expect((await sim(page.request, `/work/${corpid}`)).tags[tagId].users).toEqual([userid]);

  // ---- a textcard to the tag, chosen in the picker ----
  await page.goto(`/accounts/${id}/send`);
  await expect(page.getByTestId('tab-send')).toHaveClass(/tab-current/);
  await page.getByTestId('picker-pane-tags').check();
  await page.getByTestId(`picker-tag-${tagId}`).check();
  await expect(page.getByTestId('picker-chip')).toHaveCount(1);
  await expect(page.getByTestId('picker-chip')).toContainText(tagName);
  await expect(page.getByTestId('recipient-count')).toHaveAttribute('data-count', '1');
  await page.getByTestId('wm-type-textcard').check();
  const title = `验收通知 ${stamp}`;
  await page.getByTestId('wm-title').fill(title);
  await page.getByTestId('wm-description').fill('请于周五前完成验收');
  await page.getByTestId('wm-url').fill('https://example.com/acceptance');
  await page.getByTestId('wm-btntxt').fill('查看');
  await page.getByTestId('wm-send').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('toast').filter({ hasText: '已发送' })).toBeVisible();
  const row = page.getByTestId('wm-row').filter({ hasText: title });
  await expect(row).toHaveAttribute('data-state', 'sent');
  await expect(row).toHaveAttribute('data-type', 'textcard');
  await expect(row.getByTestId('wm-row-state')).toHaveText('已发送');
  // The emulator delivered it to the tagged member, and to nobody else.
  const got = (await inbox(page.request, corpid, userid)).filter((m: any) => m.msg_type === 'textcard');
  expect(got.length).toBe(1);
  expect(got[0].content.textcard.title).toBe(title);
  expect(got[0].content.textcard.url).toBe('https://example.com/acceptance');
  for (const other of ['user01', 'user02']) {
    expect((await inbox(page.request, corpid, other)).some((m: any) => JSON.stringify(m.content).includes(title)), other).toBeFalsy();
  }

  // ---- the app menu (应用菜单): publish; the emulator holds it for the agent ----
  await page.goto(`/accounts/${id}/menus`);
  await expect(page.getByTestId('tab-menus')).toHaveText('应用菜单');
  await expect(page.getByTestId('wcm-agent')).toContainText(String(agentid));
  while ((await page.getByTestId('menu-btn-0').count()) > 0) {
    await page.getByTestId('menu-btn-0').click();
    await page.getByTestId('menu-remove').click();
  }
  await page.getByTestId('menu-add-top').click();
  await page.getByTestId('menu-field-name').fill('验收');
  await page.getByTestId('menu-field-key').fill(`ACCEPT_${stamp}`);
  await page.getByTestId('menu-publish').click();
  await page.getByTestId('menu-publish-confirm').click();
  await expect
    .poll(async () => JSON.stringify((await sim(page.request, `/work/${corpid}`)).menus?.[String(agentid)] ?? null))
    .toContain(`ACCEPT_${stamp}`);
  const menu = (await sim(page.request, `/work/${corpid}`)).menus[String(agentid)];
  expect(menu.map((b: any) => [b.type, b.name, b.key])).toEqual([['click', '验收', `ACCEPT_${stamp}`]]);

  // ---- a reply rule on the new button's click (WeCom menu events are triggers) ----
  await page.goto(`/accounts/${id}/rules`);
  await page.getByTestId('rule-new').click();
  const editor = page.getByTestId('rule-editor');
  await editor.getByTestId('rule-name').fill(`验收菜单 ${stamp}`);
  await editor.getByTestId('trigger-kind').selectOption('menu_event');
  await editor.getByTestId('trigger-menu-event').selectOption('enter_agent');
  await expect(editor.getByTestId('trigger-menu-key')).toHaveCount(0);
  await editor.getByTestId('trigger-menu-event').selectOption('click');
  await editor.getByTestId('trigger-menu-key').fill(`ACCEPT_${stamp}`);
  await editor.getByTestId('reply-text').fill('验收菜单已收到');
  await editor.getByTestId('rule-save').click();
  await expect(page.getByTestId('rule-editor')).toHaveCount(0);
  const ruleRow = page.getByTestId('rule-row').filter({ hasText: `验收菜单 ${stamp}` });
  await expect(ruleRow).toContainText('点击菜单');
  // The member taps it in WeCom (the emulator): the rule answers passively, one hit.
  const act = await page.request.post(`/api/accounts/${id}/sandbox/act`, { data: { type: 'click', subject: userid, key: `ACCEPT_${stamp}` } });
  expect(act.ok(), `act: ${act.status()}`).toBeTruthy();
  expect(JSON.stringify(await act.json())).toContain('验收菜单已收到');
  await page.reload();
  await expect(page.getByTestId('rule-row').filter({ hasText: `验收菜单 ${stamp}` }).getByTestId('rule-hits')).toHaveText('1');

  // ---- the overview: counts, last sync, the send delivered; then the preflight ----
  await page.goto(`/accounts/${id}`);
  const overview = page.getByTestId('wecom-overview');
  await expect(overview).toBeVisible();
  const wx = await sim(page.request, `/work/${corpid}`);
  await expect(overview.getByTestId('wo-count-departments').locator('b')).toHaveText(String(Object.keys(wx.departments).length));
  await expect(overview.getByTestId('wo-count-members').locator('b')).toHaveText(String(Object.keys(wx.members).length));
  await expect(overview.getByTestId('wo-count-tags').locator('b')).toHaveText(String(Object.keys(wx.tags).length));
  await expect(overview.getByTestId('wo-sync-status')).toHaveAttribute('data-status', /succeeded|partial/);
  await expect(overview.getByTestId('wo-send').first()).toContainText(title);
  await expect(overview.getByTestId('wo-send').first()).toHaveAttribute('data-state', 'sent');
  await page.getByTestId('wo-preflight-run').click();
  const report = page.getByTestId('wo-preflight-report');
  await expect(report).toBeVisible();
  await expect(report).toHaveAttribute('data-ok', 'true');
  await expect(report.getByTestId('wo-check-app_token')).toHaveAttribute('data-status', 'ok');
  await expect(report.getByTestId('wo-check-contacts_read')).toHaveAttribute('data-status', 'ok');
  // The demo corp follows WeCom's post-2022 rules: the legacy listing is closed (48009).
  const legacy = report.getByTestId('wo-check-legacy_listing');
  await expect(legacy).toHaveAttribute('data-status', 'notice');
  await expect(legacy).toHaveAttribute('data-errcode', '48009');
  await expect(legacy.getByTestId('wo-fix')).toContainText('user/list_id');

  for (const lang of ['zh-CN', 'en'] as const) {
    await useLang(page, lang);
    await expect(page.getByTestId('tab-overview')).toHaveText(lang === 'en' ? 'Overview' : '概览');
    await expect(page.getByTestId('tab-menus')).toHaveText(lang === 'en' ? 'App menu' : '应用菜单');
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: width > 500 ? 1000 : 844 });
      await expect(report).toBeVisible();
      await noOverflow(page, `overview ${lang} ${width}`);
      await page.screenshot({ path: `${SHOTS}/wecom-overview-${lang}-${width}.png`, fullPage: true });
    }
    await page.setViewportSize({ width: 1440, height: 1000 });
  }
  // Leave the admin in Chinese, the default, for the specs after this one.
  await useLang(page, 'zh-CN');

  // The drift check finds the mirror equal to the emulator's corp (every change above went
  // through the portal or arrived by change_contact).
  await page.goto(`/accounts/${id}/contacts`);
  await page.getByTestId('drift-check').click();
  await expect(page.getByTestId('drift-summary')).toHaveAttribute('data-count', '0');
  await expect(page.getByTestId('drift-summary')).toHaveText('没有差异：镜像与企业微信一致。');

  // Tidy the demo corp (arranged through the API: not what this test is about).
  const del = await page.request.post(`/api/accounts/${id}/contacts/members/batch-delete`, { data: { userids: [userid] } });
  expect(del.status()).toBeLessThan(300);
  expect((await page.request.delete(`/api/accounts/${id}/contacts/departments/${deptId}`)).status()).toBeLessThan(300);
  expect((await page.request.delete(`/api/accounts/${id}/contacts/tags/${tagId}`)).status()).toBeLessThan(300);
});
