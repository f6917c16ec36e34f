/**
 * A worker process for worker.process.test.ts: the product's `npm run sync` runner
 * (runWorkerProcess: arguments, settings, signals) with a pass that takes PASS_MS and journals its
 * start and end (JOURNAL file, one line each) so the test can see overlaps and passes in flight.
 * Runs only when SYNC_TEST_CHILD=1: `node --test` also loads this file.
 */
import { appendFileSync } from 'node:fs';
import { recordPassTimes } from '../../../backend/sync/lease.service.js';
import { runWorkerProcess } from '../../../backend/sync/worker-process.js';
import type { RunPass } from '../../../backend/sync/worker.js';

if (process.env.SYNC_TEST_CHILD === '1') {
  const journal = process.env.JOURNAL!;
  const passMs = Number(process.env.PASS_MS ?? 20);
  const at = () => (performance.timeOrigin + performance.now()).toFixed(3);
  const slow: RunPass = async (mailbox, fence) => {
    appendFileSync(journal, `start ${mailbox.mailboxId} ${fence.owner} ${fence.epoch} ${at()}\n`);
    // Rescheduled first (by default due again at once, while still held: only the lease keeps the other process out).
    await fence.write((tx) => recordPassTimes(tx, fence, Number(process.env.NEXT_MS ?? 0)));
    await new Promise((r) => setTimeout(r, passMs * (0.5 + Math.random())));
    appendFileSync(journal, `end ${mailbox.mailboxId} ${fence.owner} ${fence.epoch} ${at()}\n`);
  };
  await runWorkerProcess({ argv: process.argv.slice(2), runPass: () => slow });
}
