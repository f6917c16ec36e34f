import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ADMIN, OTHER_ADMIN, refusedBy, suiteHarness, testDialects, type Reply } from '../../helpers/harness.js';

/* The tenant's sync settings: GET /api/v1/tenant shows them, PUT /api/v1/tenant/sync-settings changes them. */

for (const dialect of testDialects()) {
  describe(`tenant sync settings (${dialect})`, () => {
    const s = suiteHarness({ dialect });

    const tenant = async (token = s.admin) => (await s.h.request('GET', '/api/v1/tenant', { token })).body;
    const put = (body: unknown, token = s.admin) => s.h.request('PUT', '/api/v1/tenant/sync-settings', { token, body });
    const refused = (status: number, code: string, send: () => Promise<Reply>) => refusedBy(s.h, status, code, send);
    const valid = (expectedVersion: number) => ({ expectedVersion, windowPastDays: 14, windowFutureDays: 365, conflictWinner: 'outlook', timeZone: 'America/New_York' });

    test('the defaults: 30 days back, 120 ahead, SuperOffice wins, Europe/Oslo', async () => {
      assert.deepEqual((await tenant()).sync, { windowPastDays: 30, windowFutureDays: 120, conflictWinner: 'superoffice', timeZone: 'Europe/Oslo' });
      assert.deepEqual((await tenant(s.user)).sync, (await tenant()).sync, 'a non-administrator reads them too');
    });

    test('an administrator changes them: saved, version bumped, audited with before and after and the request id', async () => {
      const t = await tenant();
      const res = await s.h.request('PUT', '/api/v1/tenant/sync-settings', { token: s.admin, body: valid(t.version), headers: { 'x-request-id': 'req-sync-settings' } });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.sync, { windowPastDays: 14, windowFutureDays: 365, conflictWinner: 'outlook', timeZone: 'America/New_York' });
      assert.equal(res.body.version, t.version + 1);
      assert.deepEqual((await tenant()).sync, res.body.sync);
      const [entry] = await s.h.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'tenant.sync_settings').execute();
      assert.equal(entry!.request_id, 'req-sync-settings');
      assert.equal(entry!.entity_id, ADMIN.tenantId);
      assert.deepEqual(JSON.parse(entry!.before_json!), { windowPastDays: 30, windowFutureDays: 120, conflictWinner: 'superoffice', timeZone: 'Europe/Oslo' });
      assert.deepEqual(JSON.parse(entry!.after_json!), res.body.sync);
      // The same values again: nothing written, no audit row, the version stays.
      const again = await put(valid(res.body.version));
      assert.deepEqual([again.status, again.body.version], [200, res.body.version]);
      assert.equal((await s.h.store.db.selectFrom('audit_log').select('id').where('action', '=', 'tenant.sync_settings').execute()).length, 1);
      // The limits themselves are accepted.
      for (const edge of [{ windowPastDays: 0, windowFutureDays: 1 }, { windowPastDays: 365, windowFutureDays: 730 }]) {
        const v = (await tenant()).version;
        const r = await put({ ...valid(v), ...edge, timeZone: 'UTC' });
        assert.equal(r.status, 200, r.text);
        assert.deepEqual([r.body.sync.windowPastDays, r.body.sync.windowFutureDays, r.body.sync.timeZone], [edge.windowPastDays, edge.windowFutureDays, 'UTC']);
      }
    });

    test('a stale version: 409 VersionConflict, nothing changed', async () => {
      const t = await tenant();
      await refused(409, 'VersionConflict', () => put({ ...valid(t.version - 1 || 1), windowPastDays: 3 }));
      await refused(409, 'VersionConflict', () => put({ ...valid(t.version + 1), windowPastDays: 3 }));
    });

    test('bad input: 400 ValidationFailed, nothing changed', async () => {
      const v = (await tenant()).version;
      const bad: Record<string, unknown>[] = [
        { windowPastDays: -1 },
        { windowPastDays: 366 },
        { windowPastDays: 1.5 },
        { windowPastDays: '30' },
        { windowFutureDays: 0 },
        { windowFutureDays: 731 },
        { conflictWinner: 'both' },
        { conflictWinner: null },
        { timeZone: 'Mars/Olympus_Mons' },
        { timeZone: '' },
        { timeZone: 'Europe/Oslo\u0000' },
        { timeZone: 'x'.repeat(65) },
        { expectedVersion: 0 },
        { tenantId: OTHER_ADMIN.tenantId },
      ];
      for (const change of bad) await refused(400, 'ValidationFailed', () => put({ ...valid(v), ...change }));
      const { timeZone: _, ...missing } = valid(v);
      await refused(400, 'ValidationFailed', () => put(missing));
      const err = await refused(400, 'ValidationFailed', () => put({ ...valid(v), timeZone: 'Europe/Atlantis' }));
      assert.match(JSON.stringify(err.details), /IANA time zone/);
    });

    test('a non-administrator: 403 AdminRequired; an administrator of another tenant changes only their own', async () => {
      const t = await tenant();
      await refused(403, 'AdminRequired', () => put(valid(t.version), s.user));
      const theirs = await tenant(s.other);
      const res = await put({ ...valid(theirs.version), timeZone: 'Asia/Tokyo' }, s.other);
      assert.equal(res.status, 200, res.text);
      assert.equal((await tenant(s.other)).sync.timeZone, 'Asia/Tokyo');
      assert.notEqual((await tenant()).sync.timeZone, 'Asia/Tokyo');
    });
  });
}
