import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import { requireAdmin } from '../auth/auth.middleware.js';
import type { ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { actorOf } from '../links/link.router.js';
import { listAuthorizations, toAuthorization } from './authorization.repository.js';
import { RevokeAuthorizationsBody } from './authorization.schemas.js';
import { revokeAuthorizations } from './authorization.service.js';

/** Mailboxes whose owners authorized the app (OAuth mode), and revoking that. */
export function authorizationRouter(): Router<ApiState> {
  const router = createRouter({ prefix: '/authorizations' });
  router.get('/', requireAdmin, async (ctx) => {
    ctx.body = { authorizations: (await listAuthorizations(ctx.state.deps.store, ctx.state.session.tenantId)).map(toAuthorization) };
  });
  router.post('/revoke', requireAdmin, async (ctx) => {
    const { mailboxIds } = parse(RevokeAuthorizationsBody, ctx.request.body, 'body');
    ctx.body = await revokeAuthorizations(ctx.state.deps.store, actorOf(ctx), [...new Set(mailboxIds)], ctx.state.deps.clock());
  });
  return router;
}
