import { LitElement, css, html, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { AuditCategory, AuditEntry } from '../../../../backend/contract.js';
import { errorText, type PanelClient } from '../../api/api-client.js';
import { panelApiContext } from '../../api/context.js';
import { saveFile } from '../../api/save-file.js';
import { formatDateTime, pick, type Lang } from '../../i18n/locale.js';
import { auditViewStrings, type AuditViewStrings } from '../audit-view.strings.js';
import { NO_FILTERS, auditQuery, changeSummary, type AuditFilters } from './audit-query.js';

const CATEGORIES: readonly AuditCategory[] = ['links', 'tenant', 'consent', 'invites', 'authorizations', 'sync', 'health', 'alerts', 'other'];
const PAGE = 50;

/** What the view uses of the API client. */
export type AuditClient = Pick<PanelClient, 'send' | 'download'>;

/**
 * The Audit view (an administrator tool): who did what and when, newest first, filtered by user,
 * action category and dates; **Load more** reads the next page (`nextBefore`), **Export CSV**
 * downloads every entry that passes the same filters. Reads through the API client of the app
 * shell's context ({@link panelApiContext}).
 */
export class AuditView extends LitElement {
  static override styles = css`
    :host { display: block; }
    form { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: end; margin-bottom: 0.5rem; }
    label { display: flex; flex-direction: column; font-size: 0.85em; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: 0.25rem 0.4rem; border-bottom: 1px solid var(--so-panel-border, #c9d1d9); vertical-align: top; }
    .error { color: #b00020; }
  `;

  @property({ reflect: true }) override lang: Lang = 'en';
  @consume({ context: panelApiContext, subscribe: true })
  @property({ attribute: false })
  api?: AuditClient;
  /** Saves a downloaded file (replaceable in tests). */
  @property({ attribute: false }) save: (blob: Blob, name: string) => void = saveFile;

  @state() private filters: AuditFilters = NO_FILTERS;
  @state() private entries: readonly AuditEntry[] = [];
  @state() private nextBefore: number | null = null;
  @state() private actors: readonly { associateId: number; name: string }[] = [];
  @state() private busy = false;
  @state() private error = '';
  private loadedFor?: AuditClient;

  private get s(): AuditViewStrings {
    return pick(auditViewStrings, this.lang);
  }

  protected override updated(): void {
    if (this.api && this.loadedFor !== this.api) {
      this.loadedFor = this.api;
      void this.run(async () => {
        this.actors = (await this.api!.send<{ actors: { associateId: number; name: string }[] }>('GET', '/audit/actors')).actors;
        await this.page(true);
      });
    }
  }

  private async run(work: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = '';
    try {
      await work();
    } catch (err) {
      this.error = errorText(err);
    } finally {
      this.busy = false;
    }
  }

  private async page(fresh: boolean): Promise<void> {
    const q = auditQuery(this.filters);
    q.set('limit', String(PAGE));
    if (!fresh && this.nextBefore !== null) q.set('before', String(this.nextBefore));
    const page = await this.api!.send<{ entries: AuditEntry[]; nextBefore: number | null }>('GET', `/audit?${q}`);
    this.entries = fresh ? page.entries : [...this.entries, ...page.entries];
    this.nextBefore = page.nextBefore;
  }

  private onSubmit = (e: Event): void => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const get = (k: string) => String(form.get(k) ?? '');
    this.filters = { actor: get('actor'), category: get('category') as AuditCategory | '', from: get('from'), to: get('to') };
    void this.run(() => this.page(true));
  };

  private exportCsv = (): void => {
    void this.run(async () => {
      const { blob, filename } = await this.api!.download(`/audit/export?${auditQuery(this.filters)}`);
      this.save(blob, filename);
    });
  };

  private row(e: AuditEntry): TemplateResult {
    const s = this.s;
    return html`<tr data-entry=${e.id}>
      <td>${formatDateTime(e.at, this.lang)}</td>
      <td>${e.actor.name}</td>
      <td>${s.actions[e.action] ?? e.action}</td>
      <td>${e.entityType} ${e.entityId}<br /><small>${changeSummary(e.before, e.after, s)}</small></td>
    </tr>`;
  }

  override render(): TemplateResult {
    const s = this.s;
    const f = this.filters;
    return html`<h2>${s.title}</h2>
      <form @submit=${this.onSubmit} aria-label=${s.title}>
        <label>${s.user}<select name="actor">
          <option value="">${s.anyone}</option>
          ${this.actors.map((a) => html`<option value=${String(a.associateId)} ?selected=${f.actor === String(a.associateId)}>${a.name}</option>`)}
        </select></label>
        <label>${s.category}<select name="category">
          <option value="">${s.anyCategory}</option>
          ${CATEGORIES.map((c) => html`<option value=${c} ?selected=${f.category === c}>${s.categories[c]}</option>`)}
        </select></label>
        <label>${s.from}<input type="date" name="from" .value=${f.from} /></label>
        <label>${s.to}<input type="date" name="to" .value=${f.to} /></label>
        <button type="submit" data-action="apply" ?disabled=${this.busy}>${s.apply}</button>
        <button type="button" data-action="export" ?disabled=${this.busy} @click=${this.exportCsv}>${s.exportCsv}</button>
      </form>
      <p role="status" class=${this.error ? 'error' : ''}>${this.error || (this.busy ? s.loading : this.entries.length === 0 ? s.empty : '')}</p>
      <table>
        <thead><tr><th scope="col">${s.when}</th><th scope="col">${s.who}</th><th scope="col">${s.action}</th><th scope="col">${s.what}</th></tr></thead>
        <tbody>${this.entries.map((e) => this.row(e))}</tbody>
      </table>
      ${this.nextBefore !== null ? html`<button type="button" data-action="more" ?disabled=${this.busy} @click=${() => void this.run(() => this.page(false))}>${s.loadMore}</button>` : ''}`;
  }
}
