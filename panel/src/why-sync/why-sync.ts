import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { ExplainAnswer, ExplainItem, ExplainRequest } from '../../../backend/contract.js';
import { errorText, type PanelClient } from '../api/api-client.js';
import { panelApiContext } from '../api/context.js';
import { pick, type Lang } from '../i18n/locale.js';
import type { LinkedUser } from '../logic/types.js';
import { whySyncStrings, type WhySyncStrings } from './why-sync.strings.js';

export type WhySyncClient = Pick<PanelClient, 'links' | 'send'>;

/**
 * "Why didn't this sync?": the administrator picks a linked user (GET /links), a kind, a day
 * and/or a subject and presses Explain (POST /explain); each item found in SuperOffice and in
 * Outlook is listed with the engine's answer in words, its detail, and what to do (Resume for a
 * user the circuit breaker stopped). It changes nothing but that Resume.
 */
export class WhySync extends LitElement {
  static override styles = css`
    :host { display: block; }
    form { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: end; margin-bottom: 0.75rem; }
    label { display: flex; flex-direction: column; gap: 0.2rem; font-size: 0.9em; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid var(--so-panel-border, #c9d1d9); vertical-align: top; }
    .verdict { font-weight: 600; }
    .detail { color: var(--so-panel-muted, #57606a); font-size: 0.9em; }
    [role='alert'] { color: var(--so-panel-danger, #b42318); }
  `;

  @property({ reflect: true }) override lang: Lang = 'en';
  @consume({ context: panelApiContext, subscribe: true })
  @property({ attribute: false })
  api?: WhySyncClient;

  @state() private links: readonly LinkedUser[] = [];
  @state() private linkId = '';
  @state() private kind: '' | 'diary' | 'task' | 'contact' = '';
  @state() private date = '';
  @state() private subject = '';
  @state() private busy = false;
  @state() private problem = '';
  @state() private answer: ExplainAnswer | null = null;
  @state() private note = '';

  private loaded = false;

  private get s(): WhySyncStrings {
    return pick(whySyncStrings, this.lang);
  }

  protected override updated(): void {
    if (!this.loaded && this.api) {
      this.loaded = true;
      void this.load();
    }
  }

  private async load(): Promise<void> {
    try {
      this.links = await this.api!.links();
    } catch (err) {
      this.problem = errorText(err);
    }
  }

  private async explain(e: Event): Promise<void> {
    e.preventDefault();
    this.note = '';
    if (!this.linkId) return void (this.problem = this.s.needUser);
    if (!this.date && !this.subject.trim()) return void (this.problem = this.s.needSearch);
    if (this.kind === 'contact' && !this.subject.trim()) return void (this.problem = this.s.needName);
    const body: ExplainRequest = { linkId: this.linkId, ...(this.kind ? { kind: this.kind } : {}), ...(this.date ? { date: this.date } : {}), ...(this.subject.trim() ? { subject: this.subject.trim() } : {}) };
    this.busy = true;
    this.problem = '';
    try {
      this.answer = await this.api!.send<ExplainAnswer>('POST', '/explain', body);
    } catch (err) {
      this.answer = null;
      this.problem = errorText(err);
    } finally {
      this.busy = false;
    }
  }

  private async resume(): Promise<void> {
    try {
      await this.api!.send('POST', '/sync/release', { linkIds: [this.answer!.link.id] });
      this.note = this.s.resumed;
    } catch (err) {
      this.problem = errorText(err);
    }
  }

  private todo(item: ExplainItem): TemplateResult | string {
    if (item.verdict === 'breaker') return html`<button type="button" @click=${() => this.resume()}>${this.s.resume}</button>`;
    return this.s.advice[item.verdict] ?? '';
  }

  override render(): TemplateResult {
    const s = this.s;
    const a = this.answer;
    return html`
      <h2>${s.title}</h2>
      <p>${s.intro}</p>
      <form @submit=${this.explain} aria-label=${s.title}>
        <label>${s.user}
          <select name="link" .value=${this.linkId} @change=${(e: Event) => (this.linkId = (e.target as HTMLSelectElement).value)}>
            <option value="">${s.chooseUser}</option>
            ${this.links.map((l) => html`<option value=${l.id} ?selected=${l.id === this.linkId}>${l.associateName} (${l.mailboxAddress})</option>`)}
          </select>
        </label>
        <label>${s.kind}
          <select name="kind" @change=${(e: Event) => (this.kind = (e.target as HTMLSelectElement).value as typeof this.kind)}>
            <option value="">${s.anyKind}</option>
            <option value="diary">${s.diary}</option>
            <option value="task">${s.task}</option>
            <option value="contact">${s.contact}</option>
          </select>
        </label>
        <label>${s.date}<input name="date" type="date" .value=${this.date} @input=${(e: Event) => (this.date = (e.target as HTMLInputElement).value)} /></label>
        <label>${s.subject}<input name="subject" type="search" maxlength="200" .value=${this.subject} @input=${(e: Event) => (this.subject = (e.target as HTMLInputElement).value)} /></label>
        <button type="submit" ?disabled=${this.busy}>${this.busy ? s.explaining : s.explain}</button>
      </form>
      ${this.problem ? html`<p role="alert">${this.problem}</p>` : nothing}
      ${this.note ? html`<p role="status">${this.note}</p>` : nothing}
      ${a === null
        ? nothing
        : a.items.length === 0
          ? html`<p role="status">${s.nothingFound}</p>`
          : html`
              <table>
                <caption class="detail">${a.link.associateName} · ${a.link.mailboxAddress}</caption>
                <thead><tr><th scope="col">${s.item}</th><th scope="col">${s.side}</th><th scope="col">${s.start}</th><th scope="col">${s.verdictHead}</th><th scope="col">${s.todo}</th></tr></thead>
                <tbody>
                  ${a.items.map(
                    (i) => html`<tr data-verdict=${i.verdict}>
                      <td>${i.subject} <span class="detail">(${s[i.kind]})</span></td>
                      <td>${i.side === 'superoffice' ? s.superoffice : s.outlook}</td>
                      <td>${i.start ?? ''}</td>
                      <td><div class="verdict">${s.verdicts[i.verdict]}</div><div class="detail">${i.detail}</div></td>
                      <td>${this.todo(i)}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
              ${a.truncated ? html`<p role="status">${s.truncated}</p>` : nothing}
            `}
    `;
  }
}

customElements.define('so-why-sync', WhySync);

declare global {
  interface HTMLElementTagNameMap {
    'so-why-sync': WhySync;
  }
}
