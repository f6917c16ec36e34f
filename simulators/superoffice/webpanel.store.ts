import { field, type LooseBody } from './body.js';
import { SoError } from './errors.js';

/** The `Navigation` enum (PKG Enums.ts), in value order: `VisibleIn` carries these names. */
export const NAVIGATION = [
  'Invisible', 'ToolboxMenu', 'NavigatorButton', 'ViewMenu', 'SelectionTaskCard', 'ContactCard', 'ContactArchive',
  'ProjectCard', 'ProjectArchive', 'SaleCard', 'PersonCard', 'ActivityDialog', 'DocumentDialog', 'BrowserPanel',
  'ContSelectionTask', 'AppntSelectionTask', 'SaleSelectionTask', 'DocSelectionTask', 'ProjSelectionTask',
  'CompanyMinicard', 'ProjectMinicard', 'DiaryMinicard', 'SelectionMinicard', 'ButtonPanelTask', 'AppointmentDialogTask',
  'SaleDialogTask', 'DocumentDialogTask', 'PersonDialogTask', 'SaleMinicard', 'SaleArchive', 'AppntSelectionShadowTask',
  'SaleSelectionShadowTask', 'DocSelectionShadowTask', 'ProjSelectionShadowTask', 'DiaryArchive', 'SelectionContactArchive',
  'SelectionProjectArchive', 'SelectionSaleArchive', 'SelectionAppointmentArchive', 'SelectionDocumentArchive',
  'ContSelectionCustomTask', 'AppntSelectionCustomTask', 'SaleSelectionCustomTask', 'DocSelectionCustomTask',
  'ProjSelectionCustomTask', 'CustomArchiveMiniCard', 'SelectionCard', 'ReportMinicard', 'QuoteDialog', 'QuoteDialogTask',
  'QuoteDialogArchive', 'QuoteLineDialogTask', 'QuoteLineDialog', 'QuoteLineSelectionMainTask',
  'QuoteLineSelectionShadowTask', 'SelectionQuoteLineArchive', 'QuoteLineSelectionCustomTask', 'FindSystem',
  'MailingSelectionTask', 'ContactSelectionMailingsTask', 'AppointmentSelectionMailingsTask', 'SaleSelectionMailingsTask',
  'DocumentSelectionMailingsTask', 'ProjectSelectionMailingsTask', 'QuoteLineSelectionMailingsTask', 'TopPanelNewMenu',
  'Dashboard', 'PersonArchive', 'PersonMinicard', 'CompanyCardTask', 'ProjectCardTask', 'TicketCard', 'TicketMinicard',
  'CustomObjectCard', 'CustomObjectArchive',
] as const;

/** The `UrlEncoding` enum: Unknown 0, None 1, ANSI 2, Unicode 3. */
export const URL_ENCODING = ['Unknown', 'None', 'ANSI', 'Unicode'] as const;

export type NavigationName = (typeof NAVIGATION)[number];
export type UrlEncodingName = (typeof URL_ENCODING)[number];

/** A stored web panel, in the wire's PascalCase (PKG Carriers.ts `WebPanelEntity`). */
export interface WebPanelFields {
  WebPanelId: number;
  Name: string;
  Tooltip: string;
  Deleted: boolean;
  Rank: number;
  UrlEncoding: UrlEncodingName;
  VisibleIn: NavigationName;
  OnCentral: boolean;
  OnSatellite: boolean;
  OnTravel: boolean;
  OnSalesMarketingWeb: boolean;
  OnSalesMarketingPocket: boolean;
  ShowInMenuBar: boolean;
  ShowInToolBar: boolean;
  ShowInAddressBar: boolean;
  ShowInStatusBar: boolean;
  WindowName: string;
  Url: string;
  ProgId: string;
  Icon: number;
  AlwaysReloadOnShow: boolean;
  NeverReloadOnCurrentChange: boolean;
  CustomObjectEntity: string;
}

export interface WebPanelEntity extends WebPanelFields {
  TableRight: { Mask: string; Reason: string };
  FieldProperties: Record<string, never>;
}

/** What the simulator keeps besides the entity: who created it and which user groups see it. */
export interface StoredWebPanel {
  entity: WebPanelFields;
  /** The app (client id) whose credential created it; `GetAppWebPanels` lists by this. */
  ownerClientId: string;
  /** Set through `SetVisibleForUserGroup`. */
  visibleForUserGroups: number[];
}

/** NetServer's defaults for a new panel [INF: values not documented]. */
export function defaultWebPanel(): WebPanelFields {
  return {
    WebPanelId: 0,
    Name: '',
    Tooltip: '',
    Deleted: false,
    Rank: 0,
    UrlEncoding: 'None',
    VisibleIn: 'Invisible',
    OnCentral: false,
    OnSatellite: false,
    OnTravel: false,
    OnSalesMarketingWeb: false,
    OnSalesMarketingPocket: false,
    ShowInMenuBar: false,
    ShowInToolBar: false,
    ShowInAddressBar: false,
    ShowInStatusBar: false,
    WindowName: '',
    Url: '',
    ProgId: '',
    Icon: 0,
    AlwaysReloadOnShow: false,
    NeverReloadOnCurrentChange: false,
    CustomObjectEntity: '',
  };
}

