import { createHmac, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StoredAppointment } from './appointment.store.js';
import { SoError } from './errors.js';

/**
 * SuperOffice webhooks (docs: "Webhooks" — overview, payload, signature, retries; the Web API
 * `WebhookAgent` and REST `/api/v1/Webhook`):
 * - a webhook has a Name, the Events it wants (`activity.created|changed|deleted` for
 *   appointments — there is no `appointment.*` — and `person.*`), a TargetUrl, a Secret and a
 *   State (`Active`, `Stopped`, `TooManyErrors`);
 * - each event is POSTed as JSON: EventId, Timestamp, Changes, Event, PrimaryKey, Entity,
 *   ContextIdentifier, ChangedByAssociateId, WebhookName and, for activities and persons,
 *   FieldValues (associate_id, person_id, contact_id, type, status, mother_id …);
 * - `X-SuperOffice-Signature` = base64(HMAC-SHA256(secret, raw body)), only when a secret is set;
 * - delivery is fire-and-forget: 3 attempts (at once, after 1 s, after 4 more), then the event
 *   is discarded; after 9 consecutive failed attempts the webhook's State becomes `TooManyErrors`
 *   and nothing more is sent until someone sets it back to `Active`. The pages say "failures"
 *   without saying of what; the stricter reading counts attempts.
 */

export type WebhookState = 'Active' | 'Stopped' | 'TooManyErrors';
export const WEBHOOK_EVENTS = ['activity.created', 'activity.changed', 'activity.deleted', 'person.created', 'person.changed', 'person.deleted'] as const;
const RETRY_DELAYS_MS = [1000, 4000];
const TOO_MANY_ERRORS = 9;
/** How long a target has to answer one attempt [INF: SuperOffice publishes no figure]. */
const ATTEMPT_TIMEOUT_MS = 10_000;

export interface StoredWebhook {
  webhookId: number;
  name: string;
  events: string[];
  targetUrl: string;
  secret: string;
  state: WebhookState;
  type: string;
  registeredAssociateId: number;
  registered: number;
  updated: number;
  consecutiveFailures: number;
}

export interface WebhookDelivery {
  webhookId: number;
  event: string;
  eventId: string;
  attempt: number;
  status: number | 'error';
  at: number;
  /** The raw body as sent, and its signature, for tests to check. */
  body: string;
  signature: string | null;
}

const bad = (message: string) => new SoError(400, 'ArgumentException', message);

