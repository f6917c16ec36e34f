import type { Tx } from '../../db/store.js';
import { countMappings } from '../diary/item.repository.js';

/**
 * The contact pass's own query: where its change detection stands (`sync_cursor`, kind
 * 'contact'), with the id of our contact folder (`container_id`, migration 011). The mapping
 * rows go through the diary's item.repository.ts, which serves every kind.
 */

export interface ContactCursorValues {
  deltaLink: string | null;
  /** Our folder's id in the mailbox. */
  containerId: string;
  soWatermark: string | null;
  lastReconcileAt: string | null;
}

/** Update, else insert (both dialects, no merge statement). */
export async function saveContactCursor(tx: Tx, tenantId: string, mailboxId: string, c: ContactCursorValues, now: Date): Promise<void> {
  const time = (v: string | null) => (v === null ? null : tx.dialect.time(new Date(v)));
  const values = {
    delta_link: c.deltaLink,
    container_id: c.containerId,
    so_watermark: time(c.soWatermark),
    last_reconcile_at: time(c.lastReconcileAt),
    mapped_items: await countMappings(tx, tenantId, mailboxId, 'contact'),
    updated_at: tx.dialect.time(now),
  };
  const updated = await tx.db
    .updateTable('sync_cursor')
    .set(values)
    .where('tenant_id', '=', tenantId)
    .where('mailbox_id', '=', mailboxId)
    .where('kind', '=', 'contact')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) {
    await tx.db.insertInto('sync_cursor').values({ tenant_id: tenantId, mailbox_id: mailboxId, kind: 'contact', window_start: null, window_end: null, ...values }).execute();
  }
}
