import type { Store } from '../db/store.js';
import type { Fetch } from '../http/outbound.js';
import type { SecretBox } from '../security/secret-box.js';
import { latestAdminCredentialOwner, loadCredential } from '../superoffice/credential.repository.js';
import type { SuperOfficeOidc } from '../superoffice/oidc.js';
import { currentPrincipal } from '../superoffice/principal.js';
import { SuperOfficeWebApi } from '../superoffice/webapi.client.js';
import { applyPlan, describeStep, planInstall, planUninstall, type DeployPlan } from './deploy.js';
import { loadManifest, MANIFEST_FILE, resolveManifest } from './manifest.js';
import { SuperOfficeDeployError, SuperOfficePanels, type SuperOfficeTarget } from './superoffice-panels.js';
import { systemUserTarget, type SystemUserSettings } from './system-user.js';

export type DeployAuth =
  | { kind: 'system'; settings: SystemUserSettings }
  | { kind: 'admin'; store: Store; box: SecretBox; oidc: SuperOfficeOidc | null; appToken?: string; associateId?: number }
  | { kind: 'target'; target: SuperOfficeTarget };

export interface DeployOptions {
  tenant: string;
  dryRun: boolean;
  uninstall: boolean;
  manifestFile?: string;
  /** The app's public URL, filled in for `${baseUrl}`. */
  baseUrl: string;
  /** Production requires an https base URL. */
  production: boolean;
  auth: DeployAuth;
  fetch: Fetch;
}

/**
 * An administrator's stored SuperOffice sign-in (they signed in to the panel once): the
 * credential the backend keeps sealed, refreshed first if it has expired. Without `associateId`
 * the most recently used credential of an associate with an administrator session is taken.
 */
async function adminTarget(auth: Extract<DeployAuth, { kind: 'admin' }>, tenant: string, fetchImpl: Fetch): Promise<SuperOfficeTarget> {
  const associateId = auth.associateId ?? (await latestAdminCredentialOwner(auth.store, tenant));
  if (associateId === null) {
    throw new SuperOfficeDeployError(`No administrator of ${tenant} has signed in to the panel yet; sign in once, or use the system user.`, null);
  }
  const deps = { store: auth.store, box: auth.box, oidc: auth.oidc, fetch: fetchImpl, clock: () => new Date(), appToken: auth.appToken };
  // Asking SuperOffice who this is refreshes an expired access token, and proves admin rights now.
  const principal = await currentPrincipal(new SuperOfficeWebApi(deps, tenant, associateId)).catch((err: unknown) => {
    throw new SuperOfficeDeployError(`The stored sign-in of associate ${associateId} no longer works (${(err as Error).message}).`, null);
  });
  if (!principal.isAdmin) {
    throw new SuperOfficeDeployError(`Associate ${associateId} is not an administrator of ${tenant}.`, 403);
  }
  const credential = await loadCredential(auth.store, auth.box, tenant, associateId);
  if (!credential) throw new SuperOfficeDeployError(`No stored sign-in for associate ${associateId}.`, null);
  return {
    webApiUrl: credential.webApiUrl,
    authorization: `${credential.scheme} ${credential.accessToken}`,
    ...(credential.scheme === 'SOTicket' && auth.appToken ? { appToken: auth.appToken } : {}),
  };
}

export async function resolveTarget(options: DeployOptions): Promise<SuperOfficeTarget> {
  const auth = options.auth;
  if (auth.kind === 'target') return auth.target;
  if (auth.kind === 'system') return systemUserTarget({ ...auth.settings, contextId: options.tenant }, options.fetch);
  return adminTarget(auth, options.tenant, options.fetch);
}

/**
 * `npm run deploy`: validates the manifest (problems named by JSON path), signs in, plans each
 * panel (create / update / restore / unchanged, and its visibility) and, unless a dry run,
 * applies the plan. `out` receives the lines to print.
 */
export async function runDeploy(options: DeployOptions, out: (line: string) => void): Promise<DeployPlan> {
  const resolved = resolveManifest(loadManifest(options.manifestFile ?? MANIFEST_FILE), { baseUrl: options.baseUrl, production: options.production });
  out(`${resolved.manifest.app.name} ${resolved.manifest.app.version} → ${options.tenant} (base URL ${resolved.baseUrl})${options.dryRun ? ' — dry run, nothing is changed' : ''}`);
  const api = new SuperOfficePanels(await resolveTarget(options));
  const plan = options.uninstall ? await planUninstall(api, resolved) : await planInstall(api, resolved);
  for (const step of plan.steps) out(`  ${describeStep(step, plan.groupNames)}`);
  if (options.dryRun) {
    out(plan.changes === 0 ? 'Nothing to change.' : `${plan.changes} change(s) planned; run without --dry-run to apply.`);
    return plan;
  }
  if (plan.changes === 0) {
    out('Nothing to change.');
    return plan;
  }
  const result = await applyPlan(api, plan);
  out(`Done: ${result.applied.length} change(s) applied.`);
  return result;
}
