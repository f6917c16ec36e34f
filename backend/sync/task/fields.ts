import { createHash } from 'node:crypto';
import type { SoAppointment } from '../diary/ports.js';
import { normaliseBody, normaliseLine, SO_TITLE_MAX, truncate } from '../diary/text.js';
import { instantDate, midnightInstant } from '../diary/time.js';
import type { SoChecklistWrite, TaskField, TaskFields, TodoTask, TodoTaskWrite } from './ports.js';

/**
 * The task's field rules: what a checklist item and a To Do task hold in common, normalised so
 * that equal means "no change", hashed per side, merged three ways (as the diary's fields.ts).
 * SuperOffice's checklist item has a date and no time; To Do's dueDateTime is a date too (the
 * To Do apps set midnight), read as the date it names, whatever its zone label.
 */

const FIELDS: readonly TaskField[] = ['title', 'due', 'body', 'completed'];

export function hashTask(f: TaskFields): string {
  return createHash('sha256').update(JSON.stringify(FIELDS.map((k) => f[k]))).digest('hex');
}

/** Checklist rows that sync: the associate's own follow-ups and invitations to one, never one an external system owns. */
export function checklistScope(a: SoAppointment): string | null {
  if (a.type !== 'inChecklist' && a.type !== 'BookingForChecklist') return `Its type '${a.type}' is not a checklist item.`;
  if (a.ownedExternally !== 'None') return `It is owned by an external system (${a.ownedExternally}).`;
  return null;
}

export function fromChecklist(a: SoAppointment, zone: string): TaskFields {
  return { title: normaliseLine(a.title), due: instantDate(a.start, zone), body: normaliseBody(a.description), completed: a.completed };
}

export function fromTodo(t: TodoTask): TaskFields {
  return { title: normaliseLine(t.title), due: t.due ? t.due.dateTime.slice(0, 10) : null, body: normaliseBody(t.body), completed: t.status === 'completed' };
}

/** What SuperOffice can hold of `f`: the title cut to its column, and always a date (`today` when To Do has none). */
export function checklistView(f: TaskFields, today: string): TaskFields {
  return { ...f, title: truncate(f.title, SO_TITLE_MAX), due: f.due ?? today };
}

export function toChecklistWrite(f: TaskFields, associateId: number, zone: string, today: string): SoChecklistWrite {
  const v = checklistView(f, today);
  return { associateId, start: midnightInstant(v.due!, zone), title: v.title, description: v.body, completed: v.completed };
}

/** The To Do write for the fields of `f` that differ from `current` (all of them for a create). */
export function toTodoWrite(f: TaskFields, current: TaskFields | null): TodoTaskWrite {
  const w: TodoTaskWrite = {};
  if (!current || current.title !== f.title) w.title = f.title;
  if (!current || current.body !== f.body) w.body = { content: f.body, contentType: 'text' };
  if (!current || current.due !== f.due) w.dueDateTime = f.due ? { dateTime: `${f.due}T00:00:00.0000000`, timeZone: 'UTC' } : null;
  // Only a change of completion touches the status: a task "in progress" stays so.
  if (!current || current.completed !== f.completed) w.status = f.completed ? 'completed' : 'notStarted';
  return w;
}

export interface TaskConflict {
  field: TaskField;
  base: string | null;
  superoffice: string;
  outlook: string;
  winner: 'superoffice' | 'outlook';
}

/**
 * Three-way merge, field by field, SuperOffice compared through what it can hold: changed on one
 * side takes that side; changed on both to different values takes `winner`'s and is recorded;
 * no base (a re-bound item): a difference takes `winner`'s, unrecorded.
 */
export function mergeTask(base: TaskFields | null, so: TaskFields, todo: TaskFields, winner: 'superoffice' | 'outlook', today: string) {
  const soSeen = checklistView(so, today);
  const todoAsSo = checklistView(todo, today);
  const baseAsSo = base && checklistView(base, today);
  const merged: TaskFields = { ...todo };
  const conflicts: TaskConflict[] = [];
  for (const k of FIELDS) {
    if (soSeen[k] === todoAsSo[k]) continue;
    const soChanged = !baseAsSo || soSeen[k] !== baseAsSo[k];
    const todoChanged = !base || todo[k] !== base[k];
    if (soChanged && todoChanged) {
      (merged as unknown as Record<string, unknown>)[k] = winner === 'superoffice' ? so[k] : todo[k];
      if (base) conflicts.push({ field: k, base: String(base[k]), superoffice: String(so[k]), outlook: String(todo[k]), winner });
    } else if (soChanged) (merged as unknown as Record<string, unknown>)[k] = so[k];
  }
  const mergedAsSo = checklistView(merged, today);
  return {
    merged,
    writeSuperOffice: FIELDS.some((k) => mergedAsSo[k] !== soSeen[k]),
    writeTodo: FIELDS.some((k) => merged[k] !== todo[k]),
    conflicts,
  };
}
