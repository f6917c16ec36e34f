import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import '../../data-list/data-list.js';
import type { CellContext, Column, SelectionChangeEvent, SortState } from '../../data-list/data-list.js';
import { formatCount, formatDateTime, pick, type Lang } from '../../i18n/locale.js';
import { linkedUserListStrings, type LinkedUserListStrings } from '../linked-user-list.strings.js';
import { styles } from '../linked-user-list.styles.js';
import { isDisabled, isUnauthorized, linkChange, type LinkOption, type LinkOptions, type LinkedUserRow } from '../../logic/linked-user-row.js';
import { filterByStatus, KIND_KEYS, statusCounts, statusOf, type KindKey, type StatusFilter, type StatusLabel } from '../../logic/sync-status.js';
import type { KindState, KindSync } from '../../logic/types.js';
import { STATUS_ORDER, statusFilter } from './status-filter.js';

/**
 * The user changed a linked user's Diary, Task or Contact checkbox. An intent only: the host
 * updates its rows (and later saves them with Save Users Options).
 */
export class LinkOptionsChangeEvent extends Event {
  static readonly eventName = 'link-options-change';
  /** The row's key ({@link LinkedUserRow.key}). */
  readonly key: string;
  /** The row as it was shown when the user changed it. */
  readonly row: LinkedUserRow;
  /** All four options after the change. */
  readonly options: LinkOptions;
  /** Which option the user changed. */
  readonly changed: LinkOption;

  constructor(row: LinkedUserRow, options: LinkOptions, changed: LinkOption) {
    super(LinkOptionsChangeEvent.eventName, { bubbles: true, composed: true });
    this.key = row.key;
    this.row = row;
    this.options = options;
    this.changed = changed;
  }
}

/**
 * The user typed in a linked user's Server Rank field (`commit` false, at every keystroke) or
 * committed it (`commit` true: Tab, Enter, leaving the field). The raw text, valid or not: the
 * host decides (`LinkState.typeRank` / `commitRank`) and gives the row back with its `rankDraft`,
 * which the field shows, so nothing the user types is replaced while they type.
 */
export class LinkRankEditEvent extends Event {
  static readonly eventName = 'link-rank-edit';
  /** The row's key ({@link LinkedUserRow.key}). */
  readonly key: string;
  /** The row as it was shown when the user typed. */
  readonly row: LinkedUserRow;
  /** The field's text (empty for what a number field cannot read, such as "1e"). */
  readonly text: string;
  readonly commit: boolean;

  constructor(row: LinkedUserRow, text: string, commit: boolean) {
    super(LinkRankEditEvent.eventName, { bubbles: true, composed: true });
    this.key = row.key;
    this.row = row;
    this.text = text;
    this.commit = commit;
  }
}

type Flag = 'diary' | 'task' | 'contact';
const CHANGE_ORDER = { added: 0, modified: 1, saved: 2 } as const;
const BY_ASSOCIATE: SortState = { column: 'associate', direction: 'ascending' };

const rowKey = (row: LinkedUserRow): string => row.key;
const optionsOf = (row: LinkedUserRow): LinkOptions => ({ diary: row.diary, task: row.task, contact: row.contact, rank: row.rank });
/** Not synchronized: all options off, or (OAuth mode) the mailbox is not authorized. */
const notSynchronized = (row: LinkedUserRow): boolean => isDisabled(row) || isUnauthorized(row);
const rowClass = (row: LinkedUserRow): string => {
  const change = linkChange(row);
  return `${change === 'saved' ? '' : change} ${notSynchronized(row) ? 'muted' : ''}`;
};
/** An id that is safe in `aria-describedby` (an id list separated by spaces). */
const errorId = (key: string): string => `rank-error-${key.replace(/[^\w-]/g, '_')}`;

/**
 * State badges of a row: unsaved or modified, disabled, and (OAuth mode) not synchronized for want
 * of an authorization; "Saved" when nothing else applies.
 */
