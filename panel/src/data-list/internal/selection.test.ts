import { deepEqual, equal, ok } from '../../test-support/assert.js';
import { moveTarget, orderedKeys, sameKeys, toggled, withRange } from './selection.js';

const rows = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));
const key = (r: { id: string }) => r.id;

describe('data-list selection arithmetic', () => {
  it('reports selected keys in the order of the rows, not of the clicks', () => {
    deepEqual(orderedKeys(rows, key, new Set(['d', 'a', 'x'])), ['a', 'd']);
    deepEqual(orderedKeys(rows, key, new Set()), []);
  });

  it('toggles a key in and out without touching the old set', () => {
    const before = new Set(['a']);
    deepEqual(toggled(before, 'b'), new Set(['a', 'b']));
    deepEqual(toggled(before, 'a'), new Set());
    deepEqual(before, new Set(['a']));
    ok(sameKeys(new Set(['a', 'b']), new Set(['b', 'a'])));
    ok(!sameKeys(new Set(['a']), new Set(['a', 'b'])));
  });

  it('selects a range either way round, replacing the selection or adding to it', () => {
    deepEqual(withRange(rows, key, 3, 1, null), new Set(['b', 'c', 'd']));
    deepEqual(withRange(rows, key, 0, 0, new Set(['e'])), new Set(['e', 'a']));
  });

  it('moves the focus with the arrows, Home, End and the page keys, never past the ends', () => {
    const page = () => 2;
    equal(moveTarget('ArrowDown', 1, 5, page), 2);
    equal(moveTarget('ArrowDown', 4, 5, page), 4);
    equal(moveTarget('ArrowUp', 0, 5, page), 0);
    equal(moveTarget('Home', 3, 5, page), 0);
    equal(moveTarget('End', 0, 5, page), 4);
    equal(moveTarget('PageDown', 1, 5, page), 3);
    equal(moveTarget('PageDown', 4, 5, page), 4);
    equal(moveTarget('PageUp', 1, 5, page), 0);
    equal(moveTarget('x', 1, 5, page), null);
    equal(moveTarget(' ', 1, 5, page), null);
  });
});
