import { Migrator, type Migration, type MigrationResultSet } from 'kysely';
import type { DialectName } from './dialect.js';
import { initial } from './migrations/20261125_001_initial.js';
import { superofficeSignin } from './migrations/20261125_002_superoffice_signin.js';
import { invites } from './migrations/20261125_003_invites.js';
import { panelProvisioning } from './migrations/20261125_004_panel_provisioning.js';
import { consentApprover } from './migrations/20261201_005_consent_approver.js';
import { syncLeases } from './migrations/20261202_006_sync_leases.js';
import { syncItems } from './migrations/20261203_007_sync_items.js';
import { dropSyncHistory } from './migrations/20261203_008_drop_sync_history.js';
import { inviteOutcomes } from './migrations/20261204_009_invite_outcomes.js';
import { linkListOrder } from './migrations/20261204_010_link_list_order.js';
import { syncContainers } from './migrations/20261205_011_sync_containers.js';
import { delegatedGrants } from './migrations/20261205_012_delegated_grants.js';
import { syncTriggers } from './migrations/20261205_013_sync_triggers.js';
import { syncKindStatus } from './migrations/20261205_014_sync_kind_status.js';
import { syncCursorMapped } from './migrations/20261206_015_sync_cursor_mapped.js';
import { removedLinks } from './migrations/20261207_016_removed_links.js';
import { syncLoad } from './migrations/20261207_017_sync_load.js';
import { healthIgnores } from './migrations/20261207_018_health_ignores.js';
import { alerts } from './migrations/20261208_019_alerts.js';
import { auditActor } from './migrations/20261208_020_audit_actor.js';
import type { Store } from './store.js';

/** Every migration, by name; names sort in the order they run. */
export function migrations(dialect: DialectName): Record<string, Migration> {
  return {
    '20261125_001_initial': initial(dialect),
    '20261125_002_superoffice_signin': superofficeSignin(dialect),
    '20261125_003_invites': invites(dialect),
    '20261125_004_panel_provisioning': panelProvisioning(dialect),
    '20261201_005_consent_approver': consentApprover(dialect),
    '20261202_006_sync_leases': syncLeases(dialect),
    '20261203_007_sync_items': syncItems(dialect),
    '20261203_008_drop_sync_history': dropSyncHistory(dialect),
    '20261204_009_invite_outcomes': inviteOutcomes(dialect),
    '20261204_010_link_list_order': linkListOrder(dialect),
    '20261205_011_sync_containers': syncContainers(dialect),
    '20261205_012_delegated_grants': delegatedGrants(dialect),
    '20261205_013_sync_triggers': syncTriggers(dialect),
    '20261205_014_sync_kind_status': syncKindStatus(dialect),
    '20261206_015_sync_cursor_mapped': syncCursorMapped(dialect),
    '20261207_016_removed_links': removedLinks(dialect),
    '20261207_017_sync_load': syncLoad(dialect),
    '20261207_018_health_ignores': healthIgnores(dialect),
    '20261208_019_alerts': alerts(dialect),
    '20261208_020_audit_actor': auditActor(dialect),
  };
}

export class MigrationError extends Error {}

/** Brings the schema up to date. Safe to run from several instances at once (Kysely locks). */
export async function migrateToLatest(store: Store): Promise<string[]> {
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations(store.dialect.name) },
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(`migration ${failed} failed: ${String(result.error)}`, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
