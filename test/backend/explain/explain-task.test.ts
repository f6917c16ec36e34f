import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { explainerFor, type Explainer } from './explain-support.js';
import { day, makeTaskWorld, type TaskWorld } from '../sync/task/task-world.js';

/* "Why didn't this sync?" for the Task kind: the checklist and To Do, over the simulators. */

describe("Why didn't this sync? for tasks", () => {
  let w: TaskWorld;
  let asker: Explainer;
  before(async () => {
    w = await makeTaskWorld({ users: 3 });
    asker = await explainerFor(w);
  });
  after(() => w.close());
  const explain = (body: Record<string, unknown>) => asker.explain(body);

  test('a checklist item: pending before the pass, synced after it, as the pass does; its task in our list synced too', async () => {
    const u = w.fresh();
    const a = w.checklist.create(u, { title: 'Send the offer', date: day(2) });
    const first = await explain({ linkId: u.linkId, kind: 'task', date: day(2) });
    assert.deepEqual(first.items.map((i) => [i.side, i.id, i.verdict]), [['superoffice', String(a.appointmentId), 'pending']]);
    await w.pass(u);
    assert.deepEqual(w.todo.tasks(u).map((t) => t.title), ['Send the offer'], 'the pass created what the explanation said it would');
    const second = await explain({ linkId: u.linkId, kind: 'task', date: day(2) });
    assert.deepEqual(second.items.map((i) => [i.side, i.verdict]), [['superoffice', 'synced'], ['outlook', 'synced']]);
    assert.equal(second.items[0]!.start, day(2));
  });

  test("not_tagged: a task in the user's own To Do list is never imported; the pass leaves it too", async () => {
    const u = w.fresh();
    await w.pass(u); // our list exists from the first pass
    const own = w.h.env.graph.control.todo.createTask(w.todo.defaultList(u), { title: 'Buy milk', dueDateTime: { dateTime: `${day(1)}T00:00:00.0000000`, timeZone: 'UTC' } });
    const answer = await explain({ linkId: u.linkId, subject: 'milk' });
    const item = answer.items.find((i) => i.id === own.id)!;
    assert.ok(item, JSON.stringify(answer.items));
    assert.deepEqual([item.kind, item.side, item.verdict], ['task', 'outlook', 'not_tagged']);
    assert.match(item.detail, /the user's own/);
    await w.pass(u);
    assert.equal(w.checklist.list(u).filter((r) => r.title === 'Buy milk').length, 0);
  });

  test('kind_disabled: Task off; a diary appointment asked for as a task is not listed as one', async () => {
    const u = w.fresh();
    const a = w.checklist.create(u, { title: 'Call back', date: day(3) });
    await w.setOptions(u, { diary: true, task: false, contact: false });
    const answer = await explain({ linkId: u.linkId, date: day(3) });
    const item = answer.items.find((i) => i.id === String(a.appointmentId))!;
    assert.deepEqual([item.kind, item.verdict], ['task', 'kind_disabled']);
    assert.match(item.detail, /Task is off/);
  });
});
