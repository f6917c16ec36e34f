import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import type { InviteDefaults, TenantInfo } from '../../logic/types.js';
import type { InviteManagerStrings } from '../invite-manager.strings.js';
import { PanelController } from '../../controls/panel-controller.js';

export interface InviteDraftOptions {
  tenant: () => TenantInfo | null;
  strings: () => InviteManagerStrings;
  /** The form is read-only meanwhile (a send is running). */
  locked: () => boolean;
  /** The signed-in administrator's own email (their SuperOffice contact card), once known. */
  ownEmail: () => string | null;
}

/** Good enough to catch a typo; Microsoft 365 has the last word (InviteSenderNotFound). */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The invite email being written: starts from the tenant's defaults (`tenant.invites`); the
 * sender is the tenant's remembered sender, else the signed-in administrator's own mailbox (until
 * they type one). Checks the sender mailbox as the administrator leaves the field, and renders
 * the form with Link when accepted.
 */
export class InviteDraft extends PanelController<InviteDraftOptions> {
  /** Null until the tenant's defaults arrive. */
  draft: InviteDefaults | null = null;
  /** Link the invitee to the mailbox they accept with at once (else it is proposed). */
  linkOnAccept = false;
  private senderInvalid = false;
  private senderTouched = false;

  override hostUpdate(): void {
    const tenant = this.o.tenant();
    if (this.draft === null && tenant) this.draft = { ...tenant.invites };
    const own = this.o.ownEmail();
    if (this.draft && !this.draft.senderAddress && !this.senderTouched && own) this.draft = { ...this.draft, senderAddress: own };
  }

  /** The sender address when it looks like one; else marks the field invalid and returns null. */
  sender(): string | null {
    const sender = this.draft?.senderAddress?.trim() ?? '';
    if (this.draft && EMAIL.test(sender)) return sender;
    this.senderInvalid = true;
    this.host.requestUpdate();
    return null;
  }

  private edit(change: Partial<InviteDefaults>): void {
    if (!this.draft) return;
    this.draft = { ...this.draft, ...change };
    if (this.senderInvalid && EMAIL.test(this.draft.senderAddress?.trim() ?? '')) this.senderInvalid = false;
    this.host.requestUpdate();
  }

  private onSenderChange = (e: Event): void => {
    const value = (e.target as HTMLInputElement).value.trim();
    this.senderInvalid = value !== '' && !EMAIL.test(value);
    this.host.requestUpdate();
  };

  render(): TemplateResult {
    const s = this.o.strings();
    const d = this.draft;
    const tenant = this.o.tenant();
    const disabled = d === null || this.o.locked();
    const text = (e: Event) => (e.target as HTMLInputElement | HTMLTextAreaElement).value;
    return html`<section class="form" aria-labelledby="form-title">
      <h3 id="form-title">${s.formTitle}</h3>
      <label for="sender">${s.sender}</label>
      <input
        id="sender"
        type="email"
        autocomplete="off"
        spellcheck="false"
        required
        aria-invalid=${this.senderInvalid ? 'true' : 'false'}
        aria-describedby=${this.senderInvalid ? 'sender-error sender-hint' : 'sender-hint'}
        ?disabled=${disabled}
        .value=${live(d?.senderAddress ?? '')}
        @input=${(e: Event) => {
          this.senderTouched = true;
          this.edit({ senderAddress: text(e) });
        }}
        @change=${this.onSenderChange}
      />
      ${this.senderInvalid ? html`<p class="field-error" id="sender-error" role="alert">${s.senderInvalid}</p>` : nothing}
      <p class="hint" id="sender-hint">${s.senderHint} ${s.senderDefault}</p>
      <label for="sender-name">${s.senderName}</label>
      <input
        id="sender-name"
        type="text"
        autocomplete="off"
        ?disabled=${disabled}
        .value=${live(d?.senderName ?? '')}
        @input=${(e: Event) => this.edit({ senderName: text(e) })}
      />
      <label for="subject">${s.subject}</label>
      <input id="subject" type="text" autocomplete="off" ?disabled=${disabled} .value=${live(d?.subject ?? '')} @input=${(e: Event) => this.edit({ subject: text(e) })} />
      <label for="message">${s.message}</label>
      <textarea
        id="message"
        rows="8"
        aria-describedby="message-hint"
        ?disabled=${disabled}
        .value=${live(d?.message ?? '')}
        @input=${(e: Event) => this.edit({ message: text(e) })}
      ></textarea>
      <p class="hint" id="message-hint">${s.placeholders}</p>
      <label class="check">
        <input
          type="checkbox"
          data-field="allowOtherMailbox"
          ?disabled=${disabled}
          .checked=${live(d?.allowOtherMailbox ?? false)}
          @change=${(e: Event) => this.edit({ allowOtherMailbox: (e.target as HTMLInputElement).checked })}
        />
        <span>${s.allowOther}</span>
      </label>
      <label class="check">
        <input
          type="checkbox"
          data-field="linkOnAccept"
          aria-describedby="link-on-accept-hint"
          ?disabled=${disabled}
          .checked=${live(this.linkOnAccept)}
          @change=${(e: Event) => {
            this.linkOnAccept = (e.target as HTMLInputElement).checked;
            this.host.requestUpdate();
          }}
        />
        <span>${s.linkOnAccept}</span>
      </label>
      <p class="hint" id="link-on-accept-hint">${s.linkOnAcceptHint}</p>
      ${tenant ? html`<p class="hint" data-lifetime>${s.lifetime(tenant.inviteTtlDays)}</p>` : nothing}
    </section>`;
  }
}
