/**
 * The panel's languages. SuperOffice passes the user's language in the web panel URL as `<lani>`
 * (ISO 639-1, e.g. `en`, `nb`, `no`); everything else falls back to English.
 */
export type Lang = 'en' | 'nb';

export const LANGS: readonly Lang[] = ['en', 'nb'];

/** Norwegian in any spelling SuperOffice or a browser uses: bokmål, the macro-language, nynorsk. */
const NORWEGIAN = new Set(['nb', 'no', 'nn']);

/** Picks the panel language from a `<lani>` value (or any BCP 47 tag); English when unknown or absent. */
export function langFromLani(value: string | null | undefined): Lang {
  const primary = (value ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return NORWEGIAN.has(primary) ? 'nb' : 'en';
}

/** The entry of a per-language table for `lang`, English for anything unexpected at run time. */
export function pick<T>(table: Readonly<Record<Lang, T>>, lang: string | null | undefined): T {
  return lang === 'nb' ? table.nb : table.en;
}

/** Formats a count the way the language writes numbers (10,000 / 10 000). */
export function formatCount(n: number, lang: Lang): string {
  return n.toLocaleString(lang === 'nb' ? 'nb-NO' : 'en-GB');
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function formatTime(iso: string | null, lang: Lang, withTime: boolean): string {
  if (!iso) return '';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '';
  const key = `${lang}:${withTime}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'nb' ? 'nb-NO' : 'en-GB', withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' });
    dateFormats.set(key, f);
  }
  return f.format(time);
}

/** Formats an ISO timestamp as a date in the language's style (7 Dec 2026); '' for null or nonsense. */
export const formatDate = (iso: string | null, lang: Lang): string => formatTime(iso, lang, false);

/** Formats an ISO timestamp as a date and time in the language's style; '' for null or nonsense. */
export const formatDateTime = (iso: string | null, lang: Lang): string => formatTime(iso, lang, true);

/** A range of numbers ("1–99") that never breaks across lines: word joiners hold the dash to both ends. */
export const numberRange = (from: number, to: number): string => `${from}\u2060–\u2060${to}`;
