import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { consume } from '@lit/context';
import { Task, TaskStatus } from '@lit/task';
import '../../data-list/data-list.js';
import type { Column, SelectionChangeEvent, SortState } from '../../data-list/data-list.js';
import { INVITE_CHUNK, PanelApiError, errorText, type InviteClient } from '../../api/api-client.js';
import { apiErrorText } from '../../api/api-errors.strings.js';
import { panelApiContext } from '../../api/context.js';
import { alertDialog, syncModal } from '../../controls/modal.js';
import { formatCount, formatDate, formatDateTime, pick, type Lang } from '../../i18n/locale.js';
import type { Associate, Authorization, Invite, InviteDefaults, InviteResult, TenantInfo } from '../../logic/types.js';
import { inviteManagerStrings, type InviteManagerStrings } from '../invite-manager.strings.js';
import { styles } from '../invite-manager.styles.js';
import { authorizedMailbox, inviteRowKey, inviteRows, type InviteRow, type InviteRowState } from './invite-rows.js';

/** The actions a message can belong to: each is shown next to its button. */
type Action = 'send' | 'copy' | 'revokeInvites' | 'revokeAuthorization';

interface Message {
  text: string;
  error: boolean;
}

/** What Send invites to selected users did, added up over its requests. */
interface SendReport {
  total: number;
  processed: number;
  sent: number;
  skipped: InviteResult['skipped'];
  failed: InviteResult['failed'];
}

/** A revoke waiting for the administrator's confirmation, with the rows it acts on. */
interface Confirmation {
  kind: 'revokeInvites' | 'revokeAuthorization';
  rows: InviteRow[];
  selected: number;
}

/** A link created by Copy invite link: shown once. */
interface CopiedLink {
  name: string;
  url: string;
}

const STATE_TONE: Readonly<Record<InviteRowState, string>> = {
  notInvited: 'neutral',
  invited: 'info',
  accepted: 'ok',
  expired: 'warn',
  revoked: 'neutral',
  failed: 'danger',
};
const STATE_ORDER: Readonly<Record<InviteRowState, number>> = { notInvited: 0, failed: 1, expired: 2, revoked: 3, invited: 4, accepted: 5 };
const BY_NAME: SortState = { column: 'name', direction: 'ascending' };
/** Good enough to catch a typo; Microsoft 365 has the last word (InviteSenderNotFound). */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SHOWN_IN_DIALOG = 50;

const rowClass = (r: InviteRow): string => (r.associate.active ? '' : 'muted');

/** The date the "Expires / Accepted at" column shows for a row, and how it says it. */
function whenOf(r: InviteRow): { kind: 'expires' | 'expired' | 'accepted'; at: string } | null {
  const i = r.invite;
  if (!i) return null;
  if (r.state === 'invited') return { kind: 'expires', at: i.expiresAt };
  if (r.state === 'expired') return { kind: 'expired', at: i.expiresAt };
  if (r.state === 'accepted' && i.acceptedAt) return { kind: 'accepted', at: i.acceptedAt };
  return null;
}

