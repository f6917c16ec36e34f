import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LinkState } from '../../../panel/src/logic/link-state.js';
import { isDisabled, linkChange, newLinkKey as newKey } from '../../../panel/src/logic/linked-user-row.js';
import type { LinkedUser, NewLink } from '../../../panel/src/logic/types.js';
import { NO_KINDS } from '../../../panel/src/logic/sync-status.js';

function saved(n: number, extra: Partial<LinkedUser> = {}): LinkedUser {
  return {
    id: `link-${n}`,
    associateId: n,
    associateName: `A ${n}`,
    mailboxId: `mb-${n}`,
    mailboxAddress: `a${n}@x.example`,
    diary: true,
    task: true,
    contact: true,
    rank: 1,
    state: 'active',
    authorization: null,
    version: 3,
    createdBy: 1,
    createdAt: '',
    updatedBy: 1,
    updatedAt: '',
    historyCount: 7,
    sync: { state: 'in_sync', lastSuccessAt: '2026-11-25T08:00:00.000Z', nextDueAt: null, itemsInSync: 7, lastPass: { created: 1, updated: 0, deleted: 0, conflicts: 0 }, message: null, kinds: NO_KINDS },
    ...extra,
  };
}
const added = (n: number): NewLink => ({ associateId: n, associateName: `A ${n}`, mailboxId: `mb-${n}`, mailboxAddress: `a${n}@x.example`, diary: true, task: true, contact: true, rank: 1 });

