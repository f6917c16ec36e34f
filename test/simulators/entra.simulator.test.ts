import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import { DEMO_CASES } from '../../simulators/demo-tenant.js';
import { jsonOf, redirectParams, startMicrosoftSims, TEST_APP, type MicrosoftSims } from './ms-sim-harness.js';

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

describe('Entra ID simulator', () => {
  let sims: MicrosoftSims;
  let tid: string;
  let authority: string;
  const webRedirect = TEST_APP.redirectUris[0]!;
  const spaRedirect = TEST_APP.spaRedirectUris![0]!;

  before(async () => {
    sims = await startMicrosoftSims({ consentGranted: true });
    tid = sims.tenant.entraTenantId;
    authority = `${sims.entra.url}/${tid}`;
  });
  after(() => sims.close());

  const token = (params: Record<string, string>, headers: Record<string, string> = {}) =>
    sims.fetch(`${authority}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams(params), headers });

  /** Runs the account picker: GET the page, then POST the pick; returns the redirect's Location. */
  async function signIn(params: Record<string, string>, userId: string): Promise<string | null> {
    const page = await sims.fetch(`${authority}/oauth2/v2.0/authorize?${new URLSearchParams(params)}`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.ok(html.includes(`value="${userId}"`), 'the user is offered');
    const res = await sims.fetch(`${authority}/oauth2/v2.0/authorize`, {
      method: 'POST',
      body: new URLSearchParams({ ...params, user_id: userId }),
      redirect: 'manual',
    });
    assert.equal(res.status, 302);
    return res.headers.get('location');
  }

  describe('discovery', () => {
    it('serves the v2.0 OpenID configuration for the tenant id and the domain', async () => {
      for (const segment of [tid, sims.tenant.domain]) {
        const res = await sims.fetch(`${sims.entra.url}/${segment}/v2.0/.well-known/openid-configuration`);
        assert.equal(res.status, 200);
        const config = await jsonOf(res);
        assert.equal(config.issuer, sims.entra.issuer(tid));
        assert.equal(config.issuer, `${sims.entra.url}/${tid}/v2.0`);
        assert.equal(config.authorization_endpoint, `${authority}/oauth2/v2.0/authorize`);
        assert.equal(config.token_endpoint, `${authority}/oauth2/v2.0/token`);
        assert.equal(config.jwks_uri, `${authority}/discovery/v2.0/keys`);
        assert.deepEqual(config.id_token_signing_alg_values_supported, ['RS256']);
      }
    });

    it('keeps the {tenantid} placeholder for organizations, and rejects unknown tenants', async () => {
      const orgs = await jsonOf(await sims.fetch(`${sims.entra.url}/organizations/v2.0/.well-known/openid-configuration`));
      assert.equal(orgs.issuer, `${sims.entra.url}/{tenantid}/v2.0`);
      const res = await sims.fetch(`${sims.entra.url}/no-such-tenant.example/v2.0/.well-known/openid-configuration`);
      assert.equal(res.status, 400);
      const body = await jsonOf(res);
      assert.equal(body.error, 'invalid_tenant');
      assert.deepEqual(body.error_codes, [90002]);
    });

    it('publishes an RS256 key with kid, x5t and x5c', async () => {
      const jwks = await jsonOf(await sims.fetch(`${authority}/discovery/v2.0/keys`));
      assert.equal(jwks.keys.length, 1);
      const [key] = jwks.keys;
      assert.equal(key.kty, 'RSA');
      assert.equal(key.use, 'sig');
      assert.equal(key.e, 'AQAB');
      assert.ok(key.kid && key.n && key.x5t);
      assert.equal(key.kid, key.x5t);
      assert.ok(Array.isArray(key.x5c) && key.x5c.length === 1);
      assert.equal(key.issuer, sims.entra.issuer(tid));
      assert.equal(sims.entra.control.jwks().keys[0]!.kid, key.kid);
      assert.match(sims.entra.control.publicKeyPem(), /BEGIN PUBLIC KEY/);
    });
  });

  describe('client credentials', () => {
    it('issues a Graph access token with the consented roles', async () => {
      const res = await token({ grant_type: 'client_credentials', client_id: TEST_APP.clientId, client_secret: TEST_APP.clientSecret!, scope: 'https://graph.microsoft.com/.default' });
      assert.equal(res.status, 200);
      const body = await jsonOf(res);
      assert.equal(body.token_type, 'Bearer');
      assert.equal(body.expires_in, 3599);
      const claims = decodeJwt(body.access_token);
      assert.equal(claims.aud, 'https://graph.microsoft.com');
      assert.equal(claims.tid, tid);
      assert.equal(claims.appid, TEST_APP.clientId);
      assert.deepEqual(claims.roles, TEST_APP.permissions);
      assert.ok(claims.exp! > Date.now() / 1000 + 3000);
      const verified = await jwtVerify(body.access_token, createLocalJWKSet(sims.entra.control.jwks()));
      assert.equal(verified.payload.iss, sims.entra.control.accessTokenIssuer(tid));
    });

    it('accepts client_secret_basic too', async () => {
      const basic = Buffer.from(`${TEST_APP.clientId}:${encodeURIComponent(TEST_APP.clientSecret!)}`).toString('base64');
      const res = await token({ grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' }, { authorization: `Basic ${basic}` });
      assert.equal(res.status, 200);
    });

    it('refuses a bad secret the way Entra does', async () => {
      const res = await token({ grant_type: 'client_credentials', client_id: TEST_APP.clientId, client_secret: 'wrong', scope: 'https://graph.microsoft.com/.default' });
      assert.equal(res.status, 401);
      const body = await jsonOf(res);
      assert.equal(body.error, 'invalid_client');
      assert.deepEqual(body.error_codes, [7000215]);
      assert.match(body.error_description, /^AADSTS7000215: Invalid client secret provided\./);
      assert.match(body.error_description, /\r\nTrace ID: .+\r\nCorrelation ID: .+\r\nTimestamp: /);
    });

    it('refuses a missing secret, a delegated scope and an unknown resource', async () => {
      const base = { grant_type: 'client_credentials', client_id: TEST_APP.clientId };
      let body = await jsonOf(await token({ ...base, scope: 'https://graph.microsoft.com/.default' }));
      assert.deepEqual(body.error_codes, [7000218]);
      body = await jsonOf(await token({ ...base, client_secret: TEST_APP.clientSecret!, scope: 'User.Read' }));
      assert.equal(body.error, 'invalid_scope');
      assert.deepEqual(body.error_codes, [1002012]);
      body = await jsonOf(await token({ ...base, client_secret: TEST_APP.clientSecret!, scope: 'api://other/.default' }));
      assert.equal(body.error, 'invalid_resource');
      body = await jsonOf(await token({ client_id: TEST_APP.clientId }));
      assert.deepEqual(body.error_codes, [900144]);
      body = await jsonOf(await sims.fetch(`${sims.entra.url}/organizations/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({ ...base, client_secret: TEST_APP.clientSecret!, scope: 'https://graph.microsoft.com/.default' }),
      }));
      assert.equal(body.error, 'invalid_request');
    });

    it('without consent the app is not in the directory; consent with no permissions gives a token without roles', async () => {
      const params = { grant_type: 'client_credentials', client_id: TEST_APP.clientId, client_secret: TEST_APP.clientSecret!, scope: 'https://graph.microsoft.com/.default' };
      sims.entra.control.revokeConsent(tid, TEST_APP.clientId);
      const res = await token(params);
      assert.equal(res.status, 400);
      const body = await jsonOf(res);
      assert.equal(body.error, 'unauthorized_client');
      assert.deepEqual(body.error_codes, [700016]);
      sims.entra.control.grantConsent(tid, TEST_APP.clientId, []);
      const bare = await jsonOf(await token(params));
      assert.equal(decodeJwt(bare.access_token).roles, undefined);
      sims.entra.control.grantConsent(tid, TEST_APP.clientId);
      assert.deepEqual(sims.entra.control.consent(tid, TEST_APP.clientId), TEST_APP.permissions);
    });
  });

  describe('authorization code with PKCE', () => {
    const kari = DEMO_CASES.adminMailboxId;
    const authorizeParams = (challenge: string, extra: Record<string, string> = {}) => ({
      client_id: TEST_APP.clientId,
      response_type: 'code',
      redirect_uri: webRedirect,
      scope: 'openid profile email offline_access User.Read',
      state: 'state-123',
      nonce: 'nonce-456',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...extra,
    });

    it('lists enabled members only on the sign-in page, which refuses to be framed', async () => {
      const res = await sims.fetch(`${authority}/oauth2/v2.0/authorize?${new URLSearchParams(authorizeParams('x'))}`);
      assert.equal(res.headers.get('x-frame-options'), 'DENY');
      const html = await res.text();
      assert.ok(html.includes(kari));
      for (const hidden of [...DEMO_CASES.guestIds, ...DEMO_CASES.disabledIds, DEMO_CASES.sharedMailboxId, DEMO_CASES.roomMailboxId]) {
        assert.ok(!html.includes(`value="${hidden}"`), `${hidden} is not offered`);
      }
    });

    it('redeems a code with the right verifier for an id token that verifies against the JWKS', async () => {
      const { verifier, challenge } = pkce();
      const { query } = redirectParams(await signIn(authorizeParams(challenge, { client_info: '1' }), kari));
      assert.equal(query.get('state'), 'state-123');
      const code = query.get('code');
      assert.ok(code);

      const res = await token({ grant_type: 'authorization_code', client_id: TEST_APP.clientId, client_secret: TEST_APP.clientSecret!, code, redirect_uri: webRedirect, code_verifier: verifier, client_info: '1' });
      assert.equal(res.status, 200);
      const body = await jsonOf(res);
      assert.ok(body.access_token && body.id_token && body.refresh_token);
      assert.equal(body.token_type, 'Bearer');

      const jwks = (await jsonOf(await sims.fetch(`${authority}/discovery/v2.0/keys`))) as JSONWebKeySet;
      const { payload, protectedHeader } = await jwtVerify(body.id_token, createLocalJWKSet(jwks), {
        issuer: sims.entra.issuer(tid),
        audience: TEST_APP.clientId,
      });
      assert.equal(protectedHeader.alg, 'RS256');
      assert.equal(protectedHeader.kid, jwks.keys[0]!.kid);
      assert.equal(payload.tid, tid);
      assert.equal(payload.oid, kari);
      assert.equal(payload.nonce, 'nonce-456');
      assert.equal(payload.preferred_username, 'kari.nordmann@nordlys.example');
      assert.equal(payload.name, 'Kari Nordmann');
      const info = JSON.parse(Buffer.from(body.client_info, 'base64url').toString());
      assert.deepEqual(info, { uid: kari, utid: tid });
      const access = decodeJwt(body.access_token);
      assert.equal(access.aud, 'https://graph.microsoft.com');
      assert.match(String(access.scp), /User\.Read/);

      const again = await token({ grant_type: 'authorization_code', client_id: TEST_APP.clientId, client_secret: TEST_APP.clientSecret!, code, redirect_uri: webRedirect, code_verifier: verifier });
      assert.equal(again.status, 400);
      assert.deepEqual((await jsonOf(again)).error_codes, [54005]);

      const refreshed = await token({ grant_type: 'refresh_token', client_id: TEST_APP.clientId, client_secret: TEST_APP.clientSecret!, refresh_token: body.refresh_token });
      assert.equal(refreshed.status, 200);
      const reused = await token({ grant_type: 'refresh_token', client_id: TEST_APP.clientId, client_secret: TEST_APP.clientSecret!, refresh_token: body.refresh_token });
      assert.equal((await jsonOf(reused)).error, 'invalid_grant', 'refresh tokens rotate');
    });

    it('refuses a wrong verifier with invalid_grant, leaving the code usable', async () => {
      const { verifier, challenge } = pkce();
      const code = redirectParams(await signIn(authorizeParams(challenge), kari)).query.get('code')!;
      const bad = await token({ grant_type: 'authorization_code', client_id: TEST_APP.clientId, client_secret: TEST_APP.clientSecret!, code, redirect_uri: webRedirect, code_verifier: pkce().verifier });
      assert.equal(bad.status, 400);
      const body = await jsonOf(bad);
      assert.equal(body.error, 'invalid_grant');
      assert.deepEqual(body.error_codes, [501481]);
      const missing = await token({ grant_type: 'authorization_code', client_id: TEST_APP.clientId, client_secret: TEST_APP.clientSecret!, code, redirect_uri: webRedirect });
      assert.equal((await jsonOf(missing)).error, 'invalid_grant');
      const good = await token({ grant_type: 'authorization_code', client_id: TEST_APP.clientId, client_secret: TEST_APP.clientSecret!, code, redirect_uri: webRedirect, code_verifier: verifier });
      assert.equal(good.status, 200);
    });

    it('puts code and state in the fragment for response_mode=fragment; SPA redemption must be cross-origin', async () => {
      const { verifier, challenge } = pkce();
      const location = await signIn(authorizeParams(challenge, { redirect_uri: spaRedirect, response_mode: 'fragment' }), kari);
      const { query, fragment, url } = redirectParams(location);
      assert.equal(`${url.origin}${url.pathname}`, spaRedirect);
      assert.equal(query.get('code'), null);
      assert.equal(fragment.get('state'), 'state-123');
      const code = fragment.get('code')!;
      const params = { grant_type: 'authorization_code', client_id: TEST_APP.clientId, code, redirect_uri: spaRedirect, code_verifier: verifier };
      const noOrigin = await token(params);
      assert.deepEqual((await jsonOf(noOrigin)).error_codes, [9002327]);
      const res = await token(params, { origin: 'https://localhost:5173' });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
    });

    it('shows its own error page for an unregistered redirect URI, and redirects other errors', async () => {
      const res = await sims.fetch(`${authority}/oauth2/v2.0/authorize?${new URLSearchParams(authorizeParams('x', { redirect_uri: 'https://evil.example/cb' }))}`, { redirect: 'manual' });
      assert.equal(res.status, 400);
      assert.match(await res.text(), /AADSTS50011/);
      const silent = await sims.fetch(`${authority}/oauth2/v2.0/authorize?${new URLSearchParams(authorizeParams('x', { prompt: 'none' }))}`, { redirect: 'manual' });
      assert.equal(silent.status, 302);
      const { query } = redirectParams(silent.headers.get('location'));
      assert.equal(query.get('error'), 'login_required');
      assert.equal(query.get('state'), 'state-123');
      const spaNoPkce = await sims.fetch(`${authority}/oauth2/v2.0/authorize?${new URLSearchParams({ ...authorizeParams('x', { redirect_uri: spaRedirect }), code_challenge: '' })}`, { redirect: 'manual' });
      assert.equal(redirectParams(spaNoPkce.headers.get('location')).query.get('error'), 'invalid_request');
    });
  });

  describe('admin consent', () => {
    const consentParams = { client_id: TEST_APP.clientId, redirect_uri: webRedirect, state: 'consent-state' };
    const clientCredentials = () =>
      token({ grant_type: 'client_credentials', client_id: TEST_APP.clientId, client_secret: TEST_APP.clientSecret!, scope: 'https://graph.microsoft.com/.default' });

    it('Accept records consent and redirects with admin_consent=True, tenant and state', async () => {
      sims.entra.control.revokeConsent(tid, TEST_APP.clientId);
      assert.equal((await clientCredentials()).status, 400);

      const page = await sims.fetch(`${authority}/adminconsent?${new URLSearchParams(consentParams)}`);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /Accept/);
      assert.match(html, /User\.Read\.All/);

      const res = await sims.fetch(`${authority}/adminconsent`, { method: 'POST', body: new URLSearchParams({ ...consentParams, decision: 'accept' }), redirect: 'manual' });
      assert.equal(res.status, 302);
      const { query, url } = redirectParams(res.headers.get('location'));
      assert.equal(`${url.origin}${url.pathname}`, webRedirect);
      assert.equal(query.get('admin_consent'), 'True');
      assert.equal(query.get('tenant'), tid);
      assert.equal(query.get('state'), 'consent-state');
      assert.equal((await clientCredentials()).status, 200);
    });

    it('Cancel redirects with error=access_denied (and admin_consent=True, as Microsoft sends it) and records nothing', async () => {
      sims.entra.control.revokeConsent(tid, TEST_APP.clientId);
      const res = await sims.fetch(`${sims.entra.url}/organizations/v2.0/adminconsent`, {
        method: 'POST',
        body: new URLSearchParams({ ...consentParams, scope: 'https://graph.microsoft.com/.default', decision: 'cancel' }),
        redirect: 'manual',
      });
      assert.equal(res.status, 302);
      const { query } = redirectParams(res.headers.get('location'));
      assert.equal(query.get('error'), 'access_denied');
      assert.equal(query.get('admin_consent'), 'True');
      assert.equal(query.get('tenant'), null);
      assert.match(query.get('error_description')!, /^AADSTS65004:/);
      assert.equal(query.get('state'), 'consent-state');
      assert.equal(sims.entra.control.consent(tid, TEST_APP.clientId), null);
      sims.entra.control.grantConsent(tid, TEST_APP.clientId);
    });

    it('the v2.0 endpoint echoes the scope on success', async () => {
      const res = await sims.fetch(`${authority}/v2.0/adminconsent`, {
        method: 'POST',
        body: new URLSearchParams({ ...consentParams, scope: 'https://graph.microsoft.com/.default', decision: 'accept' }),
        redirect: 'manual',
      });
      const { query } = redirectParams(res.headers.get('location'));
      assert.equal(query.get('admin_consent'), 'True');
      assert.equal(query.get('scope'), 'https://graph.microsoft.com/.default');
    });
  });

  it('counts requests per route', () => {
    const counts = sims.entra.control.requests();
    assert.ok(counts.byRoute['POST /:tenant/oauth2/v2.0/token']! > 5);
    assert.ok(counts.total >= counts.byRoute['POST /:tenant/oauth2/v2.0/token']!);
  });
});
