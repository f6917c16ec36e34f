import type { PassContext } from './diary/item.repository.js';
import { fromOutlook, fromSuperOffice, touchesWindow } from './diary/fields.js';
import type { GraphEvent, SoAppointment, SyncWindow } from './diary/ports.js';
import { outlookRefusal, superOfficeRefusal } from './diary/scope.js';
export { cancelledByOrganizer } from './diary/scope.js';
import { checklistScope } from './task/fields.js';
import type { SoPersonRow } from './contact/ports.js';

/**
 * The per-item decisions the passes make about what they keep in step, as pure functions: the
 * passes call them to pick what to create, and "why didn't this sync?" (backend/explain/) calls
 * the very same ones to say why an item was left alone. A change to a rule here changes both.
 * Each answers null when the item syncs, else the rule that refused it and why, in plain words.
 */

export type ItemRefusal =
  | { rule: 'filtered_type' | 'not_tagged'; detail: string }
  | { rule: 'out_of_window'; detail: string }
  | { rule: 'deleted'; detail: string };

/** The whole mailbox waits while the circuit breaker holds it: stopped and not yet released by an administrator. */
export function breakerHolds(ctx: Pick<PassContext, 'state' | 'breakerReleasedAt'>): boolean {
  return ctx.state === 'breaker' && ctx.breakerReleasedAt === null;
}

const outside = (window: SyncWindow): ItemRefusal => ({
  rule: 'out_of_window',
  detail: `It is outside the sync window (${window.start.slice(0, 10)} to ${window.end.slice(0, 10)}): only items that touch the window are kept in step.`,
});

/** Diary: a SuperOffice appointment the pass keeps in step (creates an event for): the associate's own, of a diary type, in the window. */
export function diaryAppointmentRefusal(a: SoAppointment, ctx: Pick<PassContext, 'associateId' | 'zone'>, window: SyncWindow): ItemRefusal | null {
  if (a.associateId !== ctx.associateId) return { rule: 'filtered_type', detail: "It is in another associate's diary." };
  const scope = superOfficeRefusal(a);
  if (scope !== null) return scope;
  if (!touchesWindow(fromSuperOffice(a, ctx.zone), window, ctx.zone)) return outside(window);
  return null;
}

/** Diary: an Outlook event the pass keeps in step (creates an appointment for when it is new to us): in scope and in the window. */
export function diaryEventRefusal(e: GraphEvent, zone: string, window: SyncWindow): ItemRefusal | null {
  const scope = outlookRefusal(e);
  if (scope !== null) return scope;
  if (!touchesWindow(fromOutlook(e, zone), window, zone)) return outside(window);
  return null;
}

/** Task: a checklist row the pass keeps in step: the associate's own follow-up (or invitation to one), not owned by another system. */
export function checklistRefusal(a: SoAppointment, associateId: number): ItemRefusal | null {
  if (a.associateId !== associateId) return { rule: 'filtered_type', detail: "It is in another associate's checklist." };
  const scope = checklistScope(a);
  return scope === null ? null : { rule: 'filtered_type', detail: scope };
}

/**
 * Task: the checklist rows a pass reads are those the appointment archive returns for the window
 * (FindAppointment: `date lt end and endDate gt start`, superoffice-diary.ts); this is that
 * question asked of one row already read, for an item the archive was not asked about.
 */
export function checklistWindowRefusal(a: Pick<SoAppointment, 'start' | 'end'>, window: SyncWindow): ItemRefusal | null {
  const start = Date.parse(a.start);
  const end = Date.parse(a.end);
  return start < Date.parse(window.end) && end > Date.parse(window.start) ? null : outside(window);
}

/**
 * Task: the pass reads our list only (task-kind.ts: TASK_LIST_NAME), so a task in any other To Do
 * list is the user's own, never created by us and never imported.
 */
export function todoListRefusal(list: { id: string; name: string }, ours: { id: string | null; name: string }): ItemRefusal | null {
  if (list.id === ours.id) return null;
  return { rule: 'not_tagged', detail: `It is in the To Do list '${list.name}', which is the user's own: only tasks in the list '${ours.name}' are synchronized. Move it there to sync it.` };
}

/**
 * Contact: a person the pass keeps a contact of ours for (contact-kind.ts: in scope): the
 * associate is its "our contact", and it is neither deleted nor retired. Out of scope, the pass
 * deletes its contact from our folder (never from another).
 */
/**
 * Contact: a mapped person the pass reads again (and writes over its contact if what it would
 * write differs from what it last wrote): its updatedDate, as the pass stamps it (`soStamp`),
 * differs from the mapping's.
 */
export function personStale(item: { graph_id: string | null; so_updated_at: string | Date | null }, stamp: string | Date): boolean {
  return item.graph_id !== null && new Date(item.so_updated_at ?? 0).getTime() !== new Date(stamp).getTime();
}

export function personRefusal(r: Pick<SoPersonRow, 'associateId' | 'deleted' | 'retired'>, associateId: number): ItemRefusal | null {
  if (r.deleted) return { rule: 'deleted', detail: 'The person was deleted in SuperOffice, so the contact of ours for it is deleted from the SuperOffice contact folder too.' };
  if (r.associateId !== associateId) {
    return {
      rule: 'filtered_type',
      detail: r.associateId === 0
        ? 'The person has no "Our contact" in SuperOffice: only persons whose "Our contact" is this user are synchronized.'
        : 'Another user is the person\'s "Our contact" in SuperOffice: only persons whose "Our contact" is this user are synchronized.',
    };
  }
  if (r.retired) return { rule: 'filtered_type', detail: 'The person is retired in SuperOffice: retired persons are not synchronized (their contact is removed from the SuperOffice contact folder).' };
  return null;
}
