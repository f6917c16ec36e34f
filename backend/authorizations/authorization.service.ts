import { appendAudit, type Actor } from '../audit/audit.repository.js';
import { chunk, inChunks, readInt, readTime } from '../db/dialect.js';
import type { Store, Tx } from '../db/store.js';
import { ApiError } from '../http/errors.js';
import type { Mailbox } from '../microsoft/microsoft.schemas.js';
import type { AuthorizationRevokeResult } from './authorization.schemas.js';
import { listAuthorizations, storedAddresses, toAuthorization } from './authorization.repository.js';

/**
 * Revokes mailbox authorizations. The links of those mailboxes are kept as they are (options,
 * rank, history); in OAuth mode a link without authorization is not synchronized, so revoking
 * disables the user's sync without deleting anything. The owner can accept a new invite.
 */
export async function revokeAuthorizations(store: Store, actor: Actor, mailboxIds: string[], now: Date): Promise<AuthorizationRevokeResult> {
  return store.transaction(async (tx) => {
    const rows = await listAuthorizations(tx, actor.tenantId, mailboxIds);
    const found = new Set(rows.map((r) => r.mailbox_id));
    const missing = mailboxIds.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw new ApiError(
        404,
        'AuthorizationNotFound',
        'Some mailboxes have no authorization. Nothing was revoked.',
        missing.map((id) => ({ message: 'No authorization for this mailbox.', mailboxId: id })),
      );
    }
    const active = rows.filter((r) => r.revoked_at === null).map((r) => r.mailbox_id);
    for (const slice of chunk(active, tx.dialect.maxInList)) {
      await tx.db
        .updateTable('authorized_mailbox')
        .set({ revoked_at: tx.dialect.time(now), revoked_by: actor.associateId })
        .where('tenant_id', '=', actor.tenantId)
        .where('mailbox_id', 'in', slice)
        .where('revoked_at', 'is', null)
        .execute();
    }
    const disabledLinks = await countLinks(tx, actor.tenantId, active);
    await appendAudit(
      tx,
      actor,
      rows
        .filter((r) => r.revoked_at === null)
        .map((r) => ({
          action: 'mailbox.authorization_revoked',
          entityType: 'authorized_mailbox',
          entityId: r.mailbox_id,
          before: { mailboxAddress: r.mailbox_address, account: r.account_upn, authorizedAt: readTime(r.authorized_at) },
          after: { revokedAt: now.toISOString() },
        })),
      now,
    );
    const after = await listAuthorizations(tx, actor.tenantId, mailboxIds);
    return { revoked: after.map(toAuthorization), disabledLinks };
  });
}

async function countLinks(tx: Tx, tenantId: string, mailboxIds: readonly string[]): Promise<number> {
  const counts = await inChunks(tx, mailboxIds, (slice) =>
    tx.db.selectFrom('link').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenantId).where('mailbox_id', 'in', slice).execute(),
  );
  return counts.reduce((n, r) => n + readInt(r.n), 0);
}

/** Load External Users in OAuth mode: only the mailboxes whose owners authorized the app (and did not have it revoked). */
export async function authorizedMailboxes(tx: Tx, tenantId: string): Promise<Mailbox[]> {
  const rows = await tx.db
    .selectFrom('authorized_mailbox')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('revoked_at', 'is', null)
    .orderBy('mailbox_address')
    .execute();
  return rows.map((r) => ({
    id: r.mailbox_id,
    displayName: r.display_name ?? r.mailbox_address,
    primaryAddress: r.mailbox_address,
    addresses: storedAddresses(r),
    userPrincipalName: r.account_upn,
    accountEnabled: true,
    guest: false,
  }));
}
