import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pino } from 'pino';
import { readTime } from '../../../backend/db/dialect.js';
import type { Store } from '../../../backend/db/store.js';
import { removeLinks, saveLinkOptions } from '../../../backend/links/link.service.js';
import { findSyncMailbox } from '../../../backend/sync/lease.repository.js';
import {
  claimMailboxes,
  fencedWrite,
  LeaseLost,
  recordPassTimes,
  releaseMailboxLease,
  renewMailboxLease,
  type LeaseKey,
} from '../../../backend/sync/lease.service.js';
import { SyncWorker, type RunPass } from '../../../backend/sync/worker.js';
import { freshStore, testDialects } from '../../helpers/harness.js';
import { ACTOR, linkUsers, mailboxOf, sleep, TENANT } from './support.js';

const ALL = Array.from({ length: 99 }, (_, i) => i + 1);
const silent = pino({ level: 'silent' });

const keyOf = (owner: string, m: { tenantId: string; mailboxId: string; epoch: number }): LeaseKey => ({ tenantId: m.tenantId, mailboxId: m.mailboxId, owner, epoch: m.epoch });
const mailboxes = (claimed: { mailboxId: string }[]) => claimed.map((m) => m.mailboxId).sort();

async function row(store: Store, n: number) {
  return (await findSyncMailbox(store, TENANT, mailboxOf(n)))!;
}

