import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context } from 'koa';
import { checkAuthorizeRequest, withQuery, type AuthorizeCheck, type AuthorizeRequest, type Params } from './authorize.request.js';
import { OAuthError } from './errors.js';
import { errorPage, signInPage } from './signin.page.js';
import { tenantKey, type SimState, type TenantState } from './sim.types.js';
import { authenticateClient, authorizationCodeGrant, refreshTokenGrant } from './token.grants.js';

/** Query or form values as single strings; a repeated parameter is a malformed request. */
function single(source: Record<string, unknown>): Params | null {
  const out: Params = {};
  for (const [key, value] of Object.entries(source)) {
    if (Array.isArray(value)) return null;
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

/** The discovery document, as SuperID publishes it (oidc-metadata.md), rooted at the simulator. */
export function discoveryDocument(issuer: string) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/login/common/oauth/authorize`,
    token_endpoint: `${issuer}/login/common/oauth/tokens`,
    jwks_uri: `${issuer}/login/.well-known/jwks`,
    scopes_supported: ['openid'],
    response_modes_supported: ['form_post', 'fragment', 'query'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    grant_types_supported: ['implicit', 'authorization_code', 'refresh_token'],
  };
}

function renderCheckFailure(ctx: Context, check: Exclude<AuthorizeCheck, { kind: 'ok' }>): void {
  if (check.kind === 'page') {
    ctx.status = 400;
    ctx.type = 'text/html';
    ctx.body = errorPage(check.message);
  } else {
    ctx.redirect(check.location);
  }
}

/**
 * `prompt` (OpenID Connect Core 1.0 §3.1.2.1): a space-separated set of none, login, consent,
 * select_account; none with any other value is an error. SuperID's own docs list no `prompt`
 * (auth-code-flow.md); the simulator follows the standard so that the panel's silent sign-in has
 * a strict counterpart.
 */
function parsePrompt(value: string | undefined): Set<string> | string {
  if (value === undefined) return new Set();
  const values = new Set(value.split(' ').filter((v) => v !== ''));
  const unknown = [...values].find((v) => !['none', 'login', 'consent', 'select_account'].includes(v));
  if (unknown !== undefined) return `Unsupported prompt value: ${unknown}.`;
  if (values.has('none') && values.size > 1) return 'prompt=none cannot be combined with other values.';
  return values;
}

/** The one-time code for the user who signed in, sent back to the app. */
function answerWithCode(ctx: Context, sim: SimState, request: AuthorizeRequest, tenant: TenantState, associateId: number): void {
  const code = sim.tokens.issueCode({
    clientId: request.client.clientId,
    redirectUri: request.redirectUri,
    contextId: tenant.tenant.contextId,
    associateId,
    nonce: request.nonce,
    codeChallenge: request.codeChallenge,
    codeChallengeMethod: request.codeChallengeMethod,
    expiresAt: sim.clock() + sim.codeTtlSeconds * 1000,
  });
  ctx.redirect(withQuery(request.redirectUri, { code: code.code, state: request.state }));
}

function oauthError(ctx: Context, err: OAuthError): void {
  ctx.status = err.status;
  if (err.status === 401) ctx.set('WWW-Authenticate', 'Basic realm="SuperID"');
  ctx.body = { error: err.error, error_description: err.description };
}

/** SuperID: discovery, JWKS, the authorize page and its form, and the token endpoint. */
export function oidcRouter(sim: SimState): Router {
  const router = new Router({ prefix: '/login' });

  router.get('/.well-known/openid-configuration', (ctx) => {
    ctx.body = discoveryDocument(sim.baseUrl);
  });

  router.get('/.well-known/jwks', (ctx) => {
    ctx.body = { keys: [sim.key.publicJwk] };
  });

  router.get('/common/oauth/authorize', (ctx) => {
    const params = single(ctx.query);
    if (!params) {
      ctx.status = 400;
      ctx.type = 'text/html';
      ctx.body = errorPage('A parameter was given more than once.');
      return;
    }
    const check = checkAuthorizeRequest(sim, params);
    if (check.kind !== 'ok') return renderCheckFailure(ctx, check);
    const { request } = check;
    ctx.set('Cache-Control', 'no-store');
    const prompt = parsePrompt(params.prompt);
    const back = (error: string, description: string) =>
      ctx.redirect(withQuery(request.redirectUri, { error, error_description: description, state: request.state }));
    if (typeof prompt === 'string') return back('invalid_request', prompt);
    if (prompt.has('none')) {
      // Never a page (§3.1.2.1): the live session's user for a tenant of this request, else login_required (§3.1.2.6).
      const session = sim.idpSessions.current(ctx);
      const tenant = session && request.tenants.find((t) => tenantKey(t.tenant.contextId) === tenantKey(session.contextId));
      const associate = session && tenant?.associates.get(session.associateId);
      if (!session || !tenant || !associate?.isActive) return back('login_required', 'The user is not signed in to SuperOffice.');
      return answerWithCode(ctx, sim, request, tenant, associate.associateId);
    }
    // SuperID's sign-in page refuses to render in a frame (iframe-idp-auth.md: clickjacking).
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Content-Security-Policy', "frame-ancestors 'none'");
    ctx.type = 'text/html';
    ctx.body = signInPage(request, params);
  });

  const form = bodyParser({ enableTypes: ['form'], formLimit: '64kb' });

  // The sign-in form: the same checks again (hidden fields can be edited), then a one-time code.
  router.post('/common/oauth/authorize', form, (ctx) => {
    const params = single((ctx.request.body ?? {}) as Record<string, unknown>);
    const check = params ? checkAuthorizeRequest(sim, params) : ({ kind: 'page', message: 'Malformed form.' } as const);
    if (check.kind !== 'ok') return renderCheckFailure(ctx, check);
    const { request } = check;
    const tenant =
      params?.ctx !== undefined
        ? request.tenants.find((t) => tenantKey(t.tenant.contextId) === tenantKey(params.ctx ?? ''))
        : request.tenants.length === 1
          ? request.tenants[0]
          : undefined;
    const associate = tenant?.associates.get(Number(params?.associate_id));
    if (!tenant || !associate || !associate.isActive) {
      ctx.status = 400;
      ctx.type = 'text/html';
      ctx.body = errorPage('That user cannot sign in to this tenant.');
      return;
    }
    // The browser is now signed in at SuperID: a later prompt=none answers without a page.
    sim.idpSessions.start(ctx, tenant.tenant.contextId, associate.associateId);
    answerWithCode(ctx, sim, request, tenant, associate.associateId);
  });

  router.post('/common/oauth/tokens', form, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Pragma', 'no-cache');
    try {
      if (!ctx.is('application/x-www-form-urlencoded')) {
        throw new OAuthError(400, 'invalid_request', 'Send the token request as application/x-www-form-urlencoded.');
      }
      const params = single((ctx.request.body ?? {}) as Record<string, unknown>);
      if (!params) throw new OAuthError(400, 'invalid_request', 'A parameter was given more than once.');
      const client = authenticateClient(sim, params, ctx.get('Authorization') || undefined);
      if (params.grant_type === 'authorization_code') ctx.body = await authorizationCodeGrant(sim, client, params);
      else if (params.grant_type === 'refresh_token') ctx.body = await refreshTokenGrant(sim, client, params);
      else throw new OAuthError(400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token.');
    } catch (err) {
      if (err instanceof OAuthError) return oauthError(ctx, err);
      throw err;
    }
  });

  return router;
}
