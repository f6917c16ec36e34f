import type { LinkRow } from '../db/database.js';
import type { Tx } from '../db/store.js';

export type ExportRow = LinkRow & { auth_at: string | Date | null; auth_revoked_at: string | Date | null };

/**
 * One page of the tenant's links for an export, in list order (name, then id) after `after`,
 * with their mailbox's authorization: only what the file holds, so a page is one indexed read
 * (the list's per-kind counts and sync status are not part of a file).
 */
export function exportPage(tx: Tx, tenantId: string, after: { name: string; id: string } | null, limit: number): Promise<ExportRow[]> {
  let query = tx.db
    .selectFrom('link as l')
    .leftJoin('authorized_mailbox as a', (join) => join.onRef('a.tenant_id', '=', 'l.tenant_id').onRef('a.mailbox_id', '=', 'l.mailbox_id'))
    .selectAll('l')
    .select(['a.authorized_at as auth_at', 'a.revoked_at as auth_revoked_at'])
    .where('l.tenant_id', '=', tenantId)
    .orderBy('l.associate_name')
    .orderBy('l.id');
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('l.associate_name', '>', after.name), eb.and([eb('l.associate_name', '=', after.name), eb('l.id', '>', after.id)])]),
    );
  }
  return tx.dialect.limit(query, limit).execute();
}