for (const dialect of testDialects()) {
  describe(`mailbox leases (${dialect})`, () => {
    test('a claim takes only due mailboxes of the asked ranks, never a disabled or removed link’s, and each once', async () => {
      const store = await freshStore(dialect);
      const links = await linkUsers(store, [
        { n: 1, rank: 1 },
        { n: 2, rank: 1, diary: false, task: false },
        { n: 3, rank: 2 },
        { n: 4, rank: 3 },
        { n: 5, rank: 1, diary: false, task: false, contact: false },
        { n: 6, rank: 1 },
      ]);
      await removeLinks(store, ACTOR, [links.get(6)!.id], new Date());

      const first = await claimMailboxes(store, 'w1', [1, 2], 10, 60_000);
      assert.deepEqual(mailboxes(first), [mailboxOf(1), mailboxOf(2), mailboxOf(3)]);
      assert.ok(first.every((m) => m.epoch === 1 && m.state === 'pending'));
      assert.deepEqual(await claimMailboxes(store, 'w2', ALL, 10, 60_000).then(mailboxes), [mailboxOf(4)], 'held leases are not claimed again');
      assert.deepEqual(await claimMailboxes(store, 'w3', ALL, 10, 60_000), []);

      // Released after a pass that scheduled the next one a minute on: not due, so not claimed.
      const one = first.find((m) => m.mailboxId === mailboxOf(1))!;
      await fencedWrite(store, keyOf('w1', one), (tx) => recordPassTimes(tx, keyOf('w1', one), 60_000));
      assert.equal(await releaseMailboxLease(store, keyOf('w1', one)), true);
      const released = await row(store, 1);
      assert.equal(released.lease_owner, null);
      assert.ok(released.last_pass_at !== null);
      assert.deepEqual(await claimMailboxes(store, 'w3', ALL, 10, 60_000), []);

      // Re-enabling the disabled link makes it claimable at the next claim.
      await saveLinkOptions(store, ACTOR, [{ id: links.get(5)!.id, diary: true, task: false, contact: false, rank: 1, expectedVersion: 1 }], new Date());
      assert.deepEqual(await claimMailboxes(store, 'w3', [1], 10, 60_000).then(mailboxes), [mailboxOf(5)]);
      // The claim honours n.
      await linkUsers(store, [{ n: 10 }, { n: 11 }, { n: 12 }]);
      assert.equal((await claimMailboxes(store, 'w4', [1], 2, 60_000)).length, 2);
      await store.destroy();
    });

    test('a rank change takes effect at the next claim', async () => {
      const store = await freshStore(dialect);
      const links = await linkUsers(store, [{ n: 1, rank: 4 }]);
      assert.deepEqual(await claimMailboxes(store, 'w1', [1], 10, 60_000), []);
      await saveLinkOptions(store, ACTOR, [{ id: links.get(1)!.id, diary: true, task: true, contact: true, rank: 1, expectedVersion: 1 }], new Date());
      assert.deepEqual(await claimMailboxes(store, 'w1', [1], 10, 60_000).then(mailboxes), [mailboxOf(1)]);
      await store.destroy();
    });

    test('an expired lease is taken over with a higher epoch; the old owner’s writes, renewals and release change nothing', async () => {
      const store = await freshStore(dialect);
      await linkUsers(store, [{ n: 1 }]);
      const [old] = await claimMailboxes(store, 'old', ALL, 10, 300);
      const oldKey = keyOf('old', old!);
      assert.equal(await renewMailboxLease(store, oldKey, 300), true, 'the holder renews');
      assert.deepEqual(await claimMailboxes(store, 'new', ALL, 10, 60_000), [], 'not before it expires');
      await sleep(450);
      const [taken] = await claimMailboxes(store, 'new', ALL, 10, 60_000);
      assert.equal(taken!.epoch, old!.epoch + 1);

      const before = await row(store, 1);
      let ran = false;
      await assert.rejects(
        fencedWrite(store, oldKey, async (tx) => {
          ran = true;
          await recordPassTimes(tx, oldKey, 1000);
        }),
        (err: unknown) => err instanceof LeaseLost && err.lease.epoch === old!.epoch,
      );
      assert.equal(ran, false, 'the work never ran');
      assert.equal(await renewMailboxLease(store, oldKey, 60_000), false);
      assert.equal(await releaseMailboxLease(store, oldKey, { error: 'x', dueInMs: 1 }), false);
      assert.deepEqual(await row(store, 1), before, 'the row is as the new owner left it');

      // The new owner writes; a write that fails inside the fence rolls back whole.
      const newKey = keyOf('new', taken!);
      await fencedWrite(store, newKey, (tx) => recordPassTimes(tx, newKey, 1000));
      const passed = await row(store, 1);
      assert.ok(passed.last_pass_at !== null);
      await assert.rejects(
        fencedWrite(store, newKey, async (tx) => {
          await recordPassTimes(tx, newKey, 99_000);
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.deepEqual(await row(store, 1), passed);
      assert.equal(await releaseMailboxLease(store, newKey), true);
      assert.equal((await row(store, 1)).lease_owner, null);
      await store.destroy();
    });

    test('two workers on the same ranks never hold one mailbox at once (counted over many passes)', async (t) => {
      const store = await freshStore(dialect);
      await linkUsers(store, Array.from({ length: 6 }, (_, i) => ({ n: i + 1, rank: 1 + (i % 2) })));
      const holders = new Map<string, number>();
      let most = 0;
      const passes = new Map<string, number>();
      const pass: RunPass = async (mailbox, fence) => {
        const now = (holders.get(mailbox.mailboxId) ?? 0) + 1;
        holders.set(mailbox.mailboxId, now);
        most = Math.max(most, now);
        passes.set(fence.owner, (passes.get(fence.owner) ?? 0) + 1);
        // Due again at once, while still held: only the lease keeps the other worker out.
        await fence.write((tx) => recordPassTimes(tx, fence, 0));
        await sleep(Math.random() * 4);
        holders.set(mailbox.mailboxId, holders.get(mailbox.mailboxId)! - 1);
      };
      const make = (owner: string) =>
        new SyncWorker({ store, ranks: [1, 2], leaseMs: 2000, batchSize: 3, pollMs: 2, retryMs: 0, runPass: pass, logger: silent, owner });
      const workers = [make('a'), make('b')];
      workers.forEach((w) => w.start());
      await sleep(1500);
      await Promise.all(workers.map((w) => w.stop()));
      const total = [...passes.values()].reduce((a, b) => a + b, 0);
      t.diagnostic(`${total} passes, ${JSON.stringify([...passes])}`);
      assert.ok(total >= 50, `${total} passes`);
      assert.ok((passes.get('a') ?? 0) > 0 && (passes.get('b') ?? 0) > 0, `both worked: ${JSON.stringify([...passes])}`);
      assert.equal(most, 1, 'never two holders of one mailbox');
      const rows = await store.db.selectFrom('sync_mailbox').selectAll().execute();
      assert.ok(rows.every((r) => r.lease_owner === null), 'stop() released every lease');
      await store.destroy();
    });

    test('a pass longer than the lease keeps it by renewal; stop() lets it finish and releases it', async () => {
      const store = await freshStore(dialect);
      await linkUsers(store, [{ n: 1 }]);
      let finished = false;
      let aborted = false;
      const pass: RunPass = async (_m, fence) => {
        await sleep(900);
        aborted = fence.signal.aborted;
        await fence.write((tx) => recordPassTimes(tx, fence, 60_000));
        finished = true;
      };
      const worker = new SyncWorker({ store, ranks: ALL, leaseMs: 300, batchSize: 1, pollMs: 5, retryMs: 1000, runPass: pass, logger: silent });
      worker.start();
      await sleep(100);
      const during = await row(store, 1);
      assert.equal(during.lease_owner, worker.owner);
      await sleep(400);
      assert.deepEqual(await claimMailboxes(store, 'other', ALL, 10, 60_000), [], 'renewed: still held after the first lease ran out');
      await worker.stop();
      assert.equal(finished, true, 'the pass in flight finished');
      assert.equal(aborted, false);
      const after = await row(store, 1);
      assert.equal(after.lease_owner, null);
      assert.ok(after.last_pass_at !== null);
      assert.ok(new Date(readTime(after.next_due_at)).getTime() > Date.now() + 50_000, 'due as the pass scheduled it');
      await store.destroy();
    });

    test('a failed pass releases its mailbox with the error, due again after the retry delay', async () => {
      const store = await freshStore(dialect);
      await linkUsers(store, [{ n: 1 }]);
      const worker = new SyncWorker({
        store,
        ranks: ALL,
        leaseMs: 60_000,
        batchSize: 1,
        pollMs: 5,
        retryMs: 60_000,
        runPass: async () => {
          throw new Error('SuperOffice is down');
        },
        logger: silent,
      });
      worker.start();
      await sleep(150);
      await worker.stop();
      const failed = await row(store, 1);
      assert.deepEqual([failed.lease_owner, failed.state, failed.last_error, failed.lease_epoch], [null, 'error', 'SuperOffice is down', 1], 'one pass, not a hot loop');
      assert.ok(new Date(readTime(failed.next_due_at)).getTime() > Date.now() + 50_000);
      await store.destroy();
    });
  });
}
