import { test, expect, ADMIN_STORAGE } from './fixtures';
import type { APIRequestContext, Page } from '@playwright/test';

// Issue 15, drafts: a draft of three articles written in the editor, reordered, previewed on
// the phone, published; the emulator holds the publication with the articles in that order.
test.use({ storageState: ADMIN_STORAGE });

const SHOTS = 'test-results/shots';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

// A 1×1 PNG.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c63f8cfc0f01f00050001ff89993d1d0000000049454e44ae426082',
  'hex',
);

async function demoOa(request: APIRequestContext): Promise<{ id: number; appid: string }> {
  const list = await (await request.get('/api/accounts')).json();
  const oa = list.find((a: any) => a.environment === 'sandbox' && a.kind === 'official_account');
  expect(oa, 'the sandbox demo Official Account').toBeTruthy();
  const full = await (await request.get(`/api/accounts/${oa.id}`)).json();
  return { id: oa.id, appid: full.settings.app_id };
}

async function setLang(request: APIRequestContext, lang: 'zh-CN' | 'en') {
  const r = await request.patch('/api/auth/me', { data: { lang } });
  expect(r.ok()).toBeTruthy();
}

/** Nothing on the page is wider than the viewport. */
async function fits(page: Page) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(over).toBeLessThanOrEqual(1);
}

/** Fills the article being edited: title, author, digest, cover, body, original URL. */
async function fillArticle(page: Page, n: number, stamp: string) {
  const form = page.getByTestId('article-form');
  await form.getByTestId('draft-title').fill(`${stamp} 第${n}篇`);
  await form.getByTestId('draft-author').fill(`作者${n}`);
  await form.getByTestId('draft-digest').fill(`摘要${n}`);
  await form.getByTestId('draft-cover-open').click();
  await page.getByTestId('picker-item').first().click();
  await expect(form.getByTestId('draft-cover-image')).toBeVisible();
  const body = form.getByTestId('draft-content');
  await body.click();
  await page.keyboard.type(`正文${n}`);
  await form.getByTestId('draft-content_source_url').fill(`https://example.com/${n}`);
}

test('publish a 3-article draft', async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  const { id, appid } = await demoOa(page.request);
  const stamp = `e2e${Date.now() % 100000}`;
  const cover = await page.request.post(`/api/accounts/${id}/materials`, {
    headers: { 'x-wxportal-upload': '1' },
    multipart: { kind: 'image', file: { name: 'cover.png', mimeType: 'image/png', buffer: PNG } },
  });
  expect(cover.status()).toBe(201);
  await setLang(page.request, 'zh-CN');

  await page.goto(`/accounts/${id}/drafts/new`);
  await fillArticle(page, 1, stamp);
  // An inline image goes through uploadimg and is shown through the portal.
  const body = page.getByTestId('draft-content');
  await page.getByTestId('draft-insert-image').setInputFiles({ name: 'inline.png', mimeType: 'image/png', buffer: PNG });
  const img = body.locator('img');
  await expect(img).toHaveAttribute('src', /\/api\/accounts\/\d+\/materials\/article-image\?url=/);
  await expect.poll(() => img.evaluate((e) => (e as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  // The toolbar: a heading on a new last line.
  await body.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('小结');
  await page.getByTestId('rt-h2').click();
  await expect(body.locator('h2')).toHaveText('小结');

  for (const n of [2, 3]) {
    await page.getByTestId('article-add').click();
    await expect(page.getByTestId('article-form')).toHaveAttribute('data-index', String(n - 1));
    await fillArticle(page, n, stamp);
  }
  await expect(page.getByTestId('article-row')).toHaveCount(3);
  await page.getByTestId('article-form').getByTestId('draft-comment').check();

  // Reorder: article 3 up to the top (once with the mouse, once from the keyboard).
  const rows = page.getByTestId('article-row');
  await rows.nth(2).getByTestId('article-up').click();
  await rows.nth(1).getByTestId('article-up').focus();
  await page.keyboard.press('Enter');
  await expect(rows.nth(0)).toContainText('第3篇');
  await expect(rows.nth(1)).toContainText('第1篇');
  await expect(rows.nth(2)).toContainText('第2篇');
  // The moved article is still the one being edited.
  await expect(page.getByTestId('article-form').getByTestId('draft-title')).toHaveValue(`${stamp} 第3篇`);

  await page.getByTestId('draft-save').click();
  await expect(page).toHaveURL(/\/drafts\/\d+$/);
  await expect(page.getByTestId('draft-state')).toHaveAttribute('data-status', 'draft');
  const draftUrl = new URL(page.url()).pathname;

  // The phone: the first article big, the others as rows; then one article's page.
  const card = page.getByTestId('phone-card');
  await expect(card.getByTestId('phone-article')).toHaveCount(3);
  await expect(card.getByTestId('phone-article').nth(0)).toContainText('第3篇');
  await expect(card.getByTestId('phone-article').nth(2)).toContainText('第2篇');
  await card.getByTestId('phone-article').nth(1).click();
  const phonePage = page.getByTestId('phone-page');
  await expect(phonePage).toContainText('第1篇');
  await expect(phonePage.locator('h2')).toHaveText('小结');
  await expect(phonePage).toContainText('阅读原文');

  // Screenshots: both languages, desktop and phone; nothing wider than a 390 px phone.
  for (const viewport of [DESKTOP, PHONE]) {
    await page.setViewportSize(viewport);
    for (const lang of ['en', 'zh-CN'] as const) {
      await setLang(page.request, lang);
      await page.goto(draftUrl);
      await expect(page.getByTestId('phone-card')).toBeVisible();
      await fits(page);
      await page.screenshot({
        path: `${SHOTS}/oa-draft-${viewport.width}-${lang === 'en' ? 'en' : 'zh'}.png`,
        fullPage: true,
      });
    }
  }
  await page.setViewportSize(DESKTOP);
  await setLang(page.request, 'zh-CN');
  await page.goto(draftUrl);

  await page.getByTestId('draft-publish').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('draft-state')).toHaveAttribute('data-status', 'publishing');
  const adv = await page.request.post(`${baseURL}/sandbox/_sim/clock/advance`, { data: { seconds: 31 } });
  expect(adv.ok()).toBeTruthy();
  await expect(page.getByTestId('draft-state')).toHaveAttribute('data-status', 'published', { timeout: 20_000 });
  await expect(page.getByTestId('draft-links').locator('li')).toHaveCount(3);

  // The emulator holds the publication, its articles in the chosen order with their fields.
  const draft = await (await page.request.get(`/api${draftUrl}`)).json();
  const sim = await (await page.request.get(`/sandbox/_sim/oa/${appid}`)).json();
  const published = sim.publishes[draft.publish_id];
  expect(published.status).toBe(0);
  const articles = sim.drafts[published.media_id].articles;
  expect(articles.map((a: any) => a.title)).toEqual([`${stamp} 第3篇`, `${stamp} 第1篇`, `${stamp} 第2篇`]);
  expect(articles.map((a: any) => a.author)).toEqual(['作者3', '作者1', '作者2']);
  expect(articles.map((a: any) => a.content_source_url)).toEqual([
    'https://example.com/3',
    'https://example.com/1',
    'https://example.com/2',
  ]);
  expect(articles[0].need_open_comment).toBe(1);
  expect(articles[1].content).toContain('<h2>小结</h2>');
  expect(articles[1].content).toMatch(/<img src="http:\/\/mmbiz\.qpic\.cn\//);
  await setLang(page.request, 'zh-CN');
});
