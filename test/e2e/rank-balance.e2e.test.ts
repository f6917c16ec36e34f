import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { adminPanel, demoInBrowser, openTool } from '../helpers/demo-browser.js';

/**
 * Server Ranks in the demo, end to end: the administrator approves Microsoft 365 (so the demo's
 * worker syncs and its passes record their Graph requests), opens Administrator tools → Server
 * Ranks, waits for the measured load, adds a rank for a new worker, proposes, and applies: the
 * moved users are on the new rank in the ranks table and in Linked Users for Synchronization.
 */
async function assertEventually(check: () => Promise<boolean>, message: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    assert.ok(Date.now() < until, message);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('Server Ranks in the demo', () => {
  const demo = demoInBrowser();

  test('Tools → Server Ranks: the measured load per rank; Propose onto a new rank, then Apply moves those users', { timeout: 180_000 }, async () => {
    const { context, page } = await adminPanel(demo, { consent: true });
    await page.locator('so-linked-user-list .body [role="row"]').first().waitFor();

    await openTool(page, 'Server Ranks');
    const tool = page.locator('so-rank-balance');
    const rows = tool.locator('table[aria-label="Server Ranks"] tbody tr');
    await rows.first().waitFor();
    // Users, items in sync and Graph requests per rank: read again until the worker's passes show.
    const totals = () =>
      rows.evaluateAll((trs) => trs.reduce((t, tr) => ({ users: t.users + Number(tr.children[1]!.textContent), requests: t.requests + Number(tr.children[3]!.textContent) }), { users: 0, requests: 0 }));
    const deadline = Date.now() + 90_000;
    while ((await totals()).requests === 0) {
      assert.ok(Date.now() < deadline, 'the worker synced and its Graph requests show per rank within 90 s');
      await page.waitForTimeout(1000);
      await tool.evaluate((el) => (el as unknown as { reload(): Promise<void> }).reload());
    }
    const before = await totals();
    assert.ok(before.users > 1, 'the demo has linked users on its ranks');

    // A rank with no users yet (a new worker's) joins the choice.
    await tool.getByRole('spinbutton', { name: 'Server Rank' }).fill('42');
    await tool.getByRole('spinbutton', { name: 'Server Rank' }).press('Enter');
    await tool.locator('input[data-choose="42"]').waitFor();
    assert.equal(await tool.locator('input[data-choose="42"]').isChecked(), true);
    await tool.getByRole('button', { name: 'Propose', exact: true }).click();
    await tool.locator('[data-spread]').waitFor();
    const [, spreadBefore, spreadAfter] = /(\d+) before, (\d+) after\./.exec((await tool.locator('[data-spread]').textContent())!)!.map(Number);
    assert.ok(spreadAfter! < spreadBefore!, `the proposal narrows the spread (${spreadBefore} → ${spreadAfter})`);
    const moves = await tool.locator('tr[data-move]').evaluateAll((trs) => trs.map((tr) => ({ name: tr.children[0]!.textContent!, to: Number(tr.children[2]!.textContent) })));
    assert.ok(moves.length > 0);
    assert.ok(moves.some((m) => m.to === 42), 'someone moves onto the new rank');

    await tool.getByRole('button', { name: 'Apply', exact: true }).click();
    await tool.locator('[data-message]', { hasText: `${moves.length} users moved.` }).waitFor();
    const onNew = Number(await tool.locator('tr[data-rank="42"] td').nth(1).textContent());
    assert.equal(onNew, moves.filter((m) => m.to === 42).length, 'the ranks table shows the moved users on rank 42');
    assert.equal((await totals()).users, before.users, 'no user gained or lost');

    // Back in Linked Users for Synchronization (read again: a tool changed links), each moved
    // user's Server Rank is the new one.
    await page.locator('so-sync-settings button[data-action="back"]').click();
    const list = page.locator('so-linked-user-list');
    for (const m of moves) {
      await list.locator('input[type="search"]').fill(m.name);
      const row = list.locator('.body [role="row"]', { hasText: m.name }).first();
      await row.waitFor();
      await assertEventually(async () => (await row.getByRole('spinbutton').inputValue()) === String(m.to), `${m.name} is on rank ${m.to} in the list`);
    }
    await context.close();
  });
});
