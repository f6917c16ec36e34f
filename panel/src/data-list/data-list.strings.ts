import { formatCount, type Lang } from '../i18n/locale.js';

/** Every visible and aria string of `so-data-list`. */
export interface DataListStrings {
  searchLabel: (list: string) => string;
  searchPlaceholder: string;
  /** The live status line: how many rows show, how many are selected, how many selected rows the search hides. */
  status: (shown: number, total: number, selected: number, hiddenSelected: number) => string;
  empty: string;
  noMatch: (query: string) => string;
  sortBy: (column: string) => string;
}

export const dataListStrings: Readonly<Record<Lang, DataListStrings>> = {
  en: {
    searchLabel: (list) => `Search ${list}`,
    searchPlaceholder: 'Search',
    status: (shown, total, selected, hidden) => {
      const n = (x: number) => formatCount(x, 'en');
      const rows = shown === total ? `${n(total)} ${total === 1 ? 'row' : 'rows'}` : `Showing ${n(shown)} of ${n(total)}`;
      const sel = selected === 0 ? '' : `, ${n(selected)} selected${hidden > 0 ? ` (${n(hidden)} hidden by the search)` : ''}`;
      return `${rows}${sel}`;
    },
    empty: 'Nothing to show.',
    noMatch: (query) => `Nothing matches “${query}”.`,
    sortBy: (column) => `Sort by ${column}`,
  },
  nb: {
    searchLabel: (list) => `Søk i ${list}`,
    searchPlaceholder: 'Søk',
    status: (shown, total, selected, hidden) => {
      const n = (x: number) => formatCount(x, 'nb');
      const rows = shown === total ? `${n(total)} ${total === 1 ? 'rad' : 'rader'}` : `Viser ${n(shown)} av ${n(total)}`;
      const sel = selected === 0 ? '' : `, ${n(selected)} valgt${hidden > 0 ? ` (${n(hidden)} skjult av søket)` : ''}`;
      return `${rows}${sel}`;
    },
    empty: 'Ingenting å vise.',
    noMatch: (query) => `Ingen treff på «${query}».`,
    sortBy: (column) => `Sorter etter ${column}`,
  },
};
