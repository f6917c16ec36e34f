import { LitElement, html, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { Task, TaskStatus } from '@lit/task';
import '../../data-list/data-list.js';
import type { Column, SelectionChangeEvent } from '../../data-list/data-list.js';
import { PanelApiError, errorText, type InviteClient } from '../../api/api-client.js';
import { apiErrorText } from '../../api/api-errors.strings.js';
import { panelApiContext } from '../../api/context.js';
import { ActionRunner } from '../../controls/action-runner.js';
import { pick, type Lang } from '../../i18n/locale.js';
import type { Associate, Authorization, Invite, TenantInfo } from '../../logic/types.js';
import { inviteManagerStrings, type InviteManagerStrings } from '../invite-manager.strings.js';
import { styles } from '../invite-manager.styles.js';
import { BY_NAME, inviteColumns, rowClass } from './invite-columns.js';
import { InviteDraft } from './invite-draft.js';
import { InviteLink, type CopyAction } from './invite-link.js';
import { InviteRevocation, type RevokeAction } from './invite-revocation.js';
import { inviteRowKey, inviteRows, type InviteRow } from './invite-rows.js';
import { InviteSender, type SendAction } from './invite-sender.js';

/** The actions a message can belong to: each is shown next to its button. */
type Action = SendAction | CopyAction | RevokeAction;

/**
 * The Token Authentication Manager (OAuth mode), shown inside the panel: the associates with their
 * newest invite (Not invited, Invited, Accepted, Expired, Revoked, Not sent with the reason), when
 * it expires or was accepted, and the mailbox they authorized. The administrator selects users and
 * sends invites (in requests of `INVITE_CHUNK`, with progress and Cancel, then a report that
 * names every user not invited and every email not sent), copies one user's invite link, revokes
 * open invites, or revokes authorizations (after a confirmation). Sending again replaces an
 * associate's open invite.
 *
 * Reads and writes invites and authorizations itself, through the {@link PanelApi} provided by the
 * app shell ({@link panelApiContext}), and reloads them after every action. The invite email
 * starts from `tenant.invites`; the backend remembers what was sent.
 *
 * One controller per job: {@link InviteDraft} (the email), {@link InviteSender} (sending),
 * {@link InviteLink} (Copy invite link), {@link InviteRevocation} (revoking), run through one
 * {@link ActionRunner} that shows one outcome at a time.
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

  private rows: InviteRow[] = [];
  private columns: Column<InviteRow>[] = [];

  // One list, one outcome at a time: an older report or message would read as this action's.
  private readonly runner = new ActionRunner<Action>(this, {
    clears: 'all',
    ready: () => this.api !== undefined,
    fail: (action, err) => this.runner.say(action, this.errorText(err), true),
  });

  private readonly common = {
    api: () => this.api!,
    strings: () => this.s,
    runner: this.runner,
    selectedRows: () => this.selectedRows,
    clearOutcomes: () => this.clearOutcomes(),
    reload: () => this.reload(),
  };

  /** The signed-in administrator (GET /session), for the sender's default. */
  @state() private signedInAssociateId: number | null = null;

  private readonly draft = new InviteDraft(this, {
    tenant: () => this.tenant,
    strings: () => this.s,
    locked: () => this.runner.busy === 'send',
    ownEmail: () => this.associates.find((a) => a.associateId === this.signedInAssociateId)?.email ?? null,
  });
  private readonly sender = new InviteSender(this, { ...this.common, lang: () => this.lang, draft: this.draft });
  private readonly link = new InviteLink(this, {
    ...this.common,
    allowOtherMailbox: () => this.draft.draft?.allowOtherMailbox ?? false,
    linkOnAccept: () => this.draft.linkOnAccept,
    writeClipboard: () => this.writeClipboard,
  });
  private readonly revocation = new InviteRevocation(this, { ...this.common, renderRoot: () => this.renderRoot });

  /** Invites and authorizations, loaded when the API is at hand and after every action. */
  private data = new Task(this, {
    args: () => [this.api] as const,
    task: async ([api], { signal }) => {
      if (!api) return;
      const [invites, authorizations, session] = await Promise.all([
        api.invites(signal),
        api.authorizations(signal),
        this.signedInAssociateId === null ? api.session().catch(() => null) : null,
      ]);
      this.invites = invites;
      this.authorizations = authorizations;
      if (session) this.signedInAssociateId = session.associateId;
    },
  });

  private get s(): InviteManagerStrings {
    return pick(inviteManagerStrings, this.lang);
  }

  /** The selected users, in the order of `associates`. */
  get selectedRows(): InviteRow[] {
    return this.rows.filter((r) => this.selection.has(r.key));
  }

  // Untyped: the private states are not in `PropertyValues<this>`.
  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('associates') || changed.has('invites') || changed.has('authorizations')) {
      this.rows = inviteRows(this.associates, this.invites, this.authorizations, Date.now());
    }
    if (changed.has('lang')) this.columns = inviteColumns(this.s, this.lang);
  }

  /** An API error in words the administrator can act on (ours for the known codes, else the backend's). */
  private errorText(err: unknown): string {
    if (err instanceof PanelApiError) {
      const known = apiErrorText(err.code, this.lang);
      if (known) return known;
    }
    return errorText(err);
  }

  private clearOutcomes(): void {
    this.sender.forget();
    this.link.forget();
  }

  private async reload(): Promise<void> {
    await this.data.run();
  }

  private onSelectionChange = (e: SelectionChangeEvent): void => {
    this.selection = e.selection;
  };

  override render(): TemplateResult {
    const s = this.s;
    const idle = this.runner.idle && this.api !== undefined;
    const m = (action: Action) => this.runner.message(action);
    return html`
      <h2>${s.title}</h2>
      <p class="hint">${s.intro}</p>
      <div class="bar" role="toolbar" aria-label=${s.actions}>
        <span class="action">
          <button type="button" class="primary" data-action="send" ?disabled=${!idle} @click=${this.sender.send}>${s.send}</button>
          ${this.sender.renderProgress()}
        </span>
        <button type="button" data-action="copy" ?disabled=${!idle} @click=${this.link.copy}>${s.copyLink}</button>
        <button type="button" data-action="revokeInvites" ?disabled=${!idle} @click=${this.revocation.revokeInvites}>${s.revokeInvites}</button>
        <button type="button" data-action="revokeAuthorization" ?disabled=${!idle} @click=${this.revocation.revokeAuthorizations}>
          ${s.revokeAuthorization}
        </button>
      </div>
      <p class="hint" data-resend>${s.resendHint}</p>
      <div class="messages">
        ${m('send')} ${this.sender.renderReport()} ${m('copy')} ${m('revokeInvites')} ${m('revokeAuthorization')}
        ${this.data.render({
          pending: () => html`<p class="status" role="status">${s.loading}</p>`,
          error: (err) => html`<p role="alert" data-for="data">${this.errorText(err)}</p>`,
        })}
      </div>
      ${this.link.render()}
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
        ${this.draft.render()}
      </div>
      ${this.revocation.renderDialog()}
    `;
  }
}
