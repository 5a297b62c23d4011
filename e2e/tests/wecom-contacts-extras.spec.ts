import { test, expect, ADMIN_STORAGE } from './fixtures';

test.use({ storageState: ADMIN_STORAGE });

// Members' extended attributes (扩展属性), invitations (batch/invite), drag-moving departments,
// and the overview preflight's trusted-domain checklist; each asserted against the emulator's
// corp ("WeCom's own servers").

async function demoWorkApp(request: any): Promise<{ id: number; corpid: string }> {
  const list = await (await request.get('/api/accounts')).json();
  const app = list.find((a: any) => a.environment === 'sandbox' && a.kind === 'work_app');
  expect(app, 'the sandbox demo WeCom app').toBeTruthy();
  const full = await (await request.get(`/api/accounts/${app.id}`)).json();
  return { id: app.id, corpid: full.settings.corp_id };
}

async function corp(request: any, corpid: string) {
  const res = await request.get(`/sandbox/_sim/work/${corpid}`);
  expect(res.ok(), `GET /_sim/work/${corpid}: ${res.status()}`).toBeTruthy();
  return res.json();
}

async function setLang(request: any, lang: 'zh-CN' | 'en') {
  expect((await request.patch('/api/auth/me', { data: { lang } })).ok()).toBeTruthy();
}

async function syncContacts(page: any, id: number) {
  await page.goto(`/accounts/${id}/contacts`);
  await page.getByTestId('contacts-sync-start').click();
  await expect(page.getByTestId('contacts-sync-status')).toHaveAttribute('data-status', /succeeded|partial/, { timeout: 30_000 });
}

