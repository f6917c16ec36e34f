import { isUniqueViolation } from '../http/errors.js';
import type { Tx } from '../db/store.js';

/**
 * Remembers, at each sign-in, whether SuperOffice said the associate administers the tenant
 * (currentPrincipal's function rights, or the ticket's). SuperOffice Online offers no call
 * listing other associates' function rights, so the administrators this app can name are the
 * ones it has seen signing in; a sign-in without the rights takes the associate off the list.
 */
export async function noteSignIn(tx: Tx, s: { tenantId: string; associateId: number; associateName: string; isAdmin: boolean; at: Date }): Promise<void> {
  const values = { associate_name: s.associateName.slice(0, 200), is_admin: tx.dialect.bool(s.isAdmin), seen_at: tx.dialect.time(s.at) };
  const updated = await tx.db
    .updateTable('superoffice_admin')
    .set(values)
    .where('tenant_id', '=', s.tenantId)
    .where('associate_id', '=', s.associateId)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) > 0) return;
  try {
    await tx.db.insertInto('superoffice_admin').values({ tenant_id: s.tenantId, associate_id: s.associateId, ...values }).execute();
  } catch (err) {
    // The same associate signing in twice at once (SQL Server): the other sign-in wrote the row.
    if (!isUniqueViolation(err)) throw err;
  }
}

/** The associates last seen signing in as administrators of the tenant. */
export function knownAdmins(tx: Tx, tenantId: string): Promise<{ associate_id: number; associate_name: string }[]> {
  return tx.db
    .selectFrom('superoffice_admin')
    .select(['associate_id', 'associate_name'])
    .where('tenant_id', '=', tenantId)
    .where('is_admin', '=', tx.dialect.bool(true))
    .orderBy('associate_id')
    .execute();
}
