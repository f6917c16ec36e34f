import { GraphError } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { DomainError } from '../../domain-error.js';
import { sendBatched, type BatchResponse } from '../../microsoft/batch.js';
import { graphFailure, type Graph } from '../../microsoft/graph.client.js';
import type { MailboxLimiter } from '../mailbox-limiter.js';
import { TAG_PROPERTY_ID } from './tags.js';
import { DeltaExpired, type DeltaResult, type GraphCreate, type GraphCreateOutcome, type GraphEvent, type GraphEventWrite, type OutlookCalendarPort, type SyncWindow } from './ports.js';


/**
 * Immutable ids always (concepts/outlook-immutable-id); times in UTC and bodies as plain text on
 * reads (api/event-get: `Prefer: outlook.timezone`, `outlook.body-content-type`).
 */
const READ_PREFER = 'IdType="ImmutableId", outlook.timezone="UTC", outlook.body-content-type="text"';
const WRITE_PREFER = 'IdType="ImmutableId", outlook.timezone="UTC"';
const DELTA_PAGE = 100;
const LIST_PAGE = 100;
/** Own retries of a throttled or unanswered request (the SDK's are off, so each goes through the limiter). */
const MAX_RETRIES = 3;

const Time = z.object({ dateTime: z.string(), timeZone: z.string() });
const RawEvent = z.object({
  id: z.string(),
  changeKey: z.string().nullish(),
  type: z.string().nullish(),
  seriesMasterId: z.string().nullish(),
  subject: z.string().nullish(),
  body: z.object({ contentType: z.string().nullish(), content: z.string().nullish() }).nullish(),
  start: Time,
  end: Time,
  isAllDay: z.boolean().nullish(),
  location: z.object({ displayName: z.string().nullish() }).nullish(),
  showAs: z.string().nullish(),
  sensitivity: z.string().nullish(),
  isCancelled: z.boolean().nullish(),
  isOrganizer: z.boolean().nullish(),
  createdDateTime: z.string(),
  lastModifiedDateTime: z.string(),
  singleValueExtendedProperties: z.array(z.object({ id: z.string(), value: z.string() })).nullish(),
});
const Removed = z.object({ id: z.string(), '@removed': z.object({}).passthrough() });
const Page = z.object({ value: z.array(z.unknown()), '@odata.nextLink': z.string().optional(), '@odata.deltaLink': z.string().optional() });

const unexpected = () => new DomainError('unavailable', 'MicrosoftUnavailable', 'Microsoft 365 answered the calendar request unexpectedly. Try again in a moment.');

