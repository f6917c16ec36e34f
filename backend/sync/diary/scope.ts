import type { GraphEvent, SoAppointment } from './ports.js';

/**
 * Which items the diary sync keeps in step, each refusal with the reason a "why didn't this sync?"
 * answer shows (backend/explain/). null means the item syncs. `outlookRefusal` and
 * `superOfficeRefusal` say which rule refused it too; `outlookScope` and `superOfficeScope` are
 * the same rules as the passes read them (the reason only).
 */

/** Which rule refused an item: a type the kind does not sync, or an Outlook item we did not write and do not import. */
export interface ScopeRefusal {
  rule: 'filtered_type' | 'not_tagged';
  detail: string;
}

const SO_NOT_DIARY: Record<string, string> = {
  inChecklist: 'It is a follow-up without a time (a task in the checklist), not a diary appointment.',
  BookingForChecklist: 'It is an invitation to a follow-up without a time (checklist), not a diary appointment.',
  Note: 'It is a note, not a diary appointment.',
  Document: 'It is a document, not a diary appointment.',
};

/**
 * SuperOffice rows that sync: diary appointments (`inDiary`) and invitations not yet accepted
 * (`BookingForDiary`, shown tentative), never other types, never one an external system owns
 * (`OwnedExternally` other than `None`: that system syncs it).
 *
 * A booking is one row per participant (`mother_id`). Every linked associate's OWN row syncs to
 * their OWN mailbox, the organizer's master row and each invitee's row alike: events are written
 * without attendees (Graph would e-mail invitations), so no invitation would ever put the meeting
 * into an invitee's calendar otherwise. Each occurrence of a recurring series is a row of its own
 * and syncs as an item of its own.
 */
export function superOfficeRefusal(a: SoAppointment): ScopeRefusal | null {
  if (a.type !== 'inDiary' && a.type !== 'BookingForDiary') {
    return { rule: 'filtered_type', detail: SO_NOT_DIARY[a.type] ?? `Its type '${a.type}' is not a diary appointment.` };
  }
  if (a.ownedExternally !== 'None') {
    return { rule: 'filtered_type', detail: `It is owned by an external system (${a.ownedExternally}), which keeps it in step itself.` };
  }
  return null;
}

export function superOfficeScope(a: SoAppointment): null | string {
  return superOfficeRefusal(a)?.detail ?? null;
}

/**
 * Events that sync: single events, occurrences and exceptions (calendarView returns a series
 * expanded into those). A series master never syncs itself. A cancelled meeting syncs only when it
 * carries our tag and the user organizes it (it came from SuperOffice, so the cancellation must
 * reach it). A meeting someone else organizes that they cancelled is not held: nothing to create
 * in SuperOffice, and a copy imported before is deleted (pass-deletes.ts, decide.ts
 * cancelledByOrganizer), though the event keeps the tag we gave it. Ask with the tag read (`get`,
 * not delta, which cannot expand it): an unknown tag counts as none.
 */
export function outlookRefusal(e: GraphEvent): ScopeRefusal | null {
  if (e.type === 'seriesMaster') return { rule: 'filtered_type', detail: 'It is the pattern of a recurring series; its occurrences sync one by one.' };
  if (cancelledByOrganizer(e)) return { rule: 'not_tagged', detail: 'It is a meeting someone else organizes, and they cancelled it: it is not held, so nothing of it is kept in SuperOffice.' };
  if (e.isCancelled && !e.tag) return { rule: 'not_tagged', detail: 'It is a cancelled meeting that did not come from SuperOffice.' };
  return null;
}

/**
 * Diary: a meeting the user received (someone else organizes it) that its organizer cancelled.
 * Mapped, the pass deletes its SuperOffice copy as if the event were deleted (pass-deletes.ts):
 * the event stays in the user's calendar, cancelled, until they remove it, but the meeting is
 * not held. Never imported (outlookRefusal).
 */
export function cancelledByOrganizer(e: Pick<GraphEvent, 'isCancelled' | 'isOrganizer'>): boolean {
  return e.isCancelled && !e.isOrganizer;
}

export function outlookScope(e: GraphEvent): null | string {
  return outlookRefusal(e)?.detail ?? null;
}
