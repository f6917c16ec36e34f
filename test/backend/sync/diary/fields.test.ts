import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  fromOutlook,
  fromSuperOffice,
  hashFields,
  PARTICIPANTS_MARKER,
  superOfficeView,
  toOutlookWrite,
  toSuperOfficeWrite,
} from '../../../../backend/sync/diary/fields.js';
import type { DiaryFields } from '../../../../backend/sync/diary/ports.js';
import { graphEcho, graphEvent, OSLO, osloClock, osloClockOf, osloInstant, soAppointment, soEcho } from './support.js';

/** SuperOffice → Outlook: the event written, and the fields read back from it. */
function toOutlookAndBack(so: ReturnType<typeof soAppointment>) {
  const fields = fromSuperOffice(so, OSLO);
  const write = toOutlookWrite(fields, OSLO, so.participants);
  return { fields, write, back: fromOutlook(graphEcho(write), OSLO) };
}

/** Outlook → SuperOffice: the appointment written, and the fields read back from it. */
function toSuperOfficeAndBack(e: ReturnType<typeof graphEvent>) {
  const fields = fromOutlook(e, OSLO);
  const write = toSuperOfficeWrite(fields, 5, OSLO);
  return { fields, write, back: fromSuperOffice(soEcho(write), OSLO) };
}

describe('diary times across the Oslo DST changes', () => {
  const days = ['2026-03-28', '2026-03-30', '2026-10-24', '2026-10-26'];
  for (const day of days) {
    test(`09:00–10:00 on ${day} in SuperOffice is 09:00–10:00 in Outlook, and back`, () => {
      const so = soAppointment({ start: osloInstant(day, '09:00'), end: osloInstant(day, '10:00') });
      const { fields, write, back } = toOutlookAndBack(so);
      assert.equal(write.start.timeZone, 'UTC');
      assert.equal(osloClockOf(write.start), `${day} 09:00`);
      assert.equal(osloClockOf(write.end), `${day} 10:00`);
      assert.deepEqual(back, fields);
      assert.equal(hashFields(back), hashFields(fields));
      const again = fromSuperOffice(soEcho(toSuperOfficeWrite(back, 5, OSLO)), OSLO);
      assert.deepEqual(again, fields, 'a second trip changes nothing');
    });

    test(`09:00–10:00 on ${day} typed in Outlook (Oslo or Windows zone) is 09:00–10:00 in SuperOffice, and back`, () => {
      for (const timeZone of [OSLO, 'W. Europe Standard Time']) {
        const e = graphEvent({ start: { dateTime: `${day}T09:00:00.0000000`, timeZone }, end: { dateTime: `${day}T10:00:00.0000000`, timeZone } });
        const { fields, write, back } = toSuperOfficeAndBack(e);
        assert.equal(osloClock(write.start), `${day} 09:00`);
        assert.equal(osloClock(write.end), `${day} 10:00`);
        assert.deepEqual(back, fields);
        assert.deepEqual(fromOutlook(graphEcho(toOutlookWrite(back, OSLO, [])), OSLO), fields);
      }
    });
  }

  test('02:30 on 2026-03-29 does not exist in Oslo: both sides show 03:30 summer time, stable both ways', () => {
    // SuperOffice moves a skipped time forward (as Outlook does): 03:30 CEST = 01:30Z.
    const so = soAppointment({ start: '2026-03-29T01:30:00Z', end: '2026-03-29T02:30:00Z' });
    const { fields, write, back } = toOutlookAndBack(so);
    assert.equal(osloClockOf(write.start), '2026-03-29 03:30');
    assert.deepEqual(back, fields);
    const typed = graphEvent({ start: { dateTime: '2026-03-29T02:30:00.0000000', timeZone: OSLO }, end: { dateTime: '2026-03-29T04:30:00.0000000', timeZone: OSLO } });
    const trip = toSuperOfficeAndBack(typed);
    assert.equal(trip.fields.start, '2026-03-29T01:30:00Z', 'moved forward to 03:30 CEST');
    assert.equal(osloClock(trip.write.start), '2026-03-29 03:30');
    assert.deepEqual(trip.back, trip.fields);
  });

  test('02:30 on 2026-10-25 happens twice in Oslo: each instant keeps its own 02:30, stable both ways', () => {
    for (const start of ['2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z']) {
      const so = soAppointment({ start, end: '2026-10-25T03:00:00Z' });
      const { fields, write, back } = toOutlookAndBack(so);
      assert.equal(osloClockOf(write.start), '2026-10-25 02:30');
      assert.equal(fields.start, start, 'the instant is kept, not re-read from the wall clock');
      assert.deepEqual(back, fields);
    }
    const typed = graphEvent({ start: { dateTime: '2026-10-25T02:30:00.0000000', timeZone: OSLO }, end: { dateTime: '2026-10-25T03:30:00.0000000', timeZone: OSLO } });
    const trip = toSuperOfficeAndBack(typed);
    assert.equal(trip.fields.start, '2026-10-25T01:30:00Z', 'an ambiguous typed time is standard time, as Outlook reads it');
    assert.deepEqual(trip.back, trip.fields);
  });

  test('instants are kept at second precision whatever form a side sends', () => {
    const a = fromSuperOffice(soAppointment({ start: '2026-12-03T08:00:00.000Z', end: '2026-12-03T09:00:00+01:00' }), OSLO);
    assert.equal(a.start, '2026-12-03T08:00:00Z');
    assert.equal(a.end, '2026-12-03T08:00:00Z');
    const b = fromOutlook(graphEvent({ start: { dateTime: '2026-12-03T08:00:00.9999999', timeZone: 'UTC' } }), OSLO);
    assert.equal(b.start, '2026-12-03T08:00:00Z');
    assert.equal(fromOutlook(graphEvent({ start: { dateTime: '2026-12-03T08:00:00.0000000', timeZone: 'tzone://Microsoft/Utc' } }), OSLO).start, '2026-12-03T08:00:00Z');
    // `SO-TimeZone: UTC` without includeTZOffset: UTC without the Z.
    const c = fromSuperOffice(soAppointment({ start: '2026-12-03T08:00:00', end: '2026-12-03T09:00:00', allDay: false }), OSLO);
    assert.deepEqual([c.start, c.end], ['2026-12-03T08:00:00Z', '2026-12-03T09:00:00Z']);
    const d = fromSuperOffice(soAppointment({ start: '2026-03-27T23:00:00', end: '2026-03-28T23:00:00', allDay: true }), OSLO);
    assert.deepEqual([d.start, d.end], ['2026-03-28', '2026-03-29']);
  });

  test('a time zone neither IANA nor a known Windows name is refused, not guessed', () => {
    assert.throws(() => fromOutlook(graphEvent({ start: { dateTime: '2026-12-03T08:00:00', timeZone: 'Mars Standard Time' } }), OSLO), /Unknown time zone 'Mars Standard Time'/);
  });
});

