import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { SyncItemRow, SyncSide } from '../../db/database.js';
import { chunk, readTime } from '../../db/dialect.js';
import type { Store } from '../../db/store.js';
import { DomainError } from '../../domain-error.js';
import type { ClaimedMailbox } from '../lease.service.js';
import { LeaseLost } from '../lease.service.js';
import type { Fence, RunPass } from '../worker.js';
import type { DiaryConnections } from './connections.js';
import {
  fromOutlook,
  fromSuperOffice,
  graphRefOf,
  hashFields,
  mergeFields,
  outlookScope,
  parseTag,
  superOfficeScope,
  syncWindow,
  tagOf,
  toOutlookWrite,
  toSuperOfficeWrite,
  touchesWindow,
} from './fields.js';
import {
  deleteItems,
  findCursor,
  findItemsByOps,
  findPassContext,
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
  type PassContext,
  type PassOutcome,
} from './item.repository.js';
import {
  DeltaExpired,
  type DiaryFields,
  type GraphCreate,
  type GraphEvent,
  type OutlookCalendarPort,
  type SoAppointment,
  type SoChange,
  type SuperOfficeDiaryPort,
  type SyncWindow,
} from './ports.js';

/*
 * The diary pass: one mailbox's SuperOffice diary ⇄ its Outlook primary calendar, once.
 *
 * 1. Read. A FULL pass when there is no cursor or delta link, the date window moved (it is
 *    computed in days in the tenant's zone, so at least daily), Graph's delta token expired, or
 *    the mailbox has a cursor but no mapping (the table was lost): Graph delta from scratch over
 *    the window (for the next delta link), ONE `listWindow` sweep with our tag expanded (the
 *    current events, and the tag lookup for everything in the window), and every SuperOffice
 *    appointment of the associate in the window (`changedSince` from the epoch: ids and
 *    updatedDate, which is also the id set). Otherwise INCREMENTAL: `delta(deltaLink)` and
 *    `changedSince(watermark − overlap)`, plus `idsInWindow` at most hourly (hard deletes). An
 *    appointment is fetched (`get`) only when its updatedDate differs from the mapping's; an
 *    idle pass costs one Graph and one SuperOffice request (plus the hourly id set).
 * 2. Rebind before anything is created. Full pass: every tagged event of the sweep binds to the
 *    mapping of its SuperOffice id (or becomes one); several events with one tag (a user's copy):
 *    the mapped one, else the oldest, keeps the mapping, the others are the user's new
 *    appointments. Incremental: an unmapped event in the delta is read with its tag (`get`);
 *    a write-ahead intent left by an earlier pass is looked up by its tag (`findByTag`).
 * 3. Changes. Each side is hashed (normalised fields); a side whose hash equals the stored one
 *    (what that side returned after our last write) did not change, however often changeKey or
 *    updatedDate bump. Changed sides go into a three-way merge against the last-synced values
 *    (`base_json`); each field both sides changed is a conflict, decided by the tenant's winner
 *    and recorded. Writes: SuperOffice with If-Unmodified-Since (412: left for the next pass),
 *    Outlook PATCH; then the mapping is committed with the merge as its base and both hashes.
 * 4. Deletes. Gone from SuperOffice (not in the id set, confirmed by get → 404): the event is
 *    deleted only if it carries our tag and has not ended, else the mapping is detached. Gone
 *    from Outlook (`@removed`, or missing from a full pass's sweep, confirmed by get → 404): the
 *    appointment is deleted only if it is ours to delete — in this associate's own diary, not a
 *    booking (mother id 0: no other participant's row depends on it), not completed — else
 *    detached. Still there on the other side of a get: it left the window (its last change
 *    still goes across, then `out_of_window`; never deleted). Circuit breaker: the pass counts its deletes (both directions) before doing
 *    any; more than 20, or at least 3 and more than 10 % of the mailbox's mapped items, or one
 *    side empty while at least 3 mapped items should be in the window: nothing at all is written, the
 *    mailbox is stopped (`breaker`, with what it would have deleted in plain words) until an
 *    administrator releases it; the next pass then carries those deletes out once.
 * 5. Creates, never twice: a write-ahead intent row (`pending`, a fresh `op_id`) is committed
 *    before any create; after the tag lookup of step 2, SuperOffice-born events are created in
 *    `$batch`es of 20 with transactionId = op_id and our tag, then committed. Outlook-born
 *    events: intent → ForeignSystem key lookup → create the appointment (committed at once) →
 *    key → tag the event → committed. A pending Outlook-born intent without a SuperOffice id
 *    (a crash between the create and its commit) first looks for an appointment of the
 *    associate updated since the intent with the same field hash. Outlook-born creates run
 *    first, so a recovered appointment is not taken for a new SuperOffice-born one.
 * SuperOffice's updatedDate has whole seconds: see #stamp.
 * 6. The cursor (delta link, window, watermark, last id-set check) is saved only at the end of a
 *    good pass that left nothing for the next one (a 412): a pass that fails half-way, or leaves
 *    an item, is redone from the same point, so no change it saw is lost, and what it already
 *    did is recognised as our own echo.
 * Scope: series masters never (occurrences and exceptions each map to one appointment; each
 * SuperOffice occurrence row to one event); events are written without attendees.
 */

