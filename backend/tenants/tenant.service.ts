import { appendAudit, type Actor } from '../audit/audit.repository.js';
import type { TenantRow } from '../db/database.js';
import { readBool, readTime } from '../db/dialect.js';
import type { Store, Tx } from '../db/store.js';
import { ApiError } from '../http/errors.js';
import type { InviteDefaults, SyncSettingsChange, TenantInfo, TenantSettingsChange } from './tenant.schemas.js';
import { findTenant, requireTenant, updateSyncSettingsRow, updateTenantSettingsRow } from './tenant.repository.js';

/** The invite email when an administrator has not written one. */
export const DEFAULT_INVITE: Omit<InviteDefaults, 'senderAddress' | 'allowOtherMailbox'> = {
  senderName: 'SuperOffice administrator',
  subject: 'Connect your mailbox to SuperOffice',
  message: [
    'Hello {name},',
    '',
    '{organisation} synchronizes SuperOffice appointments, tasks and contacts with Microsoft 365.',
    'To include your mailbox, open the link below, sign in with your Microsoft 365 account and press Accept:',
    '',
    '{link}',
    '',
    'The link works until {expires} and can be used once.',
  ].join('\n'),
};

export function inviteDefaults(t: TenantRow): InviteDefaults {
  return {
    senderAddress: t.invite_sender_address,
    senderName: t.invite_sender_name ?? DEFAULT_INVITE.senderName,
    subject: t.invite_subject ?? DEFAULT_INVITE.subject,
    message: t.invite_message ?? DEFAULT_INVITE.message,
    allowOtherMailbox: readBool(t.invite_allow_other_mailbox),
  };
}

export function toTenantInfo(t: TenantRow, microsoftConfigured: boolean): TenantInfo {
  return {
    id: t.id,
    mode: t.mode,
    inviteTtlDays: t.invite_ttl_days,
    version: t.version,
    invites: inviteDefaults(t),
    microsoft: {
      configured: microsoftConfigured,
      connected: t.entra_tenant_id !== null,
      entraTenantId: t.entra_tenant_id,
      organizationName: t.entra_tenant_id === null ? null : t.entra_organization_name,
      consentedAt: t.admin_consent_at === null ? null : readTime(t.admin_consent_at),
    },
    sync: syncSettings(t),
    panels: { provisionedAt: t.panels_provisioned_at === null ? null : readTime(t.panels_provisioned_at), error: t.panels_error },
  };
}

function syncSettings(t: TenantRow): TenantInfo['sync'] {
  return { windowPastDays: t.sync_window_past_days, windowFutureDays: t.sync_window_future_days, conflictWinner: t.sync_conflict_winner, timeZone: t.sync_time_zone };
}

/** The caller's tenant as the panel shows it; 404 when it is gone. */
export async function tenantInfo(tx: Tx, tenantId: string, microsoftConfigured: boolean): Promise<TenantInfo> {
  return toTenantInfo(await requireTenant(tx, tenantId), microsoftConfigured);
}

const staleSettings = (details: { message: string; expectedVersion: number; currentVersion: number }[] = []) =>
  new ApiError(409, 'VersionConflict', 'Someone else changed these settings after you loaded them. Reload and try again.', details);

/**
 * The synchronizer's settings, if the admin saw the current version: the next pass of each
 * mailbox uses them (a shrunk window detaches items outside it, it deletes none).
 */
export async function updateSyncSettings(store: Store, actor: Actor, change: SyncSettingsChange, now: Date): Promise<TenantRow> {
  return store.transaction(async (tx) => {
    const before = await findTenant(tx, actor.tenantId);
    if (!before) throw new ApiError(404, 'NotFound', 'No such tenant.');
    if (before.version !== change.expectedVersion) {
      throw staleSettings([{ message: 'The settings changed.', expectedVersion: change.expectedVersion, currentVersion: before.version }]);
    }
    const { expectedVersion: _, ...after } = change;
    const was = syncSettings(before);
    if (JSON.stringify(was) === JSON.stringify(after)) return before;
    if (!(await updateSyncSettingsRow(tx, actor.tenantId, before.version, after, now))) throw staleSettings();
    await appendAudit(tx, actor, [{ action: 'tenant.sync_settings', entityType: 'tenant', entityId: actor.tenantId, before: was, after }], now);
    return requireTenant(tx, actor.tenantId);
  });
}

/**
 * Changes the tenant mode and/or the invite lifetime, if the admin saw the current version.
 * Switching mode deletes nothing: links, options and history stay; in OAuth mode a link whose
 * mailbox is not authorized is simply not synchronized (and shows so).
 */
export async function updateTenantSettings(store: Store, actor: Actor, change: TenantSettingsChange, now: Date): Promise<TenantRow> {
  return store.transaction(async (tx) => {
    const before = await findTenant(tx, actor.tenantId);
    if (!before) throw new ApiError(404, 'NotFound', 'No such tenant.');
    if (before.version !== change.expectedVersion) {
      throw new ApiError(409, 'VersionConflict', 'Someone else changed these settings after you loaded them. Reload and try again.', [
        { message: 'The settings changed.', expectedVersion: change.expectedVersion, currentVersion: before.version },
      ]);
    }
    const mode = change.mode ?? before.mode;
    const ttl = change.inviteTtlDays ?? before.invite_ttl_days;
    if (mode === before.mode && ttl === before.invite_ttl_days) return before;
    if (!(await updateTenantSettingsRow(tx, actor.tenantId, before.version, { mode, inviteTtlDays: ttl }, now))) {
      throw new ApiError(409, 'VersionConflict', 'Someone else changed these settings after you loaded them. Reload and try again.');
    }
    await appendAudit(
      tx,
      actor,
      [
        {
          action: mode !== before.mode ? 'tenant.mode_changed' : 'tenant.settings_changed',
          entityType: 'tenant',
          entityId: actor.tenantId,
          before: { mode: before.mode, inviteTtlDays: before.invite_ttl_days },
          after: { mode, inviteTtlDays: ttl },
        },
      ],
      now,
    );
    return requireTenant(tx, actor.tenantId);
  });
}
