import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serverFiles, serverImports } from './import-graph.js';

/*
 * One role per file, as in backend/links/: a router parses and delegates to a service, the service
 * decides and opens the transaction, a repository is the only place that writes SQL.
 */

/** Where queries may be built besides repositories: the schema tooling and the demo's seed data. */
const SQL_ALLOWED = [/\.repository\.js$/, /^backend\/db\//, /^backend\/demo\/seed\.js$/];
const QUERY = /\.(selectFrom|insertInto|updateTable|deleteFrom)\(/;

test('routers call services, never a repository', () => {
  const offending = serverImports()
    .filter((e) => e.from.endsWith('.router.js') && e.to.endsWith('.repository.js'))
    .map((e) => `${e.from} → ${e.to}`);
  assert.deepEqual(offending, [], `routers importing repositories:\n  ${offending.join('\n  ')}`);
});

test('only repositories write SQL', () => {
  const files = serverFiles().filter(({ file }) => file.startsWith('backend/'));
  assert.ok(files.length > 50, `the backend was not found (${files.length} files)`);
  const offending = files
    .filter(({ file, text }) => QUERY.test(text) && !SQL_ALLOWED.some((allowed) => allowed.test(file)))
    .map(({ file }) => file);
  assert.deepEqual(offending, [], `queries built outside repositories:\n  ${offending.join('\n  ')}`);
});
