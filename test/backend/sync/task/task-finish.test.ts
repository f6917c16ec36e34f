import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LinkList } from '../../../../backend/links/link.schemas.js';
import { listLinkedUsers } from '../../../../backend/links/link.service.js';
import { parseTag } from '../../../../backend/sync/diary/fields.js';
import { midnightInstant } from '../../../../backend/sync/diary/time.js';
import { costOf } from '../diary/counting.js';
import { at, type WorldUser } from '../diary/world.js';
import { day, makeTaskWorld, taskTag, type TaskWorld } from './task-world.js';

/**
 * The Task kind's remaining rules over the simulators: the reminder both ways (SuperOffice's
 * alarm ⇄ To Do's reminder, cleared both ways), a checklist item leaving the window (its last
 * change goes across, then `out_of_window`, never deleted), and To Do answering 429/503 (the Task
 * kind's own status says so, the Diary kind stays in sync, nothing lost or made twice).
 */
const ZONE = 'Europe/Oslo';
const MINUTE = 60_000;
/** The instant `minutes` before the item's midnight (the tenant's zone). */
const before_ = (date: string, minutes: number) => new Date(Date.parse(midnightInstant(date, ZONE)) - minutes * MINUTE).getTime();
/** A To Do reminder as an instant (the simulator keeps what was written: UTC wall time). */
const reminderOf = (t: { isReminderOn: boolean; reminderDateTime: { dateTime: string; timeZone: string } | null }) => {
  if (!t.isReminderOn || !t.reminderDateTime) return null;
  assert.equal(t.reminderDateTime.timeZone, 'UTC');
  return Date.parse(`${t.reminderDateTime.dateTime.slice(0, 19)}Z`);
};

