import { z } from 'zod';

/**
 * Text fields, one set of rules for every schema.
 *
 * - Well-formed UTF-16 everywhere: JSON's `\ud800` escape carries a lone surrogate, which no
 *   database column or UTF-8 encoder can keep (it came back as three U+FFFD).
 * - Display text (names, invite texts) refuses what can only deceive the reader: bidi embedding,
 *   override and isolate controls and directional marks (they reorder what is shown), and
 *   invisible characters (zero-width space, word joiner, BOM). ZWJ and ZWNJ are kept where
 *   scripts and emoji need them, between two non-ASCII characters; next to ASCII or at an end
 *   they only hide something.
 * - Single-line text refuses every control character and line separator (a subject or sender name
 *   goes into a mail header); multi-line text keeps tab and line breaks.
 */

/** With the `u` flag a surrogate pair is one code point, so only a lone surrogate is in category Cs. */
const LONE_SURROGATE = /\p{Cs}/u;
export const isWellFormed = (s: string) => !LONE_SURROGATE.test(s);

const DECEPTIVE = /[\u061C\u200B\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]|(?<![^\p{ASCII}])[\u200C\u200D]|[\u200C\u200D](?![^\p{ASCII}])/u;
const SINGLE_LINE_BAD = /[\p{Cc}\u2028\u2029]/u;
const MULTI_LINE_BAD = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029]/;

/**
 * Fits an `nvarchar(n)` column: SQL Server counts UTF-16 code units, while zod's `max()` counts
 * code points (an emoji is one there and two in the column), so `max()` alone lets a 101-emoji
 * name through to a "would be truncated" error.
 */
export const fitsColumn = (n: number) => (s: string) => s.length <= n;

const WELL_FORMED = 'must be well-formed text (it contains a lone UTF-16 surrogate)';

/** A secret, id or token: any characters, but well-formed. */
export function opaqueText(max: number) {
  return z.string().min(1).max(max).refine(isWellFormed, WELL_FORMED);
}

/** Text a person reads: trimmed, 1 to `max` UTF-16 code units, nothing deceptive, one line unless `multiline`. */
export function displayText(max: number, { multiline = false }: { multiline?: boolean } = {}) {
  return z
    .string()
    .refine(isWellFormed, WELL_FORMED)
    .trim()
    .min(1)
    .max(max)
    .refine(fitsColumn(max), `must be at most ${max} characters (an emoji counts as 2)`)
    .refine(
      (s) => !(multiline ? MULTI_LINE_BAD : SINGLE_LINE_BAD).test(s),
      multiline ? 'must not contain control characters' : 'must be one line, without control characters',
    )
    .refine((s) => !DECEPTIVE.test(s), 'must not contain invisible or text-direction characters');
}

const LONE_SURROGATE_ALL = /\p{Cs}/gu;
/** Where an upstream body, a stack or a query starts: what follows is not for an administrator. */
const RAW_TAIL = /\s*(?:[{[]\s*["{[]|<(?:!doctype|html|\?xml|[a-z]+[\s>])|\n\s+at\s|\b(?:select|insert into|delete from|update)\s+(?:top\s*\(?\d+\)?\s*)?["[*])[\s\S]*$/i;
/** Credentials as they appear in error texts: bearer values, JWTs, secrets in query strings, long opaque runs. */
const SECRETS = [
  /\b(?:Bearer|SOTicket|Basic)\s+\S+/gi,
  /\beyJ[\w-]*\.[\w-]*\.[\w-]*/g,
  /\b([\w-]*(?:token|secret|password|ticket|assertion|api[_-]?key)[\w-]*)\s*[=:]\s*[^\s&,;]+/gi,
  /\b(code)=[^\s&,;]+/gi,
  /\bsls_[\w-]+/g,
  /[A-Za-z0-9+/_=.-]{40,}/g,
];

/**
 * A stored error text made fit for an administrator to read (the sync status): the first
 * `max` code units of one line of plain words, nothing deceptive, no credential and no upstream
 * body, stack or SQL. Null when nothing readable is left (the caller says something generic).
 */
export function plainMessage(text: string | null | undefined, max = 300): string | null {
  if (!text) return null;
  let s = text.replace(LONE_SURROGATE_ALL, '').replace(RAW_TAIL, '');
  s = s.replace(new RegExp(DECEPTIVE.source, 'gu'), '').replace(/[\p{Cc}\u2028\u2029]+/gu, ' ');
  for (const secret of SECRETS) s = s.replace(secret, (m, name?: string) => (typeof name === 'string' && m.startsWith(name) ? `${name}=[hidden]` : '[hidden]'));
  s = s.replace(/\s+/g, ' ').trim().replace(/[:;,]$/, '');
  if (s.length === 0) return null;
  return s.length <= max ? s : `${s.slice(0, max - 1).replace(/[\uD800-\uDBFF]$/, '')}…`;
}
