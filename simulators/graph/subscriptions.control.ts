import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { LifecycleEvent, SubscriptionStore } from './subscriptions.js';

const LIFECYCLE = new Set<LifecycleEvent>(['reauthorizationRequired', 'subscriptionRemoved', 'missed']);

/**
 * `/__sim/subscriptions`: levers over change notifications, for out-of-process clients (the
 * bench, the demo).
 * - `GET /__sim/subscriptions` the subscriptions and every delivery made
 * - `POST /__sim/subscriptions/settings` `{dropNotifications, retryBaseMs, maxRetries}`
 * - `POST /__sim/subscriptions/{id}/lifecycle` `{event: reauthorizationRequired|subscriptionRemoved|missed}`
 * - `POST /__sim/subscriptions/{id}/expire`
 */
export function subscriptionControlRoutes(store: SubscriptionStore): Router {
  const router = new Router({ prefix: '/__sim/subscriptions' });
  router.use(bodyParser({ enableTypes: ['json'], jsonLimit: '16kb' }));
  router.get('/', (ctx) => {
    ctx.body = {
      value: [...store.subscriptions.values()].map((s) => ({ ...s, changeTypes: [...s.changeTypes], expirationDateTime: new Date(s.expiresMs).toISOString() })),
      deliveries: store.deliveries,
    };
  });
  router.post('/settings', (ctx) => {
    const b = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (typeof b.dropNotifications === 'boolean') store.settings.dropNotifications = b.dropNotifications;
    if (typeof b.retryBaseMs === 'number' && b.retryBaseMs >= 0) store.settings.retryBaseMs = b.retryBaseMs;
    if (typeof b.maxRetries === 'number' && b.maxRetries >= 0) store.settings.maxRetries = Math.floor(b.maxRetries);
    ctx.body = store.settings;
  });
  router.post('/:id/lifecycle', (ctx) => {
    const event = (ctx.request.body as { event?: unknown } | undefined)?.event;
    if (typeof event !== 'string' || !LIFECYCLE.has(event as LifecycleEvent)) ctx.throw(400, 'event must be reauthorizationRequired, subscriptionRemoved or missed');
    ctx.status = store.lifecycle(ctx.params.id!, event as LifecycleEvent) ? 202 : 404;
  });
  router.post('/:id/expire', (ctx) => {
    ctx.status = store.expire(ctx.params.id!) ? 204 : 404;
  });
  return router;
}
