import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { costOf } from './diary/counting.js';
import { makeWorld, type World } from './diary/world.js';
import { idlePass, seedIdleMailbox, settle } from './idle-cost.js';

/*
 * Issue 15's target, with every kind on (Diary, Task, Contact): an idle mailbox costs at most 3
 * Graph delta requests and 2 SuperOffice requests per pass. Measured exactly, through the
 * simulators' request counters: the three deltas are the only Graph requests, and SuperOffice
 * gets one appointment-archive read (the diary's and the checklist's rows at once) and one person
 * read — whether each kind has an item to keep in sync or its list is simply empty (an empty list
 * is not read as a lost mapping table). A mapping table that is lost is still recovered by tags.
 */
describe('idle cost per pass, every kind on', () => {
  let w: World;
  before(async () => {
    w = await makeWorld({ users: 4 });
  });
  after(() => w.close());

  const ROUTES = [
    'GET /v1.0/users/{id}/calendarView/delta ×1',
    'GET /v1.0/users/{id}/todo/lists/{id}/tasks/delta ×1',
    'GET /v1.0/users/{id}/contactFolders/{id}/contacts/delta ×1',
    'GET /{ctx}/api/v1/Appointment ×1',
    'GET /{ctx}/api/v1/Person ×1',
  ].sort();

  for (const items of [true, false]) {
    test(`${items ? 'an item of each kind' : 'every list empty'}: 3 Graph requests (all deltas) and 2 SuperOffice requests per idle pass`, async () => {
      const user = w.fresh();
      await seedIdleMailbox(w, user, items);
      await settle(w, user);
      const kinds = (await w.items(user)).map((i) => i.kind).sort();
      assert.deepEqual(kinds, items ? ['appointment', 'appointment', 'contact', 'task'] : []);
      for (let i = 0; i < 3; i++) {
        const cost = await idlePass(w, user);
        assert.equal(cost.graphDeltas, 3, cost.routes.join(', '));
        assert.equal(cost.graphRequests, 3, cost.routes.join(', '));
        assert.equal(cost.superofficeRequests, 2, cost.routes.join(', '));
        assert.deepEqual([...cost.routes].sort(), ROUTES);
      }
    });
  }

  test('one archive read serves both kinds: a diary and a checklist change in one pass both reach Outlook and To Do', async () => {
    const user = w.fresh();
    const seed = (await seedIdleMailbox(w, user, true))!;
    await settle(w, user);
    w.so.edit(seed.appointmentId, { Title: 'Idle: appointment, renamed' });
    w.so.edit(seed.checklistId, { Title: 'Idle: checklist item, renamed' });
    w.resetCounts();
    const { mailbox } = await w.pass(user);
    assert.equal(mailbox.state, 'in_sync');
    const routes = w.counts().superoffice.byRoute;
    assert.equal(routes['GET /{ctx}/api/v1/Appointment'], 1);
    // Each changed row read once by its own kind.
    assert.equal(routes['GET /{ctx}/api/v1/Appointment/{id}'], 2);
    const events = w.outlook.events(user).map((e) => e.subject);
    assert.ok(events.includes('Idle: appointment, renamed'), events.join(', '));
    const tasks = w.h.env.graph.control.todo.listsOf(user.mailboxId).flatMap((l) => [...l.tasks.values()].map((t) => t.title));
    assert.ok(tasks.includes('Idle: checklist item, renamed'), tasks.join(', '));
    // Changes this recent are read once more by the next pass (whole-second updatedDate: PassState.stamp); then idle again.
    assert.equal((await idlePass(w, user)).superofficeRequests, 4);
    assert.equal((await idlePass(w, user)).superofficeRequests, 2);
  });

  test('a lost mapping table (every kind\'s rows wiped) is still a full pass that rebinds by tags: 0 creates anywhere', async () => {
    const user = w.fresh();
    await seedIdleMailbox(w, user, true);
    await settle(w, user);
    const before = (await w.items(user)).map((i) => [i.kind, i.so_id]).sort();
    await w.h.store.db.deleteFrom('sync_item').where('tenant_id', '=', w.tenantId).where('mailbox_id', '=', user.mailboxId).execute();
    w.resetCounts();
    const { mailbox } = await w.pass(user);
    assert.equal(mailbox.state, 'in_sync');
    const counts = w.counts();
    const cost = costOf(counts);
    const posts = Object.entries(counts.graph.byRoute).filter(([r]) => r.startsWith('POST')).reduce((n, [, v]) => n + v, 0);
    assert.deepEqual([cost.graphCreates, cost.contactCreates, posts, cost.superofficeCreates], [0, 0, 0, 0]);
    assert.deepEqual((await w.items(user)).map((i) => [i.kind, i.so_id]).sort(), before);
  });
});
