import type Router from '@koa/router';
import { requireAdmin } from '../http/guards.js';
import { createRouter } from '../http/router.js';
import type { ApiContext, ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { readHealth } from '../health/health.service.js';
import { listAssociates } from '../superoffice/associates.js';
import { AlertSettingsChange, AlertTestBody, WebhookSecretBody } from './alert.schemas.js';
import { alertAdmins, alertSettings, rotateWebhookSecret, sendTestAlert, updateAlertSettings, type AlertContext } from './alert.service.js';
import { webhookPolicy } from './digest.js';

function alertContext(ctx: ApiContext): AlertContext {
  const { state } = ctx;
  return {
    store: state.store,
    actor: state.actor,
    now: state.now(),
    integration: state.integration,
    associates: () => listAssociates(state.superoffice()),
    graph: (tenant) => state.graph(tenant),
    webhook: webhookPolicy({ integration: state.integration, config: state.config }),
    health: () => readHealth(state.store, state.session.tenantId, { superoffice: () => state.superoffice(), graph: (tenant) => state.graph(tenant) }, state.now()),
  };
}

/** Alerts: the daily digest of new health problems (e-mail to chosen administrators, a signed webhook). */
export function alertRouter(): Router<ApiState> {
  const router = createRouter({ prefix: '/alerts' });

  router.get('/settings', requireAdmin, async (ctx) => {
    ctx.body = await alertSettings(ctx.state.store, ctx.state.session.tenantId);
  });

  router.put('/settings', requireAdmin, async (ctx) => {
    const change = parse(AlertSettingsChange, ctx.request.body, 'body');
    ctx.body = await updateAlertSettings(alertContext(ctx), change);
  });

  router.get('/admins', requireAdmin, async (ctx) => {
    ctx.body = await alertAdmins(alertContext(ctx));
  });

  router.post('/webhook/secret', requireAdmin, async (ctx) => {
    parse(WebhookSecretBody, ctx.request.body ?? {}, 'body');
    ctx.body = await rotateWebhookSecret(alertContext(ctx));
    // Shown once: no cache may keep it.
    ctx.set('Cache-Control', 'no-store');
  });

  router.post('/test', requireAdmin, async (ctx) => {
    const body = parse(AlertTestBody, ctx.request.body ?? {}, 'body');
    ctx.body = await sendTestAlert(alertContext(ctx), body);
  });

  return router;
}
