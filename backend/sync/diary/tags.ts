import { createHash } from 'node:crypto';

/**
 * How an item is recognised as ours on either side, so that a lost mapping, a removed and re-added
 * link or a crash finds it again instead of creating a duplicate.
 */

/**
 * Our extended property on events (Graph docs: resources/extended-properties-overview, the
 * `{type} {guid} Name {name}` form). The GUID is this product's own and must never change: every
 * event we ever wrote carries it.
 */
export const TAG_PROPERTY_ID = 'String {4aeb102c-76e1-48cb-b394-36cac3add21a} Name SoRef';

/** The tag of SuperOffice appointment `soId` of tenant `tenantId` (the SuperOffice context id). */
export function tagOf(tenantId: string, soId: number): string {
  return `${tenantId}/appointment/${soId}`;
}

/**
 * The appointment id a tag names, or null when it is not one of this tenant's appointment tags.
 * Graph compares extended property values ignoring case (api/singlevaluelegacyextendedproperty-get),
 * so a filter for `Cust1/appointment/5` also finds `cust1/APPOINTMENT/5`: it is read the same here.
 */
export function parseTag(tag: string, tenantId: string): number | null {
  const prefix = `${tenantId}/appointment/`.toLowerCase();
  if (!tag.toLowerCase().startsWith(prefix)) return null;
  const rest = tag.slice(prefix.length);
  if (!/^[1-9]\d{0,14}$/.test(rest)) return null;
  return Number(rest);
}

/**
 * The SuperOffice-side tag of an Outlook-born item: base64url(sha256(immutable id)), 43 characters,
 * because a ForeignSystem key's value holds at most 239 (SuperOffice docs, database/tables/foreignkey.md)
 * and an immutable id can be longer. The full id stays in our mapping.
 */
export function graphRefOf(graphId: string): string {
  return createHash('sha256').update(graphId, 'utf8').digest('base64url');
}
