import type { SyncSettingsChange, TenantMode } from './types.js';

/** An invite lifetime typed by the administrator, or null unless it is a whole number of days from 1 to 365. */
export const parseTtlDays = (raw: string): number | null => parseDays(raw, 1, 365);

/** The mode the tenant's one mode button switches to. */
export const otherMode = (mode: TenantMode): TenantMode => (mode === 'oauth' ? 'application' : 'oauth');

/** A whole number of days from `min` to `max` as typed, or null. */
export function parseDays(raw: string, min: number, max: number): number | null {
  const text = raw.trim();
  if (!/^\d{1,3}$/.test(text)) return null;
  const days = Number(text);
  return days >= min && days <= max ? days : null;
}

/** An IANA time zone the browser knows (as the backend checks it), such as `Europe/Oslo`. */
export function isTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64 || zone !== zone.trim()) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The synchronizer's settings as typed in the panel. */
export interface SyncSettingsDraft {
  windowPastDays: string;
  windowFutureDays: string;
  conflictWinner: string;
  timeZone: string;
}

/** The synchronizer's settings as typed: the values to save, or the fields that are not valid. */
export function syncSettingsDraft(
  d: SyncSettingsDraft,
): { ok: true; value: Omit<SyncSettingsChange, 'expectedVersion'> } | { ok: false; invalid: (keyof SyncSettingsDraft)[] } {
  const windowPastDays = parseDays(d.windowPastDays, 0, 365);
  const windowFutureDays = parseDays(d.windowFutureDays, 1, 730);
  const conflictWinner = d.conflictWinner === 'superoffice' || d.conflictWinner === 'outlook' ? d.conflictWinner : null;
  const timeZone = isTimeZone(d.timeZone) ? d.timeZone : null;
  if (windowPastDays !== null && windowFutureDays !== null && conflictWinner !== null && timeZone !== null) {
    return { ok: true, value: { windowPastDays, windowFutureDays, conflictWinner, timeZone } };
  }
  const invalid = (
    [
      ['windowPastDays', windowPastDays],
      ['windowFutureDays', windowFutureDays],
      ['conflictWinner', conflictWinner],
      ['timeZone', timeZone],
    ] as const
  ).flatMap(([field, value]) => (value === null ? [field] : []));
  return { ok: false, invalid };
}
