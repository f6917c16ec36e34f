import Router from '@koa/router';
import type { Context } from 'koa';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { DemoTenant } from '../demo-tenant.types.js';
import type { UserGrant } from './grants.js';
import { appName, findApp, lacksConsent, nowSeconds, paramsOf, type EntraEnv } from './env.js';
import { EntraError, entraErrors } from './entra-errors.js';
import type { EntraApp } from './entra.types.js';
import {
  GRAPH_APP_ID,
  GRAPH_RESOURCE,
  appAccessTokenClaims,
  clientInfo,
  delegatedAccessTokenClaims,
  idTokenClaims,
  parseScopes,
} from './tokens.js';

interface ClientCredentials {
  clientId?: string;
  secret?: string;
}

/** client_secret_post or client_secret_basic (`Authorization: Basic` of url-encoded id:secret). */
function clientCredentials(ctx: Context, params: Record<string, string>): ClientCredentials {
  const header = ctx.get('authorization');
  if (header.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      return { clientId: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
    }
  }
  return { ...(params.client_id ? { clientId: params.client_id } : {}), ...(params.client_secret ? { secret: params.client_secret } : {}) };
}

function secretMatches(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

function requireSecret(app: EntraApp, secret: string | undefined): void {
  if (!secret) throw entraErrors.missingSecret();
  if (!app.clientSecret || !secretMatches(app.clientSecret, secret)) throw entraErrors.invalidSecret(app.clientId);
}

function concreteTenant(env: EntraEnv, segment: string): DemoTenant {
  const ref = env.directory.resolve(segment);
  if (!ref) throw entraErrors.tenantNotFound(segment);
  if (ref.kind === 'multi') throw entraErrors.noTenantInfo();
  return ref.tenant;
}

async function clientCredentialsGrant(env: EntraEnv, segment: string, params: Record<string, string>, creds: ClientCredentials) {
  const tenant = concreteTenant(env, segment);
  const tenantId = tenant.entraTenantId;
  if (!creds.clientId) throw entraErrors.missingParameter('client_id');
  const app = findApp(env, creds.clientId);
  const granted = app ? env.consent.get(tenantId, app.clientId) : null;
  // Without admin consent the app has no service principal in the tenant: Entra can't find it.
  if (!app || granted === null) throw entraErrors.appNotInDirectory(creds.clientId, tenantId);
  requireSecret(app, creds.secret);
  if (!params.scope) throw entraErrors.missingParameter('scope');
  for (const scope of params.scope.split(/\s+/).filter(Boolean)) {
    if (!scope.endsWith('/.default')) throw entraErrors.scopeNeedsDefault(scope);
    const resource = scope.slice(0, -'/.default'.length).replace(/\/$/, '').toLowerCase();
    if (resource !== GRAPH_RESOURCE && resource !== GRAPH_APP_ID) throw entraErrors.resourceNotFound(resource, tenantId);
  }
  const claims = appAccessTokenClaims(env.baseUrl, tenantId, { clientId: app.clientId, displayName: appName(app) }, granted, {
    now: nowSeconds(),
    lifetimeSeconds: env.tokenLifetimeSeconds,
  });
  return {
    token_type: 'Bearer',
    expires_in: env.tokenLifetimeSeconds,
    ext_expires_in: env.tokenLifetimeSeconds,
    access_token: await env.key.sign(claims),
  };
}

/** Public (SPA) redemptions must be cross-origin and secret-less; web ones need the secret. */
function authenticateForUserGrant(ctx: Context, app: EntraApp, grant: UserGrant, creds: ClientCredentials): void {
  if (grant.spa) {
    if (creds.secret) throw entraErrors.publicClientWithSecret();
    if (!ctx.get('origin')) throw entraErrors.spaNeedsCors();
  } else if (app.clientSecret) {
    requireSecret(app, creds.secret);
  }
}

function pkceMatches(grant: UserGrant, verifier: string | undefined): boolean {
  if (!grant.codeChallenge) return true;
  if (!verifier) return false;
  const derived = grant.codeChallengeMethod === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url');
  return derived === grant.codeChallenge;
}

async function userTokens(env: EntraEnv, app: EntraApp, grant: UserGrant, params: Record<string, string>, firstIssue: boolean) {
  const user = env.directory.user(grant.tenantId, grant.userId);
  if (!user) throw entraErrors.invalidRefreshToken();
  const scopes = parseScopes(grant.scopes.join(' '));
  if (scopes.otherResource) throw entraErrors.resourceNotFound(scopes.otherResource, grant.tenantId);
  // Entra gives a Graph token with User.Read when only OIDC scopes (or `.default`) are asked for.
  const graphScopes = scopes.graph.filter((s) => s !== '.default');
  const scp = [...(graphScopes.length ? graphScopes : ['User.Read']), ...scopes.oidc.filter((s) => s !== 'offline_access')];
  const timing = { now: nowSeconds(), lifetimeSeconds: env.tokenLifetimeSeconds };
  const appInfo = { clientId: app.clientId, displayName: appName(app), confidential: !grant.spa && Boolean(app.clientSecret) };
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: scp.join(' '),
    expires_in: env.tokenLifetimeSeconds,
    ext_expires_in: env.tokenLifetimeSeconds,
    access_token: await env.key.sign(delegatedAccessTokenClaims(env.baseUrl, grant.tenantId, appInfo, user, scp, timing)),
  };
  if (scopes.oidc.includes('offline_access')) body.refresh_token = env.refreshTokens.issue(grant);
  if (scopes.oidc.includes('openid')) {
    const nonce = firstIssue ? grant.nonce : undefined;
    body.id_token = await env.key.sign(
      idTokenClaims(env.baseUrl, grant.tenantId, app.clientId, user, { ...(nonce ? { nonce } : {}), email: scopes.oidc.includes('email') }, timing),
    );
  }
  if (params.client_info === '1') body.client_info = clientInfo(user.id, grant.tenantId);
  return body;
}

