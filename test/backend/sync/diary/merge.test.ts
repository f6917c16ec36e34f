import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromSuperOffice, mergeFields } from '../../../../backend/sync/diary/fields.js';
import type { DiaryFields } from '../../../../backend/sync/diary/ports.js';
import { OSLO, soAppointment } from './support.js';

const base: DiaryFields = fromSuperOffice(soAppointment({ description: 'Agenda' }), OSLO);
const later = { start: '2026-12-03T10:00:00Z', end: '2026-12-03T11:00:00Z' };

describe('mergeFields', () => {
  test('nothing changed: nothing to write, no conflict', () => {
    assert.deepEqual(mergeFields(base, base, base, 'superoffice'), { merged: base, writeSuperOffice: false, writeOutlook: false, conflicts: [] });
  });

  test('a field changed on one side only takes that side, and only the other side is written', () => {
    const fromSo = mergeFields(base, { ...base, subject: 'Moved review' }, base, 'outlook');
    assert.equal(fromSo.merged.subject, 'Moved review');
    assert.deepEqual([fromSo.writeSuperOffice, fromSo.writeOutlook, fromSo.conflicts], [false, true, []]);
    const fromOutlook = mergeFields(base, base, { ...base, location: 'Teams' }, 'superoffice');
    assert.equal(fromOutlook.merged.location, 'Teams');
    assert.deepEqual([fromOutlook.writeSuperOffice, fromOutlook.writeOutlook, fromOutlook.conflicts], [true, false, []]);
  });

  test('different fields changed on each side both survive', () => {
    const r = mergeFields(base, { ...base, subject: 'New title' }, { ...base, body: 'New agenda' }, 'superoffice');
    assert.deepEqual([r.merged.subject, r.merged.body], ['New title', 'New agenda']);
    assert.deepEqual([r.writeSuperOffice, r.writeOutlook, r.conflicts], [true, true, []]);
  });

  test('changed on both sides to the same value: no conflict, nothing to write', () => {
    const r = mergeFields(base, { ...base, subject: 'Same' }, { ...base, subject: 'Same' }, 'outlook');
    assert.deepEqual(r, { merged: { ...base, subject: 'Same' }, writeSuperOffice: false, writeOutlook: false, conflicts: [] });
  });

  for (const winner of ['superoffice', 'outlook'] as const) {
    test(`changed on both to different values: ${winner} wins and the conflict is recorded`, () => {
      const r = mergeFields(base, { ...base, subject: 'From CRM', private: true }, { ...base, subject: 'From Outlook', private: false }, winner);
      assert.equal(r.merged.subject, winner === 'superoffice' ? 'From CRM' : 'From Outlook');
      assert.equal(r.merged.private, true, 'private changed in SuperOffice only');
      assert.deepEqual(r.conflicts, [{ field: 'subject', base: 'Customer review', superoffice: 'From CRM', outlook: 'From Outlook', winner }]);
      assert.deepEqual([r.writeSuperOffice, r.writeOutlook], winner === 'superoffice' ? [false, true] : [true, true]);
    });
  }

  test('start, end and all-day move as one: a new start in SuperOffice and a new end in Outlook never mix', () => {
    const so = { ...base, start: '2026-12-03T07:30:00Z' };
    const outlook = { ...base, end: '2026-12-03T09:30:00Z' };
    for (const winner of ['superoffice', 'outlook'] as const) {
      const r = mergeFields(base, so, outlook, winner);
      const expected = winner === 'superoffice' ? so : outlook;
      assert.deepEqual([r.merged.start, r.merged.end, r.merged.allDay], [expected.start, expected.end, expected.allDay]);
      assert.deepEqual(r.conflicts, [
        { field: 'start', base: `${base.start}/${base.end}`, superoffice: `${so.start}/${so.end}`, outlook: `${outlook.start}/${outlook.end}`, winner },
      ]);
    }
  });

  test('a move to all-day on one side takes its dates along', () => {
    const allDay = { ...base, allDay: true, start: '2026-12-03', end: '2026-12-04' };
    const r = mergeFields(base, base, allDay, 'superoffice');
    assert.deepEqual([r.merged.start, r.merged.end, r.merged.allDay], ['2026-12-03', '2026-12-04', true]);
    assert.deepEqual([r.writeSuperOffice, r.writeOutlook, r.conflicts], [true, false, []]);
  });

  test('no base (an adopted or re-bound item): differing fields take the winner, recorded as no conflict', () => {
    const so = { ...base, ...later, subject: 'CRM title' };
    const outlook = { ...base, subject: 'Outlook title', body: 'Outlook agenda' };
    const r = mergeFields(null, so, outlook, 'superoffice');
    assert.deepEqual(r.merged, { ...so });
    assert.deepEqual([r.writeSuperOffice, r.writeOutlook, r.conflicts], [false, true, []]);
    const o = mergeFields(null, so, outlook, 'outlook');
    assert.deepEqual(o.merged, outlook);
    assert.deepEqual([o.writeSuperOffice, o.writeOutlook, o.conflicts], [true, false, []]);
    assert.deepEqual(mergeFields(null, base, base, 'outlook'), { merged: base, writeSuperOffice: false, writeOutlook: false, conflicts: [] });
  });

  test('a title SuperOffice had to cut is not a change: the full Outlook title stays, nothing is written', () => {
    const long = { ...base, subject: 'x'.repeat(300) };
    const r = mergeFields(long, { ...long, subject: 'x'.repeat(240) }, long, 'superoffice');
    assert.deepEqual([r.merged.subject.length, r.writeSuperOffice, r.writeOutlook, r.conflicts], [300, false, false, []]);
    const first = mergeFields(null, { ...long, subject: 'x'.repeat(240) }, long, 'superoffice');
    assert.deepEqual([first.merged.subject.length, first.writeSuperOffice, first.writeOutlook], [300, false, false]);
  });

  test('tentative set in Outlook is kept: SuperOffice stores it as busy, which is not a change', () => {
    const tentative = { ...base, showAs: 'tentative' };
    const r = mergeFields(base, base, tentative, 'superoffice');
    assert.deepEqual([r.merged.showAs, r.writeSuperOffice, r.writeOutlook], ['tentative', false, false], 'SuperOffice already holds it (as busy)');
    const next = mergeFields(r.merged, base, tentative, 'superoffice');
    assert.deepEqual([next.merged.showAs, next.writeSuperOffice, next.writeOutlook, next.conflicts], ['tentative', false, false, []]);
    const free = mergeFields(r.merged, { ...base, showAs: 'free' }, tentative, 'outlook');
    assert.deepEqual([free.merged.showAs, free.writeOutlook], ['free', true], 'a real change in SuperOffice still goes through');
  });
});
