import { createHash, randomBytes } from 'node:crypto';
import {
  startSuperOfficeSimulator,
  type SuperOfficeSimulator,
  type SuperOfficeSimulatorOptions,
} from '../../simulators/superoffice/superoffice.simulator.js';
import { CLIENT, CONTEXT_ID, fixtureTenant, OTHER_CLIENT } from './superoffice.fixture.js';

export function startFixtureSimulator(options: Partial<SuperOfficeSimulatorOptions> = {}): Promise<SuperOfficeSimulator> {
  return startSuperOfficeSimulator({ tenant: fixtureTenant(), clients: [CLIENT, OTHER_CLIENT], ...options });
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function pkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface AuthorizeParams {
  client_id: string;
  redirect_uri: string;
  response_type: string;
  scope: string;
  state: string;
  nonce: string;
  code_challenge: string;
  code_challenge_method: string;
  [extra: string]: string;
}

export function authorizeParams(p: Pkce, overrides: Partial<AuthorizeParams> = {}): AuthorizeParams {
  return {
    client_id: CLIENT.clientId,
    redirect_uri: CLIENT.redirectUris[0] ?? '',
    response_type: 'code',
    scope: 'openid',
    state: randomBytes(8).toString('hex'),
    nonce: randomBytes(8).toString('hex'),
    code_challenge: p.challenge,
    code_challenge_method: 'S256',
    ...overrides,
  } as AuthorizeParams;
}

/** Posts the sign-in form as the page would and returns the redirect it answers with. */
export async function submitSignIn(sim: SuperOfficeSimulator, params: Record<string, string>, associateId: number): Promise<Response> {
  return fetch(`${sim.url}/login/common/oauth/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...params, associate_id: String(associateId) }),
  });
}

export async function tokenRequest(sim: SuperOfficeSimulator, form: Record<string, string>): Promise<Response> {
  return fetch(`${sim.url}/login/common/oauth/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams(form),
  });
}

export interface SignedIn {
  access_token: string;
  refresh_token: string;
  id_token: string;
  expires_in: number;
  token_type: string;
  nonce: string;
}

/** The whole code + PKCE flow for one associate, as the backend will run it. */
export async function signIn(sim: SuperOfficeSimulator, associateId: number, contextId = CONTEXT_ID): Promise<SignedIn> {
  const p = pkce();
  // The backend knows the tenant from the panel's <uctx>, so it skips SuperID's tenant picker.
  const params = authorizeParams(p, { acr_values: `tenant:${contextId}` });
  const redirect = await submitSignIn(sim, params, associateId);
  if (redirect.status !== 302) throw new Error(`sign-in failed: ${redirect.status} ${await redirect.text()}`);
  const location = new URL(redirect.headers.get('location') ?? '');
  const code = location.searchParams.get('code') ?? '';
  const res = await tokenRequest(sim, {
    grant_type: 'authorization_code',
    client_id: CLIENT.clientId,
    client_secret: CLIENT.clientSecret,
    code,
    redirect_uri: params.redirect_uri,
    code_verifier: p.verifier,
  });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
  return { ...((await res.json()) as Omit<SignedIn, 'nonce'>), nonce: params.nonce };
}

export async function api(
  sim: SuperOfficeSimulator,
  method: string,
  path: string,
  options: { token?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; body: any; text: string; headers: Headers }> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(new URL(path, sim.webApiUrl()), {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text, headers: res.headers };
}
