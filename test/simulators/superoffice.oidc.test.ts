import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { compactVerify, createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { CLAIM_PREFIX, type SuperOfficeSimulator } from '../../simulators/superoffice/superoffice.simulator.js';
import { ADMIN_IDS, associateIdAt, CLIENT, CONTEXT_ID, OTHER_CLIENT, RETIRED_IDS } from './superoffice.fixture.js';
import { authorizeParams, pkce, signIn, startFixtureSimulator, submitSignIn, tokenRequest } from './superoffice.helpers.js';

const USER_ID = associateIdAt(1);

function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** A fresh sign-in's authorization-code token request, as the client would send it. */
async function codeGrant(sim: SuperOfficeSimulator, associateId: number): Promise<Record<string, string>> {
  const p = pkce();
  const params = authorizeParams(p);
  const redirect = await submitSignIn(sim, params, associateId);
  return {
    grant_type: 'authorization_code',
    client_id: CLIENT.clientId,
    client_secret: CLIENT.clientSecret,
    code: new URL(redirect.headers.get('location') ?? '').searchParams.get('code') ?? '',
    redirect_uri: params.redirect_uri,
    code_verifier: p.verifier,
  };
}

describe('SuperOffice simulator: SuperID (OIDC)', () => {
  let sim: SuperOfficeSimulator;
  let now = Date.now();
  before(async () => {
    sim = await startFixtureSimulator({ clock: () => now });
  });
  after(() => sim.close());

  test('discovery names the simulator as issuer and its endpoints', async () => {
    const doc = (await (await fetch(`${sim.url}/login/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.equal(doc.issuer, sim.url);
    assert.equal(doc.authorization_endpoint, `${sim.url}/login/common/oauth/authorize`);
    assert.equal(doc.token_endpoint, `${sim.url}/login/common/oauth/tokens`);
    assert.equal(doc.jwks_uri, `${sim.url}/login/.well-known/jwks`);
    assert.deepEqual(doc.id_token_signing_alg_values_supported, ['RS256']);
    assert.deepEqual(doc.scopes_supported, ['openid']);
  });

  test('the authorize page lists the active associates, marked administrator or not', async () => {
    const params = authorizeParams(pkce(), { login_hint: 'anna.berg@simulated.example', acr_values: `tenant:${CONTEXT_ID}` });
    const res = await fetch(`${sim.url}/login/common/oauth/authorize?${new URLSearchParams(params)}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    const html = await res.text();
    const buttons = [...html.matchAll(/name="associate_id" value="(\d+)"[^>]*data-admin="(true|false)"/g)];
    assert.equal(buttons.length, 18, 'twenty associates, two retired');
    for (const id of RETIRED_IDS) assert.ok(!buttons.some((b) => Number(b[1]) === id), `retired ${id} cannot sign in`);
    for (const id of ADMIN_IDS) assert.ok(buttons.some((b) => Number(b[1]) === id && b[2] === 'true'));
    assert.ok(buttons.some((b) => Number(b[1]) === USER_ID && b[2] === 'false'));
    assert.match(html, /Administrator/);
    assert.match(html, /class="hint"/, 'login_hint highlights the user');
    assert.ok(html.includes(`value="${params.state}"`), 'the form carries the state back');
    assert.match(html, /O&#39;Brien/, 'names are HTML-escaped');
  });

  test('wrong client_id or redirect_uri gets an error page, never a redirect', async () => {
    for (const overrides of [
      { client_id: 'nope' },
      { redirect_uri: 'https://evil.example/callback' },
      { redirect_uri: `${CLIENT.redirectUris[0]}/` },
      { client_id: OTHER_CLIENT.clientId },
    ]) {
      const params = authorizeParams(pkce(), overrides);
      const res = await fetch(`${sim.url}/login/common/oauth/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' });
      assert.equal(res.status, 400, JSON.stringify(overrides));
      assert.equal(res.headers.get('location'), null);
      assert.match(await res.text(), /role="alert"/);
      const posted = await submitSignIn(sim, params, USER_ID);
      assert.equal(posted.status, 400);
      assert.equal(posted.headers.get('location'), null);
    }
  });

  test('other authorize errors go back to the app with error and state', async () => {
    const params = authorizeParams(pkce(), { response_type: 'token' });
    const res = await fetch(`${sim.url}/login/common/oauth/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const location = new URL(res.headers.get('location') ?? '');
    assert.equal(location.searchParams.get('error'), 'unsupported_response_type');
    assert.equal(location.searchParams.get('state'), params.state);
    const badTenant = authorizeParams(pkce(), { acr_values: 'tenant:Cust99999' });
    const res2 = await fetch(`${sim.url}/login/common/oauth/authorize?${new URLSearchParams(badTenant)}`, { redirect: 'manual' });
    assert.equal(new URL(res2.headers.get('location') ?? '').searchParams.get('error'), 'invalid_request');
  });

  test('full code + PKCE round trip; the id_token verifies against the JWKS', async () => {
    const p = pkce();
    const params = authorizeParams(p);
    const redirect = await submitSignIn(sim, params, ADMIN_IDS[0] ?? 0);
    assert.equal(redirect.status, 302);
    const location = new URL(redirect.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, CLIENT.redirectUris[0]);
    assert.equal(location.searchParams.get('state'), params.state);
    const code = location.searchParams.get('code') ?? '';
    assert.ok(code.length >= 32);

    const res = await tokenRequest(sim, {
      grant_type: 'authorization_code',
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
      code,
      redirect_uri: params.redirect_uri,
      code_verifier: p.verifier,
    });
    assert.equal(res.status, 200);
    const tokens = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(tokens), ['token_type', 'access_token', 'expires_in', 'refresh_token', 'id_token']);
    assert.equal(tokens.token_type, 'Bearer');
    assert.match(String(tokens.access_token), new RegExp(`^8A:${CONTEXT_ID}\\.`));
    assert.equal(tokens.expires_in, 3600);

    const idToken = String(tokens.id_token);
    const jwks = createRemoteJWKSet(new URL(`${sim.url}/login/.well-known/jwks`));
    const header = decodeProtectedHeader(idToken);
    assert.equal(header.alg, 'RS256');
    assert.ok(header.kid, 'the header names the key');
    const { payload } = await compactVerify(idToken, jwks);
    const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    assert.equal(claims.iss, sim.url);
    assert.equal(claims.aud, CLIENT.clientId);
    assert.equal(claims.nonce, params.nonce);
    assert.equal(claims[`${CLAIM_PREFIX}ctx`], CONTEXT_ID);
    assert.equal(claims[`${CLAIM_PREFIX}is_administrator`], 'True');
    assert.equal(claims[`${CLAIM_PREFIX}associateid`], String(ADMIN_IDS[0]));
    assert.equal(claims[`${CLAIM_PREFIX}webapi_url`], sim.webApiUrl());
    assert.equal(claims.sub, 'tony.yates@simulated.example');
  });

  test('the documented string iat makes jose jwtVerify refuse the id_token: verify the signature, then check claims yourself', async () => {
    const tokens = await signIn(sim, USER_ID);
    const jwks = createRemoteJWKSet(new URL(`${sim.url}/login/.well-known/jwks`));
    await assert.rejects(jwtVerify(tokens.id_token, jwks, { issuer: sim.url, audience: CLIENT.clientId }), /"iat" claim must be a number/);
    const claims = claimsOf(tokens.id_token);
    assert.equal(typeof claims.iat, 'string');
    assert.equal(typeof claims.nbf, 'number');
    assert.equal(typeof claims.exp, 'number');
    assert.equal(claims[`${CLAIM_PREFIX}is_administrator`], 'False');
  });

  test('a wrong code_verifier, client_secret or redirect_uri is refused with invalid_grant / invalid_client', async () => {
    const cases: [string, (f: Record<string, string>) => Record<string, string>, number, string][] = [
      ['verifier', (f) => ({ ...f, code_verifier: pkce().verifier }), 400, 'invalid_grant'],
      ['missing verifier', ({ code_verifier: _drop, ...f }) => f, 400, 'invalid_grant'],
      ['secret', (f) => ({ ...f, client_secret: 'wrong' }), 401, 'invalid_client'],
      ['redirect', (f) => ({ ...f, redirect_uri: 'http://localhost:3000/other' }), 400, 'invalid_grant'],
      ['other client', (f) => ({ ...f, client_id: OTHER_CLIENT.clientId, client_secret: OTHER_CLIENT.clientSecret }), 400, 'invalid_grant'],
    ];
    for (const [name, mutate, status, error] of cases) {
      const res = await tokenRequest(sim, mutate(await codeGrant(sim, USER_ID)));
      assert.equal(res.status, status, name);
      const body = (await res.json()) as Record<string, unknown>;
      assert.equal(body.error, error, name);
      assert.equal(typeof body.error_description, 'string');
    }
  });

  test('codes are single-use; a replay also revokes the tokens the code gave', async () => {
    const form = await codeGrant(sim, USER_ID);
    const first = await tokenRequest(sim, form);
    assert.equal(first.status, 200);
    const tokens = (await first.json()) as { access_token: string; refresh_token: string };
    const again = await tokenRequest(sim, form);
    assert.equal(again.status, 400);
    assert.equal(((await again.json()) as { error: string }).error, 'invalid_grant');
    const me = await fetch(`${sim.webApiUrl()}v1/User/currentPrincipal`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(me.status, 401);
    const refreshed = await tokenRequest(sim, {
      grant_type: 'refresh_token',
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
      refresh_token: tokens.refresh_token,
    });
    assert.equal(refreshed.status, 400);
  });

  test('codes expire', async () => {
    const form = await codeGrant(sim, USER_ID);
    now += 61_000;
    const res = await tokenRequest(sim, form);
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { error_description: string }).error_description, /expired/);
  });

  test('a retired associate cannot be signed in through the form', async () => {
    const res = await submitSignIn(sim, authorizeParams(pkce()), RETIRED_IDS[0] ?? 0);
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('location'), null);
  });

  test('an expired access token gets 401; the refresh_token grant gives a working one', async () => {
    const tokens = await signIn(sim, USER_ID);
    const me = () =>
      fetch(`${sim.webApiUrl()}v1/User/currentPrincipal`, { headers: { Authorization: `Bearer ${access}`, Accept: 'application/json' } });
    let access = tokens.access_token;
    assert.equal((await me()).status, 200);
    assert.ok(sim.control.expireAccessTokens() >= 1);
    const expired = await me();
    assert.equal(expired.status, 401);
    assert.equal(((await expired.json()) as { Error: boolean }).Error, true);

    const res = await tokenRequest(sim, {
      grant_type: 'refresh_token',
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
      refresh_token: tokens.refresh_token,
    });
    assert.equal(res.status, 200);
    const refreshed = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(refreshed), ['token_type', 'access_token', 'expires_in', 'id_token'], 'no new refresh token');
    access = String(refreshed.access_token);
    assert.equal((await me()).status, 200);
    assert.equal(claimsOf(String(refreshed.id_token)).nonce, undefined);

    // Tokens also lapse on their own.
    now += 3601_000;
    assert.equal((await me()).status, 401);
  });

  test('revoked consent makes the refresh token fail with invalid_grant', async () => {
    const tokens = await signIn(sim, USER_ID);
    sim.control.revokeRefreshTokens();
    const res = await tokenRequest(sim, {
      grant_type: 'refresh_token',
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
      refresh_token: tokens.refresh_token,
    });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: string }).error, 'invalid_grant');
  });

  test('client_secret_basic works too; unknown grant types are refused', async () => {
    const tokens = await signIn(sim, USER_ID);
    const res = await fetch(`${sim.url}/login/common/oauth/tokens`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }),
    });
    assert.equal(res.status, 200);
    const bad = await tokenRequest(sim, { grant_type: 'password', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: string }).error, 'unsupported_grant_type');
  });
});
