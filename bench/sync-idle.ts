/**
 * Issue-15 target: what an idle mailbox costs per pass with every kind on (Diary, Task and
 * Contact), against the limits 3 Graph delta requests and 2 SuperOffice requests per pass. The
 * diary sync's own test world (test/backend/sync/diary/world.ts: the SuperOffice, Entra ID and
 * Graph simulators over real HTTP), the product's mailbox pass with the kinds this build has
 * (backend/sync/kinds.ts), and the simulators' request counters (test/backend/sync/idle-cost.ts,
 * which the test idle-cost.test.ts asserts with). Two mailboxes: one with an item of each kind to
 * keep in sync (an appointment and an Outlook event, a checklist item, a person), one whose lists
 * are all empty. Each is synchronized first (two passes: the second takes in its own creates
 * coming back through the deltas), then passes with nothing changed are counted. Figures, never
 * a failure on cost; it throws (the bench exits 1) only if a pass goes wrong or writes anything.
 */
import { KIND_PASSES } from '../backend/sync/kinds.js';
import { makeWorld } from '../test/backend/sync/diary/world.js';
import { idlePass, seedIdleMailbox, settle, type IdlePassCost } from '../test/backend/sync/idle-cost.js';
import { ratio, summarize } from './stats.js';

const LIMITS = { graphDelta: 3, superoffice: 2 };
const IDLE_PASSES = 10;

export async function syncIdleBench(): Promise<string[]> {
  const w = await makeWorld({ users: 2 });
  try {
    const kinds = KIND_PASSES.map((k) => k.label);
    const missing = ['Diary', 'Task', 'Contact'].filter((k) => !kinds.includes(k));
    const lines = [
      `sync idle: kinds run ${kinds.join(', ')}${missing.length > 0 ? ` (this build has no ${missing.join(' or ')} pass: on, but nothing to run)` : ''}; ${IDLE_PASSES} idle passes of each mailbox, Diary, Task and Contact on`,
    ];
    for (const items of [true, false]) {
      const user = w.fresh();
      await seedIdleMailbox(w, user, items);
      await settle(w, user);
      const perPass: IdlePassCost[] = [];
      for (let i = 0; i < IDLE_PASSES; i++) perPass.push(await idlePass(w, user));
      const delta = summarize(perPass.map((p) => p.graphDeltas));
      const graph = summarize(perPass.map((p) => p.graphRequests));
      const so = summarize(perPass.map((p) => p.superofficeRequests));
      const routes = [...new Set(perPass.flatMap((p) => p.routes))].join(', ');
      const name = items ? 'one item of each kind' : 'every list empty';
      lines.push(
        `sync idle (${name}): Graph delta requests per pass ${delta.median} median / ${delta.max} max (limit ${LIMITS.graphDelta}, ratio ${ratio(delta.max, LIMITS.graphDelta)}); all Graph requests ${graph.median} median / ${graph.max} max (ratio ${ratio(graph.max, LIMITS.graphDelta)}); SuperOffice requests per pass ${so.median} median / ${so.max} max (limit ${LIMITS.superoffice}, ratio ${ratio(so.max, LIMITS.superoffice)})`,
        `sync idle (${name}): routes ${routes}`,
      );
    }
    return lines;
  } finally {
    await w.close();
  }
}
