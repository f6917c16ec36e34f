import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { DEMO_CASES, demoTenant } from '../../simulators/demo-tenant.js';
import { startEntraSimulator, type EntraApp, type EntraSimulator } from '../../simulators/entra/entra.simulator.js';
import { simulatorFetch } from '../../simulators/tls.js';
import { otherOrganisation, redirectParams } from './ms-sim-harness.js';

const APP: EntraApp = {
  clientId: '2a7c4e19-8b3d-4f60-a1e2-5d9c0b7f3a68',
  clientSecret: 'consent~tests.secret',
  redirectUris: ['https://localhost:8443/auth/microsoft/signin/callback', 'https://localhost:8443/auth/microsoft/consent/callback'],
  spaRedirectUris: ['https://localhost:8443/accept/'],
  permissions: ['User.Read.All'],
  delegatedPermissions: ['openid', 'profile', 'email', 'offline_access'],
  displayName: 'Consent tests',
};

/**
 * The Entra simulator's sign-in at `organizations` (the administrator's sign-in before admin
 * consent) and its "Users can consent to apps" switch, as Microsoft's "Configure how users consent
 * to applications" and "User and admin consent" pages describe them.
 */
describe('Entra ID simulator: multi-tenant sign-in and user consent', () => {
  let entra: EntraSimulator;
  let trusted: Awaited<ReturnType<typeof simulatorFetch>>;
  const home = demoTenant('demo');
  const other = otherOrganisation();
  const ordinary = home.mailboxes.find((m) => m.userType === 'Member' && m.accountEnabled && m.id !== DEMO_CASES.adminMailboxId)!;

  before(async () => {
    entra = await startEntraSimulator({ tenant: home, otherTenants: [other], apps: [APP], userConsent: false, directoryAdmins: [DEMO_CASES.adminMailboxId] });
    trusted = await simulatorFetch();
  });
  after(async () => {
    await entra.close();
    await trusted.close();
  });

  /** Authorization code + PKCE at `segment` as `userId`; returns the redirect's parameters (and the verifier). */
  async function signIn(segment: string, userId: string, scope: string, redirectUri = APP.redirectUris[0]!) {
    const verifier = randomBytes(32).toString('base64url');
    const params = new URLSearchParams({
      client_id: APP.clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope,
      state: 's1',
      nonce: 'n1',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    const authorize = `${entra.url}/${segment}/oauth2/v2.0/authorize`;
    const page = await trusted.fetch(`${authorize}?${params}`);
    assert.equal(page.status, 200);
    params.set('user_id', userId);
    const res = await trusted.fetch(authorize, { method: 'POST', body: params, redirect: 'manual' });
    assert.equal(res.status, 302);
    return { query: redirectParams(res.headers.get('location')).query, verifier };
  }

  async function redeem(segment: string, code: string, verifier: string) {
    const res = await trusted.fetch(`${entra.url}/${segment}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: APP.clientId,
        client_secret: APP.clientSecret!,
        code,
        redirect_uri: APP.redirectUris[0]!,
        code_verifier: verifier,
      }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  }

  it('organizations: the code is for the signed-in user’s own directory, and the id token carries its tid and v2.0 issuer', async () => {
    entra.control.setUserConsent(true);
    try {
      const fiona = other.mailboxes[0]!;
      const { query, verifier } = await signIn('organizations', fiona.id, 'openid profile');
      assert.equal(query.get('state'), 's1');
      const tokens = await redeem('organizations', query.get('code')!, verifier);
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
      const claims = decodeJwt(tokens.body.id_token!);
      assert.equal(claims.tid, other.entraTenantId);
      assert.equal(claims.iss, `${entra.url}/${other.entraTenantId}/v2.0`);
      assert.equal(claims.oid, fiona.id);
      assert.equal(claims.nonce, 'n1');
      // That code cannot be redeemed at another directory.
      const again = await signIn('organizations', fiona.id, 'openid profile');
      const wrong = await redeem(home.entraTenantId, again.query.get('code')!, again.verifier);
      assert.equal(wrong.status, 400);
      assert.match(wrong.body.error_description!, /^AADSTS700005:/);
    } finally {
      entra.control.setUserConsent(false);
    }
  });

  it('user consent off: delegated scopes nobody approved are refused with consent_required (AADSTS65001); no code is issued', async () => {
    entra.control.revokeConsent(home.entraTenantId, APP.clientId);
    const issuedBefore = entra.control.issued().filter((i) => i.kind === 'code').length;
    const { query } = await signIn(home.entraTenantId, ordinary.id, 'openid profile email offline_access', APP.spaRedirectUris![0]);
    assert.equal(query.get('error'), 'consent_required');
    assert.match(query.get('error_description')!, new RegExp(`^AADSTS65001: The user or administrator has not consented to use the application with ID '${APP.clientId}'`));
    assert.equal(query.get('state'), 's1');
    assert.equal(query.get('code'), null);
    assert.equal(entra.control.issued().filter((i) => i.kind === 'code').length, issuedBefore);
  });

  it('user consent off: a directory administrator may still consent for themselves', async () => {
    const { query } = await signIn('organizations', DEMO_CASES.adminMailboxId, 'openid profile');
    assert.ok(query.get('code'), query.get('error_description') ?? '');
  });

  it('admin consent grants the registration’s delegated permissions for every user, and only those', async () => {
    const page = await trusted.fetch(
      `${entra.url}/${home.entraTenantId}/v2.0/adminconsent?${new URLSearchParams({ client_id: APP.clientId, redirect_uri: APP.redirectUris[1]!, scope: 'https://graph.microsoft.com/.default', state: 'c1' })}`,
    );
    assert.equal(page.status, 200);
    const res = await trusted.fetch(`${entra.url}/${home.entraTenantId}/v2.0/adminconsent`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: APP.clientId, redirect_uri: APP.redirectUris[1]!, scope: 'https://graph.microsoft.com/.default', state: 'c1', decision: 'accept' }),
      redirect: 'manual',
    });
    assert.equal(redirectParams(res.headers.get('location')).query.get('admin_consent'), 'True');
    assert.deepEqual(entra.control.delegatedConsent(home.entraTenantId, APP.clientId).sort(), ['email', 'offline_access', 'openid', 'profile']);

    const allowed = await signIn(home.entraTenantId, ordinary.id, 'openid profile email offline_access', APP.spaRedirectUris![0]);
    assert.ok(allowed.query.get('code'), allowed.query.get('error_description') ?? '');
    // Mail.Read is not in the registration: admin consent did not cover it.
    const more = await signIn(home.entraTenantId, ordinary.id, 'openid Mail.Read', APP.spaRedirectUris![0]);
    assert.equal(more.query.get('error'), 'consent_required');
  });

  it('a refresh token stops working once the consent behind it is withdrawn', async () => {
    entra.control.grantConsent(home.entraTenantId, APP.clientId);
    const { query, verifier } = await signIn(home.entraTenantId, ordinary.id, 'openid profile offline_access');
    const tokens = await redeem(home.entraTenantId, query.get('code')!, verifier);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    entra.control.grantConsent(home.entraTenantId, APP.clientId, APP.permissions, []);
    const res = await trusted.fetch(`${entra.url}/${home.entraTenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: APP.clientId, client_secret: APP.clientSecret!, refresh_token: tokens.body.refresh_token! }),
    });
    const body = (await res.json()) as { error: string; error_codes: number[] };
    assert.equal(res.status, 400);
    assert.equal(body.error, 'invalid_grant');
    assert.deepEqual(body.error_codes, [65001]);
  });

  it('the switch is reachable out of process, as the demo runs it', async () => {
    const put = (body: unknown) =>
      trusted.fetch(`${entra.url}/__sim/user-consent`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await put({ allowed: 'yes' })).status, 400);
    assert.equal((await put({ allowed: true })).status, 200);
    entra.control.revokeConsent(home.entraTenantId, APP.clientId);
    const open = await signIn(home.entraTenantId, ordinary.id, 'openid profile', APP.spaRedirectUris![0]);
    assert.ok(open.query.get('code'));
    assert.equal((await put({ allowed: false })).status, 200);
    const closed = await signIn(home.entraTenantId, ordinary.id, 'openid profile', APP.spaRedirectUris![0]);
    assert.equal(closed.query.get('error'), 'consent_required');
  });
});
