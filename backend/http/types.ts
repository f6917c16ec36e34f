import type { ParameterizedContext } from 'koa';
import type { Logger } from 'pino';
import type { Session } from '../auth/session.service.js';
import type { Config } from '../config.js';
import type { Store } from '../db/store.js';

/** What the app is built from; tests pass their own store, clock and logger. */
export interface AppDeps {
  store: Store;
  config: Config;
  logger: Logger;
  clock: () => Date;
}

export interface ApiState {
  deps: AppDeps;
  requestId: string;
  log: Logger;
  session: Session;
  token: string;
}

export type ApiContext = ParameterizedContext<ApiState>;
