import type { ParameterizedContext } from 'koa';
import type { Logger } from 'pino';
import type { Session } from '../auth/session.service.js';
import type { Config } from '../config.js';
import type { Store } from '../db/store.js';
import type { Integration } from '../integration.js';

/** What the app is built from; tests pass their own store, clock and logger. */
export interface AppDeps {
  store: Store;
  config: Config;
  logger: Logger;
  clock: () => Date;
  /** SuperOffice and Microsoft 365; null when neither is configured (the API then serves stored data only). */
  integration?: Integration | null;
}

export interface ApiState {
  deps: AppDeps;
  requestId: string;
  log: Logger;
  session: Session;
  token: string;
}

export type ApiContext = ParameterizedContext<ApiState>;
