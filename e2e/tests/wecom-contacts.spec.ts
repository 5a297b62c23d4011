import { test, expect, ADMIN_STORAGE } from './fixtures';

test.use({ storageState: ADMIN_STORAGE });

// The sandbox demo WeCom app, and the emulator's control API ("WeCom's own admin console").
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

test('sync the contacts, build a department, add, edit, tag, disable and delete a member', async ({ page }) => {
  test.setTimeout(120_000);
  const { id, corpid } = await demoWorkApp(page.request);
  const stamp = Date.now().toString().slice(-6);
  const deptName = `质检部${stamp}`;
  const userid = `qa.e2e${stamp}`;
  const tagName = `质检标签${stamp}`;

  // ---- sync: the counts are the emulator's corp, the tree shows its departments ----
  await page.goto(`/accounts/${id}/contacts`);
  await expect(page.getByTestId('tab-contacts')).toHaveClass(/tab-current/);
  await page.getByTestId('contacts-sync-start').click();
  await expect(page.getByTestId('contacts-sync-status')).toHaveAttribute('data-status', /succeeded|partial/, { timeout: 30_000 });
  const wx = await corp(page.request, corpid);
  const wxDepts = Object.keys(wx.departments).length;
  const wxMembers = Object.keys(wx.members).length;
  const wxTags = Object.keys(wx.tags).length;
  expect(wxDepts).toBeGreaterThanOrEqual(10);
  await expect(page.getByTestId('count-departments')).toHaveText(String(wxDepts));
  await expect(page.getByTestId('count-members')).toHaveText(String(wxMembers));
  await expect(page.getByTestId('count-tags')).toHaveText(String(wxTags));
  await expect(page.getByTestId('contacts-sync-progress')).toHaveAttribute('aria-valuenow', '100');
  const tree = page.getByTestId('dept-tree');
  await expect(tree.getByTestId('dept-row')).toHaveCount(wxDepts);
  await expect(tree.getByTestId('dept-row').filter({ hasText: '移动端小组' })).toBeVisible();
  // Collapsing 研发部 hides its grandchildren; expanding shows them again.
  const rd = tree.locator('[data-testid="dept-row"][data-id="2"]');
  await rd.getByTestId('dept-toggle').click();
  await expect(tree.getByTestId('dept-row').filter({ hasText: '移动端小组' })).toHaveCount(0);
  await rd.getByTestId('dept-toggle').click();
  await expect(tree.getByTestId('dept-row').filter({ hasText: '移动端小组' })).toBeVisible();
  // Choosing 研发部 lists the members of its subtree only.
  await rd.getByTestId('dept-name').click();
  await expect(page.getByTestId('filter-dept')).toContainText('研发部');
  const inRd = Object.values(wx.members).filter((m: any) => m.department.some((d: number) => [2, 5, 6, 7, 8].includes(d))).length;
  await expect(page.locator('.pager-total')).toContainText(String(inRd));

  // ---- a new department under 研发部 ----
  await page.getByTestId('dept-new').click();
  const deptForm = page.getByTestId('dept-form');
  await deptForm.getByTestId('dept-field-name').fill('坏|名字');
  await deptForm.getByTestId('dept-save').click();
  await expect(deptForm.getByTestId('error-dept_name')).toBeVisible();
  await deptForm.getByTestId('dept-field-name').fill(deptName);
  await expect(deptForm.getByTestId('dept-field-parent')).toHaveValue('2');
  await deptForm.getByTestId('dept-save').click();
  await expect(deptForm).toHaveCount(0);
  const newRow = tree.getByTestId('dept-row').filter({ hasText: deptName });
  await expect(newRow).toBeVisible();
  const deptId = Number(await newRow.getAttribute('data-id'));
  const wxDept = (await corp(page.request, corpid)).departments[deptId];
  expect(wxDept.name).toBe(deptName);
  expect(wxDept.parentid).toBe(2);
  // The new department is chosen: its member list is empty.
  await expect(page.getByTestId('filter-dept')).toContainText(deptName);
  await expect(page.getByTestId('members-empty')).toBeVisible();

  // ---- a member in it: a bad userid is refused inline first ----
  await page.getByTestId('member-new').click();
  const form = page.getByTestId('member-form');
  await form.getByTestId('member-field-userid').fill('张三 bad');
  await form.getByTestId('member-field-name').fill('质检员');
  await expect(form.getByTestId('error-userid')).toBeVisible();
  await form.getByTestId('member-save').click();
  await expect(form.getByTestId('error-userid')).toBeVisible();
  await expect(form.getByTestId('error-mobile')).toBeVisible(); // mobile or email is required
  await form.getByTestId('member-field-userid').fill(userid);
  await form.getByTestId('member-field-mobile').fill(`139${stamp}01`);
  await form.getByTestId('member-field-position').fill('质检员');
  await expect(form.getByTestId('member-dept-select').first()).toHaveValue(String(deptId));
  await form.getByTestId('member-dept-leader').first().check();
  await form.getByTestId('member-save').click();
  await expect(form).toHaveCount(0);
  const row = page.locator(`[data-testid="member-row"][data-userid="${userid}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId('member-depts')).toContainText(deptName);
  let wxMember = (await corp(page.request, corpid)).members[userid];
  expect(wxMember.department).toEqual([deptId]);
  expect(wxMember.is_leader_in_dept).toEqual([1]);

  // After a reload it is still listed (the mirror holds it).
  await page.reload();
  await page.getByTestId('member-search').fill(userid);
  await expect(page.locator(`[data-testid="member-row"][data-userid="${userid}"]`)).toBeVisible();
  await expect(page.getByTestId('member-row')).toHaveCount(1);

  // ---- edit: a new position and a second department (市场部) ----
  await row.getByTestId('member-edit').click();
  await expect(form.getByTestId('member-field-userid')).toBeDisabled();
  await form.getByTestId('member-field-position').fill('质检主管');
  await form.getByTestId('member-dept-add').click();
  await form.getByTestId('member-dept-select').nth(1).selectOption('3');
  await form.getByTestId('member-save').click();
  await expect(form).toHaveCount(0);
  await row.getByTestId('member-open').click();
  const detail = page.getByTestId('member-detail');
  await expect(detail.getByTestId('member-detail-position')).toHaveText('质检主管');
  await expect(detail.getByTestId('member-detail-depts')).toContainText('市场部');
  await page.getByTestId('modal-close').click();
  wxMember = (await corp(page.request, corpid)).members[userid];
  expect(wxMember.position).toBe('质检主管');
  expect(wxMember.department.sort()).toEqual([3, deptId].sort());

  // ---- a new tag, the member added to it ----
  await page.getByTestId('contacts-view-tags').click();
  await page.getByTestId('wc-tag-new').click();
  await page.getByTestId('wc-tag-field-name').fill(tagName);
  await page.getByTestId('wc-tag-save').click();
  const tagRow = page.getByTestId('wc-tag-row').filter({ hasText: tagName });
  await expect(tagRow).toBeVisible();
  const tagId = Number(await tagRow.getAttribute('data-id'));
  await tagRow.getByTestId('wc-tag-open').click();
  const panel = page.getByTestId('tag-panel');
  await expect(panel.getByTestId('tag-panel-name')).toHaveText(tagName);
  // One good userid and one unknown: WeCom refuses the unknown one, per item.
  await panel.getByTestId('tag-add-userids').fill(`${userid}, nobody.${stamp}`);
  await panel.getByTestId('tag-add-submit').click();
  await expect(panel.getByTestId('tag-invalid-user')).toContainText(`nobody.${stamp}`);
  await expect(panel.locator(`[data-testid="tag-member"][data-userid="${userid}"]`)).toBeVisible();
  await expect(tagRow.locator('.wc-tag-name .small')).toHaveText(/^1 (名成员|members)/);
  expect((await corp(page.request, corpid)).tags[tagId].users).toEqual([userid]);

  // ---- disable, then delete ----
  await page.getByTestId('contacts-view-org').click();
  await page.getByTestId('member-search').fill(userid);
  await expect(page.getByTestId('member-row')).toHaveCount(1);
  await row.getByTestId('member-toggle').click();
  await expect(row.getByTestId('member-status')).toHaveAttribute('data-status', 'disabled');
  expect((await corp(page.request, corpid)).members[userid].enable).toBe(0);
  await page.getByTestId('member-filter-status').selectOption('disabled');
  await expect(row).toBeVisible();

  // The department still has the member: WeCom refuses to delete it, with its reason.
  await page.getByTestId('dept-tree').getByTestId('dept-row').filter({ hasText: deptName }).getByTestId('dept-delete').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('dept-error')).toContainText('60005');

  await row.getByTestId('member-select').check();
  await expect(page.getByTestId('member-bulk-count')).toContainText('1');
  await page.getByTestId('member-bulk-delete').click();
  await expect(page.getByTestId('confirm-text')).toContainText(userid);
  await page.getByTestId('confirm-ok').click();
  await expect(row).toHaveCount(0);
  expect((await corp(page.request, corpid)).members[userid]).toBeUndefined();

  // Now the empty department can go.
  await page.getByTestId('dept-tree').getByTestId('dept-row').filter({ hasText: deptName }).getByTestId('dept-delete').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('dept-tree').getByTestId('dept-row').filter({ hasText: deptName })).toHaveCount(0);
  expect((await corp(page.request, corpid)).departments[deptId]).toBeUndefined();
});

test('screenshots of the contacts tab at 1440 and 390 px, in Chinese and English', async ({ page }) => {
  test.setTimeout(90_000);
  const { id } = await demoWorkApp(page.request);
  const dir = process.env.WXPORTAL_SHOTS ?? 'test-results/shots';
  for (const lang of ['zh-CN', 'en']) {
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: width > 500 ? 1000 : 844 });
      await page.goto(`/accounts/${id}/contacts`);
      // Switch the UI language through the switch when it is not the wanted one.
      const html = page.locator('html');
      const now = await html.getAttribute('lang');
      if ((lang === 'en') !== (now ?? '').startsWith('en')) {
        await page.getByTestId('lang-switch').first().click();
      }
      await expect(page.getByTestId('dept-row').first()).toBeVisible();
      await expect(page.getByTestId('member-row').first()).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `nothing wider than ${width}px`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${dir}/contacts-org-${lang}-${width}.png`, fullPage: true });
      await page.getByTestId('member-open').first().click();
      await expect(page.getByTestId('member-detail-name')).toBeVisible();
      await page.screenshot({ path: `${dir}/contacts-detail-${lang}-${width}.png` });
      await page.getByTestId('modal-close').click();
      await page.getByTestId('member-new').click();
      await page.getByTestId('member-save').click();
      await page.screenshot({ path: `${dir}/contacts-form-${lang}-${width}.png` });
      await page.getByTestId('modal-close').click();
      await page.getByTestId('contacts-view-tags').click();
      await expect(page.getByTestId('tag-panel-name')).toBeVisible();
      await page.screenshot({ path: `${dir}/contacts-tags-${lang}-${width}.png`, fullPage: true });
    }
  }
  // The language is remembered for the admin: leave Chinese (the default) for the specs after this one.
  expect((await page.request.patch('/api/auth/me', { data: { lang: 'zh-CN' } })).ok()).toBeTruthy();
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', /^zh/);
});
