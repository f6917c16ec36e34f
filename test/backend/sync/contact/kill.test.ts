import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { migrateToLatest } from '../../../../backend/db/migrate.js';
import { openStore } from '../../../../backend/db/store.js';
import { CONTACT_TAG_PROPERTY_ID } from '../../../../backend/sync/contact/tags.js';
import { makeIntegrationHarness, type IntegrationHarness } from '../../../helpers/integration.js';
import { linkDiaryUsers, startSyncProcess, waitFor, type LinkedUser, type SyncProcess } from '../../../helpers/sync-process.js';

const KILLER = fileURLToPath(new URL('../diary/kill-worker.js', import.meta.url));

/**
 * SIGKILL of a worker process right after Graph created a contact in our folder (before the
 * pass could commit it), then a fresh worker on the same database: every person exactly once in
 * our folder (the intent's tag lookup finds the orphan), and a change made meanwhile present.
 */
describe('contact sync: a worker killed between a contact create and its commit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailbox-link-contact-kill-'));
  const file = join(dir, 'sync.db');
  let h: IntegrationHarness;
  let user: LinkedUser;
  const running = new Set<SyncProcess>();
  before(async () => {
    const store = openStore(`sqlite:${file}`);
    await migrateToLatest(store);
    h = await makeIntegrationHarness({ consentGranted: true, calendars: 'empty', store });
    [user] = await linkDiaryUsers(h, 1);
    // Contact on, Diary off (as the panel's Save would set them).
    await h.store.db
      .updateTable('link')
      .set({ sync_diary: h.store.dialect.bool(false), sync_contact: h.store.dialect.bool(true) })
      .where('mailbox_id', '=', user!.mailboxId)
      .execute();
  });
  after(async () => {
    for (const p of running) p.child.kill('SIGKILL');
    await h?.closeAll();
    rmSync(dir, { recursive: true, force: true });
  });

  const persons = () => h.env.superoffice.control.persons;
  const contacts = () => h.env.graph.control.contacts;
  const ours = () => {
    const f = contacts().listFolders(user.mailboxId).find((x) => x.displayName === 'SuperOffice');
    return f ? contacts().list(user.mailboxId, f.id) : [];
  };
  const start = (script?: string, env: Record<string, string> = {}) => {
    const p = startSyncProcess(h, { databaseFile: file, dir, ranks: String(user.rank), script, env: { SYNC_INTERVAL_SECONDS: '3600', ...env } });
    running.add(p);
    return p;
  };

  async function restartAndSync(since: Date) {
    await h.store.db.updateTable('sync_mailbox').set({ next_due_at: h.store.dialect.time(new Date(Date.now() - 1000)) }).where('mailbox_id', '=', user.mailboxId).execute();
    const worker = start();
    try {
      await waitFor(
        'a pass after the restart',
        async () => {
          const m = await h.store.db.selectFrom('sync_mailbox').select(['last_success_at', 'state']).where('mailbox_id', '=', user.mailboxId).executeTakeFirstOrThrow();
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

  test('SIGKILL right after Graph created a contact: after a restart, every person once, the change made meanwhile present', async () => {
    const made = ['Ada', 'Bjørn', 'Cecilie'].map((firstname) => {
      h.env.superoffice.control.appointments.advance(1000);
      return persons().create({ firstname, lastname: 'Hansen', associateId: user.associateId, emails: [`${firstname.toLowerCase()}@kunde.example`] });
    });
    const killed = start(KILLER, { SYNC_TEST_CHILD: '1', KILL_AT: 'graph-contact-create', SYNC_LEASE_SECONDS: '2' });
    const { signal } = await Promise.race([killed.exit, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not killed:\n${killed.output()}`)), 60_000))]);
    running.delete(killed);
    assert.equal(signal, 'SIGKILL', killed.output());
    assert.equal(ours().length, 1, 'the first contact was created in Outlook');
    h.env.superoffice.control.appointments.advance(1000);
    persons().edit(made[1]!.personId, { title: 'Purchasing manager' });
    await restartAndSync(new Date());
    const tags = ours().map((c) => Number(c.extended.find((p) => p.id === CONTACT_TAG_PROPERTY_ID)?.value));
    assert.deepEqual([...tags].sort(), made.map((p) => p.personId).sort(), 'each person exactly once');
    assert.equal(ours().find((c) => c.givenName === 'Bjørn')!.jobTitle, 'Purchasing manager');
    const items = await h.store.db.selectFrom('sync_item').select(['state']).where('mailbox_id', '=', user.mailboxId).where('kind', '=', 'contact').execute();
    assert.deepEqual(items.map((i) => i.state), ['active', 'active', 'active']);
    await restartAndSync(new Date());
    assert.equal(ours().length, 3, 'no late duplicate');
  });
});
