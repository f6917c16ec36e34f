import type { DemoMailbox } from '../demo-tenant.types.js';
import { requireTasksRead, requireTasksWrite, type Principal } from './auth.js';
import { directoryOf, GRAPH_JSON, hasMailbox, type GraphEnv } from './graph-env.js';
import { GraphError, graphErrors } from './graph-errors.js';
import type { GraphCall, GraphResult } from './graph.types.js';
import type { DateTimeTimeZone, LinkedResource, StoredTask, TaskFields, TaskStatus, TodoList } from './todo-store.js';

/**
 * Microsoft To Do (Graph docs: api/todo-list-lists, api/todo-post-lists, api/todotasklist-list-tasks,
 * api/todotasklist-post-tasks, api/todotask-get, api/todotask-update, api/todotask-delete,
 * api/todotask-delta, api/todotask-list-linkedresources, api/todotask-post-linkedresources).
 * Where the docs leave room, the stricter reading: unknown properties are refused, delta never
 * expands linked resources (api/todotask-delta documents no `$expand`), a list's delta token is
 * good for that list only.
 */

const bad = (message: string) => new GraphError(400, 'invalidRequest', message);
const notFound = () => new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
const syncStateNotFound = () => new GraphError(410, 'syncStateNotFound', 'The sync state generation is not found. Please start a new sync from scratch.');
const PAGE = 100;

function mailbox(env: GraphEnv, p: Principal, userId: string, write: boolean): DemoMailbox {
  const user = directoryOf(env, p).find(userId);
  if (!user) throw graphErrors.userNotFound(userId);
  (write ? requireTasksWrite : requireTasksRead)(p, user.id);
  if (!hasMailbox(user)) throw graphErrors.mailboxNotEnabled();
  return user;
}

function listOf(env: GraphEnv, user: DemoMailbox, listId: string): TodoList {
  const list = env.todo.list(user.id, listId);
  if (!list) throw notFound();
  return list;
}

function taskOf(list: TodoList, taskId: string): StoredTask {
  const task = list.tasks.get(taskId);
  if (!task) throw notFound();
  return task;
}

const ok = (body: unknown, status = 200): GraphResult => ({ status, headers: { 'Content-Type': GRAPH_JSON, 'OData-Version': '4.0' }, body });
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');

function listView(l: TodoList): Record<string, unknown> {
  return { '@odata.etag': `W/"${l.id.slice(-8)}"`, displayName: l.displayName, isOwner: l.isOwner, isShared: l.isShared, wellknownListName: l.wellknownListName, id: l.id };
}

function taskView(t: StoredTask, expand: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    '@odata.etag': `W/"${t.modifiedMs.toString(36)}"`,
    importance: t.importance,
    isReminderOn: t.isReminderOn,
    status: t.status,
    title: t.title,
    createdDateTime: iso(t.createdMs),
    lastModifiedDateTime: iso(t.modifiedMs),
    id: t.id,
    body: { content: t.body.content, contentType: t.body.contentType },
  };
  if (t.dueDateTime) out.dueDateTime = { ...t.dueDateTime };
  if (t.reminderDateTime) out.reminderDateTime = { ...t.reminderDateTime };
  if (t.completedDateTime) out.completedDateTime = { ...t.completedDateTime };
  if (expand) out.linkedResources = t.linkedResources.map((r) => ({ ...r }));
  return out;
}

function parseExpand(call: GraphCall): boolean {
  const raw = call.query.get('$expand');
  if (raw === null) return false;
  if (raw.trim().toLowerCase() !== 'linkedresources') throw bad(`Only $expand=linkedResources is supported on todoTask; got: ${raw}`);
  return true;
}

function pageSize(call: GraphCall): number {
  const top = call.query.get('$top');
  if (top !== null) {
    if (!/^\d+$/.test(top) || Number(top) < 1 || Number(top) > 999) throw graphErrors.badPageSize(top);
    return Number(top);
  }
  const m = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(call.headers.prefer ?? '');
  return m ? Math.max(1, Math.min(999, Number(m[1]))) : PAGE;
}

