import { randomUUID } from 'node:crypto';
import type { SyncItemRow } from '../../db/database.js';
import type { DomainError } from '../../domain-error.js';
import { graphRefOf, parseTag, syncWindow, tagOf } from '../diary/fields.js';
import {
  deleteItems,
  findCursor,
  findItemsByOps,
  insertConflicts,
  insertItems,
  listItems,
  recordPassOutcome,
  saveCursor,
  setItemsState,
  updateItem,
  type ItemPatch,
  type NewConflict,
  type NewItem,
} from '../diary/item.repository.js';
import { BREAKER_FLOOR, massDeleteReason } from '../breaker.js';
import { conflictRows, EPOCH, iso, mappingLost, OVERLAP_MS, soStamp, upstreamError, type PassCounts } from '../diary/pass-state.js';
import type { SoAppointment, SoChange, SyncWindow } from '../diary/ports.js';
import { instantDate } from '../diary/time.js';
import type { KindPass, KindPassInput } from '../kind-pass.js';
import { fromChecklist, fromTodo, hashTask, mergeTask, parseBase, toChecklistWrite, toTodoWrite } from './fields.js';
import { TodoDeltaExpired, TodoListGone, type SuperOfficeChecklistPort, type TaskFields, type TaskLink, type TodoDelta, type TodoPort, type TodoTask } from './ports.js';
import { archiveQuestion } from '../diary/pass-read.js';
import { checklistRefusal } from '../decide.js';

/*
 * The task pass: one mailbox's SuperOffice checklist ⇄ a Microsoft To Do list of ours
 * ("SuperOffice"), once, in the diary pass's steps (diary/pass.ts), with these differences:
 * - The list is found by the id remembered on the task cursor (`container_id`), else by name,
 *   else created; a stored id that 404s is looked up by name again (a full pass follows).
 * - Read: FULL (no cursor, window moved, list new, a lost mapping table, token expired) = the list's delta
 *   from scratch (for the next link) plus one sweep of the list with linked resources expanded
 *   (the tag lookup); INCREMENTAL = the list's delta only: an idle mailbox costs one Graph request.
 *   SuperOffice: the checklist rows of the associate in the window updated since the watermark
 *   (and the id set at most hourly), as the diary reads its rows.
 * - Tag: a linked resource {applicationName: ours, externalId: the appointment's tag, webUrl: the
 *   item in the CRM}. To Do takes no transactionId, so a lost answer to a create is never posted
 *   again: the intent stays pending and the next pass finds the task by its linked resource.
 * - Gone from our list (`@removed`, or missing from the sweep, confirmed by a 404): the task was
 *   deleted, or the user moved it to another list (its id changes: todoTask docs). A task with
 *   our tag in another list means moved: the mapping is kept as `detached`, the checklist item
 *   stays. Only a task found nowhere deletes the item, and only one that is ours to delete (in
 *   the associate's own checklist, not a booking, not completed), as in the diary.
 * - The circuit breaker counts as the diary's does (diary/pass-deletes.ts).
 */

export const KIND = 'task' as const;
/** The list of ours in each mailbox. */
export const TASK_LIST_NAME = 'SuperOffice';
/** Our linked resources' applicationName. */
export const TASK_APP_NAME = 'SuperOffice Mailbox Link';
const RECONCILE_MS = 60 * 60_000;
const MAX_ITEM_ERRORS = 5;

/** Mapped on both sides; `out_of_window` ones still merge a change (and so come back), as the diary's do (diary/pass-state.ts). */
const bothSides = (i: SyncItemRow) => i.so_id !== null && i.graph_id !== null && (i.state === 'active' || i.state === 'out_of_window');
const active = (i: SyncItemRow) => bothSides(i) && i.state === 'active';