const KIND = 'appointment' as const;
/** SuperOffice changes are read again this far back: commits land after their updatedDate. */
const OVERLAP_MS = 5 * 60_000;
/** The id-set check for hard deletes in SuperOffice, at most this often. */
const RECONCILE_MS = 60 * 60_000;
const EPOCH = '1970-01-01T00:00:00.000Z';
/** More deletes than this in one pass trip the breaker. */
const BREAKER_MAX = 20;
/** …or more than this share of the mailbox's items, once there are at least BREAKER_FLOOR deletes. */
const BREAKER_SHARE = 0.1;
const BREAKER_FLOOR = 3;
/** SuperOffice appointments read in parallel (it publishes no limit; a handful keeps a first sync quick). */
const SO_READS_AT_ONCE = 8;
/** A pending intent whose create failed this often is parked (`error`) instead of retried. */
const MAX_ITEM_ERRORS = 5;

export const OAUTH_MODE_MESSAGE =
  'This tenant is in OAuth mode: mailboxes that each user authorizes are synchronized from a later version. Nothing is read or written until then.';

export interface DiaryPassDeps {
  store: Store;
  /** The mailbox's calendar and the tenant's SuperOffice, as the sync identity (throws DomainErrors). */
  connect(target: { tenantId: string; mailboxId: string }): Promise<DiaryConnections>;
  /** A good pass's mailbox is due again after this long. */
  intervalMs: number;
  /** After an error (SuperOffice or Microsoft 365 unreachable, a refused identity); defaults to intervalMs. */
  retryMs?: number;
  clock?: () => Date;
  logger?: Logger;
}

/** What one pass did, for the status columns. */
export interface PassCounts {
  created: number;
  updated: number;
  deleted: number;
  conflicts: number;
}

const iso = (v: string | Date | null | undefined) => (v === null || v === undefined ? null : new Date(v).toISOString());

/** The diary pass as the worker runs it, for every claimed mailbox. */
export function diaryPass(deps: DiaryPassDeps): RunPass {
  const clock = deps.clock ?? (() => new Date());
  return async (mailbox: ClaimedMailbox, fence: Fence) => {
    const finish = (o: PassOutcome) => fence.write((tx) => recordPassOutcome(tx, fence, o));
    const ctx = await findPassContext(deps.store, mailbox.tenantId, mailbox.mailboxId);
    if (!ctx) return finish({ state: 'in_sync', lastError: null, dueInMs: deps.intervalMs });
    // Stopped by the breaker: nothing happens until an administrator releases it.
    if (ctx.state === 'breaker' && ctx.breakerReleasedAt === null) return finish({ state: 'breaker', dueInMs: deps.intervalMs });
    if (ctx.mode === 'oauth') return finish({ state: 'waiting_authorization', lastError: OAUTH_MODE_MESSAGE, dueInMs: deps.intervalMs });
    // Diary off (Task and Contact are synchronized from a later version): nothing read or written, the mapping kept.
    if (!ctx.diary) return finish({ state: 'in_sync', lastError: null, dueInMs: deps.intervalMs });

    let counts: PassCounts | 'breaker';
    try {
      const connections = await deps.connect({ tenantId: mailbox.tenantId, mailboxId: mailbox.mailboxId });
      counts = await new MailboxPass(deps.store, fence, ctx, connections, clock).run();
    } catch (err) {
      if (err instanceof LeaseLost || !(err instanceof DomainError)) throw err;
      deps.logger?.warn({ tenantId: mailbox.tenantId, mailboxId: mailbox.mailboxId, code: err.code }, 'diary pass: stopped by an outside service');
      if (err.kind === 'throttled') {
        return finish({ state: 'throttled', lastError: err.message, dueInMs: (err.retryAfterSeconds ?? 60) * 1000 });
      }
      return finish({ state: 'error', lastError: err.message, dueInMs: deps.retryMs ?? deps.intervalMs });
    }
    if (counts === 'breaker') return;
    await finish({
      state: 'in_sync',
      lastError: null,
      dueInMs: deps.intervalMs,
      success: counts,
      ...(ctx.breakerReleasedAt !== null ? { breakerDetail: null, clearBreakerRelease: true } : {}),
    });
  };
}

/** A delete the pass plans, carried out only once the breaker has counted them all. */
type PlannedDelete =
  | { side: 'outlook'; item: SyncItemRow }
  | { side: 'superoffice'; item: SyncItemRow; appointment: SoAppointment };

