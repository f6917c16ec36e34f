import { createHash, randomBytes } from 'node:crypto';
import type { InviteRow, NewInviteRow } from '../db/database.js';
import { chunk, inChunks, readBool, readTime } from '../db/dialect.js';
import type { Tx } from '../db/store.js';
import type { Invite, InviteState } from './invite.schemas.js';

const INVITE_COLUMNS = 23;

/** The invite link's secret (43 characters of base64url) and the hash that is all we store. */
export function newInviteToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashInviteToken(token) };
}

export const hashInviteToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export const INVITE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export async function insertInvites(tx: Tx, rows: readonly NewInviteRow[]): Promise<void> {
  for (const part of chunk(rows, tx.dialect.rowsPerStatement(INVITE_COLUMNS))) await tx.db.insertInto('invite').values(part).execute();
}

export function findInviteByTokenHash(tx: Tx, hash: string): Promise<InviteRow | undefined> {
  return tx.db.selectFrom('invite').selectAll().where('token_hash', '=', hash).executeTakeFirst();
}

export function findInvitesByIds(tx: Tx, tenantId: string, ids: readonly string[]): Promise<InviteRow[]> {
  return inChunks(tx, ids, (slice) => tx.db.selectFrom('invite').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', slice).execute());
}

/** Open invites (not accepted, not revoked) of these associates: a new invite replaces them. */
export function openInvitesOf(tx: Tx, tenantId: string, associateIds: readonly number[]): Promise<InviteRow[]> {
  return inChunks(tx, associateIds, (slice) =>
    tx.db
      .selectFrom('invite')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('associate_id', 'in', slice)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .execute(),
  );
}

export async function revokeInviteRows(tx: Tx, tenantId: string, ids: readonly string[], now: Date): Promise<number> {
  let n = 0;
  for (const slice of chunk([...new Set(ids)], tx.dialect.maxInList)) {
    const r = await tx.db
      .updateTable('invite')
      .set({ revoked_at: tx.dialect.time(now), accept_nonce: null })
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', slice)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    n += Number(r.numUpdatedRows);
  }
  return n;
}

export function inviteState(row: Pick<InviteRow, 'accepted_at' | 'revoked_at' | 'send_error' | 'expires_at'>, now: Date): InviteState {
  if (row.accepted_at !== null) return 'accepted';
  if (row.revoked_at !== null) return 'revoked';
  if (row.send_error !== null) return 'failed';
  if (new Date(readTime(row.expires_at)).getTime() <= now.getTime()) return 'expired';
  return 'invited';
}

/** An invite with the authorization it led to (if it is still that mailbox's) and the associate's current link. */
export type InviteWithMailbox = InviteRow & {
  accepted_address: string | null;
  /** The accepting mailbox's authorization, when this invite is the one behind it. */
  auth_revoked_at: string | Date | null;
  auth_addresses_json: string | null;
  auth_account: string | null;
  /** The mailbox the associate is linked to now, if any. */
  linked_mailbox_id: string | null;
};

/** Whether the accepting mailbox is not the invited address (by any of its addresses or its sign-in name). */
function acceptedOther(row: InviteWithMailbox): boolean {
  if (row.accepted_mailbox_id === null || row.auth_addresses_json === null) return false;
  const invited = row.email.toLowerCase();
  let addresses: unknown = [];
  try {
    addresses = JSON.parse(row.auth_addresses_json);
  } catch {
    return false;
  }
  return !(Array.isArray(addresses) && addresses.includes(invited)) && (row.auth_account ?? '').toLowerCase() !== invited;
}

/** What accepting did about the link; a proposal the administrator has since saved reads `linked`. */
function outcomeOf(row: InviteWithMailbox): Invite['outcome'] {
  if (row.accept_outcome === null) return null;
  if (row.accept_outcome === 'proposed' && row.linked_mailbox_id !== null && row.linked_mailbox_id === row.accepted_mailbox_id) {
    return { kind: 'linked', detail: null };
  }
  return { kind: row.accept_outcome, detail: row.accept_outcome_detail };
}

export function toInvite(row: InviteWithMailbox, now: Date): Invite {
  const authRevoked = row.accepted_at !== null && row.auth_revoked_at != null;
  return {
    id: row.id,
    associateId: row.associate_id,
    associateName: row.associate_name,
    email: row.email,
    state: authRevoked ? 'revoked' : inviteState(row, now),
    delivery: row.delivery,
    allowOtherMailbox: readBool(row.allow_other_mailbox),
    linkOnAccept: readBool(row.link_on_accept),
    createdAt: readTime(row.created_at),
    createdBy: row.created_by_name ?? String(row.created_by),
    expiresAt: readTime(row.expires_at),
    sentAt: row.sent_at === null ? null : readTime(row.sent_at),
    acceptedAt: row.accepted_at === null ? null : readTime(row.accepted_at),
    acceptedMailbox:
      row.accepted_mailbox_id === null ? null : { id: row.accepted_mailbox_id, address: row.accepted_address ?? row.accepted_mailbox_id },
    acceptedOtherMailbox: acceptedOther(row),
    outcome: outcomeOf(row),
    revokedAt: authRevoked ? readTime(row.auth_revoked_at!) : row.revoked_at === null ? null : readTime(row.revoked_at),
    sendError: row.send_error,
  };
}

/** Invites with the address of the mailbox that accepted them; all of the tenant's, or these ids. */
export function listInviteRows(tx: Tx, tenantId: string, ids?: readonly string[]): Promise<InviteWithMailbox[]> {
  const query = (slice?: string[]) => {
    let q = tx.db
      .selectFrom('invite as i')
      .leftJoin('authorized_mailbox as a', (j) => j.onRef('a.tenant_id', '=', 'i.tenant_id').onRef('a.mailbox_id', '=', 'i.accepted_mailbox_id'))
      .leftJoin('link as l', (j) => j.onRef('l.tenant_id', '=', 'i.tenant_id').onRef('l.associate_id', '=', 'i.associate_id'))
      .selectAll('i')
      .select(['a.mailbox_address as accepted_address', 'a.addresses_json as auth_addresses_json', 'a.account_upn as auth_account', 'l.mailbox_id as linked_mailbox_id'])
      // The revocation counts only while this invite is the one behind the mailbox's authorization.
      .select((eb) => eb.case().when('a.invite_id', '=', eb.ref('i.id')).then(eb.ref('a.revoked_at')).else(null).end().as('auth_revoked_at'))
      .where('i.tenant_id', '=', tenantId);
    if (slice) q = q.where('i.id', 'in', slice);
    return q.orderBy('i.created_at', 'desc').orderBy('i.id').execute();
  };
  return ids ? inChunks(tx, ids, query) : query();
}

/** The newest invite of each invited associate. */
export async function latestInvites(tx: Tx, tenantId: string, now: Date): Promise<Invite[]> {
  const seen = new Set<number>();
  const out: Invite[] = [];
  for (const row of await listInviteRows(tx, tenantId)) {
    if (seen.has(row.associate_id)) continue;
    seen.add(row.associate_id);
    out.push(toInvite(row, now));
  }
  return out;
}

/** The nonce the invite's next sign-in must carry (replacing any earlier one). */
export async function setAcceptNonce(tx: Tx, inviteId: string, nonce: string, pkce?: { verifierSealed: string; stateHash: string }): Promise<void> {
  await tx.db
    .updateTable('invite')
    .set({ accept_nonce: nonce, accept_verifier_sealed: pkce?.verifierSealed ?? null, accept_state_hash: pkce?.stateHash ?? null })
    .where('id', '=', inviteId)
    .execute();
}

/** The invite whose latest opening handed out this OAuth `state` (by its SHA-256). */
export function findInviteByStateHash(tx: Tx, stateHash: string): Promise<InviteRow | undefined> {
  return tx.db.selectFrom('invite').selectAll().where('accept_state_hash', '=', stateHash).executeTakeFirst();
}

/**
 * Uses the invite up for `mailboxId`, if it is still open and `nonce` is its latest: a conditional
 * update, so a replay or a race loses. True when this call used it.
 */
export async function useInvite(tx: Tx, inviteId: string, mailboxId: string, nonce: string, now: Date): Promise<boolean> {
  const used = await tx.db
    .updateTable('invite')
    .set({ accepted_at: tx.dialect.time(now), accepted_mailbox_id: mailboxId, accept_nonce: null, accept_verifier_sealed: null, accept_state_hash: null })
    .where('id', '=', inviteId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('accept_nonce', '=', nonce)
    .executeTakeFirst();
  return Number(used.numUpdatedRows) === 1;
}

/** What accepting did about the link (see AcceptOutcome). */
export async function recordAcceptOutcome(tx: Tx, inviteId: string, outcome: NonNullable<Invite['outcome']>): Promise<void> {
  await tx.db.updateTable('invite').set({ accept_outcome: outcome.kind, accept_outcome_detail: outcome.detail }).where('id', '=', inviteId).execute();
}

/** Records how sending went: these invites were sent; those failed, each with Microsoft's reason. */
export async function recordSendResults(tx: Tx, tenantId: string, sent: readonly string[], errors: ReadonlyMap<string, string>, now: Date): Promise<void> {
  for (const slice of chunk(sent, tx.dialect.maxInList)) {
    await tx.db.updateTable('invite').set({ sent_at: tx.dialect.time(now) }).where('tenant_id', '=', tenantId).where('id', 'in', slice).execute();
  }
  for (const [id, error] of errors) {
    await tx.db.updateTable('invite').set({ send_error: error }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }
}
