import { isUniqueViolation } from '../http/errors.js';
import type { TenantRow } from '../db/database.js';
import type { Tx } from '../db/store.js';

export async function findTenant(tx: Tx, id: string): Promise<TenantRow | undefined> {
  return tx.db.selectFrom('tenant').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Creates the tenant row on first sign-in; a concurrent first sign-in is not an error. */
export async function ensureTenant(tx: Tx, id: string, now: Date): Promise<void> {
  if (await findTenant(tx, id)) return;
  try {
    await tx.db
      .insertInto('tenant')
      .values({
        id,
        name: null,
        mode: 'application',
        entra_tenant_id: null,
        admin_consent_at: null,
        invite_ttl_days: 14,
        version: 1,
        created_at: tx.dialect.time(now),
        updated_at: tx.dialect.time(now),
      })
      .execute();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
}
