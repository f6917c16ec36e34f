import type { ParameterizedContext } from 'koa';
import type { DemoAssociate, DemoTenant } from '../demo-tenant.types.js';
import type { RequestCounter } from '../request-counts.js';
import type { AppointmentStore } from './appointment.store.js';
import type { FaultState } from './faults.js';
import type { WebhookStore } from './webhook.store.js';
import type { ForeignKeyStore } from './foreign-keys.js';
import type { SigningKey } from './keys.js';
import type { IdpSessions } from './idp-session.js';
import type { PersonStore } from './person.store.js';
import type { TokenStore } from './token.store.js';
import type { WebPanelStore } from './webpanel.store.js';

/** An app as registered in the SuperOffice Developer Portal. */
export interface RegisteredClient {
  clientId: string;
  /** The "application token": the OAuth client secret and the `SO-AppToken` header value. */
  clientSecret: string;
  /** Redirect URIs compared exactly, as SuperID does. */
  redirectUris: string[];
  /** Prefix of the `system_token` claim; defaults to the client id. */
  appName?: string;
  /** PEM of the public key registered for the system user (Developer Portal certificate). */
  systemUserPublicKey?: string;
}

export interface SuperOfficeSimulatorOptions {
  /** The tenant(s) served; each is reachable at `/{contextId}/api/`. */
  tenant: DemoTenant | DemoTenant[];
  clients: RegisteredClient[];
  /** 0 (default) picks a free port. The server binds 127.0.0.1 only. */
  port?: number;
  /** `expires_in` of access tokens; the docs say 3600 but best practice says treat it as variable. */
  accessTokenTtlSeconds?: number;
  /** Lifetime of authorization codes (SuperID documents 10 minutes; short by default to catch slow callers). */
  codeTtlSeconds?: number;
  /** Rows per OData page when `$top` is absent or larger; nextLink then points at the rest. */
  odataMaxPageSize?: number;
  /**
   * Also send `odata.nextLink` when the client set `$top` (undocumented; a real capture shows
   * `null`, the default here). For testing clients that must treat the link as a hint only.
   */
  odataNextLinkWithTop?: boolean;
  /**
   * What `currentPrincipal` reports as `DatabaseContextIdentifier` for a tenant; its context id by
   * default. The case may differ from the `ctx` claim's, and an Onsite installation may send an
   * empty string [INF], so clients must compare without case and treat "" as none.
   */
  databaseContextIdentifier?: (contextId: string) => string;
  /** Milliseconds since the epoch; tests pass a fake clock to expire codes and tokens. */
  clock?: () => number;
  /** The tenant's time zone (IANA), in which entity dates without `SO-TimeZone` are wall-clock times; Europe/Oslo by default. */
  timeZone?: string;
}

export interface TenantState {
  tenant: DemoTenant;
  associates: Map<number, DemoAssociate>;
  webPanels: WebPanelStore;
  appointments: AppointmentStore;
  foreignKeys: ForeignKeyStore;
  /** Webhooks and their deliveries (webhook.store.ts); fed by the appointment store (and the person store, through `personChanged`). */
  webhooks: WebhookStore;
  persons: PersonStore;
}

/** Everything the routes share. `baseUrl` and `webApiBaseUrl` are set once the servers listen. */
export interface SimState {
  /** SuperID: OIDC, system user, tenant status (like `https://online.superoffice.com`). */
  baseUrl: string;
  /** The tenants' Web API host, another origin than SuperID's (like `https://online3.superoffice.com`). */
  webApiBaseUrl: string;
  tenants: Map<string, TenantState>;
  clients: Map<string, RegisteredClient>;
  tokens: TokenStore;
  /** Browsers signed in at SuperID (its session cookie). */
  idpSessions: IdpSessions;
  key: SigningKey;
  faults: FaultState;
  counter: RequestCounter;
  clock: () => number;
  accessTokenTtlSeconds: number;
  codeTtlSeconds: number;
  odataMaxPageSize: number;
  odataNextLinkWithTop: boolean;
  databaseContextIdentifier: (contextId: string) => string;
  webPanelMiss: WebPanelMiss;
  /** IANA zone of the tenants' wall-clock dates. */
  timeZone: string;
}

/**
 * What `GetWebPanelByProgId` answers for a ProgId no panel has. Undocumented: the agent's
 * "not found" is usually 200 `null`, but an empty entity (`WebPanelId` 0) or a not-found error
 * are as plausible [INF], so a client must take all three as "no such panel".
 */
export type WebPanelMiss = 'null' | 'empty' | 'error';

/** Who a Web API request runs as, resolved from its Authorization header. */
export interface Caller {
  tenant: TenantState;
  associate: DemoAssociate;
  /** The app the token was issued to (the owner of web panels it creates). */
  clientId: string;
}

export interface SimRequestState {
  sim: SimState;
  caller: Caller;
}

export type SimContext = ParameterizedContext<SimRequestState>;

/** Tenants are looked up case-insensitively, as IIS routes are. */
export function tenantKey(contextId: string): string {
  return contextId.toLowerCase();
}

/** The `webapi_url` of a tenant: on the Web API host, never SuperID's. */
export function webApiUrlOf(sim: SimState, contextId: string): string {
  return `${sim.webApiBaseUrl}/${contextId}/api/`;
}

/**
 * The Web API as its own links name it: the same server under another host name than
 * `webapi_url` (the native-app quickstart's capture names `sod.superoffice.com:443`), so a client
 * that insists on equal hosts fails here as it could in Online.
 */
export function linkBaseOf(sim: SimState): string {
  return sim.webApiBaseUrl.replace('//127.0.0.1:', '//localhost:');
}
