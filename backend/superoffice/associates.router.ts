import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import { requireAdmin } from '../auth/auth.middleware.js';
import type { ApiState } from '../http/types.js';
import { listAssociates } from './associates.js';
import { webApiDeps } from './signin.router.js';
import { SuperOfficeWebApi } from './webapi.client.js';

/** SuperOffice associates with the email on their contact card, read as the signed-in admin. */
export function associatesRouter(): Router<ApiState> {
  const router = createRouter();
  router.get('/associates', requireAdmin, async (ctx) => {
    const { tenantId, associateId } = ctx.state.session;
    const api = new SuperOfficeWebApi(webApiDeps(ctx), tenantId, associateId);
    ctx.body = { associates: await listAssociates(api) };
  });
  return router;
}
