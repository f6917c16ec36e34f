import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { migrateToLatest } from '../../../../backend/db/migrate.js';
import { openStore } from '../../../../backend/db/store.js';
import { parseTag } from '../../../../backend/sync/diary/fields.js';
import { makeIntegrationHarness, type IntegrationHarness } from '../../../helpers/integration.js';
import { linkDiaryUsers, startSyncProcess, waitFor, type LinkedUser, type SyncProcess } from '../../../helpers/sync-process.js';
import { day, taskTag } from './task-world.js';

const KILLER = fileURLToPath(new URL('../diary/kill-worker.js', import.meta.url));

/**
 * SIGKILL of a worker process right after To Do created a task or SuperOffice saved a checklist
 * item, before the pass commits it (../diary/kill-worker.ts), then a fresh worker: every item
 * once on both sides.
 */
describe('task sync: a worker killed between the external write and the commit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailbox-link-task-kill-'));
  const file = join(dir, 'sync.db');
  let h: IntegrationHarness;
  let users: LinkedUser[];
  const running = new Set<SyncProcess>();
  before(async () => {
    const store = openStore(`sqlite:${file}`);
    await migrateToLatest(store);
    h = await makeIntegrationHarness({ consentGranted: true, calendars: 'empty', store });
    users = await linkDiaryUsers(h, 2);
    // Task only.
    await h.store.db.updateTable('link').set({ sync_diary: h.store.dialect.bool(false), sync_task: h.store.dialect.bool(true) }).execute();
  });
  after(async () => {
    for (const p of running) p.child.kill('SIGKILL');
    await h?.closeAll();
    rmSync(dir, { recursive: true, force: true });
  });

  const tenantId = () => h.env.tenant.contextId;
  const appointments = () => h.env.superoffice.control.appointments;
  const todo = () => h.env.graph.control.todo;
  const rows = (u: LinkedUser) => appointments().list(tenantId()).filter((a) => a.associateId === u.associateId && a.type === 'inChecklist');
  const ours = (u: LinkedUser) => todo().listsOf(u.mailboxId).find((l) => l.displayName === 'SuperOffice');
  const tasks = (u: LinkedUser) => [...(ours(u)?.tasks.values() ?? [])];
  const start = (u: LinkedUser, script?: string, env: Record<string, string> = {}) => {
    const p = startSyncProcess(h, { databaseFile: file, dir, ranks: String(u.rank), script, env: { SYNC_INTERVAL_SECONDS: '3600', ...env } });
    running.add(p);
    return p;
  };
  const soCreate = (u: LinkedUser, title: string, d: number) => {
    appointments().advance(1000);
    appointments().create({ Associate: { AssociateId: u.associateId }, StartDate: `${day(d)}T08:00:00Z`, EndDate: `${day(d)}T08:00:00Z`, Type: 'inChecklist', Title: title }, { asAssociateId: u.associateId, contextId: tenantId() });
  };

  async function restartAndSync(u: LinkedUser, since: Date) {
    await h.store.db.updateTable('sync_mailbox').set({ next_due_at: h.store.dialect.time(new Date(Date.now() - 1000)) }).where('mailbox_id', '=', u.mailboxId).execute();
    const worker = start(u);
    try {
      await waitFor(
        'a pass after the restart',
        async () => {
          const m = await h.store.db.selectFrom('sync_mailbox').select(['last_success_at', 'state']).where('mailbox_id', '=', u.mailboxId).executeTakeFirstOrThrow();
          return m.last_success_at !== null && new Date(String(m.last_success_at)).getTime() >= since.getTime() && m.state === 'in_sync';
        },
        60_000,
        worker,
      );
    } finally {
      await worker.stop();
      running.delete(worker);
    }
  }

  function balanced(u: LinkedUser, titles: string[], label: string) {
    assert.deepEqual(rows(u).map((r) => r.title).sort(), [...titles].sort(), `${label}: SuperOffice`);
    assert.deepEqual(tasks(u).map((t) => t.title).sort(), [...titles].sort(), `${label}: To Do`);
    const tags = tasks(u).map((t) => parseTag(taskTag(t) ?? '', tenantId()));
    assert.equal(new Set(tags).size, tags.length, `${label}: every task has its own tag`);
    const ids = new Set(rows(u).map((r) => r.appointmentId));
    for (const id of tags) assert.ok(id !== null && ids.has(id), `${label}: tag ${id} names a checklist item of this user`);
  }

  for (const [index, killAt] of [
    [0, 'todo-create'],
    [1, 'superoffice-create'],
  ] as const) {
    test(`SIGKILL right after ${killAt === 'todo-create' ? 'To Do created a task' : 'SuperOffice saved a checklist item'}: after a restart, 0 duplicates`, async () => {
      const u = users[index]!;
      const titles = ['Call', 'Offer'].map((t) => `${killAt} ${t}`);
      titles.forEach((t, i) => soCreate(u, t, 2 + i));
      if (killAt === 'superoffice-create') {
        // A task born in To Do: our list first, then the task in it.
        await restartAndSync(u, new Date());
        todo().createTask(ours(u)!, { title: `${killAt} from To Do` });
        titles.push(`${killAt} from To Do`);
      }
      const killed = start(u, KILLER, { SYNC_TEST_CHILD: '1', KILL_AT: killAt, SYNC_LEASE_SECONDS: '2' });
      await h.store.db.updateTable('sync_mailbox').set({ next_due_at: h.store.dialect.time(new Date(Date.now() - 1000)) }).where('mailbox_id', '=', u.mailboxId).execute();
      const { signal } = await Promise.race([killed.exit, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not killed:\n${killed.output()}`)), 60_000))]);
      running.delete(killed);
      assert.equal(signal, 'SIGKILL', killed.output());
      await restartAndSync(u, new Date());
      balanced(u, titles, 'after the restart');
      await restartAndSync(u, new Date());
      balanced(u, titles, 'after another pass');
    });
  }
});