class TaskState {
  readonly counts: PassCounts = { created: 0, updated: 0, deleted: 0, conflicts: 0 };
  readonly now: Date;
  readonly tenantId: string;
  readonly mailboxId: string;
  readonly todo: TodoPort;
  readonly so: SuperOfficeChecklistPort;
  readonly items = new Map<number, SyncItemRow>();
  readonly bySo = new Map<number, SyncItemRow>();
  readonly byGraph = new Map<string, SyncItemRow>();
  readonly tasks = new Map<string, TodoTask>();
  readonly appointments = new Map<number, SoAppointment | null>();
  readonly todoBorn = new Map<string, TodoTask>();
  window!: SyncWindow;
  listId!: string;
  today!: string;
  deferred = false;
  /** Mapped items whose checklist item left the window this pass: `out_of_window` once their last change went across. */
  readonly leaving = new Set<number>();
  /** The window's checklist ids, when read this pass. */
  soIds: Set<number> | null = null;
  failure: DomainError | null = null;
  private swept: TodoTask[] | null = null;

  constructor(readonly i: KindPassInput) {
    this.now = i.clock();
    this.tenantId = i.fence.tenantId;
    this.mailboxId = i.fence.mailboxId;
    const { todo, checklist } = i.connections;
    if (!todo || !checklist) throw new Error('the task connections are missing');
    this.todo = todo;
    this.so = checklist;
  }

  get ctx() {
    return this.i.ctx;
  }

  guard(): void {
    this.i.fence.signal.throwIfAborted();
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
    if (item.so_id !== null && this.bySo.get(item.so_id) === item) this.bySo.delete(item.so_id);
    if (item.graph_id !== null && this.byGraph.get(item.graph_id) === item) this.byGraph.delete(item.graph_id);
  }

  async commit(item: SyncItemRow, patch: ItemPatch, conflicts: NewConflict[] = []): Promise<SyncItemRow> {
    await this.i.fence.write(async (tx) => {
      await updateItem(tx, this.tenantId, this.mailboxId, item.id, patch, this.now);
      if (conflicts.length > 0) await insertConflicts(tx, conflicts, this.now);
    });
    const next = { ...item, ...patch } as SyncItemRow;
    this.index(next);
    return next;
  }

  async remove(item: SyncItemRow): Promise<void> {
    await this.i.fence.write((tx) => deleteItems(tx, this.tenantId, this.mailboxId, [item.id]));
    this.forget(item);
  }

  newItem(values: Pick<NewItem, 'so_id' | 'graph_id' | 'origin' | 'state'>): NewItem {
    return { tenant_id: this.tenantId, associate_id: this.ctx.associateId, mailbox_id: this.mailboxId, kind: KIND, ...values };
  }

  /** New mappings, each with a fresh op id (the write-ahead intent), in one fenced write. */
  async insert(rows: NewItem[]): Promise<SyncItemRow[]> {
    if (rows.length === 0) return [];
    const withOps = rows.map((r) => ({ ...r, op_id: randomUUID(), op_started_at: this.i.store.dialect.time(this.now) }));
    const stored = await this.i.fence.write(async (tx) => {
      await insertItems(tx, withOps, this.now);
      return findItemsByOps(tx, this.tenantId, this.mailboxId, withOps.map((r) => r.op_id));
    });
    for (const item of stored) this.index(item);
    return stored;
  }

  /** As the diary's PassState.stamp: SuperOffice's whole seconds. */
  stamp(updatedAt: string): string {
    return soStamp(this.i.store.dialect, this.now, updatedAt);
  }

  soFields(a: SoAppointment): TaskFields {
    return fromChecklist(a, this.ctx.zone);
  }

  async appointment(id: number): Promise<SoAppointment | null> {
    if (!this.appointments.has(id)) this.appointments.set(id, await this.so.get(id));
    return this.appointments.get(id)!;
  }

  /** The task with its tag (read again unless already read with it). */
  async task(id: string): Promise<TodoTask | null> {
    const seen = this.tasks.get(id);
    if (seen && seen.tag !== undefined) return seen;
    const got = await this.todo.get(this.listId, id);
    if (got) this.tasks.set(id, got);
    else this.tasks.delete(id);
    return got;
  }

