import { html, nothing, type TemplateResult } from 'lit';
import { PanelController } from '../../controls/panel-controller.js';
import type { InviteDeps } from './invite-deps.js';

export type CopyAction = 'copy';

export interface InviteLinkOptions extends InviteDeps<CopyAction> {
  /** Whether the invite may be accepted with another mailbox (from the invite email's form). */
  allowOtherMailbox: () => boolean;
  linkOnAccept: () => boolean;
  writeClipboard: () => (text: string) => Promise<void>;
}

/** A link created by Copy invite link: shown once. */
interface CopiedLink {
  name: string;
  url: string;
}

/**
 * Copy invite link: creates an invite for exactly one user, puts its link on the clipboard and
 * shows it once (also when the browser refuses the clipboard), or says why the user was not invited.
 */
export class InviteLink extends PanelController<InviteLinkOptions> {
  private copied: CopiedLink | null = null;

  /** Forgets the link shown. */
  forget(): void {
    this.copied = null;
    this.host.requestUpdate();
  }

  copy = (): Promise<void> =>
    this.o.runner.run('copy', async () => {
      const s = this.o.strings();
      this.o.clearOutcomes();
      const rows = this.o.selectedRows();
      if (rows.length !== 1) return this.o.runner.say('copy', s.selectOne, true);
      const associate = rows[0]!.associate;
      try {
        const result = await this.o.api().sendInvites({
          associateIds: [associate.associateId],
          delivery: 'link',
          allowOtherMailbox: this.o.allowOtherMailbox(),
          linkOnAccept: this.o.linkOnAccept(),
        });
        const link = result.links.find((l) => l.associateId === associate.associateId);
        if (!link) {
          const skipped = result.skipped[0];
          const failed = result.failed[0];
          const why = skipped ? s.skipReasons[skipped.reason] : (failed?.message ?? '');
          return this.o.runner.say('copy', s.linkSkipped(associate.name, why), true);
        }
        this.copied = { name: associate.name, url: link.url };
        this.host.requestUpdate();
        try {
          await this.o.writeClipboard()(link.url);
          this.o.runner.say('copy', s.linkCopied(associate.name));
        } catch {
          this.o.runner.say('copy', s.linkNotCopied);
        }
      } finally {
        await this.o.reload();
      }
    });

  private selectLink = (e: Event): void => {
    (e.target as HTMLInputElement).select();
  };

  render(): TemplateResult | typeof nothing {
    const c = this.copied;
    if (!c) return nothing;
    const s = this.o.strings();
    return html`<div class="link" data-link>
      <label for="invite-link">${s.linkLabel(c.name)}</label>
      <input id="invite-link" type="text" readonly spellcheck="false" aria-describedby="invite-link-note" .value=${c.url} @focus=${this.selectLink} />
      <p class="hint" id="invite-link-note">${s.linkNote}</p>
    </div>`;
  }
}
