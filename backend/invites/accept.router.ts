import { bodyParser } from '@koa/bodyparser';
import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import { ApiError } from '../http/errors.js';
import type { ApiContext, ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { ACCEPT_CALLBACK, ACCEPT_PATH } from '../http/paths.js';
import { DomainError } from '../domain-error.js';
import { completeAcceptSignIn, openInvite, type AcceptDeps } from './accept.service.js';
import { OpenInviteBody } from './invite.schemas.js';


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

  // Retired: accepting with an id token identified the invitee but left the worker no grant to
  // act with, so the mailbox stayed "waiting for authorization". The page now signs in through
  // `signIn.authorizeUrl` and the callback below accepts. A page from before that change gets a
  // clear answer (and nothing is looked up or changed).
  router.post('/accept', () => {
    throw new ApiError(
      410,
      'AcceptBySignIn',
      'Invitations are now accepted by signing in with Microsoft from the invitation page. Open the invitation link again (reload the page).',
    );
  });
  return router;
}

/**
 * The grant sign-in's redirect URI (a page, not an API call): the browser always goes back to the
 * accept page, with the outcome in the fragment (never sent to a server, no secret in it; the
 * code and state are not shown again). Success: `#accepted=<mailbox>&name&account`. A refusal
 * (nothing was stored): `#error=<code>`, which the page says in plain words in the user's
 * language, with the invite still in that tab to sign in again where that can help. The answer
 * is never cached and sends no referrer (the URL carried the code).
 */
export function acceptCallbackRouter(): Router<ApiState> {
  const router = createRouter();
  router.get(ACCEPT_CALLBACK, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Referrer-Policy', 'no-referrer');
    let fragment: URLSearchParams;
    try {
      const accepted = await completeAcceptSignIn(deps(ctx), ctx.query);
      fragment = new URLSearchParams({ accepted: accepted.mailboxAddress, name: accepted.displayName, account: accepted.account });
    } catch (err) {
      // Expected refusals and Microsoft being away; anything else is a bug for the error handler (and the log).
      if (!(err instanceof ApiError) && !(err instanceof DomainError)) throw err;
      ctx.state.log.warn({ code: err.code }, 'invite sign-in refused');
      fragment = new URLSearchParams({ error: err.code });
    }
    ctx.status = 303;
    ctx.redirect(`${ACCEPT_PATH}#${fragment.toString()}`);
  });
  return router;
}
