import { createHash, timingSafeEqual } from 'node:crypto';
import type { Params } from './authorize.request.js';
import { OAuthError } from './errors.js';
import { idTokenClaims } from './id-token.js';
import { tenantKey, type RegisteredClient, type SimState } from './sim.types.js';

export interface TokenResponse {
  token_type: 'Bearer';
  access_token: string;
  expires_in: number;
  refresh_token?: string;
  id_token: string;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** client_secret_post or client_secret_basic, as the discovery document advertises. */
export function authenticateClient(sim: SimState, params: Params, authorization: string | undefined): RegisteredClient {
  let clientId = params.client_id;
  let secret = params.client_secret;
  if (authorization?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      clientId = decodeURIComponent(decoded.slice(0, colon));
      secret = decodeURIComponent(decoded.slice(colon + 1));
    }
  }
  const client = clientId ? sim.clients.get(clientId) : undefined;
  if (!client || !secret || !same(secret, client.clientSecret)) {
    throw new OAuthError(401, 'invalid_client', 'Client authentication failed.');
  }
  return client;
}

function verifyPkce(challenge: string, method: 'S256' | 'plain', verifier: string | undefined): boolean {
  if (!verifier || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const derived = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return same(derived, challenge);
}

async function issueTokens(
  sim: SimState,
  client: RegisteredClient,
  contextId: string,
  associateId: number,
  nonce: string | undefined,
  withRefresh: boolean,
): Promise<{ response: TokenResponse; issued: string[] }> {
  const tenant = sim.tenants.get(tenantKey(contextId));
  const associate = tenant?.associates.get(associateId);
  // A user retired after sign-in can no longer get tokens.
  if (!tenant || !associate || !associate.isActive) throw new OAuthError(400, 'invalid_grant', 'The user can no longer sign in.');
  const access = sim.tokens.issueAccess(tenant.tenant.contextId, associateId, client.clientId, sim.clock() + sim.accessTokenTtlSeconds * 1000);
  const refresh = withRefresh ? sim.tokens.issueRefresh(tenant.tenant.contextId, associateId, client.clientId) : undefined;
  const idToken = await sim.key.sign(idTokenClaims(sim, tenant.tenant, associate, client, nonce));
  // Same key order as SuperID's documented response.
  const response: TokenResponse = {
    token_type: 'Bearer',
    access_token: access.token,
    expires_in: sim.accessTokenTtlSeconds,
    ...(refresh ? { refresh_token: refresh.token } : {}),
    id_token: idToken,
  };
  const issued = refresh ? [access.token, refresh.token] : [access.token];
  return { response, issued };
}

export async function authorizationCodeGrant(sim: SimState, client: RegisteredClient, params: Params): Promise<TokenResponse> {
  const entry = params.code ? sim.tokens.code(params.code) : undefined;
  if (!entry || entry.clientId !== client.clientId) throw new OAuthError(400, 'invalid_grant', 'The authorization code is not valid.');
  if (entry.redeemed) {
    // A replayed code may be stolen: revoke what the first redemption issued.
    for (const token of entry.issued) sim.tokens.revoke(token);
    throw new OAuthError(400, 'invalid_grant', 'The authorization code has already been used.');
  }
  entry.redeemed = true;
  if (entry.expiresAt <= sim.clock()) throw new OAuthError(400, 'invalid_grant', 'The authorization code has expired.');
  if (params.redirect_uri !== entry.redirectUri) {
    throw new OAuthError(400, 'invalid_grant', 'redirect_uri does not match the one used to get the code.');
  }
  if (entry.codeChallenge && entry.codeChallengeMethod && !verifyPkce(entry.codeChallenge, entry.codeChallengeMethod, params.code_verifier)) {
    throw new OAuthError(400, 'invalid_grant', 'The code_verifier does not match the code_challenge.');
  }
  const { response, issued } = await issueTokens(sim, client, entry.contextId, entry.associateId, entry.nonce, true);
  entry.issued.push(...issued);
  return response;
}

/** Refresh responses carry a new access token and id_token but no new refresh token (auth-code-flow.md). */
export async function refreshTokenGrant(sim: SimState, client: RegisteredClient, params: Params): Promise<TokenResponse> {
  const grant = params.refresh_token ? sim.tokens.refreshToken(params.refresh_token) : undefined;
  if (!grant || grant.revoked || grant.clientId !== client.clientId) {
    throw new OAuthError(400, 'invalid_grant', 'The refresh token is not valid.');
  }
  if (params.redirect_uri !== undefined && !client.redirectUris.includes(params.redirect_uri)) {
    throw new OAuthError(400, 'invalid_grant', 'redirect_uri is not registered for this application.');
  }
  return (await issueTokens(sim, client, grant.contextId, grant.associateId, undefined, false)).response;
}