function stateLabels(row: LinkedUserRow, s: LinkedUserListStrings): { text: string; tone: string }[] {
  const change = linkChange(row);
  const labels = [
    ...(change === 'added' ? [{ text: s.added, tone: 'info' }] : []),
    ...(change === 'modified' ? [{ text: s.modified, tone: 'warn' }] : []),
    ...(isDisabled(row) ? [{ text: s.disabled, tone: 'neutral' }] : []),
    ...(isUnauthorized(row) ? [{ text: s.notSynchronized, tone: 'warn' }] : []),
  ];
  return labels.length > 0 ? labels : [{ text: s.saved, tone: 'ok' }];
}

const SYNC_TONE: Readonly<Record<StatusLabel, string>> = {
  in_sync: 'ok',
  syncing: 'info',
  pending: 'neutral',
  throttled: 'warn',
  error: 'danger',
  breaker: 'danger',
  disabled: 'neutral',
  waiting_authorization: 'warn',
  notSaved: 'neutral',
};
/** Ascending: what needs the administrator first (the filter's order). */
const SYNC_ORDER = new Map(STATUS_ORDER.map((state, i) => [state, i]));
/** States whose message is shown in the cell, not only in its title: what went wrong. */
const SAY_IN_CELL: ReadonlySet<StatusLabel> = new Set(['error', 'throttled', 'breaker']);

/** The status cell's title: why (the message), when it last succeeded, and the items in sync. */
function syncTitle(row: LinkedUserRow, s: LinkedUserListStrings, lang: Lang): string {
  const sync = row.sync;
  if (!sync) return s.statuses.notSaved;
  const when = formatDateTime(sync.lastSuccessAt, lang);
  const next = (sync.state === 'error' || sync.state === 'throttled') && sync.nextDueAt ? s.nextAttempt(formatDateTime(sync.nextDueAt, lang)) : null;
  const labels = { diary: s.diary, task: s.task, contact: s.contact };
  // Each kind that is on, one line each (an off kind has nothing to say beyond its checkbox).
  const kinds = sync.kinds ? KIND_KEYS.filter((k) => sync.kinds[k].state !== 'off').map((k) => kindTitle(labels[k], sync.kinds[k], s, lang)) : [];
  return [sync.message, next, when ? s.lastSuccess(when) : s.neverSynchronized, s.itemsInSync(formatCount(sync.itemsInSync, lang)), ...kinds].filter(Boolean).join('\n');
}

const KIND_TONE: Readonly<Record<KindState, string>> = {
  off: 'neutral',
  pending: 'neutral',
  in_sync: 'ok',
  throttled: 'warn',
  error: 'danger',
  breaker: 'danger',
  waiting_authorization: 'warn',
};

