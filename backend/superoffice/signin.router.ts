import Router from '@koa/router';
import { ApiError } from '../http/errors.js';
import { POPUP_RESULT_SCRIPT, renderPopupResult } from '../http/popup-page.js';
import type { ApiContext, ApiState } from '../http/types.js';
import { SignInError } from './oidc.js';
import { beginSignIn, completeSignIn, type SignInDeps } from './signin.service.js';

export function signInDeps(ctx: ApiContext): SignInDeps {
  const { store, clock, config, integration } = ctx.state.deps;
  if (!integration?.superoffice) {
    throw new ApiError(503, 'SuperOfficeNotConfigured', 'SuperOffice sign-in is not configured on this server.');
  }
  return { store, clock, box: integration.box, oidc: integration.superoffice, fetch: integration.fetch, sessionTtlMinutes: config.sessionTtlMinutes };
}

/** The popup's own origin is the panel's: the only place a session token is ever posted to. */
export const panelOrigin = (ctx: ApiContext) => new URL(ctx.state.deps.integration?.publicUrl ?? ctx.state.deps.config.publicUrl).origin;

/**
 * Sign-in runs in a popup (identity pages refuse to render in the SuperOffice iframe):
 * `/auth/superoffice/start?tenant=<ctx>` sends it to SuperOffice; the callback verifies everything
 * and posts the session token to the opener, to exactly the panel's origin.
 */
export function signInRouter(): Router<ApiState> {
  const router = new Router<ApiState>({ prefix: '/auth' });

  router.get('/popup-result.js', (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = POPUP_RESULT_SCRIPT;
  });

  router.get('/superoffice/start', async (ctx) => {
    const tenant = typeof ctx.query.tenant === 'string' ? ctx.query.tenant : null;
    ctx.redirect(await beginSignIn(signInDeps(ctx), tenant));
  });

  router.get('/superoffice/callback', async (ctx) => {
    const origin = panelOrigin(ctx);
    const { code, state, error } = ctx.query;
    if (typeof error === 'string') {
      renderPopupResult(ctx, { type: 'mailbox-link:error', code: 'SignInCancelled', message: 'Sign-in was cancelled or refused by SuperOffice.' }, origin);
      return;
    }
    if (typeof code !== 'string' || typeof state !== 'string') {
      renderPopupResult(ctx, { type: 'mailbox-link:error', code: 'InvalidCallback', message: 'The sign-in answer is incomplete. Sign in again.' }, origin);
      return;
    }
    try {
      const { token, session } = await completeSignIn(signInDeps(ctx), code, state);
      ctx.state.log.info({ tenant: session.tenantId, associate: session.associateId, admin: session.isAdmin }, 'signed in');
      renderPopupResult(
        ctx,
        { type: 'mailbox-link:signed-in', token, expiresAt: session.expiresAt, isAdmin: session.isAdmin, name: session.associateName },
        origin,
      );
    } catch (err) {
      if (err instanceof SignInError || err instanceof ApiError) {
        ctx.state.log.warn({ code: err.code }, 'sign-in refused');
        renderPopupResult(ctx, { type: 'mailbox-link:error', code: err.code, message: err.message }, origin);
        return;
      }
      throw err;
    }
  });

  return router;
}
