import { isDisabled, type LinkedUserRow } from './linked-user-row.js';
import type { LinkOptions, LinkSync } from './types.js';

/**
 * A saved link's sync status right after the panel saved it, until the list is loaded again: a
 * new link waits for its first pass; turning every option off disables it, and turning one on
 * again makes it wait for its next pass. What the server last said stays otherwise.
 */
export function syncAfterSave(previous: LinkSync | undefined, options: LinkOptions): LinkSync {
  const base: LinkSync = previous ?? { state: 'pending', lastSuccessAt: null, nextDueAt: null, itemsInSync: 0, lastPass: null, message: null };
  if (isDisabled(options)) return base.state === 'disabled' ? base : { ...base, state: 'disabled', message: null };
  return base.state === 'disabled' ? { ...base, state: 'pending', message: null } : base;
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

/** The selected rows the circuit breaker stopped: what Resume synchronization releases. */
export function resumeOf(rows: readonly LinkedUserRow[], keys: ReadonlySet<string>): string[] {
  return rows.flatMap((r) => (keys.has(r.key) && r.id !== null && r.sync?.state === 'breaker' ? [r.id] : []));
}
