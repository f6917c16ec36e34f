import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import type { ApiState } from '../http/types.js';
import { endSession } from './session.service.js';

/** Who am I, and sign out. Signing in arrives with the SuperOffice integration. */
export function sessionRouter(): Router<ApiState> {
  const router = createRouter({ prefix: '/session' });
  router.get('/', (ctx) => {
    const { tenantId, associateId, associateName, isAdmin, expiresAt } = ctx.state.session;
    ctx.body = { tenantId, associateId, associateName, isAdmin, expiresAt };
  });
  router.delete('/', async (ctx) => {
    await endSession(ctx.state.store, ctx.state.token);
    ctx.status = 204;
  });
  return router;
}