test('extended attributes, an invitation with WeCom\'s per-item answer, and a drag-move of a department', async ({ page }) => {
  test.setTimeout(120_000);
  await setLang(page.request, 'zh-CN');
  const { id, corpid } = await demoWorkApp(page.request);
  const stamp = Date.now().toString().slice(-6);
  const userid = `ext.e2e${stamp}`;
  const api = `/api/accounts/${id}/contacts`;
  await syncContacts(page, id);

  // Two departments to move, and a tag WeCom's admin then deletes behind the portal's back
  // (tag deletions send no callback, so the mirror still lists it).
  const mk = async (name: string, parent_id: number) => {
    const r = await page.request.post(`${api}/departments`, { data: { name, parent_id } });
    expect(r.status(), await r.text()).toBe(201);
    return (await r.json()).id as number;
  };
  const a = await mk(`拖动甲${stamp}`, 2);
  const b = await mk(`拖动乙${stamp}`, 3);
  const t = await page.request.post(`${api}/tags`, { data: { name: `已删标签${stamp}` } });
  expect(t.status()).toBe(201);
  const goneTag = (await t.json()).id as number;
  const del = await page.request.post(`/sandbox/_sim/work/${corpid}/console/tag/delete?tagid=${goneTag}`, { data: {} });
  expect(del.ok()).toBeTruthy();

  // ---- drag 乙 onto 甲: it moves under 甲 at WeCom ----
  await page.goto(`/accounts/${id}/contacts`);
  const tree = page.getByTestId('dept-tree');
  const rowA = tree.locator(`[data-testid="dept-row"][data-id="${a}"]`);
  const rowB = tree.locator(`[data-testid="dept-row"][data-id="${b}"]`);
  await rowB.dragTo(rowA);
  await expect.poll(async () => (await corp(page.request, corpid)).departments[b].parentid).toBe(a);
  // 乙 is now under 甲: dropping 甲 onto 乙 (its own subtree) is refused, nothing is sent.
  await expect(tree.locator(`[data-testid="dept-row"][data-id="${b}"]`)).toBeVisible();
  await rowA.dragTo(tree.locator(`[data-testid="dept-row"][data-id="${b}"]`));
  await expect(page.getByTestId('dept-drop-refused')).toBeVisible();
  expect((await corp(page.request, corpid)).departments[a].parentid).toBe(2);

  // ---- a member with extended attributes: WeCom's rules inline first ----
  await page.getByTestId('member-new').click();
  const form = page.getByTestId('member-form');
  await form.getByTestId('member-field-userid').fill(userid);
  await form.getByTestId('member-field-name').fill('扩展属性员');
  await form.getByTestId('member-field-mobile').fill(`137${stamp}02`);
  const ed = form.getByTestId('extattr-editor');
  await ed.getByTestId('extattr-add').click();
  await ed.getByTestId('extattr-row').nth(0).getByTestId('extattr-name').fill('工号');
  await ed.getByTestId('extattr-row').nth(0).getByTestId('extattr-value').fill(`Q${stamp}`);
  await ed.getByTestId('extattr-add').click();
  const web = ed.getByTestId('extattr-row').nth(1);
  await web.getByTestId('extattr-kind').selectOption('web');
  await web.getByTestId('extattr-name').fill('个人主页');
  await web.getByTestId('extattr-title').fill('我的主页');
  await web.getByTestId('extattr-url').fill('ftp://example.com/me');
  await ed.getByTestId('extattr-add').click();
  const mp = ed.getByTestId('extattr-row').nth(2);
  await mp.getByTestId('extattr-kind').selectOption('miniprogram');
  await mp.getByTestId('extattr-name').fill('工作台');
  await mp.getByTestId('extattr-title').fill('工作台');
  await mp.getByTestId('extattr-appid').fill('wx1234567890abcdef');
  await mp.getByTestId('extattr-pagepath').fill('/pages/home');
  // A name the corp's admin never added: WeCom ignores it, and the portal says so.
  await ed.getByTestId('extattr-add').click();
  await ed.getByTestId('extattr-row').nth(3).getByTestId('extattr-name').fill('爱好');
  await ed.getByTestId('extattr-row').nth(3).getByTestId('extattr-value').fill('围棋');
  await form.getByTestId('member-save').click();
  await expect(web.getByTestId('extattr-error')).toBeVisible();
  expect((await corp(page.request, corpid)).members[userid]).toBeUndefined();
  await web.getByTestId('extattr-url').fill('https://example.com/me');
  await form.getByTestId('member-save').click();
  await expect(form).toHaveCount(0);
  await expect(page.getByTestId('toast').filter({ hasText: '爱好' })).toBeVisible();
  const wxm = (await corp(page.request, corpid)).members[userid];
  expect(wxm.extattr).toEqual([
    { type: 0, name: '工号', text: { value: `Q${stamp}` } },
    { type: 1, name: '个人主页', web: { url: 'https://example.com/me', title: '我的主页' } },
    { type: 2, name: '工作台', miniprogram: { appid: 'wx1234567890abcdef', pagepath: '/pages/home', title: '工作台' } },
  ]);
  await page.getByTestId('member-search').fill(userid);
  const row = page.locator(`[data-testid="member-row"][data-userid="${userid}"]`);
  await expect(row.getByTestId('member-status')).toHaveAttribute('data-status', 'not_joined');
  await row.getByTestId('member-open').click();
  const detail = page.getByTestId('member-detail');
  await expect(detail.getByTestId('extattr-item')).toHaveCount(3);
  await expect(detail.locator('[data-testid="extattr-item"][data-name="个人主页"] a')).toHaveAttribute('href', 'https://example.com/me');
  await page.getByTestId('modal-close').click();

  // Editing removes the web page: WeCom clears it.
  await row.getByTestId('member-edit').click();
  await form.getByTestId('extattr-row').nth(1).getByTestId('extattr-remove').click();
  await form.getByTestId('member-save').click();
  await expect(form).toHaveCount(0);
  await expect.poll(async () => (await corp(page.request, corpid)).members[userid].extattr.map((x: any) => x.name)).toEqual(['工号', '工作台']);

  // ---- invite the new member, with a department and the tag WeCom no longer has ----
  await row.getByTestId('member-select').check();
  await page.getByTestId('member-bulk-invite').click();
  const dlg = page.getByTestId('invite-dialog');
  await expect(dlg.locator(`[data-testid="invite-member"][data-userid="${userid}"]`)).toBeVisible();
  await dlg.locator(`[data-testid="invite-dept"][data-id="${b}"]`).check();
  await dlg.locator(`[data-testid="invite-tag"][data-id="${goneTag}"]`).check();
  await page.getByTestId('invite-send').click();
  await expect(dlg.getByTestId('invite-result')).toBeVisible();
  await expect(dlg.getByTestId('invite-invalid-tag')).toContainText(`已删标签${stamp}`);
  await expect(dlg.getByTestId('invite-invalid-user')).toHaveCount(0);
  await expect(dlg.getByTestId('invite-ok')).toContainText('2');
  expect((await corp(page.request, corpid)).members[userid].invited).toHaveLength(1);
  await page.getByTestId('modal-close').click();

  // Clean up what WeCom allows (the member, then the departments).
  expect((await page.request.post(`${api}/members/batch-delete`, { data: { userids: [userid] } })).status()).toBe(204);
  expect((await page.request.delete(`${api}/departments/${b}`)).status()).toBe(204);
  expect((await page.request.delete(`${api}/departments/${a}`)).status()).toBe(204);
});

