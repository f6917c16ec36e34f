import { z } from 'zod';
import { DomainError } from '../../domain-error.js';
import { sendBatched, type BatchResponse } from '../../microsoft/batch.js';
import { graphFailure } from '../../microsoft/graph.client.js';
import type { GraphSender } from '../graph-usage.js';
import { MailboxGraph, Page, statusOf } from '../mailbox-graph.js';
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

const q = (s: string) => s.replace(/'/g, "''");
const expandTag = `$expand=${encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${q(TAG_PROPERTY_ID)}')`)}`;

/** The primary calendar of one mailbox (see OutlookCalendarPort), through the mailbox's limiter. */
export class OutlookCalendar implements OutlookCalendarPort {
  private readonly user: string;
  private readonly http: MailboxGraph;

  constructor(graph: GraphSender, mailboxId: string, limiter: MailboxLimiter) {
    this.user = `/users/${encodeURIComponent(mailboxId)}`;
    this.http = new MailboxGraph(graph, limiter, unexpected);
  }

  /** One request (or `$batch` of `cost` items) through the limiter, retried on throttling and lost answers (every call here is safe to repeat: reads, PATCH/DELETE, and creates carry a transactionId). */
  private call<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', pathOrUrl: string, body?: unknown, o: { cost?: number; prefer?: string } = {}): Promise<T> {
    return this.http.call<T>(method, pathOrUrl, body, { headers: { Prefer: o.prefer ?? (method === 'GET' ? READ_PREFER : WRITE_PREFER) }, cost: o.cost ?? 1 });
  }

  private async pages(first: string, expanded: boolean): Promise<GraphEvent[]> {
    const out: GraphEvent[] = [];
    let url: string | undefined = first;
    while (url) {
      const page = Page.safeParse(await this.call<unknown>('GET', url).catch((err) => Promise.reject(graphFailure(err))));
      if (!page.success) throw unexpected();
      out.push(...page.data.value.map((v) => toGraphEvent(v, expanded)));
      url = page.data['@odata.nextLink'] ? this.http.checkedLink(page.data['@odata.nextLink']) : undefined;
    }
    return out;
  }

  async delta(from: { deltaLink: string } | { window: SyncWindow }): Promise<DeltaResult> {
    const first =
      'deltaLink' in from
        ? this.http.checkedLink(from.deltaLink)
        : `${this.user}/calendarView/delta?startDateTime=${encodeURIComponent(from.window.start)}&endDateTime=${encodeURIComponent(from.window.end)}`;
    // Page size by preference (api/event-delta); Graph's links are followed as given.
    return this.http.delta(first, {
      headers: { Prefer: `${READ_PREFER}, odata.maxpagesize=${DELTA_PAGE}` },
      item: (raw) => toGraphEvent(raw, false),
      expired: () => new DeltaExpired(),
    });
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
