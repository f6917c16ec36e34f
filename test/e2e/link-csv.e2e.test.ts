import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { adminPanel, demoInBrowser, openTool } from '../helpers/demo-browser.js';

/**
 * The CSV tool in the demo: the administrator exports the linked users, changes one Server Rank
 * in the file, previews it (one changed row), applies it, and the list shows the new rank.
 */
describe('CSV export and import in the demo', () => {
  const demo = demoInBrowser();

  test('export, edit a rank in the file, preview shows 1 changed, apply, the list shows the new rank', { timeout: 120_000 }, async () => {
    const { context, page, button } = await adminPanel(demo, { acceptDownloads: true });
    const linked = page.locator('so-linked-user-list');
    const ingrid = linked.locator('.body [role="row"]', { hasText: 'Ingrid Haugen' });
    await ingrid.waitFor();

    await openTool(page, 'CSV');
    const tool = page.locator('so-link-csv');
    const [download] = await Promise.all([page.waitForEvent('download'), tool.getByRole('button', { name: 'Export', exact: true }).click()]);
    assert.match(download.suggestedFilename(), /^linked-users-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8');
    const lines = text.split('\r\n');
    const at = lines.findIndex((l) => l.includes('Ingrid Haugen'));
    assert.ok(at > 0, 'Ingrid is in the file');
    const cells = lines[at]!.split(',');
    const rank = Number(cells[7]);
    const next = rank === 42 ? 43 : 42;
    cells[7] = String(next);
    lines[at] = cells.join(',');

    await tool.locator('input[type="file"]').setInputFiles({ name: 'links.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\r\n'), 'utf8') });
    await tool.getByRole('button', { name: 'Preview', exact: true }).click();
    await tool.locator('[data-counts]', { hasText: /^0 new, 1 changed, \d+ unchanged, 0 refused\.$/ }).waitFor();
    assert.match((await tool.locator('tr[data-status="changed"]').textContent())!, new RegExp(`Ingrid Haugen[\\s\\S]*rank: ${rank} → ${next}`));
    await tool.getByRole('button', { name: 'Apply', exact: true }).click();
    await tool.locator('[data-result]', { hasText: /^Applied: 0 linked, 1 changed, \d+ unchanged, 0 skipped\.$/ }).waitFor();

    await button('Back to User Synchronization Settings').click();
    await ingrid.waitFor();
    assert.equal(await ingrid.locator('[data-column="rank"] input').inputValue(), String(next));
    await context.close();
  });
});
