import { LitElement, html, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import '../../data-list/data-list.js';
import type { Column, SelectionChangeEvent, SortState } from '../../data-list/data-list.js';
import { pick, type Lang } from '../../i18n/locale.js';
import type { Associate } from '../../logic/types.js';
import { associateListStrings, type AssociateListStrings } from '../associate-list.strings.js';
import { styles } from '../associate-list.styles.js';

/** The key of an associate's row (and in `selection`): the associate id as text. */
export const associateKey = (a: Associate): string => String(a.associateId);
const rowClass = (a: Associate): string => (a.active ? '' : 'muted');
const BY_NAME: SortState = { column: 'name', direction: 'ascending' };

function columns(s: AssociateListStrings, linkedTo: ReadonlyMap<number, string>): Column<Associate>[] {
  return [
    {
      id: 'name',
      label: s.name,
      width: 'minmax(6rem, 1.6fr)',
      // Admins also search by login name, which the cell does not show.
      text: (a) => (a.loginName ? `${a.name} ${a.loginName}` : a.name),
      sortValue: (a) => a.name,
      render: (a) => html`<span title=${a.name}>${a.name}</span>`,
    },
    {
      id: 'email',
      label: s.email,
      width: 'minmax(6rem, 1.8fr)',
      text: (a) => a.email ?? '',
      render: (a) => (a.email ? html`<span title=${a.email}>${a.email}</span>` : html`<span class="dim">${s.noEmail}</span>`),
    },
    { id: 'userGroup', label: s.userGroup, width: 'minmax(4.5rem, 1fr)', text: (a) => a.userGroup ?? '' },
    {
      id: 'status',
      label: s.status,
      width: 'minmax(5.5rem, 0.6fr)',
      text: (a) => (a.active ? s.active : s.retired),
      sortValue: (a) => (a.active ? 0 : 1),
      title: (a) => (a.active ? s.active : s.retired),
      render: (a) => (a.active ? s.active : html`<span class="badge" data-tone="warn">${s.retired}</span>`),
    },
    {
      id: 'linked',
      label: s.linkedTo,
      width: 'minmax(4.5rem, 1.4fr)',
      text: (a) => linkedTo.get(a.associateId) ?? '',
    },
  ];
}

/**
 * SuperOffice associates: name, contact-card email, user group, active or retired, and the
 * mailbox each is already linked to (saved or not). Search, sort and multi-select come from
 * `so-data-list`; retired associates are dimmed.
 *
 * @fires selection-change - {@link SelectionChangeEvent} (from the inner list, retargeted to this
 *   element): `ids` are {@link associateKey} values; `selectedAssociates` has the rows.
 */
export class AssociateList extends LitElement {
  static override styles = styles;

  @property({ reflect: true }) override lang: Lang = 'en';
  /** The associates, as `GET /api/v1/associates` lists them. */
  @property({ attribute: false }) associates: readonly Associate[] = [];
  /** Associates that are linked (saved or unsaved): associate id → mailbox address. */
  @property({ attribute: false }) linkedTo: ReadonlyMap<number, string> = new Map();
  /** Keys ({@link associateKey}) of the selected associates. Kept in step with the user's selection. */
  @property({ attribute: false }) selection: ReadonlySet<string> = new Set();
  /** Accessible name of the list; "SuperOffice associates" by default. */
  @property() label = '';
  /** Associates are being loaded. */
  @property({ type: Boolean, reflect: true }) busy = false;

  private columns: Column<Associate>[] = [];

  /** The selected associates, in the order of `associates`. */
  get selectedAssociates(): Associate[] {
    return this.associates.filter((a) => this.selection.has(associateKey(a)));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('lang') || changed.has('linkedTo')) this.columns = columns(pick(associateListStrings, this.lang), this.linkedTo);
  }

  override render(): TemplateResult {
    const s = pick(associateListStrings, this.lang);
    return html`<so-data-list
      lang=${this.lang}
      label=${this.label || s.label}
      empty-text=${s.empty}
      ?busy=${this.busy}
      .items=${this.associates}
      .columns=${this.columns}
      .rowKey=${associateKey}
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
