import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CONSENT_CALLBACK, MICROSOFT_SIGNIN_CALLBACK } from '../../../backend/http/paths.js';
import { DEMO_CASES } from '../../../simulators/demo-tenant.js';
import { makeIntegrationHarness, popupResult, PUBLIC_URL, type IntegrationHarness } from '../../helpers/integration.js';
import { dumpWithout } from '../../helpers/security.js';
import { otherOrganisation } from '../../simulators/ms-sim-harness.js';

/**
 * Admin consent against the Entra simulator, as Microsoft's admin-consent page (v2-admin-consent)
 * asks: the administrator signs in with OpenID Connect first, and the consent answer's `tenant`
 * (which whoever holds the browser can edit) must be the organisation of that verified sign-in.
 */
describe('Microsoft 365 admin consent: the administrator is signed in first (simulators)', () => {
  let h: IntegrationHarness;
  let admin: string;
  let tid: string;
  const kari = DEMO_CASES.adminMailboxId;
  /** Another organisation that once approved our multi-tenant app: what an attacker would bind. */
  const victim = otherOrganisation().entraTenantId;

  before(async () => {
    h = await makeIntegrationHarness({ consentGranted: false });
    admin = (await h.signIn(DEMO_CASES.adminAssociateIds[0]!)).message.token!;
    tid = h.env.tenant.entraTenantId;
  });
  after(() => h.closeAll());

  const tenantRow = () => h.store.db.selectFrom('tenant').selectAll().where('id', '=', h.env.tenant.contextId).executeTakeFirstOrThrow();
  const open = async (url: URL) => {
    const res = await h.request('GET', url.pathname + url.search);
    return { res, page: popupResult(res.status, res.text) };
  };

  test('before the app is approved, an account that may not consent is turned away at the sign-in', async () => {
    // User consent is off in the demo organisation, and only directory administrators may consent.
    const ordinary = h.env.tenant.mailboxes.find((m) => m.userType === 'Member' && m.accountEnabled && m.id !== kari)!;
    const before = await dumpWithout(h, ['login_state']);
    const refusedByMicrosoft = await h.microsoftSignInAnswer(admin, ordinary.id);
    assert.equal(refusedByMicrosoft.searchParams.get('error'), 'consent_required');
    const { page } = await open(refusedByMicrosoft);
    assert.equal(page.message.code, 'SignInRefused');
    assert.match(page.message.message!, /sign in as an administrator/);
    assert.equal(await dumpWithout(h, ['login_state']), before);
  });

  test('a forged tenant on the consent callback is refused and changes nothing', async () => {
    const genuine = await h.consentAnswer(admin);
    assert.equal(genuine.searchParams.get('tenant'), tid);
    const forged = new URL(genuine);
    forged.searchParams.set('tenant', victim);
    const before = await dumpWithout(h, ['login_state']);
    const { res, page } = await open(forged);
    assert.equal(res.status, 400);
    assert.equal(page.origin, PUBLIC_URL);
    assert.equal(page.message.type, 'mailbox-link:error');
    assert.equal(page.message.code, 'ConsentTenantMismatch');
    assert.match(page.message.message!, /different Microsoft 365 organisation/);
    assert.equal(await dumpWithout(h, ['login_state']), before, 'the tenant row and the audit are unchanged');
    assert.equal((await tenantRow()).entra_tenant_id, null);
    assert.equal((await h.request('GET', '/api/v1/tenant', { token: admin })).body.microsoft.connected, false);
    // The approval was spent on the forgery: even the genuine answer must start again.
    assert.equal((await open(genuine)).page.message.code, 'InvalidState');
    assert.equal(await dumpWithout(h, ['login_state']), before);

    // No tenant at all is no confirmation either.
    const missing = await h.consentAnswer(admin);
    missing.searchParams.delete('tenant');
    assert.equal((await open(missing)).page.message.code, 'ConsentIncomplete');
    assert.equal(await dumpWithout(h, ['login_state']), before);
  });

  test('error answers carry admin_consent=True too: the error is read first and nothing is recorded', async () => {
    const declined = await h.consentAnswer(admin, 'cancel');
    assert.equal(declined.searchParams.get('admin_consent'), 'True');
    assert.equal(declined.searchParams.get('error'), 'access_denied');
    const before = await dumpWithout(h, ['login_state']);
    assert.equal((await open(declined)).page.message.code, 'ConsentDeclined');
    // An error beside a complete success answer (tenant and all) still counts as the error.
    const both = await h.consentAnswer(admin);
    both.searchParams.set('error', 'access_denied');
    both.searchParams.set('error_description', 'AADSTS65004: User declined to consent to access the app.');
    assert.equal((await open(both)).page.message.code, 'ConsentDeclined');
    assert.equal(await dumpWithout(h, ['login_state']), before);
  });

  test('the sign-in step refuses what it cannot verify, and reaches the consent page only for the verified organisation', async () => {
    const before = await dumpWithout(h, ['login_state']);
    const consentStates = async () => (await h.store.db.selectFrom('login_state').select('purpose').where('purpose', '=', 'admin_consent').execute()).length;
    const pending = await consentStates();

    // An id token carrying another nonce than this sign-in's.
    const swapped = await h.microsoftSignInAnswer(admin, kari, (form) => form.set('nonce', 'not-this-sign-ins-nonce'));
    assert.equal((await open(swapped)).page.message.code, 'InvalidIdToken');
    // Replayed: the state is spent.
    assert.equal((await open(swapped)).page.message.code, 'InvalidState');
    // A made-up code.
    const madeUp = await h.microsoftSignInAnswer(admin);
    madeUp.searchParams.set('code', 'not-a-code');
    assert.equal((await open(madeUp)).page.message.code, 'TokenRequestRefused');
    assert.equal(await consentStates(), pending, 'no consent was started');
    assert.equal(await dumpWithout(h, ['login_state']), before);

    // A sign-in state is not a consent state: a consent answer carrying it is refused.
    const signedIn = await h.microsoftSignInAnswer(admin);
    const early = new URL(PUBLIC_URL + CONSENT_CALLBACK);
    early.search = new URLSearchParams({ admin_consent: 'True', tenant: tid, state: signedIn.searchParams.get('state')! }).toString();
    assert.equal((await open(early)).page.message.code, 'InvalidState');
    assert.equal(await dumpWithout(h, ['login_state']), before);

    // The genuine answer: on to Microsoft's consent page for the signed-in user's own organisation.
    const next = await h.request('GET', signedIn.pathname + signedIn.search);
    assert.equal(next.status, 302, next.text);
    const consentPage = new URL(String(next.headers.location));
    assert.equal(`${consentPage.origin}${consentPage.pathname}`, `${h.env.entra.url}/${tid}/v2.0/adminconsent`);
    assert.equal(consentPage.searchParams.get('scope'), 'https://graph.microsoft.com/.default');
    assert.equal(consentPage.searchParams.get('redirect_uri'), PUBLIC_URL + CONSENT_CALLBACK);
    assert.equal(next.headers['cross-origin-opener-policy'], 'unsafe-none', 'the popup keeps its opener');
    // A consent state is not a sign-in state either.
    const late = new URL(PUBLIC_URL + MICROSOFT_SIGNIN_CALLBACK);
    late.search = new URLSearchParams({ code: 'x', state: consentPage.searchParams.get('state')! }).toString();
    assert.equal((await open(late)).page.message.code, 'InvalidState');
  });

  test('the popup starts at Microsoft’s organizations sign-in (code + PKCE), then records the organisation and who approved, audited', async () => {
    const started = await h.request('POST', '/api/v1/microsoft/consent', { token: admin, body: {} });
    assert.equal(started.status, 200, started.text);
    const authorize = new URL(started.body.url);
    assert.equal(`${authorize.origin}${authorize.pathname}`, `${h.env.entra.url}/organizations/oauth2/v2.0/authorize`);
    const q = authorize.searchParams;
    assert.deepEqual(
      [q.get('response_type'), q.get('scope'), q.get('code_challenge_method'), q.get('redirect_uri'), q.get('prompt')],
      ['code', 'openid profile', 'S256', PUBLIC_URL + MICROSOFT_SIGNIN_CALLBACK, 'select_account'],
    );
    assert.match(q.get('code_challenge')!, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(q.get('nonce') && q.get('state'));
    assert.equal(q.get('client_secret'), null);

    const { page } = await open(await h.consentAnswer(admin));
    assert.equal(page.message.type, 'mailbox-link:consented');
    const kariMailbox = h.env.tenant.mailboxes.find((m) => m.id === kari)!;
    const row = await tenantRow();
    assert.deepEqual([row.entra_tenant_id, row.admin_consent_oid, row.admin_consent_name], [tid, kari, kariMailbox.displayName]);
    const audit = await h.request('GET', '/api/v1/audit?limit=1', { token: admin });
    const entry = audit.body.entries[0];
    assert.equal(entry.action, 'tenant.microsoft_consent');
    assert.deepEqual(entry.after, { entraTenantId: tid, approvedBy: { oid: kari, name: kariMailbox.displayName } });
    assert.deepEqual(entry.before, { entraTenantId: null, approvedBy: null });
    assert.equal((await h.request('GET', '/api/v1/tenant', { token: admin })).body.microsoft.entraTenantId, tid);
  });
});
