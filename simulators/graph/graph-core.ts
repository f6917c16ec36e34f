import { setTimeout as sleep } from 'node:timers/promises';
import type { Principal, TokenVerifier } from './auth.js';
import { runBatch } from './batch.js';
import type { GraphEnv } from './graph-env.js';
import { errorBody, GraphError, graphErrors, tooManyRequestsBody } from './graph-errors.js';
import type { GraphCall, GraphResult } from './graph.types.js';
import type { ConcurrencyGate, WindowBudget } from './throttle.js';
import { calendarView, calendarViewDelta, createEvent, deleteEvent, getEvent, listEvents, updateEvent } from './events.handlers.js';
import { contactRoutes } from './contacts.routes.js';
import { getOrganization } from './organization.handlers.js';
import { countUsers, getMailboxSettings, getUser, listUsers, sendMail } from './users.handlers.js';
import { todoRoutes } from './todo.routes.js';

export interface Route {
  method: string;
  pattern: RegExp;
  /** For request counts: `GET /v1.0/users/{id}/mailboxSettings/userPurpose`. */
  template: string;
  /** Outlook-backed: throttled per (app, mailbox) as well. */
  mailbox?: boolean;
  /** `$batch` itself costs nothing; its items do. */
  free?: boolean;
  run(core: GraphCore, call: GraphCall, principal: Principal, params: string[]): GraphResult | Promise<GraphResult>;
}

const ID = '([^/]+)';
const ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/organization\/?$/i, template: '/organization', run: (c, call, p) => getOrganization(c.env, call, p) },
  { method: 'GET', pattern: /^\/users\/?$/i, template: '/users', run: (c, call, p) => listUsers(c.env, call, p) },
  { method: 'GET', pattern: /^\/users\/\$count$/i, template: '/users/$count', run: (c, call, p) => countUsers(c.env, call, p) },
  {
    method: 'GET',
    pattern: new RegExp(`^/users/${ID}/mailboxSettings/userPurpose$`, 'i'),
    template: '/users/{id}/mailboxSettings/userPurpose',
    mailbox: true,
    run: (c, _call, p, [id]) => getMailboxSettings(c.env, p, id!, true),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/users/${ID}/mailboxSettings$`, 'i'),
    template: '/users/{id}/mailboxSettings',
    mailbox: true,
    run: (c, _call, p, [id]) => getMailboxSettings(c.env, p, id!, false),
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/users/${ID}/sendMail$`, 'i'),
    template: '/users/{id}/sendMail',
    mailbox: true,
    run: (c, call, p, [id]) => sendMail(c.env, call, p, id!),
  },
  ...eventRoutes(),
  ...todoRoutes(),
  ...subscriptionRoutes(),
  ...contactRoutes(),
  { method: 'GET', pattern: new RegExp(`^/users/${ID}$`, 'i'), template: '/users/{id}', run: (c, call, p, [id]) => getUser(c.env, call, p, id!) },
  {
    method: 'POST',
    pattern: /^\/\$batch$/,
    template: '/$batch',
    free: true,
    run: (c, call) => runBatch(call, (item) => c.executeBatchItem(item), c.batchOrder),
  },
];

/** `/users/{id}/events` and its alias `/users/{id}/calendar/events` (api/user-list-events). */
function eventRoutes(): Route[] {
  const routes: Route[] = [];
  for (const [prefix, label] of [['events', 'events'], ['calendar/events', 'calendar/events']] as const) {
    const one = new RegExp(`^/users/${ID}/${prefix}/${ID}$`, 'i');
    const all = new RegExp(`^/users/${ID}/${prefix}/?$`, 'i');
    const t = `/users/{id}/${label}`;
    routes.push(
      { method: 'GET', pattern: all, template: t, mailbox: true, run: (c, call, p, [u]) => listEvents(c.env, call, p, u!) },
      { method: 'POST', pattern: all, template: t, mailbox: true, run: (c, call, p, [u]) => createEvent(c.env, call, p, u!) },
      { method: 'GET', pattern: one, template: `${t}/{id}`, mailbox: true, run: (c, call, p, [u, id]) => getEvent(c.env, call, p, u!, id!) },
      { method: 'PATCH', pattern: one, template: `${t}/{id}`, mailbox: true, run: (c, call, p, [u, id]) => updateEvent(c.env, call, p, u!, id!) },
      { method: 'DELETE', pattern: one, template: `${t}/{id}`, mailbox: true, run: (c, call, p, [u, id]) => deleteEvent(c.env, call, p, u!, id!) },
    );
  }
  routes.push({
    method: 'GET',
    pattern: new RegExp(`^/users/${ID}/calendarView/?$`, 'i'),
    template: '/users/{id}/calendarView',
    mailbox: true,
    run: (c, call, p, [u]) => calendarView(c.env, call, p, u!),
  });
  routes.push({
    method: 'GET',
    pattern: new RegExp(`^/users/${ID}/calendarView/delta$`, 'i'),
    template: '/users/{id}/calendarView/delta',
    mailbox: true,
    run: (c, call, p, [u]) => calendarViewDelta(c.env, call, p, u!),
  });
  return routes;
}

