import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromCsv, neutralize, toCsv, unneutralize } from '../../../backend/http/csv.js';

test('cells that a spreadsheet would run as a formula are written as text, and read back unchanged', () => {
  for (const cell of ['=1+1', '+47 22 00', '-2', '@SUM(A1)', '\tx', '\rx']) {
    assert.equal(neutralize(cell), `'${cell}`);
    assert.equal(unneutralize(neutralize(cell)), cell);
  }
  // Already led by apostrophes: one more, so the cell still reads back as written.
  for (const cell of ["'=1+1", "''-2"]) {
    assert.equal(neutralize(cell), `'${cell}`);
    assert.equal(unneutralize(neutralize(cell)), cell);
  }
  for (const cell of ['Ada', "'quoted", "O'Brien", '', '1=1', "'1'"]) {
    assert.equal(neutralize(cell), cell);
    assert.equal(unneutralize(cell), cell);
  }
});

test('a CSV file starts with a BOM, quotes what needs quotes, and parses back to the same cells', () => {
  const text = toCsv(['name', 'n', 'on'], [['=cmd|calc', 7, true], ['a, "b"\nc', null, false]]);
  assert.ok(text.startsWith('\uFEFF'));
  const rows = fromCsv(text);
  assert.deepEqual(rows, [['name', 'n', 'on'], ["'=cmd|calc", '7', 'true'], ['a, "b"\nc', '', 'false']]);
  assert.equal(unneutralize(rows[1]![0]!), '=cmd|calc');
});

test('a row with a cell too many, or an open quote, is refused with where it is', () => {
  assert.throws(() => fromCsv('a,b\r\n1,2,3\r\n'), /line 2|record 2|Invalid Record Length/i);
  assert.throws(() => fromCsv('a,b\r\n"1,2\r\n'), /quote/i);
});
