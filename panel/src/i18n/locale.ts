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
