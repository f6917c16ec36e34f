import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEMO_ENTRA_APP } from '../../../backend/demo/demo-environment.js';
import { DEMO_CASES } from '../../../simulators/demo-tenant.js';
import { dumpDatabase } from '../../helpers/harness.js';
import { makeIntegrationHarness, PUBLIC_URL, type IntegrationHarness } from '../../helpers/integration.js';

const USERS = 'GET /v1.0/users';

/** Pages Load External Users to the end, as the panel does. */
async function loadAll(h: IntegrationHarness, token: string) {
  const all: any[] = [];
  let cursor: string | null = null;
  let pages = 0;
  let total: number | null = null;
  do {
    const res: { status: number; body: any; text: string } = await h.request(
      'GET',
      `/api/v1/mailboxes${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
      { token },
    );
    assert.equal(res.status, 200, res.text);
    if (pages === 0) total = res.body.total;
    all.push(...res.body.mailboxes);
    cursor = res.body.next;
    pages++;
  } while (cursor);
  return { all, pages, total };
}

describe('Microsoft 365: admin consent, Load External Users, mailbox check (simulators)', () => {
  let h: IntegrationHarness;
  let admin: string;
  before(async () => {
    h = await makeIntegrationHarness({ consentGranted: false });
    admin = (await h.signIn(DEMO_CASES.adminAssociateIds[0]!)).message.token!;
  });
  after(() => h.closeAll());
  beforeEach(() => {
    h.env.graph.control.clearFaults();
    h.env.graph.control.resetRequests();
  });

  test('before consent, Load External Users says to approve the app first', async () => {
    const res = await h.request('GET', '/api/v1/mailboxes', { token: admin });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'MicrosoftNotConnected');
    const tenant = await h.request('GET', '/api/v1/tenant', { token: admin });
    assert.equal(tenant.body.microsoft.connected, false);
  });

  test('a declined consent records nothing', async () => {
    const before = await dumpDatabase(h.store);
    const result = await h.consent(admin, 'cancel');
    assert.equal(result.message.type, 'mailbox-link:error');
    assert.equal(result.message.code, 'ConsentDeclined');
    // Only the used-up login state differs.
    const strip = (d: string) => JSON.stringify({ ...JSON.parse(d), login_state: [] });
    assert.equal(strip(await dumpDatabase(h.store)), strip(before));
  });

  test('admin consent in a popup connects the tenant, audited', async () => {
    const result = await h.consent(admin);
    assert.equal(result.origin, PUBLIC_URL);
    assert.equal(result.message.type, 'mailbox-link:consented');
    const tenant = await h.request('GET', '/api/v1/tenant', { token: admin });
    assert.equal(tenant.body.microsoft.connected, true);
    assert.equal(tenant.body.microsoft.entraTenantId, h.env.tenant.entraTenantId);
    const audit = await h.request('GET', '/api/v1/audit?limit=1', { token: admin });
    assert.equal(audit.body.entries[0].action, 'tenant.microsoft_consent');
  });

  test('lists every user with primary address, aliases, and guests and disabled accounts marked', async () => {
    const { all, pages, total } = await loadAll(h, admin);
    assert.equal(pages, 1);
    assert.equal(all.length, h.env.tenant.mailboxes.length);
    assert.equal(total, h.env.tenant.mailboxes.length);
    for (const id of DEMO_CASES.guestIds) assert.equal(all.find((m) => m.id === id).guest, true);
    for (const id of DEMO_CASES.disabledIds) assert.equal(all.find((m) => m.id === id).accountEnabled, false);
    const alias = all.find((m) => m.id === DEMO_CASES.aliasOnlyMailboxId);
    const source = h.env.tenant.mailboxes.find((m) => m.id === DEMO_CASES.aliasOnlyMailboxId)!;
    assert.equal(alias.primaryAddress, source.proxyAddresses.find((p) => p.startsWith('SMTP:'))!.slice(5));
    assert.ok(alias.addresses.length > 1, 'aliases are kept for matching');
    assert.ok(alias.addresses.every((a: string) => a === a.toLowerCase()));
    assert.equal(h.env.graph.control.requests().byRoute[USERS], 1);
  });

  test('a 429 burst with Retry-After is retried, waiting as told', async () => {
    h.env.graph.control.setFaults({ throttled: 2, retryAfterSeconds: 1 });
    const started = Date.now();
    const res = await h.request('GET', '/api/v1/mailboxes', { token: admin });
    assert.equal(res.status, 200, res.text);
    assert.ok(Date.now() - started >= 1900, `waited ${Date.now() - started} ms for two Retry-After: 1`);
    assert.equal(h.env.graph.control.requests().byRoute[USERS], 3);
  });

  test('Graph staying unavailable ends in a clear 503 after the retries', async () => {
    h.env.graph.control.setFaults({ unavailable: 'persistent', retryAfterSeconds: 1 });
    const res = await h.request('GET', '/api/v1/mailboxes', { token: admin });
    assert.equal(res.status, 503);
    assert.equal(res.body.error.code, 'MicrosoftUnavailable');
    assert.equal(res.headers['retry-after'], '1', "Graph's Retry-After goes on to the panel");
    assert.equal(h.env.graph.control.requests().byRoute[USERS], 4, 'one try and three retries');
  });

  test('throttling that outlasts the retries reaches the panel as 429', async () => {
    h.env.graph.control.setFaults({ throttled: 10, retryAfterSeconds: 1 });
    const res = await h.request('GET', '/api/v1/mailboxes', { token: admin });
    assert.equal(res.status, 429);
    assert.equal(res.body.error.code, 'MicrosoftThrottled');
    assert.equal(res.headers['retry-after'], '1');
  });

  test('the mailbox check tells user, shared, room and no-mailbox apart, 20 per $batch', async () => {
    const user = h.env.tenant.mailboxes.find((m) => m.userPurpose === 'user' && m.userType === 'Member')!.id;
    const ids = [user, DEMO_CASES.sharedMailboxId, DEMO_CASES.roomMailboxId, ...DEMO_CASES.noMailboxIds, '00000000-0000-4000-8000-00000000abcd'];
    const res = await h.request('POST', '/api/v1/mailboxes/check', { token: admin, body: { ids } });
    assert.equal(res.status, 200, res.text);
    const kind = new Map(res.body.results.map((r: any) => [r.id, r.kind]));
    assert.equal(kind.get(user), 'user');
    assert.equal(kind.get(DEMO_CASES.sharedMailboxId), 'shared');
    assert.equal(kind.get(DEMO_CASES.roomMailboxId), 'room');
    for (const id of DEMO_CASES.noMailboxIds) assert.equal(kind.get(id), 'noMailbox');
    assert.equal(kind.get('00000000-0000-4000-8000-00000000abcd'), 'notFound');

    const all = h.env.tenant.mailboxes.slice(0, 45).map((m) => m.id);
    h.env.graph.control.resetRequests();
    const many = await h.request('POST', '/api/v1/mailboxes/check', { token: admin, body: { ids: all } });
    assert.equal(many.status, 200);
    assert.equal(h.env.graph.control.requests().byRoute['POST /v1.0/$batch'], 3);
  });

  test('consent withdrawn in Microsoft 365 reaches the panel as "approve again", not as an outage', async () => {
    // An app token Entra already issued stays good at Graph until it expires (its roles are in the
    // token; consent is not checked again), and approving reads /organization with one. With 60-s
    // tokens MSAL (5 minutes' renewal offset) never reuses one: the next request meets the withdrawal.
    const fresh = await makeIntegrationHarness({ consentGranted: true, tokenLifetimeSeconds: 60 });
    try {
      const token = (await fresh.signIn(DEMO_CASES.adminAssociateIds[0]!)).message.token!;
      await fresh.consent(token);
      fresh.env.entra.control.revokeConsent(fresh.env.tenant.entraTenantId, DEMO_ENTRA_APP.clientId);
      const res = await fresh.request('GET', '/api/v1/mailboxes', { token });
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, 'MicrosoftConsentRequired');
    } finally {
      await fresh.closeAll();
    }
  });

  test('a cursor that does not point at Graph is refused (no token is sent elsewhere)', async () => {
    const res = await h.request('GET', `/api/v1/mailboxes?cursor=${encodeURIComponent('https://evil.example/v1.0/users?$skiptoken=x')}`, { token: admin });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'InvalidCursor');
  });

  test('bad check bodies get 400; non-admins 403', async () => {
    for (const body of [{ ids: [] }, { ids: ['nope'] }, { ids: Array.from({ length: 1001 }, () => DEMO_CASES.sharedMailboxId) }, {}]) {
      assert.equal((await h.request('POST', '/api/v1/mailboxes/check', { token: admin, body })).status, 400);
    }
    const user = (await h.signIn(DEMO_CASES.nonAdminAssociateId)).message.token!;
    assert.equal((await h.request('GET', '/api/v1/mailboxes', { token: user })).status, 403);
    assert.equal((await h.request('POST', '/api/v1/microsoft/consent', { token: user, body: {} })).status, 403);
  });
});

describe('Load External Users on a 50,000-user directory', () => {
  let h: IntegrationHarness;
  before(async () => {
    h = await makeIntegrationHarness({ size: 'large', consentGranted: true, graphThrottle: null });
  });
  after(() => h.closeAll());

  test('costs exactly ceil(M/999) Graph list requests', async () => {
    const admin = (await h.signIn(DEMO_CASES.adminAssociateIds[0]!)).message.token!;
    // Consent was granted in Entra up front; the tenant still records it through the popup.
    assert.equal((await h.consent(admin)).message.type, 'mailbox-link:consented');
    h.env.graph.control.resetRequests();
    const { all, pages, total } = await loadAll(h, admin);
    const m = h.env.tenant.mailboxes.length;
    assert.equal(all.length, m);
    assert.equal(total, m);
    assert.equal(pages, Math.ceil(m / 999));
    assert.equal(h.env.graph.control.requests().byRoute[USERS], Math.ceil(m / 999));
  });
});
