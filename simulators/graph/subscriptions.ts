import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { requireCalendarsRead, type Principal } from './auth.js';
import { directoryOf, GRAPH_JSON, hasMailbox, type GraphEnv } from './graph-env.js';
import { GraphError, graphErrors } from './graph-errors.js';
import type { GraphCall, GraphResult } from './graph.types.js';

/**
 * Change notifications over webhooks, as Graph documents them:
 * - api/subscription-post-subscriptions, api/subscription-update, api/subscription-delete,
 *   api/subscription-list, resources/subscription (fields, clientState ≤ 128 characters, the
 *   maximum lifetime of an Outlook event or contact subscription: 10,080 minutes);
 * - concepts/change-notifications-delivery-webhooks (the validation request: `POST
 *   {notificationUrl}?validationToken=…`, answered 200 with the token as text/plain within 10 s,
 *   else no subscription; notifications acknowledged by a 2xx within 3 s, else retried with
 *   back-off for up to 4 hours, then dropped);
 * - concepts/change-notifications-lifecycle-events (`reauthorizationRequired`,
 *   `subscriptionRemoved`, `missed` to the lifecycleNotificationUrl, which is given at creation only).
 * Where the pages leave room, the stricter reading: an unknown resource or change type is a 400,
 * and the lifecycle URL is validated like the notification URL.
 */

export const MAX_MINUTES = 10_080;
const VALIDATION_TIMEOUT_MS = 10_000;
const ACK_TIMEOUT_MS = 3_000;
const CHANGE_TYPES = new Set(['created', 'updated', 'deleted']);

export type ChangeType = 'created' | 'updated' | 'deleted';
export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

export interface StoredSubscription {
  id: string;
  appId: string;
  tenantId: string;
  /** The resource as the client wrote it, and the mailbox and collection it names. */
  resource: string;
  mailboxId: string;
  collection: 'events' | 'contacts';
  changeTypes: Set<ChangeType>;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expiresMs: number;
}

/** One delivery attempt the simulator made, for tests: what was sent where and what came back. */
export interface Delivery {
  kind: 'validation' | 'notification' | 'lifecycle';
  url: string;
  subscriptionId: string | null;
  status: number | 'timeout' | 'error';
  attempt: number;
  at: number;
  body?: unknown;
}

export interface SubscriptionSettings {
  /** Notifications are not sent at all ("lost notifications"); the subscription stays. */
  dropNotifications: boolean;
  /** Back-off of retries, in ms: attempt n waits base × 2^(n−1). Graph's own is minutes; tests shrink it. */
  retryBaseMs: number;
  /** Retries after the first attempt before a notification is dropped (Graph: up to 4 hours' worth). */
  maxRetries: number;
}

const bad = (message: string) => new GraphError(400, 'InvalidRequest', message);
const notFound = () => new GraphError(404, 'ResourceNotFound', 'The object was not found.');

function view(s: StoredSubscription): Record<string, unknown> {
  return {
    id: s.id,
    resource: s.resource,
    applicationId: s.appId,
    changeType: [...s.changeTypes].join(','),
    clientState: s.clientState,
    notificationUrl: s.notificationUrl,
    lifecycleNotificationUrl: s.lifecycleNotificationUrl,
    expirationDateTime: new Date(s.expiresMs).toISOString(),
    creatorId: s.appId,
    latestSupportedTlsVersion: 'v1_2',
    notificationContentType: null,
    includeResourceData: false,
  };
}

