import type { Associate, Authorization, Invite, InviteState } from '../../logic/types.js';

/** An associate's invite state: their newest invite's, or `notInvited` when they have none. */
export type InviteRowState = 'notInvited' | InviteState;

/** One associate of the Token Authentication Manager with their newest invite and authorization. */
export interface InviteRow {
  /** The associate id as text: the row key, as in `so-associate-list`. */
  key: string;
  associate: Associate;
  /** The newest invite; null when the associate was never invited. */
  invite: Invite | null;
  state: InviteRowState;
  /**
   * The authorization of the mailbox the associate accepted with: the one in force when there is
   * one, else the latest revoked one; null when none.
   */
  authorization: Authorization | null;
}

/** The row key of an associate. */
export const inviteRowKey = (row: InviteRow): string => row.key;

/** The authorization in force, if any. */
export const activeAuthorization = (row: InviteRow): Authorization | null =>
  row.authorization && row.authorization.revokedAt === null ? row.authorization : null;

/**
 * The mailbox Revoke authorization acts on: the one of the authorization in force, else (an
 * accepted invite whose authorization is not listed) the mailbox that accepted; null when none.
 */
export function authorizedMailbox(row: InviteRow): { id: string; address: string } | null {
  const a = activeAuthorization(row);
  if (a) return { id: a.mailboxId, address: a.mailboxAddress };
  return row.state === 'accepted' && row.authorization === null ? (row.invite?.acceptedMailbox ?? null) : null;
}

function newer(a: Authorization, b: Authorization | undefined): boolean {
  if (!b) return true;
  if ((a.revokedAt === null) !== (b.revokedAt === null)) return a.revokedAt === null;
  return a.authorizedAt > b.authorizedAt;
}

/**
 * Joins the associates with their newest invite and their authorization. An invite still marked
 * `invited` whose expiry has passed shows as `expired` (the backend may not have swept it yet).
 */
export function inviteRows(
  associates: readonly Associate[],
  invites: readonly Invite[],
  authorizations: readonly Authorization[],
  now: number,
): InviteRow[] {
  const inviteOf = new Map<number, Invite>();
  for (const i of invites) {
    const seen = inviteOf.get(i.associateId);
    if (!seen || i.createdAt > seen.createdAt) inviteOf.set(i.associateId, i);
  }
  const byAssociate = new Map<number, Authorization>();
  const byMailbox = new Map<string, Authorization>();
  for (const a of authorizations) {
    if (a.associateId !== null && newer(a, byAssociate.get(a.associateId))) byAssociate.set(a.associateId, a);
    if (newer(a, byMailbox.get(a.mailboxId))) byMailbox.set(a.mailboxId, a);
  }
  return associates.map((associate) => {
    const invite = inviteOf.get(associate.associateId) ?? null;
    let state: InviteRowState = invite?.state ?? 'notInvited';
    if (state === 'invited' && invite && Date.parse(invite.expiresAt) <= now) state = 'expired';
    const accepted = invite?.acceptedMailbox ? byMailbox.get(invite.acceptedMailbox.id) : undefined;
    const own = byAssociate.get(associate.associateId);
    const authorization = (own && accepted ? (newer(own, accepted) ? own : accepted) : (own ?? accepted)) ?? null;
    // Accepted, but the mailbox's authorization was revoked since: it is not in force, so the row says so.
    if (state === 'accepted' && authorization?.revokedAt != null && authorization.mailboxId === invite?.acceptedMailbox?.id) state = 'revoked';
    return { key: String(associate.associateId), associate, invite, state, authorization };
  });
}