/** Change-notification subscriptions (api/subscription-post-subscriptions and its siblings). */
function subscriptionRoutes(): Route[] {
  const all = /^\/subscriptions\/?$/i;
  const one = new RegExp(`^/subscriptions/${ID}$`, 'i');
  return [
    { method: 'POST', pattern: all, template: '/subscriptions', run: (c, call, p) => c.env.subscriptions.create(c.env, call, p) },
    { method: 'GET', pattern: all, template: '/subscriptions', run: (c, _call, p) => c.env.subscriptions.list(c.env, p) },
    { method: 'GET', pattern: one, template: '/subscriptions/{id}', run: (c, _call, p, [id]) => c.env.subscriptions.get(c.env, p, id!) },
    { method: 'PATCH', pattern: one, template: '/subscriptions/{id}', run: (c, call, p, [id]) => c.env.subscriptions.update(c.env, call, p, id!) },
    { method: 'DELETE', pattern: one, template: '/subscriptions/{id}', run: (c, _call, p, [id]) => c.env.subscriptions.delete(p, id!) },
  ];
}

type Match = { route: Route; params: string[] } | { error: GraphError };

function match(method: string, path: string): Match {
  let pathMatched = false;
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (route.method === method) return { route, params: m.slice(1).map(decodeURIComponent) };
  }
  if (pathMatched) return { error: graphErrors.methodNotAllowed() };
  // Graph names the first segment it could not resolve: the root, or the one after a user.
  const segments = path.split('/').filter(Boolean);
  const segment = segments[0]?.toLowerCase() === 'users' ? (segments[segments.length - 1] ?? '') : (segments[0] ?? '');
  return { error: graphErrors.segmentNotFound(decodeURIComponent(segment)) };
}

/** The route template a request counts under (`(unmatched)` for the rest). */
export function routeTemplate(method: string, path: string): string {
  const m = match(method, path);
  return 'route' in m ? `${method} /v1.0${m.route.template}` : `${method} (unmatched)`;
}

export interface CoreOptions {
  env: GraphEnv;
  verifier: TokenVerifier;
  budget: WindowBudget;
  mailboxBudget: WindowBudget;
  mailboxGate: ConcurrencyGate;
  batchOrder: 'shuffled' | 'request';
  /** Told about every batch item (for counts) and every 429 answered. */
  onBatchItem(template: string): void;
  onThrottled(): void;
  /** Told which token made each call on a mailbox (app or which user), before throttling. */
  onMailboxCall(mailboxId: string, principal: Principal): void;
  onUnexpected(err: unknown): void;
}

/**
 * One Graph call end to end — authenticate, route, throttle, handle — turning errors into
 * Graph's envelopes. HTTP requests and `$batch` items both come through here.
 */
export class GraphCore {
  readonly env: GraphEnv;
  readonly batchOrder: 'shuffled' | 'request';

  constructor(private readonly o: CoreOptions) {
    this.env = o.env;
    this.batchOrder = o.batchOrder;
  }

  async execute(call: GraphCall, delayMs = 0): Promise<GraphResult> {
    let release: (() => void) | undefined;
    try {
      const principal = await this.o.verifier.verify(call.headers.authorization);
      const m = match(call.method, call.path);
      if ('error' in m) throw m.error;
      const { route, params } = m;
      const appKey = `${principal.appId}|${principal.tenantId}`;
      if (!route.free) {
        const retryAfter = this.o.budget.take(appKey);
        if (retryAfter !== null) return this.throttled(call, retryAfter, principal);
      }
      if (route.mailbox) {
        // Keyed by the mailbox, whether the caller named it by id or by UPN.
        const mailboxId = this.env.directories.get(principal.tenantId)?.find(params[0] ?? '')?.id ?? (params[0] ?? '').toLowerCase();
        const mailboxKey = `${appKey}|${mailboxId}`;
        this.o.onMailboxCall(mailboxId, principal);
        const retryAfter = this.o.mailboxBudget.take(mailboxKey);
        if (retryAfter !== null) return this.throttled(call, retryAfter, principal);
        if (!this.o.mailboxGate.tryAcquire(mailboxKey)) throw graphErrors.mailboxConcurrency(1);
        release = () => this.o.mailboxGate.release(mailboxKey);
      }
      if (delayMs > 0) await sleep(delayMs);
      return await route.run(this, call, principal, params);
    } catch (err) {
      return this.errorResult(call, err);
    } finally {
      release?.();
    }
  }

  executeBatchItem(call: GraphCall): Promise<GraphResult> {
    this.o.onBatchItem(routeTemplate(call.method, call.path));
    return this.execute(call);
  }

  /** 429 with `Retry-After` (whole seconds) and, for directory calls, Graph's throttle-scope headers. */
  throttled(call: GraphCall, retryAfter: number, principal?: Principal): GraphResult {
    this.o.onThrottled();
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Retry-After': String(retryAfter) };
    if (principal && /^\/users\/?(\$count)?$/i.test(call.path)) {
      headers['x-ms-throttle-scope'] = `Tenant_Application/ReadOnly/${principal.appId}/${principal.tenantId}`;
      headers['x-ms-throttle-information'] = 'ResourceUnitLimitExceeded';
    }
    return { status: 429, headers, body: tooManyRequestsBody(call) };
  }

  errorResult(call: GraphCall, err: unknown): GraphResult {
    if (!(err instanceof GraphError)) {
      this.o.onUnexpected(err);
      err = new GraphError(500, 'InternalServerError', 'The simulator failed unexpectedly.');
    }
    const e = err as GraphError;
    if (e.status === 429) this.o.onThrottled();
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...e.headers };
    if (e.status === 401) {
      headers['WWW-Authenticate'] = `Bearer realm="", authorization_uri="${this.o.verifier.authorizationUri}", client_id="00000003-0000-0000-c000-000000000000"`;
    }
    return { status: e.status, headers, body: errorBody(e.code, e.message, call) };
  }
}
