import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { adminPanel, demoInBrowser, openTool } from '../helpers/demo-browser.js';

/**
 * Alerts in the demo: the administrator opens Administrator tools, the Alerts tab, chooses
 * themself as recipient, saves, generates the webhook secret (shown once) and sends a test.
 */
describe('alerts in the demo', () => {
  const demo = demoInBrowser();

  test('Tools → Alerts: save a recipient, generate the secret, send a test and see what happened', { timeout: 120_000 }, async () => {
    const { context, page } = await adminPanel(demo);

    await openTool(page, 'Alerts');
    const alerts = page.locator('so-alerts');
    const me = alerts.locator('input[name="recipient"]').first();
    await me.waitFor();
    await alerts.getByLabel('Send the daily digest').check();
    await me.check();
    await alerts.getByLabel('Hour of day (UTC)').selectOption('8');
    await alerts.getByRole('button', { name: 'Save', exact: true }).click();
    await alerts.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    await alerts.getByRole('button', { name: 'Generate secret', exact: true }).click();
    const secret = alerts.locator('[data-secret] code');
    await secret.waitFor();
    assert.match((await secret.textContent())!, /^whsec_[A-Za-z0-9_-]{43}$/);

    await alerts.getByRole('button', { name: 'Send test', exact: true }).click();
    const result = alerts.locator('[data-test-result] li');
    await result.first().waitFor();
    // One line per recipient, saying whether it went out (the demo has no invite sender set yet, so it says why not).
    assert.equal(await result.count(), 1);
    assert.match((await result.first().textContent())!, /@.*: (sent|failed) \(/);

    // Reloaded, the settings are as saved and the secret is not shown again.
    await page.reload();
    await page.locator('so-sync-settings [data-who]', { hasText: /^Signed in as / }).waitFor();
    await openTool(page, 'Alerts');
    await alerts.locator('input[name="recipient"]').first().waitFor();
    assert.equal(await alerts.locator('input[name="recipient"]').first().isChecked(), true);
    assert.equal(await alerts.getByLabel('Hour of day (UTC)').inputValue(), '8');
    assert.equal(await alerts.locator('[data-secret]').count(), 0);
    await alerts.getByText('A signing secret is set.', { exact: false }).waitFor();
    await context.close();
  });
});
