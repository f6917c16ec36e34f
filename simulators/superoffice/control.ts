import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context } from 'koa';
import { createPersonControl, personControlRoutes, type PersonSimControl } from './person.control.js';
import { appointmentControlRoutes, createAppointmentControl, type AppointmentSimControl } from './appointment.control.js';
import { asBody, field } from './body.js';
import type { RequestCounts } from '../request-counts.js';
import type { DownMode, FailNextOptions } from './faults.js';
import { WEBPANEL_LIST_ID } from './mdo.routes.js';
import { tenantKey, type SimState, type TenantState, type WebPanelMiss } from './sim.types.js';
import type { StoredWebPanel } from './webpanel.store.js';
import type { WebhookStore } from './webhook.store.js';

export interface IssueCredentialOptions {
  associateId: number;
  /** Defaults to the only (first) tenant. */
  contextId?: string;
  /** Defaults to the first registered client. */
  clientId?: string;
}

/** Test and benchmark levers; the same operations are served over HTTP under `/__sim/`. */
export interface SuperOfficeSimControl {
  /** Every access token and ticket issued so far expires now (refresh tokens keep working). Returns how many. */
  expireAccessTokens(): number;
  /** Every refresh token stops working, as if the tenant withdrew consent. Returns how many. */
  revokeRefreshTokens(): number;
  /** The next `count` Web API requests fail with `status` (500 by default). */
  failNext(count: number, options?: FailNextOptions): void;
  /** `'503'` answers every Web API request with 503; `'reset'` drops the connection; `'off'` restores. */
  setDown(mode: DownMode): void;
  /** Delay added to every Web API request. */
  setLatency(ms: number): void;
  /** How `GetWebPanelByProgId` answers for an unknown ProgId: `null` (default), an empty entity, or an error. */
  setWebPanelMiss(mode: WebPanelMiss): void;
  /** Requests in total and per route key, e.g. `GET /{ctx}/api/v1/Archive/InternalUsers` (control calls excluded). */
  requests(): RequestCounts;
  /** Requests to one route key so far. */
  requestCount(routeKey: string): number;
  resetRequests(): void;
  /** The stored web panels of a tenant (default: the first), with owner app and user-group visibility. */
  webPanels(contextId?: string): StoredWebPanel[];
  /** A valid `8A:` access token without the browser dance, for tests that are not about sign-in. */
  issueAccessToken(options: IssueCredentialOptions): string;
  /** A `7T:` ticket; send it as `Authorization: SOTicket <t>` with `SO-AppToken: <client secret>`. */
  issueTicket(options: IssueCredentialOptions): string;
  /** The `UdListDefinitionId` of the web panel list (MDO list `Lists`, Type "webpanel"). */
  readonly webPanelListId: number;
  /** Appointments, ForeignSystem keys and the clock (appointment.control.ts). */
  readonly appointments: AppointmentSimControl;
  /** A tenant's webhooks, their deliveries and the retry-delay scale (webhook.store.ts); default: the first tenant. */
  webhooks(contextId?: string): WebhookStore;
  /** Persons with their "our contact" (person.control.ts), and the hook every person change passes. */
  readonly persons: PersonSimControl;
  /** Clears faults, latency, counts, codes, tokens, web panels and the web panel miss mode; re-seeds appointments and resets the clock. Keys and tenants stay. */
  reset(): void;
}

function tenantOf(sim: SimState, contextId: string | undefined): TenantState {
  const tenant = contextId ? sim.tenants.get(tenantKey(contextId)) : sim.tenants.values().next().value;
  if (!tenant) throw new Error(`Unknown tenant ${contextId ?? ''}`);
  return tenant;
}

export function createControl(sim: SimState): SuperOfficeSimControl {
  const credentialFor = (options: IssueCredentialOptions) => {
    const tenant = tenantOf(sim, options.contextId);
    const associate = tenant.associates.get(options.associateId);
    if (!associate) throw new Error(`No associate ${options.associateId} in ${tenant.tenant.contextId}`);
    const clientId = options.clientId ?? sim.clients.keys().next().value;
    if (!clientId || !sim.clients.has(clientId)) throw new Error(`Unknown client ${clientId ?? ''}`);
    return { contextId: tenant.tenant.contextId, associateId: associate.associateId, clientId };
  };
  const appointments = createAppointmentControl(sim);
  const persons = createPersonControl(sim);
  return {
    appointments,
    webhooks: (contextId) => (contextId ? sim.tenants.get(tenantKey(contextId)) : [...sim.tenants.values()][0])!.webhooks,
    persons,
    expireAccessTokens: () => sim.tokens.expireAccess(sim.clock()),
    revokeRefreshTokens: () => sim.tokens.revokeRefreshTokens(),
    failNext: (count, options) => sim.faults.failNext(count, options),
    setDown: (mode) => {
      sim.faults.down = mode;
    },
    setLatency: (ms) => {
      sim.faults.latencyMs = Math.max(0, ms);
    },
    setWebPanelMiss: (mode) => {
      sim.webPanelMiss = mode;
    },
    requests: () => sim.counter.snapshot(),
    requestCount: (key) => sim.counter.snapshot().byRoute[key] ?? 0,
    resetRequests: () => sim.counter.reset(),
    webPanels: (contextId) => tenantOf(sim, contextId).webPanels.list(),
    issueAccessToken: (options) => {
      const c = credentialFor(options);
      return sim.tokens.issueAccess(c.contextId, c.associateId, c.clientId, sim.clock() + sim.accessTokenTtlSeconds * 1000).token;
    },
    issueTicket: (options) => {
      const c = credentialFor(options);
      // Tickets live up to 6 hours.
      return sim.tokens.issueTicket(c.contextId, c.associateId, c.clientId, sim.clock() + 6 * 3600_000).token;
    },
    webPanelListId: WEBPANEL_LIST_ID,
    reset: () => {
      sim.faults.reset();
      sim.counter.reset();
      sim.tokens.clear();
      sim.webPanelMiss = 'null';
      for (const tenant of sim.tenants.values()) {
        tenant.webPanels.clear();
        tenant.webhooks.reset();
      }
      appointments.reset();
      persons.reset();
    },
  };
}

