import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { PanelApiError, type PanelClient, type TenantInfo } from '../../api/api-client.js';
import type { PopupMessage } from '../../api/popup.js';
import type { HostDeps } from '../../controls/action-runner.js';
import { alertDialog, syncModal } from '../../controls/modal.js';
import { otherMode, parseTtlDays } from '../../logic/tenant-settings.js';
import type { TenantMode } from '../../logic/types.js';
import type { SyncSettingsStrings } from '../sync-settings.strings.js';
import { PanelController } from '../../controls/panel-controller.js';

export type TenantAction = 'consent' | 'mode' | 'ttl' | 'tam';

export interface TenantSettingsOptions extends HostDeps<SyncSettingsStrings, TenantAction> {
  popup: () => (url: string | Promise<string>) => Promise<PopupMessage>;
  isAdmin: () => boolean;
  /** Opens the Token Authentication Manager (OAuth mode). */
  openInvites: () => void;
  /** After a mode change is saved: brings the host's data in line; true when it dropped loaded mailboxes. */
  afterModeChange: () => Promise<boolean>;
  renderRoot: () => ParentNode;
}

const isVersionConflict = (err: unknown) => err instanceof PanelApiError && err.code === 'VersionConflict';

/**
 * The tenant's settings in the panel: the Microsoft 365 connection (Approve in Microsoft 365), the
 * mailbox authorization mode (changed after a confirmation dialog that says what changes) and the
 * invite lifetime. Holds the tenant as last read or saved; renders the settings and their dialog.
 */
export class TenantSettings extends PanelController<TenantSettingsOptions> {
  /** The tenant as the backend last answered; null before the first load. */
  tenant: TenantInfo | null = null;
  /** The mode the administrator asked to switch to, while the confirmation dialog is open. */
  private modeChange: TenantMode | null = null;
  /** The invite lifetime as typed; null while it shows the saved value. */
  private ttlDraft: string | null = null;

  override hostUpdated(): void {
    syncModal(this.o.renderRoot().querySelector<HTMLDialogElement>('dialog#mode-dialog'), this.modeChange !== null);
  }

  get oauth(): boolean {
    return this.tenant?.mode === 'oauth';
  }

  get connected(): boolean {
    return this.tenant?.microsoft.connected === true;
  }

  private set(change: { tenant?: TenantInfo | null; modeChange?: TenantMode | null; ttlDraft?: string | null }): void {
    Object.assign(this, change);
    this.host.requestUpdate();
  }

  /** Takes the tenant as just read. */
  show(tenant: TenantInfo): void {
    this.set({ tenant });
  }

  private approve = (): Promise<void> =>
    this.o.runner.run('consent', async () => {
      const api = this.o.api();
      await this.o.popup()(api.consentUrl());
      this.set({ tenant: await api.tenant() });
    });

  private askModeChange = (): void => {
    const t = this.tenant;
    if (!t || !this.o.isAdmin() || this.o.runner.busy) return;
    this.o.runner.clear('mode');
    this.set({ modeChange: otherMode(t.mode) });
  };

  private cancelModeChange = (): void => this.set({ modeChange: null });

  private confirmModeChange = (): Promise<void> => {
    const mode = this.modeChange;
    const t = this.tenant;
    this.set({ modeChange: null });
    if (!mode || !t) return Promise.resolve();
    return this.o.runner.run('mode', async () => {
      if (!(await this.update({ expectedVersion: t.version, mode }, 'mode'))) return;
      const droppedMailboxes = await this.o.afterModeChange();
      // Asking to load the mailboxes again, it stays until Load External Users (or Dismiss).
      this.o.runner.say('mode', this.o.strings().modeChanged(mode, droppedMailboxes), false, droppedMailboxes);
    });
  };

  private onTtlInput = (e: Event): void => this.set({ ttlDraft: (e.target as HTMLInputElement).value });

  private saveTtl = (): Promise<void> =>
    this.o.runner.run('ttl', async () => {
      const t = this.tenant;
      if (!t || this.ttlDraft === null) return;
      const days = parseTtlDays(this.ttlDraft);
      if (days === null) return;
      if (!(await this.update({ expectedVersion: t.version, inviteTtlDays: days }, 'ttl'))) return;
      this.set({ ttlDraft: null });
      this.o.runner.say('ttl', this.o.strings().ttlSaved(days));
    });

  /** Saves a change; when someone else changed the settings meanwhile, reloads them, says so and returns false. */
  private async update(change: Parameters<PanelClient['updateTenant']>[0], action: 'mode' | 'ttl'): Promise<boolean> {
    const api = this.o.api();
    try {
      this.set({ tenant: await api.updateTenant(change) });
      return true;
    } catch (err) {
      if (!isVersionConflict(err)) throw err;
      this.set({ tenant: await api.tenant() });
      this.o.runner.say(action, this.o.strings().settingsConflict, true);
      return false;
    }
  }

