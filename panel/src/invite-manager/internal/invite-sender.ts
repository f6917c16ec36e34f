import { html, nothing, type TemplateResult } from 'lit';
import { INVITE_CHUNK } from '../../api/api-client.js';
import { formatCount, type Lang } from '../../i18n/locale.js';
import type { InviteResult } from '../../logic/types.js';
import type { InviteDraft } from './invite-draft.js';
import { PanelController } from '../../controls/panel-controller.js';
import type { InviteDeps } from './invite-deps.js';

export type SendAction = 'send';

export interface InviteSenderOptions extends InviteDeps<SendAction> {
  lang: () => Lang;
  draft: InviteDraft;
}

/** What Send invites to selected users did, added up over its requests. */
interface SendReport {
  total: number;
  processed: number;
  sent: number;
  skipped: InviteResult['skipped'];
  failed: InviteResult['failed'];
}

/**
 * Send invites to selected users: in requests of {@link INVITE_CHUNK}, with progress and Cancel
 * (which stops after the request on its way; so does leaving the view), then a report that names
 * every user not invited and every email not sent.
 */
export class InviteSender extends PanelController<InviteSenderOptions> {
  private report: SendReport | null = null;
  private progress: { done: number; total: number } | null = null;
  private stopping = false;

  override hostDisconnected(): void {
    this.stopping = true;
  }

  private set(change: { report?: SendReport | null; progress?: { done: number; total: number } | null; stopping?: boolean }): void {
    Object.assign(this, change);
    this.host.requestUpdate();
  }

  /** Forgets the last report. */
  forget(): void {
    this.set({ report: null });
  }

  send = (): Promise<void> =>
    this.o.runner.run('send', async () => {
      const s = this.o.strings();
      this.o.clearOutcomes();
      const rows = this.o.selectedRows();
      if (rows.length === 0) return this.o.runner.say('send', s.selectUsers, true);
      const sender = this.o.draft.sender();
      const d = this.o.draft.draft;
      if (!d || sender === null) return this.o.runner.say('send', s.senderInvalid, true);
      // Everyone selected goes to the backend, also those without an email here: it reads the
      // contact cards again and says, per associate, who it skipped and why.
      const ids = rows.map((r) => r.associate.associateId);
      let report: SendReport = { total: ids.length, processed: 0, sent: 0, skipped: [], failed: [] };
      this.set({ stopping: false, progress: { done: 0, total: ids.length } });
      try {
        for (let i = 0; i < ids.length && !this.stopping; i += INVITE_CHUNK) {
          const chunk = ids.slice(i, i + INVITE_CHUNK);
          const result = await this.o.api().sendInvites({
            associateIds: chunk,
            delivery: 'email',
            senderAddress: sender,
            senderName: d.senderName,
            subject: d.subject,
            message: d.message,
            allowOtherMailbox: d.allowOtherMailbox,
            linkOnAccept: this.o.draft.linkOnAccept,
          });
          report = {
            ...report,
            processed: report.processed + chunk.length,
            sent: report.sent + result.invites.filter((x) => x.state !== 'failed').length,
            skipped: [...report.skipped, ...result.skipped],
            failed: [...report.failed, ...result.failed],
          };
          this.set({ progress: { done: report.processed, total: ids.length } });
        }
      } finally {
        this.set({ progress: null, stopping: false, report });
        await this.o.reload();
      }
    });

  private cancel = (): void => this.set({ stopping: true });

  /** While sending: how far it got, and Cancel. */
  renderProgress(): TemplateResult | typeof nothing {
    const p = this.progress;
    if (!p) return nothing;
    const s = this.o.strings();
    const n = (x: number) => formatCount(x, this.o.lang());
    return html`<span class="status" role="status" data-progress>${this.stopping ? s.stopping : s.progress(n(p.done), n(p.total))}</span>
      <button type="button" data-action="cancel-send" ?disabled=${this.stopping} @click=${this.cancel}>${s.cancel}</button>`;
  }

  renderReport(): TemplateResult | typeof nothing {
    const r = this.report;
    if (!r) return nothing;
    const s = this.o.strings();
    return html`<section class="summary" role="status" aria-label=${s.send} data-report>
      <p data-report-title>${s.reportTitle(r.sent, r.processed, r.total)}</p>
      ${r.skipped.length > 0 || r.failed.length > 0
        ? html`<ul>
            ${r.skipped.length > 0
              ? html`<li data-skipped>
                  <strong>${s.skippedTitle(r.skipped.length)}</strong>
                  <ul>
                    ${r.skipped.map((x) => html`<li data-associate=${x.associateId}>${x.associateName}: ${s.skipReasons[x.reason] ?? x.reason}</li>`)}
                  </ul>
                </li>`
              : nothing}
            ${r.failed.length > 0
              ? html`<li data-failed>
                  <strong>${s.failedTitle(r.failed.length)}</strong>
                  <ul>
                    ${r.failed.map((x) => html`<li data-associate=${x.associateId}>${s.failure(x.associateName, x.email, x.message)}</li>`)}
                  </ul>
                </li>`
              : nothing}
          </ul>`
        : nothing}
    </section>`;
  }
}
