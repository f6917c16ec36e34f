/**
 * The load run behind load.test.ts and `npm run bench` (bench/load.ts): 10,000 links with
 * 100,000 sync history rows in a file-backed SQLite database (WAL), the real server process
 * (`node backend/main.js`, request logs to a file) on 127.0.0.1, and autocannon driving
 * - GET /api/v1/links (its first page: 500 of the 10,000 links, about 250 KB),
 * - PATCH /api/v1/links, Save Users Options on 5 links per request, each request flipping the
 *   Server Rank of 5 other links with the version they have (so every request is valid and
 *   changes something),
 * - POST /api/v1/links/removal-preview for 100 links per request,
 * each alone for `seconds`, then all three at once. Every reply must be 2xx and say what it
 * should; afterwards the data must still be whole (integrity check, one audit row per change).
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { ADMIN } from '../helpers/harness.js';
import { openStore } from '../../backend/db/store.js';
import { call, count, listAllLinks, integrity, issueTokens, migratedFile, pair, seedHistoryBulk, startServer, TENANT } from './support.js';

export const LOAD_LINKS = 10_000;
export const LOAD_HISTORY_PER_LINK = 10;
const PATCH_BATCH = 5;
const PREVIEW_BATCH = 100;

export interface PhaseFigures {
  name: string;
  connections: number;
  seconds: number;
  requests: number;
  /** Completed requests per second. */
  rps: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** 2xx replies whose body was not what the request must produce. */
  wrong: number;
  bytesPerSecond: number;
}

export interface LoadReport {
  phases: PhaseFigures[];
  setupSeconds: number;
  /** Server resident memory (MiB) after set-up and after the last phase. */
  rssMiB: { before: number; after: number };
  /** Options changes the PATCH requests made, and the audit rows they wrote. */
  optionChanges: number;
  optionAuditRows: number;
  integrity: string[];
}

function rssMiB(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

interface Phase {
  name: string;
  connections: number;
  request: autocannon.Request;
}

function run(base: string, token: string, seconds: number, phase: Phase): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections: phase.connections,
        duration: seconds,
        timeout: 30,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        requests: [phase.request],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    instance.on('error', reject);
  });
}

function figures(name: string, connections: number, result: autocannon.Result, wrong: number): PhaseFigures {
  return {
    name,
    connections,
    seconds: result.duration,
    requests: result.requests.total,
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    wrong,
    bytesPerSecond: result.throughput.average,
  };
}

