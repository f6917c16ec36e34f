import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
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