function columns(s: InviteManagerStrings, lang: Lang): Column<InviteRow>[] {
  const stateText = (r: InviteRow) => (r.state === 'failed' && r.invite?.sendError ? `${s.states.failed}: ${r.invite.sendError}` : s.states[r.state]);
  const whenText = (r: InviteRow) => {
    const w = whenOf(r);
    return w ? s.whenText[w.kind](formatDate(w.at, lang)) : '';
  };
  const mailboxText = (r: InviteRow) => {
    const a = r.authorization;
    if (!a) return r.invite?.acceptedMailbox?.address ?? '';
    return a.revokedAt === null ? a.mailboxAddress : `${a.mailboxAddress} ${s.revoked}`;
  };
  return [
    {
      id: 'name',
      label: s.name,
      width: 'minmax(0, 1.3fr)',
      text: (r) => (r.associate.loginName ? `${r.associate.name} ${r.associate.loginName}` : r.associate.name),
      sortValue: (r) => r.associate.name,
      render: (r) =>
        html`<span title=${r.associate.name}>${r.associate.name}</span>${r.associate.active
            ? nothing
            : html` <span class="badge" data-tone="warn">${s.retired}</span>`}`,
    },
    {
      id: 'email',
      label: s.email,
      width: 'minmax(0, 1.4fr)',
      text: (r) => r.associate.email ?? s.noEmail,
      sortValue: (r) => r.associate.email ?? '',
      render: (r) =>
        r.associate.email
          ? html`<span title=${r.associate.email}>${r.associate.email}</span>`
          : html`<span class="badge" data-tone="warn">${s.noEmail}</span>`,
    },
    {
      id: 'state',
      label: s.state,
      width: 'minmax(6.5rem, 0.9fr)',
      text: stateText,
      sortValue: (r) => STATE_ORDER[r.state],
      render: (r) =>
        html`<span class="badge" data-tone=${STATE_TONE[r.state]}>${s.states[r.state]}</span>${r.state === 'failed' && r.invite?.sendError
            ? html` <span class="dim" title=${r.invite.sendError}>${r.invite.sendError}</span>`
            : nothing}`,
    },
    {
      id: 'when',
      label: s.when,
      width: 'minmax(9rem, 1fr)',
      searchable: false,
      text: whenText,
      sortValue: (r) => whenOf(r)?.at ?? null,
      render: (r) => {
        const w = whenOf(r);
        return w ? html`<span title=${s.whenText[w.kind](formatDateTime(w.at, lang))}>${whenText(r)}</span>` : '';
      },
    },
    {
      id: 'mailbox',
      label: s.mailbox,
      width: 'minmax(0, 1.3fr)',
      text: mailboxText,
      render: (r) => {
        const a = r.authorization;
        if (!a || a.revokedAt === null) return mailboxText(r);
        return html`<span class="dim" title=${a.mailboxAddress}>${a.mailboxAddress}</span> <span class="badge" data-tone="neutral">${s.revoked}</span>`;
      },
    },
  ];
}

/**
 * The Token Authentication Manager (OAuth mode), shown inside the panel: the associates with their
 * newest invite (Not invited, Invited, Accepted, Expired, Revoked, Not sent with the reason), when
 * it expires or was accepted, and the mailbox they authorized. The administrator selects users and
 * sends invites (in requests of {@link INVITE_CHUNK}, with progress and Cancel, then a report that
 * names every user not invited and every email not sent), copies one user's invite link, revokes
 * open invites, or revokes authorizations (after a confirmation). Sending again replaces an
 * associate's open invite.
 *
 * Reads and writes invites and authorizations itself, through the {@link PanelApi} provided by the
 * app shell ({@link panelApiContext}), and reloads them after every action. The invite email
 * starts from `tenant.invites`; the backend remembers what was sent.
 */
export class InviteManager extends LitElement {
  static override styles = styles;

  @property({ reflect: true }) override lang: Lang = 'en';
  /** The associates, as `GET /api/v1/associates` lists them (name and contact-card email). */
  @property({ attribute: false }) associates: readonly Associate[] = [];
  /** The tenant's settings: the invite email's defaults and the invite lifetime. */
  @property({ attribute: false }) tenant: TenantInfo | null = null;
  /** Keys (associate ids as text) of the selected users. Kept in step with the user's selection. */
  @property({ attribute: false }) selection: ReadonlySet<string> = new Set();
  /** The API client: from the app shell's context, or set directly. */
  @consume({ context: panelApiContext, subscribe: true })
  @property({ attribute: false })
  api?: InviteClient;
  /** Puts text on the clipboard (replaceable in tests). */
  @property({ attribute: false }) writeClipboard: (text: string) => Promise<void> = (text) => navigator.clipboard.writeText(text);

  @state() private invites: readonly Invite[] = [];
  @state() private authorizations: readonly Authorization[] = [];
  /** The invite email being written; null until the tenant's defaults arrive. */
  @state() private draft: InviteDefaults | null = null;
  @state() private senderInvalid = false;
  @state() private busy: Action | null = null;
  @state() private progress: { done: number; total: number } | null = null;
  @state() private stopping = false;
  @state() private report: SendReport | null = null;
  @state() private copied: CopiedLink | null = null;
  @state() private confirmation: Confirmation | null = null;
  @state() private messages: Readonly<Partial<Record<Action, Message>>> = {};

  @query('dialog') private dialog!: HTMLDialogElement | null;

  private rows: InviteRow[] = [];
  private columns: Column<InviteRow>[] = [];

