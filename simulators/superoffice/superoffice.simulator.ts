import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { RequestCounter } from '../request-counts.js';
import { controlRouter, createControl, type SuperOfficeSimControl } from './control.js';
import { AppointmentStore } from './appointment.store.js';
import { FaultState, routeKey } from './faults.js';
import { ForeignKeyStore } from './foreign-keys.js';
import { createSigningKey } from './keys.js';
import { IdpSessions } from './idp-session.js';
import { oidcRouter } from './oidc.routes.js';
import { PersonStore } from './person.store.js';
import { tenantKey, webApiUrlOf, type SimRequestState, type SimState, type SuperOfficeSimulatorOptions, type TenantState } from './sim.types.js';
import { systemUserRouter } from './system-user.routes.js';
import { tenantStatusRouter } from './tenant-status.routes.js';
import { TokenStore } from './token.store.js';
import { webApi } from './webapi.routes.js';
import { WebPanelStore } from './webpanel.store.js';
import { WebhookStore } from './webhook.store.js';

export type { RegisteredClient, SuperOfficeSimulatorOptions, WebPanelMiss } from './sim.types.js';
export type { SuperOfficeSimControl, IssueCredentialOptions } from './control.js';
export type { AppointmentSimControl, UserEditOptions } from './appointment.control.js';
export type { StoredAppointment } from './appointment.store.js';
export type { PersonSimControl, PersonEditOptions } from './person.control.js';
export type { StoredPerson, PersonFields, PersonChange } from './person.store.js';
export type { DownMode, FailNextOptions } from './faults.js';
export type { RequestCounts } from '../request-counts.js';
export type { StoredWebPanel, WebPanelEntity } from './webpanel.store.js';
export type { StoredWebhook, WebhookDelivery, WebhookStore } from './webhook.store.js';
export { CLAIM_PREFIX } from './id-token.js';

export interface SuperOfficeSimulator {
  /** SuperID's base URL, e.g. `http://127.0.0.1:51234`; also the OIDC issuer (like `https://sod.superoffice.com`). */
  url: string;
  /** The tenant's Web API base, `{web api host}/{ctx}/api/` (the `webapi_url` claim), on another port than `url`; default: the first tenant. */
  webApiUrl(contextId?: string): string;
  control: SuperOfficeSimControl;
  close(): Promise<void>;
}

function tenantStates(options: SuperOfficeSimulatorOptions, clock: () => number): Map<string, TenantState> {
  const tenants = Array.isArray(options.tenant) ? options.tenant : [options.tenant];
  if (tenants.length === 0) throw new Error('The SuperOffice simulator needs at least one tenant.');
  const out = new Map<string, TenantState>();
  for (const tenant of tenants) {
    const associates = new Map(tenant.associates.map((a) => [a.associateId, a]));
    const appointments = new AppointmentStore();
    const webhooks = new WebhookStore(tenant.contextId, clock);
    appointments.changeListeners.add((row, event, by) => webhooks.appointmentChanged(row, event, by));
    const persons = new PersonStore(tenant.contextId);
    // person.* webhooks (root-table changes only: an e-mail or phone row alone fires nothing, SuperOffice docs).
    persons.onPersonChange((c) =>
      webhooks.personChanged({ personId: c.person.personId, associateId: c.associateId, contactId: c.person.contactId }, c.event.slice('person.'.length) as 'created' | 'changed' | 'deleted', c.person.updatedBy),
    );
    out.set(tenantKey(tenant.contextId), { tenant, associates, webPanels: new WebPanelStore(), appointments, foreignKeys: new ForeignKeyStore(), webhooks, persons });
  }
  return out;
}

/** Counts every request except the control API's, before any fault can answer it. */
function countRequests(sim: SimState): Koa.Middleware {
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/__sim')) sim.counter.record(routeKey(ctx.method, ctx.path, (s) => sim.tenants.has(tenantKey(s))));
    await next();
  };
}

/**
 * A local SuperOffice Online: SuperID (OIDC auth code + PKCE) and the Web API calls this app
 * makes, for one or more demo tenants, on 127.0.0.1 over HTTP: SuperID on one port, the tenants' Web API
 * (`webapi_url`) on another.
 */
export async function startSuperOfficeSimulator(options: SuperOfficeSimulatorOptions): Promise<SuperOfficeSimulator> {
  const clock = options.clock ?? Date.now;
  const sim: SimState = {
    baseUrl: '',
    webApiBaseUrl: '',
    tenants: tenantStates(options, clock),
    clients: new Map(options.clients.map((c) => [c.clientId, c])),
    tokens: new TokenStore(),
    idpSessions: new IdpSessions(clock),
    key: await createSigningKey(),
    faults: new FaultState(),
    counter: new RequestCounter(),
    clock,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    codeTtlSeconds: options.codeTtlSeconds ?? 60,
    odataMaxPageSize: options.odataMaxPageSize ?? 1000,
    odataNextLinkWithTop: options.odataNextLinkWithTop ?? false,
    databaseContextIdentifier: options.databaseContextIdentifier ?? ((contextId) => contextId),
    webPanelMiss: 'null',
    timeZone: options.timeZone ?? 'Europe/Oslo',
  };
  const control = createControl(sim);

  // SuperID and the Web API are two hosts, as in Online (`online.superoffice.com` signs in,
  // the tenant's `webapi_url` serves data): a client must use `webapi_url`, not the SuperID URL.
  const superId = new Koa<SimRequestState>({ proxy: false });
  const webApiHost = new Koa<SimRequestState>({ proxy: false });
  for (const app of [superId, webApiHost]) {
    // Dropped connections ("reset" mode) and client aborts are expected here, not worth a log line.
    app.on('error', () => {});
    app.use(countRequests(sim));
  }
  for (const router of [controlRouter(sim, control), oidcRouter(sim), systemUserRouter(sim), tenantStatusRouter(sim)]) {
    superId.use(router.routes());
    superId.use(router.allowedMethods());
  }
  webApiHost.use(webApi(sim));

  const servers: Server[] = [createServer(superId.callback()), createServer(webApiHost.callback())];
  const [superIdPort, webApiPort] = await Promise.all(
    servers.map(async (server, i) => {
      server.listen(i === 0 ? (options.port ?? 0) : 0, '127.0.0.1');
      await once(server, 'listening');
      return (server.address() as AddressInfo).port;
    }),
  );
  sim.baseUrl = `http://127.0.0.1:${superIdPort}`;
  sim.webApiBaseUrl = `http://127.0.0.1:${webApiPort}`;

  const firstContext = [...sim.tenants.values()][0]?.tenant.contextId ?? '';
  return {
    url: sim.baseUrl,
    webApiUrl: (contextId = firstContext) => webApiUrlOf(sim, contextId),
    control,
    close: async () => {
      await Promise.all(
        servers.map((server) => {
          const closed = new Promise<void>((resolve) => server.close(() => resolve()));
          server.closeAllConnections();
          return closed;
        }),
      );
    },
  };
}
