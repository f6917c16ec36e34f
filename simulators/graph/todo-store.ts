import { randomBytes } from 'node:crypto';
import type { SimClock } from './calendar-store.js';

/**
 * Microsoft To Do as Graph shows it (Graph docs: resources/todotasklist, resources/todotask,
 * resources/linkedresource, api/todotask-delta): each mailbox's task lists, their tasks and each
 * list's change log for delta. A task's id is only good while it stays in its list: the todoTask
 * docs say the id "changes when the item is moved from one list to another", so a move here is a
 * delete in one list and a create (new id, same content) in the other, and the old list's delta
 * reports the old id `@removed`.
 */

export interface LinkedResource {
  id: string;
  applicationName: string;
  externalId: string;
  webUrl: string;
  displayName: string;
}

export interface DateTimeTimeZone {
  dateTime: string;
  timeZone: string;
}

export type TaskStatus = 'notStarted' | 'inProgress' | 'completed' | 'waitingOnOthers' | 'deferred';

export interface TaskFields {
  title: string;
  body: { content: string; contentType: 'text' | 'html' };
  dueDateTime: DateTimeTimeZone | null;
  reminderDateTime: DateTimeTimeZone | null;
  isReminderOn: boolean;
  status: TaskStatus;
  completedDateTime: DateTimeTimeZone | null;
  importance: 'low' | 'normal' | 'high';
}

export interface StoredTask extends TaskFields {
  id: string;
  listId: string;
  createdMs: number;
  modifiedMs: number;
  linkedResources: LinkedResource[];
}

export interface TodoList {
  id: string;
  displayName: string;
  /** `none` for lists a user or app made, `defaultList` for "Tasks", `flaggedEmails`. */
  wellknownListName: 'none' | 'defaultList' | 'flaggedEmails';
  isOwner: boolean;
  isShared: boolean;
  tasks: Map<string, StoredTask>;
  /** Every change, in order: delta tokens are positions in it. */
  log: { seq: number; taskId: string; removed: boolean }[];
}

export const defaultTaskFields = (): TaskFields => ({
  title: '',
  body: { content: '', contentType: 'text' },
  dueDateTime: null,
  reminderDateTime: null,
  isReminderOn: false,
  status: 'notStarted',
  completedDateTime: null,
  importance: 'normal',
});

/** Graph's ids are long base64 strings; ours are random and opaque too. */
const newId = () => `AAMk${randomBytes(24).toString('base64url')}`;

export class TodoStore {
  private readonly lists = new Map<string, TodoList[]>();
  private seq = 0;
  /** Bumped by `expireDeltaTokens`: older tokens get 410 syncStateNotFound. */
  generation = 0;

  constructor(readonly clock: SimClock) {}

  /** A mailbox's lists; its default "Tasks" list exists from the start, as in a new mailbox. */
  listsOf(mailboxId: string): TodoList[] {
    const key = mailboxId.toLowerCase();
    let lists = this.lists.get(key);
    if (!lists) {
      lists = [];
      this.lists.set(key, lists);
      this.createList(mailboxId, 'Tasks', 'defaultList');
    }
    return lists;
  }

  list(mailboxId: string, listId: string): TodoList | undefined {
    return this.listsOf(mailboxId).find((l) => l.id === listId);
  }

  createList(mailboxId: string, displayName: string, wellknownListName: TodoList['wellknownListName'] = 'none'): TodoList {
    const list: TodoList = { id: newId(), displayName, wellknownListName, isOwner: true, isShared: false, tasks: new Map(), log: [] };
    this.listsOf(mailboxId).push(list);
    return list;
  }

  deleteList(mailboxId: string, listId: string): boolean {
    const lists = this.listsOf(mailboxId);
    const i = lists.findIndex((l) => l.id === listId);
    if (i < 0) return false;
    lists.splice(i, 1);
    return true;
  }

  private touch(list: TodoList, taskId: string, removed: boolean): void {
    list.log.push({ seq: ++this.seq, taskId, removed });
  }

  createTask(list: TodoList, fields: Partial<TaskFields>, linkedResources: Omit<LinkedResource, 'id'>[] = []): StoredTask {
    const now = this.clock.now();
    const task: StoredTask = {
      ...defaultTaskFields(),
      ...fields,
      id: newId(),
      listId: list.id,
      createdMs: now,
      modifiedMs: now,
      linkedResources: linkedResources.map((r) => ({ ...r, id: randomBytes(16).toString('hex') })),
    };
    list.tasks.set(task.id, task);
    this.touch(list, task.id, false);
    return task;
  }

  updateTask(list: TodoList, task: StoredTask, fields: Partial<TaskFields>): StoredTask {
    Object.assign(task, fields);
    // completedDateTime follows status, as To Do sets it (resources/todotask).
    if (fields.status !== undefined) {
      task.completedDateTime = fields.status === 'completed' ? (task.completedDateTime ?? { dateTime: new Date(this.clock.now()).toISOString().slice(0, 19), timeZone: 'UTC' }) : null;
    }
    task.modifiedMs = Math.max(this.clock.now(), task.modifiedMs + 1);
    this.touch(list, task.id, false);
    return task;
  }

  addLinkedResource(list: TodoList, task: StoredTask, r: Omit<LinkedResource, 'id'>): LinkedResource {
    const made = { ...r, id: randomBytes(16).toString('hex') };
    task.linkedResources.push(made);
    task.modifiedMs = Math.max(this.clock.now(), task.modifiedMs + 1);
    this.touch(list, task.id, false);
    return made;
  }

  deleteTask(list: TodoList, task: StoredTask): void {
    list.tasks.delete(task.id);
    this.touch(list, task.id, true);
  }

  /** A user drags the task to another list: a new id there, `@removed` in the old list's delta. */
  moveTask(mailboxId: string, fromListId: string, taskId: string, toListId: string): StoredTask {
    const from = this.list(mailboxId, fromListId);
    const to = this.list(mailboxId, toListId);
    const task = from?.tasks.get(taskId);
    if (!from || !to || !task) throw new Error('no such list or task');
    this.deleteTask(from, task);
    const { id: _id, listId: _list, createdMs, modifiedMs: _m, linkedResources, ...fields } = task;
    const moved = this.createTask(to, fields, linkedResources.map(({ id: _rid, ...r }) => r));
    moved.createdMs = createdMs;
    return moved;
  }

  /** Where the list's log stands now (a fresh delta ends here). */
  position(): number {
    return this.seq;
  }

  /** The tasks changed or removed after `since`, each once, its last change deciding. */
  changesSince(list: TodoList, since: number): { taskId: string; removed: boolean }[] {
    const last = new Map<string, boolean>();
    for (const e of list.log) if (e.seq > since) last.set(e.taskId, e.removed);
    return [...last].map(([taskId, removed]) => ({ taskId, removed: removed || !list.tasks.has(taskId) }));
  }

  reset(): void {
    this.lists.clear();
    this.seq = 0;
    this.generation = 0;
  }
}