  /** The Microsoft 365 connection, with Approve in Microsoft 365 for an administrator while it is not connected. */
  renderConnection(): TemplateResult | typeof nothing {
    const s = this.o.strings();
    const t = this.tenant;
    if (!t) return nothing;
    const admin = this.o.isAdmin();
    const connected = t.microsoft.connected;
    return html`<div class="bar">
      <p class="status" data-ms>${connected ? s.msConnected(t.microsoft.entraTenantId) : admin ? s.msNotConnected : s.msNotConnectedReadOnly}</p>
      ${!connected && admin
        ? html`<span class="action"
            ><button type="button" ?disabled=${this.o.runner.busy !== null} @click=${this.approve}>${s.approve}</button>${this.o.runner.message('consent')}</span
          >`
        : nothing}
    </div>`;
  }

  /** The mailbox authorization: the mode and the invite lifetime. */
  render(): TemplateResult | typeof nothing {
    const t = this.tenant;
    return t ? this.renderMode(t, this.o.isAdmin(), this.o.runner.busy === null) : nothing;
  }

  /** OAuth mode: the Token Authentication Manager's section, with its NOTE and (administrators) the way in. */
  renderOAuth(): TemplateResult | typeof nothing {
    const s = this.o.strings();
    if (this.tenant?.mode !== 'oauth') return nothing;
    return html`<section class="section" aria-labelledby="tam-heading" data-oauth>
      <h2 id="tam-heading">${s.openTam}</h2>
      <div class="note bar">
        <p>${s.oauthNote}</p>
        ${this.o.isAdmin()
          ? html`<span class="action"
              ><button type="button" data-action="tam" ?disabled=${this.o.runner.busy !== null} @click=${this.o.openInvites}>${s.openTam}</button>${this.o.runner.message(
                'tam',
              )}</span
            >`
          : nothing}
      </div>
    </section>`;
  }

  /** Mailbox authorization: the mode and the invite lifetime; administrators can change both. */
  private renderMode(t: TenantInfo, admin: boolean, idle: boolean): TemplateResult {
    const s = this.o.strings();
    const ttlInvalid = this.ttlDraft !== null && parseTtlDays(this.ttlDraft) === null;
    return html`<section class="bar mode" aria-labelledby="mode-heading" data-mode>
      <h2 id="mode-heading">${s.modeHeading}</h2>
      <p data-mode-text><strong>${s.modeNames[t.mode]}:</strong> ${s.modeDescriptions[t.mode]}</p>
      ${admin
        ? html`<span class="action"
              ><button type="button" data-action="mode" ?disabled=${!idle} @click=${this.askModeChange}>${s.switchTo[otherMode(t.mode)]}</button>${this.o.runner.message(
                'mode',
              )}</span
            >
            <span class="action">
              <label for="ttl">${s.ttlLabel}</label>
              <input
                id="ttl"
                type="number" inputmode="numeric" min="1" max="365" step="1"
                aria-invalid=${ttlInvalid ? 'true' : 'false'}
                aria-describedby=${ttlInvalid ? 'ttl-error' : nothing}
                .value=${live(this.ttlDraft ?? String(t.inviteTtlDays))}
                @input=${this.onTtlInput}
              />
              ${ttlInvalid ? html`<span class="field-error" id="ttl-error" role="alert">${s.ttlInvalid}</span>` : nothing}
              <button type="button" data-action="ttl" ?disabled=${!idle || this.ttlDraft === null || ttlInvalid} @click=${this.saveTtl}>
                ${s.ttlSave}
              </button>
              ${this.o.runner.message('ttl')}
            </span>`
        : html`<p data-ttl>${s.ttlReadOnly(t.inviteTtlDays)}</p>`}
    </section>`;
  }

  /** The confirmation of a mode change: what changes, and that nothing is deleted. */
  renderDialog(): TemplateResult {
    const s = this.o.strings();
    const mode = this.modeChange;
    return alertDialog({
      id: 'mode-dialog',
      name: 'mode',
      open: mode !== null,
      title: mode ? s.modeDialogTitle[mode] : s.modeHeading,
      body: mode
        ? html`${s.modeDialogBody[mode].map((line) => html`<p>${line}</p>`)}
            <p class="warning" data-nothing-deleted>${s.modeDialogKept}</p>`
        : nothing,
      cancel: { label: s.cancel, onClick: this.cancelModeChange },
      confirm: { label: mode ? s.modeConfirm[mode] : '', onClick: this.confirmModeChange, kind: 'primary', action: 'confirm-mode' },
    });
  }
}
