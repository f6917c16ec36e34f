import { consume } from '@lit/context';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { AlertAdminList, AlertSettings, AlertTestAnswer } from '../../../../backend/contract.js';
import { errorText, type PanelClient } from '../../api/api-client.js';
import { panelApiContext } from '../../api/context.js';
import { pick, type Lang } from '../../i18n/locale.js';
import { ALERTS_STRINGS } from '../alerts.strings.js';

export type AlertsClient = Pick<PanelClient, 'send'>;
type Admin = AlertAdminList['admins'][number];

/**
 * Alerts (an administrator tool): the daily digest of new health problems by e-mail to chosen
 * administrators, and an optional signed webhook. Loads the settings and the administrators
 * when shown; Save sends all settings with the version it loaded (a stale one is refused);
 * Generate secret shows the new secret once with a copy button; Send test reports each channel.
 */
export class Alerts extends LitElement {
  static override styles = css`
    :host { display: block; max-width: 42rem; }
    fieldset { border: none; padding: 0; margin: 0 0 0.75rem; }
    legend, label.field { font-weight: 600; display: block; margin-bottom: 0.25rem; }
    .row { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; margin-bottom: 0.75rem; }
    .note { color: var(--so-panel-muted, #57606a); font-size: 0.9em; }
    input[type='url'] { width: 100%; box-sizing: border-box; }
    code { word-break: break-all; background: var(--so-panel-code, #f6f8fa); padding: 0.1rem 0.3rem; }
    [role='alert'] { color: var(--so-panel-danger, #b42318); }
    button { font: inherit; }
  `;

  @property({ reflect: true }) override lang: Lang = 'en';
  /** The API client: from the app shell's context, or set directly. */
  @consume({ context: panelApiContext, subscribe: true })
  @property({ attribute: false })
  api?: AlertsClient;
  /** Puts text on the clipboard (replaceable in tests). */
  @property({ attribute: false }) writeClipboard: (text: string) => Promise<void> = (text) => navigator.clipboard.writeText(text);