  /** Our list with tags, read once per pass (the full pass's sweep, or on demand). */
  async sweep(): Promise<TodoTask[]> {
    this.swept ??= await this.todo.listTasks(this.listId);
    return this.swept;
  }

  tagged(t: TodoTask): number | null {
    return t.tag ? parseTag(t.tag, this.tenantId) : null;
  }

  link(a: { id: number; title: string }): TaskLink {
    return { applicationName: TASK_APP_NAME, externalId: tagOf(this.tenantId, a.id), webUrl: this.so.crmLink(a.id), displayName: `SuperOffice: ${a.title}`.slice(0, 255) };
  }

  /** Ours to keep in step: the associate's own checklist row, of a synced type. */
  syncs(a: SoAppointment | null | undefined): a is SoAppointment {
    return !!a && checklistRefusal(a, this.ctx.associateId) === null;
  }

  async itemFailed(item: SyncItemRow, err: unknown): Promise<void> {
    const upstream = upstreamError(err);
    if (['throttled', 'unavailable', 'unauthenticated', 'forbidden'].includes(upstream.kind)) {
      this.failure ??= upstream;
      return;
    }
    const errors = (item.error_count ?? 0) + 1;
    await this.commit(item, { error_count: errors, last_error: upstream.message.slice(0, 1000), ...(errors >= MAX_ITEM_ERRORS ? { state: 'error' as const } : {}) });
  }
}

export const taskKind: KindPass = {
  kind: KIND,
  label: 'Task',
  enabled: (ctx) => ctx.task,
  // The checklist's archive question, read with the diary's in one request (diary/shared-archive.ts); a list not known yet means a full pass.
  prepare: async ({ store, fence, ctx, connections, clock }) => {
    if (!connections.appointments) return;
    const cursor = await findCursor(store, fence.tenantId, fence.mailboxId, KIND);
    const window = syncWindow(clock(), ctx.pastDays, ctx.futureDays, ctx.zone);
    connections.appointments.expect('checklist', ctx.associateId, archiveQuestion(cursor, window, !cursor?.container_id), window);
  },
  run: (input) => runTasks(new TaskState(input)),
};