describe('all-day items', () => {
  const allDaySo = (first: string, afterLast: string) =>
    soAppointment({ allDay: true, start: osloInstant(first, '00:00'), end: osloInstant(afterLast, '00:00') });

  test('a single all-day appointment is that one day in Outlook, at midnight in Oslo, and back', () => {
    const { fields, write, back } = toOutlookAndBack(allDaySo('2026-12-10', '2026-12-11'));
    assert.deepEqual([fields.start, fields.end, fields.allDay], ['2026-12-10', '2026-12-11', true]);
    assert.deepEqual(write.start, { dateTime: '2026-12-10T00:00:00', timeZone: OSLO });
    assert.deepEqual(write.end, { dateTime: '2026-12-11T00:00:00', timeZone: OSLO });
    assert.equal(write.isAllDay, true);
    assert.deepEqual(back, fields);
  });

  test('a multi-day all-day appointment across the spring change (a 23-hour day) keeps its dates both ways', () => {
    const so = allDaySo('2026-03-28', '2026-03-31');
    const { fields, back } = toOutlookAndBack(so);
    assert.deepEqual([fields.start, fields.end], ['2026-03-28', '2026-03-31']);
    assert.deepEqual(back, fields);
    const write = toSuperOfficeWrite(back, 5, OSLO);
    assert.equal(write.start, '2026-03-27T23:00:00Z', 'midnight CET');
    assert.equal(write.end, '2026-03-30T22:00:00Z', 'midnight CEST');
    assert.deepEqual(fromSuperOffice(soEcho(write), OSLO), fields);
  });

  test('an all-day appointment across the autumn change (a 25-hour day) keeps its dates', () => {
    const { fields, back } = toOutlookAndBack(allDaySo('2026-10-25', '2026-10-26'));
    assert.deepEqual([fields.start, fields.end], ['2026-10-25', '2026-10-26']);
    assert.deepEqual(back, fields);
  });

  test("SuperOffice's 23:59 end of the last day reads as the same dates as a midnight end", () => {
    const so = soAppointment({ allDay: true, start: osloInstant('2026-03-28', '00:00'), end: osloInstant('2026-03-30', '23:59') });
    const f = fromSuperOffice(so, OSLO);
    assert.deepEqual([f.start, f.end], ['2026-03-28', '2026-03-31']);
  });

  test('an Outlook all-day event reads the same labelled UTC, in its own zone, in a Windows zone, or converted to a UTC instant', () => {
    const forms = [
      { start: { dateTime: '2026-03-29T00:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2026-03-30T00:00:00.0000000', timeZone: 'UTC' } },
      { start: { dateTime: '2026-03-29T00:00:00.0000000', timeZone: OSLO }, end: { dateTime: '2026-03-30T00:00:00.0000000', timeZone: OSLO } },
      { start: { dateTime: '2026-03-29T00:00:00.0000000', timeZone: 'W. Europe Standard Time' }, end: { dateTime: '2026-03-30T00:00:00.0000000', timeZone: 'W. Europe Standard Time' } },
      { start: { dateTime: '2026-03-28T23:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2026-03-29T22:00:00.0000000', timeZone: 'UTC' } },
    ];
    for (const times of forms) {
      const f = fromOutlook(graphEvent({ isAllDay: true, ...times }), OSLO);
      assert.deepEqual([f.start, f.end, f.allDay], ['2026-03-29', '2026-03-30', true], JSON.stringify(times));
    }
  });

  test('an all-day Outlook event becomes midnight-to-midnight in SuperOffice in Oslo, and back', () => {
    const e = graphEvent({ isAllDay: true, start: { dateTime: '2026-10-24T00:00:00.0000000', timeZone: 'UTC' }, end: { dateTime: '2026-10-27T00:00:00.0000000', timeZone: 'UTC' } });
    const { write, back, fields } = toSuperOfficeAndBack(e);
    assert.equal(write.allDay, true);
    assert.equal(osloClock(write.start), '2026-10-24 00:00');
    assert.equal(osloClock(write.end), '2026-10-27 00:00');
    assert.deepEqual(back, fields);
  });
});