describe('LinkState', () => {
  test('added links are unsaved until saved; the count and rows say so', () => {
    let s = LinkState.from([saved(1)]).add([added(2), added(3)]);
    assert.equal(s.unsavedCount, 2);
    assert.ok(s.hasUnsavedChanges);
    assert.deepEqual(s.rows().map(linkChange), ['saved', 'added', 'added']);
    assert.deepEqual(s.addedPayload().map((l) => l.associateId), [2, 3]);
    s = s.afterSaveAdded({ created: [saved(2, { historyCount: 0 }), saved(3, { historyCount: 0 })], unchanged: [] });
    assert.equal(s.unsavedCount, 0);
    assert.ok(!s.hasUnsavedChanges);
    assert.deepEqual(s.rows().map(linkChange), ['saved', 'saved', 'saved']);
  });

  test('editing a saved row marks it modified; editing it back clears that; all options off shows disabled once saved', () => {
    let s = LinkState.from([saved(1)]);
    s = s.setOptions('link-1', { diary: false, task: true, contact: true, rank: 5 });
    assert.equal(linkChange(s.rows()[0]!), 'modified');
    assert.equal(s.rows()[0]!.rank, 5);
    s = s.setOptions('link-1', { diary: true, task: true, contact: true, rank: 1 });
    assert.equal(linkChange(s.rows()[0]!), 'saved');
    assert.ok(!s.hasUnsavedChanges);
    s = s.setOptions('link-1', { diary: false, task: false, contact: false, rank: 1 });
    const [change] = s.optionsPayload(['link-1']);
    assert.deepEqual(change, { id: 'link-1', diary: false, task: false, contact: false, rank: 1, expectedVersion: 3 });
    s = s.afterSaveOptions({ updated: [saved(1, { diary: false, task: false, contact: false, version: 4, state: 'disabled' })], unchanged: [] });
    assert.equal(linkChange(s.rows()[0]!), 'saved');
    assert.ok(isDisabled(s.rows()[0]!));
    assert.equal(s.saved.get('link-1')!.historyCount, 7, 'history kept');
    assert.equal(s.optionsPayload(['link-1'])[0]!.expectedVersion, 4);
  });

  test('options of an unsaved row change in place; options payload skips unsaved rows', () => {
    let s = LinkState.from([]).add([added(9)]);
    s = s.setOptions(newKey(9), { diary: false, task: true, contact: false, rank: 12 });
    assert.deepEqual(s.addedPayload()[0], { ...added(9), diary: false, contact: false, rank: 12 });
    assert.deepEqual(s.optionsPayload([newKey(9)]), []);
  });

  test('existing() covers saved and unsaved, for the matcher', () => {
    const s = LinkState.from([saved(1)]).add([added(2)]);
    assert.deepEqual(s.existing().map((l) => l.associateId), [1, 2]);
  });

  test('removal and reload after a conflict keep unsaved additions that still fit', () => {
    let s = LinkState.from([saved(1), saved(2)]).add([added(3), added(4)]).setOptions('link-1', { diary: false, task: true, contact: true, rank: 2 });
    s = s.afterRemove(['link-2']);
    assert.deepEqual(s.rows().map((r) => r.key), ['link-1', newKey(3), newKey(4)]);
    // Someone else linked associate 4 meanwhile.
    s = s.reloaded([saved(1, { version: 9, rank: 40 }), saved(4, { id: 'link-x' })]);
    assert.deepEqual(s.rows().map((r) => `${r.key}:${linkChange(r)}`), ['link-1:saved', 'link-x:saved', `${newKey(3)}:added`]);
    assert.equal(s.rows()[0]!.rank, 40, "the other admin's change is shown; our stale edit is dropped");
  });

  test('Server Rank text stays as typed: a commit applies a valid rank, or keeps the text marked invalid until it is valid again', () => {
    let s = LinkState.from([saved(1, { rank: 3 })]);
    const field = () => s.rows()[0]!;
    s = s.typeRank('link-1', '0');
    assert.deepEqual(field().rankDraft, { text: '0', invalid: false }, 'no message while typing');
    assert.equal(field().rank, 3);
    s = s.commitRank('link-1', '0');
    assert.deepEqual(field().rankDraft, { text: '0', invalid: true });
    assert.equal(field().rank, 3, 'an invalid rank is not an option');
    assert.equal(linkChange(field()), 'modified');
    assert.ok(s.hasUnsavedChanges);
    assert.equal(s.editedCount, 1);
    // Back in the field: select all, type 7. The text is what was typed, and the message goes.
    s = s.typeRank('link-1', '');
    assert.deepEqual(field().rankDraft, { text: '', invalid: true }, 'still not a rank: the message stays');
    s = s.typeRank('link-1', '7');
    assert.deepEqual(field().rankDraft, { text: '7', invalid: false });
    assert.equal(field().rank, 3, 'applied on commit, not while typing');
    s = s.typeRank('link-1', '70').typeRank('link-1', '700');
    assert.deepEqual(field().rankDraft, { text: '700', invalid: false }, 'a message only appears on commit');
    s = s.typeRank('link-1', '7').commitRank('link-1', '7');
    assert.equal(field().rankDraft, null);
    assert.equal(field().rank, 7);
    assert.deepEqual(s.optionsPayload(['link-1']), [{ id: 'link-1', diary: true, task: true, contact: true, rank: 7, expectedVersion: 3 }]);
    // Typing the rank it has is no change at all.
    s = s.typeRank('link-1', '5').typeRank('link-1', '7');
    assert.equal(field().rankDraft, null);
    assert.equal(s.editedCount, 1);
    s = s.commitRank('link-1', '3');
    assert.equal(linkChange(field()), 'saved');
    assert.ok(!s.hasUnsavedChanges);
    for (const bad of ['100', '1.5', '-1', '', 'x']) assert.equal(s.commitRank('link-1', bad).rows()[0]!.rankDraft?.invalid, true, bad);
    assert.equal(s.typeRank('nope', '4'), s, 'no such row');
  });

  test('a row whose Server Rank field holds no valid rank is named by invalidRanks, saved or added', () => {
    let s = LinkState.from([saved(1), saved(2)]).add([added(9)]);
    s = s.setOptions('link-1', { diary: true, task: false, contact: true, rank: 1 }).commitRank('link-1', '0');
    assert.deepEqual(s.invalidRanks(['link-1', 'link-2']).map((r) => r.associateName), ['A 1']);
    assert.deepEqual(s.invalidRanks(['link-2']), [], 'only the rows being saved');
    // A text still being typed counts too: it is not what would be saved.
    s = s.typeRank(newKey(9), '100');
    assert.deepEqual(s.invalidRanks([newKey(9)]).map((r) => r.key), [newKey(9)]);
    assert.deepEqual(s.invalidRanks().map((r) => r.key), ['link-1', newKey(9)]);
    assert.deepEqual(s.typeRank(newKey(9), '12').invalidRanks([newKey(9)]), [], 'a valid rank being typed does not block');
    assert.deepEqual(s.commitRank('link-1', '4').invalidRanks().map((r) => r.key), [newKey(9)], 'fixed and committed: no longer blocks');
  });

  test('Server Rank text goes with its row: saved, removed, discarded; a reload keeps it only where the row did not change', () => {
    let s = LinkState.from([saved(1), saved(2)]).add([added(8), added(9)]);
    s = s.commitRank('link-1', '0').commitRank('link-2', '0').commitRank(newKey(8), '0').commitRank(newKey(9), '0');
    const drafts = (x: LinkState) => [...x.rankDrafts.keys()];
    assert.deepEqual(drafts(s.afterSaveOptions({ updated: [saved(1, { version: 4 })], unchanged: [] })), ['link-2', newKey(8), newKey(9)]);
    assert.deepEqual(drafts(s.afterRemove(['link-2'])), ['link-1', newKey(8), newKey(9)]);
    assert.deepEqual(drafts(s.discardAdded([8])), ['link-1', 'link-2', newKey(9)]);
    assert.deepEqual(drafts(s.afterSaveAdded({ created: [saved(9)], unchanged: [] })), ['link-1', 'link-2', newKey(8)]);
    // Reload after a conflict: the server's options win; added links (and their text) that still fit stay.
    assert.deepEqual(drafts(s.reloaded([saved(1), saved(2), saved(8, { id: 'link-8' })])), [newKey(9)]);
    // A refresh (mode change): links another admin changed lose their text, the others keep it.
    assert.deepEqual(drafts(s.refreshed([saved(1), saved(2, { version: 4 })])), ['link-1', newKey(8), newKey(9)]);
  });

  test('Remove Selected Users splits the selected rows into saved links to delete and added ones to discard', () => {
    const s = LinkState.from([saved(1), saved(2)]).add([added(8), added(9)]);
    assert.deepEqual(s.removalOf(new Set(['link-2', newKey(9), 'gone'])), { ids: ['link-2'], discard: [9] });
    assert.deepEqual(s.removalOf(new Set([newKey(8)])), { ids: [], discard: [8] }, 'only unsaved: nothing to ask the API');
    assert.deepEqual(s.removalOf(new Set()), { ids: [], discard: [] });
  });

  test('keptKeys drops selected keys that are no longer rows: saved rows take new keys, removed ones go', () => {
    const s = LinkState.from([saved(1), saved(2)]).add([added(9)]);
    const selected = new Set(['link-1', 'link-2', newKey(9)]);
    assert.deepEqual([...s.keptKeys(selected)], ['link-1', 'link-2', newKey(9)]);
    assert.deepEqual([...s.afterRemove(['link-2']).keptKeys(selected)], ['link-1', newKey(9)]);
    assert.deepEqual([...s.afterSaveAdded({ created: [saved(9)], unchanged: [] }).keptKeys(selected)], ['link-1', 'link-2'], 'the saved link has its id as key now');
  });

  test('states never mutate: an old state stays as it was', () => {
    const a = LinkState.from([saved(1)]);
    const b = a.add([added(2)]).setOptions('link-1', { diary: false, task: false, contact: true, rank: 1 });
    assert.equal(a.rows().length, 1);
    assert.equal(linkChange(a.rows()[0]!), 'saved');
    assert.notEqual(a, b);
  });
});
