import { ADMINISTRATORS, type DesiredWebPanel, type ResolvedManifest } from './manifest.js';
import { SuperOfficeDeployError, type StoredWebPanel, type SuperOfficePanels } from './superoffice-panels.js';

/** One thing the deploy does (or, in a dry run, would do) to one panel. */
export type Step =
  | { kind: 'create'; progId: string; panel: DesiredWebPanel }
  | { kind: 'update'; progId: string; id: number; fields: string[]; panel: DesiredWebPanel }
  | { kind: 'restore'; progId: string; id: number; fields: string[]; panel: DesiredWebPanel }
  | { kind: 'unchanged'; progId: string; id: number }
  | { kind: 'visibility'; progId: string; id: number | null; add: number[]; remove: number[] }
  | { kind: 'remove'; progId: string; id: number }
  | { kind: 'absent'; progId: string };

export interface DeployPlan {
  steps: Step[];
  /** Group ids by name, for printing. */
  groupNames: Map<number, string>;
  changes: number;
}

export interface DeployResult extends DeployPlan {
  applied: Step[];
}

/** The deploy stopped at `failed`; `applied` went through. Running it again finishes the job. */
export class DeployFailed extends Error {
  constructor(
    readonly applied: Step[],
    readonly failed: Step,
    override readonly cause: Error,
  ) {
    super(`${describeStep(failed)} failed: ${cause.message}`);
    this.name = 'DeployFailed';
  }
}

const FIELDS: (keyof DesiredWebPanel)[] = [
  'ProgId', 'WindowName', 'Name', 'Tooltip', 'VisibleIn', 'Url', 'UrlEncoding', 'Rank', 'Icon', 'OnCentral', 'OnSatellite',
  'OnTravel', 'OnSalesMarketingWeb', 'OnSalesMarketingPocket', 'ShowInMenuBar', 'ShowInToolBar', 'ShowInAddressBar',
  'ShowInStatusBar', 'AlwaysReloadOnShow',
];

function differing(stored: StoredWebPanel, desired: DesiredWebPanel): string[] {
  return FIELDS.filter((f) => stored[f] !== desired[f]);
}

/** The manifest's user groups as ids: names looked up in SuperOffice, `$administrators` as the installer's groups. */
async function desiredGroups(api: SuperOfficePanels, names: string[]): Promise<{ ids: number[]; names: Map<number, string>; exact: boolean }> {
  const all = await api.userGroups();
  const byName = new Map(all.map((g) => [g.name.toLowerCase(), g.id]));
  const ids = new Set<number>();
  const missing: string[] = [];
  for (const name of names) {
    if (name === ADMINISTRATORS) {
      for (const id of await api.ownGroups()) ids.add(id);
      continue;
    }
    const id = byName.get(name.toLowerCase());
    if (id === undefined) missing.push(name);
    else ids.add(id);
  }
  if (missing.length > 0) {
    throw new SuperOfficeDeployError(`No user group named ${missing.map((m) => `"${m}"`).join(', ')} in this tenant (it has ${all.map((g) => `"${g.name}"`).join(', ')}).`, null);
  }
  if (ids.size === 0) throw new SuperOfficeDeployError('The panels would be visible to no user group; name one in visibility.userGroups.', null);
  return { ids: [...ids].sort((a, b) => a - b), names: new Map(all.map((g) => [g.id, g.name])), exact: !names.includes(ADMINISTRATORS) };
}

/**
 * What installing the manifest would change, read from the tenant (nothing written): each
 * panel looked up by ProgId and compared field by field, and its user-group visibility.
 */
export async function planInstall(api: SuperOfficePanels, resolved: ResolvedManifest): Promise<DeployPlan> {
  const groups = await desiredGroups(api, resolved.userGroups);
  const steps: Step[] = [];
  for (const panel of resolved.panels) {
    const stored = await api.byProgId(panel.ProgId);
    let id: number | null = null;
    if (!stored) steps.push({ kind: 'create', progId: panel.ProgId, panel });
    else {
      id = stored.WebPanelId;
      const fields = differing(stored, panel);
      if (stored.Deleted) steps.push({ kind: 'restore', progId: panel.ProgId, id, fields, panel });
      else if (fields.length > 0) steps.push({ kind: 'update', progId: panel.ProgId, id, fields, panel });
      else steps.push({ kind: 'unchanged', progId: panel.ProgId, id });
    }
    const visible = id === null ? [] : await api.visibleFor(id);
    const add = groups.ids.filter((g) => !visible.includes(g));
    // Named groups are the exact set. "$administrators" means the installing administrator's
    // groups: another administrator's install adds theirs and takes no one else's away.
    const remove = groups.exact ? visible.filter((g) => !groups.ids.includes(g)) : [];
    if (add.length > 0 || remove.length > 0) steps.push({ kind: 'visibility', progId: panel.ProgId, id, add, remove });
  }
  return { steps, groupNames: groups.names, changes: steps.filter((s) => s.kind !== 'unchanged').length };
}

