import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LinkList } from '../../../../backend/links/link.schemas.js';
import { listLinkedUsers } from '../../../../backend/links/link.service.js';
import { DomainError } from '../../../../backend/domain-error.js';
import { diaryKind } from '../../../../backend/sync/diary/diary-kind.js';
import { diaryPass } from '../../../../backend/sync/diary/pass.js';
import type { KindPass } from '../../../../backend/sync/kind-pass.js';
import { at, makeWorld, type World, type WorldUser } from './world.js';

/*
 * Each kind's own status (migration 014), as the pass leaves it and GET /links shows it: a kind
 * that fails shows its own error while the others show in sync, counts per kind, a kind switched
 * off shows off. The diary kind runs for real against the simulators; the Task kind is a stand-in
 * here (this build has no Task pass yet), so the mailbox pass's loop is what is tested.
 */
describe('per-kind sync status', () => {
  let w: World;
  before(async () => {
    w = await makeWorld({ users: 6 });
  });
  after(() => w.close());

  /** A Task kind that reports `counts`, or fails as `fail` says. */
  const taskKind = (outcome: { counts?: { created: number; updated: number; deleted: number; conflicts: number }; fail?: DomainError }): KindPass => ({
    kind: 'task',
    label: 'Task',
    enabled: (ctx) => ctx.task,
    run: async () => {
      if (outcome.fail) throw outcome.fail;
      return outcome.counts!;
    },
  });
  const withKinds = (kinds: KindPass[]) => diaryPass({ ...w.deps, kinds });

  /** The user's sync status as GET /links answers it (checked against the strict schema). */
  async function status(user: WorldUser) {
    const links = await listLinkedUsers(w.h.store, w.tenantId);
    const page = LinkList.parse({ links, nextCursor: null });
    return page.links.find((l) => l.id === user.linkId)!.sync;
  }
  async function kindRows(user: WorldUser) {
    return w.h.store.db.selectFrom('sync_kind_status').selectAll().where('tenant_id', '=', w.tenantId).where('mailbox_id', '=', user.mailboxId).orderBy('kind').execute();
  }

  test('counts per kind after a pass: the diary\'s own created count and items in sync; Task and Contact off', async () => {
    const user = w.fresh();
    for (let i = 0; i < 3; i++) w.so.create(user, { title: `Review ${i}`, start: at(1 + i, 9), end: at(1 + i, 10) });
    await w.pass(user);
    const sync = await status(user);
    assert.equal(sync.state, 'in_sync');
    assert.equal(sync.kinds.diary.state, 'in_sync');
    assert.equal(sync.kinds.diary.itemsInSync, 3);
    assert.deepEqual(sync.kinds.diary.lastPass, { created: 3, updated: 0, deleted: 0, conflicts: 0 });
    assert.ok(sync.kinds.diary.lastSuccessAt !== null);
    assert.equal(sync.kinds.diary.message, null);
    assert.deepEqual([sync.kinds.task.state, sync.kinds.contact.state], ['off', 'off']);
    // A pass with nothing to do: the diary's last counts are that pass's (0), its items stay.
    await w.pass(user);
    const again = await status(user);
    assert.deepEqual(again.kinds.diary.lastPass, { created: 0, updated: 0, deleted: 0, conflicts: 0 });
    assert.equal(again.kinds.diary.itemsInSync, 3);
  });

  test('SuperOffice refuses the diary: the diary shows its own error, the Task kind that ran shows in sync with its counts', async () => {
    const user = w.fresh();
    await w.setOptions(user, { diary: true, task: true, contact: false });
    w.so.create(user, { title: 'Visit', start: at(2, 9), end: at(2, 10) });
    const so = w.h.env.superoffice.control;
    so.failNext(100, { status: 403, errorType: 'NoAccess', message: 'You do not have access to the diary of this associate.' });
    try {
      await w.pass(user, withKinds([diaryKind, taskKind({ counts: { created: 2, updated: 1, deleted: 0, conflicts: 0 } })]));
    } finally {
      so.failNext(0);
    }
    const sync = await status(user);
    assert.equal(sync.state, 'error', 'the mailbox is the worst of its kinds');
    assert.match(sync.message!, /^Diary: /);
    assert.equal(sync.kinds.diary.state, 'error');
    assert.ok(sync.kinds.diary.message && !/^Diary: /.test(sync.kinds.diary.message), `the kind's own words: ${sync.kinds.diary.message}`);
    assert.equal(sync.kinds.diary.lastPass, null, 'no good diary pass yet');
    assert.deepEqual(
      { state: sync.kinds.task.state, lastPass: sync.kinds.task.lastPass, message: sync.kinds.task.message },
      { state: 'in_sync', lastPass: { created: 2, updated: 1, deleted: 0, conflicts: 0 }, message: null },
    );
    assert.equal(sync.kinds.contact.state, 'off');
    assert.deepEqual((await kindRows(user)).map((r) => [r.kind, r.state]), [['appointment', 'error'], ['task', 'in_sync']]);
    // SuperOffice answers again: the diary is in sync, its error gone.
    await w.pass(user, withKinds([diaryKind, taskKind({ counts: { created: 0, updated: 0, deleted: 0, conflicts: 0 } })]));
    const healed = await status(user);
    assert.deepEqual([healed.state, healed.kinds.diary.state, healed.kinds.diary.message, healed.kinds.diary.itemsInSync], ['in_sync', 'in_sync', null, 1]);
    assert.deepEqual(healed.kinds.diary.lastPass, { created: 1, updated: 0, deleted: 0, conflicts: 0 });
  });

  test('the Task kind\'s upstream throttles: Task shows throttled with its words and keeps its last good counts, the diary shows in sync', async () => {
    const user = w.fresh();
    await w.setOptions(user, { diary: true, task: true, contact: false });
    w.so.create(user, { title: 'Call', start: at(3, 9), end: at(3, 10) });
    await w.pass(user, withKinds([diaryKind, taskKind({ counts: { created: 4, updated: 0, deleted: 0, conflicts: 0 } })]));
    const busy = new DomainError('throttled', 'MicrosoftThrottled', 'Microsoft 365 asked to wait 120 seconds before reading the To Do list again.');
    busy.retryAfterSeconds = 120;
    w.so.create(user, { title: 'Lunch', start: at(4, 12), end: at(4, 13) });
    await w.pass(user, withKinds([diaryKind, taskKind({ fail: busy })]));
    const sync = await status(user);
    assert.equal(sync.state, 'throttled');
    assert.equal(sync.message, 'Task: Microsoft 365 asked to wait 120 seconds before reading the To Do list again.');
    assert.deepEqual(
      { state: sync.kinds.task.state, lastPass: sync.kinds.task.lastPass, message: sync.kinds.task.message },
      { state: 'throttled', lastPass: { created: 4, updated: 0, deleted: 0, conflicts: 0 }, message: 'Microsoft 365 asked to wait 120 seconds before reading the To Do list again.' },
    );
    assert.deepEqual([sync.kinds.diary.state, sync.kinds.diary.itemsInSync, sync.kinds.diary.message], ['in_sync', 2, null]);
    assert.deepEqual(sync.kinds.diary.lastPass, { created: 1, updated: 0, deleted: 0, conflicts: 0 }, 'the diary pass that ran beside the throttled Task');
  });

  test('no connections at all (Microsoft 365 consent gone): every enabled kind shows the error, the one message says it once', async () => {
    const user = w.fresh();
    await w.setOptions(user, { diary: true, task: true, contact: false });
    const refused = new DomainError('forbidden', 'MicrosoftConsentRequired', 'The app is not approved in Microsoft 365 for this tenant yet.');
    const pass = diaryPass({ ...w.deps, kinds: [diaryKind, taskKind({ counts: { created: 0, updated: 0, deleted: 0, conflicts: 0 } })], connect: async () => { throw refused; } });
    await w.pass(user, pass);
    const sync = await status(user);
    assert.deepEqual([sync.state, sync.message], ['error', 'The app is not approved in Microsoft 365 for this tenant yet.']);
    assert.deepEqual([sync.kinds.diary.state, sync.kinds.diary.message], ['error', 'The app is not approved in Microsoft 365 for this tenant yet.']);
    assert.deepEqual([sync.kinds.task.state, sync.kinds.task.message], ['error', 'The app is not approved in Microsoft 365 for this tenant yet.']);
  });

  test('a kind turned off shows off (its items in sync kept); turned on again it shows its last state until it runs', async () => {
    const user = w.fresh();
    w.so.create(user, { title: 'Planning', start: at(5, 9), end: at(5, 10) });
    w.so.create(user, { title: 'Board', start: at(6, 9), end: at(6, 10) });
    await w.pass(user);
    await w.setOptions(user, { diary: false, task: true, contact: false });
    await w.pass(user, withKinds([diaryKind, taskKind({ counts: { created: 1, updated: 0, deleted: 0, conflicts: 0 } })]));
    const sync = await status(user);
    assert.deepEqual([sync.state, sync.kinds.diary.state, sync.kinds.diary.itemsInSync, sync.kinds.diary.message], ['in_sync', 'off', 2, null]);
    assert.deepEqual([sync.kinds.task.state, sync.kinds.task.lastPass?.created], ['in_sync', 1]);
    assert.equal(sync.kinds.contact.state, 'off');
    // The diary's row is not written while it is off: on again, it reads as its last pass left it.
    const diaryRow = (await kindRows(user)).find((r) => r.kind === 'appointment')!;
    await w.setOptions(user, { diary: true, task: true, contact: false });
    const on = await status(user);
    assert.deepEqual([on.kinds.diary.state, on.kinds.diary.lastPass?.created], ['in_sync', 2]);
    assert.deepEqual((await kindRows(user)).find((r) => r.kind === 'appointment'), diaryRow);
  });

  test('the circuit breaker: the diary shows breaker with what it would have deleted, in the same transaction as the mailbox', async () => {
    const user = w.fresh();
    for (let i = 0; i < 4; i++) w.so.create(user, { title: `Stand-up ${i}`, start: at(1 + i, 8), end: at(1 + i, 9) });
    await w.pass(user);
    // Every event gone from Outlook at once: the pass would delete all four appointments.
    for (const e of w.outlook.events(user)) w.outlook.delete(user, e.immutableId);
    await w.pass(user);
    const sync = await status(user);
    assert.equal(sync.state, 'breaker');
    assert.equal(sync.kinds.diary.state, 'breaker');
    assert.equal(sync.kinds.diary.message, sync.message, 'the same words as the mailbox');
    assert.deepEqual(sync.kinds.diary.lastPass, { created: 4, updated: 0, deleted: 0, conflicts: 0 }, 'the last good pass stays');
    const m = await w.mailbox(user);
    const row = (await kindRows(user)).find((r) => r.kind === 'appointment')!;
    assert.equal(row.last_error, m.breaker_detail);
  });
});
