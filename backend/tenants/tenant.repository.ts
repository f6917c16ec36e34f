import { ApiError, isUniqueViolation } from '../http/errors.js';
import type { TenantMode, TenantRow } from '../db/database.js';
import type { Tx } from '../db/store.js';

export async function findTenant(tx: Tx, id: string): Promise<TenantRow | undefined> {
  return tx.db.selectFrom('tenant').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The session's tenant; 404 when it is gone. */
export async function requireTenant(tx: Tx, id: string): Promise<TenantRow> {
  const tenant = await findTenant(tx, id);
  if (!tenant) throw new ApiError(404, 'NotFound', 'No such tenant.');
  return tenant;
}

export async function tenantMode(tx: Tx, tenantId: string): Promise<TenantMode> {
  const row = await tx.db.selectFrom('tenant').select('mode').where('id', '=', tenantId).executeTakeFirst();
  return row?.mode ?? 'application';
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
