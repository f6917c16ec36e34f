import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { PanelApiError, type TenantInfo } from '../../api/api-client.js';
import type { HostDeps } from '../../controls/action-runner.js';
import { PanelController } from '../../controls/panel-controller.js';
import { syncSettingsDraft, type SyncSettingsDraft } from '../../logic/tenant-settings.js';
import type { SyncSettingsStrings } from '../sync-settings.strings.js';

export type SyncSettingsAction = 'syncSettings';

export interface SyncWindowOptions extends HostDeps<SyncSettingsStrings, SyncSettingsAction> {
  isAdmin: () => boolean;
  /** The tenant as last read or saved (its version guards the save). */
  tenant: () => TenantInfo | null;
  /** The tenant as the save (or the reload after a conflict) answered. */
  saved: (tenant: TenantInfo) => void;
}

type Field = keyof SyncSettingsDraft;

/**
 * The synchronizer's settings of the tenant: the date window (days back and ahead), who wins a
 * conflict and the time zone SuperOffice's dates are read in. Administrators change them; others
 * read them. Holds only what is typed and not saved yet.
 */
export class SyncWindow extends PanelController<SyncWindowOptions> {
  /** As typed; null while the fields show the saved values. */
  private draft: SyncSettingsDraft | null = null;

  private saved(t: TenantInfo): SyncSettingsDraft {
    return { windowPastDays: String(t.sync.windowPastDays), windowFutureDays: String(t.sync.windowFutureDays), conflictWinner: t.sync.conflictWinner, timeZone: t.sync.timeZone };
  }

  private edit(t: TenantInfo, field: Field, value: string): void {
    this.draft = { ...(this.draft ?? this.saved(t)), [field]: value };
    this.host.requestUpdate();
  }

  private save = (): Promise<void> =>
    this.o.runner.run('syncSettings', async () => {
      const t = this.o.tenant();
      const parsed = t && this.draft ? syncSettingsDraft(this.draft) : null;
      if (!t || !parsed || !parsed.ok) return;
      const s = this.o.strings();
      try {
        this.o.saved(await this.o.api().saveSyncSettings({ expectedVersion: t.version, ...parsed.value }));
        this.draft = null;
        this.o.runner.say('syncSettings', s.syncSettingsSaved);
      } catch (err) {
        if (!(err instanceof PanelApiError && err.code === 'VersionConflict')) throw err;
        this.o.saved(await this.o.api().tenant());
        this.o.runner.say('syncSettings', s.settingsConflict, true);
      }
    });

  render(): TemplateResult | typeof nothing {
    const t = this.o.tenant();
    if (!t) return nothing;
    const s = this.o.strings();
    if (!this.o.isAdmin()) {
      return html`<section class="bar mode" aria-labelledby="sync-heading" data-sync-settings>
        <h2 id="sync-heading">${s.syncHeading}</h2>
        <p data-sync-text>${s.syncReadOnly(t.sync.windowPastDays, t.sync.windowFutureDays, s.winners[t.sync.conflictWinner], t.sync.timeZone)}</p>
      </section>`;
    }
    const d = this.draft ?? this.saved(t);
    const parsed = syncSettingsDraft(d);
    const bad = (f: Field) => !parsed.ok && parsed.invalid.includes(f);
    const idle = this.o.runner.busy === null;
    const number = (f: 'windowPastDays' | 'windowFutureDays', min: number, max: number, label: string, error: string) =>
      html`<span class="action">
        <label for=${f}>${label}</label>
        <input
          id=${f}
          type="number" inputmode="numeric" min=${min} max=${max} step="1"
          aria-invalid=${bad(f) ? 'true' : 'false'}
          aria-describedby=${bad(f) ? `${f}-error` : nothing}
          .value=${live(d[f])}
          @input=${(e: Event) => this.edit(t, f, (e.target as HTMLInputElement).value)}
        />${bad(f) ? html`<span class="field-error" id=${`${f}-error`} role="alert">${error}</span>` : nothing}
      </span>`;
    return html`<section class="bar mode" aria-labelledby="sync-heading" data-sync-settings>
      <h2 id="sync-heading">${s.syncHeading}</h2>
      ${number('windowPastDays', 0, 365, s.pastDaysLabel, s.pastDaysInvalid)} ${number('windowFutureDays', 1, 730, s.futureDaysLabel, s.futureDaysInvalid)}
      <span class="action">
        <label for="conflictWinner">${s.winnerLabel}</label>
        <select id="conflictWinner" .value=${live(d.conflictWinner)} @change=${(e: Event) => this.edit(t, 'conflictWinner', (e.target as HTMLSelectElement).value)}>
          <option value="superoffice" ?selected=${d.conflictWinner === 'superoffice'}>${s.winners.superoffice}</option>
          <option value="outlook" ?selected=${d.conflictWinner === 'outlook'}>${s.winners.outlook}</option>
        </select>
      </span>
      <span class="action">
        <label for="timeZone">${s.timeZoneLabel}</label>
        <input
          id="timeZone"
          type="text" spellcheck="false" autocomplete="off" maxlength="64"
          aria-invalid=${bad('timeZone') ? 'true' : 'false'}
          aria-describedby=${bad('timeZone') ? 'timeZone-error' : nothing}
          .value=${live(d.timeZone)}
          @input=${(e: Event) => this.edit(t, 'timeZone', (e.target as HTMLInputElement).value)}
        />${bad('timeZone') ? html`<span class="field-error" id="timeZone-error" role="alert">${s.timeZoneInvalid}</span>` : nothing}
      </span>
      <span class="action">
        <button type="button" data-action="syncSettings" ?disabled=${!idle || this.draft === null || !parsed.ok} @click=${this.save}>${s.syncSettingsSave}</button>
        ${this.o.runner.message('syncSettings')}
      </span>
    </section>`;
  }
}
