import { html, nothing, type TemplateResult } from 'lit';
import { alertDialog, syncModal } from '../../controls/modal.js';
import { authorizedMailbox, type InviteRow } from './invite-rows.js';
import { PanelController } from '../../controls/panel-controller.js';
import type { InviteDeps } from './invite-deps.js';

export type RevokeAction = 'revokeInvites' | 'revokeAuthorization';

export interface InviteRevocationOptions extends InviteDeps<RevokeAction> {
  renderRoot: () => ParentNode;
}

/** A revoke waiting for the administrator's confirmation, with the rows it acts on. */
interface Confirmation {
  kind: RevokeAction;
  rows: InviteRow[];
  selected: number;
}

/** Users named in the dialog; the rest are counted. */
const SHOWN_IN_DIALOG = 50;

/**
 * Revoke invites (the open ones among the selected users) and Revoke authorization (of the
 * mailboxes they authorized), each after a confirmation dialog that names who is affected.
 */
export class InviteRevocation extends PanelController<InviteRevocationOptions> {
  private confirmation: Confirmation | null = null;

  override hostUpdated(): void {
    syncModal(this.o.renderRoot().querySelector('dialog'), this.confirmation !== null);
  }

  private ask(confirmation: Confirmation | null): void {
    this.confirmation = confirmation;
    this.host.requestUpdate();
  }

  /** Asks to revoke what `kind` acts on among the selected users, or says there is nothing to revoke. */
  private request(kind: RevokeAction): Promise<void> {
    return this.o.runner.run(kind, () => {
      const selected = this.o.selectedRows();
      const rows = selected.filter((r) => (kind === 'revokeInvites' ? r.state === 'invited' && r.invite : authorizedMailbox(r) !== null));
      if (rows.length === 0) {
        const s = this.o.strings();
        return this.o.runner.say(kind, kind === 'revokeInvites' ? s.noOpenInvites : s.noAuthorizations, true);
      }
      this.ask({ kind, rows, selected: selected.length });
    });
  }

  revokeInvites = (): Promise<void> => this.request('revokeInvites');

  revokeAuthorizations = (): Promise<void> => this.request('revokeAuthorization');

  private cancel = (): void => this.ask(null);

  private confirm = (): Promise<void> => {
    const c = this.confirmation;
    if (!c) return Promise.resolve();
    this.ask(null);
    this.o.clearOutcomes();
    const s = this.o.strings();
    return this.o.runner.run(c.kind, async () => {
      try {
        if (c.kind === 'revokeInvites') {
          const revoked = await this.o.api().revokeInvites(c.rows.map((r) => r.invite!.id));
          this.o.runner.say(c.kind, s.revokedInvites(revoked.length));
        } else {
          const mailboxIds = [...new Set(c.rows.map((r) => authorizedMailbox(r)!.id))];
          const result = await this.o.api().revokeAuthorizations(mailboxIds);
          this.o.runner.say(c.kind, s.revokedAuthorizations(result.revoked.length, result.disabledLinks));
        }
      } finally {
        await this.o.reload();
      }
    });
  };

  renderDialog(): TemplateResult {
    const s = this.o.strings();
    const c = this.confirmation;
    const revokeAuth = c?.kind === 'revokeAuthorization';
    return alertDialog({
      name: 'confirm',
      open: c !== null,
      title: !c ? '' : revokeAuth ? s.revokeAuthTitle(c.rows.length) : s.revokeInvitesTitle(c.rows.length),
      body: c
        ? html`${revokeAuth
              ? html`<p>${s.revokeAuthBody}</p>
                  <p class="warning" data-kept>${s.revokeAuthKept}</p>`
              : html`<p>${s.revokeInvitesBody}</p>`}
            ${c.rows.length < c.selected ? html`<p data-only-some>${s.onlySome(c.rows.length, c.selected)}</p>` : nothing}
            <ul class="who" data-users>
              ${c.rows.slice(0, SHOWN_IN_DIALOG).map((r) => {
                const who = revokeAuth ? authorizedMailbox(r)?.address : r.invite?.email;
                return html`<li>${r.associate.name}${who ? ` — ${who}` : ''}</li>`;
              })}
              ${c.rows.length > SHOWN_IN_DIALOG ? html`<li>${s.andMore(c.rows.length - SHOWN_IN_DIALOG)}</li>` : nothing}
            </ul>`
        : nothing,
      cancel: { label: s.cancel, onClick: this.cancel },
      confirm: { label: revokeAuth ? s.revokeAuthConfirm : s.revokeInvitesConfirm, onClick: this.confirm, kind: 'danger' },
    });
  }
}
