import type { DemoTenant } from '../demo-tenant.types.js';
import type { TokenAuthority } from '../entra/entra.types.js';
import type { RequestCounts } from '../request-counts.js';
import type { CalendarStore } from './calendar-store.js';
import type { SubscriptionStore } from './subscriptions.js';
import type { ContactStore } from './contact-store.js';
import type { TodoStore } from './todo-store.js';

/** A request budget per fixed window, per (app, tenant). */
export interface ThrottleBudget {
  limit: number;
  windowSeconds: number;
}

/** Switches for failure tests. Counts are consumed one per top-level request. */
export interface GraphFaults {
  /** Answer the next N requests with 503 `serviceNotAvailable`; 'persistent' until cleared; 0 = off. */
  unavailable?: number | 'persistent';
  /** Answer the next N requests with 429 `TooManyRequests` (a burst). */
  throttled?: number;
  /** `Retry-After` seconds on injected 503s and 429s (default 1). */
  retryAfterSeconds?: number;
  /** Delay every API response by this many milliseconds (0 = off). */
  delayMs?: number;
  /** Inject 503s and 429s only into requests of this route (as counted, e.g. `POST /v1.0/$batch`); null = all. */
  route?: string | null;
  /** Apply the next N successful writes, then destroy the connection instead of answering. */
  commitThenTimeout?: number;
}

export interface GraphSimulatorOptions {
  tenant: DemoTenant;
  /** More directories; the token's `tid` picks which one a request sees. */
  otherTenants?: DemoTenant[];
  /** Who issues the tokens Graph accepts: the Entra simulator's `control` (keys and issuer). */
  authority: TokenAuthority;
  port?: number;
  /**
   * Per (app, tenant) request budget; each API request and each `$batch` item costs 1. Default
   * 8,000 per 10 s (Graph's identity limit for a large tenant); null turns it off.
   */
  throttle?: ThrottleBudget | null;
  /** Outlook limit per (app, mailbox): concurrent requests (default 4). */
  mailboxConcurrency?: number;
  /** Outlook limit per (app, mailbox): requests per window (default 10,000 per 600 s). */
  mailboxBudget?: ThrottleBudget | null;
  /**
   * `$batch` answers may come in any order; 'shuffled' (default) returns them in a deterministic
   * non-request order so clients that rely on order fail in tests, not in production.
   */
  batchResponseOrder?: 'shuffled' | 'request';
  /** 'demo': a few user-made events in the first mailboxes' calendars (calendar-seed.ts); default none. */
  calendarSeed?: 'demo' | 'none';
}

export interface SentMail {
  /** Graph id of the mailbox that sent it. */
  userId: string;
  from: string | null;
  message: Record<string, unknown>;
  saveToSentItems: boolean;
  sentAt: string;
}

export interface GraphRequestCounts extends RequestCounts {
  /** Requests carried inside `$batch` envelopes, per route. */
  batchItems: Record<string, number>;
  /** Responses (top level and batch items) that were 429. */
  throttled: number;
}

/** Which tokens called one mailbox's data: the app's (client credentials) and each user's (delegated, by object id). */
export interface MailboxCallers {
  app: number;
  delegated: Record<string, number>;
}

export interface GraphControl {
  requests(): GraphRequestCounts;
  /** Per mailbox id: how many calls each kind of token made since the last reset (`resetRequests` clears it too). */
  callers(): Record<string, MailboxCallers>;
  resetRequests(): void;
  setFaults(faults: GraphFaults): void;
  clearFaults(): void;
  faults(): Required<GraphFaults>;
  /** Changes the (app, tenant) budget; windows restart. */
  setThrottle(budget: ThrottleBudget | null): void;
  sentMail(): SentMail[];
  /** Changes the per (app, mailbox) budget; windows restart. */
  setMailboxBudget(budget: ThrottleBudget | null): void;
  /** The most concurrent requests seen per mailbox id (max over apps), counting refused ones; the limit. */
  concurrency(): { limit: number; peakByMailbox: Record<string, number> };
  /** The calendars, their delta tokens, recorded invitations and the clock. */
  calendar: CalendarStore;
  /** Change-notification subscriptions, their deliveries and levers (subscriptions.ts); the contact store calls `notifyChange`. */
  subscriptions: SubscriptionStore;
  /** Contacts and contact folders, their delta tokens (contact-store.ts); seed a user's own contacts in `defaultFolderId(mailbox)`. */
  contacts: ContactStore;
  /** To Do lists and tasks (move, edit, complete, delete as a user would; `generation += 1` expires delta tokens). */
  todo: TodoStore;
  /** Counts, faults, throttle windows and sent mail back to the start-up state. */
  reset(): void;
}

export interface GraphSimulator {
  /** `https://127.0.0.1:<port>`; the API is under `/v1.0`. */
  url: string;
  control: GraphControl;
  close(): Promise<void>;
}

/** A Graph call as the core sees it, whether it came over HTTP or inside a `$batch`. */
export interface GraphCall {
  method: string;
  /** Path after the version, e.g. `/users/{id}/mailboxSettings/userPurpose`. */
  path: string;
  /** The raw query string without `?` (kept to build `@odata.nextLink`). */
  rawQuery: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: unknown;
  requestId: string;
  clientRequestId: string;
}

export interface GraphResult {
  status: number;
  headers: Record<string, string>;
  /** JSON body, or a string for text/plain answers; undefined for none. */
  body?: unknown;
  /** Commit-then-timeout: the write was applied, destroy the connection instead of answering. */
  dropConnection?: boolean;
}
