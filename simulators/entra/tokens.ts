import { createHash } from 'node:crypto';
import type { JWTPayload } from 'jose';
import type { DemoMailbox } from '../demo-tenant.types.js';
import { stableGuid } from '../seeded-random.js';

export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
/** Graph's well-known application id; `{appId}/.default` is the same resource as its URI. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

export interface ParsedScopes {
  oidc: string[];
  /** Graph permission names without the resource prefix (`User.Read`, `.default`). */
  graph: string[];
  /** The first non-Graph resource asked for, which the simulator does not know. */
  otherResource: string | null;
}

/** Splits a space-separated scope string into OIDC scopes and Graph permissions (bare names mean Graph). */
export function parseScopes(raw: string): ParsedScopes {
  const parsed: ParsedScopes = { oidc: [], graph: [], otherResource: null };
  for (const scope of raw.split(/\s+/).filter(Boolean)) {
    if (OIDC_SCOPES.has(scope.toLowerCase())) {
      parsed.oidc.push(scope.toLowerCase());
      continue;
    }
    const slash = scope.lastIndexOf('/');
    if (slash < 0) {
      parsed.graph.push(scope);
      continue;
    }
    const resource = scope.slice(0, slash).replace(/\/$/, '');
    if (resource.toLowerCase() === GRAPH_RESOURCE || resource.toLowerCase() === GRAPH_APP_ID) parsed.graph.push(scope.slice(slash + 1));
    else parsed.otherResource ??= resource;
  }
  return parsed;
}

export interface TokenTiming {
  /** Seconds since the epoch. */
  now: number;
  lifetimeSeconds: number;
}

/**
 * Access tokens for Graph are v1.0 tokens in real Entra (Graph's manifest asks for v1), so their
 * issuer is the `sts.windows.net/{tid}/` form; here that is `{simulator}/{tid}/`.
 */
export function accessTokenIssuer(authorityUrl: string, tenantId: string): string {
  return `${authorityUrl}/${tenantId}/`;
}

/** The v2.0 issuer that id tokens and the discovery document carry. */
export function v2Issuer(authorityUrl: string, tenantId: string): string {
  return `${authorityUrl}/${tenantId}/v2.0`;
}

/** The object id of an app's service principal in a tenant (stable, so logs can be compared). */
export function servicePrincipalId(tenantId: string, clientId: string): string {
  return stableGuid('service-principal', tenantId, clientId);
}

export function appAccessTokenClaims(
  authorityUrl: string,
  tenantId: string,
  app: { clientId: string; displayName: string },
  roles: readonly string[],
  t: TokenTiming,
): JWTPayload {
  const iss = accessTokenIssuer(authorityUrl, tenantId);
  const oid = servicePrincipalId(tenantId, app.clientId);
  return {
    aud: GRAPH_RESOURCE,
    iss,
    iat: t.now,
    nbf: t.now,
    exp: t.now + t.lifetimeSeconds,
    app_displayname: app.displayName,
    appid: app.clientId,
    appidacr: '1',
    idp: iss,
    idtyp: 'app',
    oid,
    // Entra omits `roles` entirely when nothing is granted.
    ...(roles.length > 0 ? { roles: [...roles] } : {}),
    sub: oid,
    tid: tenantId,
    ver: '1.0',
  };
}

export function delegatedAccessTokenClaims(
  authorityUrl: string,
  tenantId: string,
  app: { clientId: string; displayName: string; confidential: boolean },
  user: DemoMailbox,
  scp: readonly string[],
  t: TokenTiming,
): JWTPayload {
  const [given, ...rest] = user.displayName.split(' ');
  return {
    aud: GRAPH_RESOURCE,
    iss: accessTokenIssuer(authorityUrl, tenantId),
    iat: t.now,
    nbf: t.now,
    exp: t.now + t.lifetimeSeconds,
    acct: 0,
    acr: '1',
    amr: ['pwd'],
    app_displayname: app.displayName,
    appid: app.clientId,
    appidacr: app.confidential ? '1' : '0',
    family_name: rest.join(' ') || undefined,
    given_name: given,
    idtyp: 'user',
    ipaddr: '127.0.0.1',
    name: user.displayName,
    oid: user.id,
    scp: scp.join(' '),
    sub: pairwiseSubject(user.id, GRAPH_APP_ID),
    tid: tenantId,
    unique_name: user.userPrincipalName,
    upn: user.userPrincipalName,
    ver: '1.0',
  };
}

/** Entra's `sub` is pairwise: stable per user and app, different across apps. */
export function pairwiseSubject(userId: string, clientId: string): string {
  return createHash('sha256').update(`${userId}|${clientId}`).digest('base64url');
}

export function idTokenClaims(
  authorityUrl: string,
  tenantId: string,
  clientId: string,
  user: DemoMailbox,
  options: { nonce?: string; email: boolean },
  t: TokenTiming,
): JWTPayload {
  return {
    aud: clientId,
    iss: v2Issuer(authorityUrl, tenantId),
    iat: t.now,
    nbf: t.now,
    exp: t.now + 3600,
    ...(options.email && user.mail ? { email: user.mail } : {}),
    name: user.displayName,
    ...(options.nonce ? { nonce: options.nonce } : {}),
    oid: user.id,
    preferred_username: user.userPrincipalName,
    sub: pairwiseSubject(user.id, clientId),
    tid: tenantId,
    ver: '2.0',
  };
}

/** MSAL's `client_info`: base64url JSON of the home account (uid.utid). */
export function clientInfo(userId: string, tenantId: string): string {
  return Buffer.from(JSON.stringify({ uid: userId, utid: tenantId })).toString('base64url');
}
