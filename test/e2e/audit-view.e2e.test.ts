import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { adminPanel, demoInBrowser, openTool } from '../helpers/demo-browser.js';

/**
 * The Audit view against the demo: the administrator approves the app in Microsoft 365 (an
 * audited change), opens Administrator tools → Audit, filters by the consent category and sees
 * the entry, in words, by them; Export CSV downloads the same entries.
 */
describe('audit view in the demo', () => {
  const demo = demoInBrowser();

  test('an audited change shows in Tools → Audit under its filter, and in the export', { timeout: 120_000 }, async () => {
    const { context, page } = await adminPanel(demo, { consent: true, acceptDownloads: true });


    await openTool(page, 'Audit');
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