export async function runLoad(options: { seconds: number; log?: (line: string) => void }): Promise<LoadReport> {
  const log = options.log ?? (() => {});
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'mailbox-link-load-'));
  const file = join(dir, 'load.db');
  try {
    await migratedFile(file);
    const [token] = (await issueTokens(file, [ADMIN])) as [string];
    const server = await startServer(file, { logFile: join(dir, 'server.log') });
    try {
      const links = Array.from({ length: LOAD_LINKS }, (_, i) => pair(i + 1, i + 1));
      const saved = await call(server.base, 'POST', '/api/v1/links', token, { links });
      if (saved.status !== 201) throw new Error(`seeding the links answered ${saved.status}: ${saved.text.slice(0, 300)}`);
      {
        const store = openStore(`sqlite:${file}`);
        await seedHistoryBulk(store, TENANT, LOAD_HISTORY_PER_LINK);
        await store.destroy();
      }
      const ids: string[] = (await listAllLinks(server.base, token)).map((l: { id: string }) => l.id);
      if (ids.length !== LOAD_LINKS) throw new Error(`listed ${ids.length} links`);
      const setupSeconds = (performance.now() - started) / 1000;
      log(`set-up: ${LOAD_LINKS.toLocaleString('en')} links and ${(LOAD_LINKS * LOAD_HISTORY_PER_LINK).toLocaleString('en')} history rows in ${setupSeconds.toFixed(1)} s`);
      const rssBefore = rssMiB(server.child.pid);

      // Save Users Options: request k flips the rank of links [5k, 5k+5) (mod 10,000). The n-th
      // flip of a link expects version n (every flip changes it, so every flip bumps it). Read
      // again before each run: a request cut off when a run ends may or may not have landed.
      const flips = new Map<string, number>();
      const syncFlips = async () => {
        for (const l of (await listAllLinks(server.base, token)) as { id: string; version: number }[]) flips.set(l.id, l.version - 1);
      };
      let cursor = 0;
      let optionChanges = 0;
      const patchBody = () => {
        const changes = [];
        for (let i = 0; i < PATCH_BATCH; i++) {
          const id = ids[cursor++ % ids.length]!;
          const n = (flips.get(id) ?? 0) + 1;
          flips.set(id, n);
          changes.push({ id, diary: true, task: true, contact: true, rank: n % 2 === 1 ? 2 : 1, expectedVersion: n });
        }
        return JSON.stringify({ changes });
      };
      let previewCursor = 0;
      const previewBody = () => {
        const start = (previewCursor++ * PREVIEW_BATCH) % ids.length;
        return JSON.stringify({ ids: ids.slice(start, start + PREVIEW_BATCH) });
      };

      const wrong = { list: 0, patch: 0, preview: 0 };
      const phases = {
        list: {
          name: 'GET /links (a page of 500 of 10,000)',
          connections: 2,
          request: { method: 'GET', path: '/api/v1/links' },
        },
        patch: {
          name: `PATCH /links (${PATCH_BATCH} each)`,
          connections: 4,
          request: {
            method: 'PATCH',
            path: '/api/v1/links',
            setupRequest: (req: autocannon.Request) => ({ ...req, body: patchBody() }),
            onResponse: (status: number, body: string) => {
              if (status !== 200) return;
              const r = JSON.parse(body) as { updated: unknown[] };
              if (r.updated.length !== PATCH_BATCH) wrong.patch += 1;
              else optionChanges += PATCH_BATCH;
            },
          },
        },
        preview: {
          name: `POST /links/removal-preview (${PREVIEW_BATCH} each)`,
          connections: 4,
          request: {
            method: 'POST',
            path: '/api/v1/links/removal-preview',
            setupRequest: (req: autocannon.Request) => ({ ...req, body: previewBody() }),
            onResponse: (status: number, body: string) => {
              if (status !== 200) return;
              const r = JSON.parse(body) as { links: number; historyRows: number };
              if (r.links !== PREVIEW_BATCH || r.historyRows !== PREVIEW_BATCH * LOAD_HISTORY_PER_LINK) wrong.preview += 1;
            },
          },
        },
      } satisfies Record<string, Phase>;

      const out: PhaseFigures[] = [];
      for (const key of ['list', 'patch', 'preview'] as const) {
        const phase = phases[key];
        if (key === 'patch') await syncFlips();
        const result = await run(server.base, token, options.seconds, phase);
        const f = figures(phase.name, phase.connections, result, wrong[key]);
        out.push(f);
        log(line(f));
      }
      // All three at once.
      const before = { ...wrong };
      await syncFlips();
      const mixed = await Promise.all(
        (['list', 'patch', 'preview'] as const).map((key) => run(server.base, token, options.seconds, { ...phases[key], connections: key === 'list' ? 1 : 2 })),
      );
      (['list', 'patch', 'preview'] as const).forEach((key, i) => {
        const f = figures(`mixed: ${phases[key].name}`, key === 'list' ? 1 : 2, mixed[i]!, wrong[key] - before[key]);
        out.push(f);
        log(line(f));
      });
      const rssAfter = rssMiB(server.child.pid);

      // Whole afterwards: every change a 200 reported is there with its audit row.
      await server.stop();
      const store = openStore(`sqlite:${file}`);
      try {
        const versions = Number(
          (await store.db.selectFrom('link').select((eb) => eb.fn.sum<number>('version').as('v')).executeTakeFirstOrThrow()).v,
        );
        return {
          phases: out,
          setupSeconds,
          rssMiB: { before: rssBefore, after: rssAfter },
          optionChanges: versions - LOAD_LINKS,
          optionAuditRows: await count(store, 'audit_log', 'link.options_changed'),
          // A request cut off when a run ends may land without its reply being counted: at most one per connection.
          integrity: [
            ...(await integrity(store)),
            ...(optionChanges <= versions - LOAD_LINKS && versions - LOAD_LINKS - optionChanges <= 6 * PATCH_BATCH
              ? []
              : [`200 replies reported ${optionChanges} changes, the links show ${versions - LOAD_LINKS}`]),
          ],
        };
      } finally {
        await store.destroy();
      }
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fixed = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));

export function line(f: PhaseFigures): string {
  const failed = f.non2xx + f.errors + f.timeouts + f.wrong;
  return (
    `${f.name.padEnd(46)} ${fixed(f.rps).padStart(6)} req/s  p50 ${fixed(f.p50)} ms  p99 ${fixed(f.p99)} ms  max ${fixed(f.max)} ms  ` +
    `${f.requests} requests, ${f.connections} connections, ${f.seconds.toFixed(1)} s; errors ${failed} (${((100 * failed) / Math.max(1, f.requests)).toFixed(2)} %)`
  );
}