test('screenshots: overview preflight and nightly lines, drift card, extattr form, invite dialog (1440/390, zh-CN/en)', async ({ page }) => {
  test.setTimeout(180_000);
  const { id } = await demoWorkApp(page.request);
  const dir = process.env.WXPORTAL_SHOTS ?? 'test-results/shots';
  await setLang(page.request, 'zh-CN');
  await syncContacts(page, id);
  // A night with differences, as the nightly reconcile would store it (no night passes in a test).
  const night = {
    day: '2026-12-07', state: 'done', started_at: '2026-12-06T19:00:02Z', finished_at: '2026-12-06T19:00:05Z',
    differences: 1, error: null,
    report: {
      checked_at: '2026-12-06T19:00:05Z', departments: 12, members: 49, tags: 3,
      items: [{ kind: 'member', id: 'user07', name: '张伟', issue: 'differs', ours: { departments: [2] }, theirs: { departments: [2, 5] } }],
    },
  };
  await page.route('**/contacts/drift/last', (r) => r.fulfill({ json: { run: night } }));
  await page.route('**/wecom/overview', async (r) => {
    const res = await r.fetch();
    const body = await res.json();
    body.last_reconcile = { ...night, report: undefined };
    await r.fulfill({ response: res, json: body });
  });
  for (const lang of ['zh-CN', 'en'] as const) {
    await setLang(page.request, lang);
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: width > 500 ? 1000 : 844 });
      await page.goto(`/accounts/${id}`);
      await expect(page.getByTestId('wo-reconcile')).toHaveAttribute('data-count', '1');
      await page.getByTestId('wo-preflight-run').click();
      await expect(page.getByTestId('wo-preflight-report')).toBeVisible({ timeout: 30_000 });
      await expect(page.getByTestId('wo-domain-callback').getByTestId('wo-domain-value')).toHaveText(new RegExp(`/wx/${id}$`));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `nothing wider than ${width}px`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${dir}/wecom-overview-${lang}-${width}.png`, fullPage: true });

      await page.goto(`/accounts/${id}/contacts`);
      await expect(page.getByTestId('drift-last')).toHaveAttribute('data-count', '1');
      await page.getByTestId('contacts-drift').screenshot({ path: `${dir}/wecom-drift-${lang}-${width}.png` });
      await page.getByTestId('member-new').click();
      const form = page.getByTestId('member-form');
      await form.getByTestId('extattr-add').click();
      await form.getByTestId('extattr-add').click();
      await form.getByTestId('extattr-row').nth(1).getByTestId('extattr-kind').selectOption('web');
      await form.getByTestId('extattr-row').nth(1).getByTestId('extattr-url').fill('ftp://x');
      await form.getByTestId('member-save').click();
      await form.getByTestId('extattr-editor').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${dir}/wecom-extattr-form-${lang}-${width}.png` });
      await page.getByTestId('modal-close').click();
      await page.getByTestId('member-filter-status').selectOption('not_joined');
      await page.getByTestId('member-select').first().check();
      await page.getByTestId('member-bulk-invite').click();
      await expect(page.getByTestId('invite-member').first()).toBeVisible();
      await page.screenshot({ path: `${dir}/wecom-invite-${lang}-${width}.png` });
      await page.getByTestId('modal-close').click();
      const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow2, `nothing wider than ${width}px`).toBeLessThanOrEqual(0);
    }
  }
  await setLang(page.request, 'zh-CN');
});
