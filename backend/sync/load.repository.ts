import type { Tx } from '../db/store.js';

/** How long hourly load rows are kept: the ranks view reads one day; a few more help reading a spike afterwards. */
export const LOAD_RETENTION_HOURS = 72;
const HOUR = 3_600_000;

/** The start of the UTC hour `at` falls in. */
export const hourOf = (at: Date) => new Date(Math.floor(at.getTime() / HOUR) * HOUR);

export interface PassLoad {
  requests: number;
  throttled: number;
  /** Items the pass wrote (created, updated, deleted). */
  items: number;
}

/**
 * Adds one pass's work to its mailbox's hour (update, else insert: both dialects, no merge
 * statement; one pass of a mailbox at a time, under its lease, so no two passes insert the same
 * hour). A new hour's first pass also prunes the tenant's rows older than the retention, so the
 * table stays at about a mailbox × 72 rows with no sweep of its own.
 */
export async function recordPassLoad(tx: Tx, tenantId: string, mailboxId: string, load: PassLoad, now: Date): Promise<void> {
  const hour = tx.dialect.time(hourOf(now));
  const updated = await tx.db
    .updateTable('sync_load')
    .set((eb) => ({
      passes: eb('passes', '+', 1),
      requests: eb('requests', '+', load.requests),
      throttled: eb('throttled', '+', load.throttled),
      items: eb('items', '+', load.items),
    }))
    .where('tenant_id', '=', tenantId)
    .where('mailbox_id', '=', mailboxId)
    .where('hour_start', '=', hour)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) > 0) return;
  await tx.db.insertInto('sync_load').values({ tenant_id: tenantId, mailbox_id: mailboxId, hour_start: hour, passes: 1, ...load }).execute();
  await tx.db
    .deleteFrom('sync_load')
    .where('tenant_id', '=', tenantId)
    .where('hour_start', '<', tx.dialect.time(new Date(hourOf(now).getTime() - LOAD_RETENTION_HOURS * HOUR)))
    .execute();
}
