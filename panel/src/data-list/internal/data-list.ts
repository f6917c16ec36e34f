import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { virtualize, virtualizerRef, type VirtualizerHostElement } from '@lit-labs/virtualizer/virtualize.js';
import type { RangeChangedEvent } from '@lit-labs/virtualizer/events.js';
import { pick, type Lang } from '../../i18n/locale.js';
import { dataListStrings, type DataListStrings } from '../data-list.strings.js';
import { styles } from '../data-list.styles.js';
import type { CellContext, Column, SortState } from './types.js';
import { GridSelection } from './grid-selection.js';
import { SelectionChangeEvent } from './selection-change-event.js';
import { orderedKeys } from './selection.js';
import { SearchIndex, collator, filterRows, sameData, sortRows } from './view.js';

const defaultKey = (row: object): string => String((row as { id?: unknown }).id);

/**
 * A searchable, sortable, virtualized grid whose rows can be multi-selected with the mouse and
 * the keyboard: the building block of the associate, mailbox and linked-user lists.
 *
 * - **Mouse**: click selects one row; Ctrl/Cmd+click adds or removes a row; Shift+click selects
 *   the range from the last clicked row (Ctrl/Cmd+Shift+click adds the range).
 * - **Keyboard** (one tab stop, roving tabindex): ↑ ↓ Home End PageUp PageDown move the focus;
 *   Space selects or deselects the focused row; Shift with a move key or Space selects the range
 *   from the anchor row; Ctrl/Cmd+A selects every row the search shows. ↓ in the search box goes
 *   to the list. Keys pressed in a control inside a row (checkbox, number box) stay with it.
 * - **Search** keeps rows containing every typed word, case-insensitively, in any searchable
 *   column. The selection survives searching; the status line (a live region) says how many rows
 *   show, how many are selected and how many selected rows the search hides.
 * - **Sort**: header buttons sort ascending, then descending (`aria-sort` on the header).
 * - Only the rows near the viewport are in the DOM (`@lit-labs/virtualizer`), so 10,000 rows
 *   scroll as lightly as 10.
 *
 * Cell templates (`Column.render`) render inside this element's shadow root and may use its cell
 * vocabulary: `.dim`, `.badge` with `data-tone` `ok` | `warn` | `info` | `danger`,
 * `input[type=checkbox]`, `input.rank`, `.field-error`. `rowClass` may return `muted`, `added`
 * or `modified`. Text always goes through Lit bindings, never markup.
 *
 * @fires selection-change - {@link SelectionChangeEvent}: after the user changes the selection,
 *   or when rows it held left `items`. Not fired when the host sets `selection`.
 * @cssproperty --so-data-list-accent - Focus ring, sort arrows and checkboxes.
 * @cssproperty --so-data-list-border - Outer and header borders.
 * Inside the panel it also follows the panel's theme (`--so-panel-accent`, `--so-panel-border`,
 * `--so-panel-text`, `--so-panel-dim`, `--so-panel-bg`, `--so-panel-head-bg`, `--so-panel-hover-bg`,
 * `--so-panel-selected-bg`, `--so-panel-error`, `--so-panel-font`, `--so-panel-font-size`).
 */
export class DataList<T extends object = object> extends LitElement {
  static override styles = styles;

  /** Language of the list's own text (search box, status line). */
  @property({ reflect: true }) override lang: Lang = 'en';
  /** Accessible name of the grid and its search box, e.g. "SuperOffice associates". */
  @property() label = '';
  /** The rows. Replace the array to change them; the list never mutates it. */
  @property({ attribute: false }) items: readonly T[] = [];
  /** The columns, in display order. */
  @property({ attribute: false }) columns: readonly Column<T>[] = [];
  /** A row's stable, unique key (selection, focus and DOM reuse follow it). Default: `String(row.id)`. */
  @property({ attribute: false }) rowKey: (row: T) => string = defaultKey;
  /** Extra class of a row's element: `muted`, `added` or `modified`. */
  @property({ attribute: false }) rowClass?: (row: T) => string;
  /** Keys of the selected rows. The list replaces it as the user selects, and says so with `selection-change`. */
  @property({ attribute: false }) selection: ReadonlySet<string> = new Set();
  /** The sort column and direction; null keeps the order of `items`. Header clicks replace it. */
  @property({ attribute: false }) sort: SortState | null = null;
  /** The search box's text. */
  @property() search = '';
  /** What an empty list says (the list's default otherwise), e.g. how to load rows. */
  @property({ attribute: 'empty-text' }) emptyText = '';
  /** Rows are being loaded: sets `aria-busy` on the grid. */
  @property({ type: Boolean, reflect: true }) busy = false;

