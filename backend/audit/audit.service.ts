import type { Tx } from '../db/store.js';
import { pageAudit, type AuditEntry } from './audit.repository.js';

/** One page of the audit log, newest first; `nextBefore` asks for the next (older) page, null on the last. */
export async function auditPage(
  tx: Tx,
  tenantId: string,
  query: { limit: number; before?: number; entityId?: string },
): Promise<{ entries: AuditEntry[]; nextBefore: number | null }> {
  const entries = await pageAudit(tx, tenantId, query);
  const last = entries.at(-1);
  return { entries, nextBefore: entries.length === query.limit && last ? last.id : null };
}
