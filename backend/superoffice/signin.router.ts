import { bodyParser } from '@koa/bodyparser';
import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import { ApiError } from '../http/errors.js';
import { POPUP_RESULT_SCRIPT, POPUP_RESULT_STYLES, renderPopupResult } from '../http/popup-page.js';
import type { ApiContext, ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { TicketBody } from '../auth/session.schemas.js';
import type { Session } from '../auth/session.service.js';
import { provisionOnSignIn } from '../deploy/provision.js';
import { loadCredential } from './credential.repository.js';
import { SignInError } from './oidc.js';
import { beginSignIn, completeSignIn, type SignInDeps } from './signin.service.js';
import { signInWithTicket } from './ticket.service.js';

/** What calling the Web API as a signed-in user needs; works for Online tokens and Onsite tickets. */
export function webApiDeps(ctx: ApiContext) {
  const { store, clock, integration } = ctx.state.deps;
  if (!integration?.superoffice && !integration?.superofficeOnsite) {
    throw new ApiError(503, 'SuperOfficeNotConfigured', 'SuperOffice is not configured on this server.');
  }
  return {
    store,
    clock,
    box: integration.box,
    oidc: integration.superoffice,
    fetch: integration.fetch,
    appToken: integration.superofficeOnsite?.appToken,
  };
}

export function signInDeps(ctx: ApiContext): SignInDeps {
  const { store, clock, config, integration } = ctx.state.deps;
  if (!integration?.superoffice) {
    throw new ApiError(503, 'SuperOfficeNotConfigured', 'SuperOffice sign-in is not configured on this server.');
  }
  return { store, clock, box: integration.box, oidc: integration.superoffice, fetch: integration.fetch, sessionTtlMinutes: config.sessionTtlMinutes };
}

/**
 * An administrator signed in (in Online, the moment they approve the app): the manifest's web
 * panels are provisioned with their fresh credential, once per manifest change (never blocking
 * the sign-in; see provisionOnSignIn).
 */
async function provisionPanels(ctx: ApiContext, session: Session): Promise<void> {
  const { store, config, integration, clock } = ctx.state.deps;
  if (!config.provisionPanels || !integration) return;
  const credential = await loadCredential(store, integration.box, session.tenantId, session.associateId);
  if (!credential) return;
  await provisionOnSignIn(
    // A localhost URL is a developer's machine (SuperOffice Online frames only https pages).
    { store, publicUrl: integration.publicUrl, production: !config.demo && !/^http:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(integration.publicUrl), log: ctx.state.log, now: clock() },
    { tenantId: session.tenantId, associateId: session.associateId, associateName: session.associateName, requestId: ctx.state.requestId },
    { webApiUrl: credential.webApiUrl, authorization: `${credential.scheme} ${credential.accessToken}` },
  );
}

/** The popup's own origin is the panel's: the only place a session token is ever posted to. */
export const panelOrigin = (ctx: ApiContext) => new URL(ctx.state.deps.integration?.publicUrl ?? ctx.state.deps.config.publicUrl).origin;

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

  router.get('/superoffice/start', async (ctx) => {
    const tenant = typeof ctx.query.tenant === 'string' ? ctx.query.tenant : null;
    ctx.redirect(await beginSignIn(signInDeps(ctx), tenant));
  });

  // Onsite: the panel posts the ticket SuperOffice put in its URL; the answer is a session.
  router.post('/superoffice/ticket', bodyParser({ enableTypes: ['json'], jsonLimit: '8kb' }), async (ctx) => {
    const onsite = ctx.state.deps.integration?.superofficeOnsite;
    if (!onsite) throw new ApiError(404, 'NotFound', 'Ticket sign-in is not enabled on this server.');
    if (!ctx.is('application/json')) throw new ApiError(415, 'UnsupportedMediaType', 'Send the request body as application/json.');
    const { ticket, tenant } = parse(TicketBody, ctx.request.body, 'body');
    const { sessionTtlMinutes } = ctx.state.deps.config;
    try {
      const { token, session } = await signInWithTicket({ ...webApiDeps(ctx), sessionTtlMinutes }, onsite.webApiUrl, ticket, tenant ?? null);
      ctx.body = { token, expiresAt: session.expiresAt, isAdmin: session.isAdmin, name: session.associateName };
    } catch (err) {
      if (err instanceof SignInError) throw new ApiError(401, err.code, err.message);
      throw err;
    }
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
      if (session.isAdmin) await provisionPanels(ctx, session);
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
