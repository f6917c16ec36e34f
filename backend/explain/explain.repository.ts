import type { SyncItemKind, SyncItemRow, SyncKindState, SyncMailboxState } from '../db/database.js';
import { inChunks } from '../db/dialect.js';
import type { Tx } from '../db/store.js';

export interface ExplainLink {
  id: string;
  associate_id: number;
  associate_name: string;
  mailbox_id: string;
  mailbox_address: string;
  sync_diary: number | boolean;
  sync_task: number | boolean;
  sync_contact: number | boolean;
  state: SyncMailboxState | null;
  breaker_detail: string | null;
  last_error: string | null;
}

/** One link of the tenant with its mailbox's sync status (another tenant's id is not found). */
export function findExplainLink(tx: Tx, tenantId: string, linkId: string): Promise<ExplainLink | undefined> {
  return tx.db
    .selectFrom('link as l')
    .leftJoin('sync_mailbox as m', (j) => j.onRef('m.tenant_id', '=', 'l.tenant_id').onRef('m.mailbox_id', '=', 'l.mailbox_id'))
    .select(['l.id', 'l.associate_id', 'l.associate_name', 'l.mailbox_id', 'l.mailbox_address', 'l.sync_diary', 'l.sync_task', 'l.sync_contact', 'm.state', 'm.breaker_detail', 'm.last_error'])
    .where('l.tenant_id', '=', tenantId)
    .where('l.id', '=', linkId)
    .executeTakeFirst();
}

/** The mailbox's mappings of `kind` for these SuperOffice and Outlook ids. */
export async function findMappings(tx: Tx, tenantId: string, mailboxId: string, kind: SyncItemKind, soIds: readonly number[], graphIds: readonly string[]): Promise<SyncItemRow[]> {
  const base = () => tx.db.selectFrom('sync_item').selectAll().where('tenant_id', '=', tenantId).where('mailbox_id', '=', mailboxId).where('kind', '=', kind);
  const bySo = await inChunks(tx, [...new Set(soIds)], (slice) => base().where('so_id', 'in', slice).execute());
  const byGraph = await inChunks(tx, [...new Set(graphIds)], (slice) => base().where('graph_id', 'in', slice).execute());
  return [...new Map([...bySo, ...byGraph].map((r) => [r.id, r])).values()];
}

export interface ConflictRow {
  so_id: number | null;
  graph_id: string | null;
  field: string;
  winner: 'superoffice' | 'outlook';
  superoffice_value: string | null;
  outlook_value: string | null;
  created_at: string | Date;
}

/** The recorded conflicts of these SuperOffice ids (a mapping's conflicts carry its ids), newest first. */
export async function findConflicts(tx: Tx, tenantId: string, mailboxId: string, kind: SyncItemKind, soIds: readonly number[]): Promise<ConflictRow[]> {
  const rows = await inChunks(tx, [...new Set(soIds)], (slice) =>
    tx.db
      .selectFrom('sync_conflict')
      .select(['so_id', 'graph_id', 'field', 'winner', 'superoffice_value', 'outlook_value', 'created_at', 'id'])
      .where('tenant_id', '=', tenantId)
      .where('mailbox_id', '=', mailboxId)
      .where('kind', '=', kind)
      .where('so_id', 'in', slice)
      .execute(),
  );
  return rows.sort((a, b) => b.id - a.id);
}

/** What the kind's last pass ended in (none: it has not run yet). */
export async function findKindStatus(tx: Tx, tenantId: string, mailboxId: string, kind: SyncItemKind): Promise<{ state: SyncKindState; last_error: string | null } | undefined> {
  return tx.db
    .selectFrom('sync_kind_status')
    .select(['state', 'last_error'])
    .where('tenant_id', '=', tenantId)
    .where('mailbox_id', '=', mailboxId)
    .where('kind', '=', kind)
    .executeTakeFirst();
}
