/** How one column of a {@link DataList} shows, searches and sorts a row. */
export interface Column<T> {
  /** Stable id, used for the sort state and as the cell's `data-column`. */
  id: string;
  /** The header's visible text (and the column's accessible name). */
  label: string;
  /**
   * The cell as plain text: what the search looks in (unless `searchable` is false), what sorting
   * compares (unless `sortValue` is given), and what shows (unless `render` is given).
   */
  text: (row: T) => string;
  /** A sort key when the text does not sort right (numbers, booleans, states). Empty sorts last. */
  sortValue?: (row: T) => string | number | null;
  /**
   * The cell's content when plain text is not enough: a Lit template or a string. Lit bindings
   * escape text, so names and addresses are always rendered as text, never as markup.
   */
  render?: (row: T, cell: CellContext) => unknown;
  /**
   * The cell's tooltip (its `title`), for a cell that may be too narrow for what it shows.
   * Default: `text` for plain-text columns, none for rendered ones (their templates set titles).
   */
  title?: (row: T) => string;
  /** CSS grid track size, e.g. `minmax(6rem, 2fr)` or `4.5rem`. Default `minmax(0, 1fr)`. */
  width?: string;
  /** Default true. */
  searchable?: boolean;
  /** Default true. */
  sortable?: boolean;
  /** Default `start`. */
  align?: 'start' | 'center' | 'end';
}

/** What a cell template may need to know about its row. */
export interface CellContext {
  /** The row holds the list's tab stop: controls in it should be tabbable (`tabindex=0`), others -1. */
  active: boolean;
  selected: boolean;
  /** Position among the rows on show. */
  index: number;
}

export type SortDirection = 'ascending' | 'descending';

/** The column the list is sorted by, and which way; null keeps the order of `items`. */
export interface SortState {
  column: string;
  direction: SortDirection;
}
