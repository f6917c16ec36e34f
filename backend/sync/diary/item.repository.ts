import type { Insertable, Updateable } from 'kysely';
import type { SyncConflictTable, SyncCursorRow, SyncItemKind, SyncItemRow, SyncItemTable, SyncKindState, SyncMailboxState, TenantMode, SyncSide } from '../../db/database.js';
import { chunk, readBool, readTime } from '../../db/dialect.js';
import type { Tx } from '../../db/store.js';
import type { LeaseKey } from '../lease.repository.js';

/**
 * Every query of the diary pass: the mapping (`sync_item`), where change detection stands
 * (`sync_cursor`), recorded conflicts (`sync_conflict`) and the status columns of `sync_mailbox`.
 * Writes to `sync_mailbox` match only while the pass's lease holds (owner and epoch), on top of
 * the fence every pass transaction starts with.
 */

/** What a pass needs to know about its mailbox's link, tenant and status, read in one statement. */
export interface PassContext {
  associateId: number;
  diary: boolean;
  task: boolean;
  contact: boolean;
  mode: TenantMode;
  pastDays: number;
  futureDays: number;
  winner: SyncSide;
  zone: string;
  state: SyncMailboxState;
  breakerReleasedAt: string | null;
}

export async function findPassContext(tx: Tx, tenantId: string, mailboxId: string): Promise<PassContext | null> {
  const row = await tx.db
    .selectFrom('link as l')
    .innerJoin('tenant as t', 't.id', 'l.tenant_id')
    .innerJoin('sync_mailbox as m', (j) => j.onRef('m.tenant_id', '=', 'l.tenant_id').onRef('m.mailbox_id', '=', 'l.mailbox_id'))
    .select([
      'l.associate_id',
      'l.sync_diary',
      'l.sync_task',
      'l.sync_contact',
      't.mode',
      't.sync_window_past_days',
      't.sync_window_future_days',
      't.sync_conflict_winner',
      't.sync_time_zone',
      'm.state',
      'm.breaker_released_at',
    ])
    .where('l.tenant_id', '=', tenantId)
    .where('l.mailbox_id', '=', mailboxId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    associateId: row.associate_id,
    diary: readBool(row.sync_diary),
    task: readBool(row.sync_task),
    contact: readBool(row.sync_contact),
    mode: row.mode,
    pastDays: row.sync_window_past_days,
    futureDays: row.sync_window_future_days,
    winner: row.sync_conflict_winner,
    zone: row.sync_time_zone,
    state: row.state,
    breakerReleasedAt: readTime(row.breaker_released_at),
  };
}

/** Every mapping of one kind in one mailbox (a link's few hundred or thousand rows). */
export function listItems(tx: Tx, tenantId: string, mailboxId: string, kind: SyncItemKind): Promise<SyncItemRow[]> {
  return tx.db
    .selectFrom('sync_item')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('mailbox_id', '=', mailboxId)
    .where('kind', '=', kind)
    .orderBy('id')
    .execute();
}

type Optional = 'op_id' | 'op_started_at' | 'so_updated_at' | 'so_hash' | 'graph_change_key' | 'graph_hash' | 'base_json' | 'last_error';
/** A new mapping: both ids (either may be null), where it was born, its state; the rest null unless given. */
export type NewItem = Omit<Insertable<SyncItemTable>, 'id' | 'created_at' | 'updated_at' | 'error_count' | Optional> & Partial<Pick<Insertable<SyncItemTable>, Optional>>;
const UNSET: Record<Optional, null> = { op_id: null, op_started_at: null, so_updated_at: null, so_hash: null, graph_change_key: null, graph_hash: null, base_json: null, last_error: null };

/** Columns per inserted row, for chunking under SQL Server's parameter and row limits. */
const ITEM_COLUMNS = 21;

/** Inserts mappings: write-ahead intents, or items found again by their tag. */
export async function insertItems(tx: Tx, rows: readonly NewItem[], now: Date): Promise<void> {
  const at = tx.dialect.time(now);
  for (const slice of chunk(rows, tx.dialect.rowsPerStatement(ITEM_COLUMNS))) {
    await tx.db
      .insertInto('sync_item')
      .values(slice.map((r) => ({ ...UNSET, ...r, created_at: at, updated_at: at })))
      .execute();
  }
}

