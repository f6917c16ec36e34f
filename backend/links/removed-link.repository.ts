import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import type { RemovedLinkTable } from '../db/database.js';
import { chunk, inChunks, readInt } from '../db/dialect.js';
import type { Tx } from '../db/store.js';

/** Every column of `link`, in `removed_link` under the same names. */
const LINK_COLUMNS = [
  'id',
  'tenant_id',
  'associate_id',
  'associate_name',
  'mailbox_id',
  'mailbox_address',
  'sync_diary',
  'sync_task',
  'sync_contact',
  'rank',
  'version',
  'created_by',
  'created_at',
  'updated_by',
  'updated_at',
] as const;

/** Every column of `sync_item` but its identity, in `removed_sync_item` under the same names. */
const ITEM_COLUMNS = [
  'tenant_id',
  'associate_id',
  'mailbox_id',
  'kind',
  'so_id',
  'graph_id',
  'origin',
  'state',
  'op_id',
  'op_started_at',
  'so_updated_at',
  'so_hash',
  'graph_change_key',
  'graph_hash',
  'base_json',
  'error_count',
  'last_error',
  'created_at',
  'updated_at',
] as const;

const CONFLICT_COLUMNS = [
  'tenant_id',
  'associate_id',
  'mailbox_id',
  'kind',
  'so_id',
  'graph_id',
  'field',
  'base_value',
  'superoffice_value',
  'outlook_value',
  'winner',
  'created_at',
] as const;

const CURSOR_COLUMNS = [
  'tenant_id',
  'mailbox_id',
  'kind',
  'delta_link',
  'window_start',
  'window_end',
  'so_watermark',
  'last_reconcile_at',
  'container_id',
  'mapped_items',
  'updated_at',
] as const;

/** `alias.column` for each column (typed loosely: the tables share these columns by construction, see migration 016). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const qualified = (alias: string, columns: readonly string[]): any[] => columns.map((c) => `${alias}.${c}`);

export interface Removal {
  at: string;
  by: number;
  byName: string;
  actionId: string | null;
}

/**
 * Copies the links in `linkIds` and what the synchronizer keeps of them (mappings, conflicts,
 * cursors) into the `removed_*` tables, column for column: one INSERT … SELECT per table and
 * slice of ids, so no row passes through the application and no statement carries more than a
 * slice's parameters. The caller deletes the originals in the same transaction.
 */
export async function copyLinksToRemoved(tx: Tx, tenantId: string, linkIds: readonly string[], removal: Removal): Promise<void> {
  for (const slice of chunk(linkIds, tx.dialect.maxInList)) {
    await tx.db
      .insertInto('removed_link')
      .columns([...LINK_COLUMNS, 'removed_at', 'removed_by', 'removed_by_name', 'action_id'])
      .expression(
        tx.db
          .selectFrom('link as l')
          .select(qualified('l', LINK_COLUMNS))
          .select([
            sql.val(removal.at).as('removed_at'),
            sql.val(removal.by).as('removed_by'),
            sql.val(removal.byName).as('removed_by_name'),
            sql.val(removal.actionId).as('action_id'),
          ])
          .where('l.tenant_id', '=', tenantId)
          .where('l.id', 'in', slice),
      )
      .execute();
    for (const table of ['sync_item', 'sync_conflict'] as const) {
      const columns = table === 'sync_item' ? ITEM_COLUMNS : CONFLICT_COLUMNS;
      await tx.db
        .insertInto(table === 'sync_item' ? 'removed_sync_item' : 'removed_sync_conflict')
        .columns(['removed_link_id', ...columns] as never[])
        .expression(
          tx.db
            .selectFrom(`${table} as x` as 'sync_item as x')
            .innerJoin('link as l', (join) =>
              join.onRef('l.tenant_id', '=', 'x.tenant_id').onRef('l.associate_id', '=', 'x.associate_id').onRef('l.mailbox_id', '=', 'x.mailbox_id'),
            )
            .select('l.id as removed_link_id')
            .select(qualified('x', columns))
            .where('l.tenant_id', '=', tenantId)
            .where('l.id', 'in', slice)
            // In their own order, so a restore inserts them back in it.
            .orderBy('x.id'),
        )
        .execute();
    }
    await tx.db
      .insertInto('removed_sync_cursor')
      .columns(['removed_link_id', ...CURSOR_COLUMNS])
      .expression(
        tx.db
          .selectFrom('sync_cursor as x')
          .innerJoin('link as l', (join) => join.onRef('l.tenant_id', '=', 'x.tenant_id').onRef('l.mailbox_id', '=', 'x.mailbox_id'))
          .select('l.id as removed_link_id')
          .select(qualified('x', CURSOR_COLUMNS))
          .where('l.tenant_id', '=', tenantId)
          .where('l.id', 'in', slice),
      )
      .execute();
  }
}

export type RemovedLinkRow = Selectable<RemovedLinkTable> & { items: number; conflicts: number };

