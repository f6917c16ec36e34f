import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { errorText, type PanelClient } from '../../api/api-client.js';
import { panelApiContext } from '../../api/context.js';
import { LinksChangedEvent } from '../../admin-tools/tools.js';
import { formatDateTime, pick, type Lang } from '../../i18n/locale.js';
import type { HealthProblem, HealthReport } from '../../../../backend/contract.js';
import { healthReportStrings, type HealthReportStrings } from '../health-report.strings.js';
import { styles } from '../health-report.styles.js';
import { CHANGES_LINKS, FIX_OF, fixRequest, groupByKind, type HealthFix } from './health-fixes.js';

export type HealthClient = Pick<PanelClient, 'send'>;

/**
 * The health report, an administrator tool: `GET /api/v1/health` grouped by kind, each row with
 * its fix as a button (Remove after a confirmation with the removal preview, Update the link,
 * Link, Invite again, Resume, Sync now) and Ignore; Refresh reads it again. A fix that changed
 * links dispatches {@link LinksChangedEvent}; after every fix the report is read again.
 *
 * @fires links-changed - a fix removed, added or repointed a link.
 */
export class HealthReportElement extends LitElement {
  static override styles = styles;

  @property({ reflect: true }) override lang: Lang = 'en';
  /** The API client: from the app shell's context, or set directly. */
  @consume({ context: panelApiContext, subscribe: true })
  @property({ attribute: false })
  api?: HealthClient;

  @state() private report: HealthReport | null = null;
  @state() private loading = false;
  @state() private busy: string | null = null;
  @state() private message: { text: string; error: boolean } | null = null;
  /** The row whose removal waits for confirmation, with the preview's count of history items. */
  @state() private confirming: { problem: HealthProblem; items: number } | null = null;

  private get s(): HealthReportStrings {
    return pick(healthReportStrings, this.lang);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('api') && this.api && !this.report && !this.loading) void this.refresh();
  }

  /** Reads the report again. */
  async refresh(): Promise<void> {
    if (!this.api || this.loading) return;
    this.loading = true;
    try {
      this.report = await this.api.send<HealthReport>('GET', '/health');
    } catch (err) {
      this.message = { text: errorText(err), error: true };
    } finally {
      this.loading = false;
    }
  }

  private async run(p: HealthProblem, fix: HealthFix | 'ignore'): Promise<void> {
    if (!this.api) return;
    const name = p.associateName ?? p.mailboxAddress ?? p.key;
    this.busy = p.key;
    this.message = null;
    try {
      if (fix === 'ignore') {
        await this.api.send('POST', '/health/ignores', { keys: [p.key] });
      } else if (fix === 'remove' && this.confirming?.problem.key !== p.key) {
        const preview = await this.api.send<{ historyRows: number }>('POST', '/links/removal-preview', { ids: [p.linkId] });
        this.confirming = { problem: p, items: preview.historyRows ?? 0 };
        this.busy = null;
        // The confirmation takes the focus (Escape or Cancel gives it back to Remove).
        await this.updateComplete;
        this.shadowRoot?.querySelector<HTMLButtonElement>('[data-confirm="remove"]')?.focus();
        return;
      } else {
        const r = fixRequest(fix, p);
        await this.api.send(r.method, r.path, r.body);
        this.confirming = null;
        if (CHANGES_LINKS.has(fix)) this.dispatchEvent(new LinksChangedEvent());
      }
      this.message = { text: this.s.done(name), error: false };
      this.busy = null;
      await this.refresh();
    } catch (err) {
      this.message = { text: errorText(err), error: true };
    } finally {
      this.busy = null;
    }
  }

  private async cancelRemoval(p: HealthProblem): Promise<void> {
    this.confirming = null;
    await this.updateComplete;
    this.shadowRoot?.querySelector<HTMLButtonElement>(`li[data-key="${p.key}"] button[data-fix="remove"]`)?.focus();
  }

  private row(p: HealthProblem) {
    const s = this.s;
    const fix = FIX_OF[p.kind];
    const name = p.associateName ?? p.mailboxAddress ?? p.key;
    const busy = this.busy !== null;
    const confirming = this.confirming?.problem.key === p.key ? this.confirming : null;
    return html`<li data-key=${p.key}>
      <span class="who">${name}${p.mailboxAddress ? html` · ${p.mailboxAddress}` : nothing}
        ${p.since ? html`<span class="since">(${s.since(formatDateTime(p.since, this.lang))})</span>` : nothing}</span>
      <span role="group" aria-label=${s.actionsFor(name)}>
        <button data-fix=${fix} ?disabled=${busy} @click=${() => this.run(p, fix)}>${s[fix]}</button>
        <button data-fix="ignore" ?disabled=${busy} @click=${() => this.run(p, 'ignore')}>${s.ignore}</button>
      </span>
      ${confirming
        ? html`<div role="alertdialog" aria-labelledby="confirm-title" aria-describedby="confirm-body" @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.cancelRemoval(p)}>
            <strong id="confirm-title">${s.confirmRemoveTitle(name)}</strong>
            <p id="confirm-body">${s.confirmRemoveBody(confirming.items)}</p>
            <button data-confirm="remove" ?disabled=${busy} @click=${() => this.run(p, 'remove')}>${s.confirmRemove}</button>
            <button data-confirm="cancel" @click=${() => this.cancelRemoval(p)}>${s.cancel}</button>
          </div>`
        : nothing}
    </li>`;
  }


  override render() {
    const s = this.s;
    const r = this.report;
    return html`<section aria-labelledby="health-title">
      <header>
        <h2 id="health-title">${s.title}</h2>
        <button data-action="refresh" ?disabled=${this.loading} @click=${() => this.refresh()}>${s.refresh}</button>
      </header>
      <p class="hint">${s.intro}</p>
      <p role="status" class=${this.message?.error ? 'error' : ''}>${this.loading ? s.loading : (this.message?.text ?? '')}</p>
      ${r
        ? html`<p class="meta">${s.computedAt(formatDateTime(r.computedAt, this.lang))}
              ${r.ignored > 0 ? s.ignoredCount(r.ignored) : nothing}</p>
            ${r.problems.length === 0 ? html`<p data-empty>${s.none}</p>` : nothing}
            ${groupByKind(r.problems).map(
              (g) => html`<section data-kind=${g.kind} aria-labelledby=${`kind-${g.kind}`}>
                <h3 id=${`kind-${g.kind}`}>${s.kinds[g.kind].title} (${g.problems.length})</h3>
                <p class="hint">${s.kinds[g.kind].hint}</p>
                <ul>${g.problems.map((p) => this.row(p))}</ul>
              </section>`,
            )}`
        : nothing}
    </section>`;
  }
}
