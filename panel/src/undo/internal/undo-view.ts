import { consume } from '@lit/context';
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { PurgeAnswer, PurgeRequest, RemovedLink, RemovedLinkList, RestoreAnswer, RestoreRequest, UndoAction, UndoAnswer, UndoList, UndoRequest } from '../../../../backend/contract.js';
import { errorText, type PanelClient } from '../../api/api-client.js';
import { panelApiContext } from '../../api/context.js';
import { LinksChangedEvent } from '../../admin-tools/tools.js';
import { controlStyles } from '../../controls/controls.styles.js';
import { alertDialog, syncModal } from '../../controls/modal.js';
import { formatDateTime, pick, type Lang } from '../../i18n/locale.js';
import { strings } from '../undo-view.strings.js';

/** What the Undo tool uses of the client: its own calls go through `send`. */
export type UndoClient = Pick<PanelClient, 'send'>;

/**
 * The Undo tool: the recent actions that can still be undone (each with Undo), and the removed
 * users (Restore, and Purge after a confirmation that says how many users and mappings go for
 * good). Loads both when it is shown.
 *
 * @fires links-changed - after an Undo or a Restore changed the links ({@link LinksChangedEvent})
 */
export class UndoView extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host { display: flex; flex-direction: column; gap: 8px; }
      h2 { margin: 4px 0 0; font-size: 14px; font-weight: 600; }
      p { margin: 0; }
      table { border-collapse: collapse; width: 100%; font-size: 13px; }
      th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--so-panel-border, #c9d1d9); vertical-align: top; }
      .buttons { display: flex; gap: 6px; }
      .error { color: var(--so-panel-danger, #b42318); }
    `,
  ];

  @property({ reflect: true }) override lang: Lang = 'en';
  /** The API client: from the app shell's context, or set directly. */
  @consume({ context: panelApiContext, subscribe: true })
  @property({ attribute: false })
  api?: UndoClient;

  @state() private actions: readonly UndoAction[] | null = null;
  @state() private removed: readonly RemovedLink[] | null = null;
  @state() private selected: ReadonlySet<string> = new Set();
  @state() private confirmPurge = false;
  @state() private busy = false;
  @state() private message: { text: string; error: boolean } | null = null;

  private get s() {
    return pick(strings, this.lang);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('api') && this.api) void this.load();
  }

  protected override updated(): void {
    syncModal(this.renderRoot.querySelector<HTMLDialogElement>('#purge-dialog'), this.confirmPurge);
  }

  /** Loads (again) the actions and the removed users; keeps the selection of those still removed. */
  async load(): Promise<void> {
    const api = this.api;
    if (!api) return;
    try {
      const [u, r] = await Promise.all([api.send<UndoList>('GET', '/undo'), api.send<RemovedLinkList>('GET', '/links/removed')]);
      this.actions = u.actions;
      this.removed = r.removed;
      const ids = new Set(r.removed.map((x) => x.id));
      this.selected = new Set([...this.selected].filter((id) => ids.has(id)));
    } catch (err) {
      this.message = { text: errorText(err), error: true };
    }
  }

  private async run(work: (api: UndoClient) => Promise<string>, linksChanged: boolean): Promise<void> {
    const api = this.api;
    if (!api || this.busy) return;
    this.busy = true;
    try {
      const text = await work(api);
      this.message = { text, error: false };
      if (linksChanged) this.dispatchEvent(new LinksChangedEvent());
    } catch (err) {
      this.message = { text: errorText(err), error: true };
    } finally {
      this.busy = false;
      await this.load();
    }
  }

  private undo(a: UndoAction): void {
    void this.run(async (api) => {
      await api.send<UndoAnswer>('POST', '/undo', { actionId: a.id } satisfies UndoRequest);
      return this.s.undone(this.s.kind[a.kind]);
    }, true);
  }

  private restore(): void {
    const ids = [...this.selected];
    void this.run(async (api) => {
      const { restored } = await api.send<RestoreAnswer>('POST', '/links/removed/restore', { ids } satisfies RestoreRequest);
      this.selected = new Set();
      return this.s.restored(restored.length);
    }, true);
  }

  private purge(): void {
    const ids = [...this.selected];
    this.confirmPurge = false;
    void this.run(async (api) => {
      const { purged } = await api.send<PurgeAnswer>('POST', '/links/removed/purge', { ids, confirm: true, count: ids.length } satisfies PurgeRequest);
      this.selected = new Set();
      return this.s.purged(purged.links, purged.historyRows);
    }, false);
  }

  private toggle(id: string, on: boolean): void {
    const next = new Set(this.selected);
    if (on) next.add(id);
    else next.delete(id);
    this.selected = next;
  }

  private toggleAll(on: boolean): void {
    this.selected = on ? new Set((this.removed ?? []).map((r) => r.id)) : new Set();
  }

  private renderActions(): TemplateResult {
    const s = this.s;
    if (this.actions === null) return html`<p>${s.loading}</p>`;
    if (this.actions.length === 0) return html`<p data-empty="actions">${s.noActions}</p>`;
    return html`<table aria-labelledby="actions-title" data-list="actions">
      <thead><tr><th scope="col">${s.when}</th><th scope="col">${s.who}</th><th scope="col">${s.what}</th><th scope="col">${s.until}</th><th scope="col">${s.undo}</th></tr></thead>
      <tbody>
        ${this.actions.map((a) => {
          const when = formatDateTime(a.at, this.lang);
          const names = a.names.join(', ') + (a.links > a.names.length ? ` ${s.andMore(a.links - a.names.length)}` : '');
          return html`<tr data-action-id=${a.id}>
            <td>${when}</td>
            <td>${a.actor.name}</td>
            <td>${s.kind[a.kind]}: ${s.users(a.links)} (${names})</td>
            <td>${formatDateTime(a.undoableUntil, this.lang)}</td>
            <td><button type="button" data-action="undo" aria-label=${s.undoLabel(s.kind[a.kind], when)} ?disabled=${this.busy} @click=${() => this.undo(a)}>${s.undo}</button></td>
          </tr>`;
        })}
      </tbody>
    </table>`;
  }

  private options(r: RemovedLink): string {
    const o = this.s.optionNames;
    const on = [r.diary && o.diary, r.task && o.task, r.contact && o.contact].filter(Boolean);
    return on.length > 0 ? on.join(', ') : o.none;
  }

  private renderRemoved(): TemplateResult {
    const s = this.s;
    if (this.removed === null) return html`<p>${s.loading}</p>`;
    if (this.removed.length === 0) return html`<p data-empty="removed">${s.noRemoved}</p>`;
    const all = this.removed.every((r) => this.selected.has(r.id));
    const n = this.selected.size;
    return html`<table aria-labelledby="removed-title" data-list="removed">
        <thead>
          <tr>
            <th scope="col"><input type="checkbox" aria-label=${s.selectAll} .checked=${all} @change=${(e: Event) => this.toggleAll((e.target as HTMLInputElement).checked)} /></th>
            <th scope="col">${s.name}</th><th scope="col">${s.mailbox}</th><th scope="col">${s.options}</th><th scope="col">${s.rank}</th>
            <th scope="col">${s.removed}</th><th scope="col">${s.mappings}</th><th scope="col">${s.until}</th>
          </tr>
        </thead>
        <tbody>
          ${this.removed.map(
            (r) => html`<tr data-removed-id=${r.id}>
              <td><input type="checkbox" aria-label=${s.select(r.associateName)} .checked=${this.selected.has(r.id)} @change=${(e: Event) => this.toggle(r.id, (e.target as HTMLInputElement).checked)} /></td>
              <td>${r.associateName}</td>
              <td>${r.mailboxAddress}</td>
              <td>${this.options(r)}</td>
              <td>${r.rank}</td>
              <td>${s.removedBy(formatDateTime(r.removedAt, this.lang), r.removedBy.name)}</td>
              <td>${r.historyRows}</td>
              <td>${formatDateTime(r.restorableUntil, this.lang)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      <div class="buttons">
        <button type="button" data-action="restore" ?disabled=${n === 0 || this.busy} @click=${() => this.restore()}>${s.restore(n)}</button>
        <button type="button" class="danger" data-action="purge" ?disabled=${n === 0 || this.busy} @click=${() => (this.confirmPurge = true)}>${s.purge(n)}</button>
      </div>`;
  }

  override render(): TemplateResult {
    const s = this.s;
    const chosen = (this.removed ?? []).filter((r) => this.selected.has(r.id));
    return html`<p>${s.intro}</p>
      ${this.message
        ? html`<p role=${this.message.error ? 'alert' : 'status'} class=${this.message.error ? 'error' : ''} data-for="message">${this.message.text}</p>`
        : html`<p role="status" data-for="message"></p>`}
      <h2 id="actions-title">${s.actionsTitle}</h2>
      ${this.renderActions()}
      <h2 id="removed-title">${s.removedTitle}</h2>
      ${this.renderRemoved()}
      ${alertDialog({
        id: 'purge-dialog',
        name: 'purge',
        open: this.confirmPurge,
        title: s.purgeTitle(chosen.length),
        body: this.confirmPurge ? s.purgeBody(chosen.length, chosen.reduce((m, r) => m + r.historyRows, 0)) : nothing,
        cancel: { label: s.cancel, onClick: () => (this.confirmPurge = false) },
        confirm: { label: s.purgeConfirm, onClick: () => this.purge(), kind: 'danger', action: 'confirm-purge' },
      })}`;
  }
}
