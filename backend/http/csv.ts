import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/**
 * Spreadsheet programs run a cell that starts with `=`, `+`, `-` or `@` (and, per OWASP's "CSV
 * Injection" page, a tab or carriage return) as a formula, so a name such as `=HYPERLINK(…)` typed
 * into SuperOffice could act when an administrator opens an export. Such a cell is written with a
 * leading apostrophe, which the programs show as text. Every CSV this product writes goes through
 * {@link toCsv}; an import takes the apostrophe off again only where it stands before one of these
 * characters ({@link unneutralize}), so export → import changes nothing. A cell that already starts
 * with apostrophes before such a character (`'=x`) gets one more, so it too reads back as written.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;

export function neutralize(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

export function unneutralize(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/**
 * A CSV file (RFC 4180: comma, CRLF, quotes where needed) with a header row, every text cell
 * neutralized, led by a UTF-8 byte order mark so Excel reads the letters right.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | boolean | null)[])[]): string {
  return '\uFEFF' + csvRecords([header, ...rows]);
}

/**
 * Reads a CSV file strictly: a leading BOM is dropped, every row must have the header's number of
 * cells, quotes must be balanced (csv-parse throws a CsvError saying where otherwise). Cells come
 * back as written; callers {@link unneutralize} the ones they read as text.
 */
export function fromCsv(text: string): string[][] {
  return parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
}

/**
 * More rows of a file {@link toCsv} began (no BOM, no header), neutralized the same way: a long
 * export is written a page at a time instead of held whole.
 */
export function csvRecords(rows: readonly (readonly (string | number | boolean | null)[])[]): string {
  if (rows.length === 0) return '';
  const cells = rows.map((r) => r.map((c) => (c === null ? '' : typeof c === 'string' ? neutralize(c) : String(c))));
  return stringify(cells, { record_delimiter: 'windows' });
}
