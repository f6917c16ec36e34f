import { bodyParser } from '@koa/bodyparser';
import type Router from '@koa/router';
import Koa from 'koa';
import { listenHttps } from '../https-server.js';
import { RequestCounter } from '../request-counts.js';
import { authorizeRoutes } from './authorize.routes.js';
import { consentRoutes } from './consent.routes.js';
import { entraControlRoutes } from './control.routes.js';
import { Directory } from './directory.js';
import { discoveryRoutes } from './discovery.routes.js';
import { appName, findApp, newGrantStores, nowSeconds, type EntraEnv } from './env.js';
import type { IssuedSecret } from './grants.js';
import { EntraError } from './entra-errors.js';
import type { EntraControl, EntraSimulator, EntraSimulatorOptions, MintAccessTokenOptions, MintIdTokenOptions } from './entra.types.js';
import { createSigningKey } from './signing-key.js';
import { tokenRoutes } from './token.routes.js';
import { accessTokenIssuer, appAccessTokenClaims, delegatedAccessTokenClaims, idTokenClaims, v2Issuer } from './tokens.js';

export type { EntraApp, EntraControl, EntraSimulator, EntraSimulatorOptions, TokenAuthority } from './entra.types.js';

/** Browser pages (account picker, consent) are not CORS resources; the JSON endpoints are. */
const PAGE_PATH = /\/(oauth2\/v2\.0\/(authorize|logout)|(v2\.0\/)?adminconsent)$/;

/**
 * Starts a local Entra ID v2 stand-in over HTTPS: discovery, JWKS, authorize (code + PKCE),
 * token (client credentials, authorization code, refresh token) and admin consent.
 */
export async function startEntraSimulator(options: EntraSimulatorOptions): Promise<EntraSimulator> {
  const issued: IssuedSecret[] = [];
  const key = await createSigningKey();
  const env: EntraEnv = {
    baseUrl: '',
    directory: new Directory([options.tenant, ...(options.otherTenants ?? [])]),
    apps: new Map(options.apps.map((a) => [a.clientId.toLowerCase(), a])),
    ...newGrantStores(issued),
    key: {
      ...key,
      sign: async (payload) => {
        const token = await key.sign(payload);
        issued.push({ kind: 'token', value: token });
        return token;
      },
    },
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3599,
    userConsent: options.userConsent ?? true,
    directoryAdmins: new Set((options.directoryAdmins ?? []).map((id) => id.toLowerCase())),
    issued,
  };
  const counter = new RequestCounter();

  const initialConsent = (): void => {
    env.consent.clear();
    if (options.consentGranted) {
      for (const app of options.apps) env.consent.grant(options.tenant.entraTenantId, app.clientId, app.permissions, app.delegatedPermissions);
    }
    env.userConsent = options.userConsent ?? true;
  };
  initialConsent();

  const control: EntraControl = {
    get url() {
      return env.baseUrl;
    },
    jwks: () => ({ keys: [{ ...env.key.publicJwk }] }),
    accessTokenIssuer: (tenantId) => accessTokenIssuer(env.baseUrl, tenantId),
    publicKeyPem: () => env.key.publicKeyPem,
    grantConsent: (tenantId, clientId, permissions, delegated) => {
      const app = findApp(env, clientId);
      env.consent.grant(tenantId, app?.clientId ?? clientId, permissions ?? app?.permissions ?? [], delegated ?? app?.delegatedPermissions ?? []);
    },
    setUserConsent: (allowed) => {
      env.userConsent = allowed;
    },
    delegatedConsent: (tenantId, clientId) => env.consent.delegated(tenantId, findApp(env, clientId)?.clientId ?? clientId),
    revokeConsent: (tenantId, clientId) => env.consent.revoke(tenantId, findApp(env, clientId)?.clientId ?? clientId),
    consent: (tenantId, clientId) => env.consent.get(tenantId, findApp(env, clientId)?.clientId ?? clientId),
    requests: () => counter.snapshot(),
    resetRequests: () => counter.reset(),
    mintAccessToken: (o) => mintAccessToken(env, o),
    mintIdToken: (o) => mintIdToken(env, o),
    issued: () => env.issued.map((i) => ({ ...i })),
    revokeUserSessions: (tenantId, userId) => env.refreshTokens.revokeUser(tenantId, userId),
    setTokenLifetime: (seconds) => {
      env.tokenLifetimeSeconds = seconds;
    },
    reset: () => {
      env.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3599;
      initialConsent();
      env.codes.clear();
      env.refreshTokens.clear();
      counter.reset();
    },
  };

  const app = new Koa();
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (err instanceof EntraError) {
        ctx.status = err.status;
        ctx.body = err.body(env.baseUrl, ctx.get('client-request-id') || undefined);
        return;
      }
      const status = (err as { status?: number }).status;
      if (status && status < 500) {
        ctx.status = status;
        ctx.body = { error: 'invalid_request', error_description: (err as Error).message };
        return;
      }
      ctx.app.emit('error', err, ctx);
      ctx.status = 500;
      ctx.body = { error: 'server_error', error_description: 'The simulator failed unexpectedly.' };
    }
  });
  app.use(async (ctx, next) => {
    try {
      await next();
    } finally {
      if (!ctx.path.startsWith('/__sim/')) {
        const route = (ctx as unknown as { _matchedRoute?: string })._matchedRoute ?? '(unmatched)';
        counter.record(`${ctx.method} ${route}`);
      }
    }
  });
  app.use(async (ctx, next) => {
    // Token, discovery and keys are fetched cross-origin by MSAL in the browser.
    if (!PAGE_PATH.test(ctx.path)) {
      ctx.set('Access-Control-Allow-Origin', '*');
      if (ctx.method === 'OPTIONS') {
        ctx.set('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
        ctx.set('Access-Control-Allow-Headers', ctx.get('access-control-request-headers') || 'content-type');
        ctx.set('Access-Control-Max-Age', '86400');
        ctx.status = 204;
        return;
      }
    }
    await next();
  });
  app.use(bodyParser({ enableTypes: ['form', 'json'], formLimit: '64kb', jsonLimit: '64kb' }));

  const routers: Router[] = [
    entraControlRoutes(control, options.tenant.entraTenantId),
    discoveryRoutes(env),
    authorizeRoutes(env),
    tokenRoutes(env),
    consentRoutes(env),
  ];
  for (const router of routers) app.use(router.routes()).use(router.allowedMethods());

  const server = await listenHttps(app, options.port);
  env.baseUrl = server.url;
  return {
    url: server.url,
    issuer: (tenantId) => v2Issuer(server.url, tenantId),
    authority: (tenantId) => `${server.url}/${tenantId}`,
    control,
    close: () => server.close(),
  };
}