async function runTasks(s: TaskState): Promise<PassCounts | 'breaker'> {
  const { store } = s.i;
  for (const item of await listItems(store, s.tenantId, s.mailboxId, KIND)) s.index(item);
  const cursor = await findCursor(store, s.tenantId, s.mailboxId, KIND);
  s.window = syncWindow(s.now, s.ctx.pastDays, s.ctx.futureDays, s.ctx.zone);
  s.today = instantDate(s.now.toISOString(), s.ctx.zone);
  const window = s.window;

  // --- 1. Read both sides.
  let listNew = !cursor?.container_id;
  s.listId = cursor?.container_id ?? (await s.todo.ensureList(TASK_LIST_NAME));
  const sameWindow = !!cursor && iso(cursor.window_start) === iso(window.start) && iso(cursor.window_end) === iso(window.end);
  let full = listNew || !cursor?.delta_link || !sameWindow || mappingLost(cursor, s.items.size);
  let delta: TodoDelta | null = null;
  if (!full) {
    try {
      delta = await s.todo.delta(s.listId, { deltaLink: cursor!.delta_link! });
    } catch (err) {
      if (err instanceof TodoListGone) {
        s.listId = await s.todo.ensureList(TASK_LIST_NAME);
        listNew = true;
        await forgetOldList(s);
      } else if (!(err instanceof TodoDeltaExpired)) throw err;
      full = true;
    }
  }
  if (full) {
    try {
      delta = await s.todo.delta(s.listId, 'fresh');
    } catch (err) {
      if (!(err instanceof TodoListGone)) throw err;
      s.listId = await s.todo.ensureList(TASK_LIST_NAME);
      listNew = true;
      await forgetOldList(s);
      delta = await s.todo.delta(s.listId, 'fresh');
    }
  }
  const sweep = full ? await s.sweep() : null;
  for (const t of sweep ?? delta!.changed) s.tasks.set(t.id, t);
  const removed = full ? [] : delta!.removed;

  const watermark = iso(cursor?.so_watermark);
  const since = full || watermark === null ? EPOCH : new Date(Date.parse(watermark) - OVERLAP_MS).toISOString();
  const soRows: SoChange[] = await s.so.changedSince(s.ctx.associateId, since, window);
  const reconcile = full || !cursor?.last_reconcile_at || s.now.getTime() - Date.parse(iso(cursor.last_reconcile_at)!) >= RECONCILE_MS;
  const soIds = full ? new Set(soRows.map((r) => r.id)) : reconcile ? await s.so.idsInWindow(s.ctx.associateId, window) : null;
  s.soIds = soIds;
  for (const row of soRows) {
    const mapped = s.bySo.get(row.id);
    if (mapped && iso(mapped.so_updated_at) === iso(row.updatedAt) && mapped.so_hash !== null) continue;
    await s.appointment(row.id);
  }

  // --- 2. Rebind tagged tasks before anything is created.
  const bindings: { item: SyncItemRow; graphId: string }[] = [];
  const rebound: NewItem[] = [];
  const bindTagged = (soId: number, tagged: TodoTask[]) => {
    const item = s.bySo.get(soId);
    const keep = (item && tagged.find((t) => t.id === item.graph_id)) ?? tagged[0]!;
    for (const copy of tagged) if (copy !== keep && !s.byGraph.has(copy.id)) s.todoBorn.set(copy.id, copy);
    const other = s.byGraph.get(keep.id);
    if (other && other !== item) return;
    if (!item) {
      if (!rebound.some((r) => r.so_id === soId)) rebound.push(s.newItem({ so_id: soId, graph_id: keep.id, origin: 'superoffice', state: 'active' }));
    } else if (item.graph_id !== keep.id && (item.graph_id === null || !s.tasks.has(item.graph_id) || item.state !== 'active')) bindings.push({ item, graphId: keep.id });
  };
  const byTag = (list: TodoTask[]) => {
    const groups = new Map<number, TodoTask[]>();
    for (const t of list) {
      const soId = s.tagged(t);
      if (soId === null) {
        if (!s.byGraph.has(t.id)) s.todoBorn.set(t.id, t);
      } else groups.set(soId, [...(groups.get(soId) ?? []), t]);
    }
    for (const [soId, tagged] of groups) bindTagged(soId, tagged.sort(byCreated));
  };
  if (sweep) byTag(sweep);
  else {
    const unmapped: TodoTask[] = [];
    for (const t of delta!.changed) {
      if (s.byGraph.has(t.id)) continue;
      const read = await s.task(t.id);
      if (read) unmapped.push(read);
    }
    byTag(unmapped);
  }
  // Intents an earlier pass left: the task may exist (a lost answer, a crash before the commit).
  const stale: SyncItemRow[] = [];
  for (const item of [...s.items.values()]) {
    if (item.state !== 'pending' || item.so_id === null || item.graph_id !== null) continue;
    const tagged = (await s.sweep()).filter((t) => s.tagged(t) === item.so_id);
    for (const t of tagged) s.tasks.set(t.id, t);
    if (tagged.length > 0) bindTagged(item.so_id, tagged.sort(byCreated));
    else if ((await s.appointment(item.so_id)) === null) stale.push(item);
  }

  // --- 4 (planned first). Deletes.
  const planned: ({ side: 'todo'; item: SyncItemRow } | { side: 'superoffice'; item: SyncItemRow; appointment: SoAppointment })[] = [];
  const detach: { item: SyncItemRow; graphId?: string }[] = [];
  const forget: SyncItemRow[] = [...stale];
  const decided = new Set<number>();
  for (const item of [...s.items.values()]) {
    if (!active(item)) continue;
    const missing = (soIds !== null && !soIds.has(item.so_id!)) || s.appointments.get(item.so_id!) === null;
    if (!missing) continue;
    const now = await s.appointment(item.so_id!);
    if (now !== null) {
      // Still there: it left the window (or changed hands). Never deleted on either side; its last change still goes across.
      s.leaving.add(item.id);
      continue;
    }
    decided.add(item.id);
    const task = await s.task(item.graph_id!);
    if (task === null) forget.push(item);
    else if (s.tagged(task) === item.so_id) planned.push({ side: 'todo', item });
    else detach.push({ item });
  }
  const gone = new Set(removed);
  if (sweep) for (const item of s.items.values()) if (active(item) && !s.leaving.has(item.id) && !s.tasks.has(item.graph_id!)) gone.add(item.graph_id!);
  for (const graphId of gone) {
    const item = s.byGraph.get(graphId);
    if (!item || !bothSides(item) || decided.has(item.id)) continue;
    s.tasks.delete(graphId);
    if ((await s.task(graphId)) !== null) continue;
    decided.add(item.id);
    // Deleted in To Do while its checklist item is outside the window: never a delete there; detached.
    if (item.state === 'out_of_window' || s.leaving.has(item.id)) {
      detach.push({ item });
      continue;
    }
    // Moved to another list by the user (its id changed): detached, the checklist item kept.
    const moved = await s.todo.findElsewhere(s.listId, tagOf(s.tenantId, item.so_id!));
    if (moved) {
      detach.push({ item, graphId: moved.id });
      continue;
    }
    const appointment = await s.appointment(item.so_id!);
    if (appointment === null) forget.push(item);
    else if (appointment.associateId === s.ctx.associateId && appointment.motherId === 0 && !appointment.completed) planned.push({ side: 'superoffice', item, appointment });
    else detach.push({ item });
  }
  if (s.ctx.breakerReleasedAt === null) {
    const detail = breaker(s, planned.length, planned.filter((d) => d.side === 'todo').length, sweep, soIds);
    if (detail !== null) {
      await s.i.fence.write((tx) => recordPassOutcome(tx, s.i.fence, { state: 'breaker', lastError: detail, breakerDetail: detail, dueInMs: 0 }));
      return 'breaker';
    }
  }
  if (bindings.length + detach.length + forget.length > 0) {
    const bound = (graphId: string): ItemPatch => ({ graph_id: graphId, state: 'active', graph_hash: null, graph_change_key: null });
    await s.i.fence.write(async (tx) => {
      for (const { item, graphId } of bindings) await updateItem(tx, s.tenantId, s.mailboxId, item.id, bound(graphId), s.now);
      await setItemsState(tx, s.tenantId, s.mailboxId, detach.map((d) => d.item.id), 'detached', s.now);
      await deleteItems(tx, s.tenantId, s.mailboxId, forget.map((i) => i.id));
    });
    for (const { item, graphId } of bindings) s.index({ ...item, ...bound(graphId) } as SyncItemRow);
    for (const { item } of detach) s.index({ ...item, state: 'detached' });
    for (const i of forget) s.forget(i);
  }
  await s.insert(rebound);

  // --- 3. Changes on items mapped on both sides.
  for (const item of [...s.items.values()]) {
    if (!bothSides(item) || decided.has(item.id)) continue;
    try {
      await reconcile1(s, item);
    } catch (err) {
      await s.itemFailed(item, err);
    }
  }

  // --- 4. Deletes.
  for (const d of planned) {
    s.guard();
    if (d.side === 'todo') await s.todo.delete(s.listId, d.item.graph_id!);
    else if ((await s.so.delete(d.item.so_id!, d.appointment.updatedAt)) === 'conflict') {
      s.deferred = true;
      continue;
    } else s.appointments.set(d.item.so_id!, null); // gone now: nothing to create for it below
    await s.remove(d.item);
    s.counts.deleted += 1;
  }

  // --- 5. Creates: To Do-born first (a recovered one binds its checklist item), then SuperOffice-born.
  await createInSuperOffice(s);
  await createInTodo(s);

  if (s.failure) throw s.failure;
  if (s.deferred) return s.counts;
  const seen = soRows.map((r) => iso(r.updatedAt)!).concat(watermark ?? []);
  await s.i.fence.write((tx) =>
    saveCursor(
      tx,
      s.tenantId,
      s.mailboxId,
      KIND,
      {
        deltaLink: delta!.deltaLink,
        windowStart: window.start,
        windowEnd: window.end,
        soWatermark: seen.length > 0 ? seen.reduce((a, b) => (a > b ? a : b)) : null,
        lastReconcileAt: soIds !== null ? s.now.toISOString() : iso(cursor?.last_reconcile_at),
        containerId: s.listId,
      },
      s.now,
    ),
  );
  void listNew;
  return s.counts;
}

