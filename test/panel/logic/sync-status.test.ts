import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addedLinkRow, savedLinkRow } from '../../../panel/src/logic/linked-user-row.js';
import { filterByStatus, NO_KINDS, resumeOf, settledSince, statusCounts, syncAfterSave, syncNowOf } from '../../../panel/src/logic/sync-status.js';
import { isTimeZone, parseDays, syncSettingsDraft } from '../../../panel/src/logic/tenant-settings.js';
import type { LinkedUser, LinkSync } from '../../../panel/src/logic/types.js';

const DIARY_ON: LinkSync['kinds'] = { ...NO_KINDS, diary: { state: 'in_sync', itemsInSync: 4, lastSuccessAt: '2026-11-30T08:00:00.000Z', lastPass: { created: 4, updated: 0, deleted: 0, conflicts: 0 }, message: null } };
const DIARY_OFF: LinkSync['kinds'] = { ...DIARY_ON, diary: { ...DIARY_ON.diary, state: 'off' } };
const sync = (state: LinkSync['state'], extra: Partial<LinkSync> = {}): LinkSync => ({ state, lastSuccessAt: '2026-11-30T08:00:00.000Z', nextDueAt: null, itemsInSync: 4, lastPass: null, message: 'why', kinds: DIARY_ON, ...extra });

/** A saved link in sync state `state` (only the id, the options and the status matter here). */
function saved(n: number, state: LinkSync['state'], extra: Partial<LinkedUser> = {}): LinkedUser {
  const options = { diary: true, task: true, contact: true, rank: 1 };
  const meta = { state: 'active' as const, authorization: null, version: 1, createdBy: 1, createdAt: '', updatedBy: 1, updatedAt: '', historyCount: 4 };
  return { id: `link-${n}`, associateId: n, associateName: `A ${n}`, mailboxId: `mb-${n}`, mailboxAddress: `a${n}@x.example`, ...options, ...meta, sync: sync(state), ...extra };
}

describe('sync status in the panel', () => {
  test('after a save: a new link waits for its first pass; all options off disables it, one on again makes it wait; otherwise the server\'s status stays', () => {
    const on = { diary: true, task: false, contact: false, rank: 1 };
    const off = { diary: false, task: false, contact: false, rank: 1 };
    assert.deepEqual(syncAfterSave(undefined, on), { state: 'pending', lastSuccessAt: null, nextDueAt: null, itemsInSync: 0, lastPass: null, message: null, kinds: { ...NO_KINDS, diary: { ...NO_KINDS.diary, state: 'pending' } } });
    assert.deepEqual(syncAfterSave(sync('in_sync'), off), { ...sync('in_sync'), state: 'disabled', message: null, kinds: DIARY_OFF });
    assert.deepEqual(syncAfterSave(sync('disabled', { kinds: DIARY_OFF }), on), { ...sync('disabled'), state: 'pending', message: null, kinds: { ...DIARY_ON, diary: { ...DIARY_ON.diary, state: 'pending' } } });
    assert.deepEqual(syncAfterSave(sync('error'), on), sync('error'));
    assert.deepEqual(syncAfterSave(sync('disabled', { kinds: DIARY_OFF }), off), sync('disabled', { kinds: DIARY_OFF }));
  });

  test('after a save, per kind: a kind turned off shows off with its items in sync kept, one turned on waits for its pass, the others keep the server\'s word', () => {
    const failing = { ...DIARY_ON, task: { state: 'error' as const, itemsInSync: 2, lastSuccessAt: null, lastPass: null, message: 'Task: SuperOffice refused' } };
    const next = syncAfterSave(sync('error', { kinds: failing }), { diary: false, task: true, contact: true, rank: 1 }).kinds;
    assert.deepEqual(next.diary, { ...DIARY_ON.diary, state: 'off' });
    assert.equal(next.diary.itemsInSync, 4);
    assert.deepEqual(next.task, failing.task);
    assert.deepEqual(next.contact, { ...NO_KINDS.contact, state: 'pending' });
  });

  test('Sync now takes the selected saved users that are synchronized, and counts the rest by reason', () => {
    const rows = [
      savedLinkRow(saved(1, 'in_sync')),
      savedLinkRow(saved(2, 'disabled', { diary: false, task: false, contact: false, state: 'disabled' })),
      savedLinkRow(saved(3, 'waiting_authorization')),
      savedLinkRow(saved(4, 'breaker')),
      // Options turned off but not saved: the synchronizer still serves it.
      { ...savedLinkRow(saved(5, 'error')), diary: false, task: false, contact: false },
      addedLinkRow({ associateId: 6, associateName: 'A 6', mailboxId: 'mb-6', mailboxAddress: 'a6@x.example', diary: true, task: true, contact: true, rank: 1 }),
      savedLinkRow(saved(7, 'in_sync')),
    ];
    const keys = new Set(['link-1', 'link-2', 'link-3', 'link-4', 'link-5', 'new:6']);
    assert.deepEqual(syncNowOf(rows, keys), { ids: ['link-1', 'link-4', 'link-5'], unsaved: 1, disabled: 1, waiting: 1 });
    assert.deepEqual(syncNowOf(rows, new Set()), { ids: [], unsaved: 0, disabled: 0, waiting: 0 });
  });

  test('Resume takes only the selected users the breaker stopped', () => {
    const rows = [savedLinkRow(saved(1, 'breaker')), savedLinkRow(saved(2, 'in_sync')), savedLinkRow(saved(3, 'breaker')), savedLinkRow(saved(4, 'error'))];
    assert.deepEqual(resumeOf(rows, new Set(['link-1', 'link-2', 'link-4'])), ['link-1']);
    assert.deepEqual(resumeOf(rows, new Set(['link-2'])), []);
  });
});

