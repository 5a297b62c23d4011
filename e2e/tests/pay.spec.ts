import { test, expect, ADMIN_STORAGE } from './fixtures';
import type { Page } from '@playwright/test';

// A payer's phone and a staff member on the same small screen: the demo merchant of the
// sandbox, its products, the simulate panel as the payer, the public pages, a refund.
test.use({ storageState: ADMIN_STORAGE, viewport: { width: 390, height: 844 } });

async function demoMerchant(page: Page): Promise<{ id: number; products: { id: number; name: string; price_fen: number }[] }> {
  const accounts = await (await page.request.get('/api/accounts')).json();
  const m = accounts.find((a: any) => a.kind === 'pay_merchant' && a.environment === 'sandbox');
  expect(m, 'the sandbox demo merchant').toBeTruthy();
  const products = await (await page.request.get(`/api/pay/merchants/${m.id}/products`)).json();
  expect(products.length).toBeGreaterThan(0);
  return { id: m.id, products };
}

test('mode 1: scan a product code as a payer, pay, the order page turns paid', async ({ page, context }) => {
  const { id, products } = await demoMerchant(page);
  const product = products[0];

  // The payer's view: the product page with its mode-1 code.
  const phone = await context.newPage();
  await phone.goto(`/pay/${id}/products/${product.id}`);
  await expect(phone.getByTestId('pay-product')).toContainText(product.name);
  await expect(phone.getByTestId('pay-qr-mode1')).toHaveAttribute('data-code', /^weixin:\/\/wxpay\/bizpayurl\?sign=/);

  // The sandbox's simulate panel: scan that product's code as a follower of the demo OA.
  await page.goto(`/accounts/${id}`);
  const panel = page.getByTestId('simulate-panel');
  await panel.getByTestId('simulate-pay-mode').selectOption('product');
  await panel.getByTestId('simulate-product').selectOption(String(product.id));
  await panel.getByTestId('simulate-payer').selectOption({ index: 1 });
  await panel.getByTestId('simulate-pay').click();
  await expect(panel.getByTestId('simulate-payment-state')).toHaveAttribute('data-state', 'SUCCESS');
  const orderUrl = await panel.getByTestId('simulate-order-link').getAttribute('href');
  expect(orderUrl).toMatch(new RegExp(`^/pay/${id}/orders/\\d{32}$`));

  await phone.goto(orderUrl!);
  await expect(phone.getByTestId('pay-order-state')).toHaveAttribute('data-state', 'SUCCESS');
});

test('mode 2: the order page turns paid without reload; staff refund it and the notification lands', async ({ page, context }) => {
  const { id, products } = await demoMerchant(page);
  const product = products.find((p) => p.price_fen >= 100) ?? products[0];

  // The payer opens the product page and asks for a mode-2 order (the page alone makes none),
  // which waits on its order page with its code.
  const phone = await context.newPage();
  await phone.goto(`/pay/${id}/products/${product.id}`);
  await phone.getByTestId('pay-order-create').click();
  await expect(phone).toHaveURL(new RegExp(`/pay/${id}/orders/\\d{32}$`));
  const code = await phone.getByTestId('pay-qr-mode2').getAttribute('data-code');
  expect(code).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
  const state = phone.getByTestId('pay-order-state');
  await expect(state).toHaveAttribute('data-state', 'NOTPAY');

  // Staff, as the payer in the sandbox: scan that code_url and pay.
  await page.goto(`/accounts/${id}`);
  const panel = page.getByTestId('simulate-panel');
  await panel.getByTestId('simulate-pay-mode').selectOption('code');
  // Inline validation: nothing to scan yet.
  await panel.getByTestId('simulate-pay').click();
  await expect(panel.getByTestId('error-code')).toBeVisible();
  await panel.getByTestId('simulate-code').fill(code!);
  await panel.getByTestId('simulate-pay').click();
  await expect(panel.getByTestId('simulate-payment-state')).toHaveAttribute('data-state', 'SUCCESS');

  // The payer's page follows by itself (no reload).
  await expect(state).toHaveAttribute('data-state', 'SUCCESS', { timeout: 15_000 });

  // Staff find the order in the console and refund part of it.
  await panel.getByTestId('simulate-order-detail').click();
  await expect(page.getByTestId('order-state')).toHaveAttribute('data-state', 'SUCCESS');
  await expect(page.getByTestId('order-transition')).toHaveCount(1);
  const amount = page.getByTestId('refund-amount');
  await amount.fill('999999');
  await page.getByTestId('refund-submit').click();
  await expect(page.getByTestId('error-refund_fee')).toBeVisible();
  await amount.fill('0.01');
  await expect(page.getByTestId('error-refund_fee')).toBeHidden();
  await page.getByTestId('refund-reason').fill('e2e');
  await page.getByTestId('refund-submit').click();
  // Nothing leaves before staff confirm the amount.
  await page.getByTestId('confirm-ok').click();
  // The refund notification lands: the refund succeeds and the order shows it.
  await expect(page.getByTestId('refund-row').first()).toHaveAttribute('data-state', 'SUCCESS', { timeout: 15_000 });
  await expect(page.getByTestId('order-state')).toHaveAttribute('data-state', 'REFUND');
  await expect(page.getByTestId('order-refunded')).toHaveText('¥0.01');
  await expect(page.locator('[data-testid="order-notification"][data-kind="refund"][data-outcome="applied"]')).toHaveCount(1);
});

test('the payments console: dashboard chart, orders with filters, products', async ({ page }) => {
  const { id } = await demoMerchant(page);
  await page.goto('/pay');
  await page.getByTestId('pay-merchant').first().click();
  await expect(page.getByTestId('dashboard-chart')).toBeVisible();
  await expect(page.getByTestId('dashboard-paid')).not.toHaveText('0');

  await page.getByTestId('pay-tab-orders').click();
  await expect(page).toHaveURL(new RegExp(`/pay/${id}\\?tab=orders`));
  await expect(page.getByTestId('order-row').first()).toBeVisible();
  // On a phone the filters are folded behind a toggle.
  await page.getByTestId('orders-filters-toggle').click();
  await page.getByTestId('orders-state').selectOption('REFUND');
  // Other specs refund orders of the same demo merchant: the list shows what the API counts.
  const refunded = await (await page.request.get(`/api/pay/merchants/${id}/orders?state=REFUND`)).json();
  expect(refunded.total).toBeGreaterThan(0);
  await expect(page.getByTestId('order-row')).toHaveCount(Math.min(refunded.total, refunded.per_page));
  await page.getByTestId('orders-min').fill('abc');
  await page.getByTestId('orders-min').blur();
  await expect(page.getByTestId('orders-amount-error')).toBeVisible();

  await page.getByTestId('pay-tab-products').click();
  await page.getByTestId('product-save').click();
  await expect(page.getByTestId('error-name')).toBeVisible();
  await page.getByTestId('product-name').fill('e2e 商品');
  await page.getByTestId('product-price').fill('3.5');
  await page.getByTestId('product-save').click();
  await expect(page.getByTestId('product-row').filter({ hasText: 'e2e 商品' })).toContainText('¥3.50');
});
