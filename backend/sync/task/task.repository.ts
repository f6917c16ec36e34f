import type { Tx } from '../../db/store.js';

/** The To Do list of ours for a mailbox, remembered on its task cursor (migration 011's container_id). */
export async function saveTaskList(tx: Tx, tenantId: string, mailboxId: string, listId: string): Promise<void> {
  await tx.db.updateTable('sync_cursor').set({ container_id: listId }).where('tenant_id', '=', tenantId).where('mailbox_id', '=', mailboxId).where('kind', '=', 'task').execute();
}
