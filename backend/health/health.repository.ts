import type { SyncMailboxState } from '../db/database.js';
import { chunk, inChunks } from '../db/dialect.js';
import type { Tx } from '../db/store.js';

export interface LinkHealthRow {
  id: string;
  associate_id: number;
  associate_name: string;
  mailbox_id: string;
  mailbox_address: string;
  state: SyncMailboxState | null;
  sync_created_at: string | Date | null;
  last_pass_at: string | Date | null;
  last_success_at: string | Date | null;
  last_error: string | null;
  breaker_detail: string | null;
}

/** Every link of the tenant with its mailbox's sync state (one query; the sync row is absent until enrolled). */
export function linksWithSyncState(tx: Tx, tenantId: string): Promise<LinkHealthRow[]> {
  return tx.db
    .selectFrom('link as l')
    .leftJoin('sync_mailbox as m', (join) => join.onRef('m.tenant_id', '=', 'l.tenant_id').onRef('m.mailbox_id', '=', 'l.mailbox_id'))
    .select([
      'l.id',
      'l.associate_id',
      'l.associate_name',
      'l.mailbox_id',
      'l.mailbox_address',
      'm.state',
      'm.created_at as sync_created_at',
      'm.last_pass_at',
      'm.last_success_at',
      'm.last_error',
      'm.breaker_detail',
    ])
    .where('l.tenant_id', '=', tenantId)
    .orderBy('l.associate_name')
    .orderBy('l.id')
    .execute();
}

export interface GrantRow {
  mailbox_id: string;
  mailbox_address: string;
  addresses_json: string | null;
  display_name: string | null;
  authorized_at: string | Date;
  revoked_at: string | Date | null;
  has_grant: boolean;
}

/** OAuth mode: every authorization of the tenant, and whether it still holds the owner's grant (never the grant itself). */
export async function grantsOfTenant(tx: Tx, tenantId: string): Promise<GrantRow[]> {
  const rows = await tx.db
    .selectFrom('authorized_mailbox')
    .select(['mailbox_id', 'mailbox_address', 'addresses_json', 'display_name', 'authorized_at', 'revoked_at'])
    .select((eb) => eb.case().when('grant_sealed', 'is', null).then(0).else(1).end().as('has_grant'))
    .where('tenant_id', '=', tenantId)
    .execute();
  return rows.map((r) => ({ ...r, has_grant: Number(r.has_grant) === 1 }));
}

export async function ignoredKeys(tx: Tx, tenantId: string): Promise<Set<string>> {
  const rows = await tx.db.selectFrom('health_ignore').select('problem_key').where('tenant_id', '=', tenantId).execute();
  return new Set(rows.map((r) => r.problem_key));
}

/** Which of `keys` the tenant ignores. */
export async function findIgnored(tx: Tx, tenantId: string, keys: readonly string[]): Promise<Set<string>> {
  const rows = await inChunks(tx, keys, (slice) =>
    tx.db.selectFrom('health_ignore').select('problem_key').where('tenant_id', '=', tenantId).where('problem_key', 'in', slice).execute(),
  );
  return new Set(rows.map((r) => r.problem_key));
}

export async function insertIgnores(tx: Tx, tenantId: string, keys: readonly string[], by: { associateId: number; associateName: string }, now: Date): Promise<void> {
  const at = tx.dialect.time(now);
  for (const part of chunk(keys, tx.dialect.rowsPerStatement(5))) {
    await tx.db
      .insertInto('health_ignore')
      .values(part.map((k) => ({ tenant_id: tenantId, problem_key: k, ignored_by: by.associateId, ignored_by_name: by.associateName, ignored_at: at })))
      .execute();
  }
}

export async function deleteIgnores(tx: Tx, tenantId: string, keys: readonly string[]): Promise<number> {
  let deleted = 0;
  for (const slice of chunk(keys, tx.dialect.maxInList)) {
    const r = await tx.db.deleteFrom('health_ignore').where('tenant_id', '=', tenantId).where('problem_key', 'in', slice).executeTakeFirst();
    deleted += Number(r.numDeletedRows);
  }
  return deleted;
}

/**
 * Repoints a link at another mailbox if it still has `version`: options and rank stay, the
 * version is bumped. What the synchronizer kept of the old pair (mappings, conflicts, cursors)
 * goes, as a removal drops it: those items live in the old mailbox. True when it changed.
 */
export async function repointLink(
  tx: Tx,
  tenantId: string,
  link: { id: string; associate_id: number; mailbox_id: string; version: number },
  to: { mailboxId: string; mailboxAddress: string },
  by: number,
  now: Date,
): Promise<boolean> {
  const r = await tx.db
    .updateTable('link')
    .set({ mailbox_id: to.mailboxId, mailbox_address: to.mailboxAddress, version: link.version + 1, updated_by: by, updated_at: tx.dialect.time(now) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', link.id)
    .where('version', '=', link.version)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return false;
  await tx.db.deleteFrom('sync_item').where('tenant_id', '=', tenantId).where('associate_id', '=', link.associate_id).where('mailbox_id', '=', link.mailbox_id).execute();
  await tx.db.deleteFrom('sync_conflict').where('tenant_id', '=', tenantId).where('associate_id', '=', link.associate_id).where('mailbox_id', '=', link.mailbox_id).execute();
  await tx.db.deleteFrom('sync_cursor').where('tenant_id', '=', tenantId).where('mailbox_id', '=', link.mailbox_id).execute();
  return true;
}

/** The administrator of the tenant whose SuperOffice credential was refreshed last (one with a session as an administrator). */
export function lastSignedInAdmin(tx: Tx, tenantId: string): Promise<{ associate_id: number } | undefined> {
  return tx.db
    .selectFrom('superoffice_credential as c')
    .innerJoin('session as s', (join) => join.onRef('s.tenant_id', '=', 'c.tenant_id').onRef('s.associate_id', '=', 'c.associate_id'))
    .select('c.associate_id')
    .distinct()
    .where('c.tenant_id', '=', tenantId)
    .where('s.is_admin', '=', tx.dialect.bool(true))
    .orderBy('c.associate_id')
    .execute()
    .then(async (admins) => {
      if (admins.length === 0) return undefined;
      const newest = await tx.db
        .selectFrom('superoffice_credential')
        .select('associate_id')
        .where('tenant_id', '=', tenantId)
        .where('associate_id', 'in', admins.slice(0, tx.dialect.maxInList).map((a) => a.associate_id))
        .orderBy('updated_at', 'desc')
        .executeTakeFirst();
      return newest;
    });
}