/** Plain text of an HTML body, for the (rare) case Graph ignored the text preference. */
function htmlToText(html: string): string {
  return html
    .replace(/<(br|\/p|\/div|\/li|\/tr)\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .trim();
}

/** Graph's event JSON as the pass sees it; `tag` only when the property was asked for (`expanded`). */
export function toGraphEvent(raw: unknown, expanded: boolean): GraphEvent {
  const parsed = RawEvent.safeParse(raw);
  if (!parsed.success) throw unexpected();
  const e = parsed.data;
  const content = e.body?.content ?? '';
  const event: GraphEvent = {
    id: e.id,
    changeKey: e.changeKey ?? '',
    type: e.type ?? 'singleInstance',
    seriesMasterId: e.seriesMasterId ?? null,
    subject: e.subject ?? '',
    bodyText: e.body?.contentType?.toLowerCase() === 'html' ? htmlToText(content) : content,
    start: e.start,
    end: e.end,
    isAllDay: e.isAllDay ?? false,
    location: e.location?.displayName ?? '',
    showAs: e.showAs ?? 'busy',
    sensitivity: e.sensitivity ?? 'normal',
    isCancelled: e.isCancelled ?? false,
    isOrganizer: e.isOrganizer ?? true,
    createdDateTime: e.createdDateTime,
    lastModifiedDateTime: e.lastModifiedDateTime,
  };
  // Only our property is expanded, and Graph omits the collection when the event has none.
  if (expanded) event.tag = e.singleValueExtendedProperties?.[0]?.value ?? null;
  return event;
}

export const statusOf = (err: unknown): number | undefined => (err instanceof GraphError ? err.statusCode : (err as { statusCode?: number } | null)?.statusCode);

/**
 * Seconds to wait before trying again, or null when trying again will not help: 429/503/504
 * (Retry-After, else exponential), or no answer at all (a dropped connection; every call here is
 * safe to repeat: reads, PATCH/DELETE, and creates carry a transactionId).
 */
export function retryAfter(err: unknown, attempt: number): number | null {
  if (err instanceof DomainError) return null;
  const e = err as { errorCode?: unknown; headers?: { get?: (n: string) => string | null } } | null;
  const status = statusOf(err);
  const backoff = 2 ** attempt;
  if (status === 429 || status === 503 || status === 504) {
    const said = Number(e?.headers?.get?.('Retry-After'));
    return Number.isFinite(said) && said > 0 ? said : backoff;
  }
  // The SDK wraps a failed fetch as status -1; MSAL's token failures carry an errorCode and are final.
  if ((status === undefined || status === -1) && typeof e?.errorCode !== 'string') return backoff;
  return null;
}

const q = (s: string) => s.replace(/'/g, "''");
const expandTag = `$expand=${encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${q(TAG_PROPERTY_ID)}')`)}`;

/** The primary calendar of one mailbox (see OutlookCalendarPort), through the mailbox's limiter. */
export class OutlookCalendar implements OutlookCalendarPort {
  private readonly user: string;

  constructor(
    private readonly graph: Graph,
    mailboxId: string,
    private readonly limiter: MailboxLimiter,
  ) {
    this.user = `/users/${encodeURIComponent(mailboxId)}`;
  }

  /** One request (or `$batch` of `cost` items) through the limiter, retried on throttling and lost answers. */
  private async call<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', pathOrUrl: string, body?: unknown, o: { cost?: number; prefer?: string } = {}): Promise<T> {
    const headers = { Prefer: o.prefer ?? (method === 'GET' ? READ_PREFER : WRITE_PREFER) };
    const cost = o.cost ?? 1;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.limiter.run(() => this.graph.send<T>(method, pathOrUrl, headers, body), cost);
      } catch (err) {
        const wait = retryAfter(err, attempt);
        if (wait === null || attempt >= MAX_RETRIES) throw err;
        this.limiter.pause(wait);
      }
    }
  }

  /** A link Graph gave must lead back to Graph (our app token goes with it). */
  private checkedLink(link: string): string {
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      throw unexpected();
    }
    if (url.protocol !== 'https:' || url.origin !== this.graph.baseUrl || url.username || url.password) throw unexpected();
    return url.href;
  }

  private async pages(first: string, expanded: boolean): Promise<GraphEvent[]> {
    const out: GraphEvent[] = [];
    let url: string | undefined = first;
    while (url) {
      const page = Page.safeParse(await this.call<unknown>('GET', url).catch((err) => Promise.reject(graphFailure(err))));
      if (!page.success) throw unexpected();
      out.push(...page.data.value.map((v) => toGraphEvent(v, expanded)));
      url = page.data['@odata.nextLink'] ? this.checkedLink(page.data['@odata.nextLink']) : undefined;
    }
    return out;
  }

  async delta(from: { deltaLink: string } | { window: SyncWindow }): Promise<DeltaResult> {
    let url =
      'deltaLink' in from
        ? this.checkedLink(from.deltaLink)
        : `${this.user}/calendarView/delta?startDateTime=${encodeURIComponent(from.window.start)}&endDateTime=${encodeURIComponent(from.window.end)}`;
    const changed: GraphEvent[] = [];
    const removed: string[] = [];
    for (;;) {
      let raw: unknown;
      try {
        // Page size by preference (api/event-delta); Graph's links are followed as given.
        raw = await this.call<unknown>('GET', url, undefined, { prefer: `${READ_PREFER}, odata.maxpagesize=${DELTA_PAGE}` });
      } catch (err) {
        const code = (err as { code?: unknown } | null)?.code;
        if (statusOf(err) === 410 || code === 'syncStateNotFound') throw new DeltaExpired();
        throw graphFailure(err);
      }
      const page = Page.safeParse(raw);
      if (!page.success) throw unexpected();
      for (const item of page.data.value) {
        const gone = Removed.safeParse(item);
        if (gone.success) removed.push(gone.data.id);
        else changed.push(toGraphEvent(item, false));
      }
      const next = page.data['@odata.nextLink'];
      const deltaLink = page.data['@odata.deltaLink'];
      if (next) url = this.checkedLink(next);
      else if (deltaLink) return { changed, removed, deltaLink: this.checkedLink(deltaLink) };
      else throw unexpected();
    }
  }

  async get(id: string): Promise<GraphEvent | null> {
    try {
      return toGraphEvent(await this.call('GET', `${this.user}/events/${encodeURIComponent(id)}?${expandTag}`), true);
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw graphFailure(err);
    }
  }

  async findByTag(tag: string): Promise<GraphEvent[]> {
    const filter = `singleValueExtendedProperties/Any(ep: ep/id eq '${q(TAG_PROPERTY_ID)}' and ep/value eq '${q(tag)}')`;
    const events = await this.pages(`${this.user}/events?$filter=${encodeURIComponent(filter)}&${expandTag}&$top=${LIST_PAGE}`, true);
    return events.sort((a, b) => Date.parse(a.createdDateTime) - Date.parse(b.createdDateTime));
  }

  async listWindow(window: SyncWindow): Promise<GraphEvent[]> {
    return this.pages(
      `${this.user}/calendarView?startDateTime=${encodeURIComponent(window.start)}&endDateTime=${encodeURIComponent(window.end)}&${expandTag}&$top=${LIST_PAGE}`,
      true,
    );
  }

  async create(creates: readonly GraphCreate[]): Promise<GraphCreateOutcome[]> {
    if (creates.length === 0) return [];
    // When an envelope fails (after retries), the creates it and later envelopes carried get that error, Retry-After included.
    let envelopeFailure: DomainError | undefined;
    const post = (body: { requests: unknown[] }) =>
      this.call<BatchResponse>('POST', '/$batch', body, { cost: body.requests.length }).catch((err) => {
        envelopeFailure = graphFailure(err);
        return Promise.reject(envelopeFailure);
      });
    const { outcomes } = await sendBatched(
      post,
      creates.map((c) => ({
        method: 'POST' as const,
        url: `${this.user}/events`,
        headers: { Prefer: WRITE_PREFER },
        body: { ...c.event, transactionId: c.transactionId, singleValueExtendedProperties: [{ id: TAG_PROPERTY_ID, value: c.tag }] },
      })),
      { envelopeError: 'record' },
    );
    return outcomes.map((o, i): GraphCreateOutcome => {
      if (o.status === 201 || o.status === 200) {
        try {
          // The answer does not expand the property; it carries the tag we just wrote.
          return { ok: { ...toGraphEvent(o.body, false), tag: creates[i]!.tag } };
        } catch (err) {
          return { error: err as Error };
        }
      }
      const recorded = envelopeFailure && o.body?.error?.code === envelopeFailure.code ? envelopeFailure : undefined;
      return { error: recorded ?? graphFailure({ statusCode: o.status }) };
    });
  }

  async update(id: string, write: Partial<GraphEventWrite>, tag?: string): Promise<GraphEvent | 'gone'> {
    const body = tag === undefined ? write : { ...write, singleValueExtendedProperties: [{ id: TAG_PROPERTY_ID, value: tag }] };
    try {
      const event = toGraphEvent(await this.call('PATCH', `${this.user}/events/${encodeURIComponent(id)}`, body), false);
      return tag === undefined ? event : { ...event, tag };
    } catch (err) {
      if (statusOf(err) === 404) return 'gone';
      throw graphFailure(err);
    }
  }

  async delete(id: string): Promise<'deleted' | 'gone'> {
    try {
      await this.call('DELETE', `${this.user}/events/${encodeURIComponent(id)}`);
      return 'deleted';
    } catch (err) {
      if (statusOf(err) === 404) return 'gone';
      throw graphFailure(err);
    }
  }
}
