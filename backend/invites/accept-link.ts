import type { Actor } from '../audit/audit.repository.js';
import type { InviteRow } from '../db/database.js';
import { readBool } from '../db/dialect.js';
import type { Tx } from '../db/store.js';
import { findLinksByAssociates, findLinksByMailboxes } from '../links/link.repository.js';
import { NewLink } from '../links/link.schemas.js';
import { addLinks } from '../links/link.service.js';
import type { AcceptOutcome } from './invite.schemas.js';
import { recordAcceptOutcome } from './invite.repository.js';

/**
 * What an accepted invite does about the link, inside the accept's transaction: an associate or
 * mailbox linked elsewhere is left as it is (the outcome names the other side); the pair already
 * linked is `linked`; otherwise, if the administrator chose Link when accepted, the link is made
 * through Save Added Users' own checks and audit ({@link addLinks}), on the inviting
 * administrator's behalf, else it is `proposed` for the administrator to save. Recorded on the invite.
 */
export async function settleAcceptedLink(
  tx: Tx,
  invite: InviteRow,
  mailbox: { id: string; address: string },
  requestId: string,
  now: Date,
): Promise<AcceptOutcome> {
  const [linkedAssociate] = await findLinksByAssociates(tx, invite.tenant_id, [invite.associate_id]);
  const [linkedMailbox] = await findLinksByMailboxes(tx, invite.tenant_id, [mailbox.id]);
  let outcome: AcceptOutcome;
  if (linkedAssociate && linkedAssociate.mailbox_id === mailbox.id) outcome = { kind: 'linked', detail: null };
  else if (linkedAssociate) outcome = { kind: 'associate_linked', detail: linkedAssociate.mailbox_address };
  else if (linkedMailbox) outcome = { kind: 'mailbox_linked', detail: linkedMailbox.associate_name };
  else {
    const item = NewLink.safeParse({ associateId: invite.associate_id, associateName: invite.associate_name, mailboxId: mailbox.id, mailboxAddress: mailbox.address });
    if (readBool(invite.link_on_accept) && item.success) {
      const actor: Actor = {
        tenantId: invite.tenant_id,
        associateId: invite.created_by,
        associateName: invite.created_by_name ?? `Associate ${invite.created_by}`,
        requestId,
      };
      await addLinks(tx, actor, [item.data], now);
      outcome = { kind: 'linked', detail: null };
    } else {
      outcome = { kind: 'proposed', detail: null };
    }
  }
  await recordAcceptOutcome(tx, invite.id, outcome);
  return outcome;
}
