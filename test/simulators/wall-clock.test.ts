import assert from 'node:assert/strict';
import { test } from 'node:test';
import { offsetAt, utcToWall, wallToUtc } from '../../simulators/wall-clock.js';

const OSLO = 'Europe/Oslo';
const wall = (s: string) => Date.parse(`${s}Z`);
const utc = (ms: number) => new Date(ms).toISOString();

test('wall-clock times in Oslo around both DST changes of 2026 name the instants Outlook and .NET give them', () => {
  // Winter (UTC+1) and summer (UTC+2).
  assert.equal(utc(wallToUtc(wall('2026-01-15T09:00:00'), OSLO)), '2026-01-15T08:00:00.000Z');
  assert.equal(utc(wallToUtc(wall('2026-07-15T09:00:00'), OSLO)), '2026-07-15T07:00:00.000Z');
  // Either side of the spring change (02:00 → 03:00 on 29 March).
  assert.equal(utc(wallToUtc(wall('2026-03-29T01:30:00'), OSLO)), '2026-03-29T00:30:00.000Z');
  assert.equal(utc(wallToUtc(wall('2026-03-29T03:30:00'), OSLO)), '2026-03-29T01:30:00.000Z');
  // 02:30 does not exist that night: it moves forward by the gap, to 03:30 summer time.
  assert.equal(utc(wallToUtc(wall('2026-03-29T02:30:00'), OSLO)), '2026-03-29T01:30:00.000Z');
  // 02:30 happens twice on 25 October: read as standard time, the later one.
  assert.equal(utc(wallToUtc(wall('2026-10-25T02:30:00'), OSLO)), '2026-10-25T01:30:00.000Z');
});

test('instants read back as the wall clock they were made from, and offsets are whole zones', () => {
  for (const s of ['2026-01-15T09:00:00', '2026-03-29T01:59:59', '2026-03-29T03:00:00', '2026-07-15T23:30:00', '2026-10-25T03:00:00']) {
    assert.equal(utc(utcToWall(wallToUtc(wall(s), OSLO), OSLO)), `${s}.000Z`, s);
  }
  assert.equal(offsetAt(Date.parse('2026-01-15T12:00:00Z'), OSLO), 3_600_000);
  assert.equal(offsetAt(Date.parse('2026-07-15T12:00:00Z'), OSLO), 7_200_000);
  assert.equal(offsetAt(Date.parse('2026-07-15T12:00:00Z'), 'UTC'), 0);
});