describe('task sync: reminders, the window, faults', () => {
  let w: TaskWorld;
  before(async () => {
    w = await makeTaskWorld({ users: 8 });
  });
  after(() => w.close());

  const reconcileDue = (user: WorldUser) =>
    w.h.store.db
      .updateTable('sync_cursor')
      .set({ last_reconcile_at: w.h.store.dialect.time(new Date(Date.now() - 2 * 3_600_000)) })
      .where('tenant_id', '=', w.tenantId)
      .where('mailbox_id', '=', user.mailboxId)
      .where('kind', '=', 'task')
      .execute();
  const row = (user: WorldUser, id: number) => w.checklist.list(user).find((r) => r.appointmentId === id)!;
  const lead = (user: WorldUser, id: number) => row(user, id).alarmLeadMinutes ?? null;

  test('reminder both ways: an alarm 15 min ahead becomes a reminder at 23:45 the evening before; changed and cleared in either app, it follows', async () => {
    const user = w.fresh();
    const date = day(3);
    const a = w.checklist.create(user, { title: 'Call Kari', date, alarm: '00:15:00' });
    await w.pass(user);
    const [t] = w.todo.tasks(user);
    assert.equal(reminderOf(t!), before_(date, 15), 'SuperOffice → To Do: the reminder is the alarm');

    // SuperOffice: a day ahead (a TimeSpan with days).
    w.so.edit(a.appointmentId, { AlarmLeadTime: '1.00:00:00' });
    let r = await w.pass(user);
    assert.equal(reminderOf(w.todo.tasks(user)[0]!), before_(date, 1440));
    assert.equal(r.mailbox.last_updated, 1);

    // SuperOffice clears the alarm: To Do's reminder goes off.
    w.so.edit(a.appointmentId, { HasAlarm: false });
    await w.pass(user);
    assert.equal(w.todo.tasks(user)[0]!.isReminderOn, false, 'cleared in SuperOffice, off in To Do');

    // To Do sets one two hours before the day: SuperOffice's alarm has a lead of 2 hours.
    const at2h = new Date(before_(date, 120)).toISOString().slice(0, 19);
    w.todo.edit(user, t!.id, { isReminderOn: true, reminderDateTime: { dateTime: at2h, timeZone: 'UTC' } });
    await w.pass(user);
    assert.equal(lead(user, a.appointmentId), 120, 'To Do → SuperOffice: lead time 02:00:00');
    assert.equal(w.h.env.superoffice.control.appointments.list(w.tenantId).find((x) => x.appointmentId === a.appointmentId)!.alarmLeadMinutes, 120);

    // To Do clears it: SuperOffice's alarm goes off.
    w.todo.edit(user, t!.id, { isReminderOn: false });
    r = await w.pass(user);
    assert.equal(lead(user, a.appointmentId), null, 'cleared in To Do, no alarm in SuperOffice');
    assert.equal(r.mailbox.last_updated, 1);

    // Nothing changed since: an idle pass writes nothing, and no conflict was ever recorded.
    w.resetCounts();
    r = await w.pass(user);
    assert.deepEqual([r.mailbox.last_created, r.mailbox.last_updated, r.mailbox.last_conflicts], [0, 0, 0]);
    const conflicts = await w.h.store.db.selectFrom('sync_conflict').selectAll().where('mailbox_id', '=', user.mailboxId).execute();
    assert.equal(conflicts.length, 0);
  });

  test('reminder changed on both sides: the tenant winner (SuperOffice) wins, the conflict is recorded once', async () => {
    const user = w.fresh();
    const date = day(5);
    const a = w.checklist.create(user, { title: 'Send invoice', date, alarm: '00:30:00' });
    await w.pass(user);
    const t = w.todo.tasks(user)[0]!;
    w.so.edit(a.appointmentId, { AlarmLeadTime: '03:00:00' });
    w.todo.edit(user, t.id, { isReminderOn: true, reminderDateTime: { dateTime: new Date(before_(date, 60)).toISOString().slice(0, 19), timeZone: 'UTC' } });
    const r = await w.pass(user);
    assert.equal(r.mailbox.last_conflicts, 1);
    assert.equal(reminderOf(w.todo.tasks(user)[0]!), before_(date, 180), "SuperOffice's 3 hours won");
    assert.equal(lead(user, a.appointmentId), 180);
    const rows = await w.h.store.db.selectFrom('sync_conflict').selectAll().where('mailbox_id', '=', user.mailboxId).execute();
    assert.deepEqual(rows.map((c) => [c.field, c.winner]), [['reminder', 'superoffice']]);
  });

  test('a To Do reminder later on the due day (SuperOffice cannot ring after the start): an alarm at the midnight in SuperOffice, the To Do reminder left as the user set it', async () => {
    const user = w.fresh();
    await w.pass(user); // our list
    const date = day(4);
    const nine = new Date(Date.parse(midnightInstant(date, ZONE)) + 9 * 60 * MINUTE).toISOString().slice(0, 19);
    const t = w.todo.create(user, { title: 'Renew the licence', dueDateTime: { dateTime: `${date}T00:00:00.0000000`, timeZone: 'UTC' }, isReminderOn: true, reminderDateTime: { dateTime: nine, timeZone: 'UTC' } });
    let r = await w.pass(user);
    assert.equal(r.mailbox.last_created, 1);
    const id = parseTag(taskTag(w.todo.tasks(user)[0]!)!, w.tenantId)!;
    assert.equal(lead(user, id), 0, 'an alarm at the start of the day');
    assert.equal(reminderOf(w.todo.tasks(user).find((x) => x.id === t.id)!), Date.parse(`${nine}Z`), 'To Do keeps 09:00');
    r = await w.pass(user);
    assert.deepEqual([r.mailbox.last_created, r.mailbox.last_updated, r.mailbox.last_conflicts], [0, 0, 0], 'no ping-pong');
  });

  test('a checklist item moved out of the window: its last change goes across, then out_of_window, never deleted; moved back, it syncs again', async () => {
    const user = w.fresh();
    const a = w.checklist.create(user, { title: 'Quarterly review', date: day(5) });
    const stays = w.checklist.create(user, { title: 'Stays', date: day(6) });
    await w.pass(user);
    assert.equal(w.todo.tasks(user).length, 2);
    // Moved past the window (120 days ahead) and renamed in the same edit.
    const far = day(200);
    w.so.edit(a.appointmentId, { Title: 'Quarterly review (moved)', StartDate: `${far}T08:00:00Z`, EndDate: `${far}T08:00:00Z` });
    // The archive is read within the window: a row that left it is seen at the hourly id-set check, as the diary's.
    await reconcileDue(user);
    let r = await w.pass(user);
    const task = () => w.todo.tasks(user).find((t) => parseTag(taskTag(t)!, w.tenantId) === a.appointmentId)!;
    assert.equal(task().title, 'Quarterly review (moved)', 'the last change went across');
    assert.equal(task().dueDateTime!.dateTime.slice(0, 10), far);
    const state = async () => (await w.items(user)).find((i) => i.so_id === a.appointmentId)!.state;
    assert.equal(await state(), 'out_of_window');
    assert.equal(r.mailbox.last_deleted, 0);
    // Outside the window: a SuperOffice edit is not followed, nothing is deleted on either side.
    w.so.edit(a.appointmentId, { Title: 'Quarterly review (far)' });
    await reconcileDue(user);
    r = await w.pass(user);
    assert.equal(task().title, 'Quarterly review (moved)');
    assert.equal(await state(), 'out_of_window');
    assert.equal(w.checklist.list(user).length, 2, 'both checklist items still there');
    assert.equal(w.todo.tasks(user).length, 2, 'both tasks still there');
    // Back into the window: the item syncs again, nothing made twice.
    w.so.edit(a.appointmentId, { StartDate: `${day(7)}T08:00:00Z`, EndDate: `${day(7)}T08:00:00Z` });
    w.resetCounts();
    r = await w.pass(user);
    assert.equal(await state(), 'active');
    assert.equal(task().title, 'Quarterly review (far)');
    assert.equal(task().dueDateTime!.dateTime.slice(0, 10), day(7));
    assert.equal(costOf(w.counts()).superofficeCreates, 0);
    assert.equal(r.mailbox.last_created, 0);
    assert.equal(w.todo.tasks(user).length, 2);
    void stays;
  });

  test('a task deleted in To Do while its checklist item is outside the window: the item is kept, the mapping detached, nothing made again', async () => {
    const user = w.fresh();
    const a = w.checklist.create(user, { title: 'Annual check', date: day(4) });
    await w.pass(user);
    const far = day(300);
    w.so.edit(a.appointmentId, { StartDate: `${far}T08:00:00Z`, EndDate: `${far}T08:00:00Z` });
    await reconcileDue(user);
    await w.pass(user);
    assert.deepEqual((await w.items(user)).map((i) => i.state), ['out_of_window']);
    w.todo.delete(user, w.todo.tasks(user)[0]!.id);
    w.resetCounts();
    const r = await w.pass(user);
    assert.equal(r.mailbox.last_deleted, 0);
    assert.deepEqual(w.checklist.list(user).map((x) => x.title), ['Annual check'], 'the checklist item is kept');
    assert.deepEqual((await w.items(user)).map((i) => i.state), ['detached']);
    assert.equal(w.todo.tasks(user).length, 0, 'not made again');
    assert.equal(costOf(w.counts()).superofficeCreates, 0);
  });

  /** The user's sync status as GET /links answers it. */
  async function status(user: WorldUser) {
    const links = await listLinkedUsers(w.h.store, w.tenantId);
    return LinkList.parse({ links, nextCursor: null }).links.find((l) => l.id === user.linkId)!.sync;
  }

  const CREATE = 'POST /v1.0/users/{id}/todo/lists/{id}/tasks';

  test('To Do answering 429 (Retry-After) to every task create: Task shows throttled, Diary in sync; the next pass makes each task once', async () => {
    const user = w.fresh();
    await w.setOptions(user, { diary: true, task: true, contact: false });
    for (let i = 0; i < 3; i++) w.checklist.create(user, { title: `Follow up ${i}`, date: day(2 + i) });
    w.so.create(user, { title: 'Board meeting', start: at(2, 9), end: at(2, 10) });
    const graph = w.h.env.graph.control;
    graph.setFaults({ throttled: 200, retryAfterSeconds: 1, route: CREATE });
    try {
      await w.pass(user).catch(() => null);
    } finally {
      graph.clearFaults();
    }
    const sync = await status(user);
    assert.equal(sync.kinds.task.state, 'throttled', `Task: ${sync.kinds.task.message}`);
    assert.ok(sync.kinds.task.message, 'a reason an administrator can read');
    assert.equal(sync.kinds.diary.state, 'in_sync', 'the Diary kind is not held up');
    assert.equal(w.outlook.events(user).length, 1, 'the appointment reached Outlook');
    assert.equal(w.todo.tasks(user).length, 0, 'no task made under the 429s');
    w.resetCounts();
    await w.pass(user);
    const creates = w.counts().graph.byRoute[CREATE] ?? 0;
    assert.equal(creates, 3, 'each task posted once');
    assert.equal(w.todo.tasks(user).length, 3);
    assert.equal(w.checklist.list(user).length, 3, 'nothing made twice in SuperOffice');
    const after = await status(user);
    assert.deepEqual([after.kinds.task.state, after.kinds.diary.state], ['in_sync', 'in_sync']);
  });

  test('To Do answering 503 twice in the middle of a pass: retried within the pass, each task made once, Task in sync', async () => {
    const user = w.fresh();
    await w.setOptions(user, { diary: true, task: true, contact: false });
    for (let i = 0; i < 3; i++) w.checklist.create(user, { title: `Burst ${i}`, date: day(2 + i) });
    const graph = w.h.env.graph.control;
    w.resetCounts();
    graph.setFaults({ unavailable: 2, retryAfterSeconds: 1, route: CREATE });
    try {
      await w.pass(user);
    } finally {
      graph.clearFaults();
    }
    const sync = await status(user);
    assert.equal(sync.kinds.task.state, 'in_sync', `Task: ${sync.kinds.task.message}`);
    assert.equal(w.todo.tasks(user).length, 3, 'each checklist item once in To Do');
    assert.equal(new Set(w.todo.tasks(user).map((t) => taskTag(t))).size, 3);
    assert.equal(w.counts().graph.byRoute[CREATE], 5, '3 creates + 2 refused and retried');
    await w.pass(user);
    assert.equal(w.todo.tasks(user).length, 3, 'nothing made twice on the next pass');
  });
});
