import { createRequire } from 'node:module';
import type { DesiredWebPanel } from './manifest.js';

// The package's ESM build uses extensionless imports Node cannot load; its CommonJS build works.
type SoWebApi = typeof import('@superoffice/webapi', { with: { 'resolution-mode': 'require' } });
type WebPanelEntity = import('@superoffice/webapi', { with: { 'resolution-mode': 'require' } }).WebPanelEntity;
const require = createRequire(import.meta.url);
const so = require('@superoffice/webapi') as SoWebApi;

/** Where and as whom the deploy talks to a tenant's Web API. */
export interface SuperOfficeTarget {
  /** e.g. `https://online.superoffice.com/Cust12345/api/` */
  webApiUrl: string;
  /** The Authorization header value: `Bearer <access token>` or `SOTicket <ticket>`. */
  authorization: string;
  /** The app's token, sent as `SO-AppToken` (required with tickets in Online). */
  appToken?: string;
}

/** A web panel as the deploy reads it back: the fields the manifest controls, plus id and Deleted. */
export type StoredWebPanel = DesiredWebPanel & { WebPanelId: number; Deleted: boolean };

export class SuperOfficeDeployError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'SuperOfficeDeployError';
  }
}

/** What failed, without the request's headers (they carry the credential). */
function wrap(what: string, err: unknown): SuperOfficeDeployError {
  const e = err as { response?: { status?: number; data?: { Message?: string; ErrorType?: string } }; code?: string; message?: string };
  const status = e?.response?.status ?? null;
  const detail = e?.response?.data?.Message ?? e?.code ?? e?.message ?? 'no answer';
  return new SuperOfficeDeployError(`${what} failed${status ? ` (HTTP ${status})` : ''}: ${String(detail).slice(0, 200)}`, status);
}

/** SuperOffice's error body saying the panel is missing: a `…NotFound…` type, or "not found" naming the ProgId. */
function isNotFound(err: unknown, progId: string): boolean {
  const data = (err as { response?: { data?: { ErrorType?: unknown; Message?: unknown; ErrorMessage?: unknown } } })?.response?.data;
  if (!data || typeof data !== 'object') return false;
  if (typeof data.ErrorType === 'string' && /NotFound/i.test(data.ErrorType)) return true;
  return [data.Message, data.ErrorMessage].some((m) => typeof m === 'string' && /\bnot found\b/i.test(m) && m.includes(progId));
}

const BOOLS = [
  'OnCentral', 'OnSatellite', 'OnTravel', 'OnSalesMarketingWeb', 'OnSalesMarketingPocket',
  'ShowInMenuBar', 'ShowInToolBar', 'ShowInAddressBar', 'ShowInStatusBar', 'AlwaysReloadOnShow',
] as const;

/** The package's camelCase carrier → the wire's PascalCase fields the deploy compares. */
function fromCarrier(e: WebPanelEntity): StoredWebPanel {
  const lower = (k: string) => k.charAt(0).toLowerCase() + k.slice(1);
  const get = (k: string) => (e as Record<string, unknown>)[lower(k)];
  const out: Record<string, unknown> = {
    WebPanelId: e.webPanelId ?? 0,
    Deleted: Boolean(e.deleted),
    ProgId: e.progId ?? '',
    WindowName: e.windowName ?? '',
    Name: e.name ?? '',
    Tooltip: e.tooltip ?? '',
    VisibleIn: String(e.visibleIn ?? 'Invisible'),
    Url: e.url ?? '',
    UrlEncoding: String(e.urlEncoding ?? 'None'),
    Rank: e.rank ?? 0,
    Icon: e.icon ?? 0,
  };
  for (const k of BOOLS) out[k] = Boolean(get(k));
  return out as unknown as StoredWebPanel;
}

function toCarrier(p: DesiredWebPanel & { WebPanelId: number; Deleted: boolean }): WebPanelEntity {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) out[k.charAt(0).toLowerCase() + k.slice(1)] = v;
  return out as WebPanelEntity;
}

/**
 * The SuperOffice calls the deploy needs, through the official `@superoffice/webapi` agents
 * (ListAgent for web panels and their user-group visibility, MDOAgent for list ids and user
 * groups, DiagnosticsAgent to flush the app cache) and `v1/User/currentPrincipal` over REST
 * (the package has no call for it).
 */
export class SuperOfficePanels {
  private readonly list: InstanceType<SoWebApi['ListAgent']>;
  private readonly mdo: InstanceType<SoWebApi['MDOAgent']>;
  private readonly diagnostics: InstanceType<SoWebApi['DiagnosticsAgent']>;
  private listId: number | null = null;

