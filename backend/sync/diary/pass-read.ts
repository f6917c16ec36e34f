import type { SyncCursorRow, SyncItemRow } from '../../db/database.js';
import { chunk } from '../../db/dialect.js';
import { outlookScope, syncWindow, tagOf } from './fields.js';
import { findCursor, listItems, type NewItem } from './item.repository.js';
import { EPOCH, iso, KIND, mappingLost, OVERLAP_MS, type PassState } from './pass-state.js';
import { DeltaExpired, type DeltaResult, type GraphEvent, type SoChange, type SyncWindow } from './ports.js';
import type { KindPassInput } from '../kind-pass.js';

/** The id-set check for hard deletes in SuperOffice, at most this often. */
const RECONCILE_MS = 60 * 60_000;
/** SuperOffice appointments read in parallel (it publishes no limit; a handful keeps a first sync quick). */
const SO_READS_AT_ONCE = 8;

/** What step 1 read from both sides. */
export interface PassReads {
  cursor: SyncCursorRow | undefined;
  full: boolean;
  delta: DeltaResult;
  removed: string[];
  sweep: GraphEvent[] | null;
  watermark: string | null;
  soRows: SoChange[];
  soIds: Set<number> | null;
}

/** What step 2 found to rebind, committed once the breaker has let the pass go on. */
export interface Rebinds {
  bindings: { item: SyncItemRow; graphId: string }[];
  rebound: NewItem[];
  /** Pending intents whose appointment is gone: nothing was created, nothing is left to do. */
  stale: SyncItemRow[];
}

/**
 * What a kind's pass will ask SuperOffice's archive for, as its read step decides it from the
 * cursor alone (announced for the pass's shared read, shared-archive.ts): from the epoch when the
 * pass is full, else from the watermark less the overlap. What only the read step learns (a lost
 * mapping table, an expired delta token) makes it ask from the epoch instead, read on its own.
 */
export function archiveQuestion(cursor: SyncCursorRow | undefined, window: SyncWindow, full: boolean): string {
  const sameWindow = !!cursor && iso(cursor.window_start) === iso(window.start) && iso(cursor.window_end) === iso(window.end);
  const watermark = iso(cursor?.so_watermark);
  return full || !cursor?.delta_link || !sameWindow || watermark === null ? EPOCH : new Date(Date.parse(watermark) - OVERLAP_MS).toISOString();
}

/** Announces the diary's archive question for the pass's shared read (KindPass.prepare). */
export async function prepareDiary({ store, fence, ctx, connections, clock }: KindPassInput): Promise<void> {
  if (!connections.appointments) return;
  const cursor = await findCursor(store, fence.tenantId, fence.mailboxId, KIND);
  const window = syncWindow(clock(), ctx.pastDays, ctx.futureDays, ctx.zone);
  connections.appointments.expect('diary', ctx.associateId, archiveQuestion(cursor, window, false), window);
}

/** Step 1: the mappings and cursor, then both sides' changes (full or incremental). */
export async function readBothSides(s: PassState): Promise<PassReads> {
  const store = s.store;
  for (const item of await listItems(store, s.tenantId, s.mailboxId, KIND)) s.index(item);
  const cursor = await findCursor(store, s.tenantId, s.mailboxId, KIND);
  s.window = syncWindow(s.now, s.ctx.pastDays, s.ctx.futureDays, s.ctx.zone);
  const window = s.window;
  const sameWindow = !!cursor && iso(cursor.window_start) === iso(window.start) && iso(cursor.window_end) === iso(window.end);
  let full = !cursor || !cursor.delta_link || !sameWindow || mappingLost(cursor, s.items.size);

  // --- 1. Read both sides.
  let delta = null;
  if (!full) {
    try {
      delta = await s.outlook.delta({ deltaLink: cursor!.delta_link! });
    } catch (err) {
      if (!(err instanceof DeltaExpired)) throw err;
      // Non-destructive: the full pass only confirms deletes by a 404, never by absence alone.
      full = true;
    }
  }
  if (full) delta = await s.outlook.delta({ window });
  const removed = full ? [] : delta!.removed;
  let sweep: GraphEvent[] | null = null;
  if (full) {
    sweep = await s.outlook.listWindow(window);
    for (const e of sweep) s.events.set(e.id, e);
  } else {
    for (const e of delta!.changed) s.events.set(e.id, e);
  }

  const watermark = iso(cursor?.so_watermark);
  const since = full || watermark === null ? EPOCH : new Date(Date.parse(watermark) - OVERLAP_MS).toISOString();
  const soRows: SoChange[] = await s.so.changedSince(s.ctx.associateId, since, window);
  const reconcile = full || cursor!.last_reconcile_at === null || s.now.getTime() - Date.parse(iso(cursor!.last_reconcile_at)!) >= RECONCILE_MS;
  const soIds: Set<number> | null = full ? new Set(soRows.map((r) => r.id)) : reconcile ? await s.so.idsInWindow(s.ctx.associateId, window) : null;
  const toRead = soRows.filter((row) => {
    const mapped = s.bySo.get(row.id);
    return !(mapped && iso(mapped.so_updated_at) === iso(row.updatedAt) && mapped.so_hash !== null);
  });
  // A first sync reads every appointment: a few at a time rather than one after another.
  for (const slice of chunk(toRead, SO_READS_AT_ONCE)) await Promise.all(slice.map((row) => s.appointment(row.id)));
  return { cursor, full, delta: delta!, removed, sweep, watermark, soRows, soIds };
}

