import type { KindPass } from '../kind-pass.js';
import { saveCursor } from './item.repository.js';
import { createInOutlook, createInSuperOffice } from './pass-creates.js';
import { deleteOne, planDeletes, tripBreaker } from './pass-deletes.js';
import { findRebinds, prepareDiary, readBothSides } from './pass-read.js';
import { reconcileItem } from './pass-reconcile.js';
import { bothSides, iso, KIND, PassState, type PassCounts } from './pass-state.js';

/** Diary ⇄ the Outlook primary calendar (the steps are described in pass.ts). */
export const diaryKind: KindPass = {
  kind: KIND,
  label: 'Diary',
  enabled: (ctx) => ctx.diary,
  prepare: prepareDiary,
  run: ({ store, fence, ctx, connections, clock }) => runMailbox(new PassState(store, fence, ctx, connections, clock)),
};

/** One mailbox's pass, in the order of the comment above (deletes planned before anything is written). */
async function runMailbox(s: PassState): Promise<PassCounts | 'breaker'> {
  const reads = await readBothSides(s);
  const { cursor, soRows, soIds, watermark } = reads;
  const window = s.window;
  const { bindings, rebound, stale } = await findRebinds(s, reads);
  const plan = await planDeletes(s, reads, stale);
  if (await tripBreaker(s, plan, reads)) return 'breaker';
  await s.commitRebinds(bindings, rebound, plan.detach, plan.forget);

  // --- 3. Changes on items mapped on both sides.
  for (const item of [...s.items.values()]) {
    if (!bothSides(item) || plan.decided.has(item.id)) continue;
    await reconcileItem(s, item);
  }

  // --- 4. Deletes.
  for (const d of plan.planned) await deleteOne(s, d);

  // --- 5. Creates. Outlook-born first: recovering a crashed one binds its appointment, which
  // would otherwise look like a new SuperOffice-born appointment.
  await createInSuperOffice(s);
  await createInOutlook(s);

  if (s.failure) throw s.failure;
  // Something was left for the next pass: it starts from the same point, so the changes seen here are seen again.
  if (s.deferred) return s.counts;
  const seen = soRows.map((r) => iso(r.updatedAt)!).concat(watermark ?? []);
  await s.fence.write((tx) =>
    saveCursor(
      tx,
      s.tenantId,
      s.mailboxId,
      KIND,
      {
        deltaLink: reads.delta.deltaLink,
        windowStart: window.start,
        windowEnd: window.end,
        soWatermark: seen.length > 0 ? seen.reduce((a, b) => (a > b ? a : b)) : null,
        lastReconcileAt: soIds !== null ? s.now.toISOString() : iso(cursor?.last_reconcile_at),
      },
      s.now,
    ),
  );
  return s.counts;
}
