/**
 * Issue-15 target: with notifications on, one change reaches the other side in median ≤ 5 s and
 * p95 ≤ 15 s in the demo setting (SYNC_INTERVAL_SECONDS 30, SYNC_POLL_SECONDS 1), against the
 * polling interval alone. The backend listens on loopback and is subscribed through the Graph
 * simulator (change notifications) and the SuperOffice simulator (webhooks); a worker in process
 * serves the mailboxes. Each of TRIGGER_BENCH_CHANGES changes (half made in Outlook, half in
 * SuperOffice, each in its own mailbox, at a random moment of the 30 s interval) is timed from
 * the edit until the other side shows it. Then the same with notifications dropped and the webhook
 * stopped: polling alone. Figures, never a failure on timing; it throws if a change never arrives
 * or arrives twice.
 *
 *   node dist/bench/triggers.js        (also part of npm run bench)
 */
import pino from 'pino';
import type { MicrosoftIntegration } from '../backend/integration.js';
import { reconcileSubscriptions } from '../backend/triggers/subscription.service.js';
import { reconcileWebhooks } from '../backend/triggers/webhook.service.js';
import { at, makeWorld, type World, type WorldUser } from '../test/backend/sync/diary/world.js';
import { ratio, summarize } from './stats.js';

const CHANGES = Number(process.env.TRIGGER_BENCH_CHANGES) > 0 ? Number(process.env.TRIGGER_BENCH_CHANGES) : 20;
const DEMO_INTERVAL_MS = 30_000;
const DEMO_POLL_MS = 1_000;
const TARGET = { medianMs: 5_000, p95Ms: 15_000 };
const silent = pino({ level: 'silent' });

async function arrival(what: string, probe: () => number, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (probe() === 0) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what} never arrived`);
    await new Promise((r) => setTimeout(r, 20));
  }
  if (probe() !== 1) throw new Error(`${what} arrived ${probe()} times`);
}

/** One change per user at a random moment of the interval; the time each took to reach the other side. */
async function round(w: World, users: WorldUser[], label: string): Promise<number[]> {
  const samples: number[] = [];
  await Promise.all(
    users.map(async (user, i) => {
      await new Promise((r) => setTimeout(r, Math.random() * DEMO_INTERVAL_MS));
      const title = `${label} ${i}`;
      const started = performance.now();
      if (i % 2 === 0) {
        w.outlook.create(user, { subject: title, start: { dateTime: at(2 + (i % 20), 9).slice(0, 19), timeZone: 'UTC' }, end: { dateTime: at(2 + (i % 20), 10).slice(0, 19), timeZone: 'UTC' } });
        await arrival(title, () => w.so.list(user).filter((a) => a.title === title).length, 3 * DEMO_INTERVAL_MS);
      } else {
        w.so.create(user, { title, start: at(2 + (i % 20), 11), end: at(2 + (i % 20), 12) });
        await arrival(title, () => w.outlook.events(user).filter((e) => e.subject === title).length, 3 * DEMO_INTERVAL_MS);
      }
      samples.push(performance.now() - started);
    }),
  );
  return samples;
}

export async function triggerBench(): Promise<string[]> {
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    console.log(`  ${line}`);
  };
  const w = await makeWorld({ users: CHANGES, intervalMs: DEMO_INTERVAL_MS });
  const server = await w.h.listen();
  w.h.config.triggers = { baseUrl: server.url };
  const subs = w.h.env.graph.control.subscriptions;
  const hooks = w.h.env.superoffice.control.webhooks();
  const worker = w.worker([...new Set(w.users.map((u) => u.rank))], { pollMs: DEMO_POLL_MS, batchSize: 8 });
  try {
    const deps = { store: w.h.store, baseUrl: server.url, now: () => new Date(), logger: silent };
    const s = await reconcileSubscriptions({ ...deps, integration: w.h.integration as MicrosoftIntegration });
    const h = await reconcileWebhooks({ ...deps, integration: w.h.integration });
    if (s.created !== CHANGES || h.registered !== 1) throw new Error(`subscribing failed: ${JSON.stringify({ s, h })}`);
    // Every mailbox through its first pass, so the round starts from a steady state.
    await new Promise((r) => setTimeout(r, 3000));

    const on = summarize(await round(w, w.users, 'Notified'));
    say(
      `notifications on: median ${(on.median / 1000).toFixed(2)} s, p95 ${(on.p95 / 1000).toFixed(2)} s, max ${(on.max / 1000).toFixed(2)} s (n=${on.n}; ` +
        `targets median ${TARGET.medianMs / 1000} s ratio ${ratio(on.median, TARGET.medianMs)}, p95 ${TARGET.p95Ms / 1000} s ratio ${ratio(on.p95, TARGET.p95Ms)})`,
    );

    subs.settings.dropNotifications = true;
    for (const hook of hooks.all()) hook.state = 'Stopped';
    const off = summarize(await round(w, w.users, 'Polled'));
    say(
      `polling alone (interval ${DEMO_INTERVAL_MS / 1000} s, poll ${DEMO_POLL_MS / 1000} s): median ${(off.median / 1000).toFixed(2)} s, p95 ${(off.p95 / 1000).toFixed(2)} s, max ${(off.max / 1000).toFixed(2)} s (n=${off.n}); ` +
        `notifications cut the median ${ratio(off.median, on.median)}× and the p95 ${ratio(off.p95, on.p95)}×`,
    );
    return lines;
  } finally {
    await worker.stop();
    await subs.settled();
    await hooks.settled();
    await server.close();
    await w.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log('Near-real-time triggers: one change to the other side, demo setting');
  triggerBench().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
