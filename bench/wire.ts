/**
 * The wire (issue 14 targets): GET /api/v1/links with 10,000 linked users (10 items in sync each)
 * over real loopback HTTP against a server in its own process (bench/wire-server.ts), so the
 * client's decompression costs the server nothing. Before: the whole list in one identity reply,
 * as the backend answered it until paging and compression. After: every page (`nextCursor`) with
 * Accept-Encoding identity, gzip and br. Figures: bytes on the wire, the client's time for the
 * whole list, the server's time per request, and the server's longest event-loop block.
 * Targets: bytes ≤ 25 % of 3.96 MiB (the reply before), longest block ≤ 30 ms.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { makeHarness } from '../test/helpers/harness.js';
import { stopProcess } from '../test/helpers/process.js';
import { rawGet } from '../test/helpers/raw-get.js';
import { fileStore, newLinks, seedHistoryBulk } from './fixture.js';
import { bytes, ms, ratio, summarize } from './stats.js';

const LINKS = 10_000;
const RUNS = 5;
const TARGET_BYTES = 0.25 * 3.96 * 1024 * 1024;
const TARGET_BLOCK_MS = 30;
const SERVER = fileURLToPath(new URL('./wire-server.js', import.meta.url));

interface Server {
  base: string;
  stats(): Promise<{ maxBlockMs: number; requests: number[]; cpu: number[] }>;
  close(): Promise<void>;
}

async function startServer(file: string, mode: 'before' | 'after'): Promise<Server> {
  const child = spawn(process.execPath, [SERVER, file, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exit = once(child, 'exit');
  const [first] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  const base = `http://127.0.0.1:${(JSON.parse(first) as { port: number }).port}`;
  return {
    base,
    stats: async () => JSON.parse((await rawGet(`${base}/__bench/stats`)).body.toString('utf8')),
    close: () => stopProcess(child, exit, 5000),
  };
}

interface Run {
  wireBytes: number;
  pages: number;
  clientMs: number;
  serverMs: number[];
  cpuMs: number[];
  maxBlockMs: number;
}

/** The whole list, page by page until nextCursor is null (one page before), as the panel reads it. */
async function readList(server: Server, token: string, encoding: string | null, limit?: number): Promise<Run> {
  await server.stats(); // start the server's figures over
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...(encoding ? { 'accept-encoding': encoding } : {}) };
  let wireBytes = 0;
  let pages = 0;
  let links = 0;
  let cursor: string | null = null;
  const started = performance.now();
  do {
    const query = new URLSearchParams({ ...(limit ? { limit: String(limit) } : {}), ...(cursor ? { cursor } : {}) }).toString();
    const reply = await rawGet(`${server.base}/api/v1/links${query ? `?${query}` : ''}`, headers);
    if (reply.status !== 200) throw new Error(`wire: GET /api/v1/links answered ${reply.status}`);
    const sent = reply.headers['content-encoding'];
    if (sent !== (encoding ?? undefined)) throw new Error(`wire: asked for ${encoding ?? 'identity'}, got ${sent ?? 'identity'}`);
    wireBytes += reply.body.length;
    pages += 1;
    // Decoded here only to follow the cursor and count; the server's figures do not include it.
    const text = (sent === 'br' ? brotliDecompressSync(reply.body) : sent === 'gzip' ? gunzipSync(reply.body) : reply.body).toString('utf8');
    const page = JSON.parse(text) as { links: unknown[]; nextCursor?: string | null };
    links += page.links.length;
    cursor = page.nextCursor ?? null;
  } while (cursor);
  const clientMs = performance.now() - started;
  if (links !== LINKS) throw new Error(`wire: listed ${links} links, expected ${LINKS}`);
  const stats = await server.stats();
  return { wireBytes, pages, clientMs, serverMs: stats.requests, cpuMs: stats.cpu, maxBlockMs: stats.maxBlockMs };
}

async function measure(server: Server, token: string, encoding: string | null, limit?: number): Promise<Run[]> {
  await readList(server, token, encoding, limit); // warm-up: JIT, SQLite cache
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await readList(server, token, encoding, limit));
  return runs;
}

function line(label: string, runs: Run[]): string {
  const wire = runs[0]!.wireBytes;
  const client = summarize(runs.map((r) => r.clientMs));
  const server = summarize(runs.flatMap((r) => r.serverMs));
  const perList = summarize(runs.map((r) => r.serverMs.reduce((a, b) => a + b, 0)));
  const block = summarize(runs.map((r) => r.maxBlockMs));
  const cpu = summarize(runs.flatMap((r) => r.cpuMs));
  return (
    `wire ${label.padEnd(30)} ${bytes(wire).padStart(10)} on the wire (ratio ${ratio(wire, TARGET_BYTES)} of the ≤ 25 % target), ${runs[0]!.pages} request(s); ` +
    `whole list ${ms(client.median)} ms median at the client; server ${ms(server.median)} ms median / ${ms(server.max)} ms max per request, ${ms(perList.median)} ms per list; ` +
    `longest event-loop block ${ms(block.max)} ms (median of runs ${ms(block.median)}; ratio ${ratio(block.max, TARGET_BLOCK_MS)} of ≤ ${TARGET_BLOCK_MS} ms); ` +
    `server CPU per request ${ms(cpu.median)} ms median / ${ms(cpu.max)} ms max (ratio ${ratio(cpu.max, TARGET_BLOCK_MS)})`
  );
}

export async function wireBench(dir: string): Promise<string[]> {
  const dbFile = join(dir, 'wire.db');
  const store = await fileStore(dir, 'wire.db');
  const h = await makeHarness({ store, realClock: true });
  const token = await h.token();
  const saved = await h.request('POST', '/api/v1/links', { token, body: { links: newLinks(LINKS) } });
  if (saved.status !== 201) throw new Error(`wire: seeding answered ${saved.status}`);
  await seedHistoryBulk(store, 'Cust12345', 10);
  await h.close();
  const out: string[] = [];
  for (const mode of ['before', 'after'] as const) {
    const server = await startServer(dbFile, mode);
    try {
      if (mode === 'before') out.push(line('before: one reply, identity', await measure(server, token, null)));
      else {
        out.push(line('after: pages of 500 (default), identity', await measure(server, token, null)));
        out.push(line('after: pages of 500 (default), gzip', await measure(server, token, 'gzip')));
        out.push(line('after: pages of 500 (default and most), br', await measure(server, token, 'br')));
        out.push(line('after: pages of 250, br', await measure(server, token, 'br', 250)));
      }
    } finally {
      await server.close();
    }
  }
  // The block is wall-clock time: other processes on the machine stretch it (2 cores shared).
  out.push(`wire: load average ${loadavg().map((n) => n.toFixed(1)).join(' ')} on ${cpus().length} cores during the run`);
  return out;
}
