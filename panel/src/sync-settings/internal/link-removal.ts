import { html, nothing, type TemplateResult } from 'lit';
import type { RemovalCounts } from '../../api/api-client.js';
import type { HostDeps } from '../../controls/action-runner.js';
import { alertDialog, syncModal } from '../../controls/modal.js';
import type { SyncSettingsStrings } from '../sync-settings.strings.js';
import type { LinkActions } from './link-actions.js';
import { PanelController } from '../../controls/panel-controller.js';

export type RemoveAction = 'remove';

export interface LinkRemovalOptions extends HostDeps<SyncSettingsStrings, RemoveAction> {
  /** The links and their selection. */
  links: LinkActions;
  renderRoot: () => ParentNode;
}

/** A removal waiting for the administrator's confirmation. */
interface Removal {
  counts: RemovalCounts;
  ids: string[];
  /** Associate ids of selected unsaved links, discarded on confirm. */
  discard: number[];
}

/** Users named in the dialog; the rest are counted. */
const NAMED = 50;

/**
 * Remove Selected Users: unsaved links are discarded at once; saved ones go after a dialog that
 * states how many links and mapped items are deleted, and what that means for duplicates.
 */
export class LinkRemoval extends PanelController<LinkRemovalOptions> {
  private removal: Removal | null = null;

  override hostUpdated(): void {
    syncModal(this.o.renderRoot().querySelector<HTMLDialogElement>('dialog#remove-dialog'), this.removal !== null);
  }

  private ask(removal: Removal | null): void {
    this.removal = removal;
    this.host.requestUpdate();
  }

  removeSelected = (): Promise<void> =>
    this.o.runner.run('remove', async () => {
      const s = this.o.strings();
      const { links, selection } = this.o.links;
      const { ids, discard } = links.removalOf(selection);
      if (ids.length + discard.length === 0) return this.o.runner.say('remove', s.selectLinks, true);
      if (ids.length === 0) {
        this.o.links.update(links.discardAdded(discard));
        return this.o.runner.say('remove', s.discarded(discard.length));
      }
      const counts = await this.o.api().removalPreview(ids);
      this.ask({ counts, ids, discard });
    });

  private cancel = (): void => this.ask(null);

  private confirm = (): Promise<void> => {
    const removal = this.removal;
    if (!removal) return Promise.resolve();
    this.ask(null);
    return this.o.runner.run('remove', async () => {
      const removed = await this.o.api().removeUsers(removal.ids);
      this.o.links.update(this.o.links.links.afterRemove(removal.ids).discardAdded(removal.discard));
      this.o.runner.say('remove', this.o.strings().removed(removed.links, removed.historyRows));
    });
  };

  renderDialog(): TemplateResult {
    const s = this.o.strings();
    const r = this.removal;
    return alertDialog({
      id: 'remove-dialog', name: 'remove', open: r !== null,
      title: r ? s.dialogTitle(r.counts.links) : s.removeSelected,
      body: r
        ? html`<p data-counts>${s.dialogBody(r.counts.links, r.counts.historyRows)}</p>
            ${r.counts.users.length > 0
              ? html`<ul class="who" data-users>
                  ${r.counts.users.slice(0, NAMED).map((u) => html`<li>${u.associateName} — ${u.mailboxAddress}: ${s.historyRows(u.historyRows)}</li>`)}
                  ${r.counts.users.length > NAMED ? html`<li>${s.andMore(r.counts.users.length - NAMED)}</li>` : nothing}
                </ul>`
              : nothing}
            <div class="warning" data-duplicates>${s.dialogWarning.map((p) => html`<p>${p}</p>`)}</div>
            ${r.discard.length > 0 ? html`<p>${s.dialogDiscard(r.discard.length)}</p>` : nothing}`
        : nothing,
      cancel: { label: s.cancel, onClick: this.cancel },
      confirm: { label: s.dialogConfirm, onClick: this.confirm, kind: 'danger' },
    });
  }
}
