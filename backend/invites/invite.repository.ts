import { createHash, randomBytes } from 'node:crypto';
import type { InviteRow, NewInviteRow } from '../db/database.js';
import { chunk, inChunks, readBool, readTime } from '../db/dialect.js';
import type { Tx } from '../db/store.js';
import type { Invite, InviteState } from './invite.schemas.js';

const INVITE_COLUMNS = 20;

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

export type InviteWithMailbox = InviteRow & { accepted_address: string | null };

export function toInvite(row: InviteWithMailbox, now: Date): Invite {
  return {
    id: row.id,
    associateId: row.associate_id,
    associateName: row.associate_name,
    email: row.email,
    state: inviteState(row, now),
    delivery: row.delivery,
    allowOtherMailbox: readBool(row.allow_other_mailbox),
    createdAt: readTime(row.created_at),
    createdBy: row.created_by_name ?? String(row.created_by),
    expiresAt: readTime(row.expires_at),
    sentAt: row.sent_at === null ? null : readTime(row.sent_at),
    acceptedAt: row.accepted_at === null ? null : readTime(row.accepted_at),
    acceptedMailbox:
      row.accepted_mailbox_id === null ? null : { id: row.accepted_mailbox_id, address: row.accepted_address ?? row.accepted_mailbox_id },
    revokedAt: row.revoked_at === null ? null : readTime(row.revoked_at),
    sendError: row.send_error,
  };
}

/** Invites with the address of the mailbox that accepted them; all of the tenant's, or these ids. */
export function listInviteRows(tx: Tx, tenantId: string, ids?: readonly string[]): Promise<InviteWithMailbox[]> {
  const query = (slice?: string[]) => {
    let q = tx.db
      .selectFrom('invite as i')
      .leftJoin('authorized_mailbox as a', (j) => j.onRef('a.tenant_id', '=', 'i.tenant_id').onRef('a.mailbox_id', '=', 'i.accepted_mailbox_id'))
      .selectAll('i')
      .select('a.mailbox_address as accepted_address')
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
export async function setAcceptNonce(tx: Tx, inviteId: string, nonce: string): Promise<void> {
  await tx.db.updateTable('invite').set({ accept_nonce: nonce }).where('id', '=', inviteId).execute();
}

/**
 * Uses the invite up for `mailboxId`, if it is still open and `nonce` is its latest: a conditional
 * update, so a replay or a race loses. True when this call used it.
 */
export async function useInvite(tx: Tx, inviteId: string, mailboxId: string, nonce: string, now: Date): Promise<boolean> {
  const used = await tx.db
    .updateTable('invite')
    .set({ accepted_at: tx.dialect.time(now), accepted_mailbox_id: mailboxId, accept_nonce: null })
    .where('id', '=', inviteId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('accept_nonce', '=', nonce)
    .executeTakeFirst();
  return Number(used.numUpdatedRows) === 1;
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
