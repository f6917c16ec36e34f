import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import { appointmentRouter } from './appointment.routes.js';
import { archiveRouter } from './archive.routes.js';
import { soErrorBody, SoError } from './errors.js';
import { applyFaults } from './faults.js';
import { mdoRouter } from './mdo.routes.js';
import { personRouter } from './person.routes.js';
import { userRouter } from './principal.js';
import { tenantKey, type SimContext, type SimRequestState, type SimState } from './sim.types.js';
import { authenticateWebApi } from './webapi.auth.js';
import { webPanelRouter } from './webpanel.routes.js';
import { webhookRouter } from './webhook.routes.js';

const API_PATH = /^\/([^/]+)\/api(?:\/|$)/i;

/** Runs `middlewares` in order, each continuing with the next (what koa-compose does). */
function chain(middlewares: Middleware<SimRequestState>[]): (ctx: SimContext, next: Next) => Promise<void> {
  return (ctx, next) => {
    const run = async (i: number): Promise<void> => {
      const mw = middlewares[i];
      if (!mw) return next();
      await mw(ctx, () => run(i + 1));
    };
    return run(0);
  };
}

/** SuperOffice's error bodies for thrown errors; never a stack trace. */
async function soErrors(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (err) {
    if (err instanceof SoError) {
      ctx.status = err.status;
      ctx.body = soErrorBody(ctx.path, err.errorType, err.message);
      return;
    }
    const status = (err as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      ctx.status = status;
      ctx.body = soErrorBody(ctx.path, 'SerializationException', 'The request body could not be read.');
      return;
    }
    ctx.status = 500;
    ctx.body = soErrorBody(ctx.path, 'Exception', 'An unexpected error occurred in the simulator.');
    ctx.app.emit('error', err, ctx);
  }
}

/** What ASP.NET Web API answers for a URL no controller serves [INF: from its default message]. */
function noResource(ctx: Context): void {
  ctx.status = 404;
  ctx.body = { Message: `No HTTP resource was found that matches the request URI '${ctx.origin}${ctx.url}'.` };
}

/**
 * The Web API of every simulated tenant at `/{ctx}/api/v1/…`: latency and injected faults first,
 * then authentication, then the REST and agent routes.
 */
export function webApi(sim: SimState): Middleware<SimRequestState> {
  const v1 = new Router<SimRequestState>({ prefix: '/:ctx/api/v1' });
  // Appointment and person routes first: `Archive/FindAppointment` and `Archive/Person` before the generic `Archive/:provider`.
  for (const router of [userRouter(), appointmentRouter(), personRouter(), archiveRouter(), webPanelRouter(), mdoRouter(), webhookRouter()]) v1.use(router.routes());
  // Not strict: @superoffice/webapi posts a literal `null` body to argument-less agent methods.
  const parseJson = bodyParser({ enableTypes: ['json'], jsonLimit: '1mb', jsonStrict: false, encoding: 'utf-8' });
  const faults = applyFaults(sim.faults);
  const dispatch = v1.routes() as unknown as Middleware<SimRequestState>;

  return async function tenantWebApi(ctx, next) {
    const match = API_PATH.exec(ctx.path);
    const tenant = match?.[1] ? sim.tenants.get(tenantKey(match[1])) : undefined;
    if (!tenant) return next();
    ctx.state.sim = sim;
    await chain([
      soErrors,
      faults,
      authenticateWebApi(sim, tenant),
      parseJson as unknown as Middleware<SimRequestState>,
      dispatch,
    ])(ctx, async () => {
      if (ctx.body === undefined && ctx.status === 404) noResource(ctx);
    });
  };
}
