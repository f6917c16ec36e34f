import type Router from '@koa/router';
import { requireAdmin } from '../http/guards.js';
import { createRouter } from '../http/router.js';
import type { ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { ExplainBody } from './explain.schemas.js';
import { explain } from './explain.service.js';

/** "Why didn't this sync?": the engine's answer for one linked user's items on a day or with a subject. Reads only. */
export function explainRouter(): Router<ApiState> {
  const router = createRouter({ prefix: '/explain' });
  router.post('/', requireAdmin, async (ctx) => {
    const body = parse(ExplainBody, ctx.request.body, 'body');
    ctx.body = await explain({ store: ctx.state.store, integration: ctx.state.integration ?? null, now: ctx.state.now() }, ctx.state.actor.tenantId, body);
  });
  return router;
}
