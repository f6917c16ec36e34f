import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { tagOf } from '../../../../backend/sync/diary/fields.js';
import { eventSpan } from '../../../../simulators/graph/calendar-store.js';
import { costOf } from './counting.js';
import { at, makeWorld, tagOn, type World, type WorldUser } from './world.js';

/**
 * Deletes and the circuit breaker. SuperOffice hard deletes leave no trace in the archive: they
 * are found by the id-set check, which an incremental pass runs at most hourly; these tests move
 * the last check back an hour instead of waiting.
 */
describe('diary sync: deletes and the circuit breaker', () => {
  let w: World;
  before(async () => {
    w = await makeWorld({ users: 12 });
  });
  after(() => w.close());

  const eventFor = (user: WorldUser, soId: number) => w.outlook.events(user).find((e) => tagOn(e) === tagOf(w.tenantId, soId));
  /** The hourly id-set check is due at the next pass. */
  const reconcileDue = (user: WorldUser) =>
    w.h.store.db
      .updateTable('sync_cursor')
      .set({ last_reconcile_at: w.h.store.dialect.time(new Date(Date.now() - 2 * 3_600_000)) })
      .where('tenant_id', '=', w.tenantId)
      .where('mailbox_id', '=', user.mailboxId)
      .execute();

  test('deleted in SuperOffice: a future event with our tag is deleted; an event that has ended is kept and detached', async () => {
    const user = w.fresh();
    const future = w.so.create(user, { title: 'Cancelled visit', start: at(3, 9), end: at(3, 10) });
    const past = w.so.create(user, { title: 'Last week', start: at(-5, 9), end: at(-5, 10) });
    const keep = w.so.create(user, { title: 'Still on', start: at(4, 9), end: at(4, 10) });
    await w.pass(user);
    assert.equal(w.outlook.events(user).length, 3);
    w.so.delete(future.appointmentId);
    w.so.delete(past.appointmentId);
    await w.pass(user);
    assert.ok(eventFor(user, future.appointmentId), 'not seen before the id-set check is due');
    await reconcileDue(user);
    const r = await w.pass(user);
    assert.equal(eventFor(user, future.appointmentId), undefined, 'the future event is deleted');
    assert.ok(eventFor(user, past.appointmentId), 'an event in the past is kept');
    assert.ok(eventFor(user, keep.appointmentId));
    assert.equal(r.mailbox.last_deleted, 1);
    const states = new Map(r.items.map((i) => [i.so_id, i.state]));
    assert.equal(states.get(past.appointmentId), 'detached');
    assert.equal(states.has(future.appointmentId), false, 'gone on both sides: forgotten');
    assert.equal(states.get(keep.appointmentId), 'active');
  });

  test('moved out of the window in SuperOffice: the move still reaches Outlook, then the item is out_of_window; nothing is deleted', async () => {
    const user = w.fresh();
    const a = w.so.create(user, { title: 'Postponed', start: at(3, 9), end: at(3, 10) });
    await w.pass(user);
    w.so.edit(a.appointmentId, { StartDate: at(200, 9), EndDate: at(200, 10) });
    await reconcileDue(user);
    const r = await w.pass(user);
    const e = eventFor(user, a.appointmentId);
    assert.ok(e, 'the event is kept');
    assert.equal(new Date(eventSpan(e).startUtc).toISOString(), at(200, 9), 'and moved with the appointment');
    assert.equal(r.items[0]!.state, 'out_of_window');
    assert.equal(r.mailbox.last_deleted, 0);
  });

  test('deleted in SuperOffice, event not ours (no tag: born in Outlook, tag removed by the user): detached, not deleted', async () => {
    const user = w.fresh();
    const e = w.outlook.create(user, { subject: 'Mine', start: { dateTime: at(3, 9).slice(0, 19), timeZone: 'UTC' }, end: { dateTime: at(3, 10).slice(0, 19), timeZone: 'UTC' } });
    await w.pass(user);
    const [row] = w.so.list(user);
    w.outlook.edit(user, e.immutableId, { extended: [] });
    w.so.delete(row!.appointmentId);
    await w.pass(user);
    await reconcileDue(user);
    const r = await w.pass(user);
    assert.equal(w.outlook.events(user).length, 1, 'an event without our tag is never deleted');
    assert.equal(r.items[0]!.state, 'detached');
  });

  test('deleted in Outlook: the appointment is deleted when it is ours to delete; a booking with others or a completed one is detached', async () => {
    const user = w.fresh();
    const colleague = w.users.at(-1)!;
    const own = w.so.create(user, { title: 'Own', start: at(3, 9), end: at(3, 10) });
    const booking = w.so.create(user, { title: 'With a colleague', start: at(4, 9), end: at(4, 10), invitees: [colleague.associateId] });
    const done = w.so.create(user, { title: 'Done', start: at(5, 9), end: at(5, 10) });
    const moved = w.so.create(user, { title: 'Moved away', start: at(6, 9), end: at(6, 10) });
    await w.pass(user);
    w.so.edit(done.appointmentId, { Completed: 'Completed' });
    await w.pass(user);
    for (const a of [own, booking, done]) w.outlook.delete(user, eventFor(user, a.appointmentId)!.immutableId);
    // Moved out of the window in Outlook: reported removed by delta, but still there.
    w.outlook.edit(user, eventFor(user, moved.appointmentId)!.immutableId, { start: { dateTime: at(200, 9).slice(0, 19), timeZone: 'UTC' }, end: { dateTime: at(200, 10).slice(0, 19), timeZone: 'UTC' } });
    const r = await w.pass(user);
    const ids = new Set(w.so.list(user).map((a) => a.appointmentId));
    assert.equal(ids.has(own.appointmentId), false, 'own, not completed: deleted');
    assert.ok(ids.has(booking.appointmentId), 'a booking others take part in is kept');
    assert.ok(ids.has(done.appointmentId), 'a completed appointment is kept');
    assert.ok(ids.has(moved.appointmentId), 'out of the window is not deleted');
    assert.equal(r.mailbox.last_deleted, 1);
    const states = new Map(r.items.map((i) => [i.so_id, i.state]));
    assert.equal(states.get(booking.appointmentId), 'detached');
    assert.equal(states.get(done.appointmentId), 'detached');
    assert.equal(states.get(moved.appointmentId), 'out_of_window');
    w.resetCounts();
    await w.pass(user);
    assert.equal(costOf(w.counts()).graphCreates, 0, 'detached items are not created again');
  });

  test("cancelled by its organizer: a meeting the user received and we imported goes from SuperOffice; it stays in Outlook, and is never imported again", async () => {
    const user = w.fresh();
    const time = (h: number) => ({ dateTime: at(4, h).slice(0, 19), timeZone: 'UTC' });
    const lunch = w.outlook.receive(user, { subject: 'Supplier lunch', start: time(11), end: time(12) });
    const visit = w.outlook.receive(user, { subject: 'Supplier visit', start: time(14), end: time(15) });
    await w.pass(user);
    assert.deepEqual(w.so.list(user).map((a) => a.title).sort(), ['Supplier lunch', 'Supplier visit'], 'both imported');
    w.outlook.cancelByOrganizer(user, lunch.immutableId);
    const r = await w.pass(user);
    assert.equal(r.mailbox.state, 'in_sync', r.mailbox.last_error ?? '');
    assert.deepEqual(w.so.list(user).map((a) => a.title), ['Supplier visit'], 'the cancelled meeting is gone from the diary');
    assert.equal(r.mailbox.last_deleted, 1);
    assert.ok(w.outlook.events(user).some((e) => e.immutableId === lunch.immutableId && e.isCancelled), 'the event stays, cancelled, until the user removes it');
    assert.equal(r.items.some((i) => i.graph_id === lunch.immutableId), false, 'its mapping is gone');
    await reconcileDue(user);
    w.resetCounts();
    await w.pass(user);
    assert.equal(costOf(w.counts()).superofficeCreates, 0, 'never imported again');
    assert.deepEqual(w.so.list(user).map((a) => a.title), ['Supplier visit']);
    void visit;
  });

  test('breaker: more than 20 deletes in one pass stop the user until an administrator releases it; then they are carried out once', async () => {
    const user = w.fresh();
    const rows = Array.from({ length: 30 }, (_, i) => w.so.create(user, { title: `Item ${i}`, start: at(1 + (i % 25), 9), end: at(1 + (i % 25), 10) }));
    await w.pass(user);
    assert.equal(w.outlook.events(user).length, 30);
    for (const a of rows.slice(0, 21)) w.so.delete(a.appointmentId);
    await reconcileDue(user);
    w.resetCounts();
    const stopped = await w.pass(user);
    assert.equal(stopped.mailbox.state, 'breaker');
    assert.match(stopped.mailbox.breaker_detail ?? '', /21 Outlook event\(s\)/);
    assert.equal(w.outlook.events(user).length, 30, 'nothing deleted');
    assert.equal(costOf(w.counts()).graphOtherWrites, 0);
    // Not worked again until released, however often it comes due.
    w.resetCounts();
    const still = await w.pass(user);
    assert.equal(still.mailbox.state, 'breaker');
    assert.equal(costOf(w.counts()).graphRequests + costOf(w.counts()).superofficeRequests, 0);

    // The administrator's Resume: the next pass may carry out what the breaker stopped, once.
    await w.releaseBreaker(user);
    const released = await w.pass(user);
    assert.equal(released.mailbox.state, 'in_sync');
    assert.equal(released.mailbox.last_deleted, 21);
    assert.equal(w.outlook.events(user).length, 9);
    assert.equal(released.mailbox.breaker_released_at, null, 'the release is used up');
    assert.equal(released.mailbox.breaker_detail, null);
  });

  test('breaker: 10 % of a small mailbox (at least 3 deletes), or one side emptied, also stop it; 2 deletes of 10 do not', async () => {
    const a = w.fresh();
    const rowsA = Array.from({ length: 10 }, (_, i) => w.so.create(a, { title: `A${i}`, start: at(2 + i, 9), end: at(2 + i, 10) }));
    await w.pass(a);
    for (const r of rowsA.slice(0, 2)) w.so.delete(r.appointmentId);
    await reconcileDue(a);
    const two = await w.pass(a);
    assert.equal(two.mailbox.state, 'in_sync', 'two deletes never trip it');
    assert.equal(two.mailbox.last_deleted, 2);
    for (const r of rowsA.slice(2, 5)) w.so.delete(r.appointmentId);
    await reconcileDue(a);
    const three = await w.pass(a);
    assert.equal(three.mailbox.state, 'breaker', '3 of 8 is more than 10 %');
    assert.equal(w.outlook.events(a).length, 8);

    const b = w.fresh();
    const rowsB = Array.from({ length: 3 }, (_, i) => w.so.create(b, { title: `B${i}`, start: at(2 + i, 9), end: at(2 + i, 10) }));
    await w.pass(b);
    for (const e of w.outlook.events(b)) w.outlook.delete(b, e.immutableId);
    const emptied = await w.pass(b);
    assert.equal(emptied.mailbox.state, 'breaker');
    assert.match(emptied.mailbox.breaker_detail ?? '', /3 SuperOffice appointment\(s\)/);
    assert.equal(w.so.list(b).length, rowsB.length, 'nothing deleted in SuperOffice');
  });
});
