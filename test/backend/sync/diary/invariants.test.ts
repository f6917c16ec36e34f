import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { openDiaryConnections } from '../../../../backend/sync/diary/connections.js';
import { fromOutlook, fromSuperOffice, parseTag, tagOf, toOutlookWrite, toSuperOfficeWrite } from '../../../../backend/sync/diary/fields.js';
import { insertItems } from '../../../../backend/sync/diary/item.repository.js';
import { claimMailboxes } from '../../../../backend/sync/lease.service.js';
import { costOf } from './counting.js';
import { at, makeWorld, tagOn, type World, type WorldUser } from './world.js';

/**
 * The headline promise: nothing the administrator or a fault does makes the sync create an item
 * twice. Each test syncs a small diary (appointments born in SuperOffice and events born in
 * Outlook), does the thing, runs the pass again, and counts creates at both simulators.
 */
describe('diary sync invariants: zero duplicates', () => {
  let w: World;
  before(async () => {
    w = await makeWorld({ users: 12 });
  });
  after(() => w.close());

  /** 4 appointments and 2 events (one all-day), synced: 6 of each on both sides. */
  async function synced(user: WorldUser) {
    for (let i = 0; i < 4; i++) w.so.create(user, { title: `Meeting ${i}`, start: at(1 + i * 3, 9), end: at(1 + i * 3, 10), location: 'Room Fjord' });
    w.outlook.create(user, { subject: 'From Outlook', start: { dateTime: at(2, 14).slice(0, 19), timeZone: 'UTC' }, end: { dateTime: at(2, 15).slice(0, 19), timeZone: 'UTC' } });
    const day = at(8, 0).slice(0, 10);
    const dayAfter = at(9, 0).slice(0, 10);
    w.outlook.create(user, { subject: 'Day off', isAllDay: true, start: { dateTime: `${day}T00:00:00`, timeZone: 'W. Europe Standard Time' }, end: { dateTime: `${dayAfter}T00:00:00`, timeZone: 'W. Europe Standard Time' } });
    await w.pass(user);
    assertBalanced(user, 6);
  }

  /** Both sides hold exactly `n` items, each event tagged with a distinct appointment of this user. */
  function assertBalanced(user: WorldUser, n: number) {
    const rows = w.so.list(user);
    const events = w.outlook.events(user);
    assert.equal(rows.length, n, 'appointments in SuperOffice');
    assert.equal(events.length, n, 'events in Outlook');
    const ids = new Set(rows.map((r) => r.appointmentId));
    const tagged = events.map((e) => parseTag(tagOn(e) ?? '', w.tenantId));
    assert.equal(new Set(tagged).size, n, 'every event has its own tag');
    for (const id of tagged) assert.ok(id !== null && ids.has(id), `tag ${id} names an appointment of this user`);
  }

  async function passCreating(user: WorldUser) {
    w.resetCounts();
    const result = await w.pass(user);
    const cost = costOf(w.counts());
    return { result, creates: cost.graphCreates + cost.superofficeCreates, cost };
  }

  test('remove → re-add: the mapping and cursor are gone, the sweep finds every tagged item again, 0 creates', async (t) => {
    const user = w.fresh();
    await synced(user);
    await w.removeAndReadd(user);
    assert.equal((await w.items(user)).length, 0);
    const { result, creates, cost } = await passCreating(user);
    t.diagnostic(`pass after re-add: ${JSON.stringify(cost)}`);
    assert.equal(creates, 0);
    assertBalanced(user, 6);
    assert.equal(result.items.filter((i) => i.state === 'active').length, 6, 'every item mapped again');
    assert.equal(result.mailbox.last_created, 0);
    const again = await passCreating(user);
    assert.equal(again.creates + again.cost.graphOtherWrites + again.cost.superofficeOtherWrites, 0, 'and nothing is written after');
  });

  test('disable → enable: the link is not worked while off, the mapping is kept, 0 creates', async () => {
    const user = w.fresh();
    await synced(user);
    const kept = await w.items(user);
    await w.setOptions(user, { diary: false, task: false, contact: false });
    assert.deepEqual(await claimMailboxes(w.h.store, 'probe', [user.rank], 5, 1000), [], 'a disabled link is never claimed');
    await w.setOptions(user, { diary: true, task: false, contact: false });
    const { creates } = await passCreating(user);
    assert.equal(creates, 0);
    assertBalanced(user, 6);
    assert.deepEqual((await w.items(user)).map((i) => [i.so_id, i.graph_id]), kept.map((i) => [i.so_id, i.graph_id]));
  });

  test('the sync_item table wiped (cursor kept): rebuilt from the tags, 0 creates', async () => {
    const user = w.fresh();
    await synced(user);
    await w.h.store.db.deleteFrom('sync_item').execute();
    const { result, creates } = await passCreating(user);
    assert.equal(creates, 0);
    assertBalanced(user, 6);
    assert.equal(result.items.length, 6);
  });

  test('mappings copied from the old sync_history (both ids, no base, no hashes): adopted by comparing, 0 creates, 0 writes', async () => {
    const user = w.fresh();
    await synced(user);
    // What migration 007 leaves: ids, the old change markers, nothing else; and no cursor yet.
    await w.h.store.db.updateTable('sync_item').set({ base_json: null, so_hash: null, graph_hash: null, op_id: null, op_started_at: null }).where('mailbox_id', '=', user.mailboxId).execute();
    await w.h.store.db.deleteFrom('sync_cursor').where('mailbox_id', '=', user.mailboxId).execute();
    const { result, creates, cost } = await passCreating(user);
    assert.equal(creates + cost.graphOtherWrites + cost.superofficeOtherWrites, 0);
    assertBalanced(user, 6);
    assert.ok(result.items.every((i) => i.base_json !== null && i.so_hash !== null && i.graph_hash !== null), 'every mapping has its base again');
  });

  test('window shrunk then grown: what leaves becomes out_of_window (nothing deleted, no breaker for an emptied window), coming back creates nothing', async () => {
    const user = w.fresh();
    w.so.create(user, { title: 'Far', start: at(50, 9), end: at(50, 10) });
    w.so.create(user, { title: 'Farther', start: at(60, 9), end: at(60, 10) });
    w.outlook.create(user, { subject: 'Far in Outlook', start: { dateTime: at(70, 9).slice(0, 19), timeZone: 'UTC' }, end: { dateTime: at(70, 10).slice(0, 19), timeZone: 'UTC' } });
    await w.pass(user);
    assertBalanced(user, 3);
    await w.setTenant({ futureDays: 30 });
    try {
      const shrunk = await passCreating(user);
      assert.equal(shrunk.creates + shrunk.cost.graphOtherWrites + shrunk.cost.superofficeOtherWrites, 0, 'nothing written, nothing deleted');
      assert.equal(shrunk.result.mailbox.state, 'in_sync', 'an emptied window is not an emptied calendar');
      assert.deepEqual(shrunk.result.items.map((i) => i.state), ['out_of_window', 'out_of_window', 'out_of_window']);
      assertBalanced(user, 3);
    } finally {
      await w.setTenant({ futureDays: 120 });
    }
    const grown = await passCreating(user);
    assert.equal(grown.creates, 0);
    assert.deepEqual(grown.result.items.map((i) => i.state), ['active', 'active', 'active']);
    assertBalanced(user, 3);
  });

  test('the delta token expired: a full pass that deletes nothing merely missing, creates nothing, and still carries the changes', async () => {
    const user = w.fresh();
    await synced(user);
    const [first] = w.so.list(user);
    w.so.edit(first!.appointmentId, { Title: 'Renamed while the token expired' });
    w.h.env.graph.control.calendar.expireDeltaTokens(user.mailboxId);
    const { result, creates, cost } = await passCreating(user);
    assert.equal(creates, 0);
    assert.equal(cost.graphOtherWrites, 1, 'only the rename is written');
    assert.equal(result.mailbox.state, 'in_sync');
    assert.equal(result.mailbox.last_deleted, 0);
    assertBalanced(user, 6);
    assert.ok(w.outlook.events(user).some((e) => e.subject === 'Renamed while the token expired'));
  });

  test('a worker serving the users’ ranks syncs each of their mailboxes, once each, without duplicates', async () => {
    const a = w.fresh();
    const b = w.fresh();
    w.so.create(a, { title: 'For A', start: at(2, 9), end: at(2, 10) });
    w.outlook.create(b, { subject: 'For B', start: { dateTime: at(3, 9).slice(0, 19), timeZone: 'UTC' }, end: { dateTime: at(3, 10).slice(0, 19), timeZone: 'UTC' } });
    const worker = w.worker([a.rank, b.rank]);
    try {
      const deadline = Date.now() + 20_000;
      const state = (u: WorldUser) => w.mailbox(u).then((m) => m.state, () => 'not enrolled yet');
      while ((await state(a)) !== 'in_sync' || (await state(b)) !== 'in_sync') {
        if (Date.now() > deadline) throw new Error('the worker did not sync both mailboxes');
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await worker.stop();
    }
    assertBalanced(a, 1);
    assertBalanced(b, 1);
  });

  test('commit-then-timeout on every Graph write: the pass fails, the next one finds what was applied, 0 duplicates', async (t) => {
    const user = w.fresh();
    for (let i = 0; i < 5; i++) w.so.create(user, { title: `Lost answer ${i}`, start: at(2 + i, 9), end: at(2 + i, 10) });
    w.outlook.create(user, { subject: 'Outlook-born', start: { dateTime: at(4, 15).slice(0, 19), timeZone: 'UTC' }, end: { dateTime: at(4, 16).slice(0, 19), timeZone: 'UTC' } });
    w.h.env.graph.control.setFaults({ commitThenTimeout: 1000 });
    try {
      await w.pass(user).catch(() => undefined);
    } finally {
      w.h.env.graph.control.clearFaults();
    }
    const failed = await w.mailbox(user);
    t.diagnostic(`after the lost answers: ${failed.state}: ${failed.last_error}`);
    assert.notEqual(failed.state, 'in_sync');
    const { creates, cost } = await passCreating(user);
    t.diagnostic(`recovery pass: ${JSON.stringify(cost)}`);
    assert.equal(cost.graphCreates, 0, 'every event the lost answers created is found by its tag');
    assertBalanced(user, 6);
    assert.equal(creates, 0, 'the Outlook-born appointment was created before the answers got lost, and is found by its key');
    assert.equal((await w.items(user)).filter((i) => i.state === 'active').length, 6);
  });

  test('a crash after the create, before the commit (intent left pending): the next pass binds, 0 duplicates', async () => {
    const user = w.fresh();
    const a = w.so.create(user, { title: 'Crashed create', start: at(5, 9), end: at(5, 10) });
    const e = w.outlook.create(user, { subject: 'Crashed Outlook-born', start: { dateTime: at(6, 9).slice(0, 19), timeZone: 'UTC' }, end: { dateTime: at(6, 10).slice(0, 19), timeZone: 'UTC' } });
    // What a pass did before it died: intents committed, both creates sent, nothing committed after.
    const opA = randomUUID();
    const opE = randomUUID();
    const now = new Date();
    const base = { tenant_id: w.tenantId, associate_id: user.associateId, mailbox_id: user.mailboxId, kind: 'appointment' as const, op_started_at: w.h.store.dialect.time(now) };
    await insertItems(w.h.store, [
      { ...base, so_id: a.appointmentId, graph_id: null, origin: 'superoffice', state: 'pending', op_id: opA },
      { ...base, so_id: null, graph_id: e.immutableId, origin: 'outlook', state: 'pending', op_id: opE },
    ], now);
    const { outlook, superoffice } = await openDiaryConnections({ store: w.h.store, integration: w.h.integration, now: () => new Date() }, { tenantId: w.tenantId, mailboxId: user.mailboxId });
    const zone = 'Europe/Oslo';
    const so = (await superoffice.get(a.appointmentId))!;
    const [made] = await outlook.create([{ transactionId: opA, tag: tagOf(w.tenantId, a.appointmentId), event: toOutlookWrite(fromSuperOffice(so, zone), zone, so.participants) }]);
    assert.ok(made && 'ok' in made);
    const ev = (await outlook.get(e.immutableId))!;
    await superoffice.create(toSuperOfficeWrite(fromOutlook(ev, zone), user.associateId, zone));
    assert.equal(w.outlook.events(user).length, 2);
    assert.equal(w.so.list(user).length, 2);

    const { creates, cost } = await passCreating(user);
    assert.equal(cost.graphCreates, 0, 'the event is found by its tag');
    assert.equal(cost.superofficeCreates, 0, 'the appointment is found by its fields, created since the intent');
    assert.equal(creates, 0);
    assertBalanced(user, 2);
    const items = await w.items(user);
    assert.deepEqual(items.map((i) => i.state), ['active', 'active']);
  });

  test('a user copies a tagged event: the copy is their new appointment (created and re-tagged), the original keeps its mapping', async () => {
    const user = w.fresh();
    const a = w.so.create(user, { title: 'Original', start: at(4, 9), end: at(4, 10) });
    await w.pass(user);
    const original = w.outlook.events(user)[0]!;
    const copy = w.outlook.copy(user, original.immutableId);
    assert.equal(tagOn(copy), tagOf(w.tenantId, a.appointmentId));
    const { cost } = await passCreating(user);
    assert.equal(cost.superofficeCreates, 1, 'one appointment for the copy');
    assert.equal(cost.graphCreates, 0);
    assertBalanced(user, 2);
    assert.equal(tagOn(w.outlook.events(user).find((e) => e.immutableId === original.immutableId)!), tagOf(w.tenantId, a.appointmentId));
    const again = await passCreating(user);
    assert.equal(again.creates, 0);
  });
});
