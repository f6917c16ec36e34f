import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrateToLatest } from '../../../backend/db/migrate.js';
import { openStore } from '../../../backend/db/store.js';
import { makeIntegrationHarness, type IntegrationHarness } from '../../helpers/integration.js';
import { linkDiaryUsers, startSyncProcess, waitFor, type LinkedUser, type SyncProcess } from '../../helpers/sync-process.js';

/** The worker that dies as a chosen external write's answer arrives (KILL_AT, see kill-worker.ts). */
const KILLER = fileURLToPath(new URL('./diary/kill-worker.js', import.meta.url));

/**
 * What every kind's SIGKILL test stands on: the simulators, a SQLite file that worker processes
 * share, `users` linked users (Diary on; a test sets its kind's options), and worker processes
 * started on one user's rank and killed at the end whatever happened.
 */
export class KillRig {
  readonly dir: string;
  readonly file: string;
  h!: IntegrationHarness;
  users!: LinkedUser[];
  readonly #running = new Set<SyncProcess>();

  constructor(prefix: string) {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
    this.file = join(this.dir, 'sync.db');
  }

  async open(users: number): Promise<void> {
    const store = openStore(`sqlite:${this.file}`);
    await migrateToLatest(store);
    this.h = await makeIntegrationHarness({ consentGranted: true, calendars: 'empty', store });
    this.users = await linkDiaryUsers(this.h, users);
  }

  get tenantId(): string {
    return this.h.env.tenant.contextId;
  }

  /** A worker process on `u`'s rank (a normal one, or `script`), hourly polling unless `env` says otherwise. */
  start(u: LinkedUser, script?: string, env: Record<string, string> = {}): SyncProcess {
    const p = startSyncProcess(this.h, { databaseFile: this.file, dir: this.dir, ranks: String(u.rank), script, env: { SYNC_INTERVAL_SECONDS: '3600', ...env } });
    this.#running.add(p);
    return p;
  }

  /** `p` has ended (killed as planned): nothing to kill at close. */
  ended(p: SyncProcess): void {
    this.#running.delete(p);
  }

  /** A worker on `u`'s mailbox (due now) that dies at `point` (kill-worker.ts); resolves once it is dead by SIGKILL. */
  async killAt(u: LinkedUser, point: string): Promise<void> {
    await this.dueNow(u);
    const killed = this.start(u, KILLER, { SYNC_TEST_CHILD: '1', KILL_AT: point, SYNC_LEASE_SECONDS: '2' });
    const { signal } = await Promise.race([killed.exit, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not killed:\n${killed.output()}`)), 60_000))]);
    this.ended(killed);
    assert.equal(signal, 'SIGKILL', killed.output());
  }

  private async dueNow(u: LinkedUser): Promise<void> {
    const { store } = this.h;
    await store.db.updateTable('sync_mailbox').set({ next_due_at: store.dialect.time(new Date(Date.now() - 1000)) }).where('tenant_id', '=', this.tenantId).where('mailbox_id', '=', u.mailboxId).execute();
  }

  /** One pass of a normal worker after the crash: until `u`'s mailbox has synced after `since` (the dead worker's lease must expire first). */
  async restartAndSync(u: LinkedUser, since: Date): Promise<void> {
    await this.dueNow(u);
    const { store } = this.h;
    const worker = this.start(u);
    try {
      await waitFor(
        'a pass after the restart',
        async () => {
          const m = await store.db.selectFrom('sync_mailbox').select(['last_success_at', 'state']).where('tenant_id', '=', this.tenantId).where('mailbox_id', '=', u.mailboxId).executeTakeFirstOrThrow();
          return m.last_success_at !== null && new Date(String(m.last_success_at)).getTime() >= since.getTime() && m.state === 'in_sync';
        },
        60_000,
        worker,
      );
    } finally {
      await worker.stop();
      this.ended(worker);
    }
  }

  async close(): Promise<void> {
    for (const p of this.#running) p.child.kill('SIGKILL');
    await this.h?.closeAll();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