describe('text', () => {
  test('subject and location are trimmed; the body loses CR, trailing spaces and blank lines around it', () => {
    const f = fromOutlook(graphEvent({ subject: '  Review \r\n', location: '\tRoom Fjord ', bodyText: '\r\n\r\nAgenda:  \r\n  1. Budget\t\r\n\r\n2. Plan\r\n\r\n\r\n' }), OSLO);
    assert.equal(f.subject, 'Review');
    assert.equal(f.location, 'Room Fjord');
    assert.equal(f.body, 'Agenda:\n  1. Budget\n\n2. Plan');
    const g = fromSuperOffice(soAppointment({ title: 'Review', location: 'Room Fjord', description: 'Agenda:\n  1. Budget\n\n2. Plan   ' }), OSLO);
    assert.equal(hashFields(g), hashFields({ ...f, showAs: g.showAs }));
  });

  const participants = [
    { name: 'Kari Nordmann', email: 'kari@example.com' },
    { name: 'Ola Hansen', email: null },
  ];

  test("a booking's participants are written as a block in the event body, not as attendees, and read back without it", () => {
    const so = soAppointment({ description: 'Bring the offer.', participants, motherId: 4711 });
    const { fields, write, back } = toOutlookAndBack(so);
    assert.equal(write.body.contentType, 'text');
    assert.equal(write.body.content, `Bring the offer.\n\n${PARTICIPANTS_MARKER}\nKari Nordmann <kari@example.com>\nOla Hansen`);
    assert.equal('attendees' in write, false);
    assert.equal(back.body, 'Bring the offer.');
    assert.deepEqual(back, fields);
    assert.equal(toOutlookWrite(fromSuperOffice(soAppointment({ participants }), OSLO), OSLO, participants).body.content.split('\n')[0], PARTICIPANTS_MARKER, 'no blank line before the block of an empty body');
  });

  test('an Outlook user editing the text above the block changes the body SuperOffice gets, not the block', () => {
    const write = toOutlookWrite(fromSuperOffice(soAppointment({ description: 'Bring the offer.', participants }), OSLO), OSLO, participants);
    const edited = write.body.content.replace('Bring the offer.', 'Bring the offer.\nAnd the contract.  ').replace(/\n/g, '\r\n');
    const f = fromOutlook(graphEvent({ bodyText: edited }), OSLO);
    assert.equal(f.body, 'Bring the offer.\nAnd the contract.');
    assert.equal(toSuperOfficeWrite(f, 5, OSLO).description, 'Bring the offer.\nAnd the contract.');
  });

  test('a body without a block is kept whole, and a block SuperOffice somehow holds is not written twice', () => {
    assert.equal(fromOutlook(graphEvent({ bodyText: 'Participants: everyone' }), OSLO).body, 'Participants: everyone');
    const so = soAppointment({ description: `Notes\n\n${PARTICIPANTS_MARKER}\nOld Name`, participants });
    const content = toOutlookWrite(fromSuperOffice(so, OSLO), OSLO, participants).body.content;
    assert.equal(content.split(PARTICIPANTS_MARKER).length, 2);
  });

  test("titles and locations longer than SuperOffice's limits are cut at a character boundary, and the cut value reads as unchanged", () => {
    const subject = `${'a'.repeat(239)}😀 and more`;
    const location = `${'b'.repeat(250)}    Fjord`;
    const f = fromOutlook(graphEvent({ subject, location }), OSLO);
    const write = toSuperOfficeWrite(f, 5, OSLO);
    assert.equal(write.title, 'a'.repeat(239), 'the emoji (two UTF-16 units) would pass 240: cut before it, never half of it');
    assert.equal(write.location, 'b'.repeat(250), 'cut at 254 and trimmed');
    const stored = fromSuperOffice(soEcho(write), OSLO);
    assert.deepEqual(superOfficeView(f), stored, 'what SuperOffice has is the view of the full value');
    assert.equal(hashFields(superOfficeView(f)), hashFields(stored));
  });
});

