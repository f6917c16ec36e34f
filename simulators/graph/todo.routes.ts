import type { Route } from './graph-core.js';
import { createLinkedResource, createList, createTask, deleteTask, getTask, listLinkedResources, listLists, listTasks, tasksDelta, updateTask } from './todo.handlers.js';

const ID = '([^/]+)';

/**
 * `/users/{id}/todo/lists…` (todo.handlers.ts). Outlook-backed: they count against the mailbox's
 * budget and concurrency like the calendar routes, and faults, throttling and commit-then-timeout
 * reach them through the same core.
 */
export function todoRoutes(): Route[] {
  const lists = new RegExp(`^/users/${ID}/todo/lists/?$`, 'i');
  const tasks = new RegExp(`^/users/${ID}/todo/lists/${ID}/tasks/?$`, 'i');
  const delta = new RegExp(`^/users/${ID}/todo/lists/${ID}/tasks/delta$`, 'i');
  const task = new RegExp(`^/users/${ID}/todo/lists/${ID}/tasks/${ID}$`, 'i');
  const links = new RegExp(`^/users/${ID}/todo/lists/${ID}/tasks/${ID}/linkedResources/?$`, 'i');
  const t = '/users/{id}/todo/lists';
  return [
    { method: 'GET', pattern: lists, template: t, mailbox: true, run: (c, call, p, [u]) => listLists(c.env, call, p, u!) },
    { method: 'POST', pattern: lists, template: t, mailbox: true, run: (c, call, p, [u]) => createList(c.env, call, p, u!) },
    { method: 'GET', pattern: delta, template: `${t}/{id}/tasks/delta`, mailbox: true, run: (c, call, p, [u, l]) => tasksDelta(c.env, call, p, u!, l!) },
    { method: 'GET', pattern: tasks, template: `${t}/{id}/tasks`, mailbox: true, run: (c, call, p, [u, l]) => listTasks(c.env, call, p, u!, l!) },
    { method: 'POST', pattern: tasks, template: `${t}/{id}/tasks`, mailbox: true, run: (c, call, p, [u, l]) => createTask(c.env, call, p, u!, l!) },
    { method: 'GET', pattern: task, template: `${t}/{id}/tasks/{id}`, mailbox: true, run: (c, call, p, [u, l, id]) => getTask(c.env, call, p, u!, l!, id!) },
    { method: 'PATCH', pattern: task, template: `${t}/{id}/tasks/{id}`, mailbox: true, run: (c, call, p, [u, l, id]) => updateTask(c.env, call, p, u!, l!, id!) },
    { method: 'DELETE', pattern: task, template: `${t}/{id}/tasks/{id}`, mailbox: true, run: (c, call, p, [u, l, id]) => deleteTask(c.env, call, p, u!, l!, id!) },
    { method: 'GET', pattern: links, template: `${t}/{id}/tasks/{id}/linkedResources`, mailbox: true, run: (c, call, p, [u, l, id]) => listLinkedResources(c.env, call, p, u!, l!, id!) },
    { method: 'POST', pattern: links, template: `${t}/{id}/tasks/{id}/linkedResources`, mailbox: true, run: (c, call, p, [u, l, id]) => createLinkedResource(c.env, call, p, u!, l!, id!) },
  ];
}