class MailboxPass {
  readonly #counts: PassCounts = { created: 0, updated: 0, deleted: 0, conflicts: 0 };
  readonly #now: Date;
  readonly #tenantId: string;
  readonly #mailboxId: string;
  readonly #outlook: OutlookCalendarPort;
  readonly #so: SuperOfficeDiaryPort;
  /** Mappings by id; the two indexes below point into it. */
  readonly #items = new Map<number, SyncItemRow>();
  readonly #bySo = new Map<number, SyncItemRow>();
  readonly #byGraph = new Map<string, SyncItemRow>();
  /** Current events seen this pass (the sweep, the delta, gets), by id. */
  readonly #events = new Map<string, GraphEvent>();
  /** Current appointments read this pass; null: read and gone (404). */
  readonly #appointments = new Map<number, SoAppointment | null>();
  /** Events that are new to us and were born in Outlook (no tag of ours, or a user's copy of a tagged one). */
  readonly #outlookBorn = new Map<string, GraphEvent>();
  #window!: SyncWindow;
  /** Mapped items that left the window this pass: `out_of_window` once their last change went across. */
  readonly #leaving = new Set<number>();
  /** An item was left for the next pass (changed meanwhile, 412): the cursor stays where it was. */
  #deferred = false;
  /** Items a transient failure stopped: the pass ends with that error after finishing the rest. */
  #failure: DomainError | null = null;

  constructor(
    readonly store: Store,
    readonly fence: Fence,
    readonly ctx: PassContext,
    connections: DiaryConnections,
    clock: () => Date,
  ) {
    this.#now = clock();
    this.#tenantId = fence.tenantId;
    this.#mailboxId = fence.mailboxId;
    this.#outlook = connections.outlook;
    this.#so = connections.superoffice;
  }