export function toEntity(fields: WebPanelFields): WebPanelEntity {
  return { ...fields, TableRight: { Mask: 'Select, Update, Insert, Delete', Reason: '' }, FieldProperties: {} };
}

const BOOL_FIELDS = [
  'Deleted', 'OnCentral', 'OnSatellite', 'OnTravel', 'OnSalesMarketingWeb', 'OnSalesMarketingPocket', 'ShowInMenuBar',
  'ShowInToolBar', 'ShowInAddressBar', 'ShowInStatusBar', 'AlwaysReloadOnShow', 'NeverReloadOnCurrentChange',
] as const;
const STRING_FIELDS = ['Name', 'Tooltip', 'WindowName', 'Url', 'ProgId', 'CustomObjectEntity'] as const;
const INT_FIELDS = ['WebPanelId', 'Rank', 'Icon'] as const;

function invalid(message: string): SoError {
  return new SoError(400, 'ArgumentException', message);
}

/** JSON.NET enum binding: the name (any casing) or the number; anything else is refused. */
function enumValue<T extends string>(names: readonly T[], value: unknown, fieldName: string): T {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < names.length) return names[value] as T;
  if (typeof value === 'string') {
    const found = names.find((n) => n.toLowerCase() === value.toLowerCase());
    if (found) return found;
  }
  throw invalid(`${fieldName}: '${String(value)}' is not a valid ${fieldName === 'VisibleIn' ? 'Navigation' : 'UrlEncoding'} value.`);
}

/** Applies the fields present in `body` (any key casing) over `base`; unknown keys are ignored. */
export function mergeWebPanel(base: WebPanelFields, body: LooseBody): WebPanelFields {
  const out: WebPanelFields = { ...base };
  for (const name of BOOL_FIELDS) {
    const v = field(body, name);
    if (v === undefined || v === null) continue;
    if (typeof v !== 'boolean') throw invalid(`${name} must be true or false.`);
    out[name] = v;
  }
  for (const name of STRING_FIELDS) {
    const v = field(body, name);
    if (v === undefined) continue;
    if (v !== null && typeof v !== 'string') throw invalid(`${name} must be a string.`);
    out[name] = v ?? '';
  }
  for (const name of INT_FIELDS) {
    const v = field(body, name);
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw invalid(`${name} must be an integer.`);
    out[name] = v;
  }
  const visibleIn = field(body, 'VisibleIn');
  if (visibleIn !== undefined && visibleIn !== null) out.VisibleIn = enumValue(NAVIGATION, visibleIn, 'VisibleIn');
  const encoding = field(body, 'UrlEncoding');
  if (encoding !== undefined && encoding !== null) out.UrlEncoding = enumValue(URL_ENCODING, encoding, 'UrlEncoding');
  return out;
}

/** One tenant's web panels. Ids are assigned from 1 and never reused. */
export class WebPanelStore {
  private panels = new Map<number, StoredWebPanel>();
  private nextId = 1;

  list(): StoredWebPanel[] {
    return [...this.panels.values()].sort((a, b) => a.entity.WebPanelId - b.entity.WebPanelId);
  }

  get(id: number): StoredWebPanel | undefined {
    return this.panels.get(id);
  }

  byProgId(progId: string): StoredWebPanel | undefined {
    return this.list().find((p) => p.entity.ProgId === progId);
  }

  create(body: LooseBody, ownerClientId: string): WebPanelFields {
    const entity = mergeWebPanel(defaultWebPanel(), body);
    entity.WebPanelId = this.nextId++;
    this.panels.set(entity.WebPanelId, { entity, ownerClientId, visibleForUserGroups: [] });
    return entity;
  }

  /** Replaces the panel's fields with those in `body`; the id in the path wins over the body's. */
  update(id: number, body: LooseBody): WebPanelFields | undefined {
    const stored = this.panels.get(id);
    if (!stored) return undefined;
    stored.entity = { ...mergeWebPanel(stored.entity, body), WebPanelId: id };
    return stored.entity;
  }

  /** REST DELETE: the row stays, marked Deleted, so a reinstall can un-delete it. */
  softDelete(id: number): boolean {
    const stored = this.panels.get(id);
    if (!stored) return false;
    stored.entity = { ...stored.entity, Deleted: true };
    return true;
  }

  /** ListAgent.DeleteWebPanel: permanent. */
  hardDelete(id: number): boolean {
    return this.panels.delete(id);
  }

  setVisibleForUserGroup(id: number, groupIds: number[], enable: boolean): boolean {
    const stored = this.panels.get(id);
    if (!stored) return false;
    const groups = new Set(stored.visibleForUserGroups);
    for (const g of groupIds) {
      if (enable) groups.add(g);
      else groups.delete(g);
    }
    stored.visibleForUserGroups = [...groups].sort((a, b) => a - b);
    return true;
  }

  clear(): void {
    this.panels.clear();
    this.nextId = 1;
  }
}
