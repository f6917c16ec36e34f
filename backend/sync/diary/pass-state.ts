import { randomUUID } from 'node:crypto';
import type { SyncCursorRow, SyncItemRow } from '../../db/database.js';
import type { Store } from '../../db/store.js';
import { DomainError } from '../../domain-error.js';
import { LeaseLost } from '../lease.service.js';
import type { Fence } from '../worker.js';
import type { DiaryConnections } from './connections.js';
import { fromOutlook, fromSuperOffice, parseTag } from './fields.js';
import {
  deleteItems,
  findItemsByOps,
  insertConflicts,
  insertItems,
  setItemsState,
  updateItem,
  type ItemPatch,
  type NewConflict,
  type NewItem,
  type PassContext,
} from './item.repository.js';
import type { DiaryFields, GraphEvent, OutlookCalendarPort, SoAppointment, SuperOfficeDiaryPort, SyncWindow } from './ports.js';

export const KIND = 'appointment' as const;
/** SuperOffice changes are read again this far back: commits land after their updatedDate. */
export const OVERLAP_MS = 5 * 60_000;
export const EPOCH = '1970-01-01T00:00:00.000Z';

/** What one pass did, for the status columns. */
export interface PassCounts {
  created: number;
  updated: number;
  deleted: number;
  conflicts: number;
}

export const iso = (v: string | Date | null | undefined) => (v === null || v === undefined ? null : new Date(v).toISOString());

/**
 * A cursor but no mapping: the mapping table was lost (a restore, a wipe), so the pass must be
 * full and rebind by tags — unless the last good pass mapped nothing either (`mapped_items` 0,
 * migration 015): then the kind's list is simply empty, and an incremental pass is enough. A
 * cursor from before the count (null) is read the old, safe way.
 */
export const mappingLost = (cursor: Pick<SyncCursorRow, 'mapped_items'> | undefined, mapped: number) => mapped === 0 && cursor?.mapped_items !== 0;

/** Mapped on both sides and in sync (or just out of the window). */
export const bothSides = (i: SyncItemRow) => i.so_id !== null && i.graph_id !== null && (i.state === 'active' || i.state === 'out_of_window');

/**
 * The updatedDate a mapping remembers. SuperOffice keeps whole seconds, so an edit in the same
 * second as our read or write would carry the same value and be skipped for good: a value that
 * recent is remembered a millisecond early, so the next pass reads that item once more and then
 * remembers it exactly (the no-change case of each kind's reconcile). Every kind uses it.
 */
export function soStamp(dialect: Store['dialect'], now: Date, updatedAt: string): string {
  const t = Date.parse(updatedAt);
  return dialect.time(new Date(t >= now.getTime() - 2000 ? t - 1 : t));
}

/** The rows that record a merge's conflicts on one mapping (values cut to their columns' 2,000). */
export function conflictRows(
  at: { tenantId: string; associateId: number; mailboxId: string; kind: SyncItemRow['kind'] },
  item: Pick<SyncItemRow, 'so_id' | 'graph_id'>,
  conflicts: readonly { field: string; base: string | null; superoffice: string; outlook: string; winner: SyncItemRow['origin'] }[],
): NewConflict[] {
  return conflicts.map((c) => ({
    tenant_id: at.tenantId,
    associate_id: at.associateId,
    mailbox_id: at.mailboxId,
    kind: at.kind,
    so_id: item.so_id,
    graph_id: item.graph_id,
    field: c.field,
    base_value: c.base === null ? null : c.base.slice(0, 2000),
    superoffice_value: c.superoffice.slice(0, 2000),
    outlook_value: c.outlook.slice(0, 2000),
    winner: c.winner,
  }));
}

/** One mailbox's pass: what it has read and mapped, and its fenced commits that keep the indexes in step. */
export class PassState {
  readonly counts: PassCounts = { created: 0, updated: 0, deleted: 0, conflicts: 0 };
  readonly now: Date;
  readonly tenantId: string;
  readonly mailboxId: string;
  readonly outlook: OutlookCalendarPort;
  readonly so: SuperOfficeDiaryPort;
  /** Mappings by id; the two indexes below point into it. */
  readonly items = new Map<number, SyncItemRow>();
  readonly bySo = new Map<number, SyncItemRow>();
  readonly byGraph = new Map<string, SyncItemRow>();
  /** Current events seen this pass (the sweep, the delta, gets), by id. */
  readonly events = new Map<string, GraphEvent>();
  /** Current appointments read this pass; null: read and gone (404). */
  readonly appointments = new Map<number, SoAppointment | null>();
  /** Events that are new to us and were born in Outlook (no tag of ours, or a user's copy of a tagged one). */
  readonly outlookBorn = new Map<string, GraphEvent>();
  window!: SyncWindow;
  /** Mapped items that left the window this pass: `out_of_window` once their last change went across. */
  readonly leaving = new Set<number>();
  /** An item was left for the next pass (changed meanwhile, 412): the cursor stays where it was. */
  deferred = false;
  /** Items a transient failure stopped: the pass ends with that error after finishing the rest. */
  failure: DomainError | null = null;

  constructor(
    readonly store: Store,
    readonly fence: Fence,
    readonly ctx: PassContext,
    connections: DiaryConnections,
    clock: () => Date,
  ) {
    this.now = clock();
    this.tenantId = fence.tenantId;
    this.mailboxId = fence.mailboxId;
    this.outlook = connections.outlook;
    this.so = connections.superoffice;
  }

