/**
 * The task pass (task-kind.ts) and what it talks to: SuperOffice checklist items (appointments
 * of type `inChecklist`, a follow-up without a time) ⇄ Microsoft To Do tasks in a list of ours
 * per mailbox. SuperOffice rows reuse the diary's SoAppointment shape (diary/ports.ts).
 */
import type { SoAppointment, SoChange, SoWriteOutcome, SyncWindow } from '../diary/ports.js';

/** The values the pass compares, normalised so equal means "no change" (task/fields.ts). */
export interface TaskFields {
  title: string;
  /** `YYYY-MM-DD` in the tenant's zone; null: no due date (To Do only; SuperOffice always has one). */
  due: string | null;
  body: string;
  completed: boolean;
  /** The reminder as a UTC instant at the minute (`…T08:45:00.000Z`); null: none. */
  reminder: string | null;
}

export type TaskField = keyof TaskFields;

/** Our tag on a task: a linked resource (resources/linkedresource). */
export interface TaskLink {
  applicationName: string;
  externalId: string;
  webUrl: string;
  displayName: string;
}

/** A To Do task as the pass needs it. */
export interface TodoTask {
  id: string;
  title: string;
  /** The body as plain text. */
  body: string;
  /** `dueDateTime` as To Do shows it: a date at midnight, with its zone label. */
  due: { dateTime: string; timeZone: string } | null;
  status: string;
  /** `reminderDateTime` when `isReminderOn`, else null. */
  reminder: { dateTime: string; timeZone: string } | null;
  createdDateTime: string;
  lastModifiedDateTime: string;
  /** Our linked resource's externalId: null when it has none; undefined when not expanded (delta). */
  tag?: string | null;
}

export interface TodoTaskWrite {
  title?: string;
  body?: { content: string; contentType: 'text' };
  dueDateTime?: { dateTime: string; timeZone: string } | null;
  status?: 'notStarted' | 'completed';
  isReminderOn?: boolean;
  reminderDateTime?: { dateTime: string; timeZone: string } | null;
}

export interface TodoDelta {
  changed: TodoTask[];
  /** Ids `@removed` from our list: deleted, or moved to another list (its id changed). */
  removed: string[];
  deltaLink: string;
}

/** Graph's delta token for the list is no longer valid (410 syncStateNotFound): a full pass. */
export class TodoDeltaExpired extends Error {
  constructor() {
    super('The To Do change token expired; a full comparison is needed.');
    this.name = 'TodoDeltaExpired';
  }
}

/** Our list is gone (404): find it again by name, or create it. */
export class TodoListGone extends Error {
  constructor() {
    super('The To Do list of ours is gone.');
    this.name = 'TodoListGone';
  }
}

/** One mailbox's To Do, app-only, through the mailbox's limiter (throws DomainErrors). */
export interface TodoPort {
  /** Our list's id: found by name, else created. */
  ensureList(name: string): Promise<string>;
  /** Throws TodoDeltaExpired, TodoListGone. */
  delta(listId: string, from: { deltaLink: string } | 'fresh'): Promise<TodoDelta>;
  /** Every task of the list with linked resources expanded (tag set). Throws TodoListGone. */
  listTasks(listId: string): Promise<TodoTask[]>;
  /** With the tag; null on 404. */
  get(listId: string, id: string): Promise<TodoTask | null>;
  /** One POST with our linked resource in the body. Never retried on a lost answer (no transactionId on tasks). */
  create(listId: string, write: TodoTaskWrite, link: TaskLink): Promise<TodoTask>;
  update(listId: string, id: string, write: TodoTaskWrite): Promise<TodoTask | 'gone'>;
  addLink(listId: string, id: string, link: TaskLink): Promise<'ok' | 'gone'>;
  delete(listId: string, id: string): Promise<'deleted' | 'gone'>;
  /** The mailbox's other lists (at most `max`), for "why didn't this sync?" only; the passes never call it. */
  otherLists?(listId: string, max: number): Promise<{ id: string; name: string }[]>;
  /** A task carrying `externalId` in any OTHER list of the mailbox (a user's move), or null. */
  findElsewhere(listId: string, externalId: string): Promise<TodoTask | null>;
}

/** What the pass writes to a checklist item. */
export interface SoChecklistWrite {
  associateId: number;
  /** Midnight of the due date in the tenant's zone, as a UTC instant. */
  start: string;
  title: string;
  description: string;
  completed: boolean;
  /** Minutes before `start`; null: no alarm. */
  alarmLeadMinutes: number | null;
}

/** The tenant's checklists (SuperOffice), as the sync's identity. */
export interface SuperOfficeChecklistPort {
  changedSince(associateId: number, since: string, window: SyncWindow): Promise<SoChange[]>;
  idsInWindow(associateId: number, window: SyncWindow): Promise<Set<number>>;
  get(id: number): Promise<SoAppointment | null>;
  createChecklist(write: SoChecklistWrite): Promise<SoAppointment>;
  updateChecklist(id: number, write: SoChecklistWrite, ifUnmodifiedSince: string): Promise<SoWriteOutcome>;
  delete(id: number, ifUnmodifiedSince: string): Promise<'deleted' | 'conflict' | 'gone'>;
  findByForeignKey(mailboxId: string, graphRef: string): Promise<number | null>;
  addForeignKey(mailboxId: string, graphRef: string, appointmentId: number): Promise<void>;
  /** Where the item opens in the CRM (the linked resource's webUrl). */
  crmLink(id: number): string;
}