/** Graph sends to HTTPS only; loopback HTTP is let through so a local backend can be the target in tests and the demo. */
function checkUrl(url: unknown, field: string): string {
  if (typeof url !== 'string') throw bad(`${field} is required.`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw bad(`${field} is not a valid URL.`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) throw bad(`${field} must use https.`);
  return url;
}

export class SubscriptionStore {
  readonly subscriptions = new Map<string, StoredSubscription>();
  readonly deliveries: Delivery[] = [];
  settings: SubscriptionSettings = { dropNotifications: false, retryBaseMs: 1000, maxRetries: 4 };
  /** Deliveries under way, so `close` and tests can wait for them. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly now: () => number) {}

  reset(): void {
    this.subscriptions.clear();
    this.deliveries.length = 0;
    this.settings = { dropNotifications: false, retryBaseMs: 1000, maxRetries: 4 };
  }

  /** Resolves once every delivery started so far (retries included) has ended. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private live(s: StoredSubscription): boolean {
    if (s.expiresMs > this.now()) return true;
    // An expired subscription is gone (Graph deletes it); the app must create a new one.
    this.subscriptions.delete(s.id);
    return false;
  }

  /**
   * A change in a mailbox's `events` or `contacts`: one notification to each live subscription on
   * it whose changeType covers it. The contact store calls this for contacts.
   */
  notifyChange(mailboxId: string, collection: 'events' | 'contacts', itemId: string, changeType: ChangeType): void {
    for (const s of [...this.subscriptions.values()]) {
      if (s.mailboxId !== mailboxId || s.collection !== collection || !s.changeTypes.has(changeType) || !this.live(s)) continue;
      if (this.settings.dropNotifications) continue;
      const body = {
        value: [
          {
            subscriptionId: s.id,
            subscriptionExpirationDateTime: new Date(s.expiresMs).toISOString(),
            clientState: s.clientState,
            changeType,
            resource: `Users/${mailboxId}/${collection === 'events' ? 'Events' : 'Contacts'}/${itemId}`,
            resourceData: { '@odata.type': collection === 'events' ? '#Microsoft.Graph.Event' : '#Microsoft.Graph.Contact', '@odata.id': `Users/${mailboxId}/${collection}/${itemId}`, id: itemId },
            tenantId: s.tenantId,
          },
        ],
      };
      this.track(this.deliver('notification', s.notificationUrl, s.id, body));
    }
  }

  /** Control lever: sends a lifecycle event; `subscriptionRemoved` also removes the subscription. */
  lifecycle(id: string, event: LifecycleEvent): boolean {
    const s = this.subscriptions.get(id);
    if (!s || !s.lifecycleNotificationUrl) return false;
    if (event === 'subscriptionRemoved') this.subscriptions.delete(id);
    const body = {
      value: [
        {
          subscriptionId: s.id,
          subscriptionExpirationDateTime: new Date(s.expiresMs).toISOString(),
          tenantId: s.tenantId,
          clientState: s.clientState,
          lifecycleEvent: event,
        },
      ],
    };
    this.track(this.deliver('lifecycle', s.lifecycleNotificationUrl, s.id, body));
    return true;
  }

  /** Control lever: the subscription's time is up now (it is gone at the next change or read). */
  expire(id: string): boolean {
    const s = this.subscriptions.get(id);
    if (!s) return false;
    s.expiresMs = this.now() - 1;
    return true;
  }

  private async post(url: string, body: unknown, timeoutMs: number): Promise<{ status: number; text: string } | 'timeout' | 'error'> {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: res.status, text: await res.text() };
    } catch (err) {
      return (err as Error)?.name === 'TimeoutError' ? 'timeout' : 'error';
    }
  }

  /** Delivers with Graph's retries: a 2xx within 3 s acknowledges, anything else is tried again later. */
  private async deliver(kind: 'notification' | 'lifecycle', url: string, subscriptionId: string, body: unknown): Promise<void> {
    for (let attempt = 1; attempt <= this.settings.maxRetries + 1; attempt++) {
      if (attempt > 1) await sleep(this.settings.retryBaseMs * 2 ** (attempt - 2));
      const r = await this.post(url, body, ACK_TIMEOUT_MS);
      const status = typeof r === 'string' ? r : r.status;
      this.deliveries.push({ kind, url, subscriptionId, status, attempt, at: Date.now(), body });
      if (typeof status === 'number' && status >= 200 && status < 300) return;
    }
  }

  /** The validation request; true when the endpoint echoed the token as text/plain within 10 s. */
  private async validate(url: string): Promise<boolean> {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
    const target = new URL(url);
    target.searchParams.set('validationToken', token);
    let status: Delivery['status'] = 'error';
    let ok = false;
    try {
      const res = await fetch(target, { method: 'POST', headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: '', signal: AbortSignal.timeout(VALIDATION_TIMEOUT_MS) });
      status = res.status;
      const text = await res.text();
      ok = res.status === 200 && (res.headers.get('content-type') ?? '').toLowerCase().startsWith('text/plain') && text === token;
    } catch (err) {
      status = (err as Error)?.name === 'TimeoutError' ? 'timeout' : 'error';
    }
    this.deliveries.push({ kind: 'validation', url, subscriptionId: null, status, attempt: 1, at: Date.now() });
    return ok;
  }

  /** `expirationDateTime`: required, in the future, at most 10,080 minutes ahead. */
  private expiry(value: unknown): number {
    const ms = typeof value === 'string' ? Date.parse(value) : NaN;
    if (Number.isNaN(ms)) throw bad('expirationDateTime is required and must be a date and time.');
    const now = this.now();
    if (ms <= now) throw bad('Subscription expiration can only be in the future.');
    if (ms > now + MAX_MINUTES * 60_000) throw bad(`Subscription expiration can only be ${MAX_MINUTES} minutes in the future.`);
    return ms;
  }

  private resource(env: GraphEnv, p: Principal, value: unknown): { mailboxId: string; collection: 'events' | 'contacts' } {
    const m = typeof value === 'string' ? /^\/?(?:users|me)\/([^/]+)\/(events|contacts)$/i.exec(value) : null;
    if (!m) throw bad('The resource is not supported: use /users/{id}/events or /users/{id}/contacts.');
    const user = directoryOf(env, p).find(decodeURIComponent(m[1]!));
    if (!user) throw graphErrors.userNotFound(m[1]!);
    // Reading the resource is what the subscription needs (Calendars.Read / Contacts.Read); the
    // calendar check stands in for both here.
    requireCalendarsRead(p, user.id);
    if (!hasMailbox(user)) throw graphErrors.mailboxNotEnabled();
    return { mailboxId: user.id, collection: m[2]!.toLowerCase() as 'events' | 'contacts' };
  }

  private mine(p: Principal, id: string): StoredSubscription {
    const s = this.subscriptions.get(id);
    if (!s || s.appId !== p.appId || s.tenantId !== p.tenantId || !this.live(s)) throw notFound();
    return s;
  }

  async create(env: GraphEnv, call: GraphCall, p: Principal): Promise<GraphResult> {
    const b = (call.body ?? {}) as Record<string, unknown>;
    if (typeof call.body !== 'object' || call.body === null) throw graphErrors.invalidJson();
    const changeTypes = new Set(String(b.changeType ?? '').split(',').map((t) => t.trim()));
    if (changeTypes.size === 0 || ![...changeTypes].every((t) => CHANGE_TYPES.has(t))) throw bad('changeType must be a comma-separated list of created, updated, deleted.');
    const notificationUrl = checkUrl(b.notificationUrl, 'notificationUrl');
    const lifecycleNotificationUrl = b.lifecycleNotificationUrl === undefined || b.lifecycleNotificationUrl === null ? null : checkUrl(b.lifecycleNotificationUrl, 'lifecycleNotificationUrl');
    if (b.clientState !== undefined && b.clientState !== null && (typeof b.clientState !== 'string' || b.clientState.length > 128)) throw bad('clientState must be a string of at most 128 characters.');
    const expiresMs = this.expiry(b.expirationDateTime);
    const { mailboxId, collection } = this.resource(env, p, b.resource);
    if (!(await this.validate(notificationUrl))) {
      throw bad('Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.');
    }
    if (lifecycleNotificationUrl && !(await this.validate(lifecycleNotificationUrl))) {
      throw bad('Subscription validation request failed. Lifecycle notification endpoint must respond with 200 OK to validation request.');
    }
    const s: StoredSubscription = {
      id: randomUUID(),
      appId: p.appId,
      tenantId: p.tenantId,
      resource: String(b.resource),
      mailboxId,
      collection,
      changeTypes: changeTypes as Set<ChangeType>,
      notificationUrl,
      lifecycleNotificationUrl,
      clientState: (b.clientState as string | undefined) ?? null,
      expiresMs,
    };
    this.subscriptions.set(s.id, s);
    return { status: 201, headers: { 'Content-Type': GRAPH_JSON }, body: { '@odata.context': `${env.baseUrl}/v1.0/$metadata#subscriptions/$entity`, ...view(s) } };
  }

  list(env: GraphEnv, p: Principal): GraphResult {
    const value = [...this.subscriptions.values()].filter((s) => s.appId === p.appId && s.tenantId === p.tenantId && this.live(s)).map(view);
    return { status: 200, headers: { 'Content-Type': GRAPH_JSON }, body: { '@odata.context': `${env.baseUrl}/v1.0/$metadata#subscriptions`, value } };
  }

  get(env: GraphEnv, p: Principal, id: string): GraphResult {
    return { status: 200, headers: { 'Content-Type': GRAPH_JSON }, body: { '@odata.context': `${env.baseUrl}/v1.0/$metadata#subscriptions/$entity`, ...view(this.mine(p, id)) } };
  }

  /** Renewal: only `expirationDateTime` (and `notificationUrl`) may change. */
  async update(env: GraphEnv, call: GraphCall, p: Principal, id: string): Promise<GraphResult> {
    const s = this.mine(p, id);
    const b = (call.body ?? {}) as Record<string, unknown>;
    if (typeof call.body !== 'object' || call.body === null) throw graphErrors.invalidJson();
    const allowed = new Set(['expirationDateTime', 'notificationUrl']);
    const other = Object.keys(b).find((k) => !allowed.has(k));
    if (other) throw bad(`${other} cannot be changed on a subscription.`);
    const expiresMs = b.expirationDateTime === undefined ? s.expiresMs : this.expiry(b.expirationDateTime);
    if (b.notificationUrl !== undefined) {
      const url = checkUrl(b.notificationUrl, 'notificationUrl');
      if (!(await this.validate(url))) throw bad('Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.');
      s.notificationUrl = url;
    }
    s.expiresMs = expiresMs;
    return this.get(env, p, id);
  }

  delete(p: Principal, id: string): GraphResult {
    const s = this.mine(p, id);
    this.subscriptions.delete(s.id);
    return { status: 204, headers: {} };
  }
}