/**
 * Our list was deleted (the user, or an administrator): its tasks went with it, and so did their
 * ids. Nothing in SuperOffice is deleted for that: every mapped item becomes an intent again
 * (made anew in the new list, or bound to a tagged task found there), half-done To Do-born
 * intents are dropped.
 */
async function forgetOldList(s: TaskState): Promise<void> {
  const keep = [...s.items.values()].filter((i) => i.so_id !== null && (i.state === 'active' || i.state === 'pending'));
  const drop = [...s.items.values()].filter((i) => i.so_id === null);
  if (keep.length + drop.length === 0) return;
  const reset: ItemPatch = { graph_id: null, state: 'pending', graph_hash: null, graph_change_key: null };
  await s.i.fence.write(async (tx) => {
    for (const item of keep) await updateItem(tx, s.tenantId, s.mailboxId, item.id, reset, s.now);
    await deleteItems(tx, s.tenantId, s.mailboxId, drop.map((i) => i.id));
  });
  for (const item of keep) s.index({ ...item, ...reset } as SyncItemRow);
  for (const item of drop) s.forget(item);
}

const byCreated = (a: TodoTask, b: TodoTask) => a.createdDateTime.localeCompare(b.createdDateTime) || a.id.localeCompare(b.id);

/** The diary's breaker rules over this kind's planned deletes. */
function breaker(s: TaskState, deletes: number, inTodo: number, sweep: TodoTask[] | null, soIds: Set<number> | null): string | null {
  const mapped = [...s.items.values()].filter(bothSides).length;
  const what = `${inTodo} To Do task(s) and ${deletes - inTodo} SuperOffice checklist item(s) of ${mapped} tasks in sync`;
  const mass = massDeleteReason(deletes, mapped, what, 'tasks');
  if (mass !== null) return mass;
  if (mapped >= BREAKER_FLOOR) {
    if (soIds !== null && soIds.size === 0) return `Stopped: SuperOffice returned no checklist items in the window while ${mapped} tasks are in sync. An administrator can release it.`;
    if (sweep !== null && sweep.length === 0) return `Stopped: To Do returned no tasks in our list while ${mapped} tasks are in sync. An administrator can release it.`;
  }
  return null;
}

