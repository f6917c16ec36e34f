import type { Lang } from '../../i18n/locale.js';
import type { Column, SortState } from './types.js';

type SortKey = string | number | null;

/** Lower-cased search text per row, cached per row object for one set of columns. */
export class SearchIndex<T extends object> {
  private readonly cache = new WeakMap<T, string>();
  private readonly columns: readonly Column<T>[];

  constructor(columns: readonly Column<T>[]) {
    this.columns = columns.filter((c) => c.searchable !== false);
  }

  text(row: T): string {
    let text = this.cache.get(row);
    if (text === undefined) {
      // A separator no query contains keeps terms from matching across two cells.
      text = this.columns.map((c) => c.text(row)).join('\u0000').toLocaleLowerCase();
      this.cache.set(row, text);
    }
    return text;
  }
}

/** Rows containing every whitespace-separated term of the query, case-insensitively, in any searchable column. */
export function filterRows<T extends object>(rows: readonly T[], query: string, index: SearchIndex<T>): readonly T[] {
  const terms = query.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return rows;
  return rows.filter((row) => {
    const text = index.text(row);
    return terms.every((term) => text.includes(term));
  });
}

const isEmpty = (k: SortKey) => k === null || k === '';

/**
 * Sorts by one column, stably (equal keys keep their order). Empty values go last in both
 * directions, so a descending sort does not open on a screen of blanks.
 */
export function sortRows<T>(rows: readonly T[], column: Column<T>, direction: SortState['direction'], collator: Intl.Collator): T[] {
  const key = column.sortValue ?? column.text;
  const sign = direction === 'descending' ? -1 : 1;
  const keyed = rows.map((row, i) => ({ row, i, k: key(row) }));
  keyed.sort((a, b) => {
    const ea = isEmpty(a.k);
    const eb = isEmpty(b.k);
    if (ea || eb) return ea && eb ? a.i - b.i : ea ? 1 : -1;
    const c = typeof a.k === 'number' && typeof b.k === 'number' ? a.k - b.k : collator.compare(String(a.k), String(b.k));
    return c === 0 ? a.i - b.i : sign * c;
  });
  return keyed.map((k) => k.row);
}

/** True when two column lists search and sort alike (only their rendering may differ). */
export function sameData<T>(a: readonly Column<T>[] | undefined, b: readonly Column<T>[]): boolean {
  return (
    a !== undefined &&
    a.length === b.length &&
    a.every((c, i) => {
      const d = b[i]!;
      return c.id === d.id && c.text === d.text && c.sortValue === d.sortValue && c.searchable === d.searchable;
    })
  );
}

const collators = new Map<Lang, Intl.Collator>();

/** How a language sorts text: numbers by value, ignoring case and accents. */
export function collator(lang: Lang): Intl.Collator {
  let c = collators.get(lang);
  if (!c) collators.set(lang, (c = new Intl.Collator(lang === 'nb' ? 'nb' : 'en', { numeric: true, sensitivity: 'base' })));
  return c;
}
