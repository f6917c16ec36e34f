import type { Insertable } from 'kysely';
import type { AuthorizedMailboxRow, AuthorizedMailboxTable } from '../db/database.js';
import { chunk, inChunks, readInt, readTime } from '../db/dialect.js';
import type { Tx } from '../db/store.js';
import type { SecretBox } from '../security/secret-box.js';
import { tenantMode } from '../tenants/tenant.repository.js';
import type { LinkAuthorization } from '../links/link.schemas.js';
import type { TenantMode } from '../tenants/tenant.schemas.js';
import type { Authorization } from './authorization.schemas.js';

/** What a link's mailbox authorization reads as, from the authorized_mailbox row (if any). */
export function linkAuthorization(mode: TenantMode, row: { authorized_at: unknown; revoked_at: unknown } | undefined): LinkAuthorization {
  if (mode !== 'oauth') return null;
  if (!row || row.authorized_at === null || row.authorized_at === undefined) return 'missing';
  return row.revoked_at === null || row.revoked_at === undefined ? 'authorized' : 'revoked';
}

/** The authorization of each of these mailboxes, as a lookup (application mode: always null). */
export async function authorizationLookup(
  tx: Tx,
  tenantId: string,
  mailboxIds: readonly string[],
): Promise<(mailboxId: string) => LinkAuthorization> {
  const mode = await tenantMode(tx, tenantId);
  if (mode !== 'oauth') return () => null;
  const found = await inChunks(tx, mailboxIds, (slice) =>
    tx.db
      .selectFrom('authorized_mailbox')
      .select(['mailbox_id', 'authorized_at', 'revoked_at'])
      .where('tenant_id', '=', tenantId)
      .where('mailbox_id', 'in', slice)
      .execute(),
  );
  const rows = new Map(found.map((r) => [r.mailbox_id, r]));
  return (mailboxId) => linkAuthorization(mode, rows.get(mailboxId));
}

export type AuthorizationRow = AuthorizedMailboxRow & { associate_id: number | null; associate_name: string | null };

/** Every authorization of the tenant with the invited associate, newest first. */
export function listAuthorizations(tx: Tx, tenantId: string, mailboxIds?: readonly string[]): Promise<AuthorizationRow[]> {
  const query = (slice?: string[]) => {
    let q = tx.db
      .selectFrom('authorized_mailbox as a')
      .leftJoin('invite as i', 'i.id', 'a.invite_id')
      .selectAll('a')
      .select(['i.associate_id', 'i.associate_name'])
      .where('a.tenant_id', '=', tenantId);
    if (slice) q = q.where('a.mailbox_id', 'in', slice);
    return q.orderBy('a.authorized_at', 'desc').orderBy('a.mailbox_id').execute();
  };
  return mailboxIds ? inChunks(tx, mailboxIds, query) : query();
}

/** Marks the still-active authorizations of these mailboxes revoked, by `by` at `now`. */
export async function revokeAuthorizationRows(tx: Tx, tenantId: string, mailboxIds: readonly string[], by: number, now: Date): Promise<void> {
  for (const slice of chunk(mailboxIds, tx.dialect.maxInList)) {
    await tx.db
      .updateTable('authorized_mailbox')
      // The owner's delegated grant goes with the authorization: nothing is left to act with.
      .set({ revoked_at: tx.dialect.time(now), revoked_by: by, grant_sealed: null })
      .where('tenant_id', '=', tenantId)
      .where('mailbox_id', 'in', slice)
      .where('revoked_at', 'is', null)
      .execute();
  }
}

/** How many links these mailboxes have. */
export async function countLinksOfMailboxes(tx: Tx, tenantId: string, mailboxIds: readonly string[]): Promise<number> {
  const counts = await inChunks(tx, mailboxIds, (slice) =>
    tx.db.selectFrom('link').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenantId).where('mailbox_id', 'in', slice).execute(),
  );
  return counts.reduce((n, r) => n + readInt(r.n), 0);
}

/** The authorizations that were not revoked, by mailbox address. */
export function listActiveAuthorizations(tx: Tx, tenantId: string): Promise<AuthorizedMailboxRow[]> {
  return tx.db
    .selectFrom('authorized_mailbox')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('revoked_at', 'is', null)
    .orderBy('mailbox_address')
    .execute();
}

