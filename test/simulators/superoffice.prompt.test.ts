import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CLAIM_PREFIX, type SuperOfficeSimulator } from '../../simulators/superoffice/superoffice.simulator.js';
import { ADMIN_IDS, CLIENT, CONTEXT_ID } from './superoffice.fixture.js';
import { authorizeParams, pkce, startFixtureSimulator, submitSignIn, tokenRequest, type Pkce } from './superoffice.helpers.js';

const ADMIN = ADMIN_IDS[0]!;

/** GET authorize as a browser would, with the cookie it holds (if any); never follows the redirect. */
function authorize(sim: SuperOfficeSimulator, params: Record<string, string>, cookie?: string): Promise<Response> {
  return fetch(`${sim.url}/login/common/oauth/authorize?${new URLSearchParams(params)}`, {
    redirect: 'manual',
    headers: cookie ? { Cookie: cookie } : {},
  });
}

/** An interactive sign-in; answers the cookie the browser would keep. */
async function interactiveSignIn(sim: SuperOfficeSimulator, associateId = ADMIN): Promise<{ cookie: string; setCookie: string }> {
  const res = await submitSignIn(sim, authorizeParams(pkce(), { acr_values: `tenant:${CONTEXT_ID}` }), associateId);
  assert.equal(res.status, 302);
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { cookie: setCookie.split(';')[0]!, setCookie };
}

async function redeem(sim: SuperOfficeSimulator, location: URL, p: Pkce): Promise<Record<string, unknown>> {
  const res = await tokenRequest(sim, {
    grant_type: 'authorization_code',
    client_id: CLIENT.clientId,
    client_secret: CLIENT.clientSecret,
    code: location.searchParams.get('code') ?? '',
    redirect_uri: CLIENT.redirectUris[0]!,
    code_verifier: p.verifier,
  });
  assert.equal(res.status, 200);
  const { id_token } = (await res.json()) as { id_token: string };
  return JSON.parse(Buffer.from(id_token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('SuperOffice simulator: prompt=none (silent sign-in, OpenID Connect Core 1.0 §3.1.2.1, §3.1.2.6)', () => {
  let sim: SuperOfficeSimulator;
  let now = Date.now();
  before(async () => {
    sim = await startFixtureSimulator({ clock: () => now });
  });
  after(() => sim.close());

  test('without a SuperID session: login_required back to the app with the state, never a page', async () => {
    const params = authorizeParams(pkce(), { prompt: 'none', acr_values: `tenant:${CONTEXT_ID}` });
    const res = await authorize(sim, params);
    assert.equal(res.status, 302);
    const location = new URL(res.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, CLIENT.redirectUris[0]);
    assert.equal(location.searchParams.get('error'), 'login_required');
    assert.equal(location.searchParams.get('state'), params.state);
    assert.equal(location.searchParams.get('code'), null);
  });

  test('an interactive sign-in sets the session cookie; prompt=none then answers a code for that user', async () => {
    const { cookie, setCookie } = await interactiveSignIn(sim);
    assert.match(setCookie, /^SuperIdSession=[A-Za-z0-9_-]{32}; /);
    for (const attr of ['Path=/login', 'HttpOnly', 'Secure', 'SameSite=None']) assert.ok(setCookie.includes(attr), attr);
    const p = pkce();
    const params = authorizeParams(p, { prompt: 'none', acr_values: `tenant:${CONTEXT_ID}` });
    const res = await authorize(sim, params, cookie);
    assert.equal(res.status, 302);
    const location = new URL(res.headers.get('location') ?? '');
    assert.equal(location.searchParams.get('error'), null);
    assert.equal(location.searchParams.get('state'), params.state);
    const claims = await redeem(sim, location, p);
    assert.equal(claims[`${CLAIM_PREFIX}associateid`], String(ADMIN));
    assert.equal(claims.nonce, params.nonce, 'the silent request’s own nonce');
  });

  test('a forged or expired session cookie is login_required', async () => {
    const forged = await authorize(sim, authorizeParams(pkce(), { prompt: 'none' }), 'SuperIdSession=forged');
    assert.equal(new URL(forged.headers.get('location') ?? '').searchParams.get('error'), 'login_required');
    const { cookie } = await interactiveSignIn(sim);
    now += 9 * 3600_000;
    try {
      const expired = await authorize(sim, authorizeParams(pkce(), { prompt: 'none' }), cookie);
      assert.equal(new URL(expired.headers.get('location') ?? '').searchParams.get('error'), 'login_required');
    } finally {
      now -= 9 * 3600_000;
    }
  });

  test('prompt=none with other values, or an unknown value, is invalid_request; prompt=login shows the page', async () => {
    const { cookie } = await interactiveSignIn(sim);
    for (const prompt of ['none login', 'none consent', 'bogus']) {
      const res = await authorize(sim, authorizeParams(pkce(), { prompt }), cookie);
      assert.equal(res.status, 302, prompt);
      assert.equal(new URL(res.headers.get('location') ?? '').searchParams.get('error'), 'invalid_request', prompt);
    }
    const page = await authorize(sim, authorizeParams(pkce(), { prompt: 'login' }), cookie);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Sign in to SuperOffice/);
  });

  test('the sign-in page refuses to render in a frame (SuperOffice: iframe-idp-auth.md)', async () => {
    const page = await authorize(sim, authorizeParams(pkce()));
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    assert.equal(page.headers.get('content-security-policy'), "frame-ancestors 'none'");
  });
});
