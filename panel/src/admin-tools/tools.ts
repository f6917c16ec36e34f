import type { TemplateResult } from 'lit';
import type { Lang } from '../i18n/locale.js';
import { html } from 'lit';
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
  { id: 'csv', label: { en: 'CSV', nb: 'CSV' }, render: (lang) => html`<so-link-csv lang=${lang}></so-link-csv>` },
];
