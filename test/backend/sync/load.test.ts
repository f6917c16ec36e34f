import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hourOf } from '../../../backend/sync/load.repository.js';
import { at, makeWorld, type World } from './diary/world.js';

/**
 * What Server Rank balancing measures: each pass records, with its outcome, the Graph requests it
 * made (a `$batch` as its items) and Graph's 429s, in its mailbox's hour (sync_load). Checked
 * against what the Graph simulator itself counted, with a 429 the simulator injected.
 */
describe('sync load per mailbox and hour', () => {
  let w: World;
  before(async () => {
    w = await makeWorld({ users: 2 });
  });
  after(() => w.close());

  const rows = (mailboxId: string) => w.h.store.db.selectFrom('sync_load').selectAll().where('tenant_id', '=', w.tenantId).where('mailbox_id', '=', mailboxId).execute();
  /** The requests Graph counted, a `$batch` as its items (what Outlook's limits count). */
  function graphCounted() {
    const c = w.counts().graph;
    const envelopes = c.byRoute['POST /v1.0/$batch'] ?? 0;
    const items = Object.values(c.batchItems).reduce((n, v) => n + v, 0);
    return { requests: c.total - envelopes + items, throttled: c.throttled };
  }

  test("a real pass records the requests Graph counted and the 429 it injected; a second pass in the hour adds to the same row; the ranks view shows them", async () => {
    const user = w.fresh();
    for (let i = 0; i < 3; i++) w.so.create(user, { title: `Load ${i}`, start: at(1 + i, 9), end: at(1 + i, 10) });
    w.resetCounts();
    w.h.env.graph.control.setFaults({ throttled: 1, retryAfterSeconds: 1 });
    try {
      await w.pass(user);
    } finally {
      w.h.env.graph.control.clearFaults();
    }
    const first = graphCounted();
    assert.equal(first.throttled, 1, 'the simulator answered one 429');
    assert.ok(first.requests >= 3, `a pass takes several requests (${first.requests})`);
    const [row] = await rows(user.mailboxId);
    assert.ok(row, 'a load row');
    assert.deepEqual([row.passes, row.requests, row.throttled, row.items], [1, first.requests, 1, 3]);
    assert.equal(new Date(String(row.hour_start).endsWith('Z') ? String(row.hour_start) : `${String(row.hour_start)}Z`).getTime(), hourOf(new Date()).getTime());

    // An idle pass in the same hour: one more pass, its requests added.
    w.resetCounts();
    await w.pass(user);
    const second = graphCounted();
    const after = await rows(user.mailboxId);
    // The hour may have turned between the two passes; the sums hold either way.
    const sum = (k: 'passes' | 'requests' | 'throttled' | 'items') => after.reduce((n, r) => n + r[k], 0);
    assert.deepEqual([sum('passes'), sum('requests'), sum('throttled'), sum('items')], [2, first.requests + second.requests, 1, 3]);
  });

  test('hours older than the retention are pruned by the pass that opens a new hour', async () => {
    const user = w.fresh();
    const old = new Date(hourOf(new Date()).getTime() - 80 * 3_600_000);
    const t = (d: Date) => w.h.store.dialect.time(d);
    await w.h.store.db.insertInto('sync_load').values({ tenant_id: w.tenantId, mailbox_id: user.mailboxId, hour_start: t(old), passes: 1, requests: 50, throttled: 0, items: 0 }).execute();
    const recent = new Date(hourOf(new Date()).getTime() - 60 * 3_600_000);
    await w.h.store.db.insertInto('sync_load').values({ tenant_id: w.tenantId, mailbox_id: user.mailboxId, hour_start: t(recent), passes: 1, requests: 7, throttled: 0, items: 0 }).execute();
    await w.pass(user);
    const left = (await rows(user.mailboxId)).map((r) => r.requests);
    assert.equal(left.length, 2, JSON.stringify(left));
    assert.ok(left.includes(7) && !left.includes(50));
  });
});
