import type { Tx } from '../db/store.js';
import { csvRecords, toCsv } from '../http/csv.js';
import { auditActors, pageAudit, type AuditEntry } from './audit.repository.js';
import type { AuditFilter } from './audit.schemas.js';

/** One page of the audit log, newest first; `nextBefore` asks for the next (older) page, null on the last. */
export async function auditPage(
  tx: Tx,
  tenantId: string,
  query: AuditFilter & { limit: number; before?: number },
): Promise<{ entries: AuditEntry[]; nextBefore: number | null }> {
  const entries = await pageAudit(tx, tenantId, query);
  const last = entries.at(-1);
  return { entries, nextBefore: entries.length === query.limit && last ? last.id : null };
}

export async function actorList(tx: Tx, tenantId: string): Promise<{ actors: { associateId: number; name: string }[] }> {
  return { actors: await auditActors(tx, tenantId) };
}

export const EXPORT_HEADER = ['id', 'at', 'actorAssociateId', 'actorName', 'category', 'action', 'entityType', 'entityId', 'before', 'after', 'requestId'] as const;

/** Rows read per query while exporting: the file grows a page at a time, never the whole log in memory. */
export const EXPORT_PAGE = 1000;

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
const record = (e: AuditEntry) => [e.id, e.at, e.actor.associateId, e.actor.name, e.category, e.action, e.entityType, e.entityId, json(e.before), json(e.after), e.requestId];

/**
 * The entries that pass `filter` as CSV text, newest first, a page at a time (the header and BOM
 * with the first). Keyset paging on the id: entries written while the file is being read are
 * newer than its first page and so are not in it, and none is written twice or skipped.
 */
export async function* auditCsv(tx: Tx, tenantId: string, filter: AuditFilter, pageSize = EXPORT_PAGE): AsyncGenerator<string> {
  let before: number | undefined;
  let first = true;
  for (;;) {
    const entries = await pageAudit(tx, tenantId, { ...filter, limit: pageSize, ...(before === undefined ? {} : { before }) });
    if (first) yield toCsv(EXPORT_HEADER, entries.map(record));
    else if (entries.length > 0) yield csvRecords(entries.map(record));
    first = false;
    if (entries.length < pageSize) return;
    before = entries.at(-1)!.id;
  }
}
