import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseTag } from '../../../../backend/sync/diary/fields.js';
import { instantDate } from '../../../../backend/sync/diary/time.js';
import { costOf } from '../diary/counting.js';
import type { WorldUser } from '../diary/world.js';
import { day, makeTaskWorld, taskTag, type TaskWorld } from './task-world.js';

/**
 * Task ⇄ Microsoft To Do over the simulators: creates both ways, edits, completion, conflicts,
 * deletes (only ours), a task moved to another list, and the exact create counts of the
 * zero-duplicate promise. Each test works its own mailbox.
 */
/** A checklist item's date as the tenant (Europe/Oslo) reads it. */
const osloDate = (ms: number) => instantDate(new Date(ms).toISOString(), 'Europe/Oslo');

describe('task sync: SuperOffice checklist ⇄ Microsoft To Do', () => {
  let w: TaskWorld;
  before(async () => {
    w = await makeTaskWorld({ users: 14 });
  });
  after(() => w.close());

  async function counted(user: WorldUser) {
    w.resetCounts();
    const result = await w.pass(user);
    const c = w.counts();
    const cost = costOf(c);
    const graph = Object.entries(c.graph.byRoute).filter(([r]) => r.includes('/todo/'));
    const sum = (keep: (r: string) => boolean) => graph.filter(([r]) => keep(r)).reduce((n, [, v]) => n + v, 0);
    return {
      result,
      cost,
      graphRequests: sum(() => true),
      todoCreates: sum((r) => r === 'POST /v1.0/users/{id}/todo/lists/{id}/tasks'),
      soCreates: cost.superofficeCreates,
      byRoute: c.graph.byRoute,
    };
  }

  /** 3 checklist items and 2 tasks born in To Do, synced: 5 on each side, every task tagged. */
  async function synced(user: WorldUser) {
    for (let i = 0; i < 3; i++) w.checklist.create(user, { title: `Call back ${i}`, date: day(2 + i), description: `Note ${i}` });
    await w.pass(user);
    w.todo.create(user, { title: 'From To Do', dueDateTime: { dateTime: `${day(5)}T00:00:00.0000000`, timeZone: 'UTC' } });
    w.todo.create(user, { title: 'No due date' });
    await w.pass(user);
    assertBalanced(user, 5);
  }

  function assertBalanced(user: WorldUser, n: number) {
    const rows = w.checklist.list(user);
    const tasks = w.todo.tasks(user);
    assert.equal(rows.length, n, 'checklist items in SuperOffice');
    assert.equal(tasks.length, n, 'tasks in our To Do list');
    const ids = new Set(rows.map((r) => r.appointmentId));
    const tags = tasks.map((t) => parseTag(taskTag(t) ?? '', w.tenantId));
    assert.equal(new Set(tags).size, n, 'every task has its own tag');
    for (const id of tags) assert.ok(id !== null && ids.has(id), `tag ${id} names a checklist item of this user`);
  }

  test('SuperOffice → To Do: a list "SuperOffice" is made, each checklist item becomes a tagged task with title, body, due date and a link back', async () => {
    const user = w.fresh();
    const a = w.checklist.create(user, { title: 'Send the offer', date: day(3), description: 'Price list attached' });
    const { result, todoCreates } = await counted(user);
    assert.equal(todoCreates, 1);
    assert.equal(result.mailbox.last_created, 1);
    const [t] = w.todo.tasks(user);
    assert.equal(t!.title, 'Send the offer');
    assert.equal(t!.body.content, 'Price list attached');
    assert.equal(t!.dueDateTime!.dateTime.slice(0, 10), day(3));
    assert.equal(parseTag(taskTag(t!)!, w.tenantId), a.appointmentId);
    assert.match(t!.linkedResources[0]!.webUrl, new RegExp(`appointment_id=${a.appointmentId}$`));
    assert.equal(w.todo.defaultList(user).tasks.size, 0, "the user's own list is untouched");
    const items = result.items.filter((i) => i.kind === 'task');
    assert.deepEqual(items.map((i) => i.state), ['active']);
  });

  test('To Do → SuperOffice: a task made in our list becomes a checklist item and is tagged', async () => {
    const user = w.fresh();
    await w.pass(user); // makes the list
    w.todo.create(user, { title: 'Book the venue', body: { content: 'Ask for the big room', contentType: 'text' }, dueDateTime: { dateTime: `${day(4)}T00:00:00.0000000`, timeZone: 'UTC' } });
    const { soCreates } = await counted(user);
    assert.equal(soCreates, 1);
    const [a] = w.checklist.list(user);
    assert.equal(a!.title, 'Book the venue');
    assert.equal(a!.description, 'Ask for the big room');
    assert.equal(a!.type, 'inChecklist');
    assert.equal(osloDate(a!.start), day(4));
    assert.equal(parseTag(taskTag(w.todo.tasks(user)[0]!)!, w.tenantId), a!.appointmentId);
  });

  test('edits and completion go both ways; an idle pass costs exactly 1 Graph request (the list delta) and writes nothing', async () => {
    const user = w.fresh();
    await synced(user);
    const idle = await counted(user);
    assert.equal(idle.graphRequests, 1, `idle Graph requests: ${JSON.stringify(idle.byRoute)}`);
    assert.equal(idle.byRoute['GET /v1.0/users/{id}/todo/lists/{id}/tasks/delta'], 1);
    assert.equal(idle.cost.superofficeOtherWrites + idle.cost.graphOtherWrites + idle.todoCreates + idle.soCreates, 0);

    const so = w.checklist.list(user).find((a) => a.title === 'Call back 0')!;
    w.so.edit(so.appointmentId, { Title: 'Call back Kari', Completed: 'Completed' });
    await w.pass(user);
    const t = w.todo.tasks(user).find((x) => parseTag(taskTag(x)!, w.tenantId) === so.appointmentId)!;
    assert.equal(t.title, 'Call back Kari');
    assert.equal(t.status, 'completed');

    const other = w.todo.tasks(user).find((x) => x.title === 'Call back 1')!;
    w.todo.edit(user, other.id, { title: 'Call back Ola', status: 'completed', dueDateTime: { dateTime: `${day(9)}T00:00:00.0000000`, timeZone: 'UTC' } });
    await w.pass(user);
    const row = w.checklist.list(user).find((a) => a.appointmentId === parseTag(taskTag(other)!, w.tenantId))!;
    assert.equal(row.title, 'Call back Ola');
    assert.equal(row.completed, 'Completed');
    assert.equal(osloDate(row.start), day(9));
    assertBalanced(user, 5);
  });

  test('conflict: both sides change the title, the tenant winner (SuperOffice) wins and the conflict is recorded', async () => {
    const user = w.fresh();
    w.checklist.create(user, { title: 'Original', date: day(2) });
    await w.pass(user);
    const a = w.checklist.list(user)[0]!;
    const t = w.todo.tasks(user)[0]!;
    w.so.edit(a.appointmentId, { Title: 'From SuperOffice' });
    w.todo.edit(user, t.id, { title: 'From To Do' });
    const { result } = await counted(user);
    assert.equal(w.todo.tasks(user)[0]!.title, 'From SuperOffice');
    assert.equal(w.checklist.list(user)[0]!.title, 'From SuperOffice');
    assert.equal(result.mailbox.last_conflicts, 1);
    const rows = await w.h.store.db.selectFrom('sync_conflict').selectAll().where('mailbox_id', '=', user.mailboxId).execute();
    assert.deepEqual(rows.map((r) => [r.kind, r.field, r.superoffice_value, r.outlook_value, r.winner]), [['task', 'title', 'From SuperOffice', 'From To Do', 'superoffice']]);
  });

  test('deletes both ways: a deleted checklist item deletes its task; a task deleted in To Do deletes its item, a completed one is only detached', async () => {
    const user = w.fresh();
    await synced(user);
    const rows = w.checklist.list(user);
    w.so.delete(rows[0]!.appointmentId);
    const gone = w.todo.tasks(user).find((t) => t.title === 'Call back 1')!;
    w.todo.delete(user, gone.id);
    // Hard deletes in SuperOffice are found by the id-set check, at most hourly: due now.
    await w.h.store.db.updateTable('sync_cursor').set({ last_reconcile_at: null }).where('mailbox_id', '=', user.mailboxId).execute();
    const { result } = await counted(user);
    assert.equal(result.mailbox.last_deleted, 2);
    assertBalanced(user, 3);
    // A completed item is history: deleting its task in To Do keeps the item and detaches it.
    const done = w.todo.tasks(user).find((t) => t.title === 'Call back 2')!;
    w.so.edit(parseTag(taskTag(done)!, w.tenantId)!, { Completed: 'Completed' });
    await w.pass(user);
    w.todo.delete(user, done.id);
    const after = await counted(user);
    assert.equal(after.result.mailbox.last_deleted, 0);
    assert.equal(w.checklist.list(user).length, 3);
    assert.equal(after.result.items.filter((i) => i.state === 'detached').length, 1);
  });

  test('a task moved to another list by the user: detached, the checklist item kept, nothing created again', async () => {
    const user = w.fresh();
    await synced(user);
    const moved = w.todo.tasks(user).find((t) => t.title === 'Call back 0')!;
    const soId = parseTag(taskTag(moved)!, w.tenantId)!;
    w.todo.move(user, moved.id);
    const first = await counted(user);
    assert.equal(first.todoCreates + first.soCreates, 0);
    assert.equal(first.result.mailbox.last_deleted, 0);
    assert.equal(w.checklist.list(user).length, 5, 'the checklist item is kept');
    assert.equal(w.todo.tasks(user).length, 4);
    assert.equal(w.todo.defaultList(user).tasks.size, 1, 'the moved task is where the user put it');
    const item = first.result.items.find((i) => i.so_id === soId)!;
    assert.equal(item.state, 'detached');
    const again = await counted(user);
    assert.equal(again.todoCreates + again.soCreates + again.cost.superofficeOtherWrites, 0, 'and the next pass creates nothing either');
  });

  test('remove → re-add: the sweep finds every tagged task again, 0 creates', async () => {
    const user = w.fresh();
    await synced(user);
    await w.removeAndReadd(user);
    const { todoCreates, soCreates, result } = await counted(user);
    assert.equal(todoCreates + soCreates, 0);
    assertBalanced(user, 5);
    assert.equal(result.items.filter((i) => i.state === 'active').length, 5);
  });

  test('disable → enable Task: nothing read or written while off, 0 creates after', async () => {
    const user = w.fresh();
    await synced(user);
    await w.setOptions(user, { diary: false, task: false, contact: false });
    w.checklist.create(user, { title: 'While off', date: day(3) });
    await w.setOptions(user, { diary: true, task: false, contact: false });
    const off = await counted(user);
    assert.equal(off.graphRequests, 0, 'Task off: no To Do request');
    assert.equal(w.todo.tasks(user).length, 5);
    await w.setOptions(user, { diary: false, task: true, contact: false });
    const on = await counted(user);
    assert.equal(on.todoCreates, 1, 'only the item made while off');
    assert.equal(on.soCreates, 0);
    assertBalanced(user, 6);
  });

  test('wiped sync_item rows: 0 creates, every task bound again', async () => {
    const user = w.fresh();
    await synced(user);
    await w.h.store.db.deleteFrom('sync_item').where('mailbox_id', '=', user.mailboxId).execute();
    const { todoCreates, soCreates } = await counted(user);
    assert.equal(todoCreates + soCreates, 0);
    assertBalanced(user, 5);
  });

  test('our list deleted by the user: found again by name or made anew, the tasks made again once', async () => {
    const user = w.fresh();
    w.checklist.create(user, { title: 'Keep me', date: day(2) });
    await w.pass(user);
    w.h.env.graph.control.todo.deleteList(user.mailboxId, w.todo.ours(user)!.id);
    const { todoCreates } = await counted(user);
    assert.equal(todoCreates, 1);
    assert.equal(w.checklist.list(user).length, 1, 'the checklist item is not deleted');
    assertBalanced(user, 1);
  });

  test('commit-then-timeout on the create: the task exists once, found by its linked resource', async () => {
    const user = w.fresh();
    await w.pass(user);
    w.checklist.create(user, { title: 'Lost answer', date: day(2) });
    w.h.env.graph.control.setFaults({ commitThenTimeout: 1, route: 'POST /v1.0/users/{id}/todo/lists/{id}/tasks' });
    await w.pass(user).catch(() => {});
    w.h.env.graph.control.clearFaults();
    assert.equal(w.todo.tasks(user).length, 1, 'Graph committed the create');
    const { todoCreates } = await counted(user);
    assert.equal(todoCreates, 0);
    assertBalanced(user, 1);
  });
});
