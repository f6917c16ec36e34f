import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { ADMIN, OTHER_ADMIN, allLinks, newLink, refusedBy, suiteHarness, testDialects, type Reply } from '../../helpers/harness.js';

/* Sync now (POST /api/v1/sync/run) and Resume synchronization after the circuit breaker (POST /api/v1/sync/release). */

const LONG_AGO = new Date('2001-01-01T00:00:00.000Z');
const FAR_FUTURE = new Date('2099-01-01T00:00:00.000Z');

for (const dialect of testDialects()) {
  describe(`sync admin API (${dialect})`, () => {
    const s = suiteHarness({ dialect });
    let n = 60_000;

    async function link(extra: Record<string, unknown> = {}, token = s.admin) {
      const res = await s.h.request('POST', '/api/v1/links', { token, body: { links: [newLink(++n, extra)] } });
      assert.equal(res.status, 201, res.text);
      return res.body.created[0] as { id: string; associateId: number; mailboxId: string };
    }
    async function mailboxRow(mailboxId: string, state: 'pending' | 'in_sync' | 'breaker' | 'error', extra: Record<string, unknown> = {}, tenantId = ADMIN.tenantId) {
      const t = (d: Date) => s.h.store.dialect.time(d);
      await s.h.store.db
        .insertInto('sync_mailbox')
        .values({ tenant_id: tenantId, mailbox_id: mailboxId, lease_epoch: 4, next_due_at: t(FAR_FUTURE), state, created_at: t(LONG_AGO), ...extra })
        .execute();
    }
    const row = (mailboxId: string, tenantId = ADMIN.tenantId) =>
      s.h.store.db.selectFrom('sync_mailbox').selectAll().where('tenant_id', '=', tenantId).where('mailbox_id', '=', mailboxId).executeTakeFirst();
    /** Seconds between a stored time and the database's clock now (both UTC). */
    const ageSeconds = (v: string | Date) => Math.abs(Date.now() - new Date(v instanceof Date ? v : v.endsWith('Z') ? v : `${v}Z`).getTime()) / 1000;
    const audit = (action: string) => s.h.store.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
    const refused = (status: number, code: string, send: () => Promise<Reply>) => refusedBy(s.h, status, code, send);
    const run = (linkIds: unknown, token = s.admin, headers: Record<string, string> = {}) => s.h.request('POST', '/api/v1/sync/run', { token, body: { linkIds }, headers });
    const release = (linkIds: unknown, token = s.admin, headers: Record<string, string> = {}) => s.h.request('POST', '/api/v1/sync/release', { token, body: { linkIds }, headers });

    describe('Sync now', () => {
      test('makes the mailboxes due now by the database clock, enrolling one that has no sync row; one audit row per link with the request id', async () => {
        const enrolled = await link();
        const fresh = await link();
        await mailboxRow(enrolled.mailboxId, 'in_sync', { lease_epoch: 9, last_error: null });
        const res = await run([enrolled.id, fresh.id], s.admin, { 'x-request-id': 'req-sync-now-1' });
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(res.body, { requested: 2 });

        const a = (await row(enrolled.mailboxId))!;
        assert.ok(ageSeconds(a.next_due_at) < 60, `due now, not ${String(a.next_due_at)}`);
        assert.deepEqual([a.state, a.lease_epoch], ['in_sync', 9], 'only when it is due changes');
        const b = (await row(fresh.mailboxId))!;
        assert.ok(b, 'enrolled');
        assert.deepEqual([b.state, b.lease_epoch, b.lease_owner], ['pending', 0, null]);
        assert.ok(ageSeconds(b.next_due_at) < 60);

        const entries = (await audit('sync.requested')).filter((e) => [enrolled.id, fresh.id].includes(e.entity_id));
        assert.deepEqual(entries.map((e) => [e.entity_type, e.entity_id, e.request_id, e.actor_associate_id]), [
          ['link', enrolled.id, 'req-sync-now-1', ADMIN.associateId],
          ['link', fresh.id, 'req-sync-now-1', ADMIN.associateId],
        ]);
        assert.deepEqual(JSON.parse(entries[0]!.before_json!), { state: 'in_sync' });
        assert.equal(JSON.parse(entries[1]!.after_json!).associateId, fresh.associateId);
        // The list shows it due now.
        const listed = (await allLinks(s.h, s.admin)).find((l: any) => l.id === fresh.id);
        assert.equal(listed.sync.state, 'pending');
        assert.ok(ageSeconds(listed.sync.nextDueAt) < 60);
      });

      test('a disabled user (Diary, Task and Contact off) is refused, and the whole request with it: 409 SyncDisabled', async () => {
        const on = await link();
        const off = await link({ diary: false, task: false, contact: false });
        const err = await refused(409, 'SyncDisabled', () => run([on.id, off.id]));
        assert.match(err.message, /Diary, Task and Contact all off/);
        assert.deepEqual(err.details.map((d: any) => d.linkId), [off.id]);
      });

      test('OAuth mode: refused with 409 SyncWaitingAuthorization (its mailboxes are not synchronized yet)', async () => {
        const l = await link({}, s.other);
        const t = (await s.h.request('GET', '/api/v1/tenant', { token: s.other })).body;
        assert.equal((await s.h.request('PATCH', '/api/v1/tenant', { token: s.other, body: { expectedVersion: t.version, mode: 'oauth' } })).status, 200);
        try {
          const err = await refused(409, 'SyncWaitingAuthorization', () => run([l.id], s.other));
          assert.match(err.message, /OAuth mode/);
        } finally {
          const t2 = (await s.h.request('GET', '/api/v1/tenant', { token: s.other })).body;
          await s.h.request('PATCH', '/api/v1/tenant', { token: s.other, body: { expectedVersion: t2.version, mode: 'application' } });
        }
      });

      test('bad input: 400 ValidationFailed, nothing changed', async () => {
        const l = await link();
        for (const body of [
          [],
          [l.id, l.id],
          ['not-a-uuid'],
          [42],
          'x',
          null,
          Array.from({ length: 1001 }, () => randomUUID()),
        ]) {
          await refused(400, 'ValidationFailed', () => run(body));
        }
        await refused(400, 'ValidationFailed', () => s.h.request('POST', '/api/v1/sync/run', { token: s.admin, body: { linkIds: [l.id], extra: 1 } }));
        await refused(400, 'ValidationFailed', () => s.h.request('POST', '/api/v1/sync/run', { token: s.admin, body: {} }));
      });

      test('a non-administrator: 403 AdminRequired; another tenant\'s or an unknown id: 404 LinkNotFound, nothing changed', async () => {
        const l = await link();
        const theirs = await link({}, s.other);
        await refused(403, 'AdminRequired', () => run([l.id], s.user));
        await refused(404, 'LinkNotFound', () => run([l.id], s.other));
        await refused(404, 'LinkNotFound', () => run([theirs.id, l.id], s.other));
        const err = await refused(404, 'LinkNotFound', () => run([l.id, randomUUID()]));
        assert.equal(err.details.length, 1);
      });

      test('1,000 links in one request', async () => {
        const links = Array.from({ length: 1000 }, () => newLink(++n));
        const saved = await s.h.request('POST', '/api/v1/links', { token: s.admin, body: { links } });
        assert.equal(saved.status, 201);
        const ids = saved.body.created.map((l: { id: string }) => l.id);
        const res = await run(ids);
        assert.deepEqual([res.status, res.body], [200, { requested: 1000 }]);
        const rows = await s.h.store.db.selectFrom('sync_mailbox').select('mailbox_id').where('tenant_id', '=', ADMIN.tenantId).where('mailbox_id', 'in', saved.body.created.map((l: any) => l.mailboxId)).execute();
        assert.equal(rows.length, 1000);
      });
    });

    describe('Resume synchronization after the breaker', () => {
      test('releases a stopped user: released now, pending and due now; audited with the breaker\'s detail', async () => {
        const l = await link();
        await mailboxRow(l.mailboxId, 'breaker', { breaker_detail: 'The pass would have deleted 30 of 50 items.', last_error: null });
        const before = (await allLinks(s.h, s.admin)).find((x: any) => x.id === l.id);
        assert.equal(before.sync.state, 'breaker');
        const res = await release([l.id], s.admin, { 'x-request-id': 'req-release-1' });
        assert.deepEqual([res.status, res.body], [200, { released: 1 }]);
        const r = (await row(l.mailboxId))!;
        assert.equal(r.state, 'pending');
        assert.ok(r.breaker_released_at !== null && ageSeconds(r.breaker_released_at) < 60);
        assert.ok(ageSeconds(r.next_due_at) < 60);
        const [entry] = (await audit('sync.breaker_released')).filter((e) => e.entity_id === l.id);
        assert.equal(entry!.request_id, 'req-release-1');
        assert.deepEqual(JSON.parse(entry!.before_json!), { state: 'breaker', breakerDetail: 'The pass would have deleted 30 of 50 items.' });
        assert.equal(JSON.parse(entry!.after_json!).state, 'pending');
        // Released once: a second release has nothing to resume.
        await refused(409, 'SyncNotStopped', () => release([l.id]));
      });

      test('users the breaker did not stop (in sync, error, never enrolled) are refused, with the stopped ones in the same request: 409 SyncNotStopped', async () => {
        const stopped = await link();
        const fine = await link();
        const failing = await link();
        const fresh = await link();
        await mailboxRow(stopped.mailboxId, 'breaker');
        await mailboxRow(fine.mailboxId, 'in_sync');
        await mailboxRow(failing.mailboxId, 'error');
        const err = await refused(409, 'SyncNotStopped', () => release([stopped.id, fine.id, failing.id, fresh.id]));
        assert.deepEqual(err.details.map((d: any) => d.linkId), [fine.id, failing.id, fresh.id]);
        assert.equal((await row(stopped.mailboxId))!.state, 'breaker');
      });

      test('bad input 400, non-administrator 403, another tenant 404; nothing changed', async () => {
        const l = await link();
        await mailboxRow(l.mailboxId, 'breaker');
        for (const body of [[], [l.id, l.id.toUpperCase()], ['x'], Array.from({ length: 1001 }, () => randomUUID())]) await refused(400, 'ValidationFailed', () => release(body));
        await refused(403, 'AdminRequired', () => release([l.id], s.user));
        await refused(404, 'LinkNotFound', () => release([l.id], s.other));
        // The other tenant's own stopped mailbox with the same id is not this tenant's.
        const theirs = await link({}, s.other);
        await mailboxRow(theirs.mailboxId, 'breaker', {}, OTHER_ADMIN.tenantId);
        await refused(404, 'LinkNotFound', () => release([theirs.id]));
      });
    });
  });
}