/** Step 2: tagged events bound to their appointments' mappings, before anything is created. */
export async function findRebinds(s: PassState, reads: Pick<PassReads, 'sweep' | 'delta'>): Promise<Rebinds> {
  const { sweep, delta } = reads;
  // --- 2. Rebind before anything is created.
  const bindings: { item: SyncItemRow; graphId: string }[] = [];
  const rebound: NewItem[] = [];
  const bindTagged = (soId: number, tagged: GraphEvent[]) => {
    const item = s.bySo.get(soId);
    const keep = (item && tagged.find((e) => e.id === item.graph_id)) ?? tagged[0]!;
    for (const copy of tagged) if (copy !== keep && !s.byGraph.has(copy.id)) s.outlookBorn.set(copy.id, copy);
    const other = s.byGraph.get(keep.id);
    if (other && other !== item) return; // the event is mapped to another appointment: the mapping wins
    if (!item) rebound.push(s.newItem({ so_id: soId, graph_id: keep.id, origin: 'superoffice', state: 'active' }));
    else if (item.graph_id !== keep.id && (item.graph_id === null || !s.events.has(item.graph_id))) bindings.push({ item, graphId: keep.id });
  };
  if (sweep) {
    const byTag = new Map<number, GraphEvent[]>();
    for (const e of sweep) {
      if (outlookScope(e) !== null) continue;
      const soId = s.tagged(e);
      if (soId === null) {
        if (!s.byGraph.has(e.id)) s.outlookBorn.set(e.id, e);
        continue;
      }
      byTag.set(soId, [...(byTag.get(soId) ?? []), e]);
    }
    for (const [soId, tagged] of byTag) bindTagged(soId, tagged.sort(byCreated));
  } else {
    for (const e of delta.changed) {
      if (s.byGraph.has(e.id) || outlookScope(e) !== null) continue;
      const read = await s.event(e.id);
      if (!read || outlookScope(read) !== null) continue;
      const soId = s.tagged(read);
      if (soId === null) s.outlookBorn.set(read.id, read);
      else bindTagged(soId, (await s.outlook.findByTag(read.tag!)).filter((x) => outlookScope(x) === null).sort(byCreated));
    }
  }
  // Intents an earlier pass left (it may have created the event and not committed): look up their tag.
  const stale: SyncItemRow[] = [];
  for (const item of [...s.items.values()]) {
    if (item.state !== 'pending' || item.origin !== 'superoffice' || item.so_id === null || item.graph_id !== null) continue;
    if (bindings.some((b) => b.item === item)) continue;
    const tagged = (await s.outlook.findByTag(tagOf(s.tenantId, item.so_id))).filter((e) => outlookScope(e) === null);
    for (const e of tagged) s.events.set(e.id, e);
    if (tagged.length > 0) bindTagged(item.so_id, tagged.sort(byCreated));
    // Not created yet: read the appointment so its create is tried again below (however long ago
    // it changed); gone meanwhile: nothing was created, nothing is left to do.
    else if ((await s.appointment(item.so_id)) === null) stale.push(item);
  }
  return { bindings, rebound, stale };
}

const byCreated = (a: GraphEvent, b: GraphEvent) => a.createdDateTime.localeCompare(b.createdDateTime) || a.id.localeCompare(b.id);
