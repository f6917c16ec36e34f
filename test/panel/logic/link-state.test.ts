import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LinkState } from '../../../panel/src/logic/link-state.js';
import { isDisabled, linkChange, newLinkKey as newKey } from '../../../panel/src/logic/linked-user-row.js';
import type { LinkedUser, NewLink } from '../../../panel/src/logic/types.js';

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

  test('states never mutate: an old state stays as it was', () => {
    const a = LinkState.from([saved(1)]);
    const b = a.add([added(2)]).setOptions('link-1', { diary: false, task: false, contact: true, rank: 1 });
    assert.equal(a.rows().length, 1);
    assert.equal(linkChange(a.rows()[0]!), 'saved');
    assert.notEqual(a, b);
  });
});
