import type { ParameterizedContext } from 'koa';
import type { DemoAssociate, DemoTenant } from '../demo-tenant.types.js';
import type { RequestCounter } from '../request-counts.js';
import type { FaultState } from './faults.js';
import type { SigningKey } from './keys.js';
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
  /** Milliseconds since the epoch; tests pass a fake clock to expire codes and tokens. */
  clock?: () => number;
}

export interface TenantState {
  tenant: DemoTenant;
  associates: Map<number, DemoAssociate>;
  webPanels: WebPanelStore;
}

/** Everything the routes share. `baseUrl` is set once the server listens. */
export interface SimState {
  baseUrl: string;
  tenants: Map<string, TenantState>;
  clients: Map<string, RegisteredClient>;
  tokens: TokenStore;
  key: SigningKey;
  faults: FaultState;
  counter: RequestCounter;
  clock: () => number;
  accessTokenTtlSeconds: number;
  codeTtlSeconds: number;
  odataMaxPageSize: number;
}

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

export function webApiUrlOf(sim: SimState, contextId: string): string {
  return `${sim.baseUrl}/${contextId}/api/`;
}
