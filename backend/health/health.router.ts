import type Router from '@koa/router';
import { requireAdmin } from '../http/guards.js';
import { createRouter } from '../http/router.js';
import type { ApiContext, ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { HealthKeysBody, RepointBody } from './health.schemas.js';
import { healthReport, ignoreProblems, repointToCardEmail, unignoreProblems, type HealthClients } from './health.service.js';

/** SuperOffice and Graph as the calling administrator (the panel's view of the report). */
const callerClients = (ctx: ApiContext): HealthClients => ({ superoffice: () => ctx.state.superoffice(), graph: (tenant) => ctx.state.graph(tenant) });

/** The health report, Ignore / Stop ignoring, and Update the link (an email mismatch's fix). */
export function healthRouter(): Router<ApiState> {
  const router = createRouter({ prefix: '/health' });

  router.get('/', requireAdmin, async (ctx) => {
    ctx.body = await healthReport(ctx.state.store, ctx.state.session.tenantId, callerClients(ctx), ctx.state.now());
  });

  router.post('/ignores', requireAdmin, async (ctx) => {
    const { keys } = parse(HealthKeysBody, ctx.request.body, 'body');
    ctx.body = await ignoreProblems(ctx.state.store, ctx.state.actor, keys, ctx.state.now());
  });

  router.post('/ignores/remove', requireAdmin, async (ctx) => {
    const { keys } = parse(HealthKeysBody, ctx.request.body, 'body');
    ctx.body = await unignoreProblems(ctx.state.store, ctx.state.actor, keys, ctx.state.now());
  });

  router.post('/repoint', requireAdmin, async (ctx) => {
    const input = parse(RepointBody, ctx.request.body, 'body');
    ctx.body = await repointToCardEmail(ctx.state.store, ctx.state.actor, callerClients(ctx), input, ctx.state.now());
  });

  return router;
}
