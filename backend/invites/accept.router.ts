import { bodyParser } from '@koa/bodyparser';
import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import { ApiError } from '../http/errors.js';
import type { ApiContext, ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { acceptInvite, openInvite, type AcceptDeps } from './accept.service.js';
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
