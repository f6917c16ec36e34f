import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { appendAudit, type Actor } from '../audit/audit.repository.js';
import type { Store } from '../db/store.js';
import { findPanelsVersion, recordPanels } from '../tenants/tenant.repository.js';
import { applyPlan, DeployFailed, describeStep, planInstall } from './deploy.js';
import { loadManifest, resolveManifest, type ResolvedManifest } from './manifest.js';
import { SuperOfficePanels, type SuperOfficeTarget } from './superoffice-panels.js';

/** What identifies a manifest as provisioned: its panels and visibility once the base URL is filled in. */
export function manifestVersion(resolved: ResolvedManifest): string {
  return createHash('sha256').update(JSON.stringify({ panels: resolved.panels, groups: resolved.userGroups })).digest('hex');
}

/** The shipped manifest, resolved once per base URL (an admin sign-in should not re-read and re-validate it). */
const resolvedCache = new Map<string, { resolved: ResolvedManifest; version: string }>();
function shippedManifest(publicUrl: string, production: boolean): { resolved: ResolvedManifest; version: string } {
  const key = `${production}|${publicUrl}`;
  let entry = resolvedCache.get(key);
  if (!entry) {
    const resolved = resolveManifest(loadManifest(), { baseUrl: publicUrl, production });
    entry = { resolved, version: manifestVersion(resolved) };
    resolvedCache.set(key, entry);
  }
  return entry;
}

export interface ProvisionDeps {
  store: Store;
  publicUrl: string;
  production: boolean;
  log: Logger;
  now: Date;
}

/**
 * The deploy command's install, run by the backend when an administrator signs in (the moment
 * they approve the app in Online), so no command line is needed: once per manifest change per
 * tenant, as that administrator. A failure never blocks the sign-in: it is logged, audited and
 * kept on the tenant, and the next administrator sign-in tries again.
 */
export async function provisionOnSignIn(deps: ProvisionDeps, actor: Actor, target: SuperOfficeTarget): Promise<'provisioned' | 'current' | 'failed'> {
  let resolved: ResolvedManifest;
  let version: string;
  try {
    ({ resolved, version } = shippedManifest(deps.publicUrl, deps.production));
  } catch (err) {
    deps.log.error({ err: (err as Error).message }, 'the manifest is not valid; web panels not provisioned');
    return 'failed';
  }
  const tenant = await findPanelsVersion(deps.store, actor.tenantId);
  if (!tenant || tenant.panels_version === version) return 'current';

  const api = new SuperOfficePanels(target);
  try {
    const plan = await planInstall(api, resolved);
    const result = plan.changes > 0 ? await applyPlan(api, plan) : { ...plan, applied: [] };
    await deps.store.transaction(async (tx) => {
      await recordPanels(tx, actor.tenantId, { version, now: deps.now });
      await appendAudit(
        tx,
        actor,
        [
          {
            action: 'tenant.panels_provisioned',
            entityType: 'tenant',
            entityId: actor.tenantId,
            before: null,
            after: { manifest: `${resolved.manifest.app.name} ${resolved.manifest.app.version}`, steps: result.applied.map((s) => describeStep(s, plan.groupNames)) },
          },
        ],
        deps.now,
      );
    });
    deps.log.info({ tenant: actor.tenantId, changes: result.applied.length }, 'web panels provisioned');
    return 'provisioned';
  } catch (err) {
    const message = (err instanceof DeployFailed ? err.message : (err as Error).message).slice(0, 400);
    deps.log.warn({ tenant: actor.tenantId, error: message }, 'web panel provisioning failed');
    await deps.store.transaction(async (tx) => {
      await recordPanels(tx, actor.tenantId, { error: message });
      await appendAudit(tx, actor, [{ action: 'tenant.panels_failed', entityType: 'tenant', entityId: actor.tenantId, before: null, after: { error: message } }], deps.now);
    });
    return 'failed';
  }
}
