import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_CASES } from '../../../simulators/demo-tenant.js';
import { dumpDatabase } from '../../helpers/harness.js';
import { makeIntegrationHarness, popupResult, PUBLIC_URL, type IntegrationHarness } from '../../helpers/integration.js';

describe('Silent sign-in (prompt=none) through /auth/superoffice/start and the callback', () => {
  let h: IntegrationHarness;
  before(async () => {
    h = await makeIntegrationHarness();
  });
  after(() => h.closeAll());

  /** Runs the hidden frame's way: start with prompt=none, SuperID with the browser's cookie (if any), our callback. */
  async function silent(cookie?: string) {
    const start = await h.request('GET', `/auth/superoffice/start?tenant=${h.env.tenant.contextId}&prompt=none`);
    assert.equal(start.status, 302);
    const authorize = new URL(String(start.headers.location));
    assert.equal(authorize.searchParams.get('prompt'), 'none');
    const answer = await h.browserFetch(authorize, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    assert.equal(answer.status, 302, 'SuperID answers prompt=none with a redirect, never a page');
    const callback = new URL(answer.headers.get('location')!);
    assert.equal(callback.origin, PUBLIC_URL);
    const page = await h.request('GET', callback.pathname + callback.search);
    return { page, result: popupResult(page.status, page.text), callback };
  }

  test('without a SuperOffice sign-in session: LoginRequired, the state is spent, no session is issued', async () => {
    const sessionsBefore = (await h.store.db.selectFrom('session').selectAll().execute()).length;
    const { page, result, callback } = await silent();
    assert.equal(page.status, 200, 'an expected answer, not a failed request (no console error in the panel)');
    assert.equal(result.message.type, 'mailbox-link:error');
    assert.equal(result.message.code, 'LoginRequired');
    assert.equal(result.origin, PUBLIC_URL);
    assert.equal((await h.store.db.selectFrom('session').selectAll().execute()).length, sessionsBefore);
    assert.equal((await h.store.db.selectFrom('login_state').selectAll().execute()).length, 0, 'the refused state is deleted');
    // The same answer cannot be replayed into a sign-in.
    const replay = await h.request('GET', `${callback.pathname}?code=x&state=${callback.searchParams.get('state')}`);
    assert.match(replay.text, /InvalidState/);
  });

  test('with a SuperOffice session from an earlier interactive sign-in: a panel session without any page', async () => {
    const admin = DEMO_CASES.adminAssociateIds[0]!;
    // The interactive sign-in, as the popup runs it, keeping SuperID's cookie as the browser would.
    const start = await h.request('GET', `/auth/superoffice/start?tenant=${h.env.tenant.contextId}`);
    const authorize = new URL(String(start.headers.location));
    const form = new URLSearchParams(authorize.searchParams);
    form.set('ctx', h.env.tenant.contextId);
    form.set('associate_id', String(admin));
    const chosen = await h.browserFetch(new URL(authorize.pathname, authorize), { method: 'POST', body: form, redirect: 'manual' });
    const cookie = (chosen.headers.get('set-cookie') ?? '').split(';')[0]!;
    assert.match(cookie, /^SuperIdSession=/);
    await h.request('GET', new URL(chosen.headers.get('location')!).pathname + new URL(chosen.headers.get('location')!).search);

    const { page, result } = await silent(cookie);
    assert.equal(result.message.type, 'mailbox-link:signed-in', JSON.stringify(result.message));
    const me = await h.request('GET', '/api/v1/session', { token: result.message.token });
    assert.equal(me.status, 200);
    assert.equal(me.body.associateId, admin);
    // The hidden frame of the panel may show the page, nothing else may frame it.
    assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'self'(;|$)/);
    assert.ok(!h.logs.join('\n').includes(result.message.token!), 'the session token reached the log');
  });

  test('prompt other than none is refused before anything is stored', async () => {
    const before = await dumpDatabase(h.store);
    const res = await h.request('GET', `/auth/superoffice/start?tenant=${h.env.tenant.contextId}&prompt=login`);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'BadRequest');
    assert.equal(await dumpDatabase(h.store), before);
  });

  test('the panel may frame exactly itself and SuperID (the silent sign-in), nothing else', async () => {
    const res = await h.request('GET', '/panel/');
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, new RegExp(`frame-src 'self' ${new URL(h.env.superoffice.url).origin}(;|$)`));
  });
});