export class WebhookStore {
  private readonly hooks = new Map<number, StoredWebhook>();
  private nextId = 1;
  readonly deliveries: WebhookDelivery[] = [];
  /** Multiplies the retry delays (1 s, 4 s); tests shrink it. */
  delayScale = 1;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly contextId: string,
    private readonly clock: () => number,
  ) {}

  all(): StoredWebhook[] {
    return [...this.hooks.values()];
  }

  get(id: number): StoredWebhook {
    const h = this.hooks.get(id);
    if (!h) throw new SoError(404, 'SoNotFoundException', `Webhook id ${id} not found`);
    return h;
  }

  create(body: unknown, by: number): StoredWebhook {
    const b = (body ?? {}) as Record<string, unknown>;
    if (typeof b.Name !== 'string' || b.Name.length === 0 || b.Name.length > 255) throw bad('Name is required.');
    if (!Array.isArray(b.Events) || b.Events.length === 0 || !b.Events.every((e) => typeof e === 'string' && (WEBHOOK_EVENTS as readonly string[]).includes(e))) {
      throw bad(`Events must list some of ${WEBHOOK_EVENTS.join(', ')}.`);
    }
    if (typeof b.TargetUrl !== 'string' || !/^https?:\/\//i.test(b.TargetUrl)) throw bad('TargetUrl must be an http(s) URL.');
    if (b.Secret !== undefined && b.Secret !== null && typeof b.Secret !== 'string') throw bad('Secret must be a string.');
    const state = b.State === undefined ? 'Active' : b.State;
    if (state !== 'Active' && state !== 'Stopped') throw bad('State must be Active or Stopped.');
    const now = this.clock();
    const hook: StoredWebhook = {
      webhookId: this.nextId++,
      name: b.Name,
      events: [...new Set(b.Events as string[])],
      targetUrl: b.TargetUrl,
      secret: (b.Secret as string | undefined) ?? '',
      state,
      type: typeof b.Type === 'string' ? b.Type : 'webhook',
      registeredAssociateId: by,
      registered: now,
      updated: now,
      consecutiveFailures: 0,
    };
    this.hooks.set(hook.webhookId, hook);
    return hook;
  }

  /** PUT: State back to Active (after TooManyErrors), or a new target or events. */
  update(id: number, body: unknown): StoredWebhook {
    const h = this.get(id);
    const b = (body ?? {}) as Record<string, unknown>;
    if (b.State !== undefined) {
      if (b.State !== 'Active' && b.State !== 'Stopped') throw bad('State must be Active or Stopped.');
      h.state = b.State;
      h.consecutiveFailures = 0;
    }
    if (typeof b.TargetUrl === 'string') h.targetUrl = b.TargetUrl;
    if (typeof b.Secret === 'string') h.secret = b.Secret;
    h.updated = this.clock();
    return h;
  }

  delete(id: number): void {
    this.get(id);
    this.hooks.delete(id);
  }

  reset(): void {
    this.hooks.clear();
    this.deliveries.length = 0;
    this.delayScale = 1;
  }

  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** An appointment row saved or removed: `activity.*`. */
  appointmentChanged(row: StoredAppointment, event: 'created' | 'changed' | 'deleted', by: number): void {
    this.fire(`activity.${event}`, 'appointment', row.appointmentId, by, {
      appointment_id: row.appointmentId,
      associate_id: row.associateId,
      contact_id: row.contactId,
      person_id: row.personId,
      type: row.type,
      mother_id: row.motherId,
      title: row.title,
    });
  }

  /**
   * A person saved or removed: `person.*`, with the person's "our contact" as `associate_id`.
   * The hook point for the person store.
   */
  personChanged(person: { personId: number; associateId: number; contactId: number }, event: 'created' | 'changed' | 'deleted', by: number): void {
    this.fire(`person.${event}`, 'person', person.personId, by, { person_id: person.personId, associate_id: person.associateId, contact_id: person.contactId });
  }

  private fire(event: string, entity: string, primaryKey: number, by: number, fieldValues: Record<string, unknown>): void {
    for (const hook of this.hooks.values()) {
      if (hook.state !== 'Active' || !hook.events.includes(event)) continue;
      const eventId = randomUUID();
      const body = JSON.stringify({
        EventId: eventId,
        Timestamp: new Date(this.clock()).toISOString(),
        Changes: Object.keys(fieldValues),
        Event: event,
        PrimaryKey: primaryKey,
        Entity: entity,
        ContextIdentifier: this.contextId,
        ChangedByAssociateId: by,
        WebhookName: hook.name,
        FieldValues: fieldValues,
      });
      const signature = hook.secret ? createHmac('sha256', hook.secret).update(body, 'utf8').digest('base64') : null;
      const work = this.deliver(hook, event, eventId, body, signature);
      this.inFlight.add(work);
      void work.finally(() => this.inFlight.delete(work));
    }
  }

  private async deliver(hook: StoredWebhook, event: string, eventId: string, body: string, signature: string | null): Promise<void> {
    for (let attempt = 1; attempt <= RETRY_DELAYS_MS.length + 1; attempt++) {
      if (attempt > 1) await sleep(RETRY_DELAYS_MS[attempt - 2]! * this.delayScale);
      if (hook.state !== 'Active') return;
      let status: number | 'error' = 'error';
      try {
        const res = await fetch(hook.targetUrl, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...(signature ? { 'X-SuperOffice-Signature': signature } : {}) },
          body,
          signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
        });
        status = res.status;
        await res.arrayBuffer();
      } catch {
        status = 'error';
      }
      this.deliveries.push({ webhookId: hook.webhookId, event, eventId, attempt, status, at: Date.now(), body, signature });
      if (typeof status === 'number' && status >= 200 && status < 300) {
        hook.consecutiveFailures = 0;
        return;
      }
      hook.consecutiveFailures += 1;
      if (hook.consecutiveFailures >= TOO_MANY_ERRORS) {
        hook.state = 'TooManyErrors';
        return;
      }
    }
    // Three attempts failed: the event is discarded.
  }
}

/** The REST entity (api/v1/Webhook); the secret is never read back. */
export function renderWebhook(h: StoredWebhook): Record<string, unknown> {
  return {
    WebhookId: h.webhookId,
    Name: h.name,
    Events: h.events,
    TargetUrl: h.targetUrl,
    Secret: '',
    State: h.state,
    Type: h.type,
    Headers: {},
    Properties: {},
    Registered: new Date(h.registered).toISOString(),
    RegisteredAssociateId: h.registeredAssociateId,
    Updated: new Date(h.updated).toISOString(),
  };
}