/** The mappings carrying these write-ahead op ids (the intents just inserted, with their ids). */
export async function findItemsByOps(tx: Tx, tenantId: string, mailboxId: string, opIds: readonly string[]): Promise<SyncItemRow[]> {
  const out: SyncItemRow[] = [];
  for (const slice of chunk([...new Set(opIds)], tx.dialect.maxInList)) {
    out.push(
      ...(await tx.db
        .selectFrom('sync_item')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('mailbox_id', '=', mailboxId)
        .where('op_id', 'in', slice)
        .execute()),
    );
  }
  return out;
}

export type ItemPatch = Omit<Updateable<SyncItemTable>, 'id' | 'tenant_id' | 'mailbox_id' | 'kind' | 'created_at' | 'updated_at'>;

/** Changes one mapping of this mailbox. */
export async function updateItem(tx: Tx, tenantId: string, mailboxId: string, id: number, patch: ItemPatch, now: Date): Promise<void> {
  await tx.db
    .updateTable('sync_item')
    .set({ ...patch, updated_at: tx.dialect.time(now) })
    .where('tenant_id', '=', tenantId)
    .where('mailbox_id', '=', mailboxId)
    .where('id', '=', id)
    .execute();
}

/** Sets the same state on many mappings of this mailbox (items that left the window). */
export async function setItemsState(tx: Tx, tenantId: string, mailboxId: string, ids: readonly number[], state: SyncItemRow['state'], now: Date): Promise<void> {
  for (const slice of chunk([...new Set(ids)], tx.dialect.maxInList)) {
    await tx.db
      .updateTable('sync_item')
      .set({ state, updated_at: tx.dialect.time(now) })
      .where('tenant_id', '=', tenantId)
      .where('mailbox_id', '=', mailboxId)
      .where('id', 'in', slice)
      .execute();
  }
}

/** Forgets mappings whose items are gone on both sides. */
export async function deleteItems(tx: Tx, tenantId: string, mailboxId: string, ids: readonly number[]): Promise<void> {
  for (const slice of chunk([...new Set(ids)], tx.dialect.maxInList)) {
    await tx.db.deleteFrom('sync_item').where('tenant_id', '=', tenantId).where('mailbox_id', '=', mailboxId).where('id', 'in', slice).execute();
  }
}

export function findCursor(tx: Tx, tenantId: string, mailboxId: string, kind: SyncItemKind): Promise<SyncCursorRow | undefined> {
  return tx.db.selectFrom('sync_cursor').selectAll().where('tenant_id', '=', tenantId).where('mailbox_id', '=', mailboxId).where('kind', '=', kind).executeTakeFirst();
}

export interface CursorValues {
  deltaLink: string | null;
  /** The date window the delta covers (null for a kind without one: contacts). */
  windowStart: string | null;
  windowEnd: string | null;
  soWatermark: string | null;
  lastReconcileAt: string | null;
  /** Our To Do list or contact folder (migration 011); left as it is when undefined. */
  containerId?: string | null;
}

/**
 * The kind's mappings as the cursor is saved (in its transaction): a later pass that finds none
 * tells a lost mapping table (this was more than 0) from a list with nothing to map (it was 0).
 */
