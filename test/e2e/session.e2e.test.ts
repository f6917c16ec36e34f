import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_CASES } from '../../simulators/demo-tenant.js';
import { launchChromium } from '../helpers/browser.js';
import { startDemoServer, type DemoServer } from '../helpers/demo-server.js';

/**
 * The sign-in that lasts, against `npm start`'s demo in Chromium: a reload keeps the session,
 * Sign out ends it (and the next load stays signed out), and signing in again while SuperOffice's
 * own sign-in session lives is silent (a hidden frame, no popup, no typing).
 */
describe('the panel session in Chromium', () => {
  let server: DemoServer;
  let browser: Browser;

  before(async () => {
    // On the simulators' host: SuperID's session cookie is first-party in the panel's hidden frame.
    server = await startDemoServer({}, '127.0.0.1');
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('sign in, reload, Sign out, reload, sign in again silently', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1024, height: 700 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && !/ResizeObserver loop/.test(m.text()) && errors.push(m.text()));
    page.on('pageerror', (e) => !/ResizeObserver loop/.test(e.message) && errors.push(e.message));
    let popups = 0;
    context.on('page', (p) => {
      if (p !== page) popups++;
    });
    const button = (name: string) => page.getByRole('button', { name, exact: true });
    const who = page.locator('so-sync-settings p[data-who]');
    const signInButton = button('Sign in with SuperOffice');
    const signedOutIdle = async (p: Page) => {
      await p.locator('so-sync-settings').getByText('Not signed in.').waitFor();
      // The load's own silent attempt is over (the button is enabled again).
      await p.waitForFunction(
        `[...(document.querySelector('so-sync-settings')?.shadowRoot?.querySelectorAll('button') ?? [])].some((b) => b.textContent.trim() === 'Sign in with SuperOffice' && !b.disabled)`,
      );
    };

    // A fresh browser: no SuperOffice session yet, so the load's silent sign-in gives way quietly.
    await page.goto(server.panelUrl);
    await signedOutIdle(page);
    assert.equal(await page.locator('so-sync-settings [role="alert"]').count(), 0, 'no error for the silent attempt');

    const [popup] = await Promise.all([page.waitForEvent('popup'), signInButton.click()]);
    await popup.locator('button[name="associate_id"][value="1"]').click();
    await who.waitFor();
    assert.match((await who.textContent())!, /^Signed in as .+\(administrator\)/);
    // Approve the app in Microsoft 365 once, so the mailbox list can be loaded.
    const [consent] = await Promise.all([page.waitForEvent('popup'), button('Approve in Microsoft 365').click()]);
    await consent.click(`button[name="user_id"][value="${DEMO_CASES.adminMailboxId}"]`);
    await consent.click('button[value="accept"]');
    await page.locator('so-sync-settings p[data-ms]', { hasText: /^Connected/ }).waitFor({ state: 'attached' });
    const popupsBefore = popups;

    // Reload: still signed in, the mailbox list loads, no popup.
    await page.reload();
    await who.waitFor();
    assert.match((await who.textContent())!, /^Signed in as .+\(administrator\)/);
    await button('Load External Users').click();
    await page.locator('so-sync-settings [data-for="load"]', { hasText: /^Loaded \d+ users\.$/ }).waitFor();
    assert.equal(popups, popupsBefore, 'no popup after the reload');
    const stored = await page.evaluate<string>('JSON.stringify(Object.entries(sessionStorage))');
    const token = /sls_[A-Za-z0-9_-]{43}/.exec(stored)?.[0];
    assert.ok(token, 'the session is in the tab’s sessionStorage');
    assert.ok(!page.url().includes('sls_'), 'never in the URL');
    assert.ok(!server.output().includes(token), 'never in the log');

    // Sign out: signed out, and still after a reload (SuperOffice's session lives, but the tab signed out).
    await button('Sign out').click();
    await page.locator('so-sync-settings [data-for="signIn"]', { hasText: 'You are signed out.' }).waitFor();
    const after = await fetch(`${server.origin}/api/v1/session`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(after.status, 401, 'the backend session is ended');
    await page.reload();
    await signedOutIdle(page);
    assert.equal(await who.count(), 0, 'not signed in again by itself');

    // Sign in again: SuperOffice's session lives, so the hidden frame signs in. No popup, no typing.
    await signInButton.click();
    await who.waitFor();
    assert.match((await who.textContent())!, /^Signed in as .+\(administrator\)/);
    assert.equal(popups, popupsBefore, 'signed in again without a popup');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
