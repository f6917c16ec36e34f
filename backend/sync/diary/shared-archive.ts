import type { SoChange, SyncWindow } from './ports.js';

/** Whose rows of the appointment archive: the Diary kind's or the Task kind's (checklist). */
export type ArchiveScope = 'diary' | 'checklist';

/**
 * The appointment types of each scope (appointment type enum, database/tables/enums/appointmenttype.md):
 * the diary's are what FindAppointment's `visibleInDiary` marks, the checklist's the follow-ups
 * without a time and invitations to one. Names for the `type oneOf` restriction, numbers for the
 * `rawType` column each row is told apart by.
 */
export const SCOPE_TYPES: Record<ArchiveScope, { names: string[]; raw: number[] }> = {
  diary: { names: ['inDiary', 'BookingForDiary'], raw: [1, 6] },
  checklist: { names: ['inChecklist', 'BookingForChecklist'], raw: [2, 7] },
};

/** An archive row with its raw appointment type. */
export interface TypedChange extends SoChange {
  rawType: number;
}

/** One archive read: the associate's rows of these types in the window, updated since `since` (whole seconds, `ge`). */
export type TypedArchiveRead = (associateId: number, window: SyncWindow, since: string, types: string[]) => Promise<TypedChange[]>;

interface Want {
  associateId: number;
  since: string;
  window: SyncWindow;
}

const sameWant = (a: Want, b: Want) => a.associateId === b.associateId && a.window.start === b.window.start && a.window.end === b.window.end;
/** `updatedDate ge '…'` compares to the second (SuperOffice dates have whole seconds). */
const second = (iso: string) => Math.floor(Date.parse(iso) / 1000) * 1000;

/**
 * One pass's shared read of the SuperOffice appointment archive (issue 15: an idle mailbox costs at
 * most 2 SuperOffice requests per pass). The Diary and Task kinds both read the associate's
 * archive rows changed since their watermark; before any kind runs, each says what it will ask
 * (`expect`), and the first to ask reads once for both — both kinds' types, from the lower
 * watermark, over the window they share — and each kind then takes exactly the rows its own query
 * would have returned (its types, updated at or after its own watermark's second). Anything else
 * is read as before, on its own: a kind that asks what it did not announce (a delta token expired,
 * so a full pass from the epoch), a second question of the same kind, different windows (a pass
 * across midnight), only one kind announced, or a shared read that failed (the other kind then
 * tries its own). Created per pass with the connections (connections.ts), so rows are never kept
 * from one pass to the next.
 */
export class SharedAppointmentArchive {
  private readonly wants = new Map<ArchiveScope, Want>();
  private readonly taken = new Set<ArchiveScope>();
  private shared: { scopes: ArchiveScope[]; rows: Promise<TypedChange[]> } | null = null;
  private failed = false;

  /** What a kind's pass will ask (its watermark less the overlap, or the epoch for a full pass). */
  expect(scope: ArchiveScope, associateId: number, since: string, window: SyncWindow): void {
    this.wants.set(scope, { associateId, since, window });
  }

  /** The rows for this question from the shared read, or null: ask SuperOffice on its own. */
  take(scope: ArchiveScope, associateId: number, since: string, window: SyncWindow, read: TypedArchiveRead): Promise<SoChange[]> | null {
    const asked: Want = { associateId, since, window };
    const want = this.wants.get(scope);
    if (this.failed || this.taken.has(scope) || !want || want.since !== since || !sameWant(want, asked)) return null;
    if (!this.shared) {
      const scopes = [...this.wants].filter(([s, w]) => !this.taken.has(s) && sameWant(w, asked)).map(([s]) => s);
      if (scopes.length < 2) return null;
      const lowest = scopes.map((s) => this.wants.get(s)!.since).reduce((a, b) => (second(a) <= second(b) ? a : b));
      const rows = read(associateId, window, lowest, scopes.flatMap((s) => SCOPE_TYPES[s].names));
      rows.catch(() => (this.failed = true));
      this.shared = { scopes, rows };
    }
    if (!this.shared.scopes.includes(scope)) return null;
    this.taken.add(scope);
    const raw = new Set(SCOPE_TYPES[scope].raw);
    const from = second(since);
    return this.shared.rows.then((rows) => rows.filter((r) => raw.has(r.rawType) && Date.parse(r.updatedAt) >= from).map(({ id, updatedAt }) => ({ id, updatedAt })));
  }
}