  /** Invites and authorizations, loaded when the API is at hand and after every action. */
  private data = new Task(this, {
    args: () => [this.api] as const,
    task: async ([api], { signal }) => {
      if (!api) return;
      const [invites, authorizations] = await Promise.all([api.invites(signal), api.authorizations(signal)]);
      this.invites = invites;
      this.authorizations = authorizations;
    },
  });

  private get s(): InviteManagerStrings {
    return pick(inviteManagerStrings, this.lang);
  }

  /** The selected users, in the order of `associates`. */
  get selectedRows(): InviteRow[] {
    return this.rows.filter((r) => this.selection.has(r.key));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Leaving the view stops a send after the request on its way.
    this.stopping = true;
  }

  // Untyped: the private states are not in `PropertyValues<this>`.
  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('associates') || changed.has('invites') || changed.has('authorizations')) {
      this.rows = inviteRows(this.associates, this.invites, this.authorizations, Date.now());
    }
    if (changed.has('lang')) this.columns = columns(this.s, this.lang);
    if (this.draft === null && this.tenant) this.draft = { ...this.tenant.invites };
  }

  protected override updated(): void {
    syncModal(this.dialog, this.confirmation !== null);
  }

  // ---- messages -------------------------------------------------------------------------------

  private say(action: Action, text: string, error = false): void {
    this.messages = { ...this.messages, [action]: { text, error } };
  }

  /** An API error in words the administrator can act on (ours for the known codes, else the backend's). */
  private errorText(err: unknown): string {
    if (err instanceof PanelApiError) {
      const known = apiErrorText(err.code, this.lang);
      if (known) return known;
    }
    return errorText(err);
  }

  /** Runs one action: marks it busy, clears the old messages, shows any error next to its button. */
  private async run(action: Action, work: (api: InviteClient) => Promise<void> | void): Promise<void> {
    const api = this.api;
    if (this.busy || !api) return;
    this.busy = action;
    // One list, one outcome at a time: an older report or message would read as this action's.
    this.messages = {};
    try {
      await work(api);
    } catch (err) {
      this.say(action, this.errorText(err), true);
    } finally {
      this.busy = null;
    }
  }

  private async reload(): Promise<void> {
    await this.data.run();
  }

  // ---- the invite email -------------------------------------------------------------------------

  private edit(change: Partial<InviteDefaults>): void {
    if (!this.draft) return;
    this.draft = { ...this.draft, ...change };
    if (this.senderInvalid && EMAIL.test(this.draft.senderAddress?.trim() ?? '')) this.senderInvalid = false;
  }

  private onSenderChange = (e: Event): void => {
    const value = (e.target as HTMLInputElement).value.trim();
    this.senderInvalid = value !== '' && !EMAIL.test(value);
  };

  // ---- Send invites to selected users ------------------------------------------------------------

  private send = (): Promise<void> =>
    this.run('send', async (api) => {
      const s = this.s;
      this.report = null;
      this.copied = null;
      const rows = this.selectedRows;
      if (rows.length === 0) return this.say('send', s.selectUsers, true);
      const d = this.draft;
      const sender = d?.senderAddress?.trim() ?? '';
      if (!d || !EMAIL.test(sender)) {
        this.senderInvalid = true;
        return this.say('send', s.senderInvalid, true);
      }
      // Everyone selected goes to the backend, also those without an email here: it reads the
      // contact cards again and says, per associate, who it skipped and why.
      const ids = rows.map((r) => r.associate.associateId);
      let report: SendReport = { total: ids.length, processed: 0, sent: 0, skipped: [], failed: [] };
      this.stopping = false;
      this.progress = { done: 0, total: ids.length };
      try {
        for (let i = 0; i < ids.length && !this.stopping; i += INVITE_CHUNK) {
          const chunk = ids.slice(i, i + INVITE_CHUNK);
          const result = await api.sendInvites({
            associateIds: chunk,
            delivery: 'email',
            senderAddress: sender,
            senderName: d.senderName,
            subject: d.subject,
            message: d.message,
            allowOtherMailbox: d.allowOtherMailbox,
          });
          report = {
            ...report,
            processed: report.processed + chunk.length,
            sent: report.sent + result.invites.filter((x) => x.state !== 'failed').length,
            skipped: [...report.skipped, ...result.skipped],
            failed: [...report.failed, ...result.failed],
          };
          this.progress = { done: report.processed, total: ids.length };
        }
      } finally {
        this.progress = null;
        this.stopping = false;
        this.report = report;
        await this.reload();
      }
    });

  private cancelSend = (): void => {
    this.stopping = true;
  };

  // ---- Copy invite link ---------------------------------------------------------------------------

  private copyLink = (): Promise<void> =>
    this.run('copy', async (api) => {
      const s = this.s;
      this.report = null;
      this.copied = null;
      const rows = this.selectedRows;
      if (rows.length !== 1) return this.say('copy', s.selectOne, true);
      const associate = rows[0]!.associate;
      try {
        const result = await api.sendInvites({
          associateIds: [associate.associateId],
          delivery: 'link',
          allowOtherMailbox: this.draft?.allowOtherMailbox ?? false,
        });
        const link = result.links.find((l) => l.associateId === associate.associateId);
        if (!link) {
          const skipped = result.skipped[0];
          const failed = result.failed[0];
          const why = skipped ? s.skipReasons[skipped.reason] : (failed?.message ?? '');
          return this.say('copy', s.linkSkipped(associate.name, why), true);
        }
        this.copied = { name: associate.name, url: link.url };
        try {
          await this.writeClipboard(link.url);
          this.say('copy', s.linkCopied(associate.name));
        } catch {
          this.say('copy', s.linkNotCopied);
        }
      } finally {
        await this.reload();
      }
    });

  private selectLink = (e: Event): void => {
    (e.target as HTMLInputElement).select();
  };

  // ---- revoking ---------------------------------------------------------------------------------

  private askRevokeInvites = (): Promise<void> =>
    this.run('revokeInvites', () => {
      const selected = this.selectedRows;
      const rows = selected.filter((r) => r.state === 'invited' && r.invite);
      if (rows.length === 0) return this.say('revokeInvites', this.s.noOpenInvites, true);
      this.confirmation = { kind: 'revokeInvites', rows, selected: selected.length };
    });

  private askRevokeAuthorization = (): Promise<void> =>
    this.run('revokeAuthorization', () => {
      const selected = this.selectedRows;
      const rows = selected.filter((r) => authorizedMailbox(r) !== null);
      if (rows.length === 0) return this.say('revokeAuthorization', this.s.noAuthorizations, true);
      this.confirmation = { kind: 'revokeAuthorization', rows, selected: selected.length };
    });

  private cancelConfirmation = (): void => {
    this.confirmation = null;
  };

  private confirm = (): Promise<void> => {
    const c = this.confirmation;
    if (!c) return Promise.resolve();
    this.confirmation = null;
    this.report = null;
    this.copied = null;
    const s = this.s;
    if (c.kind === 'revokeInvites') {
      return this.run('revokeInvites', async (api) => {
        try {
          const revoked = await api.revokeInvites(c.rows.map((r) => r.invite!.id));
          this.say('revokeInvites', s.revokedInvites(revoked.length));
        } finally {
          await this.reload();
        }
      });
    }
    return this.run('revokeAuthorization', async (api) => {
      const mailboxIds = [...new Set(c.rows.map((r) => authorizedMailbox(r)!.id))];
      try {
        const result = await api.revokeAuthorizations(mailboxIds);
        this.say('revokeAuthorization', s.revokedAuthorizations(result.revoked.length, result.disabledLinks));
      } finally {
        await this.reload();
      }
    });
  };

  private onSelectionChange = (e: SelectionChangeEvent): void => {
    this.selection = e.selection;
  };

  // ---- rendering --------------------------------------------------------------------------------

  private message(action: Action): TemplateResult | typeof nothing {
    const m = this.messages[action];
    if (!m) return nothing;
    return m.error
      ? html`<p role="alert" data-for=${action}>${m.text}</p>`
      : html`<p class="status" role="status" data-for=${action}>${m.text}</p>`;
  }

  override render(): TemplateResult {
    const s = this.s;
    const idle = this.busy === null && this.api !== undefined;
    return html`
      <h2>${s.title}</h2>
      <p class="hint">${s.intro}</p>
      <div class="bar" role="toolbar" aria-label=${s.actions}>
        <span class="action">
          <button type="button" class="primary" data-action="send" ?disabled=${!idle} @click=${this.send}>${s.send}</button>
          ${this.progress
            ? html`<span class="status" role="status" data-progress
                  >${this.stopping ? s.stopping : s.progress(formatCount(this.progress.done, this.lang), formatCount(this.progress.total, this.lang))}</span
                >
                <button type="button" data-action="cancel-send" ?disabled=${this.stopping} @click=${this.cancelSend}>${s.cancel}</button>`
            : nothing}
        </span>
        <button type="button" data-action="copy" ?disabled=${!idle} @click=${this.copyLink}>${s.copyLink}</button>
        <button type="button" data-action="revokeInvites" ?disabled=${!idle} @click=${this.askRevokeInvites}>${s.revokeInvites}</button>
        <button type="button" data-action="revokeAuthorization" ?disabled=${!idle} @click=${this.askRevokeAuthorization}>
          ${s.revokeAuthorization}
        </button>
      </div>
      <p class="hint" data-resend>${s.resendHint}</p>
      <div class="messages">
        ${this.message('send')} ${this.renderReport()} ${this.message('copy')} ${this.message('revokeInvites')}
        ${this.message('revokeAuthorization')}
        ${this.data.render({
          pending: () => html`<p class="status" role="status">${s.loading}</p>`,
          error: (err) => html`<p role="alert" data-for="data">${this.errorText(err)}</p>`,
        })}
      </div>
      ${this.renderLink()}
      <div class="content">
        <so-data-list
          lang=${this.lang}
          label=${s.label}
          empty-text=${s.empty}
          ?busy=${this.data.status === TaskStatus.PENDING}
          .items=${this.rows}
          .columns=${this.columns}
          .rowKey=${inviteRowKey}
          .rowClass=${rowClass}
          .selection=${this.selection}
          .sort=${BY_NAME}
          @selection-change=${this.onSelectionChange}
        ></so-data-list>
        ${this.renderForm()}
      </div>
      ${this.renderDialog()}
    `;
  }

  private renderReport(): TemplateResult | typeof nothing {
    const r = this.report;
    if (!r) return nothing;
    const s = this.s;
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

  private renderLink(): TemplateResult | typeof nothing {
    const c = this.copied;
    if (!c) return nothing;
    const s = this.s;
    return html`<div class="link" data-link>
      <label for="invite-link">${s.linkLabel(c.name)}</label>
      <input id="invite-link" type="text" readonly spellcheck="false" aria-describedby="invite-link-note" .value=${c.url} @focus=${this.selectLink} />
      <p class="hint" id="invite-link-note">${s.linkNote}</p>
    </div>`;
  }

  private renderForm(): TemplateResult {
    const s = this.s;
    const d = this.draft;
    const disabled = d === null || this.busy === 'send';
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
        @input=${(e: Event) => this.edit({ senderAddress: (e.target as HTMLInputElement).value })}
        @change=${this.onSenderChange}
      />
      ${this.senderInvalid ? html`<p class="field-error" id="sender-error" role="alert">${s.senderInvalid}</p>` : nothing}
      <p class="hint" id="sender-hint">${s.senderHint}</p>
      <label for="sender-name">${s.senderName}</label>
      <input
        id="sender-name"
        type="text"
        autocomplete="off"
        ?disabled=${disabled}
        .value=${live(d?.senderName ?? '')}
        @input=${(e: Event) => this.edit({ senderName: (e.target as HTMLInputElement).value })}
      />
      <label for="subject">${s.subject}</label>
      <input
        id="subject"
        type="text"
        autocomplete="off"
        ?disabled=${disabled}
        .value=${live(d?.subject ?? '')}
        @input=${(e: Event) => this.edit({ subject: (e.target as HTMLInputElement).value })}
      />
      <label for="message">${s.message}</label>
      <textarea
        id="message"
        rows="8"
        aria-describedby="message-hint"
        ?disabled=${disabled}
        .value=${live(d?.message ?? '')}
        @input=${(e: Event) => this.edit({ message: (e.target as HTMLTextAreaElement).value })}
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
      ${this.tenant ? html`<p class="hint" data-lifetime>${s.lifetime(this.tenant.inviteTtlDays)}</p>` : nothing}
    </section>`;
  }

  private renderDialog(): TemplateResult {
    const s = this.s;
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
      cancel: { label: s.cancel, onClick: this.cancelConfirmation },
      confirm: { label: revokeAuth ? s.revokeAuthConfirm : s.revokeInvitesConfirm, onClick: this.confirm, kind: 'danger' },
    });
  }
}
