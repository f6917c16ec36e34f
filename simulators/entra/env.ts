import type { Context } from 'koa';
import { CodeStore, RefreshTokenStore, type IssuedSecret } from './grants.js';
import { ConsentStore } from './consent.js';
import type { Directory } from './directory.js';
import type { EntraApp } from './entra.types.js';
import type { SigningKey } from './signing-key.js';
import { parseScopes } from './tokens.js';

/** Everything the Entra routes share: the directories, app registrations, grants and the signing key. */
export interface EntraEnv {
  /** Set once the server listens (the port is only known then). */
  baseUrl: string;
  directory: Directory;
  apps: ReadonlyMap<string, EntraApp>;
  consent: ConsentStore;
  codes: CodeStore;
  refreshTokens: RefreshTokenStore;
  key: SigningKey;
  tokenLifetimeSeconds: number;
  /** "Users can consent to apps" (see EntraSimulatorOptions.userConsent). */
  userConsent: boolean;
  directoryAdmins: ReadonlySet<string>;
  /** Every code, refresh token and signed token handed out (for tests that look for leaks). */
  issued: IssuedSecret[];
}

export function newGrantStores(issued: IssuedSecret[] = []): Pick<EntraEnv, 'consent' | 'codes' | 'refreshTokens'> {
  return { consent: new ConsentStore(), codes: new CodeStore(issued), refreshTokens: new RefreshTokenStore(issued) };
}

export function findApp(env: EntraEnv, clientId: string | undefined): EntraApp | undefined {
  return clientId ? env.apps.get(clientId.toLowerCase()) : undefined;
}

export function appName(app: EntraApp): string {
  return app.displayName ?? `App ${app.clientId}`;
}

/**
 * Whether a user's sign-in asks for delegated permissions nobody may grant: user consent is off
 * in the tenant, the user holds no administrator role, and an admin's tenant-wide consent does not
 * cover every scope asked for (OIDC scopes included: `openid`, `profile`, `email` and
 * `offline_access` are Graph delegated permissions too). See Microsoft's "Configure how users
 * consent to applications" and "User and admin consent" pages.
 */
export function lacksConsent(env: EntraEnv, tenantId: string, app: EntraApp, userId: string, scopes: readonly string[]): boolean {
  if (env.userConsent || env.directoryAdmins.has(userId.toLowerCase())) return false;
  const granted = new Set(env.consent.delegated(tenantId, app.clientId));
  const parsed = parseScopes(scopes.join(' '));
  const asked = [...parsed.oidc, ...parsed.graph.filter((s) => s !== '.default')].map((s) => s.toLowerCase());
  return asked.some((s) => !granted.has(s));
}

/** Which platform a redirect URI is registered under (exact match, as Entra requires). */
export function redirectPlatform(app: EntraApp, redirectUri: string | undefined): 'web' | 'spa' | null {
  if (!redirectUri) return null;
  if (app.redirectUris.includes(redirectUri)) return 'web';
  if (app.spaRedirectUris?.includes(redirectUri)) return 'spa';
  return null;
}

/** Query and form parameters as single strings (the first value wins, as in Entra). */
export function paramsOf(source: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (source && typeof source === 'object') {
    for (const [k, v] of Object.entries(source as Record<string, unknown>)) {
      const value = Array.isArray(v) ? v[0] : v;
      if (typeof value === 'string') out[k] = value;
    }
  }
  return out;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Entra pages refuse to render in frames; so does the simulator, so iframe mistakes show up locally. */
export function sendPage(ctx: Context, html: string, status = 200): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Content-Security-Policy', "frame-ancestors 'none'");
  ctx.set('Cache-Control', 'no-store');
  ctx.body = html;
}

/** Sends a result to the redirect URI the way `response_mode` asks (query, fragment or form_post). */
export function redirectWith(
  ctx: Context,
  redirectUri: string,
  mode: 'query' | 'fragment' | 'form_post',
  params: Record<string, string>,
  formPost: (uri: string, p: Record<string, string>) => string,
): void {
  if (mode === 'form_post') {
    sendPage(ctx, formPost(redirectUri, params));
    return;
  }
  const target = new URL(redirectUri);
  if (mode === 'fragment') {
    target.hash = new URLSearchParams(params).toString();
  } else {
    for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
  }
  ctx.status = 302;
  ctx.redirect(target.toString());
}
