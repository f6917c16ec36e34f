import type Router from '@koa/router';
import { requireAdmin } from '../http/guards.js';
import { createRouter } from '../http/router.js';
import type { ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { ProposalBody } from './ranks.schemas.js';
import { proposeBalance, rankLoad } from './ranks.service.js';

/** Server Rank balancing: the load per rank, and a proposal that evens it (read only; applied as Save Users Options). */
export function ranksRouter(): Router<ApiState> {
  const router = createRouter({ prefix: '/ranks' });

  router.get('/', requireAdmin, async (ctx) => {
    ctx.body = await rankLoad(ctx.state.store, ctx.state.session.tenantId, ctx.state.now());
  });

  router.post('/proposal', requireAdmin, async (ctx) => {
    const body = parse(ProposalBody, ctx.request.body, 'body');
    ctx.body = await proposeBalance(ctx.state.store, ctx.state.session.tenantId, body, ctx.state.now());
  });

  return router;
}
