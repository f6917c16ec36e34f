import { bodyParser } from '@koa/bodyparser';
import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import { ApiError } from '../http/errors.js';
import { POPUP_RESULT_SCRIPT, POPUP_RESULT_STYLES, renderPopupResult } from '../http/popup-page.js';
import type { ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { DomainError } from '../domain-error.js';
import { webApiDeps } from '../superoffice/webapi.client.js';
import { abandonSignIn, beginSignIn, completeSignIn, provisionAfterSignIn, signInDeps } from './signin.service.js';
import { TicketBody } from './session.schemas.js';
import { signInWithTicket } from './ticket.service.js';

/** What a `prompt=none` request gets when the user would have to act (OpenID Connect Core 1.0 §3.1.2.6). */
const INTERACTION_REQUIRED = new Set(['login_required', 'interaction_required', 'consent_required', 'account_selection_required']);

/**
 * Sign-in runs in a popup (identity pages refuse to render in the SuperOffice iframe):
 * `/auth/superoffice/start?tenant=<ctx>` sends it to SuperOffice; the callback verifies everything
 * and posts the session token to the opener, to exactly the panel's origin.
 */
export function signInRouter(): Router<ApiState> {
  const router = createRouter({ prefix: '/auth' });

  router.get('/popup-result.js', (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = POPUP_RESULT_SCRIPT;
  });

  router.get('/popup-result.css', (ctx) => {
    ctx.type = 'text/css; charset=utf-8';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = POPUP_RESULT_STYLES;
  });

  // `prompt=none`: the panel's silent sign-in, in a hidden frame (see renderPopupResult).
  router.get('/superoffice/start', async (ctx) => {
    const tenant = typeof ctx.query.tenant === 'string' ? ctx.query.tenant : null;
    const { prompt } = ctx.query;
    if (prompt !== undefined && prompt !== 'none') throw new ApiError(400, 'BadRequest', 'prompt may only be none.');
    ctx.redirect(await beginSignIn(signInDeps(ctx.state), tenant, prompt));
  });

  // Onsite: the panel posts the ticket SuperOffice put in its URL; the answer is a session.
  router.post('/superoffice/ticket', bodyParser({ enableTypes: ['json'], jsonLimit: '8kb' }), async (ctx) => {
    const onsite = ctx.state.integration?.superofficeOnsite;
    if (!onsite) throw new ApiError(404, 'NotFound', 'Ticket sign-in is not enabled on this server.');
    if (!ctx.is('application/json')) throw new ApiError(415, 'UnsupportedMediaType', 'Send the request body as application/json.');
    const { ticket, tenant } = parse(TicketBody, ctx.request.body, 'body');
    const { sessionTtlMinutes } = ctx.state.config;
    // A refused ticket is a SignInError: 401 with its code.
    const { token, session } = await signInWithTicket({ ...webApiDeps(ctx.state), sessionTtlMinutes }, onsite.webApiUrl, ticket, tenant ?? null);
    ctx.body = { token, expiresAt: session.expiresAt, isAdmin: session.isAdmin, name: session.associateName };
  });

  router.get('/superoffice/callback', async (ctx) => {
    const origin = ctx.state.panelOrigin;
    const { code, state, error } = ctx.query;
    if (typeof error === 'string') {
      // The sign-in is over either way: its state may not be used again.
      if (typeof state === 'string') await abandonSignIn(ctx.state.store, state);
      renderPopupResult(
        ctx,
        INTERACTION_REQUIRED.has(error)
          ? { type: 'mailbox-link:error', code: 'LoginRequired', message: 'SuperOffice wants the user to sign in.' }
          : { type: 'mailbox-link:error', code: 'SignInCancelled', message: 'Sign-in was cancelled or refused by SuperOffice.' },
        origin,
      );
      return;
    }
    if (typeof code !== 'string' || typeof state !== 'string') {
      renderPopupResult(ctx, { type: 'mailbox-link:error', code: 'InvalidCallback', message: 'The sign-in answer is incomplete. Sign in again.' }, origin);
      return;
    }
    try {
      const { token, session } = await completeSignIn(signInDeps(ctx.state), code, state);
      ctx.state.log.info({ tenant: session.tenantId, associate: session.associateId, admin: session.isAdmin }, 'signed in');
      if (session.isAdmin) await provisionAfterSignIn(ctx.state, session);
      renderPopupResult(
        ctx,
        { type: 'mailbox-link:signed-in', token, expiresAt: session.expiresAt, isAdmin: session.isAdmin, name: session.associateName },
        origin,
      );
    } catch (err) {
      if (err instanceof ApiError || err instanceof DomainError) {
        ctx.state.log.warn({ code: err.code }, 'sign-in refused');
        renderPopupResult(ctx, { type: 'mailbox-link:error', code: err.code, message: err.message }, origin);
        return;
      }
      throw err;
    }
  });

  return router;
}
