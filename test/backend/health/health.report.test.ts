import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DEMO_CASES } from '../../../simulators/demo-tenant.js';
import { healthSourceOf } from '../../../backend/health/health.service.js';
import { associate, healthRig, mailbox, report, summary, withChanged, type HealthRig } from './support.js';

/* The health report against the simulators: a clean tenant, then one problem of each kind, each found and nothing else. */

describe('health report (simulators): each problem found, nothing else flagged', () => {
  let r: HealthRig;
  /** Ordinary linked associates (not the demo's special cases), one per test that needs one. */
  let ordinary: number[];
  const link = (associateId: number) => r.links.get(associateId)!;
  const only = async (expected: string[]) => assert.deepEqual(summary(await report(r.h, r.admin)), [...expected].sort());
  const t = (d: Date) => r.h.store.dialect.time(d);
  const tenantId = () => r.h.env.tenant.contextId;

  before(async () => {
    r = await healthRig();
    ordinary = [...r.links.keys()].filter((id) => id >= DEMO_CASES.nonAdminAssociateId).sort((a, b) => a - b);
    assert.ok(ordinary.length >= 12, `${ordinary.length} ordinary links`);
  });
  after(() => r.h.closeAll());

  test('a clean tenant: zero problems, none ignored, computedAt now', async () => {
    const body = await report(r.h, r.admin);
    assert.deepEqual(body.problems, []);
    assert.equal(body.ignored, 0);
    assert.ok(Math.abs(Date.parse(body.computedAt) - Date.now()) < 60_000);
  });

  test('associate_retired: a linked associate retired in SuperOffice', async () => {
    const id = ordinary[0]!;
    await withChanged(associate(r.h, id), { isActive: false }, async () => {
      const body = await report(r.h, r.admin);
      assert.deepEqual(summary(body), [`associate_retired ${link(id).id}`]);
      const p = body.problems[0];
      assert.equal(p.key, `associate_retired:${link(id).id}`);
      assert.deepEqual([p.associateId, p.mailboxId, p.mailboxAddress], [id, link(id).mailboxId, link(id).mailboxAddress]);
      assert.match(p.message, /retired/);
    });
    await only([]);
  });

  test('associate_email_missing: the contact card lost its email', async () => {
    const id = ordinary[1]!;
    await withChanged(associate(r.h, id), { personEmail: null }, () => only([`associate_email_missing ${link(id).id}`]));
  });

  test('mailbox_deleted: the linked user is gone from Microsoft 365', async () => {
    const id = ordinary[2]!;
    const list = r.h.env.tenant.mailboxes;
    const at = list.findIndex((m) => m.id === link(id).mailboxId);
    const [gone] = list.splice(at, 1);
    try {
      await only([`mailbox_deleted ${link(id).id}`]);
    } finally {
      list.splice(at, 0, gone!);
    }
  });

  test('mailbox_disabled: sign-in blocked', async () => {
    const id = ordinary[3]!;
    await withChanged(mailbox(r.h, link(id).mailboxId), { accountEnabled: false }, () => only([`mailbox_disabled ${link(id).id}`]));
  });

  test('mailbox_not_user: the mailbox was converted to a shared mailbox, and another to a room', async () => {
    const [a, b] = [ordinary[4]!, ordinary[5]!];
    await withChanged(mailbox(r.h, link(a).mailboxId), { accountEnabled: false, userPurpose: 'shared' }, () =>
      withChanged(mailbox(r.h, link(b).mailboxId), { accountEnabled: false, userPurpose: 'room' }, () =>
        only([`mailbox_not_user ${link(a).id}`, `mailbox_not_user ${link(b).id}`]),
      ),
    );
  });

  test('mailbox_unlicensed: the Exchange Online licence was removed (assignedPlans Deleted)', async () => {
    const id = ordinary[6]!;
    await withChanged(mailbox(r.h, link(id).mailboxId), { licensed: false }, () => only([`mailbox_unlicensed ${link(id).id}`]));
  });

  test('email_mismatch: the card names another mailbox; Update the link repoints it (options and rank kept, audited) and back', async () => {
    const id = ordinary[7]!;
    const before = link(id);
    const per = mailbox(r.h, DEMO_CASES.aliasOnlyMailboxId);
    const perPrimary = per.proxyAddresses.find((p) => p.startsWith('SMTP:'))!.slice(5);
    const original = associate(r.h, id).personEmail;
    // Options and rank set first, to see them kept.
    const patched = await r.h.request('PATCH', '/api/v1/links', {
      token: r.admin,
      body: { changes: [{ id: before.id, expectedVersion: before.version, diary: true, task: false, contact: true, rank: 7 }] },
    });
    assert.equal(patched.status, 200, patched.text);
    let version = patched.body.updated[0].version;
    await withChanged(associate(r.h, id), { personEmail: perPrimary }, async () => {
      const body = await report(r.h, r.admin);
      assert.deepEqual(summary(body), [`email_mismatch ${before.id}`]);
      assert.match(body.problems[0].message, new RegExp(perPrimary.replace(/[.]/g, '\\.')));
      const res = await r.h.request('POST', '/api/v1/health/repoint', { token: r.admin, body: { linkId: before.id, expectedVersion: version } });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual([res.body.link.mailboxId, res.body.link.mailboxAddress, res.body.link.task, res.body.link.rank], [per.id, perPrimary, false, 7]);
      version = res.body.link.version;
      await only([]);
      const audit = await r.h.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'link.repointed').execute();
      assert.equal(audit.length, 1);
      assert.equal(JSON.parse(audit[0]!.before_json!).mailboxId, before.mailboxId);
      assert.equal(JSON.parse(audit[0]!.after_json!).mailboxId, per.id);
    });
    assert.equal(associate(r.h, id).personEmail, original);
    await only([`email_mismatch ${before.id}`]);
    const back = await r.h.request('POST', '/api/v1/health/repoint', { token: r.admin, body: { linkId: before.id, expectedVersion: version } });
    assert.equal(back.status, 200, back.text);
    assert.equal(back.body.link.mailboxId, before.mailboxId);
    r.links.set(id, back.body.link);
    await only([]);
  });

  test('unlinked_match: an active associate whose mailbox is free; Link (POST /links) clears it', async () => {
    const id = ordinary[8]!;
    const l = link(id);
    const removed = await r.h.request('POST', '/api/v1/links/removal', { token: r.admin, body: { ids: [l.id] } });
    assert.equal(removed.status, 200, removed.text);
    const body = await report(r.h, r.admin);
    assert.deepEqual(summary(body), [`unlinked_match a${id}`]);
    const p = body.problems[0];
    assert.deepEqual([p.key, p.linkId, p.mailboxId, p.mailboxAddress], [`unlinked_match:a${id}`, null, l.mailboxId, l.mailboxAddress]);
    const saved = await r.h.request('POST', '/api/v1/links', {
      token: r.admin,
      body: { links: [{ associateId: id, associateName: p.associateName, mailboxId: p.mailboxId, mailboxAddress: p.mailboxAddress }] },
    });
    assert.equal(saved.status, 201, saved.text);
    r.links.set(id, saved.body.created[0]);
    await only([]);
  });

  test('sync_breaker: the circuit breaker stopped a link (since: its last pass)', async () => {
    const id = ordinary[9]!;
    const pass = new Date(Date.now() - 3_600_000);
    await r.h.store.db
      .insertInto('sync_mailbox')
      .values({ tenant_id: tenantId(), mailbox_id: link(id).mailboxId, lease_epoch: 1, next_due_at: t(new Date('2099-01-01T00:00:00Z')), state: 'breaker', created_at: t(pass), last_pass_at: t(pass), breaker_detail: 'would delete 80 of 100 items' })
      .execute();
    try {
      const body = await report(r.h, r.admin);
      assert.deepEqual(summary(body), [`sync_breaker ${link(id).id}`]);
      assert.equal(body.problems[0].since, pass.toISOString());
      assert.match(body.problems[0].message, /would delete 80 of 100/);
    } finally {
      await r.h.store.db.deleteFrom('sync_mailbox').where('mailbox_id', '=', link(id).mailboxId).execute();
    }
  });

  test('sync_error: in error for more than a day is flagged (since: the last success); for an hour is not', async () => {
    const [long, short] = [ordinary[10]!, ordinary[11]!];
    const twoDays = new Date(Date.now() - 2 * 86_400_000);
    const anHour = new Date(Date.now() - 3_600_000);
    const row = (mailboxId: string, lastSuccess: Date) => ({
      tenant_id: tenantId(),
      mailbox_id: mailboxId,
      lease_epoch: 1,
      next_due_at: t(new Date()),
      state: 'error' as const,
      created_at: t(new Date(Date.now() - 10 * 86_400_000)),
      last_pass_at: t(new Date()),
      last_success_at: t(lastSuccess),
      last_error: 'Microsoft 365 did not answer.',
    });
    await r.h.store.db.insertInto('sync_mailbox').values([row(link(long).mailboxId, twoDays), row(link(short).mailboxId, anHour)]).execute();
    try {
      const body = await report(r.h, r.admin);
      assert.deepEqual(summary(body), [`sync_error ${link(long).id}`]);
      assert.equal(body.problems[0].since, twoDays.toISOString());
    } finally {
      await r.h.store.db.deleteFrom('sync_mailbox').where('tenant_id', '=', tenantId()).execute();
    }
  });

  test('grant_lost (OAuth mode): a revoked authorization and one whose grant expired; a missing one is not "lost"; no Graph read', async () => {
    const [revoked, expired, fine] = [ordinary[0]!, ordinary[1]!, ordinary[2]!];
    const setMode = async (mode: string) => {
      const tenant = (await r.h.request('GET', '/api/v1/tenant', { token: r.admin })).body;
      const res = await r.h.request('PATCH', '/api/v1/tenant', { token: r.admin, body: { expectedVersion: tenant.version, mode } });
      assert.equal(res.status, 200, res.text);
    };
    const revokedAt = new Date(Date.now() - 5 * 3_600_000);
    const auth = (associateId: number, extra: Record<string, unknown>) => ({
      tenant_id: tenantId(),
      mailbox_id: link(associateId).mailboxId,
      mailbox_address: link(associateId).mailboxAddress,
      account_upn: link(associateId).mailboxAddress.toLowerCase(),
      addresses_json: JSON.stringify([link(associateId).mailboxAddress.toLowerCase()]),
      authorized_at: t(new Date(Date.now() - 86_400_000)),
      revoked_at: null,
      grant_sealed: 'sealed-grant-placeholder',
      ...extra,
    });
    await setMode('oauth');
    await r.h.store.db
      .insertInto('authorized_mailbox')
      .values([auth(revoked, { revoked_at: t(revokedAt), revoked_by: 5, grant_sealed: null }), auth(expired, { grant_sealed: null }), auth(fine, {})])
      .execute();
    r.h.env.graph.control.resetRequests();
    try {
      const body = await report(r.h, r.admin);
      assert.deepEqual(summary(body), [`grant_lost ${link(expired).id}`, `grant_lost ${link(revoked).id}`].sort());
      assert.equal(body.problems.find((p: any) => p.linkId === link(revoked).id).since, revokedAt.toISOString());
      assert.equal(body.problems.find((p: any) => p.linkId === link(expired).id).since, null);
      assert.equal(r.h.env.graph.control.requests().total, 0, 'OAuth mode reads no Graph, as Load External Users does not');
    } finally {
      await r.h.store.db.deleteFrom('authorized_mailbox').where('tenant_id', '=', tenantId()).execute();
      await setMode('application');
    }
    await only([]);
  });

  test('the digest\'s HealthSource (healthSourceOf) computes the same problems without a request', async () => {
    const id = ordinary[3]!;
    await withChanged(mailbox(r.h, link(id).mailboxId), { accountEnabled: false }, async () => {
      const source = healthSourceOf({ store: r.h.store, clock: () => new Date(), integration: r.h.integration });
      const reading = await source(tenantId());
      assert.deepEqual(reading.problems.map((p) => p.key), [`mailbox_disabled:${link(id).id}`]);
      assert.equal(reading.associates.get(id)?.active, true, 'with the associates it read (the digest addresses recipients by them)');
    });
    await assert.rejects(healthSourceOf({ store: r.h.store, clock: () => new Date(), integration: r.h.integration })('Cust00000'), /signed in/);
  });

  test('an unknown link key for Update the link: 404; a stale version: 409 VersionConflict; nothing changed', async () => {
    const res = await r.h.request('POST', '/api/v1/health/repoint', { token: r.admin, body: { linkId: randomUUID(), expectedVersion: 1 } });
    assert.equal(res.status, 404);
    const l = link(ordinary[5]!);
    const stale = await r.h.request('POST', '/api/v1/health/repoint', { token: r.admin, body: { linkId: l.id, expectedVersion: l.version + 5 } });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, 'VersionConflict');
    // No mismatch: nothing to repoint to.
    const none = await r.h.request('POST', '/api/v1/health/repoint', { token: r.admin, body: { linkId: l.id, expectedVersion: l.version } });
    assert.equal(none.status, 409);
    assert.equal(none.body.error.code, 'RepointNotPossible');
  });
});