async function reconcile1(s: TaskState, item: SyncItemRow): Promise<void> {
  const fetched = s.appointments.get(item.so_id!);
  if (fetched === null) return;
  const task = s.tasks.get(item.graph_id!);
  const soNow = fetched && s.syncs(fetched) ? s.soFields(fetched) : null;
  const tdNow = task ? fromTodo(task) : null;
  const soChanged = soNow !== null && hashTask(soNow) !== item.so_hash;
  const tdChanged = tdNow !== null && hashTask(tdNow) !== item.graph_hash;
  // Leaving: out_of_window after this merge. Out of it: back when changed, or seen in the window again.
  const back = soChanged || tdChanged || (s.soIds?.has(item.so_id!) ?? false);
  const state = s.leaving.has(item.id) ? 'out_of_window' : item.state === 'out_of_window' && !back ? 'out_of_window' : 'active';
  if (!soChanged && !tdChanged) {
    const patch: ItemPatch = {};
    // Remembered exactly, as the diary does (PassState.stamp): the millisecond-early value of a
    // recent change has brought this one read; stamping it again would re-read it every pass.
    if (fetched && iso(item.so_updated_at) !== iso(fetched.updatedAt)) patch.so_updated_at = s.i.store.dialect.time(new Date(fetched.updatedAt));
    if (state !== item.state) patch.state = state;
    if (Object.keys(patch).length > 0) await s.commit(item, patch);
    return;
  }
  const base = parseBase(item.base_json);
  const appointment = fetched ?? (await s.appointment(item.so_id!));
  const current = task ?? (await s.task(item.graph_id!));
  if (!s.syncs(appointment) || current === null) return; // gone or out of scope: the next pass decides
  const so = s.soFields(appointment);
  const td = fromTodo(current);
  const merge = mergeTask(base, so, td, s.ctx.winner, s.today, s.ctx.zone);
  const patch: ItemPatch = { state, base_json: JSON.stringify(merge.merged), so_hash: hashTask(so), graph_hash: hashTask(td), so_updated_at: s.stamp(appointment.updatedAt) };
  let wrote = false;
  if (merge.writeSuperOffice) {
    s.guard();
    const out = await s.so.updateChecklist(item.so_id!, toChecklistWrite(merge.merged, s.ctx.associateId, s.ctx.zone, s.today), appointment.updatedAt);
    if (out === 'conflict') {
      s.deferred = true;
      return;
    }
    if (out === 'gone') return;
    s.appointments.set(out.id, out);
    Object.assign(patch, { so_hash: hashTask(s.soFields(out)), so_updated_at: s.stamp(out.updatedAt) });
    wrote = true;
  }
  if (merge.writeTodo) {
    s.guard();
    const out = await s.todo.update(s.listId, item.graph_id!, toTodoWrite(merge.merged, td));
    if (out === 'gone') return;
    s.tasks.set(out.id, { ...out, tag: current.tag });
    patch.graph_hash = hashTask(fromTodo(out));
    wrote = true;
  }
  const conflicts = conflictRows({ tenantId: s.tenantId, associateId: s.ctx.associateId, mailboxId: s.mailboxId, kind: KIND }, item, merge.conflicts);
  await s.commit(item, patch, conflicts);
  if (wrote) s.counts.updated += 1;
  s.counts.conflicts += conflicts.length;
}

