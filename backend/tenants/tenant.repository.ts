import { DomainError } from '../domain-error.js';
import { isUniqueViolation } from '../http/errors.js';
import type { SyncSide, TenantMode, TenantRow } from '../db/database.js';
import type { Tx } from '../db/store.js';

export async function findTenant(tx: Tx, id: string): Promise<TenantRow | undefined> {
  return tx.db.selectFrom('tenant').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The session's tenant; 404 when it is gone. */
export async function requireTenant(tx: Tx, id: string): Promise<TenantRow> {
  const tenant = await findTenant(tx, id);
  if (!tenant) throw new DomainError('notFound', 'NotFound', 'No such tenant.');
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

/** Writes the tenant's mode and invite lifetime if it still has `expectedVersion`; true when it did. */
export async function updateTenantSettingsRow(
  tx: Tx,
  id: string,
  expectedVersion: number,
  settings: { mode: TenantMode; inviteTtlDays: number },
  now: Date,
): Promise<boolean> {
  const written = await tx.db
    .updateTable('tenant')
    .set({ mode: settings.mode, invite_ttl_days: settings.inviteTtlDays, version: expectedVersion + 1, updated_at: tx.dialect.time(now) })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(written.numUpdatedRows) === 1;
}

/** Writes the synchronizer's settings if the tenant still has `expectedVersion`; true when it did. */
export async function updateSyncSettingsRow(
  tx: Tx,
  id: string,
  expectedVersion: number,
  settings: { windowPastDays: number; windowFutureDays: number; conflictWinner: SyncSide; timeZone: string },
  now: Date,
): Promise<boolean> {
  const written = await tx.db
    .updateTable('tenant')
    .set({
      sync_window_past_days: settings.windowPastDays,
      sync_window_future_days: settings.windowFutureDays,
      sync_conflict_winner: settings.conflictWinner,
      sync_time_zone: settings.timeZone,
      version: expectedVersion + 1,
      updated_at: tx.dialect.time(now),
    })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(written.numUpdatedRows) === 1;
}

/** The invite text an administrator last sent, remembered as the next invites' defaults (not versioned). */
export async function saveInviteDefaults(
  tx: Tx,
  id: string,
  d: { senderAddress: string | null; senderName: string; subject: string; message: string; allowOtherMailbox: boolean },
): Promise<void> {
  await tx.db
    .updateTable('tenant')
    .set({
      invite_sender_address: d.senderAddress,
      invite_sender_name: d.senderName,
      invite_subject: d.subject,
      invite_message: d.message,
      invite_allow_other_mailbox: tx.dialect.bool(d.allowOtherMailbox),
    })
    .where('id', '=', id)
    .execute();
}

/** Who approved the app in Microsoft 365 for the tenant, and its version. */
export function findTenantConsent(tx: Tx, id: string) {
  return tx.db
    .selectFrom('tenant')
    .select(['entra_tenant_id', 'admin_consent_oid', 'admin_consent_name', 'version'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** Records the Microsoft 365 organisation that approved the app, and who approved it. */
export async function recordConsent(
  tx: Tx,
  id: string,
  consent: { entraTenantId: string; oid: string; name: string; version: number },
  now: Date,
): Promise<void> {
  await tx.db
    .updateTable('tenant')
    .set({
      entra_tenant_id: consent.entraTenantId,
      admin_consent_at: tx.dialect.time(now),
      admin_consent_oid: consent.oid,
      admin_consent_name: consent.name,
      // Read again from Graph right after (backend/microsoft/organization.ts); another organisation's name must not stay.
      entra_organization_name: null,
      version: consent.version,
      updated_at: tx.dialect.time(now),
    })
    .where('id', '=', id)
    .execute();
}

/** The Microsoft 365 organisation's name, kept only while the tenant is still connected to that organisation. */
export async function recordOrganizationName(tx: Tx, id: string, entraTenantId: string, name: string | null): Promise<void> {
  await tx.db.updateTable('tenant').set({ entra_organization_name: name }).where('id', '=', id).where('entra_tenant_id', '=', entraTenantId).execute();
}

/** The manifest version whose web panels were provisioned for the tenant, if the tenant exists. */
export function findPanelsVersion(tx: Tx, id: string): Promise<{ panels_version: string | null } | undefined> {
  return tx.db.selectFrom('tenant').select(['panels_version']).where('id', '=', id).executeTakeFirst();
}

/** Records how provisioning the web panels went: the manifest version it reached, or the error. */
export async function recordPanels(tx: Tx, id: string, outcome: { version: string; now: Date } | { error: string }): Promise<void> {
  const set =
    'error' in outcome
      ? { panels_error: outcome.error }
      : { panels_version: outcome.version, panels_provisioned_at: tx.dialect.time(outcome.now), panels_error: null };
  await tx.db.updateTable('tenant').set(set).where('id', '=', id).execute();
}
