import { after, before } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { DEMO_CASES } from '../../simulators/demo-tenant.js';
import { launchChromium } from './browser.js';
import { startDemoServer, type DemoServer } from './demo-server.js';

/**
 * For a `describe` block: the demo (`npm start`'s process) and a Chromium, started before its
 * tests and stopped after them. Read them inside the tests, once `before` has run.
 */
export function demoInBrowser(env: Record<string, string> = {}): { readonly server: DemoServer; readonly browser: Browser } {
  let server: DemoServer | undefined;
  let browser: Browser | undefined;
  before(async () => {
    server = await startDemoServer(env);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
  return {
    get server() {
      return server!;
    },
    get browser() {
      return browser!;
    },
  };
}

/**
 * A new page on the demo's panel, signed in as its administrator (associate 1); with `consent`,
 * Microsoft 365 approved too (as the administrator tools' e2e tests begin).
 */
export async function adminPanel(
  demo: { readonly server: DemoServer; readonly browser: Browser },
  options: { consent?: boolean; acceptDownloads?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page; button: (name: string) => Locator }> {
  const context = await demo.browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1024, height: 700 }, acceptDownloads: options.acceptDownloads ?? false });
  const page = await context.newPage();
  const button = (name: string) => page.getByRole('button', { name, exact: true });
  await page.goto(demo.server.panelUrl);
  const [popup] = await Promise.all([page.waitForEvent('popup'), button('Sign in with SuperOffice').click()]);
  await popup.locator('button[name="associate_id"][value="1"]').click();
  await page.locator('so-sync-settings [data-who]', { hasText: /^Signed in as / }).waitFor();
  if (options.consent) {
    const [consent] = await Promise.all([page.waitForEvent('popup'), button('Approve in Microsoft 365').click()]);
    await consent.click(`button[name="user_id"][value="${DEMO_CASES.adminMailboxId}"]`);
    await consent.click('button[value="accept"]');
    await page.locator('so-sync-settings p[data-ms]', { hasText: /^Connected/ }).waitFor({ state: 'attached' });
  }
  return { context, page, button };
}

/** Administrator tools, then one tool's tab. */
export async function openTool(page: Page, tab: string): Promise<void> {
  await page.getByRole('button', { name: 'Administrator tools', exact: true }).click();
  await page.getByRole('tab', { name: tab, exact: true }).click();
}
