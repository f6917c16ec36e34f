/**
 * Issue-15 target: what an idle mailbox costs per pass with every kind on (Diary, Task and
 * Contact), against the limits 3 Graph delta requests and 2 SuperOffice requests per pass. The
 * diary sync's own test world (test/backend/sync/diary/world.ts: the SuperOffice, Entra ID and
 * Graph simulators over real HTTP, one linked mailbox), the product's mailbox pass with the kinds
 * this build has (backend/sync/kinds.ts), and the simulators' request counters. The mailbox is
 * synchronized first (a few appointments, one Outlook event; a second pass takes in its own
 * creates coming back through Graph's delta), then passes with nothing changed are counted.
 * Figures, never a failure on cost; it throws (the bench exits 1) only if a pass goes wrong.
 */
import { KIND_PASSES } from '../backend/sync/kinds.js';
import { at, makeWorld } from '../test/backend/sync/diary/world.js';
import { costOf } from '../test/backend/sync/diary/counting.js';
import { ratio, summarize } from './stats.js';

const LIMITS = { graphDelta: 3, superoffice: 2 };
const IDLE_PASSES = 10;

export async function syncIdleBench(): Promise<string[]> {
  const w = await makeWorld({ users: 1 });
  try {
    const user = w.fresh();
    await w.setOptions(user, { diary: true, task: true, contact: true });
    for (let i = 0; i < 3; i++) w.so.create(user, { title: `Idle bench ${i}`, start: at(1 + i, 9), end: at(1 + i, 10) });
    w.outlook.create(user, { subject: 'Idle bench (Outlook)', start: { dateTime: at(2, 14).slice(0, 19), timeZone: 'UTC' }, end: { dateTime: at(2, 15).slice(0, 19), timeZone: 'UTC' } });
    for (let i = 0; i < 2; i++) {
      const { mailbox } = await w.pass(user);
      if (mailbox.state !== 'in_sync') throw new Error(`sync-idle: the first passes ended ${mailbox.state}: ${mailbox.last_error}`);
    }
    const perPass: { delta: number; graph: number; graphAll: number; superoffice: number; routes: string[] }[] = [];
    for (let i = 0; i < IDLE_PASSES; i++) {
      w.resetCounts();
      const { mailbox } = await w.pass(user);
      if (mailbox.state !== 'in_sync') throw new Error(`sync-idle: an idle pass ended ${mailbox.state}: ${mailbox.last_error}`);
      const counts = w.counts();
      const cost = costOf(counts);
      if (cost.graphCreates + cost.graphOtherWrites + cost.superofficeCreates + cost.superofficeOtherWrites > 0) throw new Error(`sync-idle: an idle pass wrote something: ${JSON.stringify(cost)}`);
      const delta = Object.entries(counts.graph.byRoute).filter(([route]) => /\/delta$/i.test(route)).reduce((n, [, v]) => n + v, 0);
      const routes = [...Object.entries(counts.graph.byRoute), ...Object.entries(counts.superoffice.byRoute).filter(([r]) => /\/api\//i.test(r))].map(([r, v]) => `${r} ×${v}`);
      perPass.push({ delta, graph: cost.graphRequests, graphAll: counts.graph.total, superoffice: cost.superofficeRequests, routes });
    }
    const kinds = KIND_PASSES.map((k) => k.label);
    const missing = ['Diary', 'Task', 'Contact'].filter((k) => !kinds.includes(k));
    const delta = summarize(perPass.map((p) => p.delta));
    const so = summarize(perPass.map((p) => p.superoffice));
    const graph = summarize(perPass.map((p) => p.graph));
    const all = summarize(perPass.map((p) => p.graph + p.superoffice));
    const routes = [...new Set(perPass.flatMap((p) => p.routes))].join(', ');
    return [
      `sync idle: kinds run ${kinds.join(', ')}${missing.length > 0 ? ` (this build has no ${missing.join(' or ')} pass: on, but nothing to run)` : ''}; ${IDLE_PASSES} passes of one idle mailbox with Diary, Task and Contact on`,
      `sync idle: Graph delta requests per pass ${delta.median} median / ${delta.max} max (limit ${LIMITS.graphDelta}, ratio ${ratio(delta.max, LIMITS.graphDelta)}); SuperOffice requests per pass ${so.median} median / ${so.max} max (limit ${LIMITS.superoffice}, ratio ${ratio(so.max, LIMITS.superoffice)})`,
      `sync idle: total requests per pass ${all.median} median / ${all.max} max (Graph ${graph.median} median / ${graph.max} max, SuperOffice ${so.median} / ${so.max}); routes: ${routes}`,
    ];
  } finally {
    await w.close();
  }
}
