import { defineConfig } from '@playwright/test';

// The server is started once by global-setup (fresh data dir, free port) and its URL handed over
// through the environment. Chromium is Debian's (/usr/bin/chromium): Playwright never downloads one.
const chromium = process.env.WXPORTAL_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
  globalTeardown: './global-teardown.ts',
  // Two cores: one worker keeps timings honest and the shared server state predictable.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: process.env.WXPORTAL_E2E_URL,
    extraHTTPHeaders: process.env.WXPORTAL_SANDBOX_CONTROL_TOKEN
      ? { 'X-Wxportal-Sandbox-Token': process.env.WXPORTAL_SANDBOX_CONTROL_TOKEN }
      : {},
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    // The first login (with its forced password change) must happen before anything else.
    { name: 'first-login', testMatch: /first-login\.spec\.ts/ },
    {
      name: 'desktop',
      testIgnore: /first-login\.spec\.ts/,
      dependencies: ['first-login'],
      use: { viewport: { width: 1280, height: 800 } },
    },
  ],
});
