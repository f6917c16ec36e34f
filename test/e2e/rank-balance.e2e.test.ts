import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { adminPanel, demoInBrowser, openTool } from '../helpers/demo-browser.js';

/**
 * Server Ranks in the demo: the administrator opens Administrator tools, the Server Ranks tab,
 * sees the demo's linked users per rank, adds a rank for a new worker, and asks for a proposal:
 * the answer (the moves with the spread before and after, or that nothing needs to move) shows.
 */
describe('Server Ranks in the demo', () => {
  const demo = demoInBrowser();

  test('Tools → Server Ranks: the load per rank, then Propose for the chosen ranks', { timeout: 120_000 }, async () => {
    const { context, page } = await adminPanel(demo);
    await page.locator('so-linked-user-list .body [role="row"]').first().waitFor();

    await openTool(page, 'Server Ranks');
    const tool = page.locator('so-rank-balance');
    const rows = tool.locator('table[aria-label="Server Ranks"] tbody tr');
    await rows.first().waitFor();
    const users = await rows.evaluateAll((trs) => trs.reduce((n, tr) => n + Number(tr.children[1]!.textContent), 0));
    assert.ok(users > 0, 'the demo has linked users on its ranks');

    // A rank with no users yet (a new worker's) joins the choice.
    await tool.getByRole('spinbutton', { name: 'Server Rank' }).fill('42');
    await tool.getByRole('spinbutton', { name: 'Server Rank' }).press('Enter');
    await tool.locator('input[data-choose="42"]').waitFor();
    assert.equal(await tool.locator('input[data-choose="42"]').isChecked(), true);
    await tool.getByRole('button', { name: 'Propose', exact: true }).click();
    const spread = tool.locator('[data-spread]');
    const nothing = tool.locator('[data-message]', { hasText: 'nothing to change' });
    await spread.or(nothing).waitFor();
    if (await spread.count()) {
      assert.match((await spread.textContent())!, /\d+ before, \d+ after\./);
      assert.ok((await tool.locator('tr[data-move]').count()) > 0);
    }
    await context.close();
  });
});
