import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { syncWindow, touchesWindow } from '../../../../backend/sync/diary/fields.js';
import type { DiaryFields } from '../../../../backend/sync/diary/ports.js';
import { OSLO } from './support.js';

const item = (over: Partial<DiaryFields>): DiaryFields => ({
  subject: 's', start: '', end: '', allDay: false, location: '', body: '', showAs: 'busy', private: false, ...over,
});

describe('syncWindow', () => {
  test('from midnight in Oslo pastDays ago to midnight after today plus futureDays, as UTC instants', () => {
    assert.deepEqual(syncWindow(new Date('2026-12-02T10:00:00Z'), 7, 30, OSLO), { start: '2026-11-24T23:00:00Z', end: '2027-01-01T23:00:00Z' });
  });

  test('just after midnight in Oslo it is already the next day (22:30 UTC in summer)', () => {
    assert.deepEqual(syncWindow(new Date('2026-06-30T22:30:00Z'), 0, 0, OSLO), { start: '2026-06-30T22:00:00Z', end: '2026-07-01T22:00:00Z' });
    assert.deepEqual(syncWindow(new Date('2026-06-30T21:59:59Z'), 0, 0, OSLO), { start: '2026-06-29T22:00:00Z', end: '2026-06-30T22:00:00Z' });
  });

  test('the edges follow the DST changes: a window across the spring change starts at CET and ends at CEST midnight', () => {
    assert.deepEqual(syncWindow(new Date('2026-03-29T12:00:00Z'), 1, 1, OSLO), { start: '2026-03-27T23:00:00Z', end: '2026-03-30T22:00:00Z' });
    assert.deepEqual(syncWindow(new Date('2026-10-25T12:00:00Z'), 1, 1, OSLO), { start: '2026-10-23T22:00:00Z', end: '2026-10-26T23:00:00Z' });
  });
});

describe('touchesWindow', () => {
  const w = syncWindow(new Date('2026-12-02T10:00:00Z'), 1, 1, OSLO); // 2026-11-30T23:00Z .. 2026-12-03T23:00Z

  test('timed items: overlap counts; ending at the start or starting at the end does not', () => {
    assert.equal(touchesWindow(item({ start: '2026-11-30T22:00:00Z', end: '2026-11-30T23:30:00Z' }), w, OSLO), true);
    assert.equal(touchesWindow(item({ start: '2026-11-30T22:00:00Z', end: '2026-11-30T23:00:00Z' }), w, OSLO), false);
    assert.equal(touchesWindow(item({ start: '2026-12-03T22:59:59Z', end: '2026-12-04T08:00:00Z' }), w, OSLO), true);
    assert.equal(touchesWindow(item({ start: '2026-12-03T23:00:00Z', end: '2026-12-04T08:00:00Z' }), w, OSLO), false);
    assert.equal(touchesWindow(item({ start: '2026-11-01T00:00:00Z', end: '2027-01-01T00:00:00Z' }), w, OSLO), true, 'spans the whole window');
  });

  test('an item of no length counts where it starts', () => {
    assert.equal(touchesWindow(item({ start: '2026-11-30T23:00:00Z', end: '2026-11-30T23:00:00Z' }), w, OSLO), true);
    assert.equal(touchesWindow(item({ start: '2026-12-03T23:00:00Z', end: '2026-12-03T23:00:00Z' }), w, OSLO), false);
  });

  test('all-day items are their days in Oslo', () => {
    assert.equal(touchesWindow(item({ allDay: true, start: '2026-11-30', end: '2026-12-01' }), w, OSLO), false, 'the day before the window');
    assert.equal(touchesWindow(item({ allDay: true, start: '2026-12-01', end: '2026-12-02' }), w, OSLO), true, 'the first day');
    assert.equal(touchesWindow(item({ allDay: true, start: '2026-12-03', end: '2026-12-04' }), w, OSLO), true, 'the last day');
    assert.equal(touchesWindow(item({ allDay: true, start: '2026-12-04', end: '2026-12-05' }), w, OSLO), false, 'the day after');
  });
});
