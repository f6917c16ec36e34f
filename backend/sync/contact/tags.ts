/**
 * How a contact in our folder is recognised as ours, so that a lost mapping, a removed and
 * re-added link or a crash finds it again instead of creating a duplicate.
 *
 * An Integer extended property holding the SuperOffice person id (Graph docs:
 * resources/extended-properties-overview, the `{type} {guid} Name {name}` form). Integer, not
 * String: filtering on a String value is documented for messages and events only, a numeric one
 * (`cast(ep/value, Edm.Int32) eq n`) for contacts too (api/singlevaluelegacyextendedproperty-get).
 * The GUID is this product's own and must never change: every contact we ever wrote carries it.
 * The tenant needs no place in the tag: the folder is ours, per mailbox, and a mailbox is linked
 * in one tenant.
 */
export const CONTACT_TAG_PROPERTY_ID = 'Integer {6d0f3c1e-2b7a-4c59-9e84-0a3f5b1d7c62} Name SoPersonId';

/** Our folder's name in every mailbox (found again by it when its id no longer answers). */
export const CONTACT_FOLDER_NAME = 'SuperOffice';

/** A tag value as read back: a person id, or null when it is not one. */
export function parseContactTag(value: string | null | undefined): number | null {
  if (value == null || !/^[1-9]\d{0,9}$/.test(value.trim())) return null;
  return Number(value.trim());
}
