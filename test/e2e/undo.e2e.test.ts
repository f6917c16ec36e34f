import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { adminPanel, demoInBrowser } from '../helpers/demo-browser.js';

/**
 * Undo in the demo: an administrator removes a user in the main view, opens Tools → Undo, finds
 * them among the removed users, restores them, goes back, and the user is in the list again.
 */
describe('Undo in the demo', () => {
  const demo = demoInBrowser();

  test('remove a user, restore them from Tools → Undo, and they are linked again', { timeout: 120_000 }, async () => {
    const { context, page, button } = await adminPanel(demo);
    const linked = page.locator('so-linked-user-list');
    const ingrid = linked.locator('.body [role="row"]', { hasText: 'Ingrid Haugen' });

    await ingrid.waitFor();

    // Remove Selected Users: the dialog says the user stays restorable.
    await ingrid.locator('[data-column="associate"]').click();
    await button('Remove Selected Users').click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    assert.match((await dialog.textContent())!, /For 30 days they can be restored exactly/);
    await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
    await page.locator('so-sync-settings [data-for="remove"]', { hasText: /^Removed 1 linked user/ }).waitFor();
    await ingrid.waitFor({ state: 'detached' });

    // Tools → Undo: the removed user is listed; select and restore.
    await page.locator('so-sync-settings button[data-action="tools"]').click();
    await page.getByRole('tab', { name: 'Undo' }).click();
    const view = page.locator('so-undo-view');
    const row = view.locator('[data-removed-id]', { hasText: 'Ingrid Haugen' });
    await row.waitFor();
    assert.match((await view.locator('[data-action-id]').first().textContent())!, /Remove Selected Users: 1 user \(Ingrid Haugen\)/);
    await view.getByRole('checkbox', { name: 'Select Ingrid Haugen' }).check();
    await view.getByRole('button', { name: 'Restore 1 user' }).click();
    await view.locator('[data-for="message"]', { hasText: /^Restored 1 user/ }).waitFor();
    await row.waitFor({ state: 'detached' });

    // Back: the lists are loaded again (a tool changed links) and Ingrid is linked again.
    await page.locator('so-sync-settings button[data-action="back"]').click();
    await ingrid.waitFor();
    assert.equal(await ingrid.count(), 1);
    await context.close();
  });
});
