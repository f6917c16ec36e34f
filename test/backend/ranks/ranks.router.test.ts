import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { hourOf } from '../../../backend/sync/load.repository.js';
import { ADMIN, OTHER_ADMIN, newLink, refusedBy, suiteHarness, testDialects, type Reply } from '../../helpers/harness.js';

/* Server Rank balancing: GET /api/v1/ranks and POST /api/v1/ranks/proposal. */

for (const dialect of testDialects()) {
  describe(`ranks API (${dialect})`, () => {
    const s = suiteHarness({ dialect });
    let n = 70_000;
    // Each test its own ranks, so the tenant's earlier links do not mix in.
    let nextRank = 10;

    async function link(extra: Record<string, unknown> = {}, token = s.admin) {
      const res = await s.h.request('POST', '/api/v1/links', { token, body: { links: [newLink(++n, extra)] } });
      assert.equal(res.status, 201, res.text);
      return res.body.created[0] as { id: string; associateId: number; mailboxId: string; version: number; rank: number };
    }
    /** Hourly load rows as a pass records them (sync_load). */
    async function load(mailboxId: string, requests: number, throttled: number, hoursAgo = 0, tenantId = ADMIN.tenantId) {
      const hour = new Date(hourOf(s.h.now.value).getTime() - hoursAgo * 3_600_000);
      await s.h.store.db
        .insertInto('sync_load')
        .values({ tenant_id: tenantId, mailbox_id: mailboxId, hour_start: s.h.store.dialect.time(hour), passes: 1, requests, throttled, items: 0 })
        .execute();
    }
    async function items(l: { associateId: number; mailboxId: string }, count: number, tenantId = ADMIN.tenantId) {
      const t = s.h.store.dialect.time(new Date());
      for (let i = 0; i < count; i++) {
        await s.h.store.db
          .insertInto('sync_item')
          .values({ tenant_id: tenantId, associate_id: l.associateId, mailbox_id: l.mailboxId, kind: 'appointment', so_id: 900_000 + n * 100 + i, graph_id: `g-${n}-${i}`, origin: 'superoffice', state: 'active', op_id: null, op_started_at: null, so_updated_at: null, so_hash: null, graph_change_key: null, graph_hash: null, base_json: null, last_error: null, created_at: t, updated_at: t })
          .execute();
      }
    }
    const ranks = (token = s.admin) => s.h.request('GET', '/api/v1/ranks', { token });
    const propose = (body: unknown, token = s.admin) => s.h.request('POST', '/api/v1/ranks/proposal', { token, body });
    const refused = (status: number, code: string, send: () => Promise<Reply>) => refusedBy(s.h, status, code, send);

    test('GET: per rank its users, items in sync, and the Graph requests and 429s of the last day (older hours left out)', async () => {
      const r = ++nextRank;
      const a = await link({ rank: r });
      const b = await link({ rank: r });
      const c = await link({ rank: r + 1 });
      await load(a.mailboxId, 120, 3);
      await load(a.mailboxId, 30, 0, 5);
      await load(a.mailboxId, 999, 99, 30);
      await load(b.mailboxId, 10, 1, 23);
      await items(b, 4);
      // Another tenant's load on the same rank never shows.
      const theirs = await link({ rank: r }, s.other);
      await load(theirs.mailboxId, 5000, 50, 0, OTHER_ADMIN.tenantId);
      nextRank += 1;
      const res = await ranks();
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.windowHours, 24);
      assert.deepEqual(res.body.ranks.find((x: any) => x.rank === r), { rank: r, users: 2, itemsInSync: 4, graphRequests: 160, throttled: 4 });
      assert.deepEqual(res.body.ranks.find((x: any) => x.rank === r + 1), { rank: r + 1, users: 1, itemsInSync: 0, graphRequests: 0, throttled: 0 });
      void c;
    });

    test('proposal: evens the load across the chosen ranks, changes nothing, and its moves apply as one Save Users Options', async () => {
      const r = (nextRank += 3);
      const heavy = [await link({ rank: r }), await link({ rank: r }), await link({ rank: r }), await link({ rank: r })];
      for (const [i, l] of heavy.entries()) await load(l.mailboxId, 100 + i * 10, i);
      const idle = await link({ rank: r });
      const off = await link({ rank: r, diary: false, task: false, contact: false });
      await load(off.mailboxId, 800, 0, 2);
      const before = await s.h.store.db.selectFrom('link').select(['id', 'rank', 'version']).orderBy('id').execute();
      const auditBefore = await s.h.store.db.selectFrom('audit_log').select('id').execute();
      const res = await propose({ ranks: [r, r + 1, r + 2] });
      assert.equal(res.status, 200, res.text);
      const p = res.body;
      assert.equal(p.before.spread, 460);
      assert.ok(p.after.spread < p.before.spread, JSON.stringify(p));
      assert.ok(p.after.spread <= 130, JSON.stringify(p.after));
      assert.deepEqual(p.before.perRank.map((x: any) => x.rank), [r, r + 1, r + 2]);
      for (const m of p.moves) assert.ok([r + 1, r + 2].includes(m.toRank) && m.fromRank === r, JSON.stringify(m));
      const moved = new Set(p.moves.map((m: any) => m.id));
      assert.ok(!moved.has(idle.id) && !moved.has(off.id), 'a user with no load and a disabled user stay');
      assert.ok(p.moves.length >= 2 && p.moves.length <= 3, `${p.moves.length} moves`);
      // Nothing changed.
      assert.deepEqual(await s.h.store.db.selectFrom('link').select(['id', 'rank', 'version']).orderBy('id').execute(), before);
      assert.equal((await s.h.store.db.selectFrom('audit_log').select('id').execute()).length, auditBefore.length);

      // Applied as the panel does: one PATCH /links.
      const changes = p.moves.map((m: any) => ({ id: m.id, diary: m.diary, task: m.task, contact: m.contact, rank: m.toRank, expectedVersion: m.expectedVersion }));
      const applied = await s.h.request('PATCH', '/api/v1/links', { token: s.admin, body: { changes } });
      assert.equal(applied.status, 200, applied.text);
      const again = await propose({ ranks: [r, r + 1, r + 2] });
      assert.equal(again.body.before.spread, p.after.spread, 'the new ranks carry the proposed load');
      // A stale proposal: the same versions again are refused whole.
      await refused(409, 'VersionConflict', () => s.h.request('PATCH', '/api/v1/links', { token: s.admin, body: { changes } }));
    });

    test('proposal with linkIds: only those users move, onto the chosen ranks, whatever rank they had', async () => {
      const r = (nextRank += 3);
      const stay = await link({ rank: r });
      await load(stay.mailboxId, 300, 0);
      const far = await link({ rank: 98 });
      await load(far.mailboxId, 200, 0);
      const res = await propose({ ranks: [r, r + 1], linkIds: [far.id] });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.moves.map((m: any) => [m.id, m.fromRank, m.toRank, m.load]), [[far.id, 98, r + 1, 200]]);
      assert.deepEqual(res.body.after.perRank.map((x: any) => x.load), [300, 200]);
    });

    test('bad input: 400 ValidationFailed, nothing changed', async () => {
      const l = await link();
      for (const body of [{}, { ranks: [] }, { ranks: [0] }, { ranks: [100] }, { ranks: [1.5] }, { ranks: ['1'] }, { ranks: [1, 1] }, { ranks: [1], linkIds: [] }, { ranks: [1], linkIds: ['x'] }, { ranks: [1], linkIds: [l.id, l.id] }, { ranks: [1], extra: true }, { ranks: Array.from({ length: 100 }, (_, i) => i + 1) }]) {
        await refused(400, 'ValidationFailed', () => propose(body));
      }
    });

    test("a non-administrator: 403 AdminRequired; another tenant's or an unknown link id: 404 LinkNotFound, nothing changed", async () => {
      const l = await link();
      const theirs = await link({}, s.other);
      await refused(403, 'AdminRequired', () => ranks(s.user));
      await refused(403, 'AdminRequired', () => propose({ ranks: [1, 2] }, s.user));
      await refused(404, 'LinkNotFound', () => propose({ ranks: [1, 2], linkIds: [theirs.id] }));
      await refused(404, 'LinkNotFound', () => propose({ ranks: [1, 2], linkIds: [l.id, randomUUID()] }));
      await refused(404, 'LinkNotFound', () => propose({ ranks: [1], linkIds: [l.id] }, s.other));
    });
  });
}
