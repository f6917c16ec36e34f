import { createHash } from 'node:crypto';
import { superOfficeView } from './convert.js';
import type { DiaryField, DiaryFields, FieldConflict, MergeResult } from './ports.js';

/**
 * The diary field rules the pass works with: conversions (convert.ts), the time window
 * (time.ts), tags (tags.ts) and scope (scope.ts) are re-exported here; the hash and the
 * three-way merge live here.
 */
export { fromOutlook, fromSuperOffice, superOfficeView, toOutlookWrite, toSuperOfficeWrite } from './convert.js';
export { outlookScope, superOfficeScope } from './scope.js';
export { graphRefOf, parseTag, TAG_PROPERTY_ID, tagOf } from './tags.js';
export { PARTICIPANTS_MARKER, SO_LOCATION_MAX, SO_TITLE_MAX } from './text.js';
export { syncWindow, touchesWindow } from './time.js';

/** Every field, in the fixed order the hash serialises them. */
const FIELDS: readonly DiaryField[] = ['subject', 'start', 'end', 'allDay', 'location', 'body', 'showAs', 'private'];

/** sha256 (hex) of the fields as a JSON array in a fixed order: equal exactly when every field is equal. */
export function hashFields(f: DiaryFields): string {
  return createHash('sha256').update(JSON.stringify(FIELDS.map((k) => f[k]))).digest('hex');
}

/**
 * The units a merge decides: start, end and all-day move together as "time", so an event never
 * gets its start from one side and its end from the other; every other field on its own.
 */
type Unit = { name: DiaryField; fields: readonly DiaryField[] };
const UNITS: readonly Unit[] = [
  { name: 'start', fields: ['start', 'end', 'allDay'] },
  ...FIELDS.filter((k) => k !== 'start' && k !== 'end' && k !== 'allDay').map((k) => ({ name: k, fields: [k] })),
];

const same = (a: DiaryFields, b: DiaryFields, u: Unit) => u.fields.every((k) => a[k] === b[k]);

/** A unit's value as a conflict shows it: time as an ISO 8601 interval (`start/end`; dates when all-day). */
function show(f: DiaryFields, u: Unit): string {
  return u.name === 'start' ? `${f.start}/${f.end}` : String(f[u.name]);
}

/**
 * The three-way merge of one item's fields. `base` is what both sides held after the last sync;
 * SuperOffice's values are compared through `superOfficeView` (what SuperOffice can hold: a
 * truncated title equals the full one, tentative equals busy).
 * - A unit changed on one side only takes that side's value.
 * - Changed on both to the same value: that value, no conflict.
 * - Changed on both to different values: `winner`'s value, recorded in `conflicts` (the conflict
 *   of the time unit is named `start`, its values `start/end` intervals).
 * - No base (first sight: an adopted or re-bound item): a unit that differs takes `winner`'s value
 *   and is NOT recorded as a conflict — nothing shows that both sides changed it.
 * `writeSuperOffice` / `writeOutlook` say whether that side differs from `merged`.
 * Known limit of comparing through the view: an invitation accepted in SuperOffice (tentative →
 * busy, a type change no write can make) is not by itself a change of showAs.
 */
export function mergeFields(base: DiaryFields | null, so: DiaryFields, outlook: DiaryFields, winner: 'superoffice' | 'outlook'): MergeResult {
  const soSeen = superOfficeView(so);
  const outlookAsSo = superOfficeView(outlook);
  const baseAsSo = base && superOfficeView(base);
  const merged: DiaryFields = { ...outlook };
  const conflicts: FieldConflict[] = [];
  const take = (from: DiaryFields, u: Unit) => {
    for (const k of u.fields) (merged as unknown as Record<string, unknown>)[k] = from[k];
  };
  for (const u of UNITS) {
    // Outlook's value is kept whenever SuperOffice holds the same: it is the fuller one (untruncated, tentative).
    if (same(soSeen, outlookAsSo, u)) continue;
    const soChanged = !baseAsSo || !same(soSeen, baseAsSo, u);
    const outlookChanged = !base || !same(outlook, base, u);
    if (soChanged && outlookChanged) {
      take(winner === 'superoffice' ? so : outlook, u);
      if (base) conflicts.push({ field: u.name, base: show(base, u), superoffice: show(so, u), outlook: show(outlook, u), winner });
    } else if (soChanged) {
      take(so, u);
    }
  }
  const mergedAsSo = superOfficeView(merged);
  return {
    merged,
    writeSuperOffice: FIELDS.some((k) => mergedAsSo[k] !== soSeen[k]),
    writeOutlook: FIELDS.some((k) => merged[k] !== outlook[k]),
    conflicts,
  };
}
