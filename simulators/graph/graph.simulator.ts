import Koa from 'koa';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { listenHttps } from '../https-server.js';
import { RequestCounter } from '../request-counts.js';
import { TokenVerifier } from './auth.js';
import { CalendarStore, SimClock } from './calendar-store.js';
import { seedDemoCalendars } from './calendar-seed.js';
import { ContactStore } from './contact-store.js';
import { contactControlRoutes } from './contacts.control.js';
import { calendarControlRoutes } from './calendar.control.js';
import { graphControlRoutes } from './control.routes.js';
import { GraphCore, routeTemplate } from './graph-core.js';
import { hasMailbox, TenantIndex, type GraphEnv } from './graph-env.js';
import { GraphError, graphErrors } from './graph-errors.js';
import type { GraphCall, GraphControl, MailboxCallers, GraphResult, GraphSimulator, GraphSimulatorOptions, ThrottleBudget } from './graph.types.js';
import { SubscriptionStore } from './subscriptions.js';
import { subscriptionControlRoutes } from './subscriptions.control.js';
import { ConcurrencyGate, FaultSwitch, WindowBudget } from './throttle.js';
import { TodoStore } from './todo-store.js';

export type { GraphControl, GraphFaults, GraphSimulator, GraphSimulatorOptions, SentMail, ThrottleBudget } from './graph.types.js';

/** Graph's identity limit for a large tenant (per app and tenant, per 10 s). */
export const DEFAULT_THROTTLE: ThrottleBudget = { limit: 8000, windowSeconds: 10 };
/** Outlook's per-mailbox limit: 10,000 requests per 10 minutes. */
export const DEFAULT_MAILBOX_BUDGET: ThrottleBudget = { limit: 10_000, windowSeconds: 600 };
/** `$batch` bodies may be up to 4 MB. */
const BODY_LIMIT = 4 * 1024 * 1024;

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) throw new GraphError(413, 'RequestEntityTooLarge', 'The request body is larger than 4 MB.');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw graphErrors.invalidJson();
  }
}

/**
 * Starts a local Microsoft Graph stand-in over HTTPS: `/v1.0/users` (paging, `$select`, `$top`,
 * `$filter`, `$search`, `$count`), `/users/{id}`, `mailboxSettings[/userPurpose]`, `sendMail`,
 * primary-calendar `events` and `calendarView/delta` (events.handlers.ts), contact folders and
 * contacts with per-folder delta (contacts.handlers.ts) and `$batch`, with
 * Entra-issued bearer tokens, throttling, injectable faults and a settable clock.
 */
