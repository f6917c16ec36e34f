import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serverImports } from './import-graph.js';

/*
 * The simulators stand in for SuperOffice, Entra ID and Graph in the demo and the tests; they are
 * not product code. Only the simulators themselves and the demo wiring may import them, and a
 * production start (main.js) must not load them: the demo wiring is imported dynamically, only
 * when the demo runs.
 */

/** Where the simulators live, relative to the repository. */
const SIMULATORS = 'simulators/';
/** Who may import the simulators: they themselves, and the demo wiring. Nothing else. */
const ALLOWED_IMPORTERS = [SIMULATORS, 'backend/demo/'];
/** The production entry point. */
const MAIN = 'backend/main.js';

const edges = serverImports();

test('only the demo wiring imports the simulators', () => {
  const offending = edges
    .filter((e) => e.to.startsWith(SIMULATORS) && !ALLOWED_IMPORTERS.some((allowed) => e.from.startsWith(allowed)))
    .map((e) => `${e.from} → ${e.to}${e.dynamic ? ' (dynamic)' : ''}`);
  assert.deepEqual(offending, [], `product code importing the simulators:\n  ${offending.join('\n  ')}`);
});

test('a production start loads no simulator code', () => {
  const next = new Map<string, string[]>();
  for (const e of edges) if (!e.dynamic) (next.get(e.from) ?? next.set(e.from, []).get(e.from)!).push(e.to);
  // Everything main.js loads before it reads its configuration: its static import closure.
  const loaded = new Map<string, string>([[MAIN, MAIN]]);
  const queue = [MAIN];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const to of next.get(file) ?? []) {
      if (loaded.has(to)) continue;
      loaded.set(to, `${loaded.get(file)} → ${to}`);
      queue.push(to);
    }
  }
  const simulators = [...loaded].filter(([file]) => file.startsWith(SIMULATORS)).map(([, path]) => path);
  assert.ok(loaded.size > 10, `main.js's imports were not found (${loaded.size} files)`);
  assert.deepEqual(simulators, [], `main.js loads simulator code at start-up:\n  ${simulators.join('\n  ')}`);
});
