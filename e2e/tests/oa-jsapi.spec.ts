import { test, expect, ADMIN_STORAGE } from './fixtures';

// The follower's "my orders / pay" page, as a phone opens it from the menu: WeChat's web
// authorisation (the emulator's authorize page) identifies the follower, buying places a JSAPI
// order, and outside WeChat the sandbox emulator confirms getBrandWCPayRequest as the payer.
test.use({ storageState: ADMIN_STORAGE, viewport: { width: 390, height: 844 } });

async function demoOa(request: any): Promise<{ id: number }> {
  const list = await (await request.get('/api/accounts')).json();
  const oa = list.find((a: any) => a.environment === 'sandbox' && a.kind === 'official_account');
  expect(oa, 'the sandbox demo Official Account').toBeTruthy();
  return { id: oa.id };
}

test('a sandbox follower opens the menu page, pays a product with JSAPI pay and sees it paid', async ({ page, browser }) => {
  const { id } = await demoOa(page.request);

  // Staff find the address for the menu's link button on the menu editor.
  await page.goto(`/accounts/${id}/menus`);
  const url = page.getByTestId('menu-orders-url');
  await expect(url).toHaveText(new RegExp(`/oa/${id}/orders$`));
  await expect(page.getByTestId('copy-menu-orders-url')).toBeVisible();
  const address = (await url.textContent())!.trim();

  // A phone without the staff's session.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  const p = await phone.newPage();
  await p.goto(address);
  // WeChat's authorize page (emulated): the follower agrees.
  await expect(p).toHaveURL(/open\.weixin\.qq\.com\/connect\/oauth2\/authorize/);
  await p.locator('select[name=openid]').selectOption({ index: 1 });
  await p.getByRole('button', { name: '允许' }).click();
  await expect(p).toHaveURL(new RegExp(`/oa/${id}/orders\\?lang=zh$`));
  await expect(p.locator('html')).toHaveAttribute('lang', 'zh-CN');

  const product = p.getByTestId('oa-product').filter({ hasText: '测试商品' });
  await expect(product).toContainText('¥0.01');
  await product.getByTestId('oa-buy').click();
  await expect(p.getByTestId('oa-order-detail')).toContainText('测试商品');
  await expect(p.getByTestId('oa-order-state')).toHaveAttribute('data-state', 'NOTPAY');
  // No WeixinJSBridge in this browser: the sandbox says the emulator will confirm.
  await expect(p.getByTestId('oa-sandbox-note')).toBeVisible();
  await p.screenshot({ path: 'test-results/oa-jsapi-order-390-zh.png', fullPage: true });
  await p.getByTestId('oa-pay').click();
  await expect(p.getByTestId('oa-order-state')).toHaveAttribute('data-state', 'SUCCESS', { timeout: 15_000 });
  await expect(p.getByTestId('oa-order-state')).toHaveText('支付成功');
  await expect(p.getByTestId('oa-pay')).toHaveCount(0);

  // The list shows the paid order, newest first, in yuan.
  await p.getByTestId('oa-back').click();
  const first = p.getByTestId('oa-order').first();
  await expect(first).toContainText('测试商品');
  await expect(first).toContainText('¥0.01');
  await expect(first.getByTestId('oa-order-state')).toHaveAttribute('data-state', 'SUCCESS');
  await p.screenshot({ path: 'test-results/oa-jsapi-orders-390-zh.png', fullPage: true });

  // One language at a time.
  await p.getByRole('link', { name: 'English' }).click();
  await expect(p.locator('html')).toHaveAttribute('lang', 'en');
  await expect(p.getByTestId('oa-order').first().getByTestId('oa-order-state')).toHaveText('Paid');
  await expect(p.getByText('我的订单与支付')).toHaveCount(0);
  await p.screenshot({ path: 'test-results/oa-jsapi-orders-390-en.png', fullPage: true });
  await p.getByTestId('oa-order').first().click();
  await expect(p.getByTestId('oa-order-detail')).toContainText('Paid at');
  await p.screenshot({ path: 'test-results/oa-jsapi-order-390-en.png', fullPage: true });
  await phone.close();
});
