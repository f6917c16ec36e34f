import { bodyParser } from '@koa/bodyparser';
import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import { ApiError } from '../http/errors.js';
import type { ApiContext, ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { ACCEPT_CALLBACK, ACCEPT_PATH } from '../http/paths.js';
import { acceptInvite, completeAcceptSignIn, openInvite, type AcceptDeps } from './accept.service.js';
import { AcceptInviteBody, OpenInviteBody } from './invite.schemas.js';


function deps(ctx: ApiContext): AcceptDeps {
  return { store: ctx.state.store, integration: ctx.state.microsoft(), now: ctx.state.now(), requestId: ctx.state.requestId };
}

/**
 * The accept page's API. No session: the invite link's secret is the credential, sent in the
 * body (never in a URL, so it stays out of logs). Small JSON bodies only.
 */
export function acceptRouter(): Router<ApiState> {
  const router = createRouter({ prefix: '/api/public/invites' });
  router.use(async (ctx, next) => {
    if (ctx.method === 'POST' && !ctx.is('application/json')) {
      throw new ApiError(415, 'UnsupportedMediaType', 'Send the request body as application/json.');
    }
    await next();
  });
  router.use(bodyParser({ enableTypes: ['json'], jsonLimit: '32kb', encoding: 'utf-8' }));

  router.post('/open', async (ctx) => {
    const { token } = parse(OpenInviteBody, ctx.request.body, 'body');
    ctx.body = await openInvite(deps(ctx), token);
  });

  router.post('/accept', async (ctx) => {
    const { token, idToken } = parse(AcceptInviteBody, ctx.request.body, 'body');
    ctx.body = await acceptInvite(deps(ctx), token, idToken);
  });
  return router;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The grant sign-in's redirect URI (a page, not an API call). Success: back to the accept page
 * with the accepted mailbox in the fragment (no secret; the code and state are never shown
 * again). A refusal: its HTTP status and a plain page with the reason and the way back; nothing
 * was stored. The answer is never cached and sends no referrer (the URL carried the code).
 */
export function acceptCallbackRouter(): Router<ApiState> {
  const router = createRouter();
  router.get(ACCEPT_CALLBACK, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Referrer-Policy', 'no-referrer');
    try {
      const accepted = await completeAcceptSignIn(deps(ctx), ctx.query);
      const fragment = new URLSearchParams({ accepted: accepted.mailboxAddress, name: accepted.displayName, account: accepted.account });
      ctx.status = 303;
      ctx.redirect(`${ACCEPT_PATH}#${fragment.toString()}`);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      ctx.status = err.status;
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Invitation not accepted</title><main><h1>Invitation not accepted</h1><p data-code="${escapeHtml(err.code)}">${escapeHtml(err.message)}</p><p><a href="${ACCEPT_PATH}">Back to the invitation</a></p></main></html>`;
    }
  });
  return router;
}
