/**
 * The circuit breaker's rules, shared by every kind: a pass counts its deletes before doing any,
 * and stops the mailbox (nothing written) when they look like a mass removal rather than users
 * at work, until an administrator releases it.
 */

/** More deletes than this in one pass trip the breaker. */
export const BREAKER_MAX = 20;
/** …or more than this share of the mailbox's items, once there are at least BREAKER_FLOOR deletes. */
export const BREAKER_SHARE = 0.1;
export const BREAKER_FLOOR = 3;

/**
 * Why `deletes` out of `mapped` items in sync trip the breaker, in plain words (`what` names
 * them: "5 Outlook contact(s) of 12 items in sync"; `noun` the kind's items: "items", "tasks");
 * null when they do not.
 */
export function massDeleteReason(deletes: number, mapped: number, what: string, noun = 'items'): string | null {
  if (deletes > BREAKER_MAX) return `Stopped before deleting ${what}: more than ${BREAKER_MAX} deletes in one pass. An administrator can release it.`;
  if (deletes >= BREAKER_FLOOR && deletes > BREAKER_SHARE * mapped) {
    return `Stopped before deleting ${what}: more than ${BREAKER_SHARE * 100} % of this user's ${noun}. An administrator can release it.`;
  }
  return null;
}
