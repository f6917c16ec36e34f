import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { TAG_PROPERTY_ID } from '../../../../backend/sync/diary/tags.js';
import { DeltaExpired, type GraphCreate } from '../../../../backend/sync/diary/ports.js';
import { eventWrite, outlookSimsPerSuite, type OutlookSims } from './outlook-support.js';

const WINDOW = { start: '2026-11-30T00:00:00.000Z', end: '2027-01-01T00:00:00.000Z' };

const creates = (n: number, from = 0): GraphCreate[] =>
  Array.from({ length: n }, (_, i) => {
    const day = String(1 + ((from + i) % 28)).padStart(2, '0');
    return { transactionId: `op-${from + i}`, tag: `so:${from + i}`, event: eventWrite(`Meeting ${from + i}`, `2026-12-${day}T10:00:00`, `2026-12-${day}T11:00:00`) };
  });

describe('OutlookCalendar over the Graph simulator', () => {
  const sims = outlookSimsPerSuite();
  let o: OutlookSims;
  beforeEach(() => {
    o = sims();
  });

  const batches = async () => (await o.control('GET', '/requests')).byRoute['POST /v1.0/$batch'] ?? 0;

  it('creates 45 events in 3 $batch requests, each with its transactionId and tag, one outcome per create in order', async () => {
    const { outlook } = o.calendar();
    const asked = creates(45);
    const outcomes = await outlook.create(asked);
    assert.equal(outcomes.length, 45);
    assert.equal(await batches(), 3);
    outcomes.forEach((r, i) => {
      assert.ok('ok' in r, JSON.stringify(r));
      assert.equal(r.ok.subject, `Meeting ${i}`);
      assert.equal(r.ok.tag, `so:${i}`);
      assert.equal(r.ok.start.timeZone, 'UTC');
    });
    const stored = await o.stored();
    assert.equal(stored.length, 45);
    const byTx = new Map(stored.map((e) => [e.transactionId, e]));
    for (const c of asked) {
      const e = byTx.get(c.transactionId);
      assert.ok(e, c.transactionId);
      assert.deepEqual(e.singleValueExtendedProperties, [{ id: TAG_PROPERTY_ID, value: c.tag }]);
    }
    // Immutable ids: the id still finds the event after a folder move (which changes the REST id).
    const first = outcomes[0] as { ok: { id: string } };
    await o.control('POST', `/calendar/users/${o.user}/events/${first.ok.id}/move`);
    assert.equal((await outlook.get(first.ok.id))?.tag, 'so:0');
  });

  it('a create whose answer was lost is re-sent with the same transactionId and makes no second event', async () => {
    const { outlook } = o.calendar();
    o.sims.graph.control.setFaults({ commitThenTimeout: 1, route: 'POST /v1.0/$batch' });
    const outcomes = await outlook.create(creates(3));
    assert.ok(outcomes.every((r) => 'ok' in r), JSON.stringify(outcomes));
    assert.equal(await batches(), 2, 'the envelope went twice');
    const stored = await o.stored();
    assert.equal(stored.length, 3);
    assert.deepEqual(stored.map((e) => e.transactionId).sort(), ['op-0', 'op-1', 'op-2']);
  });

  it('delta pages to the deltaLink, then reports only changes and @removed; an expired token is DeltaExpired', async () => {
    const { outlook } = o.calendar();
    await outlook.create(creates(130));
    const first = await outlook.delta({ window: WINDOW });
    assert.equal(first.changed.length, 130);
    assert.deepEqual(first.removed, []);
    assert.equal((await o.control('GET', '/requests')).byRoute['GET /v1.0/users/{id}/calendarView/delta'], 2, '100 per page');
    assert.ok(first.deltaLink.startsWith(`${o.sims.graph.url}/v1.0/users/`));
    assert.ok(first.changed.every((e) => e.tag === undefined), 'delta cannot expand the tag');

    const [a, b] = first.changed;
    assert.ok(a && b);
    assert.notEqual(await outlook.update(a.id, { subject: 'Moved to Friday' }), 'gone');
    assert.equal(await outlook.delete(b.id), 'deleted');
    const next = await outlook.delta({ deltaLink: first.deltaLink });
    assert.deepEqual(next.changed.map((e) => [e.id, e.subject]), [[a.id, 'Moved to Friday']]);
    assert.deepEqual(next.removed, [b.id]);

    await o.control('POST', '/calendar/expire-delta-tokens', { userId: o.user });
    await assert.rejects(outlook.delta({ deltaLink: next.deltaLink }), DeltaExpired);
  });

  it('refuses to follow a delta link to another host', async () => {
    const { outlook } = o.calendar();
    await assert.rejects(outlook.delta({ deltaLink: 'https://attacker.example/v1.0/users/x/calendarView/delta?$deltatoken=1' }), { code: 'MicrosoftUnavailable' });
    assert.equal((await o.control('GET', '/requests')).total, 0, 'nothing reached Graph');
  });

  it('get expands the tag (null on an Outlook-born event), 404 is null; update with a tag makes it findable', async () => {
    const { outlook } = o.calendar();
    const own = await o.raw('POST', `/users/${o.user}/events`, {
      ...eventWrite('Dentist', '2026-12-04T08:00:00', '2026-12-04T09:00:00'),
      body: { contentType: 'html', content: '<p>Bring the <b>card</b></p>' },
    });
    const got = await outlook.get(own.id);
    assert.equal(got?.tag, null);
    assert.equal(got?.bodyText, 'Bring the card');
    assert.equal(got?.start.dateTime.slice(0, 19), '2026-12-04T08:00:00');
    assert.equal(await outlook.get('AAMkAGnope'), null);

    const updated = await outlook.update(own.id, { location: { displayName: 'Clinic' } }, "so:7'x");
    assert.notEqual(updated, 'gone');
    assert.equal((await outlook.get(own.id))?.tag, "so:7'x");
    assert.deepEqual((await outlook.findByTag("so:7'x")).map((e) => [e.id, e.location]), [[own.id, 'Clinic']]);
    assert.equal(await outlook.update('AAMkAGnope', { subject: 'x' }), 'gone');
    assert.equal(await outlook.delete(own.id), 'deleted');
    assert.equal(await outlook.delete(own.id), 'gone');
  });

  it("findByTag finds our event and a user's copy of it, oldest first", async () => {
    const { outlook } = o.calendar();
    const [made] = await outlook.create(creates(2));
    assert.ok(made && 'ok' in made);
    await o.control('POST', '/clock', { advanceSeconds: 60 });
    const copy = await o.control('POST', `/calendar/users/${o.user}/events/${made.ok.id}/copy`);
    const found = await outlook.findByTag('so:0');
    assert.deepEqual(found.map((e) => e.id), [made.ok.id, copy.id]);
    assert.ok(found.every((e) => e.tag === 'so:0'));
    assert.deepEqual(await outlook.findByTag('so:none'), []);
  });

  it('listWindow lists every event and occurrence in the window with the tag, across pages', async () => {
    const { outlook } = o.calendar();
    await outlook.create(creates(120));
    const series = await o.raw('POST', `/users/${o.user}/events`, {
      ...eventWrite('Weekly', '2026-12-01T09:00:00', '2026-12-01T09:30:00'),
      recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['tuesday'] }, range: { type: 'numbered', startDate: '2026-12-01', numberOfOccurrences: 3 } },
    });
    await outlook.create([{ transactionId: 'late', tag: 'so:late', event: eventWrite('Next year', '2027-03-01T10:00:00', '2027-03-01T11:00:00') }]);
    const listed = await outlook.listWindow(WINDOW);
    assert.equal(listed.length, 123);
    const occurrences = listed.filter((e) => e.type === 'occurrence');
    assert.equal(occurrences.length, 3);
    assert.ok(occurrences.every((e) => e.seriesMasterId === series.id && e.tag === null));
    assert.equal(listed.filter((e) => e.tag?.startsWith('so:')).length, 120);
    assert.ok(!listed.some((e) => e.tag === 'so:late'));
  });
});
