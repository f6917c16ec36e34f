import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openStore, type Store } from '../../../backend/db/store.js';
import { claimMailboxes } from '../../../backend/sync/lease.service.js';
import { migratedFile } from '../../reliability/support.js';
import { linkUsers, sleep } from './support.js';

const SCRIPT = fileURLToPath(new URL('../../../scripts/sync.js', import.meta.url));
const SLOW = fileURLToPath(new URL('./slow-worker.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mailbox-link-sync-'));
const children = new Set<ChildProcess>();
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Worker {
  child: ChildProcess;
  output(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A worker process on `file`: scripts/sync.js, or (slow) the test child with a journalled pass. */
function spawnWorker(file: string, args: string[], env: Record<string, string> = {}, script = SCRIPT): Worker {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SYNC_|SUPEROFFICE_|ENTRA_)/.test(k)));
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...inherited, DATABASE_URL: `sqlite:${file}`, DEMO: 'false', LOG_LEVEL: 'info', SYNC_POLL_SECONDS: '0.05', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return { child, output: () => out, exit };
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const journal = (file: string) =>
  existsSync(file)
    ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => {
        const [event, mailbox, owner, epoch, at] = l.split(' ');
        return { event: event!, mailbox: mailbox!, owner: owner!, epoch: Number(epoch), at: Number(at) };
      })
    : [];

async function withStore<T>(file: string, work: (store: Store) => Promise<T>): Promise<T> {
  const store = openStore(`sqlite:${file}`);
  try {
    return await work(store);
  } finally {
    await store.destroy();
  }
}

async function linkedFile(name: string, users: number): Promise<string> {
  const file = join(dir, name);
  await migratedFile(file);
  await withStore(file, (store) => linkUsers(store, Array.from({ length: users }, (_, i) => ({ n: i + 1 }))));
  return file;
}

const rows = (file: string) => withStore(file, (store) => store.db.selectFrom('sync_mailbox').selectAll().orderBy('mailbox_id').execute());