/** Checklist items without a task: intents committed, then one POST each with our linked resource. */
async function createInTodo(s: TaskState): Promise<void> {
  const wanted: SoAppointment[] = [];
  for (const [id, a] of s.appointments) {
    if (!s.syncs(a)) continue;
    const item = s.bySo.get(id);
    if (item && !(item.state === 'pending' && item.graph_id === null)) continue;
    wanted.push(a);
  }
  if (wanted.length === 0) return;
  await s.insert(wanted.filter((a) => !s.bySo.has(a.id)).map((a) => s.newItem({ so_id: a.id, graph_id: null, origin: 'superoffice', state: 'pending' })));
  for (const a of wanted) {
    const intent = s.bySo.get(a.id)!;
    const fields = s.soFields(a);
    try {
      s.guard();
      const made = await s.todo.create(s.listId, toTodoWrite(fields, null), s.link(a));
      s.tasks.set(made.id, made);
      await s.commit(intent, {
        graph_id: made.id,
        state: 'active',
        so_hash: hashTask(fields),
        so_updated_at: s.stamp(a.updatedAt),
        graph_hash: hashTask(fromTodo(made)),
        base_json: JSON.stringify(fields),
        error_count: 0,
        last_error: null,
      });
      s.counts.created += 1;
    } catch (err) {
      await s.itemFailed(intent, err);
    }
  }
}