/** The tenant's removed links (newest removal first, or the given ids), with their mapping and conflict counts. */
export async function listRemovedLinks(tx: Tx, tenantId: string, ids?: readonly string[]): Promise<RemovedLinkRow[]> {
  const query = (slice: readonly string[] | null) => {
    let q = tx.db
      .selectFrom('removed_link as r')
      .selectAll('r')
      .select((eb) => [
        eb
          .selectFrom('removed_sync_item as i')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('i.tenant_id', '=', 'r.tenant_id')
          .whereRef('i.removed_link_id', '=', 'r.id')
          .as('items'),
        eb
          .selectFrom('removed_sync_conflict as c')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('c.tenant_id', '=', 'r.tenant_id')
          .whereRef('c.removed_link_id', '=', 'r.id')
          .as('conflicts'),
      ])
      .where('r.tenant_id', '=', tenantId);
    if (slice) q = q.where('r.id', 'in', slice);
    return q.orderBy('r.removed_at', 'desc').orderBy('r.associate_name').orderBy('r.id').execute();
  };
  const rows = ids ? await inChunks(tx, ids, (slice) => query(slice)) : await query(null);
  return rows.map((r) => ({ ...r, items: readInt(r.items ?? 0), conflicts: readInt(r.conflicts ?? 0) }));
}

/** The removed links of one Remove Selected Users (its undo action), still restorable. */
export async function removedLinkIdsOfAction(tx: Tx, tenantId: string, actionId: string): Promise<string[]> {
  const rows = await tx.db.selectFrom('removed_link').select('id').where('tenant_id', '=', tenantId).where('action_id', '=', actionId).execute();
  return rows.map((r) => r.id);
}

/**
 * Puts removed links back: the link rows, their mappings, conflicts and cursors, as they were
 * (a mapping's identity is new; every other column is the same). A mailbox has no cursors of its
 * own while unlinked, but a leftover would collide with the restored ones, so any is replaced.
 * Then deletes the removed copies. Returns how many links it restored.
 */
export async function restoreRemovedLinks(tx: Tx, tenantId: string, ids: readonly string[]): Promise<number> {
  let restored = 0;
  for (const slice of chunk(ids, tx.dialect.maxInList)) {
    await tx.db
      .insertInto('link')
      .columns([...LINK_COLUMNS])
      .expression(tx.db.selectFrom('removed_link as r').select(qualified('r', LINK_COLUMNS)).where('r.tenant_id', '=', tenantId).where('r.id', 'in', slice))
      .execute();
    await tx.db
      .deleteFrom('sync_cursor')
      .where('tenant_id', '=', tenantId)
      .where('mailbox_id', 'in', (eb) => eb.selectFrom('removed_link as r').select('r.mailbox_id').where('r.tenant_id', '=', tenantId).where('r.id', 'in', slice))
      .execute();
    await tx.db
      .insertInto('sync_item')
      .columns([...ITEM_COLUMNS])
      .expression(tx.db.selectFrom('removed_sync_item as x').select(qualified('x', ITEM_COLUMNS)).where('x.tenant_id', '=', tenantId).where('x.removed_link_id', 'in', slice).orderBy('x.id'))
      .execute();
    await tx.db
      .insertInto('sync_conflict')
      .columns([...CONFLICT_COLUMNS])
      .expression(
        tx.db.selectFrom('removed_sync_conflict as x').select(qualified('x', CONFLICT_COLUMNS)).where('x.tenant_id', '=', tenantId).where('x.removed_link_id', 'in', slice).orderBy('x.id'),
      )
      .execute();
    await tx.db
      .insertInto('sync_cursor')
      .columns([...CURSOR_COLUMNS])
      .expression(tx.db.selectFrom('removed_sync_cursor as x').select(qualified('x', CURSOR_COLUMNS)).where('x.tenant_id', '=', tenantId).where('x.removed_link_id', 'in', slice))
      .execute();
    restored += await deleteRemovedSlice(tx, tenantId, slice);
  }
  return restored;
}

async function deleteRemovedSlice(tx: Tx, tenantId: string, slice: readonly string[]): Promise<number> {
  for (const table of ['removed_sync_item', 'removed_sync_conflict', 'removed_sync_cursor'] as const) {
    await tx.db.deleteFrom(table).where('tenant_id', '=', tenantId).where('removed_link_id', 'in', slice).execute();
  }
  const result = await tx.db.deleteFrom('removed_link').where('tenant_id', '=', tenantId).where('id', 'in', slice).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes removed links and their kept rows for good. Returns how many links it deleted. */
export async function purgeRemovedLinks(tx: Tx, tenantId: string, ids: readonly string[]): Promise<number> {
  let purged = 0;
  for (const slice of chunk(ids, tx.dialect.maxInList)) purged += await deleteRemovedSlice(tx, tenantId, slice);
  return purged;
}

/** Removed links of every tenant removed before `before`: what the periodic sweep purges. */
export function expiredRemovedLinks(tx: Tx, before: string, limit: number) {
  return tx.dialect
    .limit(
      tx.db.selectFrom('removed_link').select(['id', 'tenant_id']).where('removed_at', '<', before).orderBy('removed_at').orderBy('id'),
      limit,
    )
    .execute();
}
