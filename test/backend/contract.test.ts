import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ANSWERS, type Endpoint } from '../../backend/contract.js';
import { DEMO_CASES } from '../../simulators/demo-tenant.js';
import { grantAnswer, grantCallback } from './invites/invite-flow.js';
import { checkAnswer, seen } from '../helpers/contract.js';
import { makeIntegrationHarness, type IntegrationHarness } from '../helpers/integration.js';

const KARI = DEMO_CASES.adminAssociateIds[0]!;

describe('the API contract (backend/contract.ts): every endpoint answers as it says, over the simulators', () => {
  let h: IntegrationHarness;
  /** A linked user as GET /api/v1/links answered it. */
  let linkedUser: Record<string, unknown>;
  before(async () => {
    h = await makeIntegrationHarness({ consentGranted: false });
    seen.clear();
  });
  after(() => h.closeAll());

  test('one pass over the whole API: sign-in, lists, links, mode, invites, accept, authorizations, audit', async () => {
    // The harness checks each answer (test/helpers/contract.ts); here each must also succeed.
    const call = async (method: string, url: string, options: { token?: string; body?: unknown } = {}) => {
      const res = await h.request(method, url, options);
      assert.ok(res.status < 300, `${method} ${url}: ${res.status} ${res.text}`);
      return res.body;
    };
    const admin = (await h.signIn(KARI)).message.token!;
    assert.equal((await h.consent(admin)).message.type, 'mailbox-link:consented');
    const ticket = h.env.superoffice.control.issueTicket({ associateId: KARI, clientId: 'demo-mailbox-link' });
    await call('POST', '/auth/superoffice/ticket', { body: { ticket, tenant: h.env.tenant.contextId } });
    await call('GET', '/api/v1/session', { token: admin });
    const tenant = await call('GET', '/api/v1/tenant', { token: admin });
    const { associates } = await call('GET', '/api/v1/associates', { token: admin });
    const first = await call('GET', '/api/v1/mailboxes', { token: admin });
    if (first.next) await call('GET', `/api/v1/mailboxes?cursor=${encodeURIComponent(first.next)}`, { token: admin });
    const mailbox = first.mailboxes.find((m: { guest: boolean; accountEnabled: boolean }) => !m.guest && m.accountEnabled);
    await call('POST', '/api/v1/mailboxes/check', { token: admin, body: { ids: [mailbox.id] } });
    await call('POST', '/api/v1/microsoft/consent', { token: admin, body: {} });

    const associate = associates.find((a: { active: boolean }) => a.active);
    const link = { associateId: associate.associateId, associateName: associate.name, mailboxId: mailbox.id, mailboxAddress: mailbox.primaryAddress };
    const { created } = await call('POST', '/api/v1/links', { token: admin, body: { links: [link] } });
    linkedUser = (await call('GET', '/api/v1/links', { token: admin })).links[0];
    const id = created[0].id;
    await call('PATCH', '/api/v1/links', { token: admin, body: { changes: [{ id, diary: false, task: true, contact: true, rank: 2, expectedVersion: 1 }] } });
    await call('POST', '/api/v1/sync/run', { token: admin, body: { linkIds: [id] } });
    // As a pass stopped by the circuit breaker leaves the mailbox.
    await h.store.db.updateTable('sync_mailbox').set({ state: 'breaker', breaker_detail: 'The pass would have deleted 30 of 40 items.' }).where('mailbox_id', '=', mailbox.id).execute();
    await call('POST', '/api/v1/sync/release', { token: admin, body: { linkIds: [id] } });
    await call('POST', '/api/v1/links/removal-preview', { token: admin, body: { ids: [id] } });
    await call('POST', '/api/v1/links/removal', { token: admin, body: { ids: [id] } });

    const moved = await call('PATCH', '/api/v1/tenant', { token: admin, body: { expectedVersion: tenant.version, mode: 'oauth' } });
    await call('PUT', '/api/v1/tenant/sync-settings', { token: admin, body: { expectedVersion: moved.version, windowPastDays: 7, windowFutureDays: 90, conflictWinner: 'outlook', timeZone: 'Europe/Oslo' } });
    const invitees = associates.filter((a: { active: boolean; email: string | null; associateId: number }) => a.active && a.email && a.associateId !== KARI);
    const sent = await call('POST', '/api/v1/invites', { token: admin, body: { associateIds: [invitees[0].associateId], delivery: 'link' } });
    const token = /#invite=([A-Za-z0-9_-]{43})/.exec(sent.links[0].url)![1]!;
    await call('GET', '/api/v1/invites', { token: admin });
    const opened = await call('POST', '/api/public/invites/open', { body: { token } });
    const owner = h.env.tenant.mailboxes.find((m) => m.mail?.toLowerCase() === opened.email.toLowerCase())!;
    // The grant sign-in (a page redirect, not a JSON answer): the mailbox's owner accepts.
    const back = await grantCallback(h, await grantAnswer(h, opened.signIn.authorizeUrl, owner.id));
    assert.equal(back.status, 303);
    const accepted = { mailboxAddress: back.fragment.accepted };
    const { authorizations } = await call('GET', '/api/v1/authorizations', { token: admin });
    assert.ok(authorizations.some((a: { mailboxAddress: string }) => a.mailboxAddress === accepted.mailboxAddress));
    await call('POST', '/api/v1/authorizations/revoke', { token: admin, body: { mailboxIds: [authorizations[0].mailboxId] } });
    const again = await call('POST', '/api/v1/invites', { token: admin, body: { associateIds: [invitees[1].associateId], delivery: 'link' } });
    await call('POST', '/api/v1/invites/revoke', { token: admin, body: { ids: [again.invites[0].id] } });
    await call('GET', '/api/v1/audit?limit=5', { token: admin });
    await call('GET', '/api/v1/links/removed', { token: admin });
    const { actions } = await call('GET', '/api/v1/undo', { token: admin });
    // Undo the removal above (the link comes back), remove it again, then restore and purge.
    await call('POST', '/api/v1/undo', { token: admin, body: { actionId: actions.find((x: { kind: string }) => x.kind === 'links.removed').id } });
    await call('POST', '/api/v1/links/removal', { token: admin, body: { ids: [id] } });
    await call('POST', '/api/v1/links/removed/restore', { token: admin, body: { ids: [id] } });
    await call('POST', '/api/v1/links/removal', { token: admin, body: { ids: [id] } });
    await call('POST', '/api/v1/links/removed/purge', { token: admin, body: { ids: [id], confirm: true, count: 1 } });
    // The health report (OAuth mode here: no Graph read), Ignore / Stop ignoring, and Update the
    // link back in application mode: a link to another user's mailbox, repointed to the card's.
    await call('GET', '/api/v1/health', { token: admin });
    const ignoreKey = `unlinked_match:a${associate.associateId}`;
    await call('POST', '/api/v1/health/ignores', { token: admin, body: { keys: [ignoreKey] } });
    await call('POST', '/api/v1/health/ignores/remove', { token: admin, body: { keys: [ignoreKey] } });
    const oauth = await call('GET', '/api/v1/tenant', { token: admin });
    await call('PATCH', '/api/v1/tenant', { token: admin, body: { expectedVersion: oauth.version, mode: 'application' } });
    const linkedNow = new Set((await call('GET', '/api/v1/links', { token: admin })).links.flatMap((l: { associateId: number; mailboxId: string }) => [String(l.associateId), l.mailboxId]));
    const pairs = associates
      .filter((a: { active: boolean; email: string | null; associateId: number }) => a.active && a.email && a.associateId !== KARI && !linkedNow.has(String(a.associateId)))
      .map((a: { associateId: number; name: string; email: string }) => ({
        a,
        m: first.mailboxes.find((m: { primaryAddress: string | null; guest: boolean; accountEnabled: boolean; id: string }) => !m.guest && m.accountEnabled && m.primaryAddress?.toLowerCase() === a.email.toLowerCase() && !linkedNow.has(m.id)),
      }))
      .filter((p: { m: unknown }) => p.m)
      .slice(-2);
    const [x, z] = pairs;
    const wrong = await call('POST', '/api/v1/links', { token: admin, body: { links: [{ associateId: x.a.associateId, associateName: x.a.name, mailboxId: z.m.id, mailboxAddress: z.m.primaryAddress }] } });
    const repointed = await call('POST', '/api/v1/health/repoint', { token: admin, body: { linkId: wrong.created[0].id, expectedVersion: wrong.created[0].version } });
    assert.equal(repointed.link.mailboxId, x.m.id);
    const alerts = await call('GET', '/api/v1/alerts/settings', { token: admin });
    await call('GET', '/api/v1/alerts/admins', { token: admin });
    await call('PUT', '/api/v1/alerts/settings', { token: admin, body: { expectedVersion: alerts.version, enabled: true, recipients: [KARI], hourUtc: 7, webhookUrl: null } });
    await call('POST', '/api/v1/alerts/webhook/secret', { token: admin, body: {} });
    await call('POST', '/api/v1/alerts/test', { token: admin, body: { webhook: false } });
    // "Why didn't this sync?" for a linked user (the one above was removed): one added for it.
    const current = await call('GET', '/api/v1/tenant', { token: admin });
    await call('PATCH', '/api/v1/tenant', { token: admin, body: { expectedVersion: current.version, mode: 'application' } });
    const why = await call('POST', '/api/v1/links', { token: admin, body: { links: [link] } });
    await call('POST', '/api/v1/explain', { token: admin, body: { linkId: why.created[0].id, date: new Date().toISOString().slice(0, 10) } });
    await call('GET', '/api/v1/ranks', { token: admin });
    await call('POST', '/api/v1/ranks/proposal', { token: admin, body: { ranks: [1, 2] } });
    const exported = await h.request('GET', '/api/v1/links/export', { token: admin });
    assert.equal(exported.status, 200, exported.text);
    assert.match(String(exported.headers['content-type']), /^text\/csv; charset=utf-8/);
    const csv = { token: admin, raw: exported.text, headers: { 'content-type': 'text/csv' } };
    const previewed = await h.request('POST', '/api/v1/links/import/preview', csv);
    assert.equal(previewed.status, 200, previewed.text);
    const applied = await h.request('POST', `/api/v1/links/import/apply?fingerprint=${previewed.body.fingerprint}`, csv);
    assert.equal(applied.status, 200, applied.text);
    const { actors } = await call('GET', '/api/v1/audit/actors', { token: admin });
    assert.ok(actors.some((a: { associateId: number }) => a.associateId === KARI));
    await call('GET', `/api/v1/audit?actor=${KARI}&category=links&limit=5`, { token: admin });
    await call('GET', `/api/v1/audit/export?actor=${KARI}&category=links`, { token: admin });
    await call('DELETE', '/api/v1/session', { token: admin });

    const missed = (Object.keys(ANSWERS) as Endpoint[]).filter((k) => !seen.get(k)?.ok);
    assert.deepEqual(missed, [], 'every endpoint of the contract answered and was checked');
  });

  test('an answer that drifts from the contract is caught', () => {
    assert.ok(linkedUser, 'the pass above saw a linked user');
    const json = 'application/json; charset=utf-8';
    checkAnswer('GET', '/api/v1/links', 200, json, { links: [linkedUser], nextCursor: null });
    const { historyCount: _, ...withoutCount } = linkedUser;
    assert.throws(() => checkAnswer('GET', '/api/v1/links', 200, json, { links: [withoutCount], nextCursor: null }), /GET \/api\/v1\/links answered outside its contract/);
    assert.throws(() => checkAnswer('GET', '/api/v1/links', 200, json, { links: [{ ...linkedUser, rank: '1' }], nextCursor: null }), /outside its contract/);
    assert.throws(() => checkAnswer('GET', '/api/v1/links', 200, json, { links: [{ ...linkedUser, extra: 1 }], nextCursor: null }), /outside its contract/);
    assert.throws(() => checkAnswer('GET', '/api/v1/nothing', 200, json, {}), /has no such endpoint/);
    assert.throws(
      () => checkAnswer('POST', '/api/v1/links', 409, json, { error: { code: 'NotACode', message: 'x', details: [] } }),
      /outside the error envelope/,
    );
    assert.throws(() => checkAnswer('POST', '/api/v1/links', 500, 'text/html', '<h1>oops</h1>'), /without the JSON error envelope/);
    checkAnswer('POST', '/api/v1/links', 409, json, { error: { code: 'AlreadyLinked', message: 'x', details: [{ message: 'y', linkId: 'z' }] } });
  });
});