async function authorizationCodeGrant(ctx: Context, env: EntraEnv, segment: string, params: Record<string, string>, creds: ClientCredentials) {
  const ref = env.directory.resolve(segment);
  if (!ref) throw entraErrors.tenantNotFound(segment);
  if (!creds.clientId) throw entraErrors.missingParameter('client_id');
  if (!params.code) throw entraErrors.missingParameter('code');
  const app = findApp(env, creds.clientId);
  if (!app) throw entraErrors.appNotInDirectory(creds.clientId, segment);
  const found = env.codes.find(params.code, Date.now());
  if (!found.ok) {
    throw found.reason === 'redeemed' ? entraErrors.codeRedeemed() : found.reason === 'expired' ? entraErrors.codeExpired() : entraErrors.invalidCode();
  }
  const grant = found.grant;
  if (grant.clientId !== app.clientId) throw entraErrors.codeForOtherClient();
  if (ref.kind === 'tenant' && ref.tenant.entraTenantId !== grant.tenantId) throw entraErrors.codeForOtherTenant();
  if (!params.redirect_uri) throw entraErrors.missingParameter('redirect_uri');
  if (params.redirect_uri !== grant.redirectUri) throw entraErrors.redirectMismatch(params.redirect_uri, app.clientId);
  authenticateForUserGrant(ctx, app, grant, creds);
  if (!pkceMatches(grant, params.code_verifier)) throw entraErrors.pkceMismatch();
  env.codes.markRedeemed(params.code);
  return userTokens(env, app, grant, params, true);
}

async function refreshTokenGrant(ctx: Context, env: EntraEnv, params: Record<string, string>, creds: ClientCredentials) {
  if (!creds.clientId) throw entraErrors.missingParameter('client_id');
  if (!params.refresh_token) throw entraErrors.missingParameter('refresh_token');
  const app = findApp(env, creds.clientId);
  if (!app) throw entraErrors.appNotInDirectory(creds.clientId, 'common');
  const taken = env.refreshTokens.take(params.refresh_token);
  if (!taken || taken.grant.clientId !== app.clientId) throw entraErrors.invalidRefreshToken();
  if (taken.revoked) throw entraErrors.grantRevoked();
  const grant = taken.grant;
  authenticateForUserGrant(ctx, app, grant, creds);
  // Consent withdrawn since the sign-in: the refresh token no longer works (invalid_grant, AADSTS65001).
  if (lacksConsent(env, grant.tenantId, app, grant.userId, grant.scopes)) {
    const refused = entraErrors.consentRequired(app.clientId, appName(app));
    throw new EntraError(400, 'invalid_grant', refused.aadsts, refused.description);
  }
  return userTokens(env, app, grant, params, false);
}

/** `/token`: form-encoded, as OAuth requires; a JSON body reads as a request without parameters. */
export function tokenRoutes(env: EntraEnv): Router {
  const router = new Router();
  router.post('/:tenant/oauth2/v2.0/token', async (ctx) => {
    ctx.set('Cache-Control', 'no-store, no-cache');
    ctx.set('Pragma', 'no-cache');
    const params = ctx.is('application/x-www-form-urlencoded') ? paramsOf(ctx.request.body) : {};
    const creds = clientCredentials(ctx, params);
    const segment = ctx.params.tenant!;
    if (!env.directory.resolve(segment)) throw entraErrors.tenantNotFound(segment);
    switch (params.grant_type) {
      case undefined:
        throw entraErrors.missingParameter('grant_type');
      case 'client_credentials':
        ctx.body = await clientCredentialsGrant(env, segment, params, creds);
        break;
      case 'authorization_code':
        ctx.body = await authorizationCodeGrant(ctx, env, segment, params, creds);
        break;
      case 'refresh_token':
        ctx.body = await refreshTokenGrant(ctx, env, params, creds);
        break;
      default:
        throw entraErrors.unsupportedGrant(params.grant_type);
    }
  });
  return router;
}