  defer(): void {
    this.deferred = true;
  }

  /** Before every write to Microsoft 365 or SuperOffice, which no database fence can stop. */
  guard(): void {
    this.fence.signal.throwIfAborted();
  }

  index(item: SyncItemRow): void {
    const old = this.items.get(item.id);
    if (old?.so_id != null && this.bySo.get(old.so_id) === old) this.bySo.delete(old.so_id);
    if (old?.graph_id != null && this.byGraph.get(old.graph_id) === old) this.byGraph.delete(old.graph_id);
    this.items.set(item.id, item);
    if (item.so_id !== null) this.bySo.set(item.so_id, item);
    if (item.graph_id !== null) this.byGraph.set(item.graph_id, item);
  }

  forget(item: SyncItemRow): void {
    this.items.delete(item.id);
    if (item.so_id !== null) this.bySo.delete(item.so_id);
    if (item.graph_id !== null) this.byGraph.delete(item.graph_id);
  }

  /** Commits a change of one mapping and keeps the in-memory copy in step. */
  async commit(item: SyncItemRow, patch: ItemPatch, conflicts: NewConflict[] = []): Promise<SyncItemRow> {
    await this.fence.write(async (tx) => {
      await updateItem(tx, this.tenantId, this.mailboxId, item.id, patch, this.now);
      if (conflicts.length > 0) await insertConflicts(tx, conflicts, this.now);
    });
    const next = { ...item, ...patch } as SyncItemRow;
    this.index(next);
    return next;
  }

  /** Deletes one mapping in a fenced write and from the indexes. */
  async remove(item: SyncItemRow): Promise<void> {
    await this.fence.write((tx) => deleteItems(tx, this.tenantId, this.mailboxId, [item.id]));
    this.forget(item);
  }

  /** Rebinds and detaches, committed before anything is written outside. */
  async commitRebinds(bindings: { item: SyncItemRow; graphId: string }[], rebound: NewItem[], detach: SyncItemRow[], forget: SyncItemRow[]): Promise<void> {
    if (bindings.length > 0 || rebound.length > 0 || detach.length > 0 || forget.length > 0) {
      const bound = (graphId: string): ItemPatch => ({ graph_id: graphId, state: 'active', graph_hash: null, graph_change_key: null });
      await this.fence.write(async (tx) => {
        for (const { item, graphId } of bindings) await updateItem(tx, this.tenantId, this.mailboxId, item.id, bound(graphId), this.now);
        await setItemsState(tx, this.tenantId, this.mailboxId, detach.map((i) => i.id), 'detached', this.now);
        await deleteItems(tx, this.tenantId, this.mailboxId, forget.map((i) => i.id));
      });
      for (const { item, graphId } of bindings) this.index({ ...item, ...bound(graphId) } as SyncItemRow);
      for (const i of detach) this.index({ ...i, state: 'detached' });
      for (const i of forget) this.forget(i);
      await this.insert(rebound);
    }
  }

  newItem(values: Pick<NewItem, 'so_id' | 'graph_id' | 'origin' | 'state'> & Partial<NewItem>): NewItem {
    return {
      tenant_id: this.tenantId,
      associate_id: this.ctx.associateId,
      mailbox_id: this.mailboxId,
      kind: KIND,
      ...values,
    };
  }

  /** Inserts new mappings (each with a fresh op id, by which they are read back) in one fenced write. */
  async insert(rows: NewItem[]): Promise<SyncItemRow[]> {
    if (rows.length === 0) return [];
    const withOps = rows.map((r) => ({ ...r, op_id: r.op_id ?? randomUUID(), op_started_at: r.op_started_at ?? this.store.dialect.time(this.now) }));
    const stored = await this.fence.write(async (tx) => {
      await insertItems(tx, withOps, this.now);
      return findItemsByOps(tx, this.tenantId, this.mailboxId, withOps.map((r) => r.op_id!));
    });
    for (const item of stored) this.index(item);
    return stored;
  }

  /** See soStamp. */
  stamp(updatedAt: string): string {
    return soStamp(this.store.dialect, this.now, updatedAt);
  }

  soFields(a: SoAppointment): DiaryFields {
    return fromSuperOffice(a, this.ctx.zone);
  }

  olFields(e: GraphEvent): DiaryFields {
    return fromOutlook(e, this.ctx.zone);
  }

  async appointment(id: number): Promise<SoAppointment | null> {
    if (!this.appointments.has(id)) this.appointments.set(id, await this.so.get(id));
    return this.appointments.get(id)!;
  }

  async event(id: string): Promise<GraphEvent | null> {
    const seen = this.events.get(id);
    if (seen && seen.tag !== undefined) return seen;
    const got = await this.outlook.get(id);
    if (got) this.events.set(id, got);
    else this.events.delete(id);
    return got;
  }

  tagged(e: GraphEvent): number | null {
    return e.tag ? parseTag(e.tag, this.tenantId) : null;
  }
}

/**
 * `err` when it is an outside service's answer (a DomainError other than a lost lease); anything
 * else (the database failing, a lost lease, a bug) is thrown on: it ends the pass, and the next
 * one starts from what was committed.
 */
export function upstreamError(err: unknown): DomainError {
  if (err instanceof LeaseLost || !(err instanceof DomainError)) throw err;
  return err;
}