  constructor(private readonly target: SuperOfficeTarget) {
    const options = {
      baseUrl: target.webApiUrl,
      resourceParsing: so.ResourceParsing.DoNotParse,
      axiosConfig: {
        timeout: 30_000,
        headers: { Authorization: target.authorization, ...(target.appToken ? { 'SO-AppToken': target.appToken } : {}) },
      },
    };
    this.list = new so.ListAgent({ ...options });
    this.mdo = new so.MDOAgent({ ...options });
    this.diagnostics = new so.DiagnosticsAgent({ ...options });
  }

  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw wrap(what, err);
    }
  }

  /** The web panel list's id (MDO list `Lists`, the item whose Type is `webpanel`). */
  async webPanelListId(): Promise<number> {
    if (this.listId !== null) return this.listId;
    const lists = await this.call('Reading MDO list Lists', () => this.mdo.getListAsync('Lists', true, '', false));
    const item = lists.find((l) => (l.type ?? '').toLowerCase() === 'webpanel');
    if (!item?.id) throw new SuperOfficeDeployError('SuperOffice has no web panel list (MDO list Lists, Type webpanel).', null);
    this.listId = item.id;
    return item.id;
  }

  async userGroups(): Promise<{ id: number; name: string }[]> {
    const groups = await this.call('Reading the user groups', () => this.mdo.getListAsync('usergroup', true, '', false));
    return groups.filter((g) => g.id && !g.deleted).map((g) => ({ id: g.id!, name: g.name ?? '' }));
  }

  /** The user groups (primary and secondary) of whoever the credential belongs to. */
  async ownGroups(): Promise<number[]> {
    const url = new URL('v1/User/currentPrincipal', this.target.webApiUrl.endsWith('/') ? this.target.webApiUrl : `${this.target.webApiUrl}/`);
    const res = await fetch(url, {
      headers: {
        authorization: this.target.authorization,
        accept: 'application/json',
        ...(this.target.appToken ? { 'SO-AppToken': this.target.appToken } : {}),
      },
      signal: AbortSignal.timeout(30_000),
    }).catch((err: unknown) => {
      throw wrap('Reading the current principal', err);
    });
    if (!res.ok) throw new SuperOfficeDeployError(`Reading the current principal failed (HTTP ${res.status})`, res.status);
    const p = (await res.json()) as { GroupId?: number; SecondaryGroups?: number[] };
    return [...new Set([p.GroupId ?? 0, ...(p.SecondaryGroups ?? [])].filter((g) => g > 0))];
  }

  /**
   * The panel with this ProgId, or null. What the agent answers for no match is undocumented:
   * `null`, an empty entity (`WebPanelId` 0) and a not-found error all mean "no such panel". Any
   * other failure stays a failure: taking a fault for "missing" would create a second panel.
   */
  async byProgId(progId: string): Promise<StoredWebPanel | null> {
    let found: WebPanelEntity | null;
    try {
      found = await this.list.getWebPanelByProgIdAsync(progId);
    } catch (err) {
      if (isNotFound(err, progId)) return null;
      throw wrap(`Looking up ${progId}`, err);
    }
    return found && found.webPanelId ? fromCarrier(found) : null;
  }

  /** Creates (id 0) or replaces a panel; `Deleted: false` also restores a soft-deleted one. */
  async save(panel: DesiredWebPanel & { WebPanelId: number; Deleted: boolean }): Promise<StoredWebPanel> {
    const saved = await this.call(`Saving ${panel.ProgId}`, () => this.list.saveWebPanelEntityAsync(toCarrier(panel)));
    return fromCarrier(saved);
  }

  async visibleFor(panelId: number): Promise<number[]> {
    const listId = await this.webPanelListId();
    const groups = await this.call(`Reading the visibility of panel ${panelId}`, () => this.list.getVisibleForUserGroupsAsync(listId, panelId));
    return groups.filter((g) => g.selected && g.id).map((g) => g.id!);
  }

  async setVisibleFor(panelId: number, groupIds: number[], enable: boolean): Promise<void> {
    if (groupIds.length === 0) return;
    const listId = await this.webPanelListId();
    await this.call(`Setting the visibility of panel ${panelId}`, () => this.list.setVisibleForUserGroupAsync(listId, panelId, groupIds, enable));
  }

  async flushCaches(): Promise<void> {
    await this.call('Flushing the app cache', () => this.diagnostics.flushCachesByNameAsync(['ExtAppCache']));
  }
}
