import { createHash } from 'node:crypto';
import type { SoAppointment } from '../diary/ports.js';
import { normaliseBody, normaliseLine, SO_TITLE_MAX, truncate } from '../diary/text.js';
import { instantDate, midnightInstant, toInstant } from '../diary/time.js';
import type { SoChecklistWrite, TaskField, TaskFields, TodoTask, TodoTaskWrite } from './ports.js';

/**
 * The task's field rules: what a checklist item and a To Do task hold in common, normalised so
 * that equal means "no change", hashed per side, merged three ways (as the diary's fields.ts).
 * SuperOffice's checklist item has a date and no time; To Do's dueDateTime is a date too (the
 * To Do apps set midnight), read as the date it names, whatever its zone label.
 * The reminder: To Do's `isReminderOn` + `reminderDateTime` (an instant); SuperOffice's `HasAlarm`
 * + `AlarmLeadTime`, minutes before the start. A checklist item is a date (we write it at the
 * day's midnight), so its alarm is counted back from that midnight: a lead of 15 minutes is 23:45
 * the evening before. SuperOffice cannot ring after the start, nor at a second: a To Do reminder
 * later on the due day shows in SuperOffice as an alarm at midnight (checklistView), and is left
 * as it is in To Do unless SuperOffice's alarm changes.
 */

const FIELDS: readonly TaskField[] = ['title', 'due', 'body', 'completed', 'reminder'];
const MINUTE = 60_000;

/** Without a reminder the hash is the one from before reminders synced: no item looks changed after the upgrade. */
export function hashTask(f: TaskFields): string {
  const keys = f.reminder == null ? FIELDS.filter((k) => k !== 'reminder') : FIELDS;
  return createHash('sha256').update(JSON.stringify(keys.map((k) => f[k]))).digest('hex');
}

/** A stored base from before reminders synced has none. */
export function parseBase(json: string | null): TaskFields | null {
  if (!json) return null;
  const base = JSON.parse(json) as TaskFields;
  return { ...base, reminder: base.reminder ?? null };
}

const minute = (ms: number) => new Date(Math.floor(ms / MINUTE) * MINUTE).toISOString();

/** Checklist rows that sync: the associate's own follow-ups and invitations to one, never one an external system owns. */
export function checklistScope(a: SoAppointment): string | null {
  if (a.type !== 'inChecklist' && a.type !== 'BookingForChecklist') return `Its type '${a.type}' is not a checklist item.`;
  if (a.ownedExternally !== 'None') return `It is owned by an external system (${a.ownedExternally}).`;
  return null;
}

export function fromChecklist(a: SoAppointment, zone: string): TaskFields {
  const due = instantDate(a.start, zone);
  const lead = a.alarmLeadMinutes ?? null;
  const reminder = lead === null ? null : minute(Date.parse(midnightInstant(due, zone)) - lead * MINUTE);
  return { title: normaliseLine(a.title), due, body: normaliseBody(a.description), completed: a.completed, reminder };
}

export function fromTodo(t: TodoTask): TaskFields {
  let reminder: string | null = null;
  if (t.reminder) {
    try {
      reminder = new Date(toInstant(t.reminder.dateTime, t.reminder.timeZone)).toISOString();
    } catch {
      reminder = null; // a zone no one knows: as if none (the task is still synced)
    }
  }
  return { title: normaliseLine(t.title), due: t.due ? t.due.dateTime.slice(0, 10) : null, body: normaliseBody(t.body), completed: t.status === 'completed', reminder };
}

/**
 * What SuperOffice can hold of `f`: the title cut to its column, always a date (`today` when To Do
 * has none), and an alarm at whole minutes no later than the item's midnight.
 */
export function checklistView(f: TaskFields, today: string, zone: string): TaskFields {
  const due = f.due ?? today;
  const start = Date.parse(midnightInstant(due, zone));
  const reminder = f.reminder == null ? null : minute(Math.min(Date.parse(f.reminder), start));
  return { ...f, title: truncate(f.title, SO_TITLE_MAX), due, reminder };
}

export function toChecklistWrite(f: TaskFields, associateId: number, zone: string, today: string): SoChecklistWrite {
  const v = checklistView(f, today, zone);
  const start = midnightInstant(v.due!, zone);
  const alarmLeadMinutes = v.reminder === null ? null : Math.round((Date.parse(start) - Date.parse(v.reminder)) / MINUTE);
  return { associateId, start, title: v.title, description: v.body, completed: v.completed, alarmLeadMinutes };
}

/** The To Do write for the fields of `f` that differ from `current` (all of them for a create). */
export function toTodoWrite(f: TaskFields, current: TaskFields | null): TodoTaskWrite {
  const w: TodoTaskWrite = {};
  if (!current || current.title !== f.title) w.title = f.title;
  if (!current || current.body !== f.body) w.body = { content: f.body, contentType: 'text' };
  if (!current || current.due !== f.due) w.dueDateTime = f.due ? { dateTime: `${f.due}T00:00:00.0000000`, timeZone: 'UTC' } : null;
  // Only a change of completion touches the status: a task "in progress" stays so.
  if (!current || current.completed !== f.completed) w.status = f.completed ? 'completed' : 'notStarted';
  if (!current ? f.reminder !== null : current.reminder !== f.reminder) {
    w.isReminderOn = f.reminder !== null;
    w.reminderDateTime = f.reminder === null ? null : { dateTime: f.reminder.replace(/\.\d+Z$/, '.0000000').replace(/Z$/, ''), timeZone: 'UTC' };
  }
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
export function mergeTask(base: TaskFields | null, so: TaskFields, todo: TaskFields, winner: 'superoffice' | 'outlook', today: string, zone: string) {
  const soSeen = checklistView(so, today, zone);
  const todoAsSo = checklistView(todo, today, zone);
  const baseAsSo = base && checklistView(base, today, zone);
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
  const mergedAsSo = checklistView(merged, today, zone);
  return {
    merged,
    writeSuperOffice: FIELDS.some((k) => mergedAsSo[k] !== soSeen[k]),
    writeTodo: FIELDS.some((k) => merged[k] !== todo[k]),
    conflicts,
  };
}