describe('synchronization settings as typed', () => {
  test('the window, the winner and the time zone are checked as the API checks them', () => {
    const ok = { windowPastDays: '30', windowFutureDays: '120', conflictWinner: 'superoffice', timeZone: 'Europe/Oslo' };
    assert.deepEqual(syncSettingsDraft(ok), { ok: true, value: { windowPastDays: 30, windowFutureDays: 120, conflictWinner: 'superoffice', timeZone: 'Europe/Oslo' } });
    assert.deepEqual(syncSettingsDraft({ ...ok, windowPastDays: ' 0 ', windowFutureDays: '730', conflictWinner: 'outlook', timeZone: 'UTC' }), {
      ok: true,
      value: { windowPastDays: 0, windowFutureDays: 730, conflictWinner: 'outlook', timeZone: 'UTC' },
    });
    assert.deepEqual(syncSettingsDraft({ windowPastDays: '366', windowFutureDays: '0', conflictWinner: 'both', timeZone: 'Mars/Base' }), {
      ok: false,
      invalid: ['windowPastDays', 'windowFutureDays', 'conflictWinner', 'timeZone'],
    });
    for (const bad of ['-1', '1.5', '', 'x', '1e2']) assert.equal(parseDays(bad, 0, 365), null, bad);
    for (const zone of ['', ' Europe/Oslo', 'Europe/Oslo ', 'x'.repeat(65), 'Not/AZone']) assert.equal(isTimeZone(zone), false, zone);
    for (const zone of ['Europe/Oslo', 'America/Argentina/Buenos_Aires', 'Etc/GMT+1', 'UTC']) assert.equal(isTimeZone(zone), true, zone);
  });

  test('the Status filter: counts per state (added rows are "not saved"), and the rows of one state', () => {
    const added = addedLinkRow({ associateId: 9, associateName: 'A 9', mailboxId: 'mb-9', mailboxAddress: 'a9@x.example', diary: true, task: true, contact: true, rank: 1 });
    const rows = [savedLinkRow(saved(1, 'error')), savedLinkRow(saved(2, 'in_sync')), savedLinkRow(saved(3, 'error')), savedLinkRow(saved(4, 'breaker')), added];
    assert.deepEqual([...statusCounts(rows)], [['error', 2], ['in_sync', 1], ['breaker', 1], ['notSaved', 1]]);
    assert.deepEqual(filterByStatus(rows, 'error').map((r) => r.key), ['link-1', 'link-3']);
    assert.deepEqual(filterByStatus(rows, 'notSaved').map((r) => r.key), ['new:9']);
    assert.deepEqual(filterByStatus(rows, 'throttled'), []);
    assert.equal(filterByStatus(rows, 'all'), rows);
  });

  test('after Sync now, a link has settled once a pass changed its state, due time or message (not while syncing), or it is gone', () => {
    const asked = new Map([
      ['link-1', sync('error', { nextDueAt: '2026-11-30T09:00:00.000Z' })],
      ['link-2', sync('pending', { nextDueAt: '2026-11-30T09:00:00.000Z' })],
      ['link-3', sync('error', { nextDueAt: '2026-11-30T09:00:00.000Z' })],
      ['link-4', sync('pending')],
    ]);
    const now = [
      // Failed again: same state, but due later.
      saved(1, 'error', { sync: sync('error', { nextDueAt: '2026-11-30T09:00:30.000Z' }) }),
      saved(2, 'syncing', { sync: sync('syncing', { nextDueAt: '2026-11-30T09:00:00.000Z' }) }),
      saved(3, 'error', { sync: sync('error', { nextDueAt: '2026-11-30T09:00:00.000Z' }) }),
    ];
    assert.deepEqual([...settledSince(asked, now)], ['link-1', 'link-4']);
    now[1] = saved(2, 'in_sync', { sync: sync('in_sync', { nextDueAt: '2026-11-30T09:00:30.000Z' }) });
    assert.deepEqual([...settledSince(asked, now)], ['link-1', 'link-2', 'link-4']);
  });
});
