import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_CASES } from '../../../simulators/demo-tenant.js';
import { dumpDatabase } from '../../helpers/harness.js';
import { makeIntegrationHarness, PUBLIC_URL, type IntegrationHarness } from '../../helpers/integration.js';

describe('SuperOffice sign-in through the popup, against the SuperOffice simulator', () => {
  let h: IntegrationHarness;
  before(async () => {
    h = await makeIntegrationHarness();
  });
  after(() => h.closeAll());

  test('an administrator signs in: the popup posts a session token to exactly the panel origin', async () => {
    const admin = DEMO_CASES.adminAssociateIds[0]!;
    const result = await h.signIn(admin);
    assert.equal(result.status, 200);
    assert.equal(result.origin, PUBLIC_URL);
    assert.equal(result.message.type, 'mailbox-link:signed-in');
    assert.equal(result.message.isAdmin, true);
    const me = await h.request('GET', '/api/v1/session', { token: result.message.token });
    assert.equal(me.status, 200);
    assert.equal(me.body.tenantId, h.env.tenant.contextId);
    assert.equal(me.body.associateId, admin);
    assert.equal(me.body.isAdmin, true);
  });

  test('a non-administrator gets a read-only session: 403 on every change', async () => {
    const result = await h.signIn(DEMO_CASES.nonAdminAssociateId);
    assert.equal(result.message.isAdmin, false);
    const token = result.message.token!;
    const res = await h.request('POST', '/api/v1/links', { token, body: { links: [] } });
    assert.equal(res.status, 403);
    assert.equal((await h.request('GET', '/api/v1/links', { token })).status, 200);
  });

  test('SuperOffice tokens are kept sealed server-side: the database holds neither token in clear', async () => {
    await h.signIn(DEMO_CASES.adminAssociateIds[1]!);
    const row = await h.store.db.selectFrom('superoffice_credential').selectAll().where('associate_id', '=', DEMO_CASES.adminAssociateIds[1]!).executeTakeFirstOrThrow();
    assert.match(row.access_token_sealed, /^v1\./);
    const dump = await dumpDatabase(h.store);
    assert.ok(!/8A:Cust/.test(dump), 'a SuperOffice access token is in the database in clear');
  });

  test('a callback with a state that is unknown, or used twice, is refused and records nothing', async () => {
    const start = await h.request('GET', `/auth/superoffice/start?tenant=${h.env.tenant.contextId}`);
    const authorize = new URL(String(start.headers.location));
    const form = new URLSearchParams(authorize.searchParams);
    form.set('ctx', h.env.tenant.contextId);
    form.set('associate_id', String(DEMO_CASES.adminAssociateIds[0]));
    const chosen = await h.browserFetch(new URL(authorize.pathname, authorize), { method: 'POST', body: form, redirect: 'manual' });
    const callback = new URL(chosen.headers.get('location')!);

    const forged = new URL(callback);
    forged.searchParams.set('state', 'A'.repeat(43));
    const before = await dumpDatabase(h.store);
    const refused = await h.request('GET', forged.pathname + forged.search);
    assert.equal(refused.status, 400);
    assert.match(refused.text, /InvalidState/);
    assert.equal(await dumpDatabase(h.store), before);

    const first = await h.request('GET', callback.pathname + callback.search);
    assert.equal(first.status, 200);
    const replay = await h.request('GET', callback.pathname + callback.search);
    assert.equal(replay.status, 400);
    assert.match(replay.text, /InvalidState/);
  });

  test('the result page carries the token in its body only, never a URL, and runs no inline script', async () => {
    const start = await h.request('GET', `/auth/superoffice/start?tenant=${h.env.tenant.contextId}`);
    const authorize = new URL(String(start.headers.location));
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(authorize.searchParams.get('nonce'));
    assert.equal(authorize.searchParams.get('acr_values'), `tenant:${h.env.tenant.contextId}`);
    const form = new URLSearchParams(authorize.searchParams);
    form.set('ctx', h.env.tenant.contextId);
    form.set('associate_id', String(DEMO_CASES.adminAssociateIds[0]));
    const chosen = await h.browserFetch(new URL(authorize.pathname, authorize), { method: 'POST', body: form, redirect: 'manual' });
    const callback = new URL(chosen.headers.get('location')!);
    const page = await h.request('GET', callback.pathname + callback.search);
    assert.ok(!/<script>/.test(page.text));
    assert.match(page.text, /<script src="\/auth\/popup-result\.js"/);
    assert.ok(!/script-src[^;]*unsafe-inline/.test(String(page.headers['content-security-policy'])));
    assert.equal(page.headers['cross-origin-opener-policy'], 'unsafe-none');
    assert.ok(!h.logs.join('\n').includes(callback.searchParams.get('code')!), 'the authorization code reached the log');
  });

  test('a sign-in the user cancels is reported to the panel', async () => {
    const res = await h.request('GET', '/auth/superoffice/callback?error=access_denied&state=x');
    assert.match(res.text, /SignInCancelled/);
  });

  describe('Onsite: a SOTicket from the web panel URL', () => {
    test('is validated by the Web API and becomes a session; associates are then read with it', async () => {
      const ticket = h.env.superoffice.control.issueTicket({ associateId: DEMO_CASES.adminAssociateIds[0]!, clientId: 'demo-mailbox-link' });
      const res = await h.request('POST', '/auth/superoffice/ticket', { body: { ticket, tenant: h.env.tenant.contextId } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.isAdmin, true);
      const associates = await h.request('GET', '/api/v1/associates', { token: res.body.token });
      assert.equal(associates.status, 200, associates.text);
      assert.ok(!h.logs.join('\n').includes(ticket), 'the ticket reached the log');
    });

    test('a non-admin ticket gives a read-only session', async () => {
      const ticket = h.env.superoffice.control.issueTicket({ associateId: DEMO_CASES.nonAdminAssociateId, clientId: 'demo-mailbox-link' });
      const res = await h.request('POST', '/auth/superoffice/ticket', { body: { ticket } });
      assert.equal(res.body.isAdmin, false);
    });

    test('a forged or expired ticket, or one of another tenant, is refused and records nothing', async () => {
      const before = await dumpDatabase(h.store);
      const forged = await h.request('POST', '/auth/superoffice/ticket', { body: { ticket: '7T:forged-ticket' } });
      assert.equal(forged.status, 401);
      assert.equal(forged.body.error.code, 'InvalidTicket');
      const ticket = h.env.superoffice.control.issueTicket({ associateId: DEMO_CASES.adminAssociateIds[0]!, clientId: 'demo-mailbox-link' });
      const other = await h.request('POST', '/auth/superoffice/ticket', { body: { ticket, tenant: 'Cust99999' } });
      assert.equal(other.status, 401);
      assert.equal(other.body.error.code, 'WrongTenant');
      h.env.superoffice.control.expireAccessTokens();
      const expired = await h.request('POST', '/auth/superoffice/ticket', { body: { ticket } });
      assert.equal(expired.status, 401);
      for (const body of [{}, { ticket: 'has space' }, { ticket: 'x'.repeat(3000) }, { ticket: 7 }]) {
        assert.equal((await h.request('POST', '/auth/superoffice/ticket', { body })).status, 400);
      }
      assert.equal(await dumpDatabase(h.store), before);
    });
  });
});

describe('currentPrincipal names the tenant differently from the ctx claim', () => {
  test('in another case: the same tenant, for the popup sign-in and for a ticket', async () => {
    const h = await makeIntegrationHarness({ superoffice: { databaseContextIdentifier: (id) => id.toLowerCase() } });
    try {
      const admin = DEMO_CASES.adminAssociateIds[0]!;
      const popup = await h.signIn(admin);
      assert.equal(popup.message.type, 'mailbox-link:signed-in', JSON.stringify(popup.message));
      const ticket = h.env.superoffice.control.issueTicket({ associateId: admin, clientId: 'demo-mailbox-link' });
      const res = await h.request('POST', '/auth/superoffice/ticket', { body: { ticket, tenant: h.env.tenant.contextId } });
      assert.equal(res.status, 200, res.text);
    } finally {
      await h.closeAll();
    }
  });

  test('empty (Onsite): treated as none, so the panel\'s tenant is used, not ""', async () => {
    const h = await makeIntegrationHarness({ superoffice: { databaseContextIdentifier: () => '' } });
    try {
      const admin = DEMO_CASES.adminAssociateIds[0]!;
      const ticket = h.env.superoffice.control.issueTicket({ associateId: admin, clientId: 'demo-mailbox-link' });
      const res = await h.request('POST', '/auth/superoffice/ticket', { body: { ticket, tenant: h.env.tenant.contextId } });
      assert.equal(res.status, 200, res.text);
      const me = await h.request('GET', '/api/v1/session', { token: res.body.token });
      assert.equal(me.body.tenantId, h.env.tenant.contextId);
      const bare = await h.request('POST', '/auth/superoffice/ticket', { body: { ticket } });
      assert.equal((await h.request('GET', '/api/v1/session', { token: bare.body.token })).body.tenantId, 'onsite');
    } finally {
      await h.closeAll();
    }
  });
});
