import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tagOf } from '../../../../backend/sync/diary/fields.js';
import { at, makeWorld, tagOn, type World } from './world.js';

const SCRIPT = fileURLToPath(new URL('../../../../scripts/sync.js', import.meta.url));

/** `npm run sync` as deployed: its own process, the database file and the simulators its only link to the test. */
describe('diary sync in a worker process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'diary-worker-'));
  let w: World;
  before(async () => {
    w = await makeWorld({ users: 2, databaseFile: join(dir, 'sync.db') });
  });
  after(async () => {
    await w.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('syncs the mailboxes of its ranks both ways and stops cleanly on SIGTERM', async () => {
    const [user, other] = w.users;
    const a = w.so.create(user!, { title: 'From the CRM', start: at(2, 9), end: at(2, 10) });
    w.outlook.create(user!, { subject: 'From Outlook', start: { dateTime: at(3, 9).slice(0, 19), timeZone: 'UTC' }, end: { dateTime: at(3, 10).slice(0, 19), timeZone: 'UTC' } });
    w.so.create(other!, { title: 'Another rank', start: at(2, 11), end: at(2, 12) });
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SYNC_|SUPEROFFICE_|ENTRA_|GRAPH_|DATABASE_)/.test(k)));
    const child = spawn(process.execPath, [SCRIPT, '--ranks', String(user!.rank)], {
      env: { ...inherited, ...w.workerEnv(), LOG_LEVEL: 'warn', SYNC_POLL_SECONDS: '0.05', SYNC_INTERVAL_SECONDS: '60' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 20_000;
      while ((await w.mailbox(user!).then((m) => m.state, () => 'pending')) !== 'in_sync') {
        if (Date.now() > deadline) throw new Error(`the worker did not sync: ${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exit, 0, out);
    const events = w.outlook.events(user!);
    assert.equal(events.length, 2);
    assert.ok(events.some((e) => tagOn(e) === tagOf(w.tenantId, a.appointmentId)));
    assert.deepEqual(w.so.list(user!).map((r) => r.title).sort(), ['From Outlook', 'From the CRM']);
    assert.equal(w.outlook.events(other!).length, 0, 'a rank it does not serve is left alone');
    const status = await w.mailbox(user!);
    assert.equal(status.last_created, 2);
    assert.equal(status.lease_owner, null, 'its lease released on the way out');
  });
});
