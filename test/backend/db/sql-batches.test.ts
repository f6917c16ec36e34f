import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { migrationScripts } from '../../../backend/db/ddl-script.js';
import { parseBatches, SqlScriptError, splitBatches } from '../../../backend/db/sql-batches.js';

// Runs as dist/test/backend/db/sql-batches.test.js: the repository is four levels up.
const dir = fileURLToPath(new URL('../../../../sql/mssql/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();

describe('GO batches of the committed SQL Server scripts', () => {
  test('every script is cut at each of its GO lines, and nowhere else', () => {
    assert.ok(files.length >= 5);
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      const lines = text.split('\n');
      const goLines = lines.flatMap((l, i) => (l === 'GO' ? [i + 1] : []));
      const batches = parseBatches(text);
      assert.equal(batches.length, goLines.length, `${file}: one batch before each GO`);
      for (const [i, batch] of batches.entries()) {
        assert.equal(batch.repeat, 1);
        assert.doesNotMatch(batch.text, /^\s*GO\s*$/im, `${file}: no GO line inside batch ${i + 1}`);
        // The batch starts on the line after the previous GO (after the header comments for the first).
        assert.equal(lines[batch.line - 1], batch.text.split('\n')[0], `${file}: batch ${i + 1} starts at line ${batch.line}`);
        assert.ok(batch.line < goLines[i]! && (i === 0 || batch.line > goLines[i - 1]!), `${file}: batch ${i + 1} lies between its GO lines`);
      }
    }
  });

  test('the batches are the statements the migrations compile to, one each', async () => {
    for (const script of await migrationScripts('mssql')) {
      const text = readFileSync(join(dir, script.file), 'utf8');
      const statements = splitBatches(text).map((b) => b.replace(/^--.*\n/gm, '').trim());
      // The trigger body has ";" inside; every batch ends with exactly one statement terminator.
      for (const s of statements) assert.ok(s.endsWith(';'), `${script.file}: ${s.slice(0, 80)}`);
      assert.equal(statements.join('\nGO\n\n') + '\nGO\n', text.slice(text.indexOf('\n\n') + 2), script.file);
    }
  });
});

describe('GO as sqlcmd reads it', () => {
  const texts = (script: string) => parseBatches(script).map((b) => [b.text, b.repeat]);

  test('GO alone on its line, in any case, with blanks and a trailing comment', () => {
    assert.deepEqual(texts('select 1\nGO\nselect 2\ngo\nselect 3\n  Go  \nselect 4\n\tgO\t-- done\nselect 5'), [
      ['select 1', 1],
      ['select 2', 1],
      ['select 3', 1],
      ['select 4', 1],
      ['select 5', 1],
    ]);
  });

  test('GO <count> runs the batch that many times', () => {
    assert.deepEqual(texts('insert into t values (1)\nGO 2\nselect 1\nGO 10 -- ten'), [
      ['insert into t values (1)', 2],
      ['select 1', 10],
    ]);
    assert.deepEqual(splitBatches('x\nGO 3'), ['x', 'x', 'x']);
  });

  test('a line that only begins with GO is text: GOTO, go_table, GO inside a statement', () => {
    assert.deepEqual(texts('GOTO done\nselect go_table from t\nselect 1 GO\ndone:\nGO'), [['GOTO done\nselect go_table from t\nselect 1 GO\ndone:', 1]]);
  });

  test('GO inside a quoted string, a block comment or a bracketed name is no separator', () => {
    const script = [
      "insert into t values ('a",
      'GO',
      "it''s still the string')",
      '/* a comment',
      'GO',
      '*/',
      'select [odd',
      'GO',
      'name], "quoted',
      'GO',
      'identifier"',
      'GO',
      "select 'done'",
    ].join('\n');
    const batches = parseBatches(script);
    assert.equal(batches.length, 2);
    assert.match(batches[0]!.text, /^insert into t values \('a\nGO\nit''s still/);
    assert.deepEqual([batches[1]!.text, batches[1]!.line], ["select 'done'", 13]);
  });

  test("a line comment and a bracketed name with a quote open nothing", () => {
    assert.deepEqual(texts("select 1 -- don't\nGO\nselect [it's] from t\nGO\nselect 2"), [
      ["select 1 -- don't", 1],
      ["select [it's] from t", 1],
      ['select 2', 1],
    ]);
  });

  test('empty batches and comment-only batches are not sent; CRLF lines are read as lines', () => {
    assert.deepEqual(texts('-- header\r\n\r\nGO\r\nGO\r\nselect 1\r\nGO\r\n/* only a comment */\r\nGO\r\n'), [['select 1', 1]]);
  });

  test('a GO line that is not GO [count], and text left open at the end, are refused with the line', () => {
    for (const [script, line] of [
      ['select 1\nGO;', 2],
      ['select 1\nGO 0', 2],
      ['select 1\nGO two', 2],
      ['select 1\nGO -1', 2],
      ["select 1\nGO\nselect 'open\nGO", 3],
      ['select 1\n/* open\nGO', 2],
    ] as const) {
      assert.throws(() => parseBatches(script), (err) => err instanceof SqlScriptError && err.message.startsWith(`line ${line}:`), script);
    }
  });
});