const STATUSES: readonly TaskStatus[] = ['notStarted', 'inProgress', 'completed', 'waitingOnOthers', 'deferred'];
const WRITABLE = new Set(['title', 'body', 'dueDateTime', 'reminderDateTime', 'isReminderOn', 'status', 'completedDateTime', 'importance', 'linkedResources', 'categories']);

function dateTimeTimeZone(v: unknown, name: string): DateTimeTimeZone | null {
  if (v === null) return null;
  const o = v as { dateTime?: unknown; timeZone?: unknown };
  if (typeof o !== 'object' || typeof o.dateTime !== 'string' || typeof o.timeZone !== 'string' || Number.isNaN(Date.parse(`${o.dateTime.slice(0, 19)}Z`))) {
    throw bad(`'${name}' must be a dateTimeTimeZone: {dateTime, timeZone}.`);
  }
  return { dateTime: o.dateTime, timeZone: o.timeZone };
}

function parseLinkedResource(v: unknown): Omit<LinkedResource, 'id'> {
  const o = (v ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!['applicationName', 'externalId', 'webUrl', 'displayName', '@odata.type'].includes(k)) throw bad(`Unknown property '${k}' on linkedResource.`);
  const str = (k: string) => {
    if (o[k] !== undefined && typeof o[k] !== 'string') throw bad(`'${k}' must be a string.`);
    return (o[k] as string | undefined) ?? '';
  };
  const r = { applicationName: str('applicationName'), externalId: str('externalId'), webUrl: str('webUrl'), displayName: str('displayName') };
  if (!r.applicationName) throw bad("A linkedResource needs 'applicationName'.");
  return r;
}

