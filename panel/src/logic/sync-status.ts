import { isDisabled, type LinkedUserRow } from './linked-user-row.js';
import type { LinkOptions, LinkSync, LinkedUser, SyncState } from './types.js';

/**
 * A saved link's sync status right after the panel saved it, until the list is loaded again: a
 * new link waits for its first pass; turning every option off disables it, and turning one on
 * again makes it wait for its next pass. What the server last said stays otherwise.
 */
export function syncAfterSave(previous: LinkSync | undefined, options: LinkOptions): LinkSync {
  const base: LinkSync = previous ?? { state: 'pending', lastSuccessAt: null, nextDueAt: null, itemsInSync: 0, lastPass: null, message: null, kinds: NO_KINDS };
  const kinds = kindsAfterSave(base.kinds, options);
  if (isDisabled(options)) return base.state === 'disabled' && kinds === base.kinds ? base : { ...base, state: 'disabled', message: null, kinds };
  if (base.state === 'disabled') return { ...base, state: 'pending', message: null, kinds };
  return kinds === base.kinds ? base : { ...base, kinds };
}

export type KindKey = keyof LinkSync['kinds'];
export const KIND_KEYS: readonly KindKey[] = ['diary', 'task', 'contact'];
type KindSync = LinkSync['kinds'][KindKey];

const offKind: KindSync = { state: 'off', itemsInSync: 0, lastSuccessAt: null, lastPass: null, message: null };
/** Every kind off and never run: a new link's kinds before the server says more. */
export const NO_KINDS: LinkSync['kinds'] = { diary: offKind, task: offKind, contact: offKind };

/**
 * Each kind right after a save: one turned off is off (its items in sync kept), one turned on
 * waits for its pass; the others keep what the server said. The same object when nothing moved.
 */
export function kindsAfterSave(previous: LinkSync['kinds'], options: LinkOptions): LinkSync['kinds'] {
  let out: LinkSync['kinds'] | null = null;
  for (const key of KIND_KEYS) {
    const k = previous[key];
    const on = options[key];
    const next: KindSync | null = !on && k.state !== 'off' ? { ...k, state: 'off', message: null } : on && k.state === 'off' ? { ...k, state: 'pending', message: null } : null;
    if (next) (out ??= { ...previous })[key] = next;
  }
  return out ?? previous;
}

/** What Sync now does with the selected rows: saved, synchronized users are asked for; the rest are left out, with the reason. */
export function syncNowOf(rows: readonly LinkedUserRow[], keys: ReadonlySet<string>): { ids: string[]; unsaved: number; disabled: number; waiting: number } {
  const out = { ids: [] as string[], unsaved: 0, disabled: 0, waiting: 0 };
  for (const r of rows) {
    if (!keys.has(r.key)) continue;
    if (r.id === null || r.sync === null) out.unsaved += 1;
    // The saved options decide (an unsaved edit is not what the synchronizer sees).
    else if (r.sync.state === 'disabled' || isDisabled(r.saved ?? r)) out.disabled += 1;
    else if (r.sync.state === 'waiting_authorization') out.waiting += 1;
    else out.ids.push(r.id);
  }
  return out;
}

/** The associates of the selected rows waiting for their owner's authorization (OAuth mode): whom Invite again invites. */
export function reinviteOf(rows: readonly LinkedUserRow[], keys: ReadonlySet<string>): number[] {
  return rows.flatMap((r) => (keys.has(r.key) && r.id !== null && r.sync?.state === 'waiting_authorization' ? [r.associateId] : []));
}

/** The selected rows the circuit breaker stopped: what Resume synchronization releases. */
export function resumeOf(rows: readonly LinkedUserRow[], keys: ReadonlySet<string>): string[] {
  return rows.flatMap((r) => (keys.has(r.key) && r.id !== null && r.sync?.state === 'breaker' ? [r.id] : []));
}

/** A row's place in the Status column: the server's state, or `notSaved` for an added row. */
export type StatusLabel = SyncState | 'notSaved';
export const statusOf = (row: Pick<LinkedUserRow, 'sync'>): StatusLabel => row.sync?.state ?? 'notSaved';

/** The Status filter: every state, or one. */
export type StatusFilter = StatusLabel | 'all';

/** How many rows are in each state (only states with rows). */
export function statusCounts(rows: readonly LinkedUserRow[]): Map<StatusLabel, number> {
  const counts = new Map<StatusLabel, number>();
  for (const r of rows) {
    const s = statusOf(r);
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return counts;
}

/** The rows the Status filter shows (the same array when it shows all). */
export function filterByStatus(rows: readonly LinkedUserRow[], filter: StatusFilter): readonly LinkedUserRow[] {
  return filter === 'all' ? rows : rows.filter((r) => statusOf(r) === filter);
}

/** What says a pass has run since: the state, when it is next due, the last success and why. */
const passMark = (s: LinkSync): string => `${s.state}|${s.nextDueAt}|${s.lastSuccessAt}|${s.message}`;

/**
 * After Sync now or Resume: the ids (of `asked`, the links as read right after the request)
 * whose status has moved on in `now` — a worker took them (`syncing` is still on the way) and
 * left another state, due time or message — or that are gone. Used to poll until all have.
 */
export function settledSince(asked: ReadonlyMap<string, LinkSync>, now: readonly LinkedUser[]): Set<string> {
  const byId = new Map(now.map((l) => [l.id, l.sync]));
  const out = new Set<string>();
  for (const [id, before] of asked) {
    const after = byId.get(id);
    if (!after || (after.state !== 'syncing' && passMark(after) !== passMark(before))) out.add(id);
  }
  return out;
}
