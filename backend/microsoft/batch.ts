import { DomainError } from '../domain-error.js';
import { statusOf } from '../http/errors.js';
import type { Graph } from './graph.client.js';

/** Graph takes at most 20 requests per `$batch`. */
export const BATCH_SIZE = 20;
const ROUNDS = 4;

export interface BatchRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative and versionless, e.g. `/users/{id}/sendMail`. */
  url: string;
  body?: unknown;
  /** The item's own headers (`Prefer` is not inherited from the envelope). */
  headers?: Record<string, string>;
}

/** How an envelope goes out: the Graph client's POST (with the SDK's retries), or the caller's own. */
export type BatchPost = (body: { requests: unknown[] }) => Promise<BatchResponse>;

export interface BatchOutcome {
  status: number;
  body?: { value?: unknown; error?: { code?: string; message?: string } } & Record<string, unknown>;
}

export interface BatchResponse {
  responses: { id: string; status: number; headers?: Record<string, string>; body?: BatchOutcome['body'] }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends requests 20 per `$batch` and answers one outcome per request, in request order. Items
 * Graph throttles or finds unavailable inside a batch (429/503/504: the SDK does not retry those)
 * go again in a new batch after the longest Retry-After, a few rounds at most; what is still
 * failing then keeps its last status. A failed envelope throws, unless `envelopeError: 'record'`.
 */
export async function sendBatched(
  graph: Graph | BatchPost,
  requests: readonly BatchRequest[],
  options: { maxWaitSeconds?: number; envelopeError?: 'throw' | 'record' } = {},
): Promise<{ outcomes: BatchOutcome[]; envelopes: number }> {
  const outcomes: BatchOutcome[] = new Array(requests.length);
  let pending = requests.map((_, i) => i);
  let envelopes = 0;
  const post: BatchPost = typeof graph === 'function' ? graph : (body) => graph.post<BatchResponse>('/$batch', body);
  for (let round = 0; round < ROUNDS && pending.length > 0; round++) {
    const retry: number[] = [];
    let wait = 0;
    for (let i = 0; i < pending.length; i += BATCH_SIZE) {
      const slice = pending.slice(i, i + BATCH_SIZE);
      let batch: BatchResponse;
      try {
        batch = await post({
          requests: slice.map((index, n) => {
            const r = requests[index]!;
            const headers = { ...r.headers, ...(r.body === undefined ? {} : { 'Content-Type': 'application/json' }) };
            return {
              id: String(n),
              method: r.method,
              url: r.url,
              ...(Object.keys(headers).length > 0 ? { headers } : {}),
              ...(r.body === undefined ? {} : { body: r.body }),
            };
          }),
        });
      } catch (err) {
        // The envelope itself failed after the SDK's retries. Either that is the answer, or (for
        // writes, where what already went out must be known) this slice and every later one are
        // recorded as not sent, each with the error.
        if (options.envelopeError !== 'record' || !(err instanceof DomainError)) throw err;
        for (const index of pending.slice(i)) outcomes[index] = { status: statusOf(err), body: { error: { code: err.code, message: err.message } } };
        return { outcomes, envelopes: envelopes + 1 };
      }
      envelopes += 1;
      for (const item of batch.responses) {
        const index = slice[Number(item.id)];
        if (index === undefined) continue;
        outcomes[index] = { status: item.status, ...(item.body !== undefined ? { body: item.body } : {}) };
        if (item.status === 429 || item.status === 503 || item.status === 504) {
          retry.push(index);
          const header = Object.entries(item.headers ?? {}).find(([k]) => k.toLowerCase() === 'retry-after')?.[1];
          wait = Math.max(wait, Number(header) || 1);
        }
      }
      // An item Graph did not answer at all is not known to have happened.
      for (const index of slice) outcomes[index] ??= { status: 0 };
    }
    pending = retry;
    if (pending.length > 0 && round < ROUNDS - 1) await sleep(Math.min(wait, options.maxWaitSeconds ?? 30) * 1000);
  }
  return { outcomes, envelopes };
}
