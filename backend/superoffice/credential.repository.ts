import { readTime } from '../db/dialect.js';
import type { Tx } from '../db/store.js';
import type { SecretBox } from '../security/secret-box.js';

export interface SuperOfficeCredential {
  tenantId: string;
  associateId: number;
  webApiUrl: string;
  /** `Bearer` for an Online access token, `SOTicket` for an Onsite ticket. */
  scheme: 'Bearer' | 'SOTicket';
  accessToken: string;
  refreshToken: string | null;
  accessExpiresAt: string;
}

/** Tokens are sealed to their owner: a row copied onto another associate does not open. */
const context = (tenantId: string, associateId: number, kind: string) => `superoffice:${tenantId}:${associateId}:${kind}`;

export async function saveCredential(tx: Tx, box: SecretBox, c: SuperOfficeCredential, now: Date): Promise<void> {
  const row = {
    webapi_url: c.webApiUrl,
    auth_scheme: c.scheme,
    access_token_sealed: box.seal(c.accessToken, context(c.tenantId, c.associateId, 'access')),
    refresh_token_sealed: c.refreshToken ? box.seal(c.refreshToken, context(c.tenantId, c.associateId, 'refresh')) : null,
    access_expires_at: tx.dialect.time(new Date(c.accessExpiresAt)),
    updated_at: tx.dialect.time(now),
  };
  const updated = await tx.db
    .updateTable('superoffice_credential')
    .set(row)
    .where('tenant_id', '=', c.tenantId)
    .where('associate_id', '=', c.associateId)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) {
    await tx.db.insertInto('superoffice_credential').values({ tenant_id: c.tenantId, associate_id: c.associateId, ...row }).execute();
  }
}

/** The credential, or null if there is none or it cannot be opened (e.g. the key was rotated). */
export async function loadCredential(
  tx: Tx,
  box: SecretBox,
  tenantId: string,
  associateId: number,
): Promise<SuperOfficeCredential | null> {
  const row = await tx.db
    .selectFrom('superoffice_credential')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('associate_id', '=', associateId)
    .executeTakeFirst();
  if (!row) return null;
  try {
    return {
      tenantId,
      associateId,
      webApiUrl: row.webapi_url,
      scheme: row.auth_scheme === 'SOTicket' ? 'SOTicket' : 'Bearer',
      accessToken: box.open(row.access_token_sealed, context(tenantId, associateId, 'access')),
      refreshToken: row.refresh_token_sealed ? box.open(row.refresh_token_sealed, context(tenantId, associateId, 'refresh')) : null,
      accessExpiresAt: readTime(row.access_expires_at),
    };
  } catch {
    return null;
  }
}

/** The associate whose stored credential was used last among those with an administrator session, if any. */
export async function latestAdminCredentialOwner(tx: Tx, tenantId: string): Promise<number | null> {
  const row = await tx.db
    .selectFrom('superoffice_credential as c')
    .innerJoin('session as s', (j) => j.onRef('s.tenant_id', '=', 'c.tenant_id').onRef('s.associate_id', '=', 'c.associate_id'))
    .select('c.associate_id')
    .where('c.tenant_id', '=', tenantId)
    .where('s.is_admin', '=', tx.dialect.bool(true))
    .orderBy('c.updated_at', 'desc')
    .executeTakeFirst();
  return row?.associate_id ?? null;
}

/**
 * Associates of the tenant who wrote to the audit log (every mutating endpoint requires an
 * administrator, so each is one) and have a stored sign-in, the most recent writer first.
 */
export async function auditActorsWithCredential(tx: Tx, tenantId: string): Promise<number[]> {
  const rows = await tx.db
    .selectFrom('audit_log as a')
    .innerJoin('superoffice_credential as c', (j) => j.onRef('c.tenant_id', '=', 'a.tenant_id').onRef('c.associate_id', '=', 'a.actor_associate_id'))
    .select((eb) => ['a.actor_associate_id', eb.fn.max('a.id').as('last_id')])
    .where('a.tenant_id', '=', tenantId)
    .groupBy('a.actor_associate_id')
    .orderBy('last_id', 'desc')
    .execute();
  return rows.map((r) => r.actor_associate_id);
}