export async function countMappings(tx: Tx, tenantId: string, mailboxId: string, kind: SyncItemKind): Promise<number> {
  const row = await tx.db
    .selectFrom('sync_item')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('mailbox_id', '=', mailboxId)
    .where('kind', '=', kind)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Stores where change detection stands (update, else insert: both dialects, no merge statement). */
export async function saveCursor(tx: Tx, tenantId: string, mailboxId: string, kind: SyncItemKind, c: CursorValues, now: Date): Promise<void> {
  const time = (v: string | null) => (v === null ? null : tx.dialect.time(new Date(v)));
  const values = {
    delta_link: c.deltaLink,
    window_start: time(c.windowStart),
    window_end: time(c.windowEnd),
    so_watermark: time(c.soWatermark),
    last_reconcile_at: time(c.lastReconcileAt),
    ...(c.containerId !== undefined ? { container_id: c.containerId } : {}),
    mapped_items: await countMappings(tx, tenantId, mailboxId, kind),
    updated_at: tx.dialect.time(now),
  };
  const updated = await tx.db
    .updateTable('sync_cursor')
    .set(values)
    .where('tenant_id', '=', tenantId)
    .where('mailbox_id', '=', mailboxId)
    .where('kind', '=', kind)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await tx.db.insertInto('sync_cursor').values({ tenant_id: tenantId, mailbox_id: mailboxId, kind, ...values }).execute();
}

export type NewConflict = Omit<Insertable<SyncConflictTable>, 'id' | 'created_at'>;

/** Records fields both sides changed, and who won. */
export async function insertConflicts(tx: Tx, rows: readonly NewConflict[], now: Date): Promise<void> {
  const at = tx.dialect.time(now);
  for (const slice of chunk(rows, tx.dialect.rowsPerStatement(13))) {
    await tx.db
      .insertInto('sync_conflict')
      .values(slice.map((r) => ({ ...r, created_at: at })))
      .execute();
  }
}

/** What a pass ended in, for the status an administrator reads. */
export interface PassOutcome {
  state: SyncMailboxState;
  /** Plain words, null when there is nothing wrong; left as it is when undefined. */
  lastError?: string | null;
  dueInMs: number;
  /** A good pass: its counts, and it becomes the last success. */
  success?: { created: number; updated: number; deleted: number; conflicts: number };
  breakerDetail?: string | null;
  /** The administrator's release was used up by this pass. */
  clearBreakerRelease?: boolean;
  /** What each kind that ran ended in (written with the mailbox's outcome, in its transaction). */
  kinds?: readonly KindOutcome[];
}

/** What one kind's pass ended in, for the per-kind status (kinds that did not run keep theirs). */
export interface KindOutcome {
  kind: SyncItemKind;
  state: SyncKindState;
  /** Plain words, null when there is nothing wrong. */
  lastError: string | null;
  /** A good pass of this kind: its counts, and it becomes the kind's last success. */
  success?: { created: number; updated: number; deleted: number; conflicts: number };
}

/** Writes the pass's outcome and next due time, only while `lease` holds the mailbox. */
export async function recordPassOutcome(tx: Tx, lease: LeaseKey, o: PassOutcome): Promise<void> {
  const d = tx.dialect;
  await tx.db
    .updateTable('sync_mailbox')
    .set({
      state: o.state,
      ...(o.lastError !== undefined ? { last_error: o.lastError === null ? null : o.lastError.slice(0, 1000) } : {}),
      last_pass_at: d.now(),
      next_due_at: d.nowPlus(o.dueInMs),
      ...(o.success
        ? {
            last_success_at: d.now(),
            last_created: o.success.created,
            last_updated: o.success.updated,
            last_deleted: o.success.deleted,
            last_conflicts: o.success.conflicts,
          }
        : {}),
      ...(o.breakerDetail !== undefined ? { breaker_detail: o.breakerDetail } : {}),
      ...(o.clearBreakerRelease ? { breaker_released_at: null } : {}),
    })
    .where('tenant_id', '=', lease.tenantId)
    .where('mailbox_id', '=', lease.mailboxId)
    .where('lease_owner', '=', lease.owner)
    .where('lease_epoch', '=', lease.epoch)
    .execute();
  if (o.kinds) await recordKindOutcomes(tx, lease, o.kinds);
}

/**
 * Writes each kind's outcome (update, else insert: both dialects, no merge statement). Only inside
 * a fenced transaction (the fence checked the lease at its start); a kind's counts and success
 * time are left as they were when it failed, so the last good pass stays readable.
 */
export async function recordKindOutcomes(tx: Tx, lease: LeaseKey, outcomes: readonly KindOutcome[]): Promise<void> {
  const d = tx.dialect;
  for (const o of outcomes) {
    const values = {
      state: o.state,
      last_pass_at: d.now(),
      last_error: o.lastError === null ? null : o.lastError.slice(0, 1000),
      ...(o.success
        ? {
            last_success_at: d.now(),
            last_created: o.success.created,
            last_updated: o.success.updated,
            last_deleted: o.success.deleted,
            last_conflicts: o.success.conflicts,
          }
        : {}),
    };
    const updated = await tx.db
      .updateTable('sync_kind_status')
      .set(values)
      .where('tenant_id', '=', lease.tenantId)
      .where('mailbox_id', '=', lease.mailboxId)
      .where('kind', '=', o.kind)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      await tx.db.insertInto('sync_kind_status').values({ tenant_id: lease.tenantId, mailbox_id: lease.mailboxId, kind: o.kind, ...values }).execute();
    }
  }
}