export async function startGraphSimulator(options: GraphSimulatorOptions): Promise<GraphSimulator> {
  const tenants = [options.tenant, ...(options.otherTenants ?? [])];
  const simClock = new SimClock();
  const calendar = new CalendarStore(simClock);
  const env: GraphEnv = {
    baseUrl: '',
    directories: new Map(tenants.map((t) => [t.entraTenantId, new TenantIndex(t)])),
    sentMail: [],
    calendar,
    contacts: new ContactStore(simClock),
    subscriptions: new SubscriptionStore(() => calendar.clock.now()),
    todo: new TodoStore(simClock),
  };
  calendar.changeListeners.add((mailboxId, id, changeType) => env.subscriptions.notifyChange(mailboxId, 'events', id, changeType));
  env.contacts.changeListeners.add((mailboxId, id, changeType) => env.subscriptions.notifyChange(mailboxId, 'contacts', id, changeType));
  const seedCalendars = () => {
    if (options.calendarSeed === 'demo') seedDemoCalendars(env.calendar, options.tenant);
  };
  seedCalendars();
  const clock = () => env.calendar.clock.now();
  const initialThrottle = options.throttle === undefined ? DEFAULT_THROTTLE : options.throttle;
  const budget = new WindowBudget(initialThrottle, clock);
  const initialMailboxBudget = options.mailboxBudget === undefined ? DEFAULT_MAILBOX_BUDGET : options.mailboxBudget;
  const mailboxBudget = new WindowBudget(initialMailboxBudget, clock);
  const mailboxGate = new ConcurrencyGate(options.mailboxConcurrency ?? 4);
  const faults = new FaultSwitch();
  const counter = new RequestCounter();
  const batchItems = new RequestCounter();
  let throttledCount = 0;
  // Who called each mailbox, so a test can assert that no app token touched an OAuth-mode mailbox.
  const callers = new Map<string, MailboxCallers>();

  const app = new Koa();
  const core = new GraphCore({
    env,
    verifier: new TokenVerifier(options.authority, (tid) => env.directories.has(tid)),
    budget,
    mailboxBudget,
    mailboxGate,
    batchOrder: options.batchResponseOrder ?? 'shuffled',
    onBatchItem: (template) => batchItems.record(template),
    onThrottled: () => {
      throttledCount += 1;
    },
    onMailboxCall: (mailboxId, principal) => {
      let c = callers.get(mailboxId);
      if (!c) callers.set(mailboxId, (c = { app: 0, delegated: {} }));
      if (principal.kind === 'app') c.app += 1;
      else c.delegated[principal.userId ?? '?'] = (c.delegated[principal.userId ?? '?'] ?? 0) + 1;
    },
    onUnexpected: (err) => app.emit('error', err),
  });

  const control: GraphControl = {
    requests: () => ({ ...counter.snapshot(), batchItems: batchItems.snapshot().byRoute, throttled: throttledCount }),
    callers: () => Object.fromEntries([...callers].map(([id, c]) => [id, { app: c.app, delegated: { ...c.delegated } }])),
    resetRequests: () => {
      callers.clear();
      counter.reset();
      batchItems.reset();
      throttledCount = 0;
    },
    setFaults: (f) => faults.set(f),
    clearFaults: () => faults.clear(),
    faults: () => faults.snapshot(),
    setThrottle: (b) => budget.set(b),
    sentMail: () => env.sentMail.map((m) => ({ ...m })),
    setMailboxBudget: (b) => mailboxBudget.set(b),
    concurrency: () => {
      // Gate keys are `app|tenant|mailbox`: report the mailbox, worst app first.
      const peakByMailbox: Record<string, number> = {};
      for (const [key, peak] of Object.entries(mailboxGate.peakByKey())) {
        const id = key.split('|')[2] ?? key;
        peakByMailbox[id] = Math.max(peakByMailbox[id] ?? 0, peak);
      }
      return { limit: mailboxGate.limit, peakByMailbox };
    },
    calendar: env.calendar,
    subscriptions: env.subscriptions,
    contacts: env.contacts,
    todo: env.todo,
    reset: () => {
      env.subscriptions.reset();
      control.resetRequests();
      faults.clear();
      budget.set(initialThrottle);
      mailboxBudget.set(initialMailboxBudget);
      mailboxGate.resetPeaks();
      env.sentMail.length = 0;
      env.calendar.reset();
      env.contacts.reset();
      env.todo.reset();
      seedCalendars();
    },
  };

  const controlRouter = graphControlRoutes(control);
  // A bulk seed names mailboxes by object id; the store keys calendars by the directory's id.
  const mailboxOf = (id: string): string | null => {
    for (const d of env.directories.values()) {
      const m = d.find(id);
      if (m && m.id.toLowerCase() === id.toLowerCase() && hasMailbox(m)) return m.id;
    }
    return null;
  };
  const calendarControl = calendarControlRoutes(control, mailboxOf);
  app.use(controlRouter.routes()).use(controlRouter.allowedMethods());
  app.use(calendarControl.routes()).use(calendarControl.allowedMethods());
  const subscriptionControl = subscriptionControlRoutes(env.subscriptions);
  app.use(subscriptionControl.routes()).use(subscriptionControl.allowedMethods());
  const contactControl = contactControlRoutes(control, mailboxOf);
  app.use(contactControl.routes()).use(contactControl.allowedMethods());
  app.use(async (ctx) => {
    const clientRequestId = ctx.get('client-request-id') || randomUUID();
    const requestId = randomUUID();
    // `$batch`/`$count` may arrive percent-encoded; nothing else in our routes is.
    const m = /^\/(v1\.0|beta)(\/.*)?$/.exec(ctx.path.replace(/%24/gi, '$'));
    const path = m?.[2] ?? '/';
    const call: GraphCall = {
      method: ctx.method,
      path,
      rawQuery: ctx.querystring,
      query: new URLSearchParams(ctx.querystring),
      headers: Object.fromEntries(Object.entries(ctx.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : (v ?? '')])),
      body: undefined,
      requestId,
      clientRequestId,
    };
    const route = m ? routeTemplate(ctx.method, path) : `${ctx.method} (unmatched)`;
    counter.record(route);

    let result: GraphResult;
    const fault = faults.next(route);
    if (fault?.kind === 'unavailable') {
      result = core.errorResult(call, graphErrors.serviceUnavailable(fault.retryAfterSeconds));
    } else if (fault?.kind === 'throttled') {
      result = core.throttled(call, fault.retryAfterSeconds);
    } else if (!m || m[1] !== 'v1.0') {
      result = core.errorResult(call, graphErrors.badVersion(ctx.path.split('/')[1] ?? ''));
    } else {
      try {
        if (['POST', 'PUT', 'PATCH'].includes(ctx.method)) call.body = await readJsonBody(ctx.req);
        result = await core.execute(call, faults.delayMs);
        if (result.status < 300 && faults.takeCommitThenTimeout(route, ctx.method)) result.dropConnection = true;
      } catch (err) {
        result = core.errorResult(call, err);
      }
    }

    if (result.dropConnection) {
      // The write is committed; the client never hears back (a timeout or reset, as on a lost response).
      ctx.respond = false;
      ctx.req.socket.destroy();
      return;
    }
    ctx.set('request-id', requestId);
    ctx.set('client-request-id', clientRequestId);
    ctx.status = result.status;
    for (const [k, v] of Object.entries(result.headers)) ctx.set(k, v);
    if (result.body === undefined) {
      // No body at all (202 from sendMail): Koa would otherwise fill in the status text.
      ctx.set('Content-Length', '0');
      ctx.body = '';
      ctx.remove('Content-Type');
    } else {
      ctx.body = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
    }
  });

  const server = await listenHttps(app, options.port);
  env.baseUrl = server.url;
  return { url: server.url, control, close: () => server.close() };
}
