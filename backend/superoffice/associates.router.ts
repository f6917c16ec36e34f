import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import { requireAdmin } from '../http/guards.js';
import type { ApiState } from '../http/types.js';
import { listAssociates } from './associates.js';

/** SuperOffice associates with the email on their contact card, read as the signed-in admin. */
export function associatesRouter(): Router<ApiState> {
  const router = createRouter();
  router.get('/associates', requireAdmin, async (ctx) => {
    ctx.body = { associates: await listAssociates(ctx.state.superoffice()) };
  });
  return router;
}
