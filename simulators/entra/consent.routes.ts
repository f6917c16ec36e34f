import Router from '@koa/router';
import type { Context } from 'koa';
import { appName, findApp, paramsOf, redirectPlatform, sendPage, type EntraEnv } from './env.js';
import { entraErrors, type EntraError } from './entra-errors.js';
import { adminConsentPage, errorPage } from './pages.js';
import { GRAPH_APP_ID, GRAPH_RESOURCE } from './tokens.js';

/**
 * Tenant-wide admin consent. `/{tenant}/adminconsent` (v1 style) and `/{tenant}/v2.0/adminconsent`
 * (needs `scope=https://graph.microsoft.com/.default`). Accept grants the permissions listed in the
 * app registration in that tenant (application permissions, and the delegated ones for every
 * user); Cancel reports access_denied. As Microsoft's "Admin consent on the Microsoft identity
 * platform" (v2-admin-consent) page shows, error answers carry `admin_consent=True` too.
 */
export function consentRoutes(env: EntraEnv): Router {
  const router = new Router();

  type Checked = { ok: false; page: EntraError } | { ok: false; redirect: EntraError; redirectUri: string; state?: string } | { ok: true; tenantId: string; tenantName: string; appId: string; redirectUri: string; state?: string; scope?: string };

  function check(segment: string, params: Record<string, string>, v2: boolean): Checked {
    const ref = env.directory.resolve(segment);
    if (!ref) return { ok: false, page: entraErrors.tenantNotFound(segment) };
    const app = findApp(env, params.client_id);
    if (!app) return { ok: false, page: entraErrors.appNotInDirectory(params.client_id ?? '', segment) };
    if (!params.redirect_uri) return { ok: false, page: entraErrors.missingParameter('redirect_uri') };
    if (!redirectPlatform(app, params.redirect_uri)) return { ok: false, page: entraErrors.redirectMismatch(params.redirect_uri, app.clientId) };
    const state = params.state !== undefined ? { state: params.state } : {};
    if (v2) {
      const scope = params.scope;
      if (!scope) return { ok: false, redirect: entraErrors.missingParameter('scope'), redirectUri: params.redirect_uri, ...state };
      const valid = scope.split(/\s+/).every((s) => [`${GRAPH_RESOURCE}/.default`, `${GRAPH_APP_ID}/.default`].includes(s.toLowerCase()));
      if (!valid) return { ok: false, redirect: entraErrors.invalidScope(scope), redirectUri: params.redirect_uri, ...state };
    }
    // An admin of some organization consents for their own tenant; here that is the home tenant.
    const tenant = ref.kind === 'tenant' ? ref.tenant : env.directory.home;
    return {
      ok: true,
      tenantId: tenant.entraTenantId,
      tenantName: tenant.companyName,
      appId: app.clientId,
      redirectUri: params.redirect_uri,
      ...state,
      ...(v2 ? { scope: params.scope! } : {}),
    };
  }

  function redirectTo(ctx: Context, uri: string, params: Record<string, string | undefined>): void {
    const target = new URL(uri);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) target.searchParams.set(k, v);
    ctx.redirect(target.toString());
  }

  function errorRedirect(ctx: Context, uri: string, error: EntraError, state: string | undefined, subcode?: string): void {
    redirectTo(ctx, uri, { admin_consent: 'True', error: error.error, error_subcode: subcode, error_description: `AADSTS${error.aadsts}: ${error.description}`, state });
  }

  for (const [path, v2] of [['/:tenant/adminconsent', false], ['/:tenant/v2.0/adminconsent', true]] as const) {
    router.get(path, (ctx) => {
      const params = paramsOf(ctx.query);
      const checked = check(ctx.params.tenant!, params, v2);
      if (!checked.ok) {
        if ('page' in checked) return sendPage(ctx, errorPage(checked.page.aadsts, checked.page.description), 400);
        return errorRedirect(ctx, checked.redirectUri, checked.redirect, checked.state);
      }
      const app = findApp(env, checked.appId)!;
      sendPage(ctx, adminConsentPage(ctx.path, params, appName(app), app.permissions, checked.tenantName));
    });

    router.post(path, (ctx) => {
      const { decision, ...params } = paramsOf(ctx.request.body);
      const checked = check(ctx.params.tenant!, params, v2);
      if (!checked.ok) {
        if ('page' in checked) return sendPage(ctx, errorPage(checked.page.aadsts, checked.page.description), 400);
        return errorRedirect(ctx, checked.redirectUri, checked.redirect, checked.state);
      }
      if (decision !== 'accept') return errorRedirect(ctx, checked.redirectUri, entraErrors.userCancelled(), checked.state, 'cancel');
      const app = findApp(env, checked.appId)!;
      env.consent.grant(checked.tenantId, app.clientId, app.permissions, app.delegatedPermissions);
      redirectTo(ctx, checked.redirectUri, { admin_consent: 'True', tenant: checked.tenantId, scope: checked.scope, state: checked.state });
    });
  }

  return router;
}
