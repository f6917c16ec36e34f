import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { removeLinks } from '../../../backend/links/link.service.js';
import { restoreLinks } from '../../../backend/links/removed-link.service.js';
import { undoAction } from '../../../backend/undo/undo.service.js';
import { listUndoable } from '../../../backend/undo/undo.service.js';
import { at, makeWorld, type World, type WorldUser } from '../sync/diary/world.js';

/**
 * Restore with the real sync engine over the simulators: link, sync (Diary, Task and Contact),
 * remove, restore, sync again: zero creates in Outlook and in SuperOffice, the same mapping rows,
 * and nothing doubled in the mailbox.
 */
describe('Undo with the sync engine: a restored user resumes without creating anything', () => {
  let w: World;
  before(async () => {
    w = await makeWorld({ users: 2, diary: true, task: true });
  });
  after(() => w.close());

  const actor = () => ({ tenantId: w.tenantId, associateId: 5, associateName: 'Ada Admin', requestId: 'undo-sync' });

  /** Everything that was POSTed to Graph (top level and in $batch) and SuperOffice since the last reset. */
  function creates() {
    const { graph, superoffice } = w.counts();
    const posts = (rows: Record<string, number>) => Object.entries(rows).filter(([r]) => r.startsWith('POST') && !r.includes('$batch')).reduce((n, [, v]) => n + v, 0);
    const so = Object.entries(superoffice.byRoute).filter(([r]) => /^POST .*\/api\//i.test(r) && !/GetKeyByValue/i.test(r)).reduce((n, [, v]) => n + v, 0);
    return { graph: posts(graph.byRoute) + posts(graph.batchItems), superoffice: so };
  }

  /** What the mailbox holds of ours, and the mapping rows without their identities. */
  async function state(user: WorldUser) {
    const env = w.h.env.graph.control;
    const items = (await w.items(user)).map(({ id: _id, ...r }) => r);
    const cursors = await w.h.store.db.selectFrom('sync_cursor').selectAll().where('tenant_id', '=', w.tenantId).where('mailbox_id', '=', user.mailboxId).orderBy('kind').execute();
    const lists = env.todo.listsOf(user.mailboxId).map((l) => ({ id: l.id, name: l.displayName, tasks: l.tasks.size }));
    const folder = w.contacts.folder(user);
    return { events: w.outlook.events(user).length, lists, contacts: folder ? { id: folder.id, n: folder.contacts.length } : null, items, cursors };
  }

  async function syncedUser(): Promise<WorldUser> {
    const user = w.fresh();
    await w.setOptions(user, { diary: true, task: true, contact: true });
    w.so.create(user, { title: 'Quarterly review', start: at(1, 9), end: at(1, 10) });
    w.so.create(user, { title: 'Supplier visit', start: at(2, 13), end: at(2, 14) });
    w.persons.create(user, { firstname: 'Ola', lastname: 'Nordmann', emails: ['ola@fjord.example'] });
    w.outlook.create(user, { subject: 'Dentist', start: { dateTime: at(3, 8).slice(0, 19), timeZone: 'UTC' }, end: { dateTime: at(3, 9).slice(0, 19), timeZone: 'UTC' } });
    await w.pass(user);
    await w.pass(user);
    return user;
  }

  test('link, sync, remove, restore, sync: zero creates and the same mappings', async () => {
    const user = await syncedUser();
    const before = await state(user);
    assert.ok(before.items.length >= 4, `${before.items.length} mappings`);
    assert.ok(before.events >= 3);
    assert.ok(before.contacts && before.contacts.n >= 1, 'our contact folder holds the person');

    await removeLinks(w.h.store, actor(), [user.linkId], new Date());
    assert.equal((await w.items(user)).length, 0, 'removed: no live mappings');
    const { restored } = await restoreLinks(w.h.store, actor(), [user.linkId], new Date());
    assert.equal(restored[0]!.id, user.linkId);
    assert.deepEqual(await state(user), before, 'restored exactly');

    w.resetCounts();
    await w.pass(user);
    assert.deepEqual(creates(), { graph: 0, superoffice: 0 }, 'nothing created again');
    const after = await state(user);
    assert.equal(after.events, before.events);
    assert.deepEqual(after.lists, before.lists);
    assert.deepEqual(after.contacts, before.contacts);
    assert.deepEqual(after.items.map((i) => [i.kind, i.so_id, i.graph_id, i.state]), before.items.map((i) => [i.kind, i.so_id, i.graph_id, i.state]));
  });

  test('undo of Remove Selected Users: the same, through the undo action', async () => {
    const user = await syncedUser();
    const before = await state(user);
    await removeLinks(w.h.store, actor(), [user.linkId], new Date());
    const action = (await listUndoable(w.h.store, w.tenantId, new Date())).actions.find((a) => a.kind === 'links.removed')!;
    await undoAction(w.h.store, actor(), action.id, new Date());
    assert.deepEqual(await state(user), before);
    w.resetCounts();
    await w.pass(user);
    assert.deepEqual(creates(), { graph: 0, superoffice: 0 });
    assert.equal(w.outlook.events(user).length, before.events);
  });
});
