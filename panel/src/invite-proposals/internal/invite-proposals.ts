import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { Task } from '@lit/task';
import { errorText, type InviteClient } from '../../api/api-client.js';
import { panelApiContext } from '../../api/context.js';
import { controlStyles } from '../../controls/controls.styles.js';
import { pick, type Lang } from '../../i18n/locale.js';
import type { Invite, LinkRef } from '../../logic/types.js';
import { inviteProposalsStrings, type InviteProposalsStrings } from '../invite-proposals.strings.js';

/** One accepted invite proposed as a link: the invited associate and the mailbox they accepted with. */
export interface Proposal {
  link: LinkRef;
  otherMailbox: boolean;
}

/**
 * The accepted invites still proposed as links (`outcome.kind === 'proposed'`), leaving out those
 * whose associate or mailbox is linked already, saved or unsaved (`existing`).
 */
export function pendingProposals(invites: readonly Invite[], existing: readonly LinkRef[]): Proposal[] {
  const associates = new Set(existing.map((l) => l.associateId));
  const mailboxes = new Set(existing.map((l) => l.mailboxId));
  const out: Proposal[] = [];
  for (const i of invites) {
    const m = i.acceptedMailbox;
    if (i.state !== 'accepted' || i.outcome?.kind !== 'proposed' || !m) continue;
    if (associates.has(i.associateId) || mailboxes.has(m.id)) continue;
    out.push({ link: { associateId: i.associateId, associateName: i.associateName, mailboxId: m.id, mailboxAddress: m.address }, otherMailbox: i.acceptedOtherMailbox });
  }
  return out.sort((a, b) => a.link.associateName.localeCompare(b.link.associateName));
}

/** The administrator turns proposals into unsaved links (the host adds them to Linked Users for Synchronization). */
export class LinkProposalsEvent extends Event {
  constructor(readonly links: LinkRef[]) {
    super('link-proposals', { bubbles: true, composed: true });
  }
}

/**
 * OAuth mode, main view: the accepted invites proposed as links. Each is ticked; Add as unsaved
 * links hands the ticked ones to the host ({@link LinkProposalsEvent}), which shows them as
 * unsaved links for Save Added Users. Reads the invites itself (`GET /invites`) whenever it
 * becomes `active`; renders nothing when there is nothing to propose.
 */
export class InviteProposals extends LitElement {
  static override styles = [
    controlStyles,
    css`
      :host {
        display: block;
      }
      section {
        padding: 4px 8px;
        border: 1px solid var(--so-border);
      }
      h2 {
        margin: 0;
        font-size: 13px;
        font-weight: 600;
      }
      p {
        margin: 2px 0;
      }
      ul {
        margin: 2px 0;
        padding: 0;
        list-style: none;
        max-height: 7.5rem;
        overflow-y: auto;
      }
      li {
        /* Room around each checkbox: touch targets at least 24px apart. */
        min-height: 26px;
        display: flex;
        align-items: center;
      }
      label {
        display: flex;
        gap: 6px;
        align-items: center;
        min-width: 0;
      }
      button {
        margin-top: 4px;
      }
      .text {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .dim {
        color: var(--so-dim);
        flex: none;
      }
    `,
  ];

  @property({ reflect: true }) override lang: Lang = 'en';
  /** Read and show the proposals (OAuth mode, administrator, main view). */
  @property({ type: Boolean }) active = false;
  /** The links there are, saved and unsaved: their associates and mailboxes are not proposed again. */
  @property({ attribute: false }) existing: readonly LinkRef[] = [];
  @consume({ context: panelApiContext, subscribe: true })
  @property({ attribute: false })
  api?: InviteClient;

  @state() private invites: readonly Invite[] = [];
  /** Associate ids the administrator unticked. */
  @state() private unticked: ReadonlySet<number> = new Set();
  @state() private message: { text: string; error: boolean } | null = null;

  private data = new Task(this, {
    args: () => [this.api, this.active] as const,
    task: async ([api, active], { signal }) => {
      if (!api || !active) return;
      this.invites = await api.invites(signal);
    },
  });

  private get s(): InviteProposalsStrings {
    return pick(inviteProposalsStrings, this.lang);
  }

  private toggle(id: number, on: boolean): void {
    const next = new Set(this.unticked);
    if (on) next.delete(id);
    else next.add(id);
    this.unticked = next;
  }

  private add = (): void => {
    const ticked = pendingProposals(this.invites, this.existing).filter((p) => !this.unticked.has(p.link.associateId));
    if (ticked.length === 0) {
      this.message = { text: this.s.selectSome, error: true };
      return;
    }
    this.dispatchEvent(new LinkProposalsEvent(ticked.map((p) => p.link)));
    this.message = { text: this.s.added(ticked.length), error: false };
  };

  override render(): TemplateResult | typeof nothing {
    if (!this.active) return nothing;
    const s = this.s;
    const pending = pendingProposals(this.invites, this.existing);
    const said = this.message ? html`<p role=${this.message.error ? 'alert' : 'status'} data-for="proposals">${this.message.text}</p>` : nothing;
    const failed = this.data.render({ error: (err) => html`<p role="alert" data-for="proposals">${errorText(err)}</p>` });
    if (pending.length === 0) return this.message || failed ? html`${said}${failed}` : nothing;
    return html`<section aria-labelledby="proposals-title" data-proposals>
      <h2 id="proposals-title">${s.title(pending.length)}</h2>
      <p class="dim">${s.intro}</p>
      <ul>
        ${pending.map((p) => {
          const text = s.pair(p.link.associateName, p.link.mailboxAddress);
          return html`<li>
            <label
              ><input
                type="checkbox"
                data-associate=${p.link.associateId}
                .checked=${!this.unticked.has(p.link.associateId)}
                @change=${(e: Event) => this.toggle(p.link.associateId, (e.target as HTMLInputElement).checked)}
              /><span class="text" title=${text}>${text}</span>${p.otherMailbox ? html` <span class="dim">(${s.other})</span>` : nothing}</label
            >
          </li>`;
        })}
      </ul>
      <button type="button" data-action="addProposals" @click=${this.add}>${s.add}</button>
      ${said}${failed}
    </section>`;
  }
}
