import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { endSession, hashToken, issueSession, purgeExpiredSessions, verifySession } from '../../../backend/auth/session.service.js';
import { ADMIN, USER, dumpDatabase, makeHarness, testDialects, type Harness } from '../../helpers/harness.js';

for (const dialect of testDialects()) {
  describe(`sessions (${dialect})`, () => {
    let h: Harness;
    before(async () => {
      h = await makeHarness({ dialect });
    });
    after(() => h.close());

    test('issuing creates the tenant on first sign-in and a session that names tenant, associate and admin flag', async () => {
      const now = new Date('2026-11-25T10:00:00.000Z');
      const { token, session } = await issueSession(h.store, { ...ADMIN, tenantId: 'Cust555' }, 60, now);
      assert.match(token, /^sls_[A-Za-z0-9_-]{43}$/);
      assert.equal(session.expiresAt, '2026-11-25T11:00:00.000Z');
      const tenant = await h.store.db.selectFrom('tenant').selectAll().where('id', '=', 'Cust555').executeTakeFirst();
      assert.equal(tenant?.mode, 'application');
      const verified = await verifySession(h.store, token, new Date('2026-11-25T10:59:59.000Z'));
      assert.deepEqual(verified, {
        tenantId: 'Cust555',
        associateId: ADMIN.associateId,
        associateName: ADMIN.associateName,
        isAdmin: true,
        expiresAt: '2026-11-25T11:00:00.000Z',
      });
      // A second sign-in to the same tenant reuses the tenant row.
      await issueSession(h.store, { ...USER, tenantId: 'Cust555' }, 60, now);
    });

    test('the database keeps only a hash of the token', async () => {
      const { token } = await issueSession(h.store, ADMIN, 60);
      const dump = await dumpDatabase(h.store);
      assert.ok(!dump.includes(token));
      assert.ok(dump.includes(hashToken(token)));
    });

    test('expired, unknown, malformed and ended tokens verify as nobody', async () => {
      const now = new Date('2026-11-25T10:00:00.000Z');
      const { token } = await issueSession(h.store, ADMIN, 30, now);
      assert.equal(await verifySession(h.store, token, new Date('2026-11-25T10:30:00.000Z')), null);
      assert.equal(await verifySession(h.store, 'sls_' + 'B'.repeat(43), now), null);
      assert.equal(await verifySession(h.store, "sls_' or 1=1 --", now), null);
      assert.equal(await verifySession(h.store, '', now), null);
      const live = await issueSession(h.store, ADMIN, 30, now);
      await endSession(h.store, live.token);
      assert.equal(await verifySession(h.store, live.token, now), null);
    });

    test('a non-admin session says so', async () => {
      const { token } = await issueSession(h.store, USER, 30);
      assert.equal((await verifySession(h.store, token))?.isAdmin, false);
    });

    test('bad session input is refused before anything is written', async () => {
      const before = await dumpDatabase(h.store);
      await assert.rejects(issueSession(h.store, { ...ADMIN, tenantId: 'Cust 1; drop' }, 30));
      await assert.rejects(issueSession(h.store, { ...ADMIN, associateId: 0 }, 30));
      assert.equal(await dumpDatabase(h.store), before);
    });

    test('each new session clears the expired ones, and only those (purgeExpiredSessions was never called)', async () => {
      const now = new Date('2026-11-26T00:00:00.000Z');
      const stored = async (token: string) =>
        (await h.store.db.selectFrom('session').select('token_hash').where('token_hash', '=', hashToken(token)).execute()).length === 1;
      const expired = await issueSession(h.store, ADMIN, 10, new Date('2026-11-25T23:40:00.000Z'));
      const live = await issueSession(h.store, USER, 30, new Date('2026-11-25T23:45:00.000Z'));
      assert.ok(await stored(expired.token));
      const fresh = await issueSession(h.store, ADMIN, 10, now);
      assert.equal(await stored(expired.token), false, 'the expired session is still stored');
      assert.ok(await stored(live.token));
      assert.ok(await stored(fresh.token));
      assert.notEqual(await verifySession(h.store, live.token, now), null);
      assert.equal(await purgeExpiredSessions(h.store, now), 0);
    });

    test('GET /session shows who is signed in; DELETE /session signs out', async () => {
      const token = await h.token(USER);
      const me = await h.request('GET', '/api/v1/session', { token });
      assert.equal(me.status, 200);
      assert.deepEqual(
        { ...me.body, expiresAt: undefined },
        { tenantId: USER.tenantId, associateId: USER.associateId, associateName: USER.associateName, isAdmin: false, expiresAt: undefined },
      );
      assert.ok(!me.text.includes(token));
      assert.equal((await h.request('DELETE', '/api/v1/session', { token })).status, 204);
      assert.equal((await h.request('GET', '/api/v1/session', { token })).status, 401);
    });
  });
}
