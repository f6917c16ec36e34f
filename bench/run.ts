/**
 * Performance report for the links API on file-backed SQLite (WAL, as in production).
 * Prints figures and their ratio to the targets; it never fails on timing. It exits 1 only if
 * something errors (a non-2xx reply, a wrong count).
 *
 *   npm run bench
 */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem, platform, release, arch } from 'node:os';
import { sql } from 'kysely';
import { allLinks, makeHarness, type Harness } from '../test/helpers/harness.js';
import { injectClient, loopbackClient, ok, type Client, type TimedReply } from './client.js';
import { fileStore, newLinks, scratchDir, seedHistoryBulk } from './fixture.js';
import { bytes, ms, ratio, summarize, table, type Summary } from './stats.js';
import { breakdown } from './breakdown.js';
import { integrationLoads } from './integration.js';
import { autoLinkBench } from './auto-link.js';
import { inviteBench } from './invites.js';
import { panelBench } from './panel.js';
import { loadBench } from './load.js';
import { syncBench } from './sync.js';
import { triggerBench } from './triggers.js';
import { syncIdleBench } from './sync-idle.js';
import { wireBench } from './wire.js';
import { healthBench } from './health.js';
import { linkCsvBench } from './link-csv.js';

const LINKS = 10_000;
const HISTORY_PER_LINK = 10;
const SAVE_RUNS = 5;
const LIST_RUNS = 20;
const LIST_LOOPBACK_RUNS = 10;
const OPTIONS_RUNS = 5;
const PREVIEW_RUNS = 10;
const REMOVAL_RUNS = 3;
const AUDIT_RUNS = 20;

interface Row {
  name: string;
  summary: Summary;
  target?: number;
}
const rows: Row[] = [];

function report(name: string, samples: number[], target?: number): Summary {
  const summary = summarize(samples);
  rows.push({ name, summary, target });
  const figures = `min ${ms(summary.min)}  median ${ms(summary.median)}  p95 ${ms(summary.p95)}  max ${ms(summary.max)} ms (n=${summary.n})`;
  console.log(`  ${name.padEnd(34)} ${figures}${target ? `  ratio ${ratio(summary.median, target)}` : ''}`);
  return summary;
}

function expect(what: string, actual: unknown, wanted: unknown): void {
  if (actual !== wanted) throw new Error(`${what}: expected ${String(wanted)}, got ${String(actual)}`);
}

interface Setup {
  h: Harness;
  token: string;
  inject: Client;
  close(): Promise<void>;
}

/** The test harness over a fresh, migrated, file-backed database, with an admin session. */
async function setup(dir: string): Promise<Setup> {
  const h = await makeHarness({ store: await fileStore(dir) });
  const token = await h.token();
  const inject = injectClient(h);
  return { h, token, inject, close: () => h.close() };
}

const saveBody = JSON.stringify({ links: newLinks(LINKS) });

async function saveAll(client: Client, token: string): Promise<TimedReply> {
  const reply = await client.send('POST', '/api/v1/links', token, saveBody);
  ok('POST /api/v1/links', reply);
  expect('links created', JSON.parse(reply.text).created.length, LINKS);
  return reply;
}