async function mintIdToken(env: EntraEnv, o: MintIdTokenOptions): Promise<string> {
  const user = env.directory.user(o.tenantId, o.userId);
  if (!user) throw new Error(`No user ${o.userId} in tenant ${o.tenantId}`);
  const lifetime = o.lifetimeSeconds ?? 3600;
  const now = nowSeconds();
  const claims = idTokenClaims(env.baseUrl, o.tenantId, o.clientId, user, { ...(o.nonce ? { nonce: o.nonce } : {}), email: true }, { now, lifetimeSeconds: lifetime });
  if (lifetime < 0) {
    claims.iat = now + lifetime - 3600;
    claims.nbf = claims.iat;
    claims.exp = now + lifetime;
  }
  return env.key.sign({ ...claims, ...(o.claims ?? {}) });
}

async function mintAccessToken(env: EntraEnv, o: MintAccessTokenOptions): Promise<string> {
  const registered = findApp(env, o.clientId);
  const lifetime = o.lifetimeSeconds ?? env.tokenLifetimeSeconds;
  const now = nowSeconds();
  // An expired token was issued an hour before it expired, not in the future.
  const timing = { now: lifetime < 0 ? now + lifetime - 3600 : now, lifetimeSeconds: lifetime < 0 ? 3600 : lifetime };
  const appInfo = { clientId: o.clientId, displayName: registered ? appName(registered) : o.clientId };
  let claims;
  if (o.userId) {
    const user = env.directory.user(o.tenantId, o.userId);
    if (!user) throw new Error(`No user ${o.userId} in tenant ${o.tenantId}`);
    claims = delegatedAccessTokenClaims(env.baseUrl, o.tenantId, { ...appInfo, confidential: true }, user, o.scopes ?? [], timing);
  } else {
    claims = appAccessTokenClaims(env.baseUrl, o.tenantId, appInfo, o.roles ?? [], timing);
  }
  if (o.audience) claims.aud = o.audience;
  return env.key.sign(claims);
}
