import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import '../../data-list/data-list.js';
import type { Column, SelectionChangeEvent, SortState } from '../../data-list/data-list.js';
import { pick, type Lang } from '../../i18n/locale.js';
import type { Mailbox, MailboxKind } from '../../logic/types.js';
import { mailboxListStrings, type MailboxListStrings, type MailboxState } from '../mailbox-list.strings.js';
import { styles } from '../mailbox-list.styles.js';

/** The key of a mailbox's row (and in `selection`): its Graph user id. */
export const mailboxKey = (m: Mailbox): string => m.id;
const rowClass = (m: Mailbox): string => (m.guest || !m.accountEnabled ? 'muted' : '');
const BY_NAME: SortState = { column: 'displayName', direction: 'ascending' };

/** Order of states when sorting: usable mailboxes first, problems last. */
const STATE_ORDER: Readonly<Record<MailboxState, number>> = {
  user: 0,
  shared: 1,
  room: 2,
  equipment: 3,
  linked: 4,
  others: 5,
  notChecked: 6,
  unknown: 7,
  noMailbox: 8,
  notFound: 9,
};
const STATE_TONE: Readonly<Record<MailboxState, string>> = {
  user: 'ok',
  shared: 'info',
  room: 'info',
  equipment: 'info',
  linked: 'info',
  others: 'info',
  notChecked: 'neutral',
  unknown: 'warn',
  noMailbox: 'danger',
  notFound: 'danger',
};

function columns(s: MailboxListStrings, kinds: ReadonlyMap<string, MailboxKind>, linkedTo: ReadonlyMap<string, string>): Column<Mailbox>[] {
  const state = (m: Mailbox): MailboxState => kinds.get(m.id) ?? 'notChecked';
  const account = (m: Mailbox): string[] => [...(m.guest ? [s.guest] : []), ...(m.accountEnabled ? [] : [s.disabled])];
  return [
    {
      id: 'displayName',
      label: s.displayName,
      width: 'minmax(5.5rem, 1.5fr)',
      text: (m) => m.displayName,
      render: (m) => html`<span title=${m.displayName}>${m.displayName}</span>`,
    },
    {
      id: 'primaryAddress',
      label: s.primaryAddress,
      width: 'minmax(6rem, 1.9fr)',
      // Aliases and the sign-in name are searchable too: admins look mailboxes up by any of them.
      text: (m) => [m.primaryAddress ?? '', m.userPrincipalName, ...m.addresses].join(' '),
      sortValue: (m) => m.primaryAddress ?? '',
      render: (m) =>
        m.primaryAddress
          ? html`<span title=${m.primaryAddress}>${m.primaryAddress}</span>`
          : html`<span class="dim">${s.noAddress}</span>`,
    },
    {
      id: 'state',
      label: s.state,
      width: 'minmax(6.5rem, 0.8fr)',
      text: (m) => s.states[state(m)],
      title: (m) => s.states[state(m)],
      sortValue: (m) => STATE_ORDER[state(m)],
      render: (m) => html`<span class="badge" data-tone=${STATE_TONE[state(m)]}>${s.states[state(m)]}</span>`,
    },
    {
      id: 'account',
      label: s.account,
      width: 'minmax(5rem, 0.7fr)',
      text: (m) => account(m).join(' '),
      title: (m) => account(m).join(', '),
      render: (m) =>
        html`${m.guest ? html`<span class="badge" data-tone="warn">${s.guest}</span>` : nothing}${m.accountEnabled
          ? nothing
          : html`<span class="badge" data-tone="danger">${s.disabled}</span>`}`,
    },
    { id: 'linked', label: s.linkedTo, width: 'minmax(4.5rem, 1fr)', text: (m) => linkedTo.get(m.id) ?? '' },
  ];
}

/**
 * Exchange mailboxes (Microsoft 365 users, as Load External Users lists them): display name,
 * primary address, the state the mailbox check found (mailbox, shared, room, no mailbox, … or
 * not checked), whether the account is a guest or disabled (such rows are dimmed and marked),
 * and the associate each is already linked to. Search also finds aliases and sign-in names.
 *
 * @fires selection-change - {@link SelectionChangeEvent} (from the inner list, retargeted to this
 *   element): `ids` are mailbox ids; `selectedMailboxes` has the rows.
 */
export class MailboxList extends LitElement {
  static override styles = styles;

  @property({ reflect: true }) override lang: Lang = 'en';
  /** The mailboxes, as `GET /api/v1/mailboxes` pages them. */
  @property({ attribute: false }) mailboxes: readonly Mailbox[] = [];
  /** What `POST /api/v1/mailboxes/check` found, by mailbox id; missing ids show "Not checked". */
  @property({ attribute: false }) kinds: ReadonlyMap<string, MailboxKind> = new Map();
  /** Mailboxes that are linked (saved or unsaved): mailbox id → associate name. */
  @property({ attribute: false }) linkedTo: ReadonlyMap<string, string> = new Map();
  /** Ids of the selected mailboxes. Kept in step with the user's selection. */
  @property({ attribute: false }) selection: ReadonlySet<string> = new Set();
  /** Accessible name of the list; "Exchange mailboxes" by default. */
  @property() label = '';
  /** Mailboxes are being loaded. */
  @property({ type: Boolean, reflect: true }) busy = false;

  private columns: Column<Mailbox>[] = [];

  /** The selected mailboxes, in the order of `mailboxes`. */
  get selectedMailboxes(): Mailbox[] {
    return this.mailboxes.filter((m) => this.selection.has(m.id));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('lang') || changed.has('kinds') || changed.has('linkedTo')) {
      this.columns = columns(pick(mailboxListStrings, this.lang), this.kinds, this.linkedTo);
    }
  }

  override render(): TemplateResult {
    const s = pick(mailboxListStrings, this.lang);
    return html`<so-data-list
      lang=${this.lang}
      label=${this.label || s.label}
      empty-text=${s.empty}
      ?busy=${this.busy}
      .items=${this.mailboxes}
      .columns=${this.columns}
      .rowKey=${mailboxKey}
      .rowClass=${rowClass}
      .selection=${this.selection}
      .sort=${BY_NAME}
      @selection-change=${this.onSelectionChange}
    ></so-data-list>`;
  }

  private onSelectionChange = (e: SelectionChangeEvent): void => {
    this.selection = e.selection;
  };
}
