import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseTag, tagOf } from '../../../../backend/sync/diary/fields.js';
import { WAITING_AUTHORIZATION_MESSAGE } from '../../../../backend/sync/diary/connections.js';
import { diaryKind } from '../../../../backend/sync/diary/diary-kind.js';
import { diaryPass } from '../../../../backend/sync/diary/pass.js';
import { eventSpan } from '../../../../simulators/graph/calendar-store.js';
import { costOf } from './counting.js';
import { at, makeWorld, tagOn, type World, type WorldUser } from './world.js';

/**
 * The diary pass end to end over the simulators: what each side holds after a pass, and what
 * the pass cost in requests (read from the simulators' counters).
 */
describe('diary pass', () => {
  let w: World;
  before(async () => {
    w = await makeWorld({ users: 18 });
  });
  after(() => w.close());

  const soOf = (user: WorldUser) => w.so.list(user);
  const eventsOf = (user: WorldUser) => w.outlook.events(user);

  test('first sync SuperOffice → Outlook: one tagged event per appointment, created in $batches of 20, without attendees; a second pass writes nothing', async (t) => {
    const user = w.fresh();
    const colleague = w.users.at(-1)!;
    for (let i = 0; i < 24; i++) w.so.create(user, { title: `Customer call ${i}`, start: at(1 + (i % 20), 8 + (i % 8)), end: at(1 + (i % 20), 9 + (i % 8)), location: 'Teams' });
    const booking = w.so.create(user, { title: 'Project kick-off', start: at(3, 12), end: at(3, 13), invitees: [colleague.associateId] });
    w.resetCounts();
    const first = await w.pass(user);
    const cost = costOf(w.counts());
    t.diagnostic(`first sync of 25 appointments: ${JSON.stringify(cost)}`);
    t.diagnostic(`graph routes ${JSON.stringify(w.counts().graph.byRoute)} items ${JSON.stringify(w.counts().graph.batchItems)}; superoffice ${JSON.stringify(w.counts().superoffice.byRoute)}`);

    const events = eventsOf(user);
    assert.equal(events.length, 25, 'one event per appointment');
    assert.equal(cost.graphCreates, 25);
    assert.equal(cost.graphBatches, 2, '25 creates in two $batches (20 + 5)');
    assert.equal(cost.superofficeCreates, 0);
    const tags = new Set(events.map((e) => tagOn(e)));
    assert.equal(tags.size, 25);
    for (const a of soOf(user)) assert.ok(tags.has(tagOf(w.tenantId, a.appointmentId)), `appointment ${a.appointmentId} has its event`);
    const kickoff = events.find((e) => tagOn(e) === tagOf(w.tenantId, booking.appointmentId))!;
    assert.equal(kickoff.attendees.length, 0, 'written without attendees');
    assert.match(kickoff.body.content, new RegExp(w.h.env.tenant.associates.find((a) => a.associateId === colleague.associateId)!.fullName), 'participants in the body');
    assert.equal((await fetchInvitations(w)).length, 0, 'no invitation sent');
    assert.equal(first.mailbox.state, 'in_sync');
    assert.equal(first.mailbox.last_created, 25);
    assert.ok(first.mailbox.last_success_at);
    assert.equal(first.items.filter((i) => i.state === 'active').length, 25);

    w.resetCounts();
    const second = await w.pass(user);
    const echo = costOf(w.counts());
    t.diagnostic(`second pass (the echo of the first): ${JSON.stringify(echo)}`);
    assert.equal(echo.graphCreates + echo.graphOtherWrites + echo.superofficeCreates + echo.superofficeOtherWrites, 0, 'the echo of our own writes writes nothing');
    assert.deepEqual([second.mailbox.last_created, second.mailbox.last_updated, second.mailbox.last_deleted], [0, 0, 0]);

    w.resetCounts();
    await w.pass(user);
    const idle = costOf(w.counts());
    t.diagnostic(`idle pass: ${JSON.stringify(idle)}`);
    assert.equal(idle.graphRequests, 1, 'one delta request');
    assert.equal(idle.superofficeRequests, 1, 'one archive request');
  });

  test('first sync of 200 appointments: 10 $batches of 20, one delta and one sweep request; then an idle pass costs one request on each side', async (t) => {
    const user = w.fresh();
    for (let i = 0; i < 200; i++) w.so.create(user, { title: `Visit ${i}`, start: at(1 + (i % 100), 8 + (i % 9)), end: at(1 + (i % 100), 9 + (i % 9)) });
    w.resetCounts();
    const first = await w.pass(user);
    const cost = costOf(w.counts());
    t.diagnostic(`first sync of 200 appointments: ${JSON.stringify(cost)}`);
    assert.equal(first.mailbox.last_created, 200);
    assert.equal(w.outlook.events(user).length, 200);
    assert.equal(cost.graphBatches, 10, 'the minimum: 200 creates / 20 per $batch');
    assert.equal(cost.graphRequests, 12, '10 $batches, the delta that starts the cursor, the tag sweep');
    await w.pass(user);
    w.resetCounts();
    await w.pass(user);
    const idle = costOf(w.counts());
    t.diagnostic(`idle pass over 200 items: ${JSON.stringify(idle)}`);
    assert.deepEqual([idle.graphRequests, idle.superofficeRequests], [1, 1]);
  });

  test('first sync Outlook → SuperOffice: one appointment per event, with a ForeignSystem key, the event tagged; the next pass writes nothing', async (t) => {
    const user = w.fresh();
    const made = ['Dentist', 'Lunch with supplier', 'Planning'].map((subject, i) =>
      w.outlook.create(user, { subject, start: { dateTime: at(2 + i, 10).slice(0, 19), timeZone: 'UTC' }, end: { dateTime: at(2 + i, 11).slice(0, 19), timeZone: 'UTC' }, location: { displayName: 'Bergen' } }),
    );
    w.resetCounts();
    const first = await w.pass(user);
    const cost = costOf(w.counts());
    t.diagnostic(`first sync of 3 Outlook events: ${JSON.stringify(cost)}`);
    const rows = soOf(user);
    assert.equal(rows.length, 3);
    assert.equal(cost.superofficeCreates, 3);
    assert.deepEqual(rows.map((r) => r.title).sort(), ['Dentist', 'Lunch with supplier', 'Planning']);
    assert.ok(rows.every((r) => r.location === 'Bergen'));
    const keys = w.h.env.superoffice.control.appointments.foreignKeys(w.tenantId);
    assert.equal(keys.length, 3, 'a ForeignSystem key per appointment born in Outlook');
    for (const e of made) {
      const tag = tagOn(eventsOf(user).find((x) => x.immutableId === e.immutableId)!);
      assert.ok(tag && rows.some((r) => parseTag(tag, w.tenantId) === r.appointmentId), 'the event is tagged with its appointment');
    }
    assert.equal(cost.graphCreates, 0);
    assert.equal(first.mailbox.last_created, 3);

    w.resetCounts();
    await w.pass(user);
    const idle = costOf(w.counts());
    assert.equal(idle.graphCreates + idle.graphOtherWrites + idle.superofficeCreates + idle.superofficeOtherWrites, 0);
    assert.equal(soOf(user).length, 3);
    assert.equal(eventsOf(user).length, 3);
  });

  test('a change on one side reaches the other; changes to different fields on both sides both survive', async () => {
    const user = w.fresh();
    const a = w.so.create(user, { title: 'Budget meeting', start: at(5, 9), end: at(5, 10), location: 'Room Fjord' });
    await w.pass(user);
    w.so.edit(a.appointmentId, { Title: 'Budget meeting (moved)', StartDate: at(6, 9), EndDate: at(6, 10) });
    const r1 = await w.pass(user);
    const e = eventsOf(user)[0]!;
    assert.equal(e.subject, 'Budget meeting (moved)');
    assert.equal(new Date(eventSpan(e).startUtc).toISOString(), at(6, 9));
    assert.equal(r1.mailbox.last_updated, 1);

    w.outlook.edit(user, e.immutableId, { location: { displayName: 'Oslo office' } });
    w.so.edit(a.appointmentId, { Description: 'Bring the numbers.' });
    await w.pass(user);
    const row = soOf(user)[0]!;
    assert.equal(row.location, 'Oslo office', 'Outlook’s location reached SuperOffice');
    assert.match(eventsOf(user)[0]!.body.content, /Bring the numbers\./, 'SuperOffice’s description reached Outlook');
    const conflicts = await w.h.store.db.selectFrom('sync_conflict').selectAll().where('mailbox_id', '=', user.mailboxId).execute();
    assert.equal(conflicts.length, 0, 'different fields are no conflict');
  });

  test('SuperOffice refuses a write with 412 (changed meanwhile): nothing is lost, the next pass writes it', async () => {
    const user = w.fresh();
    const a = w.so.create(user, { title: 'Board meeting', start: at(8, 9), end: at(8, 10) });
    await w.pass(user);
    w.outlook.edit(user, eventsOf(user)[0]!.immutableId, { location: { displayName: 'Board room' } });
    // The pass reads the archive and the appointment, the client reads the entity it overlays, then its PUT is refused.
    w.h.env.superoffice.control.failNext(1, { status: 412, skip: 3 });
    w.resetCounts();
    const refused = await w.pass(user);
    assert.equal(w.counts().superoffice.byRoute['PUT /{ctx}/api/v1/Appointment/{id}'], 1);
    assert.equal(refused.mailbox.state, 'in_sync', `a 412 is no failure: ${refused.mailbox.last_error}`);
    assert.equal(soOf(user)[0]!.location, '', 'refused: not written');
    const r = await w.pass(user);
    assert.equal(soOf(user).find((x) => x.appointmentId === a.appointmentId)!.location, 'Board room', 'the Outlook change was kept for the next pass');
    assert.equal(r.mailbox.last_updated, 1);
  });

  test('conflicts field by field: both changed the subject; the tenant’s winner takes it and each conflict is recorded', async () => {
    const user = w.fresh();
    const a = w.so.create(user, { title: 'Review', start: at(7, 9), end: at(7, 10) });
    await w.pass(user);
    const e = eventsOf(user)[0]!;
    w.so.edit(a.appointmentId, { Title: 'Review (SuperOffice)' });
    w.outlook.edit(user, e.immutableId, { subject: 'Review (Outlook)', location: { displayName: 'Teams' } });
    const r = await w.pass(user);
    assert.equal(soOf(user)[0]!.title, 'Review (SuperOffice)', 'SuperOffice wins by default');
    assert.equal(eventsOf(user)[0]!.subject, 'Review (SuperOffice)');
    assert.equal(soOf(user)[0]!.location, 'Teams', 'the field only Outlook changed is kept');
    assert.equal(r.mailbox.last_conflicts, 1);
    const [conflict] = await w.h.store.db.selectFrom('sync_conflict').selectAll().where('mailbox_id', '=', user.mailboxId).execute();
    assert.deepEqual(
      [conflict!.field, conflict!.base_value, conflict!.superoffice_value, conflict!.outlook_value, conflict!.winner],
      ['subject', 'Review', 'Review (SuperOffice)', 'Review (Outlook)', 'superoffice'],
    );

    await w.setTenant({ winner: 'outlook' });
    try {
      w.so.edit(a.appointmentId, { Title: 'Second (SuperOffice)' });
      w.outlook.edit(user, e.immutableId, { subject: 'Second (Outlook)' });
      await w.pass(user);
      assert.equal(soOf(user)[0]!.title, 'Second (Outlook)', 'Outlook wins when the tenant says so');
      assert.equal(eventsOf(user)[0]!.subject, 'Second (Outlook)');
      const rows = await w.h.store.db.selectFrom('sync_conflict').selectAll().where('mailbox_id', '=', user.mailboxId).orderBy('id').execute();
      assert.equal(rows.at(-1)!.winner, 'outlook');
    } finally {
      await w.setTenant({ winner: 'superoffice' });
    }
  });

  test('OAuth-mode tenant, mailbox not authorized by its owner: nothing read or written, the mailbox waits with a plain message', async () => {
    const user = w.fresh();
    w.so.create(user, { title: 'Never synced', start: at(2, 9), end: at(2, 10) });
    await w.setTenant({ mode: 'oauth' });
    try {
      w.resetCounts();
      const r = await w.pass(user);
      const cost = costOf(w.counts());
      assert.equal(cost.graphRequests + cost.superofficeRequests, 0);
      assert.equal(r.mailbox.state, 'waiting_authorization');
      assert.equal(r.mailbox.last_error, WAITING_AUTHORIZATION_MESSAGE);
      assert.equal(eventsOf(user).length, 0);
    } finally {
      await w.setTenant({ mode: 'application' });
    }
  });

  test('Diary off: no SuperOffice or Graph request for that mailbox, the mapping kept; on again: nothing created twice', async () => {
    const user = w.fresh();
    w.so.create(user, { title: 'Kept', start: at(2, 9), end: at(2, 10) });
    await w.pass(user);
    const before = await w.items(user);
    await w.setOptions(user, { diary: false, task: true, contact: false });
    w.so.create(user, { title: 'Made while off', start: at(3, 9), end: at(3, 10) });
    w.resetCounts();
    // Task stays on so the mailbox is claimed; only the diary's own kind runs here (Task has its tests in test/backend/sync/task/).
    const off = await w.pass(user, diaryPass({ ...w.deps, kinds: [diaryKind] }));
    const cost = costOf(w.counts());
    assert.equal(cost.graphRequests + cost.superofficeRequests, 0);
    assert.equal(off.mailbox.state, 'in_sync');
    assert.deepEqual(off.items, before, 'the mapping is kept as it was');
    await w.setOptions(user, { diary: true, task: false, contact: false });
    w.resetCounts();
    await w.pass(user);
    assert.equal(costOf(w.counts()).graphCreates, 1, 'only the appointment made while off is created');
    assert.equal(eventsOf(user).length, 2);
  });

  test('connection problems: SuperOffice down → error in plain words, due again later; Graph throttling → throttled until Retry-After', async () => {
    const user = w.fresh();
    w.h.env.superoffice.control.setDown('503');
    try {
      const r = await w.pass(user);
      assert.equal(r.mailbox.state, 'error');
      assert.match(r.mailbox.last_error ?? '', /SuperOffice/);
      assert.ok(Date.parse(String(r.mailbox.next_due_at)) > Date.now() + 30_000, 'due again later');
    } finally {
      w.h.env.superoffice.control.setDown('off');
    }
    // Throttled on the first try and every retry the client makes.
    w.h.env.graph.control.setFaults({ throttled: 4, retryAfterSeconds: 1 });
    try {
      const r = await w.pass(user);
      assert.equal(r.mailbox.state, 'throttled');
      assert.match(r.mailbox.last_error ?? '', /throttl/i);
      const due = Date.parse(String(r.mailbox.next_due_at)) - Date.now();
      assert.ok(due > 0 && due <= 1_000, `due after Retry-After (in ${due} ms)`);
    } finally {
      w.h.env.graph.control.clearFaults();
    }
    await new Promise((r) => setTimeout(r, 1_100));
    const ok = await w.pass(user);
    assert.equal(ok.mailbox.state, 'in_sync');
    assert.equal(ok.mailbox.last_error, null);
  });

  test('Europe/Oslo: a time after the spring DST change and an all-day appointment arrive as the same wall clock and day', async () => {
    const user = w.fresh();
    // The next spring change in Oslo (last Sunday of March, 02:00 → 03:00): 09:00 local is 08:00 UTC the Friday before, 07:00 UTC the Monday after.
    const sunday = nextSpringChange(new Date());
    const day = (offset: number) => new Date(sunday.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
    await w.setTenant({ futureDays: 400 });
    try {
      const before = w.so.create(user, { title: 'Before DST', start: `${day(-2)}T08:00:00.000Z`, end: `${day(-2)}T09:00:00.000Z` });
      const after = w.so.create(user, { title: 'After DST', start: `${day(1)}T07:00:00.000Z`, end: `${day(1)}T08:00:00.000Z` });
      // All-day Tuesday: from midnight Monday→Tuesday in Oslo (22:00 UTC) for one day.
      const allDay = w.so.create(user, { title: 'Trade fair', start: `${day(1)}T22:00:00.000Z`, end: `${day(2)}T22:00:00.000Z`, allDay: true });
      w.outlook.create(user, { subject: 'Holiday', isAllDay: true, start: { dateTime: `${day(3)}T00:00:00`, timeZone: 'W. Europe Standard Time' }, end: { dateTime: `${day(4)}T00:00:00`, timeZone: 'W. Europe Standard Time' } });
      await w.pass(user);
      const byTag = (id: number) => eventsOf(user).find((e) => tagOn(e) === tagOf(w.tenantId, id))!;
      for (const a of [before, after]) {
        const e = byTag(a.appointmentId);
        const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Oslo', hour: '2-digit', minute: '2-digit' }).format(new Date(eventSpan(e).startUtc));
        assert.equal(local, '09:00', `${a.title} at 09:00 in Oslo`);
      }
      const fair = byTag(allDay.appointmentId);
      assert.equal(fair.isAllDay, true);
      assert.equal(fair.start.dateTime.slice(0, 10), day(2));
      assert.equal(fair.end.dateTime.slice(0, 10), day(3));
      const holiday = soOf(user).find((r) => r.title === 'Holiday')!;
      assert.equal(holiday.isAllDay, true);
      assert.equal(new Date(holiday.start).toISOString(), `${day(2)}T22:00:00.000Z`, 'midnight in Oslo (UTC+2 after the change)');
    } finally {
      await w.setTenant({ futureDays: 120 });
    }
  });

  test('an Outlook series: one appointment per occurrence and exception, none for the series master', async () => {
    const user = w.fresh();
    const firstDay = at(1, 9).slice(0, 10);
    const series = w.outlook.create(user, {
      subject: 'Weekly team meeting',
      start: { dateTime: `${firstDay}T09:00:00`, timeZone: 'UTC' },
      end: { dateTime: `${firstDay}T09:30:00`, timeZone: 'UTC' },
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: [['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'][new Date(`${firstDay}T00:00:00Z`).getUTCDay()]!], firstDayOfWeek: 'monday' },
        range: { type: 'numbered', startDate: firstDay, endDate: '0001-01-01', numberOfOccurrences: 3, recurrenceTimeZone: 'UTC' },
      },
    });
    const second = new Date(Date.parse(`${firstDay}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
    w.h.env.graph.control.calendar.updateOccurrence(series, second, { subject: 'Weekly team meeting (moved)', start: { dateTime: `${second}T13:00:00`, timeZone: 'UTC' }, end: { dateTime: `${second}T13:30:00`, timeZone: 'UTC' } });
    w.resetCounts();
    await w.pass(user);
    const rows = soOf(user);
    assert.equal(rows.length, 3, 'three occurrences, one of them an exception');
    assert.deepEqual(rows.map((r) => r.title).sort(), ['Weekly team meeting', 'Weekly team meeting', 'Weekly team meeting (moved)']);
    assert.ok(rows.some((r) => new Date(r.start).toISOString() === `${second}T13:00:00.000Z`));
    assert.equal(costOf(w.counts()).superofficeCreates, 3);
    w.resetCounts();
    await w.pass(user);
    assert.equal(costOf(w.counts()).superofficeCreates, 0);
  });

  /** The last Sunday of March (Oslo's spring change) at least a week after `now`, as UTC midnight. */
  function nextSpringChange(now: Date): Date {
    for (let year = now.getUTCFullYear(); ; year++) {
      const last = new Date(Date.UTC(year, 2, 31));
      const sunday = new Date(last.getTime() - last.getUTCDay() * 86_400_000);
      if (sunday.getTime() > now.getTime() + 7 * 86_400_000) return sunday;
    }
  }

  /** The simulator's record of writes that carried attendees. */
  async function fetchInvitations(world: World) {
    return world.h.env.graph.control.calendar.invitations;
  }
});