/** Tasks born in our list: intent → ForeignSystem key → checklist item (committed) → key → our linked resource → committed. */
async function createInSuperOffice(s: TaskState): Promise<void> {
  const pending = [...s.items.values()].filter((i) => i.state === 'pending' && i.origin === 'outlook' && i.graph_id !== null);
  const fresh = [...s.todoBorn.values()].filter((t) => !s.byGraph.has(t.id));
  const intents = await s.insert(fresh.map((t) => s.newItem({ so_id: null, graph_id: t.id, origin: 'outlook', state: 'pending' })));
  for (const intent of [...pending, ...intents]) {
    try {
      await createOne(s, intent, pending.includes(intent));
    } catch (err) {
      await s.itemFailed(s.items.get(intent.id) ?? intent, err);
    }
  }
}

async function createOne(s: TaskState, start: SyncItemRow, recovering: boolean): Promise<void> {
  let intent = start;
  const graphId = intent.graph_id!;
  const task = await s.task(graphId);
  if (task === null) {
    if (intent.so_id === null) await s.remove(intent);
    else await s.commit(intent, { state: 'detached' });
    return;
  }
  const fields = fromTodo(task);
  const ref = graphRefOf(graphId);
  let appointment: SoAppointment | null = null;
  let keyed = false;
  if (intent.so_id === null) {
    const found = await s.so.findByForeignKey(s.mailboxId, ref);
    if (found !== null) appointment = await s.appointment(found);
    keyed = appointment !== null;
    if (appointment === null && recovering) appointment = await findRecoveredCreate(s, intent, fields);
    if (appointment === null) {
      s.guard();
      appointment = await s.so.createChecklist(toChecklistWrite(fields, s.ctx.associateId, s.ctx.zone, s.today));
      s.counts.created += 1;
    }
    s.appointments.set(appointment.id, appointment);
    intent = await s.commit(intent, { so_id: appointment.id, so_updated_at: s.stamp(appointment.updatedAt), so_hash: hashTask(s.soFields(appointment)) });
  } else {
    appointment = await s.appointment(intent.so_id);
    if (appointment === null) {
      await s.commit(intent, { state: 'detached' });
      return;
    }
  }
  if (!keyed && (!recovering || (await s.so.findByForeignKey(s.mailboxId, ref)) === null)) {
    s.guard();
    await s.so.addForeignKey(s.mailboxId, ref, appointment.id);
  }
  if (s.tagged(task) !== appointment.id) {
    s.guard();
    if ((await s.todo.addLink(s.listId, graphId, s.link(appointment))) === 'gone') {
      await s.commit(intent, { state: 'detached' });
      return;
    }
  }
  const after = (await s.todo.get(s.listId, graphId)) ?? task;
  s.tasks.set(graphId, after);
  await s.commit(intent, {
    state: 'active',
    so_hash: hashTask(s.soFields(appointment)),
    graph_hash: hashTask(fromTodo(after)),
    base_json: JSON.stringify(fields),
    error_count: 0,
    last_error: null,
  });
}

/** A crash between creating the checklist item and committing it: the associate's item with the same title and body, updated since the intent. */
async function findRecoveredCreate(s: TaskState, intent: SyncItemRow, fields: TaskFields): Promise<SoAppointment | null> {
  const since = new Date(Date.parse(iso(intent.op_started_at) ?? EPOCH) - OVERLAP_MS).toISOString();
  for (const row of await s.so.changedSince(s.ctx.associateId, since, s.window)) {
    if (s.bySo.has(row.id)) continue;
    const a = await s.appointment(row.id);
    if (a && s.syncs(a)) {
      const f = s.soFields(a);
      if (f.title === fields.title && f.body === fields.body) return a;
    }
  }
  return null;
}