  #defer(): void {
    this.#deferred = true;
  }

  /** Before every write to Microsoft 365 or SuperOffice, which no database fence can stop. */
  #guard(): void {
    this.fence.signal.throwIfAborted();
  }

  #index(item: SyncItemRow): void {
    const old = this.#items.get(item.id);
    if (old?.so_id != null && this.#bySo.get(old.so_id) === old) this.#bySo.delete(old.so_id);
    if (old?.graph_id != null && this.#byGraph.get(old.graph_id) === old) this.#byGraph.delete(old.graph_id);
    this.#items.set(item.id, item);
    if (item.so_id !== null) this.#bySo.set(item.so_id, item);
    if (item.graph_id !== null) this.#byGraph.set(item.graph_id, item);
  }

  #forget(item: SyncItemRow): void {
    this.#items.delete(item.id);
    if (item.so_id !== null) this.#bySo.delete(item.so_id);
    if (item.graph_id !== null) this.#byGraph.delete(item.graph_id);
  }

  /** Commits a change of one mapping and keeps the in-memory copy in step. */
  async #commit(item: SyncItemRow, patch: ItemPatch, conflicts: NewConflict[] = []): Promise<SyncItemRow> {
    await this.fence.write(async (tx) => {
      await updateItem(tx, this.#tenantId, this.#mailboxId, item.id, patch, this.#now);
      if (conflicts.length > 0) await insertConflicts(tx, conflicts, this.#now);
    });
    const next = { ...item, ...patch } as SyncItemRow;
    this.#index(next);
    return next;
  }

  #newItem(values: Pick<NewItem, 'so_id' | 'graph_id' | 'origin' | 'state'> & Partial<NewItem>): NewItem {
    return {
      tenant_id: this.#tenantId,
      associate_id: this.ctx.associateId,
      mailbox_id: this.#mailboxId,
      kind: KIND,
      ...values,
    };
  }

  /** Inserts new mappings (each with a fresh op id, by which they are read back) in one fenced write. */
  async #insert(rows: NewItem[]): Promise<SyncItemRow[]> {
    if (rows.length === 0) return [];
    const withOps = rows.map((r) => ({ ...r, op_id: r.op_id ?? randomUUID(), op_started_at: r.op_started_at ?? this.store.dialect.time(this.#now) }));
    const stored = await this.fence.write(async (tx) => {
      await insertItems(tx, withOps, this.#now);
      return findItemsByOps(tx, this.#tenantId, this.#mailboxId, withOps.map((r) => r.op_id!));
    });
    for (const item of stored) this.#index(item);
    return stored;
  }

  /**
   * The updatedDate a mapping remembers. SuperOffice keeps whole seconds, so an edit in the same
   * second as our read or write would carry the same value and be skipped for good: a value that
   * recent is remembered a millisecond early, so the next pass reads that appointment once more
   * and then remembers it exactly (the no-change case in #reconcileItem).
   */
  #stamp(updatedAt: string): string {
    const t = Date.parse(updatedAt);
    return this.store.dialect.time(new Date(t >= this.#now.getTime() - 2000 ? t - 1 : t));
  }

  #soFields(a: SoAppointment): DiaryFields {
    return fromSuperOffice(a, this.ctx.zone);
  }

  #olFields(e: GraphEvent): DiaryFields {
    return fromOutlook(e, this.ctx.zone);
  }

  async #appointment(id: number): Promise<SoAppointment | null> {
    if (!this.#appointments.has(id)) this.#appointments.set(id, await this.#so.get(id));
    return this.#appointments.get(id)!;
  }

  async #event(id: string): Promise<GraphEvent | null> {
    const seen = this.#events.get(id);
    if (seen && seen.tag !== undefined) return seen;
    const got = await this.#outlook.get(id);
    if (got) this.#events.set(id, got);
    else this.#events.delete(id);
    return got;
  }

  #tagged(e: GraphEvent): number | null {
    return e.tag ? parseTag(e.tag, this.#tenantId) : null;
  }

  async run(): Promise<PassCounts | 'breaker'> {
    const store = this.store;
    for (const item of await listItems(store, this.#tenantId, this.#mailboxId, KIND)) this.#index(item);
    const cursor = await findCursor(store, this.#tenantId, this.#mailboxId, KIND);
    this.#window = syncWindow(this.#now, this.ctx.pastDays, this.ctx.futureDays, this.ctx.zone);
    const window = this.#window;
    const sameWindow = !!cursor && iso(cursor.window_start) === iso(window.start) && iso(cursor.window_end) === iso(window.end);
    let full = !cursor || !cursor.delta_link || !sameWindow || this.#items.size === 0;

    // --- 1. Read both sides.
    let delta = null;
    if (!full) {
      try {
        delta = await this.#outlook.delta({ deltaLink: cursor!.delta_link! });
      } catch (err) {
        if (!(err instanceof DeltaExpired)) throw err;
        // Non-destructive: the full pass only confirms deletes by a 404, never by absence alone.
        full = true;
      }
    }
    if (full) delta = await this.#outlook.delta({ window });
    const deltaLink = delta!.deltaLink;
    const removed = full ? [] : delta!.removed;
    let sweep: GraphEvent[] | null = null;
    if (full) {
      sweep = await this.#outlook.listWindow(window);
      for (const e of sweep) this.#events.set(e.id, e);
    } else {
      for (const e of delta!.changed) this.#events.set(e.id, e);
    }

    const watermark = iso(cursor?.so_watermark);
    const since = full || watermark === null ? EPOCH : new Date(Date.parse(watermark) - OVERLAP_MS).toISOString();
    const soRows: SoChange[] = await this.#so.changedSince(this.ctx.associateId, since, window);
    const reconcile = full || cursor!.last_reconcile_at === null || this.#now.getTime() - Date.parse(iso(cursor!.last_reconcile_at)!) >= RECONCILE_MS;
    const soIds: Set<number> | null = full ? new Set(soRows.map((r) => r.id)) : reconcile ? await this.#so.idsInWindow(this.ctx.associateId, window) : null;
    const toRead = soRows.filter((row) => {
      const mapped = this.#bySo.get(row.id);
      return !(mapped && iso(mapped.so_updated_at) === iso(row.updatedAt) && mapped.so_hash !== null);
    });
    // A first sync reads every appointment: a few at a time rather than one after another.
    for (const slice of chunk(toRead, SO_READS_AT_ONCE)) await Promise.all(slice.map((row) => this.#appointment(row.id)));

    // --- 2. Rebind before anything is created.
    const bindings: { item: SyncItemRow; graphId: string }[] = [];
    const rebound: NewItem[] = [];
    const bindTagged = (soId: number, tagged: GraphEvent[]) => {
      const item = this.#bySo.get(soId);
      const keep = (item && tagged.find((e) => e.id === item.graph_id)) ?? tagged[0]!;
      for (const copy of tagged) if (copy !== keep && !this.#byGraph.has(copy.id)) this.#outlookBorn.set(copy.id, copy);
      const other = this.#byGraph.get(keep.id);
      if (other && other !== item) return; // the event is mapped to another appointment: the mapping wins
      if (!item) rebound.push(this.#newItem({ so_id: soId, graph_id: keep.id, origin: 'superoffice', state: 'active' }));
      else if (item.graph_id !== keep.id && (item.graph_id === null || !this.#events.has(item.graph_id))) bindings.push({ item, graphId: keep.id });
    };
    if (sweep) {
      const byTag = new Map<number, GraphEvent[]>();
      for (const e of sweep) {
        if (outlookScope(e) !== null) continue;
        const soId = this.#tagged(e);
        if (soId === null) {
          if (!this.#byGraph.has(e.id)) this.#outlookBorn.set(e.id, e);
          continue;
        }
        byTag.set(soId, [...(byTag.get(soId) ?? []), e]);
      }
      for (const [soId, tagged] of byTag) bindTagged(soId, tagged.sort(byCreated));
    } else {
      for (const e of delta!.changed) {
        if (this.#byGraph.has(e.id) || outlookScope(e) !== null) continue;
        const read = await this.#event(e.id);
        if (!read || outlookScope(read) !== null) continue;
        const soId = this.#tagged(read);
        if (soId === null) this.#outlookBorn.set(read.id, read);
        else bindTagged(soId, (await this.#outlook.findByTag(read.tag!)).filter((x) => outlookScope(x) === null).sort(byCreated));
      }
    }
    // Intents an earlier pass left (it may have created the event and not committed): look up their tag.
    const stale: SyncItemRow[] = [];
    for (const item of [...this.#items.values()]) {
      if (item.state !== 'pending' || item.origin !== 'superoffice' || item.so_id === null || item.graph_id !== null) continue;
      if (bindings.some((b) => b.item === item)) continue;
      const tagged = (await this.#outlook.findByTag(tagOf(this.#tenantId, item.so_id))).filter((e) => outlookScope(e) === null);
      for (const e of tagged) this.#events.set(e.id, e);
      if (tagged.length > 0) bindTagged(item.so_id, tagged.sort(byCreated));
      // Not created yet: read the appointment so its create is tried again below (however long ago
      // it changed); gone meanwhile: nothing was created, nothing is left to do.
      else if ((await this.#appointment(item.so_id)) === null) stale.push(item);
    }

    // --- 4 (planned first). Deletes, and what left the window.
    const planned: PlannedDelete[] = [];
    const detach: SyncItemRow[] = [];
    const forget: SyncItemRow[] = [...stale];
    const bothSides = (i: SyncItemRow) => i.so_id !== null && i.graph_id !== null && (i.state === 'active' || i.state === 'out_of_window');
    const lastSynced = (i: SyncItemRow) => (i.base_json ? (JSON.parse(i.base_json) as DiaryFields) : null);
    const inWindow = (i: SyncItemRow) => {
      const base = lastSynced(i);
      return base === null || touchesWindow(base, window, this.ctx.zone);
    };
    /** Items with a delete decided: no merge for them. */
    const decided = new Set<number>();
    // Gone from SuperOffice: not in the id set (or a get said 404), confirmed by get.
    for (const item of [...this.#items.values()]) {
      if (!bothSides(item) || item.state !== 'active') continue;
      if (full && !inWindow(item)) {
        this.#leaving.add(item.id);
        continue;
      }
      const missing = (soIds !== null && !soIds.has(item.so_id!) && inWindow(item)) || this.#appointments.get(item.so_id!) === null;
      if (!missing) continue;
      const now = await this.#appointment(item.so_id!);
      if (now !== null) {
        // Still there: it left the window (or the associate's diary). Its last change still goes across.
        this.#leaving.add(item.id);
        continue;
      }
      decided.add(item.id);
      const event = await this.#event(item.graph_id!);
      if (event === null) forget.push(item);
      else if (this.#tagged(event) === item.so_id && !this.#ended(this.#olFields(event))) planned.push({ side: 'outlook', item });
      else detach.push(item);
    }
    // Gone from Outlook: `@removed`, or (full pass) missing from the sweep; confirmed by get.
    const gone = new Set(removed);
    if (sweep) {
      for (const item of this.#items.values()) {
        if (bothSides(item) && item.state === 'active' && !this.#events.has(item.graph_id!) && !this.#leaving.has(item.id)) gone.add(item.graph_id!);
      }
    }
    for (const graphId of gone) {
      const item = this.#byGraph.get(graphId);
      if (!item || !bothSides(item) || decided.has(item.id)) continue;
      this.#events.delete(graphId);
      const event = await this.#event(graphId);
      if (event !== null) {
        if (item.state === 'active') this.#leaving.add(item.id);
        continue;
      }
      decided.add(item.id);
      const appointment = await this.#appointment(item.so_id!);
      if (appointment === null) forget.push(item);
      else if (this.#oursToDelete(appointment)) planned.push({ side: 'superoffice', item, appointment });
      else detach.push(item);
    }
    // Circuit breaker: counted before any delete, or any write at all.
    if (this.ctx.breakerReleasedAt === null) {
      const inWindowNow = [...this.#items.values()].filter((i) => bothSides(i) && i.state === 'active' && !this.#leaving.has(i.id) && inWindow(i)).length;
      const detail = this.#breaker(planned, inWindowNow, sweep, soIds);
      if (detail !== null) {
        await this.fence.write((tx) => recordPassOutcome(tx, this.fence, { state: 'breaker', lastError: detail, breakerDetail: detail, dueInMs: 0 }));
        return 'breaker';
      }
    }

    // Rebinds and detaches, committed before anything is written outside.
    if (bindings.length > 0 || rebound.length > 0 || detach.length > 0 || forget.length > 0) {
      const bound = (graphId: string): ItemPatch => ({ graph_id: graphId, state: 'active', graph_hash: null, graph_change_key: null });
      await this.fence.write(async (tx) => {
        for (const { item, graphId } of bindings) await updateItem(tx, this.#tenantId, this.#mailboxId, item.id, bound(graphId), this.#now);
        await setItemsState(tx, this.#tenantId, this.#mailboxId, detach.map((i) => i.id), 'detached', this.#now);
        await deleteItems(tx, this.#tenantId, this.#mailboxId, forget.map((i) => i.id));
      });
      for (const { item, graphId } of bindings) this.#index({ ...item, ...bound(graphId) } as SyncItemRow);
      for (const i of detach) this.#index({ ...i, state: 'detached' });
      for (const i of forget) this.#forget(i);
      await this.#insert(rebound);
    }

    // --- 3. Changes on items mapped on both sides.
    for (const item of [...this.#items.values()]) {
      if (!bothSides(item) || decided.has(item.id)) continue;
      await this.#reconcileItem(item);
    }

    // --- 4. Deletes.
    for (const d of planned) await this.#delete(d);

    // --- 5. Creates. Outlook-born first: recovering a crashed one binds its appointment, which
    // would otherwise look like a new SuperOffice-born appointment.
    await this.#createInSuperOffice();
    await this.#createInOutlook();

    if (this.#failure) throw this.#failure;
    // Something was left for the next pass: it starts from the same point, so the changes seen here are seen again.
    if (this.#deferred) return this.#counts;
    const seen = soRows.map((r) => iso(r.updatedAt)!).concat(watermark ?? []);
    await this.fence.write((tx) =>
      saveCursor(
        tx,
        this.#tenantId,
        this.#mailboxId,
        KIND,
        {
          deltaLink,
          windowStart: window.start,
          windowEnd: window.end,
          soWatermark: seen.length > 0 ? seen.reduce((a, b) => (a > b ? a : b)) : null,
          lastReconcileAt: soIds !== null ? this.#now.toISOString() : iso(cursor?.last_reconcile_at),
        },
        this.#now,
      ),
    );
    return this.#counts;
  }

  #ended(f: DiaryFields): boolean {
    const end = f.allDay ? Date.parse(`${f.end}T00:00:00Z`) : Date.parse(f.end);
    return end <= this.#now.getTime();
  }

  /** Ours to delete from SuperOffice: in this associate's own diary, not a booking others share, not completed. */
  #oursToDelete(a: SoAppointment): boolean {
    return a.associateId === this.ctx.associateId && a.motherId === 0 && !a.completed;
  }

  /** Why the breaker trips, in plain words; null when it does not. `inWindow`: items in sync that should be in the window. */
  #breaker(planned: PlannedDelete[], inWindow: number, sweep: GraphEvent[] | null, soIds: Set<number> | null): string | null {
    const mapped = [...this.#items.values()].filter((i) => i.state === 'active' && i.so_id !== null && i.graph_id !== null);
    const inOutlook = planned.filter((d) => d.side === 'outlook').length;
    const inSuperOffice = planned.length - inOutlook;
    const what = `${inOutlook} Outlook event(s) and ${inSuperOffice} SuperOffice appointment(s) of ${mapped.length} items in sync`;
    if (planned.length > BREAKER_MAX) return `Stopped before deleting ${what}: more than ${BREAKER_MAX} deletes in one pass. An administrator can release it.`;
    if (planned.length >= BREAKER_FLOOR && planned.length > BREAKER_SHARE * mapped.length) {
      return `Stopped before deleting ${what}: more than ${BREAKER_SHARE * 100} % of this user's items. An administrator can release it.`;
    }
    if (inWindow >= BREAKER_FLOOR) {
      if (soIds !== null && soIds.size === 0) return `Stopped: SuperOffice returned no appointments in the window while ${inWindow} items in it are in sync. An administrator can release it.`;
      if (sweep !== null && !sweep.some((e) => outlookScope(e) === null)) {
        return `Stopped: Outlook returned no events in the window while ${inWindow} items in it are in sync. An administrator can release it.`;
      }
    }
    return null;
  }

  /** Compares one mapped item's two sides with what was last synced, merges and writes what needs it. */
  async #reconcileItem(item: SyncItemRow): Promise<void> {
    const fetched = this.#appointments.get(item.so_id!);
    const event = this.#events.get(item.graph_id!);
    if (fetched === null) return; // gone: the id-set check decides
    const base = item.base_json ? (JSON.parse(item.base_json) as DiaryFields) : null;
    const soNow = fetched && superOfficeScope(fetched) === null ? this.#soFields(fetched) : null;
    const olNow = event && outlookScope(event) === null ? this.#olFields(event) : null;
    const soChanged = soNow !== null && hashFields(soNow) !== item.so_hash;
    const olChanged = olNow !== null && hashFields(olNow) !== item.graph_hash;
    const state = this.#leaving.has(item.id) ? 'out_of_window' : item.state === 'out_of_window' && soNow === null && olNow === null ? 'out_of_window' : 'active';
    if (!soChanged && !olChanged) {
      // Nothing changed; remember the new updatedDate / changeKey so they are not read again.
      const patch: ItemPatch = {};
      if (fetched && iso(fetched.updatedAt) !== iso(item.so_updated_at)) patch.so_updated_at = this.store.dialect.time(new Date(fetched.updatedAt));
      if (event && event.changeKey !== item.graph_change_key) patch.graph_change_key = event.changeKey;
      if (state !== item.state) patch.state = state;
      if (Object.keys(patch).length > 0) await this.#commit(item, patch);
      return;
    }
    // A side that did not change is what was last synced; without a base (a rebound or migrated item) read it.
    const appointment = fetched ?? (base === null || olChanged ? await this.#appointment(item.so_id!) : undefined);
    if (appointment === null) return;
    const soSide = soChanged ? soNow! : base ?? (appointment ? this.#soFields(appointment) : null);
    const olEvent = event ?? (base === null ? await this.#event(item.graph_id!) : null);
    const olSide = olChanged ? olNow! : base ?? (olEvent ? this.#olFields(olEvent) : null);
    if (soSide === null || olSide === null) return;
    const merge = mergeFields(base, soSide, olSide, this.ctx.winner as SyncSide);
    const patch: ItemPatch = { state, base_json: JSON.stringify(merge.merged) };
    let wrote = false;
    if (merge.writeSuperOffice) {
      this.#guard();
      const since = appointment ? appointment.updatedAt : readTime(item.so_updated_at!);
      const written = await this.#so.update(item.so_id!, toSuperOfficeWrite(merge.merged, this.ctx.associateId, this.ctx.zone), since);
      // 412: changed since we read it; 404: the id-set check decides. Either way, the next pass.
      if (written === 'conflict' || written === 'gone') return this.#defer();
      this.#appointments.set(written.id, written);
      Object.assign(patch, { so_hash: hashFields(this.#soFields(written)), so_updated_at: this.#stamp(written.updatedAt) });
      wrote = true;
    } else if (soNow !== null) {
      Object.assign(patch, { so_hash: hashFields(soNow), so_updated_at: this.#stamp(fetched!.updatedAt) });
    } else if (appointment && item.so_hash === null) {
      Object.assign(patch, { so_hash: hashFields(this.#soFields(appointment)), so_updated_at: this.#stamp(appointment.updatedAt) });
    }
    if (merge.writeOutlook) {
      const participants = (appointment ?? (await this.#appointment(item.so_id!)))?.participants ?? [];
      this.#guard();
      const written = await this.#outlook.update(item.graph_id!, toOutlookWrite(merge.merged, this.ctx.zone, participants));
      if (written === 'gone') return this.#defer();
      this.#events.set(written.id, written);
      Object.assign(patch, { graph_hash: hashFields(this.#olFields(written)), graph_change_key: written.changeKey });
      wrote = true;
    } else if (olNow !== null) {
      Object.assign(patch, { graph_hash: hashFields(olNow), graph_change_key: event!.changeKey });
    } else if (olEvent && item.graph_hash === null) {
      Object.assign(patch, { graph_hash: hashFields(this.#olFields(olEvent)), graph_change_key: olEvent.changeKey });
    }
    const conflicts: NewConflict[] = merge.conflicts.map((c) => ({
      tenant_id: this.#tenantId,
      associate_id: this.ctx.associateId,
      mailbox_id: this.#mailboxId,
      kind: KIND,
      so_id: item.so_id,
      graph_id: item.graph_id,
      field: c.field,
      base_value: c.base === null ? null : c.base.slice(0, 2000),
      superoffice_value: c.superoffice.slice(0, 2000),
      outlook_value: c.outlook.slice(0, 2000),
      winner: c.winner,
    }));
    await this.#commit(item, patch, conflicts);
    if (wrote) this.#counts.updated += 1;
    this.#counts.conflicts += conflicts.length;
  }

  async #delete(d: PlannedDelete): Promise<void> {
    this.#guard();
    if (d.side === 'outlook') {
      await this.#outlook.delete(d.item.graph_id!);
    } else {
      const outcome = await this.#so.delete(d.item.so_id!, d.appointment.updatedAt);
      // Changed since we read it: someone still works on it; compare again next pass.
      if (outcome === 'conflict') return this.#defer();
    }
    await this.fence.write((tx) => deleteItems(tx, this.#tenantId, this.#mailboxId, [d.item.id]));
    this.#forget(d.item);
    this.#counts.deleted += 1;
  }

  /** A transient failure (throttled, unavailable) ends the pass after the rest is done; anything else is the item's own error. */
  async #itemFailed(item: SyncItemRow, err: unknown): Promise<void> {
    if (err instanceof LeaseLost) throw err;
    if (err instanceof DomainError && (err.kind === 'throttled' || err.kind === 'unavailable' || err.kind === 'unauthenticated' || err.kind === 'forbidden')) {
      this.#failure ??= err;
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    const errors = (item.error_count ?? 0) + 1;
    await this.#commit(item, { error_count: errors, last_error: message.slice(0, 1000), ...(errors >= MAX_ITEM_ERRORS ? { state: 'error' as const } : {}) });
  }

  /** SuperOffice-born appointments without an event: intents committed, then created in `$batch`es of 20. */
  async #createInOutlook(): Promise<void> {
    const wanted: SoAppointment[] = [];
    for (const [id, a] of this.#appointments) {
      if (a === null || a.associateId !== this.ctx.associateId || superOfficeScope(a) !== null) continue;
      if (!touchesWindow(this.#soFields(a), this.#window, this.ctx.zone)) continue;
      const item = this.#bySo.get(id);
      if (item && !(item.state === 'pending' && item.graph_id === null)) continue;
      wanted.push(a);
    }
    if (wanted.length === 0) return;
    await this.#insert(wanted.filter((a) => !this.#bySo.has(a.id)).map((a) => this.#newItem({ so_id: a.id, graph_id: null, origin: 'superoffice', state: 'pending' })));
    for (let i = 0; i < wanted.length; i += 20) {
      const slice = wanted.slice(i, i + 20);
      const intents = slice.map((a) => this.#bySo.get(a.id)!);
      const creates: GraphCreate[] = slice.map((a, k) => ({
        transactionId: intents[k]!.op_id!,
        tag: tagOf(this.#tenantId, a.id),
        event: toOutlookWrite(this.#soFields(a), this.ctx.zone, a.participants),
      }));
      this.#guard();
      const outcomes = await this.#outlook.create(creates);
      for (const [k, outcome] of outcomes.entries()) {
        const a = slice[k]!;
        const intent = intents[k]!;
        if ('error' in outcome) {
          await this.#itemFailed(intent, outcome.error);
          continue;
        }
        const fields = this.#soFields(a);
        await this.#commit(intent, {
          graph_id: outcome.ok.id,
          state: 'active',
          so_hash: hashFields(fields),
          so_updated_at: this.#stamp(a.updatedAt),
          graph_hash: hashFields(this.#olFields(outcome.ok)),
          graph_change_key: outcome.ok.changeKey,
          base_json: JSON.stringify(fields),
          error_count: 0,
          last_error: null,
        });
        this.#counts.created += 1;
      }
    }
  }

  /** Outlook-born events without an appointment (and intents an earlier pass left half-done). */
  async #createInSuperOffice(): Promise<void> {
    const pending = [...this.#items.values()].filter((i) => i.state === 'pending' && i.origin === 'outlook' && i.graph_id !== null);
    const fresh = [...this.#outlookBorn.values()].filter((e) => !this.#byGraph.has(e.id) && touchesWindow(this.#olFields(e), this.#window, this.ctx.zone));
    const intents = await this.#insert(fresh.map((e) => this.#newItem({ so_id: null, graph_id: e.id, origin: 'outlook', state: 'pending' })));
    for (const intent of [...pending, ...intents]) {
      try {
        await this.#createOne(intent, pending.includes(intent));
      } catch (err) {
        await this.#itemFailed(this.#items.get(intent.id) ?? intent, err);
      }
    }
  }

  async #createOne(start: SyncItemRow, recovering: boolean): Promise<void> {
    let intent = start;
    const graphId = intent.graph_id!;
    const event = await this.#event(graphId);
    if (event === null || outlookScope(event) !== null) {
      // The event is gone (or no longer one we sync) before it was finished: nothing to create.
      if (intent.so_id === null) {
        await this.fence.write((tx) => deleteItems(tx, this.#tenantId, this.#mailboxId, [intent.id]));
        this.#forget(intent);
      } else await this.#commit(intent, { state: 'detached' });
      return;
    }
    const fields = this.#olFields(event);
    const ref = graphRefOf(graphId);
    let appointment: SoAppointment | null = null;
    /** Whether the appointment is known to carry the event's ForeignSystem key already. */
    let keyed = false;
    if (intent.so_id === null) {
      const found = await this.#so.findByForeignKey(this.#mailboxId, ref);
      if (found !== null) appointment = await this.#appointment(found);
      keyed = appointment !== null;
      if (appointment === null && recovering) appointment = await this.#findRecoveredCreate(intent, fields);
      if (appointment === null) {
        this.#guard();
        appointment = await this.#so.create(toSuperOfficeWrite(fields, this.ctx.associateId, this.ctx.zone));
        this.#counts.created += 1;
      }
      this.#appointments.set(appointment.id, appointment);
      intent = await this.#commit(intent, { so_id: appointment.id, so_updated_at: this.#stamp(appointment.updatedAt), so_hash: hashFields(this.#soFields(appointment)) });
    } else {
      appointment = await this.#appointment(intent.so_id);
      if (appointment === null) {
        await this.#commit(intent, { state: 'detached' });
        return;
      }
    }
    // A fresh create has no key yet; a recovered intent's may have been added before the crash.
    if (!keyed && (!recovering || (await this.#so.findByForeignKey(this.#mailboxId, ref)) === null)) {
      this.#guard();
      await this.#so.addForeignKey(this.#mailboxId, ref, appointment.id);
    }
    this.#guard();
    const tagged = await this.#outlook.update(graphId, {}, tagOf(this.#tenantId, appointment.id));
    if (tagged === 'gone') {
      await this.#commit(intent, { state: 'detached' });
      return;
    }
    this.#events.set(graphId, tagged);
    const olFields = this.#olFields(tagged);
    await this.#commit(intent, {
      state: 'active',
      so_hash: hashFields(this.#soFields(appointment)),
      graph_hash: hashFields(olFields),
      graph_change_key: tagged.changeKey,
      // Outlook's values are the fuller ones (SuperOffice may have shortened the title); the merge compares SuperOffice's through what it can hold.
      base_json: JSON.stringify(olFields),
      error_count: 0,
      last_error: null,
    });
  }

  /** A crash between creating the appointment and committing it: the associate's appointment with the same fields, updated since the intent. */
  async #findRecoveredCreate(intent: SyncItemRow, fields: DiaryFields): Promise<SoAppointment | null> {
    const since = new Date(Date.parse(iso(intent.op_started_at) ?? EPOCH) - OVERLAP_MS).toISOString();
    const want = hashFields(fields);
    for (const row of await this.#so.changedSince(this.ctx.associateId, since, this.#window)) {
      if (this.#bySo.has(row.id)) continue;
      const a = await this.#appointment(row.id);
      if (a && hashFields(this.#soFields(a)) === want) return a;
    }
    return null;
  }
}

const byCreated = (a: GraphEvent, b: GraphEvent) => a.createdDateTime.localeCompare(b.createdDateTime) || a.id.localeCompare(b.id);