/** A todoTask body: only its documented writable properties, each of its type. */
function parseTaskWrite(body: unknown, create: boolean): { fields: Partial<TaskFields>; links: Omit<LinkedResource, 'id'>[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('The body must be a todoTask object.');
  const o = body as Record<string, unknown>;
  const fields: Partial<TaskFields> = {};
  for (const k of Object.keys(o)) if (!WRITABLE.has(k) && !k.startsWith('@odata')) throw bad(`Could not find a property named '${k}' on type 'microsoft.graph.todoTask'.`);
  if (o.title !== undefined) {
    if (typeof o.title !== 'string') throw bad("'title' must be a string.");
    fields.title = o.title;
  } else if (create) throw bad("A todoTask needs a 'title'.");
  if (o.body !== undefined) {
    const b = o.body as { content?: unknown; contentType?: unknown };
    if (typeof b !== 'object' || b === null || typeof (b.content ?? '') !== 'string') throw bad("'body' must be an itemBody.");
    const type = String(b.contentType ?? 'text').toLowerCase();
    if (type !== 'text' && type !== 'html') throw bad("'body.contentType' must be text or html.");
    fields.body = { content: (b.content as string | undefined) ?? '', contentType: type };
  }
  if (o.dueDateTime !== undefined) fields.dueDateTime = dateTimeTimeZone(o.dueDateTime, 'dueDateTime');
  if (o.reminderDateTime !== undefined) fields.reminderDateTime = dateTimeTimeZone(o.reminderDateTime, 'reminderDateTime');
  if (o.completedDateTime !== undefined) fields.completedDateTime = dateTimeTimeZone(o.completedDateTime, 'completedDateTime');
  if (o.isReminderOn !== undefined) {
    if (typeof o.isReminderOn !== 'boolean') throw bad("'isReminderOn' must be a boolean.");
    fields.isReminderOn = o.isReminderOn;
  }
  if (o.status !== undefined) {
    if (!STATUSES.includes(o.status as TaskStatus)) throw bad(`'status' must be one of ${STATUSES.join(', ')}.`);
    fields.status = o.status as TaskStatus;
  }
  if (o.importance !== undefined) {
    if (!['low', 'normal', 'high'].includes(o.importance as string)) throw bad("'importance' must be low, normal or high.");
    fields.importance = o.importance as TaskFields['importance'];
  }
  let links: Omit<LinkedResource, 'id'>[] = [];
  if (o.linkedResources !== undefined) {
    if (!create) throw bad("'linkedResources' are added through /linkedResources on an existing task.");
    if (!Array.isArray(o.linkedResources)) throw bad("'linkedResources' must be an array.");
    links = o.linkedResources.map(parseLinkedResource);
  }
  return { fields, links };
}

export function listLists(env: GraphEnv, call: GraphCall, p: Principal, userId: string): GraphResult {
  const user = mailbox(env, p, userId, false);
  let lists = env.todo.listsOf(user.id);
  const filter = call.query.get('$filter');
  if (filter !== null) {
    const m = /^\s*displayName\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(filter);
    if (!m) throw bad(`Only $filter=displayName eq '…' is modelled on todoTaskList; got: ${filter}`);
    const name = m[1]!.replace(/''/g, "'");
    lists = lists.filter((l) => l.displayName === name);
  }
  return ok({ '@odata.context': `${env.baseUrl}/v1.0/$metadata#users('${user.id}')/todo/lists`, value: lists.map(listView) });
}

export function createList(env: GraphEnv, call: GraphCall, p: Principal, userId: string): GraphResult {
  const user = mailbox(env, p, userId, true);
  const o = (call.body ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(o)) if (k !== 'displayName' && !k.startsWith('@odata')) throw bad(`Could not find a property named '${k}' on type 'microsoft.graph.todoTaskList'.`);
  if (typeof o.displayName !== 'string' || o.displayName.trim() === '') throw bad("A todoTaskList needs a 'displayName'.");
  return ok(listView(env.todo.createList(user.id, o.displayName)), 201);
}

export function listTasks(env: GraphEnv, call: GraphCall, p: Principal, userId: string, listId: string): GraphResult {
  const user = mailbox(env, p, userId, false);
  const list = listOf(env, user, listId);
  const expand = parseExpand(call);
  const size = pageSize(call);
  const skip = Number(call.query.get('$skip') ?? '0');
  if (!Number.isInteger(skip) || skip < 0) throw bad('$skip must be a whole number.');
  const all = [...list.tasks.values()].sort((a, b) => a.createdMs - b.createdMs || a.id.localeCompare(b.id));
  const page = all.slice(skip, skip + size);
  const body: Record<string, unknown> = { value: page.map((t) => taskView(t, expand)) };
  if (skip + size < all.length) {
    const q = new URLSearchParams(call.rawQuery);
    q.set('$skip', String(skip + size));
    body['@odata.nextLink'] = `${env.baseUrl}/v1.0${call.path}?${q.toString()}`;
  }
  return ok(body);
}

export function createTask(env: GraphEnv, call: GraphCall, p: Principal, userId: string, listId: string): GraphResult {
  const user = mailbox(env, p, userId, true);
  const list = listOf(env, user, listId);
  const { fields, links } = parseTaskWrite(call.body, true);
  const task = env.todo.createTask(list, fields, links);
  if (fields.status === 'completed' && !fields.completedDateTime) env.todo.updateTask(list, task, { status: 'completed' });
  return ok(taskView(task, links.length > 0), 201);
}

export function getTask(env: GraphEnv, call: GraphCall, p: Principal, userId: string, listId: string, taskId: string): GraphResult {
  const user = mailbox(env, p, userId, false);
  return ok(taskView(taskOf(listOf(env, user, listId), taskId), parseExpand(call)));
}

export function updateTask(env: GraphEnv, call: GraphCall, p: Principal, userId: string, listId: string, taskId: string): GraphResult {
  const user = mailbox(env, p, userId, true);
  const list = listOf(env, user, listId);
  const task = taskOf(list, taskId);
  const { fields } = parseTaskWrite(call.body, false);
  return ok(taskView(env.todo.updateTask(list, task, fields), false));
}

export function deleteTask(env: GraphEnv, _call: GraphCall, p: Principal, userId: string, listId: string, taskId: string): GraphResult {
  const user = mailbox(env, p, userId, true);
  const list = listOf(env, user, listId);
  env.todo.deleteTask(list, taskOf(list, taskId));
  return { status: 204, headers: {} };
}

export function listLinkedResources(env: GraphEnv, _call: GraphCall, p: Principal, userId: string, listId: string, taskId: string): GraphResult {
  const user = mailbox(env, p, userId, false);
  return ok({ value: taskOf(listOf(env, user, listId), taskId).linkedResources.map((r) => ({ ...r })) });
}

export function createLinkedResource(env: GraphEnv, call: GraphCall, p: Principal, userId: string, listId: string, taskId: string): GraphResult {
  const user = mailbox(env, p, userId, true);
  const list = listOf(env, user, listId);
  return ok(env.todo.addLinkedResource(list, taskOf(list, taskId), parseLinkedResource(call.body)), 201);
}

interface DeltaState {
  /** The list the token belongs to. */
  l: string;
  /** Changes after this log position. */
  s: number;
  /** Where this round ends (nextLink pages). */
  u?: number;
  /** Rows already returned this round. */
  k?: number;
  g: number;
}

const encode = (st: DeltaState) => Buffer.from(JSON.stringify(st)).toString('base64url');
function decode(token: string, listId: string, generation: number): DeltaState {
  let st: DeltaState;
  try {
    st = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as DeltaState;
  } catch {
    throw syncStateNotFound();
  }
  if (typeof st?.s !== 'number' || st.l !== listId || st.g !== generation) throw syncStateNotFound();
  return st;
}

/**
 * Per-list delta: a first round returns every task, later rounds what changed after the token,
 * removed ones (deleted, or moved to another list: their id is gone) as `{id, @removed: {reason: deleted}}`.
 */
export function tasksDelta(env: GraphEnv, call: GraphCall, p: Principal, userId: string, listId: string): GraphResult {
  const user = mailbox(env, p, userId, false);
  const list = listOf(env, user, listId);
  if (call.query.has('$expand')) throw bad('$expand is not supported on todoTask delta.');
  const size = pageSize(call);
  const deltaToken = call.query.get('$deltatoken');
  const skipToken = call.query.get('$skiptoken');
  let st: DeltaState;
  if (skipToken !== null) st = decode(skipToken, list.id, env.todo.generation);
  else if (deltaToken !== null) st = { ...decode(deltaToken, list.id, env.todo.generation), u: env.todo.position(), k: 0 };
  else st = { l: list.id, s: -1, u: env.todo.position(), k: 0, g: env.todo.generation };
  const upto = st.u ?? env.todo.position();
  const rows: Record<string, unknown>[] =
    st.s < 0
      ? [...list.tasks.values()].sort((a, b) => a.createdMs - b.createdMs || a.id.localeCompare(b.id)).map((t) => taskView(t, false))
      : env.todo
          .changesSince({ ...list, log: list.log.filter((e) => e.seq <= upto) }, st.s)
          .map(({ taskId, removed }) => (removed ? { id: taskId, '@removed': { reason: 'deleted' } } : taskView(list.tasks.get(taskId)!, false)));
  const k = st.k ?? 0;
  const page = rows.slice(k, k + size);
  const base = `${env.baseUrl}/v1.0/users/${encodeURIComponent(userId)}/todo/lists/${encodeURIComponent(list.id)}/tasks/delta`;
  const body: Record<string, unknown> = { value: page };
  if (k + size < rows.length) body['@odata.nextLink'] = `${base}?$skiptoken=${encode({ ...st, u: upto, k: k + size })}`;
  else body['@odata.deltaLink'] = `${base}?$deltatoken=${encode({ l: list.id, s: upto, g: env.todo.generation })}`;
  return ok(body);
}