describe('free/busy and privacy', () => {
  test("Outlook's showAs: free, tentative and busy as they are; oof, workingElsewhere and unknown read as busy", () => {
    const read = (showAs: string) => fromOutlook(graphEvent({ showAs }), OSLO).showAs;
    assert.deepEqual(['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown'].map(read), ['free', 'tentative', 'busy', 'busy', 'busy', 'busy']);
  });

  test('SuperOffice: IsFree is free, an invitation not yet accepted is tentative, anything else busy; written back as IsFree', () => {
    assert.equal(fromSuperOffice(soAppointment({ free: true }), OSLO).showAs, 'free');
    assert.equal(fromSuperOffice(soAppointment({ type: 'BookingForDiary', motherId: 4000 }), OSLO).showAs, 'tentative');
    assert.equal(fromSuperOffice(soAppointment({ type: 'BookingForDiary', free: true }), OSLO).showAs, 'free');
    assert.equal(fromSuperOffice(soAppointment(), OSLO).showAs, 'busy');
    const base = fromSuperOffice(soAppointment(), OSLO);
    assert.deepEqual(['free', 'tentative', 'busy'].map((showAs) => toSuperOfficeWrite({ ...base, showAs }, 5, OSLO).free), [true, false, false]);
    assert.deepEqual(['free', 'tentative', 'busy'].map((showAs) => toOutlookWrite({ ...base, showAs }, OSLO, []).showAs), ['free', 'tentative', 'busy']);
  });

  test('sensitivity private, confidential and personal are private; private is written as private, public as normal', () => {
    const read = (sensitivity: string) => fromOutlook(graphEvent({ sensitivity }), OSLO).private;
    assert.deepEqual(['normal', 'personal', 'private', 'confidential'].map(read), [false, true, true, true]);
    assert.equal(fromSuperOffice(soAppointment({ private: true }), OSLO).private, true);
    const f = fromSuperOffice(soAppointment({ private: true }), OSLO);
    assert.equal(toOutlookWrite(f, OSLO, []).sensitivity, 'private');
    assert.equal(toOutlookWrite({ ...f, private: false }, OSLO, []).sensitivity, 'normal');
    assert.equal(toSuperOfficeWrite(f, 5, OSLO).private, true);
  });
});

describe('hashFields', () => {
  const f: DiaryFields = fromSuperOffice(soAppointment({ description: 'x' }), OSLO);

  test('equal exactly when every field is equal, whatever order the keys were built in', () => {
    const reordered = Object.fromEntries(Object.entries(f).reverse()) as unknown as DiaryFields;
    assert.equal(hashFields(reordered), hashFields(f));
    assert.match(hashFields(f), /^[0-9a-f]{64}$/);
    const changes: Partial<DiaryFields>[] = [
      { subject: 'Other' }, { start: '2026-12-03T08:00:01Z' }, { end: '2026-12-03T09:30:00Z' }, { allDay: true },
      { location: '' }, { body: 'x ' }, { showAs: 'free' }, { private: true },
    ];
    const hashes = new Set(changes.map((c) => hashFields({ ...f, ...c })));
    assert.equal(hashes.size, changes.length);
    assert.equal(hashes.has(hashFields(f)), false);
  });

  test('values cannot run into each other (a subject ending like the next field)', () => {
    assert.notEqual(hashFields({ ...f, subject: 'a', location: 'b' }), hashFields({ ...f, subject: 'a","b', location: '' }));
  });
});
