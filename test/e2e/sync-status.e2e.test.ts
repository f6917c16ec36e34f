import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO_CASES } from '../../simulators/demo-tenant.js';
import { demoInBrowser } from '../helpers/demo-browser.js';

/**
 * The Status column against the demo's own sync worker (`npm start` runs one in the backend's
 * process): what the worker last did shows in words, the filter counts it, and Sync now has the
 * worker take the user at once, the panel following until the Status changes.
 */
describe('sync status in the demo', () => {
  const demo = demoInBrowser();

  test('the Status column shows the worker\'s state; Sync now changes it', { timeout: 120_000 }, async () => {
    const context = await demo.browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1024, height: 700 } });
    const page = await context.newPage();
    const button = (name: string) => page.getByRole('button', { name, exact: true });
    const linked = page.locator('so-linked-user-list');
    const ingrid = linked.locator('.body [role="row"]', { hasText: 'Ingrid Haugen' });
    const status = ingrid.locator('[data-column="sync"] .badge[data-sync]');

    const signIn = async () => {
      const [popup] = await Promise.all([page.waitForEvent('popup'), button('Sign in with SuperOffice').click()]);
      await popup.locator('button[name="associate_id"][value="1"]').click();
      await ingrid.waitFor();
    };
    await page.goto(demo.server.panelUrl);
    await signIn();
    // Before Microsoft 365 is approved the worker's passes fail, and the Status says so in words.
    // The list is read at sign-in: if the worker's first pass had not run yet, read it again.
    for (let attempt = 0; (await status.textContent()) !== 'Error'; attempt++) {
      assert.ok(attempt < 10, `the worker's error is shown (Status: ${await status.textContent()})`);
      await page.waitForTimeout(1000);
      await page.reload(); // the tab's session lasts the reload: no new sign-in
      await page.locator('so-sync-settings [data-who]', { hasText: /^Signed in as / }).waitFor();
    }
    const message = (await ingrid.locator('[data-sync-message]').textContent())!;
    assert.match(message, /^The app is not approved in Microsoft 365 for this tenant yet\./, 'plain words');
    assert.doesNotMatch(message, /\b[45]\d\d\b|[a-z][A-Z]\w*Error|invalid_|AADSTS/, 'no HTTP status or error code');
    // The filter counts the errors and shows only them.
    const filter = linked.locator('select[data-status-filter]');
    const errors = (await filter.locator('option[value="error"]').textContent())!;
    assert.match(errors, /^Errors \(\d+\)$/);
    await filter.selectOption('error');
    const shown = await linked.locator('.body [role="row"]').count();
    assert.equal(shown, Number(/\d+/.exec(errors)![0]));
    await filter.selectOption('all');

    // Approve the app, then Sync now for Ingrid: the worker takes her at once and the Status follows.
    const [consent] = await Promise.all([page.waitForEvent('popup'), button('Approve in Microsoft 365').click()]);
    await consent.click(`button[name="user_id"][value="${DEMO_CASES.adminMailboxId}"]`);
    await consent.click('button[value="accept"]');
    await page.locator('so-sync-settings p[data-ms]', { hasText: /^Connected/ }).waitFor({ state: 'attached' });
    await ingrid.locator('[data-column="associate"]').click();
    await button('Sync now').click();
    await page.locator('so-sync-settings [data-for="syncNow"]', { hasText: /^Asked to synchronize 1 linked user now\./ }).waitFor();
    await page.locator('so-sync-settings [data-for="syncNow"]', { hasText: 'The synchronizer has worked it: see the Status column.' }).waitFor({ timeout: 60_000 });
    assert.equal(await status.textContent(), 'In sync');
    assert.equal(await ingrid.locator('[data-sync-message]').count(), 0, 'nothing wrong to say any more');
    await context.close();
  });
});
