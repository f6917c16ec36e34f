import Router from '@koa/router';
import { tenantKey, webApiUrlOf, type SimState } from './sim.types.js';

/**
 * `GET /api/state/{ctx}`: Online's tenant status service (apps/provisioning docs). A tenant whose
 * Web API is "down" in the simulator reports itself as not running [INF: the real non-running states].
 */
export function tenantStatusRouter(sim: SimState): Router {
  const router = new Router();
  router.get('/api/state/:ctx', (ctx) => {
    const tenant = sim.tenants.get(tenantKey(ctx.params.ctx ?? ''));
    if (!tenant) {
      ctx.status = 404;
      ctx.body = { ContextIdentifier: ctx.params.ctx, State: 'Unknown', IsRunning: false };
      return;
    }
    const running = sim.faults.down === 'off';
    const id = tenant.tenant.contextId;
    ctx.body = {
      ContextIdentifier: id,
      Endpoint: `${sim.webApiBaseUrl}/${id}`,
      State: running ? 'Running' : 'Offline',
      IsRunning: running,
      ValidUntil: new Date(sim.clock() + 3600_000).toISOString(),
      Api: webApiUrlOf(sim, id).replace(/\/$/, ''),
    };
  });
  return router;
}