function machine(): void {
  const cpu = cpus();
  console.log('Mailbox link backend: performance report');
  console.log(`  node ${process.version} on ${platform()} ${release()} ${arch()}`);
  const mhz = cpu[0]?.speed ? ` at ${cpu[0].speed} MHz` : '';
  console.log(`  cpu  ${cpu[0]?.model ?? 'unknown'}, ${cpu.length} logical cores${mhz}`);
  console.log(`  mem  ${(totalmem() / 1024 ** 3).toFixed(1)} GiB`);
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = git('status', '--porcelain', '--', 'backend').length > 0;
    console.log(`  code ${git('log', '-1', '--format=%h %s')}${dirty ? ' (+ uncommitted changes in backend/)' : ''}`);
  } catch {
    // Not a git checkout: nothing to say.
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  machine();
  const { dir, cleanup } = scratchDir();
  try {
    {
      const probe = await fileStore(dir);
      const v = await sql<{ v: string; mode: string }>`select sqlite_version() as v, (select journal_mode from pragma_journal_mode) as mode`.execute(probe.db);
      console.log(`  db   SQLite ${v.rows[0]?.v} (journal_mode=${v.rows[0]?.mode}, synchronous=NORMAL) in ${dir}`);
      const idx = await sql<{ name: string; cols: string }>`select il.name, (select group_concat(name, ', ') from pragma_index_info(il.name)) as cols
        from pragma_index_list('sync_item') il order by il.name`.execute(probe.db);
      console.log(`       sync_item indexes: ${idx.rows.map((r) => `${r.name} (${r.cols})`).join('; ')}`);
      await probe.destroy();
    }
    console.log(`  data ${LINKS.toLocaleString('en')} links, ${(LINKS * HISTORY_PER_LINK).toLocaleString('en')} items in sync (sync_item rows); request body ${bytes(Buffer.byteLength(saveBody))}`);

    // ---- Target A: Save Added Users, 10,000 links, each run on a fresh database.
    console.log(`\nTarget A: save ${LINKS.toLocaleString('en')} added links in one request (POST /api/v1/links), fresh database each run`);
    {
      const warm = await setup(dir); // warm-up: JIT, module init
      await saveAll(warm.inject, warm.token);
      await warm.close();
    }
    const saveServer: number[] = [];
    const saveHttpServer: number[] = [];
    const saveLoopback: number[] = [];
    for (let i = 0; i < SAVE_RUNS; i++) {
      const s = await setup(dir);
      saveServer.push((await saveAll(s.inject, s.token)).ms);
      await s.close();
      const l = await setup(dir);
      const http = await loopbackClient(l.h);
      const r = await saveAll(http, l.token);
      saveLoopback.push(r.ms);
      saveHttpServer.push(r.serverMs!);
      await http.close();
      await l.close();
    }
    report('save 10k: server (inject)', saveServer, 1000);
    report('save 10k: server (http, in server)', saveHttpServer, 1000);
    report('save 10k: end to end (loopback)', saveLoopback, 1000);

    // ---- The database for everything else: 10,000 links with 100,000 history rows.
    const s = await setup(dir);
    await saveAll(s.inject, s.token);
    const history = await seedHistoryBulk(s.h.store, 'Cust12345', HISTORY_PER_LINK);
    expect('history rows', history, LINKS * HISTORY_PER_LINK);

    // ---- Target B: list.
    console.log(`\nTarget B: list ${LINKS.toLocaleString('en')} linked users with ${history.toLocaleString('en')} history rows (GET /api/v1/links)`);
    // One check through the harness itself: status and content.
    const listed: { id: string; version: number; diary: boolean; historyCount: number }[] = await allLinks(s.h, s.token);
    expect('links listed', listed.length, LINKS);
    expect('history counted', listed.reduce((n, l) => n + l.historyCount, 0), history);
    // The whole list as the panel reads it: page after page (nextCursor); times and bytes summed.
    const listOnce = async (c: Client) => {
      const whole = { ms: 0, serverMs: 0, bytes: 0 };
      let cursor: string | null = null;
      do {
        const r = await c.send('GET', `/api/v1/links${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`, s.token);
        ok('GET /api/v1/links', r);
        whole.ms += r.ms;
        whole.serverMs += r.serverMs ?? 0;
        whole.bytes += r.bytes;
        cursor = (JSON.parse(r.text) as { nextCursor: string | null }).nextCursor;
      } while (cursor);
      return whole;
    };
    for (let i = 0; i < 3; i++) await listOnce(s.inject);
    const listServer: number[] = [];
    let listBytes = 0;
    for (let i = 0; i < LIST_RUNS; i++) {
      const r = await listOnce(s.inject);
      listServer.push(r.ms);
      listBytes = r.bytes;
    }
    const http = await loopbackClient(s.h);
    for (let i = 0; i < 2; i++) await listOnce(http);
    const listLoopback: number[] = [];
    const listHttpServer: number[] = [];
    for (let i = 0; i < LIST_LOOPBACK_RUNS; i++) {
      const r = await listOnce(http);
      listLoopback.push(r.ms);
      listHttpServer.push(r.serverMs!);
    }
    await http.close();
    const listSummary = report('list 10k: server (inject)', listServer, 100);
    report('list 10k: server (http, in server)', listHttpServer, 100);
    report('list 10k: end to end (loopback)', listLoopback, 100);
    console.log(`  response size ${bytes(listBytes)} (${listBytes.toLocaleString('en')} bytes, ${(listBytes / LINKS).toFixed(0)} bytes per link)`);

    // ---- Save Users Options: every link changes (Diary flips), with the version it was loaded at.
    console.log(`\nSave Users Options for ${LINKS.toLocaleString('en')} links (PATCH /api/v1/links with expectedVersion)`);
    const versions = new Map(listed.map((l) => [l.id, l.version]));
    let diary = listed[0]!.diary;
    const patchOnce = async () => {
      diary = !diary;
      const body = JSON.stringify({
        changes: listed.map((l) => ({ id: l.id, diary, task: true, contact: true, rank: 2, expectedVersion: versions.get(l.id)! })),
      });
      const r = await s.inject.send('PATCH', '/api/v1/links', s.token, body);
      ok('PATCH /api/v1/links', r);
      expect('links updated', JSON.parse(r.text).updated.length, LINKS);
      for (const l of listed) versions.set(l.id, versions.get(l.id)! + 1);
      return r.ms;
    };
    await patchOnce();
    const patchServer: number[] = [];
    for (let i = 0; i < OPTIONS_RUNS; i++) patchServer.push(await patchOnce());
    report('save options 10k: server', patchServer);

    // ---- Removal preview.
    console.log(`\nRemoval preview of ${LINKS.toLocaleString('en')} links (POST /api/v1/links/removal-preview)`);
    const idsBody = JSON.stringify({ ids: listed.map((l) => l.id) });
    const previewOnce = async () => {
      const r = await s.inject.send('POST', '/api/v1/links/removal-preview', s.token, idsBody);
      ok('POST /api/v1/links/removal-preview', r);
      const p = JSON.parse(r.text);
      expect('preview links', p.links, LINKS);
      expect('preview history rows', p.historyRows, history);
      return r.ms;
    };
    await previewOnce();
    const previewServer: number[] = [];
    for (let i = 0; i < PREVIEW_RUNS; i++) previewServer.push(await previewOnce());
    report('removal preview 10k: server', previewServer);

    // ---- Audit page (the log now holds the creations and option changes above).
    const auditRows = Number(
      (await s.h.store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
    );
    console.log(`\nAudit page (GET /api/v1/audit?limit=100) over ${auditRows.toLocaleString('en')} audit rows`);
    const auditOnce = async () => {
      const r = await s.inject.send('GET', '/api/v1/audit?limit=100', s.token);
      ok('GET /api/v1/audit', r);
      expect('audit entries', JSON.parse(r.text).entries.length, 100);
      return r.ms;
    };
    for (let i = 0; i < 3; i++) await auditOnce();
    const auditServer: number[] = [];
    for (let i = 0; i < AUDIT_RUNS; i++) auditServer.push(await auditOnce());
    report('audit page 100: server', auditServer);

    // ---- Removal, links and history; re-seeded before every run after the first.
    console.log(`\nRemove ${LINKS.toLocaleString('en')} links with ${history.toLocaleString('en')} history rows (POST /api/v1/links/removal)`);
    const removalServer: number[] = [];
    for (let i = 0; i < REMOVAL_RUNS; i++) {
      let ids = idsBody;
      if (i > 0) {
        await saveAll(s.inject, s.token);
        expect('history rows', await seedHistoryBulk(s.h.store, 'Cust12345', HISTORY_PER_LINK), history);
        const ls = (await allLinks(s.h, s.token)) as { id: string }[];
        ids = JSON.stringify({ ids: ls.map((l) => l.id) });
      }
      const r = await s.inject.send('POST', '/api/v1/links/removal', s.token, ids);
      ok('POST /api/v1/links/removal', r);
      const removed = JSON.parse(r.text).removed;
      expect('links removed', removed.links, LINKS);
      expect('history rows removed', removed.historyRows, history);
      const left = await s.h.store.db.selectFrom('sync_item').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect('history rows left', Number(left.n), 0);
      removalServer.push(r.ms);
    }
    report('removal 10k + history: server', removalServer);
    await s.close();

    // ---- Where the time goes, outside HTTP.
    await breakdown(dir, saveBody);

    // ---- Loading from SuperOffice and Microsoft 365 (simulators over HTTP).
    console.log('\nLoads through the API from the SuperOffice and Graph simulators (10,000 associates, 50,000 users)');
    const loads = await integrationLoads();
    for (const line of loads) console.log(`  ${line}`);

    // ---- Under load: autocannon against the server process.
    console.log('\nUnder load: autocannon against the server process on 127.0.0.1 (10,000 links, 100,000 history rows)');
    const load = await loadBench();
    for (const line of load) console.log(`  ${line}`);

    // ---- Token Authentication Manager (issue 5 target): 500 invites through Graph sendMail.
    console.log('\nInvites (OAuth mode): 500 associates of the 10,000-associate tenant');
    const invites = await inviteBench();
    for (const line of invites) console.log(`  ${line}`);

    // ---- Auto Link Users matching (issue 4 target), in Node and in Chromium.
    console.log('\nAuto Link Users: 10,000 selected associates against 50,000 mailboxes with aliases');
    const autoLink = await autoLinkBench();
    for (const line of autoLink) console.log(`  ${line}`);

    // ---- The panel in Chromium (issue 4 targets).
    console.log('\nPanel in Chromium');
    const panel = await panelBench();
    for (const line of panel) console.log(`  ${line}`);

    // ---- The diary sync (issue 13 targets): the worker process against the simulators.
    console.log('\nDiary sync: 1,000 linked mailboxes, the worker process (npm run sync) against the simulators');
    const sync = await syncBench(dir);

    // ---- Near-real-time triggers (issue 15 targets): Graph change notifications and SuperOffice webhooks.
    console.log('\nNear-real-time triggers: one change to the other side, demo setting (interval 30 s, poll 1 s)');
    const triggers = await triggerBench();
    // ---- An idle mailbox with every kind on (issue 15 target): requests per pass.
    console.log('\nSync idle: idle mailboxes with Diary, Task and Contact on (one item of each kind; every list empty), the mailbox pass against the simulators');
    const idle = await syncIdleBench();
    for (const line of idle) console.log(`  ${line}`);

    // ---- The wire (issue 14 targets): bytes and event-loop blocks of GET /links, server in its own process.
    console.log('\nThe wire: GET /api/v1/links for 10,000 users over loopback HTTP, server in its own process');
    const wire = await wireBench(dir);
    for (const line of wire) console.log(`  ${line}`);

    // ---- The health report (issue 16 target): requests against one load of each, and wall time.
    console.log('\nHealth report: 10,000 associates / 50,000 mailboxes against the simulators');
    const health = await healthBench();
    for (const line of health) console.log(`  ${line}`);
    // ---- CSV import (issue 16 target): 10,000 rows previewed < 1 s, applied < 2 s, file-backed SQLite.
    console.log('\nCSV import: a 10,000-row file through POST /api/v1/links/import/preview and /apply (inject), file-backed SQLite');
    for (const line of await linkCsvBench(dir)) console.log(`  ${line}`);

    // ---- Summary.
    console.log('\nSummary, ms. server (inject): app.callback() in-process via light-my-request, as the test harness;');
    console.log('server (http, in server): node:http on 127.0.0.1, request arrival to last reply byte written;');
    console.log('end to end (loopback): fetch on the same machine, until the whole reply is read.');
    console.log(
      table(
        ['operation', 'n', 'min', 'median', 'p95', 'max', 'target', 'ratio'],
        rows.map((r) => [
          r.name,
          String(r.summary.n),
          ms(r.summary.min),
          ms(r.summary.median),
          ms(r.summary.p95),
          ms(r.summary.max),
          r.target ? `< ${r.target}` : '-',
          r.target ? ratio(r.summary.median, r.target) : '-',
        ]),
      ),
    );
    const find = (name: string) => rows.find((r) => r.name === name)!.summary;
    const a = find('save 10k: server (inject)');
    const aSrv = find('save 10k: server (http, in server)');
    const aE2e = find('save 10k: end to end (loopback)');
    const bSrv = find('list 10k: server (http, in server)');
    const bE2e = find('list 10k: end to end (loopback)');
    console.log('');
    console.log(`save 10,000 links: median ${ms(a.median)} ms (target < 1000 ms, ratio ${ratio(a.median, 1000)}); http server ${ms(aSrv.median)} ms (ratio ${ratio(aSrv.median, 1000)}); end to end ${ms(aE2e.median)} ms (ratio ${ratio(aE2e.median, 1000)})`);
    console.log(`list 10,000 linked users: median ${ms(listSummary.median)} ms (target < 100 ms, ratio ${ratio(listSummary.median, 100)}), p95 ${ms(listSummary.p95)} ms; http server ${ms(bSrv.median)} ms (ratio ${ratio(bSrv.median, 100)}); end to end ${ms(bE2e.median)} ms; reply ${bytes(listBytes)}`);
    for (const line of [...loads, ...load, ...invites, ...autoLink, ...panel, ...sync, ...triggers, ...idle, ...wire]) console.log(line);
    console.log(`\nTotal bench time ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    cleanup();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error('\nbench failed:', err instanceof Error ? err.stack ?? err.message : err);
    process.exit(1);
  },
);