  /** The row holding the tab stop. */
  @state() private activeKey: string | null = null;
  /** The active row is scrolled out of the DOM: the scroll area itself takes the tab stop. */
  @state() private activeOutOfRange = false;

  /** The rows on show: `items` searched and sorted (derived in `willUpdate`). */
  private view: readonly T[] = [];
  private positions = new Map<string, number>();
  private searchIndex: SearchIndex<T> | null = null;
  private renderedRange = { first: -1, last: -1 };
  private selectionPruned = false;
  private readonly gridSelection = new GridSelection<T>(this, {
    shown: () => ({ rows: this.view, positions: this.positions }),
    activate: (key) => (this.activeKey = key),
    focusIndex: (index) => this.focusIndex(index),
    pageSize: (row) => this.pageSize(row),
  });

  /** Keys of the rows on show, in display order. */
  get visibleKeys(): string[] {
    return this.view.map(this.rowKey);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const dataChanged = changed.has('columns') && !sameData(changed.get('columns'), this.columns);
    if (dataChanged || !this.searchIndex) this.searchIndex = new SearchIndex(this.columns);
    if (
      dataChanged ||
      changed.has('items') ||
      changed.has('search') ||
      changed.has('sort') ||
      changed.has('rowKey') ||
      (changed.has('lang') && this.sort)
    ) {
      this.view = this.computeView();
      this.positions = new Map(this.view.map((row, i) => [this.rowKey(row), i]));
    }
    if (changed.has('items') && this.selection.size > 0) this.pruneSelection();
    if (this.activeKey === null || !this.positions.has(this.activeKey)) {
      this.activeKey = this.view[0] ? this.rowKey(this.view[0]) : null;
    }
    this.activeOutOfRange = this.isOutOfRange(this.activeKey);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('columns')) {
      // Through the CSSOM: the panel's CSP allows no inline style attributes.
      const tracks = this.columns.map((c) => c.width ?? 'minmax(0, 1fr)').join(' ');
      this.renderRoot.querySelector<HTMLElement>('.grid')?.style.setProperty('--so-columns', tracks);
    }
    if (this.selectionPruned) {
      this.selectionPruned = false;
      this.dispatchEvent(new SelectionChangeEvent(orderedKeys(this.items, this.rowKey, this.selection), this.selection));
    }
  }

  private computeView(): readonly T[] {
    const shown = filterRows(this.items, this.search, this.searchIndex!);
    const column = this.sort && this.columns.find((c) => c.id === this.sort!.column);
    return column && this.sort ? sortRows(shown, column, this.sort.direction, collator(this.lang)) : shown;
  }

  private pruneSelection(): void {
    const keys = new Set(this.items.map(this.rowKey));
    if ([...this.selection].every((k) => keys.has(k))) return;
    this.selection = new Set([...this.selection].filter((k) => keys.has(k)));
    this.selectionPruned = true;
  }

  private isOutOfRange(key: string | null): boolean {
    const index = key === null ? undefined : this.positions.get(key);
    const { first, last } = this.renderedRange;
    return index !== undefined && first >= 0 && (index < first || index > last);
  }

  override render(): TemplateResult {
    const s = pick(dataListStrings, this.lang);
    let hiddenSelected = 0;
    for (const key of this.selection) if (!this.positions.has(key)) hiddenSelected++;
    return html`
      <div class="toolbar">
        <input
          class="search"
          type="search"
          autocomplete="off"
          spellcheck="false"
          aria-controls="grid"
          aria-label=${s.searchLabel(this.label)}
          placeholder=${s.searchPlaceholder}
          .value=${live(this.search)}
          @input=${this.onSearchInput}
          @keydown=${this.onSearchKeydown}
        />
        <span class="status" role="status">
          ${s.status(this.view.length, this.items.length, this.selection.size, hiddenSelected)}
        </span>
      </div>
      <div
        id="grid"
        class="grid"
        role="grid"
        aria-label=${this.label || nothing}
        aria-multiselectable="true"
        aria-rowcount=${this.view.length + 1}
        aria-colcount=${this.columns.length}
        aria-busy=${this.busy ? 'true' : 'false'}
      >
        <div class="head" role="rowgroup">
          <div class="row" role="row" aria-rowindex="1">
            ${this.columns.map((column, i) => this.renderHeader(column, i, s))}
          </div>
        </div>
        <div
          class="body"
          role="rowgroup"
          tabindex=${this.activeOutOfRange ? 0 : nothing}
          @click=${this.gridSelection.onClick}
          @mousedown=${this.gridSelection.onMouseDown}
          @keydown=${this.gridSelection.onKeyDown}
          @focus=${this.onBodyFocus}
          @focusin=${this.gridSelection.onFocusIn}
          @rangeChanged=${this.onRangeChanged}
        >
          ${virtualize({
            items: this.view as T[],
            // The virtualizer can lay out once more with the old row count right after the rows
            // shrink (it takes new items a few microtasks late) and then asks for rows past the
            // end: those render as nothing until its next layout, which follows at once.
            keyFunction: (row: T | undefined, index: number) => (row === undefined ? `\u0000gone:${index}` : this.rowKey(row)),
            // A new function each render makes the virtualizer re-render the rows it shows.
            renderItem: (row: T | undefined, index: number) => (row === undefined ? html`` : this.renderRow(row, index)),
            scroller: true,
          })}
        </div>
      </div>
      ${this.view.length === 0
        ? html`<p class="empty">${this.items.length > 0 ? s.noMatch(this.search.trim()) : this.emptyText || s.empty}</p>`
        : nothing}
    `;
  }

  private renderHeader(column: Column<T>, index: number, s: DataListStrings): TemplateResult {
    const direction = this.sort?.column === column.id ? this.sort.direction : null;
    const arrow = direction === 'ascending' ? '▲' : direction === 'descending' ? '▼' : '';
    return html`
      <div
        role="columnheader"
        class="align-${column.align ?? 'start'}"
        data-column=${column.id}
        aria-colindex=${index + 1}
        aria-sort=${direction ?? nothing}
      >
        ${column.sortable === false
          ? html`<span class="label" title=${column.label}><span class="text">${column.label}</span></span>`
          : html`<button type="button" class="sort" title=${s.sortBy(column.label)} @click=${() => this.toggleSort(column.id)}>
              <span class="text">${column.label}</span><span class="arrow" aria-hidden="true">${arrow}</span>
            </button>`}
      </div>
    `;
  }

  private renderRow(row: T, index: number): TemplateResult {
    const key = this.rowKey(row);
    const cell: CellContext = { active: key === this.activeKey, selected: this.selection.has(key), index };
    return html`
      <div
        role="row"
        class="row ${this.rowClass?.(row) ?? ''}"
        data-key=${key}
        aria-rowindex=${index + 2}
        aria-selected=${cell.selected ? 'true' : 'false'}
        tabindex=${cell.active ? 0 : -1}
      >
        ${this.columns.map((column, i) => {
          const text = column.render ? undefined : column.text(row);
          // The whole text on hover, for a cell too narrow for it.
          const title = column.title ? column.title(row) : text;
          return html`<div
            role="gridcell"
            class="align-${column.align ?? 'start'}"
            data-column=${column.id}
            aria-colindex=${i + 1}
            title=${title || nothing}
          >${column.render ? column.render(row, cell) : text}</div>`;
        })}
      </div>
    `;
  }

  private toggleSort(column: string): void {
    const direction = this.sort?.column === column && this.sort.direction === 'ascending' ? 'descending' : 'ascending';
    this.sort = { column, direction };
  }

  // ── Events ───────────────────────────────────────────────────────────────────────────────────

  private get body(): VirtualizerHostElement | null {
    return this.renderRoot.querySelector<HTMLElement>('.body');
  }

  private rowElement(key: string): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`.body [role='row'][data-key="${CSS.escape(key)}"]`);
  }

  private pageSize(row: HTMLElement): number {
    const body = this.body;
    return Math.max(1, Math.floor((body?.clientHeight ?? 0) / Math.max(1, row.offsetHeight)) - 1);
  }

  /** Moves the tab stop to a displayed row, bringing it into the DOM first if it is scrolled away. */
  private async focusIndex(index: number): Promise<void> {
    const row = this.view[index];
    if (!row) return;
    const key = this.rowKey(row);
    this.activeKey = key;
    if (!this.rowElement(key)) {
      const virtualizer = this.body?.[virtualizerRef];
      virtualizer?.element(index)?.scrollIntoView({ block: 'nearest' });
      await this.updateComplete;
      await virtualizer?.layoutComplete;
    }
    this.rowElement(key)?.focus();
  }

  private onBodyFocus = (e: FocusEvent): void => {
    if (e.target !== e.currentTarget || this.activeKey === null) return;
    const index = this.positions.get(this.activeKey);
    if (index !== undefined) void this.focusIndex(index);
  };

  private onRangeChanged = (e: RangeChangedEvent): void => {
    this.renderedRange = { first: e.first, last: e.last };
    this.activeOutOfRange = this.isOutOfRange(this.activeKey);
  };

  private onSearchInput = (e: InputEvent): void => {
    this.search = (e.target as HTMLInputElement).value;
  };

  private onSearchKeydown = (e: KeyboardEvent): void => {
    if (e.key !== 'ArrowDown' || this.view.length === 0) return;
    e.preventDefault();
    void this.focusIndex(this.activeKey === null ? 0 : (this.positions.get(this.activeKey) ?? 0));
  };
}