describe('npm run sync: worker processes', () => {
  test('bad --ranks or SYNC_RANKS: one line and the usage, exit 2, nothing started', async () => {
    const file = join(dir, 'bad.db');
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--ranks', '0-3'], {}, /--ranks: Ranks go from 1 to 99/],
      [['--ranks', '5-2'], {}, /--ranks: The range "5-2" ends before it starts/],
      [['--ranks', '1-100'], {}, /--ranks: "1-100" is not a rank/],
      [['--ranks', 'all'], {}, /--ranks: "all" is not a rank/],
      [['--ranks', '1,,2'], {}, /--ranks: "" is not a rank/],
      [['--ranks'], {}, /--ranks/],
      [['--bogus'], {}, /bogus/],
      [[], { SYNC_RANKS: '7;8' }, /SYNC_RANKS: "7;8" is not a rank/],
      [['--ranks', '1-3'], { SYNC_LEASE_SECONDS: 'soon' }, /SYNC_LEASE_SECONDS/],
    ];
    for (const [args, env, message] of cases) {
      const w = spawnWorker(file, args, env);
      const { code } = await w.exit;
      const what = `${args.join(' ')} ${JSON.stringify(env)}: ${w.output()}`;
      assert.equal(code, 2, what);
      assert.match(w.output(), message, what);
      assert.match(w.output(), /^usage: npm run sync -- \[--ranks <ranks>\]/m, what);
      assert.ok(!/^\s+at /m.test(w.output()), `a stack trace: ${what}`);
    }
    assert.equal(existsSync(file), false, 'no database was opened');
  });

  test('npm run sync records passes; SIGTERM releases every lease and exits 0', async () => {
    const file = await linkedFile('script.db', 3);
    const w = spawnWorker(file, ['--ranks', '1-3,7'], { SYNC_INTERVAL_SECONDS: '3600' });
    await waitFor('three passes', async () => {
      const now = await rows(file);
      return now.length === 3 && now.every((r) => r.last_pass_at !== null);
    });
    await waitFor('the start-up line', () => /sync worker started/.test(w.output()));
    assert.match(w.output(), /"ranks":\[1,2,3,7\]/);
    w.child.kill('SIGTERM');
    assert.deepEqual(await w.exit, { code: 0, signal: null }, w.output());
    const after = await rows(file);
    assert.equal(after.length, 3);
    assert.ok(after.every((r) => r.lease_owner === null && r.lease_epoch === 1), JSON.stringify(after));
  });

  test('two processes on one SQLite file never hold one mailbox at once (counted), and both work', async (t) => {
    const file = await linkedFile('two.db', 4);
    const log = join(dir, 'two.journal');
    const env = { SYNC_TEST_CHILD: '1', JOURNAL: log, PASS_MS: '15', SYNC_LEASE_SECONDS: '5', SYNC_BATCH_SIZE: '2' };
    const workers = [spawnWorker(file, ['--ranks', '1'], env, SLOW), spawnWorker(file, ['--ranks', '1-5'], env, SLOW)];
    await waitFor('300 passes', () => journal(log).filter((e) => e.event === 'end').length >= 300, 60_000);
    for (const w of workers) w.child.kill('SIGTERM');
    for (const w of workers) assert.equal((await w.exit).code, 0, w.output());

    const events = journal(log);
    const byMailbox = new Map<string, typeof events>();
    for (const e of events) byMailbox.set(e.mailbox, [...(byMailbox.get(e.mailbox) ?? []), e]);
    let overlaps = 0;
    for (const list of byMailbox.values()) {
      const passes = list.filter((e) => e.event === 'start').map((s) => ({ s, e: list.find((x) => x.event === 'end' && x.epoch === s.epoch)! }));
      passes.sort((a, b) => a.s.at - b.s.at);
      for (let i = 1; i < passes.length; i++) if (passes[i]!.s.at < passes[i - 1]!.e.at) overlaps++;
      // Each claim of one mailbox has a new, higher epoch.
      assert.deepEqual(passes.map((p) => p.s.epoch), passes.map((_, i) => i + 1));
    }
    const owners = new Set(events.map((e) => e.owner));
    t.diagnostic(`${events.length / 2} passes over ${byMailbox.size} mailboxes by ${owners.size} processes, ${overlaps} overlaps`);
    assert.equal(overlaps, 0);
    assert.equal(owners.size, 2, 'both processes worked');
    assert.ok((await rows(file)).every((r) => r.lease_owner === null));
  });

  test('SIGTERM mid-pass: the pass finishes, its lease is released, exit 0', async () => {
    const file = await linkedFile('term.db', 1);
    const log = join(dir, 'term.journal');
    const w = spawnWorker(file, ['--ranks', '1'], { SYNC_TEST_CHILD: '1', JOURNAL: log, PASS_MS: '1500', NEXT_MS: '3600000', SYNC_LEASE_SECONDS: '1' }, SLOW);
    await waitFor('a pass in flight', () => journal(log).some((e) => e.event === 'start'));
    w.child.kill('SIGTERM');
    assert.deepEqual(await w.exit, { code: 0, signal: null }, w.output());
    assert.deepEqual(journal(log).map((e) => e.event), ['start', 'end'], 'the pass in flight finished (renewed past its 1 s lease)');
    const [r] = await rows(file);
    assert.equal(r!.lease_owner, null, 'released');
    assert.ok(r!.last_pass_at !== null, 'its fenced write landed');
  });

  test('SIGKILL mid-pass: another worker takes the mailbox over once the lease expires, with a higher epoch', async () => {
    const file = await linkedFile('kill.db', 1);
    const log = join(dir, 'kill.journal');
    const w = spawnWorker(file, ['--ranks', '1'], { SYNC_TEST_CHILD: '1', JOURNAL: log, PASS_MS: '60000', SYNC_LEASE_SECONDS: '1.5' }, SLOW);
    await waitFor('a pass in flight', () => journal(log).some((e) => e.event === 'start'));
    w.child.kill('SIGKILL');
    await w.exit;
    const [held] = await rows(file);
    assert.ok(held!.lease_owner !== null, 'the dead worker still holds it');
    await withStore(file, async (store) => {
      assert.deepEqual(await claimMailboxes(store, 'survivor', [1], 10, 60_000), [], 'not before the lease expires');
      await sleep(1700);
      const [taken] = await claimMailboxes(store, 'survivor', [1], 10, 60_000);
      assert.equal(taken?.epoch, held!.lease_epoch + 1);
    });
  });
});
