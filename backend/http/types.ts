import type { ParameterizedContext } from 'koa';
import type { Logger } from 'pino';
import type { Actor } from '../audit/audit.repository.js';
import type { Session } from '../auth/session.service.js';
import type { Config } from '../config.js';
import type { TenantRow } from '../db/database.js';
import type { Store } from '../db/store.js';
import type { Integration, MicrosoftIntegration } from '../integration.js';
import type { Graph } from '../microsoft/graph.client.js';
import type { SuperOfficeWebApi } from '../superoffice/webapi.client.js';

/** What the app is built from; tests pass their own store, clock and logger. */
export interface AppDeps {
  store: Store;
  config: Config;
  logger: Logger;
  clock: () => Date;
  /** SuperOffice and Microsoft 365; null when neither is configured (the API then serves stored data only). */
  integration?: Integration | null;
}

/**
 * The one typed request context every router and middleware reads (`ctx.state`). Logging gives
 * the request its id and logger, `decorateContext` (request-context.ts) the store, the clock and
 * the outside services, and `authenticate` the caller. Routers never build these themselves.
 */
export interface ApiState {
  requestId: string;
  log: Logger;
  store: Store;
  config: Config;
  /** The clock the app reads (tests move it). */
  now(): Date;
  /** SuperOffice and Microsoft 365 as configured, or null (stored data only). */
  integration: Integration | null;
  /** This backend's public URL, for links and redirect URIs. */
  publicUrl: string;
  /** The panel's origin: the only origin a popup ever posts to. */
  panelOrigin: string;
  /** Microsoft 365 as configured; 503 MicrosoftNotConfigured when it is not. */
  microsoft(): MicrosoftIntegration;

  // The caller: set by `authenticate` on the API routes.
  session: Session;
  token: string;
  /** Who acts, for the audit trail. */
  actor: Actor;
  /** The SuperOffice Web API as the caller, made on first use. */
  superoffice(): SuperOfficeWebApi;
  /**
   * Microsoft Graph for the caller's tenant (read unless given), made on first use; 409 until it
   * was approved in Microsoft 365.
   */
  graph(tenant?: TenantRow): Promise<Graph>;
}

export type ApiContext = ParameterizedContext<ApiState>;
