import type Router from '@koa/router';
import { requireAdmin } from '../http/guards.js';
import { createRouter } from '../http/router.js';
import type { ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { SyncLinksBody } from './sync-admin.schemas.js';
import { releaseBreaker, requestSync } from './sync-admin.service.js';

/** Sync now, and Resume synchronization after the circuit breaker, for selected linked users. */
export function syncAdminRouter(): Router<ApiState> {
  const router = createRouter({ prefix: '/sync' });

  router.post('/run', requireAdmin, async (ctx) => {
    const { linkIds } = parse(SyncLinksBody, ctx.request.body, 'body');
    ctx.body = await requestSync(ctx.state.store, ctx.state.actor, linkIds, ctx.state.now());
  });

  router.post('/release', requireAdmin, async (ctx) => {
    const { linkIds } = parse(SyncLinksBody, ctx.request.body, 'body');
    ctx.body = await releaseBreaker(ctx.state.store, ctx.state.actor, linkIds, ctx.state.now());
  });

  return router;
}