/** What uninstalling would remove: the manifest's panels that exist and are not deleted, nothing else. */
export async function planUninstall(api: SuperOfficePanels, resolved: ResolvedManifest): Promise<DeployPlan> {
  const steps: Step[] = [];
  for (const panel of resolved.panels) {
    const stored = await api.byProgId(panel.ProgId);
    if (stored && !stored.Deleted) steps.push({ kind: 'remove', progId: panel.ProgId, id: stored.WebPanelId });
    else steps.push({ kind: 'absent', progId: panel.ProgId });
  }
  return { steps, groupNames: new Map(), changes: steps.filter((s) => s.kind === 'remove').length };
}

/**
 * Carries out a plan, step by step, in order (a panel before its visibility). Every step is
 * idempotent and the plan is re-read from the tenant on each run, so after a failure half-way
 * ({@link DeployFailed} says what went through) running the deploy again completes the job.
 */
export async function applyPlan(api: SuperOfficePanels, plan: DeployPlan): Promise<DeployResult> {
  const applied: Step[] = [];
  const created = new Map<string, number>();
  for (const step of plan.steps) {
    try {
      switch (step.kind) {
        case 'create': {
          const saved = await api.save({ ...step.panel, WebPanelId: 0, Deleted: false });
          created.set(step.progId, saved.WebPanelId);
          break;
        }
        case 'update':
        case 'restore':
          await api.save({ ...step.panel, WebPanelId: step.id, Deleted: false });
          break;
        case 'visibility': {
          const id = step.id ?? created.get(step.progId);
          if (id === undefined) throw new SuperOfficeDeployError(`Panel ${step.progId} was not created.`, null);
          await api.setVisibleFor(id, step.add, true);
          await api.setVisibleFor(id, step.remove, false);
          break;
        }
        case 'remove': {
          const stored = await api.byProgId(step.progId);
          if (stored && !stored.Deleted) await api.save({ ...stored, Deleted: true });
          break;
        }
        case 'unchanged':
        case 'absent':
          continue;
      }
    } catch (err) {
      throw new DeployFailed(applied, step, err instanceof Error ? err : new Error(String(err)));
    }
    applied.push(step);
  }
  if (applied.length > 0) {
    try {
      await api.flushCaches();
    } catch (err) {
      throw new DeployFailed(applied, { kind: 'unchanged', progId: '(app cache)', id: 0 }, err instanceof Error ? err : new Error(String(err)));
    }
  }
  return { ...plan, applied };
}

export function describeStep(step: Step, groupNames: Map<number, string> = new Map()): string {
  const g = (ids: number[]) => ids.map((id) => groupNames.get(id) ?? `#${id}`).join(', ');
  switch (step.kind) {
    case 'create':
      return `create    ${step.progId} (${step.panel.VisibleIn}, ${step.panel.Url})`;
    case 'update':
      return `update    ${step.progId} (panel ${step.id}: ${step.fields.join(', ')})`;
    case 'restore':
      return `restore   ${step.progId} (panel ${step.id} was deleted${step.fields.length ? `; also ${step.fields.join(', ')}` : ''})`;
    case 'unchanged':
      return `unchanged ${step.progId}${step.id ? ` (panel ${step.id})` : ''}`;
    case 'visibility':
      return `visible   ${step.progId}:${step.add.length ? ` show to ${g(step.add)}` : ''}${step.remove.length ? ` hide from ${g(step.remove)}` : ''}`;
    case 'remove':
      return `remove    ${step.progId} (panel ${step.id}, marked deleted)`;
    case 'absent':
      return `absent    ${step.progId} (nothing to remove)`;
  }
}
