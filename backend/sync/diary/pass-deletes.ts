import type { SyncItemRow } from '../../db/database.js';
import { BREAKER_FLOOR, massDeleteReason } from '../breaker.js';
import { outlookScope, touchesWindow } from './fields.js';
import { cancelledByOrganizer } from '../decide.js';
import { recordPassOutcome } from './item.repository.js';
import type { PassReads } from './pass-read.js';
import { bothSides, KIND, type PassState } from './pass-state.js';
import type { DiaryFields, GraphEvent, SoAppointment } from './ports.js';


/** A delete the pass plans, carried out only once the breaker has counted them all. */
export type PlannedDelete =
  | { side: 'outlook'; item: SyncItemRow }
  | { side: 'superoffice'; item: SyncItemRow; appointment: SoAppointment };

/** Step 4 planned first: what to delete, detach and forget, and which items that decides. */
export interface DeletePlan {
  planned: PlannedDelete[];
  detach: SyncItemRow[];
  forget: SyncItemRow[];
  /** Items with a delete decided: no merge for them. */
  decided: Set<number>;
  /** Items in sync that should be in the window, for the breaker (counted only when it counts). */
  inWindowNow: () => number;
}

/** Deletes, and what left the window, planned before anything is written (stale intents are forgotten with them). */
export async function planDeletes(s: PassState, reads: Pick<PassReads, 'full' | 'removed' | 'sweep' | 'soIds'>, stale: SyncItemRow[]): Promise<DeletePlan> {
  const { full, removed, sweep, soIds } = reads;
  const window = s.window;
  // --- 4 (planned first). Deletes, and what left the window.
  const planned: PlannedDelete[] = [];
  const detach: SyncItemRow[] = [];
  const forget: SyncItemRow[] = [...stale];
  const lastSynced = (i: SyncItemRow) => (i.base_json ? (JSON.parse(i.base_json) as DiaryFields) : null);
  const inWindow = (i: SyncItemRow) => {
    const base = lastSynced(i);
    return base === null || touchesWindow(base, window, s.ctx.zone);
  };
  /** Items with a delete decided: no merge for them. */
  const decided = new Set<number>();
  // Gone from SuperOffice: not in the id set (or a get said 404), confirmed by get.
  for (const item of [...s.items.values()]) {
    if (!bothSides(item) || item.state !== 'active') continue;
    if (full && !inWindow(item)) {
      s.leaving.add(item.id);
      continue;
    }
    const missing = (soIds !== null && !soIds.has(item.so_id!) && inWindow(item)) || s.appointments.get(item.so_id!) === null;
    if (!missing) continue;
    const now = await s.appointment(item.so_id!);
    if (now !== null) {
      // Still there: it left the window (or the associate's diary). Its last change still goes across.
      s.leaving.add(item.id);
      continue;
    }
    decided.add(item.id);
    const event = await s.event(item.graph_id!);
    if (event === null) forget.push(item);
    else if (s.tagged(event) === item.so_id && !ended(s, s.olFields(event))) planned.push({ side: 'outlook', item });
    else detach.push(item);
  }
  // Gone from Outlook: `@removed`, or (full pass) missing from the sweep; confirmed by get. A
  // meeting someone else organizes that they cancelled is gone too: the event stays in the user's
  // calendar, cancelled, until they remove it, but the meeting is not held.
  const gone = new Set(removed);
  for (const item of s.items.values()) {
    if (!bothSides(item) || item.state !== 'active' || s.leaving.has(item.id)) continue;
    if (sweep && !s.events.has(item.graph_id!)) gone.add(item.graph_id!);
    else if (s.events.has(item.graph_id!) && cancelledByOrganizer(s.events.get(item.graph_id!)!)) gone.add(item.graph_id!);
  }
  for (const graphId of gone) {
    const item = s.byGraph.get(graphId);
    if (!item || !bothSides(item) || decided.has(item.id)) continue;
    s.events.delete(graphId);
    const event = await s.event(graphId);
    if (event !== null && !cancelledByOrganizer(event)) {
      if (item.state === 'active') s.leaving.add(item.id);
      continue;
    }
    decided.add(item.id);
    const appointment = await s.appointment(item.so_id!);
    if (appointment === null) forget.push(item);
    else if (oursToDelete(s, appointment)) planned.push({ side: 'superoffice', item, appointment });
    else detach.push(item);
  }
  const inWindowNow = () => [...s.items.values()].filter((i) => bothSides(i) && i.state === 'active' && !s.leaving.has(i.id) && inWindow(i)).length;
  return { planned, detach, forget, decided, inWindowNow };
}

/** Circuit breaker: counted before any delete, or any write at all. True: the mailbox is stopped. */
export async function tripBreaker(s: PassState, plan: DeletePlan, reads: Pick<PassReads, 'sweep' | 'soIds'>): Promise<boolean> {
  if (s.ctx.breakerReleasedAt === null) {
    const detail = breaker(s, plan.planned, plan.inWindowNow(), reads.sweep, reads.soIds);
    if (detail !== null) {
      await s.fence.write((tx) => recordPassOutcome(tx, s.fence, { state: 'breaker', lastError: detail, breakerDetail: detail, dueInMs: 0, kinds: [{ kind: KIND, state: 'breaker', lastError: detail }] }));
      return true;
    }
  }
  return false;
}

export async function deleteOne(s: PassState, d: PlannedDelete): Promise<void> {
  s.guard();
  if (d.side === 'outlook') {
    await s.outlook.delete(d.item.graph_id!);
  } else {
    const outcome = await s.so.delete(d.item.so_id!, d.appointment.updatedAt);
    // Changed since we read it: someone still works on it; compare again next pass.
    if (outcome === 'conflict') return s.defer();
  }
  await s.remove(d.item);
  s.counts.deleted += 1;
}

function ended(s: PassState, f: DiaryFields): boolean {
  const end = f.allDay ? Date.parse(`${f.end}T00:00:00Z`) : Date.parse(f.end);
  return end <= s.now.getTime();
}

/** Ours to delete from SuperOffice: in this associate's own diary, not a booking others share, not completed. */
function oursToDelete(s: PassState, a: SoAppointment): boolean {
  return a.associateId === s.ctx.associateId && a.motherId === 0 && !a.completed;
}

/** Why the breaker trips, in plain words; null when it does not. `inWindow`: items in sync that should be in the window. */
function breaker(s: PassState, planned: PlannedDelete[], inWindow: number, sweep: GraphEvent[] | null, soIds: Set<number> | null): string | null {
  const mapped = [...s.items.values()].filter((i) => i.state === 'active' && i.so_id !== null && i.graph_id !== null);
  const inOutlook = planned.filter((d) => d.side === 'outlook').length;
  const inSuperOffice = planned.length - inOutlook;
  const what = `${inOutlook} Outlook event(s) and ${inSuperOffice} SuperOffice appointment(s) of ${mapped.length} items in sync`;
  const mass = massDeleteReason(planned.length, mapped.length, what);
  if (mass !== null) return mass;
  if (inWindow >= BREAKER_FLOOR) {
    if (soIds !== null && soIds.size === 0) return `Stopped: SuperOffice returned no appointments in the window while ${inWindow} items in it are in sync. An administrator can release it.`;
    if (sweep !== null && !sweep.some((e) => outlookScope(e) === null)) {
      return `Stopped: Outlook returned no events in the window while ${inWindow} items in it are in sync. An administrator can release it.`;
    }
  }
  return null;
}
