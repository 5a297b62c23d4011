import { test, expect } from './fixtures';

// What a first visit to the console really downloads, as Chromium receives it from the release
// build: the large assets come precompressed (brotli, chosen by Chromium's Accept-Encoding), the
// wasm is fetched once (the preload is reused by wasm-bindgen's own fetch), and the page starts.
// The server's own test of the encodings needs a dist/ embedded at compile time, which the
// workspace tests don't build; this one always runs against the real binary and its dist/.
test('a first visit gets the SPA precompressed with brotli, the wasm fetched once', async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  const assets = new Map<string, { encoding?: string; type?: string; count: number }>();
  page.on('response', (response) => {
    const path = new URL(response.url()).pathname;
    if (!/\.(wasm|js|css)$/.test(path)) return;
    const headers = response.headers();
    const seen = assets.get(path);
    assets.set(path, {
      encoding: headers['content-encoding'],
      type: headers['content-type'],
      count: (seen?.count ?? 0) + 1,
    });
  });

  await page.goto('/');
  // Signed out, the started SPA shows its login form.
  await expect(page.getByTestId('login-username')).toBeVisible();

  const wasm = assets.get('/wxportal_bg.wasm');
  expect(wasm, 'the wasm was downloaded').toBeDefined();
  expect(wasm!.encoding).toBe('br');
  expect(wasm!.type).toBe('application/wasm');
  expect(wasm!.count, 'the preload and the module fetch share one download').toBe(1);
  expect(assets.get('/wxportal.js')?.encoding).toBe('br');
  expect(assets.get('/style.css')?.encoding).toBe('br');

  // The preload is in the page itself, so the wasm starts downloading with the HTML.
  const preload = await page.locator('link[rel="preload"][as="fetch"]').getAttribute('href');
  expect(preload).toMatch(/^\/wxportal_bg\.wasm\?v=/);
  await context.close();
});
