import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { GraphControl, GraphFaults, ThrottleBudget } from './graph.types.js';

function faultsFrom(body: unknown): GraphFaults {
  const b = (body ?? {}) as Record<string, unknown>;
  const faults: GraphFaults = {};
  if (b.unavailable === 'persistent' || typeof b.unavailable === 'number') faults.unavailable = b.unavailable;
  if (typeof b.throttled === 'number') faults.throttled = b.throttled;
  if (typeof b.retryAfterSeconds === 'number') faults.retryAfterSeconds = b.retryAfterSeconds;
  if (typeof b.delayMs === 'number') faults.delayMs = b.delayMs;
  if (typeof b.route === 'string' || b.route === null) faults.route = b.route;
  if (typeof b.commitThenTimeout === 'number') faults.commitThenTimeout = b.commitThenTimeout;
  return faults;
}

/**
 * `/__sim/*`: test control for out-of-process clients (benchmarks, the demo, browser tests).
 * - `GET /__sim/requests` counts; `POST /__sim/reset` back to start-up state
 * - `GET|POST|DELETE /__sim/faults` `{unavailable: n|'persistent', throttled: n, retryAfterSeconds, delayMs, route}`
 * - `POST /__sim/throttle` `{limit, windowSeconds}` or `{}` to turn the budget off
 * - `GET /__sim/sent-mail`
 */
export function graphControlRoutes(control: GraphControl): Router {
  const router = new Router({ prefix: '/__sim' });
  router.use(bodyParser({ enableTypes: ['json'], jsonLimit: '16kb' }));

  router.get('/requests', (ctx) => {
    ctx.body = control.requests();
  });
  // Per mailbox: calls made with the app token and with each user's delegated token.
  router.get('/callers', (ctx) => {
    ctx.body = control.callers();
  });
  router.post('/reset', (ctx) => {
    control.reset();
    ctx.status = 204;
  });
  router.get('/faults', (ctx) => {
    ctx.body = control.faults();
  });
  router.post('/faults', (ctx) => {
    control.setFaults(faultsFrom(ctx.request.body));
    ctx.body = control.faults();
  });
  router.delete('/faults', (ctx) => {
    control.clearFaults();
    ctx.status = 204;
  });
  router.post('/throttle', (ctx) => {
    const b = (ctx.request.body ?? {}) as Partial<ThrottleBudget>;
    const budget = typeof b.limit === 'number' && typeof b.windowSeconds === 'number' ? { limit: b.limit, windowSeconds: b.windowSeconds } : null;
    control.setThrottle(budget);
    ctx.body = { throttle: budget };
  });
  router.get('/sent-mail', (ctx) => {
    ctx.body = { value: control.sentMail() };
  });
  return router;
}
