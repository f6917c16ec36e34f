import type { MailboxKind } from '../../panel/src/logic/types.js';
import type { Graph } from './graph.client.js';

/** What the mailbox check found for one user (the API contract: panel/src/logic/types.ts). */
export type { MailboxKind };

interface BatchResponse {
  responses: { id: string; status: number; headers?: Record<string, string>; body?: { value?: string; error?: { code?: string } } }[];
}

/** Graph takes at most 20 requests per `$batch`. */
export const BATCH_SIZE = 20;
const ROUNDS = 4;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Probes `mailboxSettings/userPurpose` for each user, 20 per `$batch`, so "no Exchange Online
 * mailbox" (404 MailboxNotEnabledForRESTAPI) and shared or room mailboxes are known before a link
 * is saved. Items Graph throttles inside a batch (the SDK does not retry those) are sent again in
 * a new batch after the longest Retry-After, a few rounds at most; what is left is `unknown`.
 */
export async function checkMailboxes(
  graph: Graph,
  ids: string[],
  options: { maxWaitSeconds?: number } = {},
): Promise<Map<string, MailboxKind>> {
  const result = new Map<string, MailboxKind>();
  let pending = [...new Set(ids)];
  for (let round = 0; round < ROUNDS && pending.length > 0; round++) {
    const throttled: string[] = [];
    let wait = 0;
    for (let i = 0; i < pending.length; i += BATCH_SIZE) {
      const slice = pending.slice(i, i + BATCH_SIZE);
      const batch = await graph.post<BatchResponse>('/$batch', {
        requests: slice.map((id, n) => ({ id: String(n), method: 'GET', url: `/users/${encodeURIComponent(id)}/mailboxSettings/userPurpose` })),
      });
      for (const item of batch.responses) {
        const id = slice[Number(item.id)];
        if (id === undefined) continue;
        if (item.status === 200) {
          const v = item.body?.value;
          result.set(id, v === 'user' || v === 'shared' || v === 'room' || v === 'equipment' || v === 'linked' ? v : 'others');
        } else if (item.status === 404) {
          const code = item.body?.error?.code;
          result.set(id, code === 'MailboxNotEnabledForRESTAPI' || code === 'MailboxNotSupportedForRESTAPI' ? 'noMailbox' : 'notFound');
        } else if (item.status === 429 || item.status === 503) {
          throttled.push(id);
          const header = Object.entries(item.headers ?? {}).find(([k]) => k.toLowerCase() === 'retry-after')?.[1];
          wait = Math.max(wait, Number(header) || 1);
        } else {
          result.set(id, 'unknown');
        }
      }
    }
    pending = throttled;
    if (pending.length > 0 && round < ROUNDS - 1) await sleep(Math.min(wait, options.maxWaitSeconds ?? 30) * 1000);
  }
  for (const id of pending) result.set(id, 'unknown');
  return result;
}
