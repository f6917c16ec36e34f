import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DEMO_CASES } from '../../../simulators/demo-tenant.js';
import { OTHER_ADMIN, dumpDatabase } from '../../helpers/harness.js';
import { associate, healthRig, mailbox, report, summary, withChanged, type HealthRig } from './support.js';

/* Ignore / Stop ignoring, the standard refusals of every health endpoint, and what the report costs in requests. */

describe('health endpoints (simulators)', () => {
  let r: HealthRig;
  let user: string;
  let other: string;
  let ids: number[];
  const link = (associateId: number) => r.links.get(associateId)!;

  before(async () => {
    r = await healthRig();
    user = (await r.h.signIn(DEMO_CASES.nonAdminAssociateId)).message.token!;
    other = await r.h.token(OTHER_ADMIN);
    ids = [...r.links.keys()].filter((id) => id > DEMO_CASES.nonAdminAssociateId).sort((a, b) => a - b);
  });
  after(() => r.h.closeAll());

  async function refused(status: number, code: string, send: () => Promise<{ status: number; body: any; text: string }>) {
    const before = await dumpDatabase(r.h.store);
    const res = await send();
    assert.equal(res.status, status, res.text);
    assert.equal(res.body.error.code, code);
    assert.equal(await dumpDatabase(r.h.store), before, 'the database changed');
  }
  const post = (path: string, body: unknown, token = r.admin) => r.h.request('POST', path, { token, body });

  test('Ignore leaves the problem out (counted), audited health.ignored; Stop ignoring brings it back, audited health.unignored', async () => {
    const id = ids[0]!;
    await withChanged(mailbox(r.h, link(id).mailboxId), { accountEnabled: false }, async () => {
      const key = `mailbox_disabled:${link(id).id}`;
      const ignored = await post('/api/v1/health/ignores', { keys: [key] });
      assert.equal(ignored.status, 200, ignored.text);
      assert.deepEqual(ignored.body, { ignored: 1 });
      const body = await report(r.h, r.admin);
      assert.deepEqual([body.problems, body.ignored], [[], 1]);
      // Ignoring it again changes nothing.
      assert.deepEqual((await post('/api/v1/health/ignores', { keys: [key] })).body, { ignored: 0 });
      const row = await r.h.store.db.selectFrom('health_ignore').selectAll().executeTakeFirstOrThrow();
      assert.deepEqual([row.tenant_id, row.problem_key, row.ignored_by], [r.h.env.tenant.contextId, key, DEMO_CASES.adminAssociateIds[0]]);
      // Another problem of the same link is not ignored with it.
      await withChanged(associate(r.h, id), { isActive: false }, async () => {
        assert.deepEqual(summary(await report(r.h, r.admin)), [`associate_retired ${link(id).id}`]);
      });
      const back = await post('/api/v1/health/ignores/remove', { keys: [key] });
      assert.equal(back.status, 200, back.text);
      assert.deepEqual(back.body, { unignored: 1 });
      assert.deepEqual(summary(await report(r.h, r.admin)), [`mailbox_disabled ${link(id).id}`]);
      const audit = await r.h.store.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', 'like', 'health.%').orderBy('id').execute();
      assert.deepEqual(audit.map((a) => [a.action, a.entity_id]), [['health.ignored', key], ['health.unignored', key]]);
    });
    // An unlinked match's key (about an associate) can be ignored too.
    const k = `unlinked_match:a${ids[1]}`;
    assert.deepEqual((await post('/api/v1/health/ignores', { keys: [k] })).body, { ignored: 1 });
    assert.deepEqual((await post('/api/v1/health/ignores/remove', { keys: [k] })).body, { unignored: 1 });
  });

  test('bad input: 400 ValidationFailed, nothing changed', async () => {
    const l = link(ids[0]!);
    for (const body of [{}, { keys: [] }, { keys: 'x' }, { keys: ['nope'] }, { keys: ['no_such_kind:a1'] }, { keys: [`sync_error:${l.id}`, `sync_error:${l.id}`] }, { keys: ['unlinked_match:a0'] }, { keys: [`sync_error:${l.id}`], extra: 1 }, { keys: Array.from({ length: 1001 }, (_, i) => `unlinked_match:a${i + 1}`) }]) {
      await refused(400, 'ValidationFailed', () => post('/api/v1/health/ignores', body));
      await refused(400, 'ValidationFailed', () => post('/api/v1/health/ignores/remove', body));
    }
    for (const body of [{}, { linkId: 'x', expectedVersion: 1 }, { linkId: l.id, expectedVersion: 'x' }, { linkId: l.id, expectedVersion: 0 }, { linkId: l.id, expectedVersion: 1, mailboxId: randomUUID() }]) {
      await refused(400, 'ValidationFailed', () => post('/api/v1/health/repoint', body));
    }
  });

  test('a non-administrator: 403 AdminRequired on all four, nothing changed', async () => {
    const l = link(ids[0]!);
    await refused(403, 'AdminRequired', () => r.h.request('GET', '/api/v1/health', { token: user }));
    await refused(403, 'AdminRequired', () => post('/api/v1/health/ignores', { keys: [`sync_error:${l.id}`] }, user));
    await refused(403, 'AdminRequired', () => post('/api/v1/health/ignores/remove', { keys: [`sync_error:${l.id}`] }, user));
    await refused(403, 'AdminRequired', () => post('/api/v1/health/repoint', { linkId: l.id, expectedVersion: l.version }, user));
  });

  test("another tenant's links and ignores: 404, nothing changed", async () => {
    const l = link(ids[0]!);
    const key = `sync_error:${l.id}`;
    assert.equal((await post('/api/v1/health/ignores', { keys: [key] })).status, 200);
    await refused(404, 'LinkNotFound', () => post('/api/v1/health/ignores', { keys: [key] }, other));
    await refused(404, 'HealthIgnoreNotFound', () => post('/api/v1/health/ignores/remove', { keys: [key] }, other));
    await refused(404, 'LinkNotFound', () => post('/api/v1/health/repoint', { linkId: l.id, expectedVersion: l.version }, other));
    // Unknown ids too; one unknown key fails the whole batch.
    await refused(404, 'LinkNotFound', () => post('/api/v1/health/ignores', { keys: [`sync_error:${randomUUID()}`, `mailbox_deleted:${l.id}`] }));
    await refused(404, 'HealthIgnoreNotFound', () => post('/api/v1/health/ignores/remove', { keys: [key, `mailbox_deleted:${l.id}`] }));
    assert.equal((await post('/api/v1/health/ignores/remove', { keys: [key] })).status, 200);
  });

  test('requests: SuperOffice = one associates load, Graph = one Load External Users (clean); + one $batch per 20 linked users in doubt', async () => {
    const so = r.h.env.superoffice.control;
    const graph = r.h.env.graph.control;
    const webApi = () => Object.fromEntries(Object.entries(so.requests().byRoute).filter(([k]) => k.includes('/api/v1/')));
    so.resetRequests();
    assert.equal((await r.h.request('GET', '/api/v1/associates', { token: r.admin })).status, 200);
    const associatesLoad = webApi();
    graph.resetRequests();
    let cursor: string | null = null;
    do {
      const page: any = await r.h.request('GET', `/api/v1/mailboxes${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`, { token: r.admin });
      cursor = page.body.next;
    } while (cursor);
    const mailboxLoad = graph.requests();

    so.resetRequests();
    graph.resetRequests();
    await report(r.h, r.admin);
    assert.deepEqual(webApi(), associatesLoad);
    assert.deepEqual(graph.requests(), mailboxLoad);

    // Two linked users disabled: the mailbox check for those two, in one $batch.
    await withChanged(mailbox(r.h, link(ids[2]!).mailboxId), { accountEnabled: false }, () =>
      withChanged(mailbox(r.h, link(ids[3]!).mailboxId), { accountEnabled: false, userPurpose: 'shared' }, async () => {
        graph.resetRequests();
        assert.equal((await report(r.h, r.admin)).problems.length, 2);
        assert.equal(graph.requests().total, mailboxLoad.total + 1);
        assert.equal(graph.requests().byRoute['POST /v1.0/$batch'], 1);
      }),
    );
  });
});
