import type { LinkRow, NewLinkRow } from '../db/database.js';
import { chunk, inChunks, readInt } from '../db/dialect.js';
import type { Tx } from '../db/store.js';

const LINK_COLUMNS = 15;

export function findLinksByIds(tx: Tx, tenantId: string, ids: readonly string[]): Promise<LinkRow[]> {
  return inChunks(tx, ids, (slice) =>
    tx.db.selectFrom('link').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', slice).execute(),
  );
}

export function findLinksByAssociates(tx: Tx, tenantId: string, associateIds: readonly number[]): Promise<LinkRow[]> {
  return inChunks(tx, associateIds, (slice) =>
    tx.db
      .selectFrom('link')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('associate_id', 'in', slice)
      .execute(),
  );
}

export function findLinksByMailboxes(tx: Tx, tenantId: string, mailboxIds: readonly string[]): Promise<LinkRow[]> {
  return inChunks(tx, mailboxIds, (slice) =>
    tx.db.selectFrom('link').selectAll().where('tenant_id', '=', tenantId).where('mailbox_id', 'in', slice).execute(),
  );
}

export async function insertLinks(tx: Tx, rows: readonly NewLinkRow[]): Promise<void> {
  for (const part of chunk(rows, tx.dialect.rowsPerStatement(LINK_COLUMNS))) {
    await tx.db.insertInto('link').values(part).execute();
  }
}

export interface LinkOptions {
  diary: boolean;
  task: boolean;
  contact: boolean;
  rank: number;
}

/**
 * Writes the same options and rank to every link in `ids` that still has `expectedVersion`, and
 * bumps their version: one statement per slice of ids. Returns how many rows it changed; fewer
 * than `ids.length` means someone else changed (or removed) some of them first.
 */
export async function updateLinkOptions(
  tx: Tx,
  tenantId: string,
  ids: readonly string[],
  expectedVersion: number,
  options: LinkOptions,
  by: number,
  now: Date,
): Promise<number> {
  let updated = 0;
  for (const slice of chunk(ids, tx.dialect.maxInList)) {
    const result = await tx.db
      .updateTable('link')
      .set({
        sync_diary: tx.dialect.bool(options.diary),
        sync_task: tx.dialect.bool(options.task),
        sync_contact: tx.dialect.bool(options.contact),
        rank: options.rank,
        version: expectedVersion + 1,
        updated_by: by,
        updated_at: tx.dialect.time(now),
      })
      .where('tenant_id', '=', tenantId)
      .where('version', '=', expectedVersion)
      .where('id', 'in', slice)
      .executeTakeFirst();
    updated += Number(result.numUpdatedRows);
  }
  return updated;
}

export type LinkWithHistory = LinkRow & {
  history_count: number | string | bigint;
  /** The mailbox's authorization (OAuth mode), if its owner ever accepted an invite. */
  auth_at: string | Date | null;
  auth_revoked_at: string | Date | null;
  tenant_mode: string | null;
};

/** Every link of the tenant with its number of sync history rows and its mailbox authorization, in one statement. */
export function listLinks(tx: Tx, tenantId: string): Promise<LinkWithHistory[]> {
  const counts = tx.db
    .selectFrom('sync_history')
    .select(['link_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('tenant_id', '=', tenantId)
    .groupBy('link_id')
    .as('h');
  return tx.db
    .selectFrom('link as l')
    .leftJoin(counts, 'h.link_id', 'l.id')
    .leftJoin('authorized_mailbox as a', (join) => join.onRef('a.tenant_id', '=', 'l.tenant_id').onRef('a.mailbox_id', '=', 'l.mailbox_id'))
    .selectAll('l')
    .select((eb) => eb.fn.coalesce('h.n', eb.lit(0)).as('history_count'))
    .select(['a.authorized_at as auth_at', 'a.revoked_at as auth_revoked_at'])
    // The mode decides what a missing authorization means; read in the same statement.
    .select((eb) => eb.selectFrom('tenant as t').select('t.mode').where('t.id', '=', tenantId).as('tenant_mode'))
    .where('l.tenant_id', '=', tenantId)
    .orderBy('l.associate_name')
    .orderBy('l.id')
    .execute();
}

/** Sync history rows per link, for the given links. */
export async function countHistory(tx: Tx, tenantId: string, linkIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await inChunks(tx, linkIds, (slice) =>
    tx.db
      .selectFrom('sync_history')
      .select(['link_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('tenant_id', '=', tenantId)
      .where('link_id', 'in', slice)
      .groupBy('link_id')
      .execute(),
  );
  return new Map(rows.map((r) => [r.link_id, readInt(r.n)]));
}

/** Deletes the links and, first, their history (the foreign key requires that order). */
export async function deleteLinksWithHistory(tx: Tx, tenantId: string, linkIds: readonly string[]): Promise<number> {
  let deleted = 0;
  for (const slice of chunk(linkIds, tx.dialect.maxInList)) {
    await tx.db.deleteFrom('sync_history').where('tenant_id', '=', tenantId).where('link_id', 'in', slice).execute();
    const result = await tx.db
      .deleteFrom('link')
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', slice)
      .executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
}

/** The sync options of an associate's link, if they have one. */
export function findLinkOptionsOfAssociate(tx: Tx, tenantId: string, associateId: number) {
  return tx.db
    .selectFrom('link')
    .select(['sync_diary', 'sync_task', 'sync_contact'])
    .where('tenant_id', '=', tenantId)
    .where('associate_id', '=', associateId)
    .executeTakeFirst();
}
