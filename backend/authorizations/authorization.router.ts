import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import { requireAdmin } from '../http/guards.js';
import type { ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { RevokeAuthorizationsBody } from './authorization.schemas.js';
import { revokeAuthorizations, tenantAuthorizations } from './authorization.service.js';

/** Mailboxes whose owners authorized the app (OAuth mode), and revoking that. */
export function authorizationRouter(): Router<ApiState> {
  const router = createRouter({ prefix: '/authorizations' });
  router.get('/', requireAdmin, async (ctx) => {
    ctx.body = { authorizations: await tenantAuthorizations(ctx.state.store, ctx.state.session.tenantId) };
  });
  router.post('/revoke', requireAdmin, async (ctx) => {
    const { mailboxIds } = parse(RevokeAuthorizationsBody, ctx.request.body, 'body');
    ctx.body = await revokeAuthorizations(ctx.state.store, ctx.state.actor, [...new Set(mailboxIds)], ctx.state.now());
  });
  return router;
}
