import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';
import { ADMIN_PASSWORD, ADMIN_STORAGE, state } from './state';

// The server's URL is only known after global-setup picked a free port.
export const test = base.extend({
  baseURL: async ({}, use) => {
    await use(state().url);
  },
});
export { expect };

/** Signs in through the login form. */
export async function login(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** An API context signed in as the admin (for arranging data the test is not about). */
export async function adminApi(playwright: { request: { newContext: Function } }): Promise<APIRequestContext> {
  const ctx: APIRequestContext = await playwright.request.newContext({
    baseURL: state().url,
    storageState: ADMIN_STORAGE,
  });
  return ctx;
}

export { ADMIN_PASSWORD, ADMIN_STORAGE };
