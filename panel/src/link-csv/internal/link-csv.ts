import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { ImportApplied, ImportPreview } from '../../../../backend/contract.js';
import { errorText, type PanelClient } from '../../api/api-client.js';
import { panelApiContext } from '../../api/context.js';
import { saveFile } from '../../api/save-file.js';
import { pick, type Lang } from '../../i18n/locale.js';
import { LinksChangedEvent } from '../../admin-tools/tools.js';
import { linkCsvStrings } from '../link-csv.strings.js';

/**
 * The CSV tool: Export downloads the linked users; a chosen file is previewed row by row (status
 * and reason, refused rows filterable) and applied as a whole or skipping the refused rows, with
 * the preview's fingerprint (the server refuses it when the links changed meanwhile).
 *
 * @fires links-changed - after an apply that wrote anything.
 */
export class LinkCsv extends LitElement {
  static override styles = css`
    :host { display: block; }
    .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin: 0.5rem 0; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: 0.2rem 0.4rem; border-bottom: 1px solid var(--so-panel-border, #c9d1d9); vertical-align: top; }
    [data-status='refused'] { color: var(--so-panel-danger, #a40e26); }
    [role='alert'] { color: var(--so-panel-danger, #a40e26); }
  `;

  @property({ reflect: true }) override lang: Lang = 'en';
  @consume({ context: panelApiContext, subscribe: true })
  @property({ attribute: false })
  api?: Pick<PanelClient, 'download' | 'sendFile'>;

  @state() private file: File | null = null;
  @state() private preview: ImportPreview | null = null;
  @state() private result: ImportApplied | null = null;
  @state() private error: string | null = null;
  @state() private busy = false;
  @state() private onlyRefused = false;

  private async run(work: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      await work();
    } catch (err) {
      this.error = errorText(err);
    } finally {
      this.busy = false;
    }
  }

  private exportFile = () =>
    this.run(async () => {
      const { blob, filename } = await this.api!.download('/links/export');
      saveFile(blob, filename);
    });

  private choose = (e: Event) => {
    this.file = (e.target as HTMLInputElement).files?.[0] ?? null;
    this.preview = null;
    this.result = null;
  };

  private previewFile = () =>
    this.run(async () => {
      this.result = null;
      this.preview = await this.api!.sendFile<ImportPreview>('POST', '/links/import/preview', this.file!, 'text/csv');
    });

  private apply = (skipRefused: boolean) =>
    this.run(async () => {
      const query = `?fingerprint=${encodeURIComponent(this.preview!.fingerprint)}&skipRefused=${skipRefused}`;
      this.result = await this.api!.sendFile<ImportApplied>('POST', `/links/import/apply${query}`, this.file!, 'text/csv');
      this.preview = null;
      if (this.result.created + this.result.updated > 0) this.dispatchEvent(new LinksChangedEvent());
    });

  override render(): TemplateResult {
    const s = pick(linkCsvStrings, this.lang);
    const p = this.preview;
    const rows = p ? (this.onlyRefused ? p.rows.filter((r) => r.status === 'refused') : p.rows) : [];
    return html`<h2>${s.title}</h2>
      <p>${s.intro}</p>
      <div class="actions">
        <button type="button" data-action="export" ?disabled=${this.busy} @click=${this.exportFile}>${s.export}</button>
        <label>${s.file} <input type="file" accept=".csv,text/csv" data-input="file" @change=${this.choose} /></label>
        <button type="button" data-action="preview" ?disabled=${this.busy || !this.file} @click=${this.previewFile}>${s.preview}</button>
      </div>
      ${this.busy ? html`<p role="status">${s.busy}</p>` : nothing}
      ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
      ${this.result ? html`<p role="status" data-result>${s.applied(this.result)}</p>` : nothing}
      ${p
        ? html`<p data-counts>${s.counts(p.counts)}</p>
            <div class="actions">
              <button type="button" data-action="apply" ?disabled=${this.busy || p.counts.refused > 0} @click=${() => this.apply(false)}>${s.apply}</button>
              <button type="button" data-action="apply-skipping" ?disabled=${this.busy || p.counts.refused === 0} @click=${() => this.apply(true)}>${s.applySkipping}</button>
              <label><input type="checkbox" data-input="only-refused" .checked=${this.onlyRefused} @change=${(e: Event) => (this.onlyRefused = (e.target as HTMLInputElement).checked)} /> ${s.onlyRefused}</label>
            </div>
            <table>
              <thead><tr><th scope="col">${s.row}</th><th scope="col">${s.status}</th><th scope="col">${s.associate}</th><th scope="col">${s.mailbox}</th><th scope="col">${s.reason}</th></tr></thead>
              <tbody>
                ${rows.map(
                  (r) => html`<tr data-row=${r.row} data-status=${r.status}>
                    <td>${r.row}</td>
                    <td>${s.statuses[r.status]}</td>
                    <td>${r.values.associateName}</td>
                    <td>${r.values.mailboxAddress}</td>
                    <td>${r.reason ?? r.differences.map((d) => `${d.field}: ${d.from} → ${d.to}`).join(', ')}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`
        : nothing}`;
  }
}
