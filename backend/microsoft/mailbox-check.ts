import { sendBatched } from './batch.js';
import type { Graph } from './graph.client.js';
import type { MailboxKind } from './microsoft.schemas.js';

export type { MailboxKind };
export { BATCH_SIZE } from './batch.js';

/**
 * Probes `mailboxSettings/userPurpose` for each user, 20 per `$batch`, so "no Exchange Online
 * mailbox" (404 MailboxNotEnabledForRESTAPI) and shared or room mailboxes are known before a link
 * is saved. Throttled items are retried by {@link sendBatched}; what is left is `unknown`.
 */
export async function checkMailboxes(
  graph: Graph,
  ids: string[],
  options: { maxWaitSeconds?: number } = {},
): Promise<Map<string, MailboxKind>> {
  const unique = [...new Set(ids)];
  const { outcomes } = await sendBatched(
    graph,
    unique.map((id) => ({ method: 'GET', url: `/users/${encodeURIComponent(id)}/mailboxSettings/userPurpose` })),
    options,
  );
  const result = new Map<string, MailboxKind>();
  unique.forEach((id, i) => {
    const item = outcomes[i]!;
    if (item.status === 200) {
      const v = item.body?.value;
      result.set(id, v === 'user' || v === 'shared' || v === 'room' || v === 'equipment' || v === 'linked' ? v : 'others');
    } else if (item.status === 404) {
      const code = item.body?.error?.code;
      result.set(id, code === 'MailboxNotEnabledForRESTAPI' || code === 'MailboxNotSupportedForRESTAPI' ? 'noMailbox' : 'notFound');
    } else {
      result.set(id, 'unknown');
    }
  });
  return result;
}
