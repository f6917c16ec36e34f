import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO_CASES } from '../../simulators/demo-tenant.js';
import { demoInBrowser } from '../helpers/demo-browser.js';

/**
 * The Audit view against the demo: the administrator approves the app in Microsoft 365 (an
 * audited change), opens Administrator tools → Audit, filters by the consent category and sees
 * the entry, in words, by them; Export CSV downloads the same entries.
 */
describe('audit view in the demo', () => {
  const demo = demoInBrowser();

  test('an audited change shows in Tools → Audit under its filter, and in the export', { timeout: 120_000 }, async () => {
    const context = await demo.browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1024, height: 700 }, acceptDownloads: true });
    const page = await context.newPage();
    const button = (name: string) => page.getByRole('button', { name, exact: true });
    await page.goto(demo.server.panelUrl);
    const [popup] = await Promise.all([page.waitForEvent('popup'), button('Sign in with SuperOffice').click()]);
    await popup.locator('button[name="associate_id"][value="1"]').click();
    await page.locator('so-sync-settings [data-who]', { hasText: /^Signed in as / }).waitFor();

    const [consent] = await Promise.all([page.waitForEvent('popup'), button('Approve in Microsoft 365').click()]);
    await consent.click(`button[name="user_id"][value="${DEMO_CASES.adminMailboxId}"]`);
    await consent.click('button[value="accept"]');
    await page.locator('so-sync-settings p[data-ms]', { hasText: /^Connected/ }).waitFor({ state: 'attached' });

    await button('Administrator tools').click();
    await page.getByRole('tab', { name: 'Audit' }).click();
    const view = page.locator('so-audit-view');
    await view.locator('tbody tr').first().waitFor();
    await view.getByLabel('Action').selectOption('consent');
    await view.locator('[data-action="apply"]').click();
    const row = view.locator('tbody tr', { hasText: 'Connected Microsoft 365' });
    await row.waitFor();
    assert.equal(await view.locator('tbody tr').count(), await view.locator('tbody tr', { hasText: 'Connected Microsoft 365' }).count(), 'only consent entries');
    const who = (await page.locator('so-sync-settings [data-who]').textContent())!.replace(/^Signed in as\s*/, '').trim();
    assert.ok((await row.textContent())!.includes(who.split(/[\s(]/)[0]!), `by ${who}`);

    const [download] = await Promise.all([page.waitForEvent('download'), view.locator('[data-action="export"]').click()]);
    assert.match(download.suggestedFilename(), /^audit-\d{4}-\d\d-\d\d\.csv$/);
    const stream = await download.createReadStream();
    let text = '';
    for await (const chunk of stream) text += String(chunk);
    assert.ok(text.startsWith('\uFEFFid,at,'));
    assert.ok(text.includes('tenant.microsoft_consent'));
    assert.ok(!text.includes('link.created'), 'the export keeps the filter');
    await context.close();
  });
});