function numberOr(value: unknown, fallback: number | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function badRequest(ctx: Context, message: string): void {
  ctx.status = 400;
  ctx.body = { error: message };
}

/** `/__sim/…`: the control operations for tests and benchmarks running in another process. */
export function controlRouter(sim: SimState, control: SuperOfficeSimControl): Router {
  const router = new Router({ prefix: '/__sim' });
  router.use(bodyParser({ enableTypes: ['json'] }));

  const faultsView = () => ({
    failNext: sim.faults.failRemaining,
    status: sim.faults.failStatus,
    down: sim.faults.down,
    latencyMs: sim.faults.latencyMs,
  });

  router.post('/tokens/expire', (ctx) => {
    ctx.body = { expired: control.expireAccessTokens() };
  });
  router.post('/refresh-tokens/revoke', (ctx) => {
    ctx.body = { revoked: control.revokeRefreshTokens() };
  });

  router.get('/faults', (ctx) => {
    ctx.body = faultsView();
  });
  // Body: { failNext?, status?, retryAfterSeconds?, errorType?, message?, down?: "off"|"503"|"reset", latencyMs? }
  router.post('/faults', (ctx) => {
    const body = asBody(ctx.request.body);
    const down = field(body, 'down');
    if (down !== undefined && down !== 'off' && down !== '503' && down !== 'reset') return badRequest(ctx, 'down must be off, 503 or reset');
    const failNext = numberOr(field(body, 'failNext'), undefined);
    if (failNext !== undefined) {
      control.failNext(failNext, {
        status: numberOr(field(body, 'status'), undefined),
        retryAfterSeconds: numberOr(field(body, 'retryAfterSeconds'), undefined),
        errorType: typeof field(body, 'errorType') === 'string' ? (field(body, 'errorType') as string) : undefined,
        message: typeof field(body, 'message') === 'string' ? (field(body, 'message') as string) : undefined,
      });
    }
    if (down !== undefined) control.setDown(down);
    const latency = numberOr(field(body, 'latencyMs'), undefined);
    if (latency !== undefined) control.setLatency(latency);
    ctx.body = faultsView();
  });

  router.get('/requests', (ctx) => {
    ctx.body = control.requests();
  });
  router.delete('/requests', (ctx) => {
    control.resetRequests();
    ctx.status = 204;
  });

  // Every code, token and ticket handed out, so a test can look for them where they must not be.
  router.get('/issued', (ctx) => {
    ctx.body = { value: sim.tokens.issued() };
  });

  router.get('/webpanels', (ctx) => {
    const contextId = typeof ctx.query.ctx === 'string' ? ctx.query.ctx : undefined;
    if (contextId && !sim.tenants.has(tenantKey(contextId))) return badRequest(ctx, 'unknown tenant');
    ctx.body = control.webPanels(contextId);
  });

  const issue = (kind: 'token' | 'ticket') => (ctx: Context) => {
    const body = asBody(ctx.request.body);
    const associateId = field(body, 'associateId');
    const contextId = field(body, 'contextId');
    const clientId = field(body, 'clientId');
    if (typeof associateId !== 'number') return badRequest(ctx, 'associateId (number) is required');
    try {
      const options = {
        associateId,
        contextId: typeof contextId === 'string' ? contextId : undefined,
        clientId: typeof clientId === 'string' ? clientId : undefined,
      };
      ctx.body = kind === 'token' ? { access_token: control.issueAccessToken(options) } : { ticket: control.issueTicket(options) };
    } catch (err) {
      badRequest(ctx, (err as Error).message);
    }
  };
  router.post('/tokens', issue('token'));
  router.post('/tickets', issue('ticket'));

  appointmentControlRoutes(router, control.appointments);
  personControlRoutes(router, control.persons);

  router.post('/reset', (ctx) => {
    control.reset();
    ctx.status = 204;
  });

  return router;
}