export function findAuthorization(tx: Tx, tenantId: string, mailboxId: string): Promise<AuthorizedMailboxRow | undefined> {
  return tx.db.selectFrom('authorized_mailbox').selectAll().where('tenant_id', '=', tenantId).where('mailbox_id', '=', mailboxId).executeTakeFirst();
}

export type AuthorizationValues = Omit<Insertable<AuthorizedMailboxTable>, 'tenant_id' | 'mailbox_id'>;

/** Records the mailbox's authorization: replaces the row there was (`exists`), or adds one. */
export async function saveAuthorization(tx: Tx, tenantId: string, mailboxId: string, values: AuthorizationValues, exists: boolean): Promise<void> {
  if (exists) {
    await tx.db.updateTable('authorized_mailbox').set(values).where('tenant_id', '=', tenantId).where('mailbox_id', '=', mailboxId).execute();
  } else {
    await tx.db.insertInto('authorized_mailbox').values({ tenant_id: tenantId, mailbox_id: mailboxId, ...values }).execute();
  }
}

export function toAuthorization(r: AuthorizationRow): Authorization {
  return {
    mailboxId: r.mailbox_id,
    mailboxAddress: r.mailbox_address,
    displayName: r.display_name ?? r.mailbox_address,
    account: r.account_upn,
    associateId: r.associate_id ?? null,
    associateName: r.associate_name ?? null,
    authorizedAt: readTime(r.authorized_at),
    revokedAt: r.revoked_at === null ? null : readTime(r.revoked_at),
  };
}

/** Mailbox addresses as stored (JSON array), falling back to the primary address. */
export function storedAddresses(r: Pick<AuthorizedMailboxRow, 'addresses_json' | 'mailbox_address'>): string[] {
  try {
    const parsed: unknown = r.addresses_json ? JSON.parse(r.addresses_json) : null;
    if (Array.isArray(parsed) && parsed.every((a) => typeof a === 'string')) return parsed as string[];
  } catch {
    /* a hand-edited row: fall back */
  }
  return [r.mailbox_address.toLowerCase()];
}


/*
 * The mailbox owner's delegated grant (msal-node's token cache of that one account: refresh and
 * access token), sealed with the secret box under a context naming the tenant and mailbox, as the
 * SuperOffice credentials are (credential.repository.ts): a sealed value copied to another row
 * does not open. Only an authorization that is not revoked has one.
 */
const grantContext = (tenantId: string, mailboxId: string) => `delegated-grant:${tenantId}:${mailboxId}`;

export function sealGrant(box: SecretBox, tenantId: string, mailboxId: string, grant: string): string {
  return box.seal(grant, grantContext(tenantId, mailboxId));
}

/** The grant of an active authorization, opened; null when there is none (never accepted with one, revoked). */
export async function loadGrant(tx: Tx, box: SecretBox, tenantId: string, mailboxId: string): Promise<string | null> {
  const row = await tx.db
    .selectFrom('authorized_mailbox')
    .select('grant_sealed')
    .where('tenant_id', '=', tenantId)
    .where('mailbox_id', '=', mailboxId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row?.grant_sealed) return null;
  return box.open(row.grant_sealed, grantContext(tenantId, mailboxId));
}

/**
 * Stores the grant as MSAL left it after a refresh (the rotated refresh token), only while the
 * authorization is still active and still holds the grant that was read: a revoke or a new
 * acceptance in between wins. True when stored.
 */
export async function replaceGrant(tx: Tx, box: SecretBox, tenantId: string, mailboxId: string, before: string, after: string): Promise<boolean> {
  const current = await loadGrant(tx, box, tenantId, mailboxId);
  if (current !== before) return false;
  const r = await tx.db
    .updateTable('authorized_mailbox')
    .set({ grant_sealed: sealGrant(box, tenantId, mailboxId, after) })
    .where('tenant_id', '=', tenantId)
    .where('mailbox_id', '=', mailboxId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Entra refused the grant (invalid_grant): it is dropped, so later passes do not ask Entra again;
 * the authorization row and the links stay. Only the grant that was refused: a new acceptance
 * stored in between stays.
 */
export async function dropGrant(tx: Tx, box: SecretBox, tenantId: string, mailboxId: string, refused: string): Promise<void> {
  if ((await loadGrant(tx, box, tenantId, mailboxId)) !== refused) return;
  await tx.db.updateTable('authorized_mailbox').set({ grant_sealed: null }).where('tenant_id', '=', tenantId).where('mailbox_id', '=', mailboxId).execute();
}