/** One kind's title: its state, its own error, its last success, its last pass's counts and its items in sync. */
function kindTitle(label: string, k: KindSync, s: LinkedUserListStrings, lang: Lang): string {
  const when = formatDateTime(k.lastSuccessAt, lang);
  const n = (v: number) => formatCount(v, lang);
  return [
    s.kindLine(label, s.kindStates[k.state]),
    k.message,
    k.state === 'off' ? null : when ? s.lastSuccess(when) : s.neverSynchronized,
    k.lastPass && k.state !== 'off' ? s.lastPassCounts(n(k.lastPass.created), n(k.lastPass.updated), n(k.lastPass.deleted), n(k.lastPass.conflicts)) : null,
    s.itemsInSync(n(k.itemsInSync)),
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * The kinds shown in the cell: those switched on (an off kind's checkbox already says so), each
 * in words ("Task: Error") with its details as its title. Only when there is something to tell
 * apart: more than one kind on, or the one kind not in sync; a lone Diary in sync says nothing
 * the badge does not.
 */
function shownKinds(row: LinkedUserRow): KindKey[] {
  const kinds = row.sync?.kinds;
  if (!kinds) return [];
  const on = KIND_KEYS.filter((k) => kinds[k].state !== 'off');
  return on.length > 1 || (on.length === 1 && kinds[on[0]!].state !== 'in_sync' && kinds[on[0]!].state !== row.sync!.state) ? on : [];
}

type AuthorizationState = 'authorized' | 'revoked' | 'missing' | 'notSaved';
const AUTHORIZATION_TONE: Readonly<Record<AuthorizationState, string>> = { authorized: 'ok', revoked: 'danger', missing: 'warn', notSaved: 'neutral' };
const AUTHORIZATION_ORDER: Readonly<Record<AuthorizationState, number>> = { missing: 0, revoked: 1, notSaved: 2, authorized: 3 };

/** The Authorization column (OAuth mode): an unsaved row has none yet; a saved one without an answer counts as missing. */
function authorizationOf(row: LinkedUserRow): AuthorizationState {
  if (row.id === null) return 'notSaved';
  return row.authorization === 'authorized' || row.authorization === 'revoked' ? row.authorization : 'missing';
}

/**
 * How each column searches and sorts, per language. Kept apart from rendering (which also depends
 * on validation state) so that showing a validation message does not re-sort 10,000 rows.
 */
const dataColumns = new Map<string, Column<LinkedUserRow>[]>();
function columnsFor(lang: Lang, oauth: boolean): Column<LinkedUserRow>[] {
  const cacheKey = `${lang}:${oauth}`;
  let columns = dataColumns.get(cacheKey);
  if (columns) return columns;
  const s = pick(linkedUserListStrings, lang);
  const flag = (id: Flag, label: string): Column<LinkedUserRow> => ({
    id,
    label,
    width: '4.75rem',
    align: 'center',
    searchable: false,
    text: (r) => (r[id] ? label : ''),
    // Ascending puts the checked ones first.
    sortValue: (r) => (r[id] ? 0 : 1),
  });
  columns = [
    { id: 'associate', label: s.associate, width: 'minmax(6rem, 1.3fr)', text: (r) => r.associateName },
    { id: 'mailbox', label: s.mailbox, width: 'minmax(7rem, 1.6fr)', text: (r) => r.mailboxAddress },
    flag('diary', s.diary),
    flag('task', s.task),
    flag('contact', s.contact),
    { id: 'rank', label: s.rank, width: '7.5rem', searchable: false, text: (r) => String(r.rank), sortValue: (r) => r.rank },
    {
      id: 'state',
      label: s.state,
      width: 'minmax(7rem, 1fr)',
      text: (r) => stateLabels(r, s).map((l) => l.text).join(' '),
      title: (r) => stateLabels(r, s).map((l) => l.text).join(', '),
      sortValue: (r) => CHANGE_ORDER[linkChange(r)] * 4 + (isUnauthorized(r) ? 2 : 0) + (isDisabled(r) ? 1 : 0),
    },
    {
      id: 'sync',
      label: s.status,
      width: 'minmax(7.5rem, 1fr)',
      text: (r) => s.statuses[statusOf(r)],
      sortValue: (r) => SYNC_ORDER.get(statusOf(r))!,
    },
  ];
  if (oauth) {
    columns.splice(columns.length - 2, 0, {
      id: 'authorization',
      label: s.authorization,
      width: 'minmax(6.5rem, 0.8fr)',
      text: (r) => s.authorizations[authorizationOf(r)],
      title: (r) => s.authorizations[authorizationOf(r)],
      sortValue: (r) => AUTHORIZATION_ORDER[authorizationOf(r)],
    });
  }
  dataColumns.set(cacheKey, columns);
  return columns;
}

/**
 * Linked Users for Synchronization: associate, mailbox, the Diary, Task and Contact checkboxes,
 * Server Rank (1–99), the row's state — saved, unsaved (added), modified, and disabled when
 * all three options are off — and its synchronization Status (in sync, synchronizing, waiting,
 * throttled, error, stopped by the circuit breaker, ...; the cell's title says why, when it last
 * succeeded and how many items are in sync). A row's `rankDraft` is shown in its Server Rank field as typed, with
 * a message when it is marked invalid. With `oauth` (the tenant is in OAuth mode) an
 * Authorization column shows whether each saved link's mailbox owner has authorized the app
 * (Authorized, Revoked, Not authorized; Not saved for added rows), and a saved row without an
 * authorization is marked as not synchronized. Edits are reported as {@link LinkOptionsChangeEvent}
 * and {@link LinkRankEditEvent} intents; this element never calls the API and never changes
 * `links` itself.
 *
 * Controls are tabbable only in the row holding the list's tab stop, so Tab leaves the list
 * after that row's controls; arrow keys move between rows.
 *
 * @fires link-options-change - {@link LinkOptionsChangeEvent}: the user toggled an option.
 * @fires link-rank-edit - {@link LinkRankEditEvent}: the user typed in or committed a Server Rank.
 * @fires selection-change - {@link SelectionChangeEvent} (from the inner list, retargeted to this
 *   element): `ids` are row keys; `selectedLinks` has the rows.
 */
export class LinkedUserList extends LitElement {
  static override styles = styles;

  @property({ reflect: true }) override lang: Lang = 'en';
  /** The rows: saved links (see `savedLinkRow`) and unsaved ones (`addedLinkRow`). */
  @property({ attribute: false }) links: readonly LinkedUserRow[] = [];
  /** Keys of the selected rows. Kept in step with the user's selection. */
  @property({ attribute: false }) selection: ReadonlySet<string> = new Set();
  /** The tenant is in OAuth mode: show the Authorization column. */
  @property({ type: Boolean, reflect: true }) oauth = false;
  /** Options can be seen, not changed (the signed-in user is not an administrator). */
  @property({ type: Boolean, reflect: true, attribute: 'readonly' }) readOnly = false;
  /** Accessible name of the list; "Linked Users for Synchronization" by default. */
  @property() label = '';
  /** Links are being loaded or saved. */
  @property({ type: Boolean, reflect: true }) busy = false;

  /** The Status filter: rows of one state, or all. Rows it hides leave the selection. */
  @state() private filter: StatusFilter = 'all';

  private columns: Column<LinkedUserRow>[] = [];
  private counts: ReadonlyMap<StatusLabel, number> = new Map();
  private shown: readonly LinkedUserRow[] = [];

  /** The selected rows, in the order of `links`. */
  get selectedLinks(): LinkedUserRow[] {
    return this.links.filter((l) => this.selection.has(l.key));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('lang') || changed.has('oauth') || changed.has('readOnly')) {
      const s = pick(linkedUserListStrings, this.lang);
      this.columns = columnsFor(this.lang, this.oauth).map((c) => ({ ...c, render: this.renderer(c.id, c.label, s) }));
    }
    if (changed.has('links') || (changed as PropertyValues).has('filter')) {
      this.counts = statusCounts(this.links);
      this.shown = filterByStatus(this.links, this.filter);
    }
  }

  override render(): TemplateResult {
    const s = pick(linkedUserListStrings, this.lang);
    const filter = statusFilter({ counts: this.counts, total: this.links.length, value: this.filter, lang: this.lang, s, onChange: (v) => (this.filter = v) });
    return html`<so-data-list
      lang=${this.lang}
      label=${this.label || s.label}
      empty-text=${s.empty}
      ?busy=${this.busy}
      .items=${this.shown}
      .columns=${this.columns}
      .rowKey=${rowKey}
      .rowClass=${rowClass}
      .selection=${this.selection}
      .sort=${BY_ASSOCIATE}
      @selection-change=${this.onSelectionChange}
      >${filter}</so-data-list
    >`;
  }

  private renderer(id: string, label: string, s: LinkedUserListStrings): Column<LinkedUserRow>['render'] {
    switch (id) {
      case 'associate':
        return (r) => html`<span title=${r.associateName}>${r.associateName}</span>`;
      case 'mailbox':
        return (r) => html`<span title=${r.mailboxAddress}>${r.mailboxAddress}</span>`;
      case 'diary':
      case 'task':
      case 'contact':
        return (r, cell) => this.renderFlag(r, id, label, cell, s);
      case 'rank':
        return (r, cell) => this.renderRank(r, cell, s);
      case 'authorization':
        return (r) => {
          const a = authorizationOf(r);
          return html`<span class="badge" data-tone=${AUTHORIZATION_TONE[a]}>${s.authorizations[a]}</span>`;
        };
      case 'sync':
        return (r) => {
          const state = statusOf(r);
          const title = syncTitle(r, s, this.lang);
          const badge = html`<span class="badge" data-tone=${SYNC_TONE[state]} data-sync=${state} title=${title}>${s.statuses[state]}</span>`;
          const labels = { diary: s.diary, task: s.task, contact: s.contact };
          const kinds = shownKinds(r).map((k) => {
            const kind = r.sync!.kinds[k];
            const text = s.kindLine(labels[k], s.kindStates[kind.state]);
            return html` <span class="badge" data-kind=${k} data-kind-state=${kind.state} data-tone=${KIND_TONE[kind.state]} title=${kindTitle(labels[k], kind, s, this.lang)}>${text}</span>`;
          });
          if (!SAY_IN_CELL.has(state) || !r.sync?.message) return html`${badge}${kinds}`;
          // The error in words beside the badge; the cell's title holds all of it.
          return html`${badge}${kinds} <span class="dim" data-sync-message title=${title}>${r.sync.message}</span>`;
        };
      case 'state':
        // Spaces between the badges, so they read as words.
        return (r) => stateLabels(r, s).map((l, i) => html`${i > 0 ? ' ' : ''}<span class="badge" data-tone=${l.tone}>${l.text}</span>`);
      default:
        return undefined;
    }
  }

  private renderFlag(row: LinkedUserRow, flag: Flag, label: string, cell: CellContext, s: LinkedUserListStrings): TemplateResult {
    return html`<input
      type="checkbox"
      data-option=${flag}
      aria-label=${s.optionFor(label, row.associateName)}
      tabindex=${cell.active ? 0 : -1}
      ?disabled=${this.readOnly}
      .checked=${live(row[flag])}
      @change=${(e: Event) => this.onToggle(row, flag, e)}
    />`;
  }

  private renderRank(row: LinkedUserRow, cell: CellContext, s: LinkedUserListStrings): TemplateResult {
    const invalid = row.rankDraft?.invalid === true;
    const id = errorId(row.key);
    return html`<input
        class="rank"
        type="number"
        inputmode="numeric"
        min="1"
        max="99"
        step="1"
        aria-label=${s.optionFor(s.rank, row.associateName)}
        aria-invalid=${invalid ? 'true' : 'false'}
        aria-describedby=${invalid ? id : nothing}
        tabindex=${cell.active ? 0 : -1}
        ?disabled=${this.readOnly}
        .value=${live(row.rankDraft?.text ?? String(row.rank))}
        @input=${(e: Event) => this.onRank(row, e, false)}
        @change=${(e: Event) => this.onRank(row, e, true)}
      />${invalid ? html`<span class="field-error" id=${id} role="alert">${s.rankInvalid}</span>` : nothing}`;
  }

  private onToggle(row: LinkedUserRow, flag: Flag, e: Event): void {
    const checked = (e.target as HTMLInputElement).checked;
    this.dispatchEvent(new LinkOptionsChangeEvent(row, { ...optionsOf(row), [flag]: checked }, flag));
  }

  private onRank(row: LinkedUserRow, e: Event, commit: boolean): void {
    this.dispatchEvent(new LinkRankEditEvent(row, (e.target as HTMLInputElement).value, commit));
  }

  private onSelectionChange = (e: SelectionChangeEvent): void => {
    this.selection = e.selection;
  };
}
