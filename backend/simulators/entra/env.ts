import type { Context } from 'koa';
import { CodeStore, RefreshTokenStore, type IssuedSecret } from './grants.js';
import { ConsentStore } from './consent.js';
import type { Directory } from './directory.js';
import type { EntraApp } from './entra.types.js';
import type { SigningKey } from './signing-key.js';

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