  @state() private settings: AlertSettings | null = null;
  @state() private admins: readonly Admin[] = [];
  @state() private draft: { enabled: boolean; recipients: readonly number[]; hourUtc: number; webhookUrl: string } | null = null;
  @state() private secret: string | null = null;
  @state() private copied = false;
  @state() private busy = false;
  @state() private message: string | null = null;
  @state() private error: string | null = null;
  @state() private test: AlertTestAnswer | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    if (!this.api) return;
    try {
      const [settings, admins] = await Promise.all([
        this.api.send<AlertSettings>('GET', '/alerts/settings'),
        this.api.send<AlertAdminList>('GET', '/alerts/admins'),
      ]);
      this.apply(settings);
      this.admins = admins.admins;
    } catch (err) {
      this.fail(err);
    }
  }

  private apply(s: AlertSettings): void {
    this.settings = s;
    this.draft = { enabled: s.enabled, recipients: s.recipients.map((r) => r.associateId), hourUtc: s.hourUtc, webhookUrl: s.webhookUrl ?? '' };
  }

  private fail(err: unknown): void {
    this.error = errorText(err);
  }

  private async run(work: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = null;
    this.message = null;
    try {
      await work();
    } catch (err) {
      this.fail(err);
    } finally {
      this.busy = false;
    }
  }

  private save = () =>
    this.run(async () => {
      const d = this.draft!;
      const saved = await this.api!.send<AlertSettings>('PUT', '/alerts/settings', {
        expectedVersion: this.settings!.version,
        enabled: d.enabled,
        recipients: d.recipients,
        hourUtc: d.hourUtc,
        webhookUrl: d.webhookUrl.trim() === '' ? null : d.webhookUrl.trim(),
      });
      this.apply(saved);
      this.message = pick(ALERTS_STRINGS, this.lang).saved;
    });

  private generate = () =>
    this.run(async () => {
      const { secret } = await this.api!.send<{ secret: string; version: number }>('POST', '/alerts/webhook/secret', {});
      this.secret = secret;
      this.copied = false;
      this.apply(await this.api!.send<AlertSettings>('GET', '/alerts/settings'));
    });

  private sendTest = () =>
    this.run(async () => {
      this.test = await this.api!.send<AlertTestAnswer>('POST', '/alerts/test', {});
    });

  private copy = async () => {
    if (!this.secret) return;
    await this.writeClipboard(this.secret);
    this.copied = true;
  };

  /** Changes the draft from its current value (several events can come before the next render). */
  private patch(change: Partial<NonNullable<Alerts['draft']>>): void {
    this.draft = { ...this.draft!, ...change };
  }

  private toggle(id: number, on: boolean): void {
    const d = this.draft!;
    this.draft = { ...d, recipients: on ? [...d.recipients, id] : d.recipients.filter((r) => r !== id) };
  }

  override render(): TemplateResult {
    const s = pick(ALERTS_STRINGS, this.lang);
    const d = this.draft;
    if (!d || !this.settings) {
      return html`<p role="status">${s.loading}</p>${this.error ? html`<p role="alert">${this.error}</p>` : nothing}`;
    }
    const last = this.settings.lastDigest;
    return html`
      <p class="note">${s.intro}</p>
      <div class="row">
        <label><input type="checkbox" name="enabled" .checked=${d.enabled} @change=${(e: Event) => this.patch({ enabled: (e.target as HTMLInputElement).checked })} /> ${s.enabled}</label>
      </div>
      <fieldset>
        <legend>${s.recipients}</legend>
        ${this.admins.length === 0 ? html`<p class="note">${s.noAdmins}</p>` : nothing}
        ${this.admins.map(
          (a) => html`<div>
            <label
              ><input
                type="checkbox"
                name="recipient"
                value=${a.associateId}
                .checked=${d.recipients.includes(a.associateId)}
                ?disabled=${!a.email && !d.recipients.includes(a.associateId)}
                @change=${(e: Event) => this.toggle(a.associateId, (e.target as HTMLInputElement).checked)}
              />
              ${a.name} <span class="note">${a.email ?? s.noEmail}</span></label
            >
          </div>`,
        )}
      </fieldset>
      <div class="row">
        <label class="field" for="hour">${s.hour}</label>
        <select id="hour" name="hour" aria-describedby="hour-note" @change=${(e: Event) => this.patch({ hourUtc: Number((e.target as HTMLSelectElement).value) })}>
          ${Array.from({ length: 24 }, (_, h) => html`<option value=${h} ?selected=${h === d.hourUtc}>${String(h).padStart(2, '0')}:00</option>`)}
        </select>
        <span id="hour-note" class="note">${s.hourNote}</span>
      </div>
      <div>
        <label class="field" for="webhook">${s.webhookUrl}</label>
        <input id="webhook" name="webhook" type="url" placeholder="https://" aria-describedby="webhook-help" .value=${d.webhookUrl} @input=${(e: Event) => this.patch({ webhookUrl: (e.target as HTMLInputElement).value })} />
        <p id="webhook-help" class="note">${s.webhookHelp} ${this.settings.webhookSecretSet ? s.secretSet : s.secretNotSet}</p>
      </div>
      ${this.secret
        ? html`<div class="row" data-secret>
            <span>${s.secretOnce}</span> <code>${this.secret}</code>
            <button type="button" @click=${this.copy}>${this.copied ? s.copied : s.copy}</button>
          </div>`
        : nothing}
      <div class="row">
        <button type="button" name="generate" ?disabled=${this.busy} @click=${this.generate}>${s.generateSecret}</button>
        <button type="button" name="test" ?disabled=${this.busy} @click=${this.sendTest}>${s.sendTest}</button>
        <button type="button" name="save" ?disabled=${this.busy} @click=${this.save}>${s.save}</button>
      </div>
      <div role="status">${this.message ?? ''}</div>
      ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
      ${this.test
        ? html`<section aria-label=${s.testResult}>
            <p data-test-carried>${s.testCarried(this.test.problems, this.test.unreadable)}</p>
            <ul data-test-result>
              ${this.test.outcomes.map((o) => html`<li data-ok=${o.ok}>${o.address}: ${o.ok ? s.ok : s.failed} (${o.message})</li>`)}
            </ul>
          </section>`
        : nothing}
      ${last ? html`<p class="note">${s.lastDigest(last.day, last.problems)}</p>` : nothing}
    `;
  }
}
