import Router from '@koa/router';
import type { SimRequestState } from './sim.types.js';
import { renderWebhook } from './webhook.store.js';

/** `/api/v1/Webhook` (REST: list, get, create, update, delete), as the signed-in associate. */
export function webhookRouter(): Router<SimRequestState> {
  const router = new Router<SimRequestState>();
  router.get('/Webhook', (ctx) => {
    ctx.body = ctx.state.caller.tenant.webhooks.all().map(renderWebhook);
  });
  router.get('/Webhook/:id', (ctx) => {
    ctx.body = renderWebhook(ctx.state.caller.tenant.webhooks.get(Number(ctx.params.id)));
  });
  router.post('/Webhook', (ctx) => {
    ctx.status = 201;
    ctx.body = renderWebhook(ctx.state.caller.tenant.webhooks.create(ctx.request.body, ctx.state.caller.associate.associateId));
  });
  router.put('/Webhook/:id', (ctx) => {
    ctx.body = renderWebhook(ctx.state.caller.tenant.webhooks.update(Number(ctx.params.id), ctx.request.body));
  });
  router.delete('/Webhook/:id', (ctx) => {
    ctx.state.caller.tenant.webhooks.delete(Number(ctx.params.id));
    ctx.status = 204;
  });
  return router;
}
