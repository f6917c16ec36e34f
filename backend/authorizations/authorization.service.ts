import { appendAudit, type Actor } from '../audit/audit.repository.js';
import { readTime } from '../db/dialect.js';
import type { Store, Tx } from '../db/store.js';
import { ApiError } from '../http/errors.js';
import type { Mailbox } from '../microsoft/microsoft.schemas.js';
import type { Authorization, AuthorizationRevokeResult } from './authorization.schemas.js';
import {
  countLinksOfMailboxes,
  listActiveAuthorizations,
  listAuthorizations,
  revokeAuthorizationRows,
  storedAddresses,
  toAuthorization,
} from './authorization.repository.js';

/** Every authorization of the tenant, newest first. */
export async function tenantAuthorizations(tx: Tx, tenantId: string): Promise<Authorization[]> {
  return (await listAuthorizations(tx, tenantId)).map(toAuthorization);
}

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
    await revokeAuthorizationRows(tx, actor.tenantId, active, actor.associateId, now);
    const disabledLinks = await countLinksOfMailboxes(tx, actor.tenantId, active);
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

/** Load External Users in OAuth mode: only the mailboxes whose owners authorized the app (and did not have it revoked). */
export async function authorizedMailboxes(tx: Tx, tenantId: string): Promise<Mailbox[]> {
  const rows = await listActiveAuthorizations(tx, tenantId);
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
