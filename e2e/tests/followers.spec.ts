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

async function sim(request: any, method: 'GET' | 'POST' | 'DELETE', path: string, data?: any) {
  const url = `/sandbox/_sim${path}`;
  const res =
    method === 'GET' ? await request.get(url) : method === 'DELETE' ? await request.delete(url) : await request.post(url, { data: data ?? {} });
  expect(res.ok(), `${method} ${path}: ${res.status()}`).toBeTruthy();
  return res.json().catch(() => null);
}

test('sync 10,000 followers with a moving progress bar, filter by tag, tag 3 followers, resolve a drift', async ({ page }) => {
  test.setTimeout(180_000);
  const { id, appid } = await demoOa(page.request);

  // Make the demo account a 10,000-follower account, and make WeChat a little slow so the
  // progress bar has time to move.
  const before = await sim(page.request, 'GET', `/oa/${appid}`);
  const existing = Object.values(before.followers).filter((f: any) => f.subscribed).length;
  await sim(page.request, 'POST', `/oa/${appid}/followers`, { count: 10_000 - existing });
  await sim(page.request, 'POST', '/faults', { target: appid, kind: 'latency', latency_ms: 150, path: '/user/info/batchget' });

  await page.goto(`/accounts/${id}/followers`);
  await expect(page.getByTestId('tab-followers')).toHaveClass(/tab-current/);
  await page.getByTestId('sync-start').click();
  // Part-way: running with some stored.
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-status', 'running');
  await expect
    .poll(async () => Number(await page.getByTestId('sync-progress').getAttribute('aria-valuenow')), { timeout: 60_000 })
    .toBeGreaterThan(0);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('sync-progress')).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByTestId('sync-stored')).toHaveText('10000');
  await sim(page.request, 'DELETE', '/faults');

  // Filter by tag VIP (100): every row carries it, and the count is WeChat's.
  const wx = await sim(page.request, 'GET', `/oa/${appid}`);
  const vip = Object.values(wx.followers).filter((f: any) => f.subscribed && f.tagid_list.includes(100)).length;
  await page.getByTestId('filter-tag').selectOption('100');
  await expect(page.locator('.pager-total')).toContainText(String(vip));
  const tagCells = page.getByTestId('follower-tags');
  await expect(tagCells.first()).toContainText('VIP');
  for (const cell of await tagCells.all()) await expect(cell).toContainText('VIP');

  // Tag 3 followers who are not 员工 (103) yet, and see WeChat's state change.
  await page.getByTestId('filter-tag').selectOption('');
  // Wait for the unfiltered list before picking rows from it.
  await expect(page.locator('.pager-total')).toContainText('10000');
  const rows = page.getByTestId('follower-row').filter({ hasNotText: '员工' });
  const openids: string[] = [];
  for (let n = 0; n < 3; n++) {
    const row = rows.nth(n);
    openids.push((await row.getAttribute('data-openid'))!);
  }
  for (const o of openids) await page.locator(`[data-openid="${o}"]`).getByTestId('follower-select').check();
  await expect(page.getByTestId('bulk-count')).toContainText('3');
  await page.getByTestId('bulk-tag').selectOption('103');
  await page.getByTestId('bulk-tag-add').click();
  // Tagging runs as a background job; its progress panel follows it to the end.
  await expect(page.getByTestId('bulk-job')).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('bulk-progress')).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByTestId('bulk-job-done')).toContainText('3');
  await expect(page.getByTestId('bulk-bar')).toBeHidden();
  for (const o of openids) {
    const f = await sim(page.request, 'GET', `/oa/${appid}/followers/${o}`);
    expect(f.tagid_list).toContain(103);
    await expect(page.locator(`[data-openid="${o}"]`).getByTestId('follower-tags')).toContainText('员工');
  }

  // A tag created in WeChat's console shows as drift; accept WeChat's side.
  const made = await sim(page.request, 'POST', `/oa/${appid}/tags`, { name: '控制台建的' });
  await page.getByTestId('tab-tags').click();
  await expect(page.getByTestId('tag-section')).toBeVisible();
  await expect(page.getByTestId('tag-row').filter({ hasText: '控制台建的' })).toHaveCount(0);
  await page.getByTestId('drift-check').click();
  const item = page.getByTestId('drift-item').filter({ hasText: '控制台建的' });
  await expect(item).toHaveAttribute('data-kind', 'tag');
  await item.getByTestId('drift-theirs').click();
  await expect(page.getByTestId('tag-row').filter({ hasText: '控制台建的' })).toBeVisible();
  await expect(page.locator(`[data-testid="tag-row"][data-id="${made.id}"]`)).toBeVisible();
  await page.getByTestId('drift-check').click();
  await expect(page.getByTestId('drift-none')).toBeVisible();
});
