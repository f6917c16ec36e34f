import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { ADMIN, dumpDatabase, makeHarness, newLink, testDialects, type Harness } from '../../helpers/harness.js';

for (const dialect of testDialects()) {
  describe(`audit log (${dialect})`, () => {
    let h: Harness;
    let admin: string;
    before(async () => {
      h = await makeHarness({ dialect });
      admin = await h.token(ADMIN);
    });
    after(() => h.close());

    test('every mutation appends one entry per changed link, with actor, before/after and request id', async () => {
      const created = (await h.request('POST', '/api/v1/links', { token: admin, body: { links: [newLink(), newLink()] }, headers: { 'x-request-id': 'req-save-1' } })).body.created;
      const page = await h.request('GET', '/api/v1/audit?limit=10', { token: admin });
      assert.equal(page.status, 200);
      const [second, first] = page.body.entries;
      assert.equal(first.action, 'link.created');
      assert.equal(second.entityId, created[1].id);
      assert.equal(first.requestId, 'req-save-1');
      assert.equal(first.before, null);
      assert.equal(first.after.mailboxAddress, created[0].mailboxAddress);
      assert.deepEqual(first.actor, { associateId: ADMIN.associateId, name: ADMIN.associateName });
      assert.ok(!Number.isNaN(Date.parse(first.at)));
    });

    test('pages newest first without gaps or repeats', async () => {
      await h.request('POST', '/api/v1/links', { token: admin, body: { links: Array.from({ length: 25 }, () => newLink()) } });
      const seen: number[] = [];
      let before: number | null = null;
      do {
        const res: { status: number; body: any } = await h.request('GET', `/api/v1/audit?limit=7${before ? `&before=${before}` : ''}`, { token: admin });
        assert.equal(res.status, 200);
        seen.push(...res.body.entries.map((e: any) => e.id));
        before = res.body.nextBefore;
      } while (before !== null);
      assert.ok(seen.length >= 27);
      assert.deepEqual(seen, [...seen].sort((a, b) => b - a));
      assert.equal(new Set(seen).size, seen.length);
    });

    test('bad paging parameters get 400', async () => {
      for (const q of ['limit=0', 'limit=501', 'limit=abc', 'before=-1', 'before=1.5', 'sort=asc']) {
        const res = await h.request('GET', `/api/v1/audit?${q}`, { token: admin });
        assert.equal(res.status, 400, q);
        assert.equal(res.body.error.code, 'ValidationFailed');
      }
    });

    test('the database refuses to change or delete audit rows', async () => {
      await h.request('POST', '/api/v1/links', { token: admin, body: { links: [newLink()] } });
      const before = await dumpDatabase(h.store);
      await assert.rejects(sql`update audit_log set action = 'forged'`.execute(h.store.db), /append-only/);
      await assert.rejects(sql`delete from audit_log`.execute(h.store.db), /append-only/);
      assert.equal(await dumpDatabase(h.store), before);
    });
  });
}
