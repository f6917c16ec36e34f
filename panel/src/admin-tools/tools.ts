import { html, type TemplateResult } from 'lit';
import type { Lang } from '../i18n/locale.js';
import '../health-report/health-report.js';
import '../why-sync/why-sync.js';
import '../alerts/alerts.js';
import '../undo/undo-view.js';
import '../rank-balance/rank-balance.js';
import '../audit-view/audit-view.js';
import '../link-csv/link-csv.js';

/**
 * One administrator tool: a tab of `so-admin-tools`. Each tool is its own element (its own
 * folder, API calls and strings); this list is the only place that names them all, in the order
 * the tabs show. A tool that changed links dispatches {@link LinksChangedEvent} so the lists
 * behind it are loaded again when the administrator goes back.
 */
export interface AdminTool {
  readonly id: string;
  readonly label: Readonly<Record<Lang, string>>;
  render(lang: Lang): TemplateResult;
}

/** Bubbles out of a tool (composed) when it changed links: the panel reloads its lists. */
export class LinksChangedEvent extends Event {
  static readonly type = 'links-changed';
  constructor() {
    super(LinksChangedEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'links-changed': LinksChangedEvent;
  }
}

/** The tools, one entry each (imports of their elements go with their entries). */
export const ADMIN_TOOLS: AdminTool[] = [
  { id: 'health', label: { en: 'Health', nb: 'Helse' }, render: (lang) => html`<so-health-report lang=${lang}></so-health-report>` },
  { id: 'undo', label: { en: 'Undo', nb: 'Angre' }, render: (lang) => html`<so-undo-view lang=${lang}></so-undo-view>` },
  { id: 'csv', label: { en: 'CSV', nb: 'CSV' }, render: (lang) => html`<so-link-csv lang=${lang}></so-link-csv>` },
  { id: 'ranks', label: { en: 'Server Ranks', nb: 'Serverrangering' }, render: (lang) => html`<so-rank-balance lang=${lang}></so-rank-balance>` },
  { id: 'audit', label: { en: 'Audit', nb: 'Revisjon' }, render: (lang) => html`<so-audit-view lang=${lang}></so-audit-view>` },
  {
    id: 'why',
    label: { en: "Why didn't this sync?", nb: 'Hvorfor ble dette ikke synkronisert?' },
    render: (lang) => html`<so-why-sync lang=${lang}></so-why-sync>`,
  },
  { id: 'alerts', label: { en: 'Alerts', nb: 'Varsler' }, render: (lang) => html`<so-alerts lang=${lang}></so-alerts>` },
];
