import Router from '@koa/router';
import type { Context } from 'koa';
import { randomUUID } from 'node:crypto';
import type { TenantRef } from './directory.js';
import { appName, findApp, lacksConsent, paramsOf, redirectPlatform, redirectWith, sendPage, type EntraEnv } from './env.js';
import { entraErrors, type EntraError } from './entra-errors.js';
import type { EntraApp } from './entra.types.js';
import { errorPage, formPostPage, messagePage, signInPage } from './pages.js';
import { clientInfo } from './tokens.js';

type ResponseMode = 'query' | 'fragment' | 'form_post';

interface AuthorizeRequest {
  ref: TenantRef;
  app: EntraApp;
  redirectUri: string;
  spa: boolean;
  responseMode: ResponseMode;
  state?: string;
  params: Record<string, string>;
}

/**
 * Entra's order: an unknown tenant, app or redirect URI is shown on Entra's own page (the redirect
 * URI can't be trusted yet); every later problem goes back to the app as `error=` parameters.
 */
type Checked = { kind: 'page'; error: EntraError } | { kind: 'redirect'; request: AuthorizeRequest; error: EntraError } | { kind: 'ok'; request: AuthorizeRequest };

function check(env: EntraEnv, tenantSegment: string, params: Record<string, string>): Checked {
  const ref = env.directory.resolve(tenantSegment);
  if (!ref) return { kind: 'page', error: entraErrors.tenantNotFound(tenantSegment) };
  const app = findApp(env, params.client_id);
  if (!app) return { kind: 'page', error: entraErrors.appNotInDirectory(params.client_id ?? '', tenantSegment) };
  const platform = redirectPlatform(app, params.redirect_uri);
  if (!platform) return { kind: 'page', error: entraErrors.redirectMismatch(params.redirect_uri ?? '', app.clientId) };

  const mode = params.response_mode;
  const request: AuthorizeRequest = {
    ref,
    app,
    redirectUri: params.redirect_uri!,
    spa: platform === 'spa',
    // Authorization codes come back in the query unless the client asks otherwise.
    responseMode: mode === 'fragment' || mode === 'form_post' ? mode : 'query',
    ...(params.state !== undefined ? { state: params.state } : {}),
    params,
  };
  const fail = (error: EntraError): Checked => ({ kind: 'redirect', request, error });
  if ((params.response_type ?? '') !== 'code') return fail(entraErrors.unsupportedResponseType(params.response_type ?? ''));
  if (!params.scope) return fail(entraErrors.missingParameter('scope'));
  if (params.code_challenge_method && !['S256', 'plain'].includes(params.code_challenge_method)) {
    return fail(entraErrors.missingParameter('code_challenge_method'));
  }
  if (request.spa && !params.code_challenge) return fail(entraErrors.pkceRequired());
  // No session cookies here: a silent request never finds a signed-in user.
  if (params.prompt === 'none') return fail(entraErrors.loginRequired());
  return { kind: 'ok', request };
}

function redirectError(ctx: Context, request: AuthorizeRequest, error: EntraError, subcode?: string): void {
  redirectWith(
    ctx,
    request.redirectUri,
    request.responseMode,
    {
      error: error.error,
      ...(subcode ? { error_subcode: subcode } : {}),
      error_description: `AADSTS${error.aadsts}: ${error.description}`,
      ...(request.state !== undefined ? { state: request.state } : {}),
    },
    formPostPage,
  );
}

/** `/authorize`: GET shows the account picker, POST (the picker's submit) issues the code. */
export function authorizeRoutes(env: EntraEnv): Router {
  const router = new Router();
  const path = '/:tenant/oauth2/v2.0/authorize';

  router.get(path, (ctx) => {
    const checked = check(env, ctx.params.tenant!, paramsOf(ctx.query));
    if (checked.kind === 'page') return sendPage(ctx, errorPage(checked.error.aadsts, checked.error.description), 400);
    if (checked.kind === 'redirect') return redirectError(ctx, checked.request, checked.error);
    const users = env.directory.signInUsers(checked.request.ref).map(({ user }) => user);
    sendPage(ctx, signInPage(ctx.path, checked.request.params, users, checked.request.params.login_hint));
  });

  router.post(path, (ctx) => {
    const form = paramsOf(ctx.request.body);
    const { user_id: userId, cancel, ...params } = form;
    const checked = check(env, ctx.params.tenant!, params);
    if (checked.kind === 'page') return sendPage(ctx, errorPage(checked.error.aadsts, checked.error.description), 400);
    if (checked.kind === 'redirect') return redirectError(ctx, checked.request, checked.error);
    const request = checked.request;
    if (cancel) return redirectError(ctx, request, entraErrors.userCancelled(), 'cancel');

    const picked = env.directory.signInUsers(request.ref).find(({ user }) => user.id === userId);
    if (!picked) return sendPage(ctx, errorPage(50034, 'The user account does not exist in the directory or cannot sign in.'), 400);
    const tenantId = picked.tenant.entraTenantId;
    const scopes = params.scope!.split(/\s+/).filter(Boolean);
    if (lacksConsent(env, tenantId, request.app, picked.user.id, scopes)) {
      return redirectError(ctx, request, entraErrors.consentRequired(request.app.clientId, appName(request.app)));
    }
    const code = env.codes.issue(
      {
        clientId: request.app.clientId,
        redirectUri: request.redirectUri,
        tenantId,
        userId: picked.user.id,
        scopes,
        ...(params.nonce ? { nonce: params.nonce } : {}),
        ...(params.code_challenge
          ? { codeChallenge: params.code_challenge, codeChallengeMethod: params.code_challenge_method === 'plain' ? 'plain' : 'S256' }
          : {}),
        spa: request.spa,
      },
      Date.now(),
    );
    redirectWith(
      ctx,
      request.redirectUri,
      request.responseMode,
      {
        code,
        ...(params.client_info === '1' ? { client_info: clientInfo(picked.user.id, tenantId) } : {}),
        ...(request.state !== undefined ? { state: request.state } : {}),
        session_state: randomUUID(),
      },
      formPostPage,
    );
  });

  router.get('/:tenant/oauth2/v2.0/logout', (ctx) => {
    // Only a registered URI is followed, so the simulator is not an open redirector.
    const target = paramsOf(ctx.query).post_logout_redirect_uri;
    const registered = [...env.apps.values()].some((app) => redirectPlatform(app, target) !== null);
    if (target && registered) return ctx.redirect(target);
    sendPage(ctx, messagePage('You signed out of your account', 'It’s a good idea to close all browser windows.'));
  });

  return router;
}
