import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cycles, folderOf, serverImports } from './import-graph.js';

/*
 * Wiring goes one way: routers → services → repositories and clients, all of them on the shared
 * request context and http/ helpers. A folder that imports a folder which imports it back (or a
 * router that imports another router for its helpers) is wiring in the wrong place.
 */

const staticEdges = serverImports().filter((e) => !e.dynamic);

test('no import cycle between the backend folders', () => {
  const byFolder = new Map<string, Map<string, string>>();
  for (const e of staticEdges) {
    const from = folderOf(e.from);
    const to = folderOf(e.to);
    if (from === null || to === null || from === to) continue;
    const targets = byFolder.get(from) ?? byFolder.set(from, new Map()).get(from)!;
    // One example file import per folder edge, to say where the cycle comes from.
    if (!targets.has(to)) targets.set(to, `${e.from} → ${e.to}`);
  }
  const nodes = new Set(byFolder.keys());
  assert.ok(nodes.size > 10, `the backend's imports were not found (${nodes.size} folders)`);
  const found = cycles(nodes, (n) => byFolder.get(n)?.keys() ?? []);
  const report = found.map((members) => {
    const inside = new Set(members);
    const via = members.flatMap((m) => [...(byFolder.get(m) ?? [])].filter(([to]) => inside.has(to)).map(([, example]) => `    ${example}`));
    return `  {${members.join(', ')}}\n${via.join('\n')}`;
  });
  assert.deepEqual(found, [], `import cycles between folders:\n${report.join('\n')}`);
});

test('no router imports another router', () => {
  const isRouter = (file: string) => file.endsWith('.router.js');
  const offending = staticEdges.filter((e) => isRouter(e.from) && isRouter(e.to)).map((e) => `${e.from} → ${e.to}`);
  assert.deepEqual(offending, [], `routers importing routers:\n  ${offending.join('\n  ')}`);
});
