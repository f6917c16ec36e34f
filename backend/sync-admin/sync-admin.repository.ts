import type { SyncMailboxState } from '../db/database.js';
import { chunk, inChunks } from '../db/dialect.js';
import type { Tx } from '../db/store.js';

export interface SyncTarget {
  id: string;
  associate_id: number;
  associate_name: string;
  mailbox_id: string;
  mailbox_address: string;
  sync_diary: number | boolean;
  sync_task: number | boolean;
  sync_contact: number | boolean;
  /** The mailbox's sync row's state; null until it is enrolled. */
  state: SyncMailboxState | null;
  breaker_detail: string | null;
}

/** The tenant's links among `ids` with their mailbox's sync state (ids of other tenants are not found). */
export function findSyncTargets(tx: Tx, tenantId: string, ids: readonly string[]): Promise<SyncTarget[]> {
  return inChunks(tx, ids, (slice) =>
    tx.db
      .selectFrom('link as l')
      .leftJoin('sync_mailbox as m', (join) => join.onRef('m.tenant_id', '=', 'l.tenant_id').onRef('m.mailbox_id', '=', 'l.mailbox_id'))
      .select(['l.id', 'l.associate_id', 'l.associate_name', 'l.mailbox_id', 'l.mailbox_address', 'l.sync_diary', 'l.sync_task', 'l.sync_contact', 'm.state', 'm.breaker_detail'])
      .where('l.tenant_id', '=', tenantId)
      .where('l.id', 'in', slice)
      .execute(),
  );
}

/** Makes the mailboxes due now (the database's clock); returns how many rows it changed. */
export async function markDueNow(tx: Tx, tenantId: string, mailboxIds: readonly string[]): Promise<number> {
  let changed = 0;
  for (const slice of chunk(mailboxIds, tx.dialect.maxInList)) {
    const result = await tx.db
      .updateTable('sync_mailbox')
      .set({ next_due_at: tx.dialect.now() })
      .where('tenant_id', '=', tenantId)
      .where('mailbox_id', 'in', slice)
      .executeTakeFirst();
    changed += Number(result.numUpdatedRows);
  }
  return changed;
}

/**
 * Lets the circuit breaker go for mailboxes it stopped: released now, `pending` and due now, so
 * the next pass may delete what it stopped for. Only rows still in `breaker` change; returns how many.
 */
export async function releaseBreakers(tx: Tx, tenantId: string, mailboxIds: readonly string[]): Promise<number> {
  let changed = 0;
  for (const slice of chunk(mailboxIds, tx.dialect.maxInList)) {
    const now = tx.dialect.now();
    const result = await tx.db
      .updateTable('sync_mailbox')
      .set({ breaker_released_at: now, state: 'pending', next_due_at: now })
      .where('tenant_id', '=', tenantId)
      .where('state', '=', 'breaker')
      .where('mailbox_id', 'in', slice)
      .executeTakeFirst();
    changed += Number(result.numUpdatedRows);
  }
  return changed;
}
