import { GraphError } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { DomainError } from '../domain-error.js';
import { graphFailure } from '../microsoft/graph.client.js';
import type { GraphSender } from './graph-usage.js';
import type { MailboxLimiter } from './mailbox-limiter.js';

/**
 * How every sync client (calendar, To Do, contacts) talks to one mailbox's Graph: each request
 * through the mailbox's limiter (Graph throttles per app and mailbox), its own retries of a
 * throttled or unanswered request (the SDK's are off, so each retry goes through the limiter too),
 * and links Graph hands back (nextLink, deltaLink) followed only when they lead back to Graph.
 */

/** Own retries of a throttled or unanswered request. */
export const MAX_RETRIES = 3;

export const statusOf = (err: unknown): number | undefined => (err instanceof GraphError ? err.statusCode : (err as { statusCode?: number } | null)?.statusCode);

/** No answer at all (a dropped connection): the request may or may not have been carried out. */
export function lostAnswer(err: unknown): boolean {
  const status = statusOf(err);
  return (status === undefined || status === -1) && typeof (err as { errorCode?: unknown } | null)?.errorCode !== 'string' && !(err instanceof DomainError);
}

/**
 * Seconds to wait before trying again, or null when trying again will not help: 429/503/504
 * (Retry-After, else exponential), or no answer at all (the caller says whether its request is
 * safe to repeat, see MailboxGraph.call).
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

/** A page of a Graph collection (a list, or a delta round). */
export const Page = z.object({ value: z.array(z.unknown()), '@odata.nextLink': z.string().optional(), '@odata.deltaLink': z.string().optional() });
/** An item a delta reports gone (deleted, or moved out of what the delta covers). */
const Removed = z.object({ id: z.string(), '@removed': z.object({}).passthrough() });

export interface DeltaRound<T> {
  changed: T[];
  removed: string[];
  deltaLink: string;
}

export interface MailboxCall {
  headers?: Record<string, string>;
  /** Items of a `$batch` (the limiter's budget counts each). */
  cost?: number;
  /** false: a lost answer is not retried (a create without a transactionId could be made twice). */
  repeatable?: boolean;
}

export class MailboxGraph {
  constructor(
    private readonly graph: GraphSender,
    private readonly limiter: MailboxLimiter,
    /** The error a client throws when Graph answers what its documentation does not. */
    private readonly unexpected: () => DomainError,
  ) {}

  async call<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', pathOrUrl: string, body?: unknown, o: MailboxCall = {}): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.limiter.run(() => this.graph.send<T>(method, pathOrUrl, o.headers ?? {}, body), o.cost ?? 1);
      } catch (err) {
        if (o.repeatable === false && lostAnswer(err)) throw err;
        const wait = retryAfter(err, attempt);
        if (wait === null || attempt >= MAX_RETRIES) throw err;
        this.limiter.pause(wait);
      }
    }
  }

  /**
   * A delta query (`first`: the start, or a stored deltaLink, checked) followed page by page to its
   * deltaLink: changed items through `item`, `@removed` ones by id. A 410 / syncStateNotFound is
   * `expired()` (the caller starts over), a 404 `gone()` when given (its list or folder is gone).
   */
  async delta<T>(first: string, o: { headers?: Record<string, string>; item: (raw: unknown) => T; expired: () => Error; gone?: () => Error }): Promise<DeltaRound<T>> {
    let url = first;
    const changed: T[] = [];
    const removed: string[] = [];
    for (;;) {
      let raw: unknown;
      try {
        raw = await this.call<unknown>('GET', url, undefined, o.headers ? { headers: o.headers } : {});
      } catch (err) {
        const code = (err as { code?: unknown } | null)?.code;
        if (statusOf(err) === 410 || code === 'syncStateNotFound') throw o.expired();
        if (o.gone && statusOf(err) === 404) throw o.gone();
        throw graphFailure(err);
      }
      const page = Page.safeParse(raw);
      if (!page.success) throw this.unexpected();
      for (const item of page.data.value) {
        const gone = Removed.safeParse(item);
        if (gone.success) removed.push(gone.data.id);
        else changed.push(o.item(item));
      }
      const next = page.data['@odata.nextLink'];
      const deltaLink = page.data['@odata.deltaLink'];
      if (next) url = this.checkedLink(next);
      else if (deltaLink) return { changed, removed, deltaLink: this.checkedLink(deltaLink) };
      else throw this.unexpected();
    }
  }

  /** A link Graph gave must lead back to Graph (our token goes with it). */
  checkedLink(link: string): string {
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      throw this.unexpected();
    }
    if (url.protocol !== 'https:' || url.origin !== this.graph.baseUrl || url.username || url.password) throw this.unexpected();
    return url.href;
  }
}
