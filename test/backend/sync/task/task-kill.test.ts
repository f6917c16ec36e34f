import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseTag } from '../../../../backend/sync/diary/fields.js';
import type { LinkedUser } from '../../../helpers/sync-process.js';
import { KillRig } from '../kill-support.js';
import { day, taskTag } from './task-world.js';

/**
 * SIGKILL of a worker process right after To Do created a task or SuperOffice saved a checklist
 * item, before the pass commits it (../diary/kill-worker.ts), then a fresh worker: every item
 * once on both sides.
 */
describe('task sync: a worker killed between the external write and the commit', () => {
  const rig = new KillRig('mailbox-link-task-kill-');
  before(async () => {
    await rig.open(2);
    // Task only.
    await rig.h.store.db.updateTable('link').set({ sync_diary: rig.h.store.dialect.bool(false), sync_task: rig.h.store.dialect.bool(true) }).execute();
  });
  after(() => rig.close());

  const tenantId = () => rig.tenantId;
  const appointments = () => rig.h.env.superoffice.control.appointments;
  const todo = () => rig.h.env.graph.control.todo;
  const rows = (u: LinkedUser) => appointments().list(tenantId()).filter((a) => a.associateId === u.associateId && a.type === 'inChecklist');
  const ours = (u: LinkedUser) => todo().listsOf(u.mailboxId).find((l) => l.displayName === 'SuperOffice');
  const tasks = (u: LinkedUser) => [...(ours(u)?.tasks.values() ?? [])];
  const soCreate = (u: LinkedUser, title: string, d: number) => {
    appointments().advance(1000);
    appointments().create({ Associate: { AssociateId: u.associateId }, StartDate: `${day(d)}T08:00:00Z`, EndDate: `${day(d)}T08:00:00Z`, Type: 'inChecklist', Title: title }, { asAssociateId: u.associateId, contextId: tenantId() });
  };

  function balanced(u: LinkedUser, titles: string[], label: string) {
    assert.deepEqual(rows(u).map((r) => r.title).sort(), [...titles].sort(), `${label}: SuperOffice`);
    assert.deepEqual(tasks(u).map((t) => t.title).sort(), [...titles].sort(), `${label}: To Do`);
    const tags = tasks(u).map((t) => parseTag(taskTag(t) ?? '', tenantId()));
    assert.equal(new Set(tags).size, tags.length, `${label}: every task has its own tag`);
    const ids = new Set(rows(u).map((r) => r.appointmentId));
    for (const id of tags) assert.ok(id !== null && ids.has(id), `${label}: tag ${id} names a checklist item of this user`);
  }

  for (const [index, killAt] of [
    [0, 'todo-create'],
    [1, 'superoffice-create'],
  ] as const) {
    test(`SIGKILL right after ${killAt === 'todo-create' ? 'To Do created a task' : 'SuperOffice saved a checklist item'}: after a restart, 0 duplicates`, async () => {
      const u = rig.users[index]!;
      const titles = ['Call', 'Offer'].map((t) => `${killAt} ${t}`);
      titles.forEach((t, i) => soCreate(u, t, 2 + i));
      if (killAt === 'superoffice-create') {
        // A task born in To Do: our list first, then the task in it.
        await rig.restartAndSync(u, new Date());
        todo().createTask(ours(u)!, { title: `${killAt} from To Do` });
        titles.push(`${killAt} from To Do`);
      }
      await rig.killAt(u, killAt);
      await rig.restartAndSync(u, new Date());
      balanced(u, titles, 'after the restart');
      await rig.restartAndSync(u, new Date());
      balanced(u, titles, 'after another pass');
    });
  }
});
