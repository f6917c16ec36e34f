import { DateTime } from 'luxon';
import type { DiaryFields, SyncWindow } from './ports.js';

/**
 * Instants, all-day dates and the sync window. Diary fields hold timed values as UTC instants at
 * second precision (`2026-03-30T07:00:00Z`) and all-day values as calendar dates
 * (`2026-03-29`, end exclusive), so that equal strings mean "the same in both calendars".
 */

const INSTANT = "yyyy-MM-dd'T'HH:mm:ss'Z'";
const DATE = 'yyyy-MM-dd';

/**
 * Windows time zone names Graph may answer with (`originalStartTimeZone`, or `start.timeZone`
 * when an event was written with one), to IANA names: the CLDR `windowsZones.xml` mapping
 * (territory 001) for the zones a Nordic/European tenant and its partners meet.
 */
const WINDOWS_ZONES: Record<string, string> = {
  'utc': 'UTC',
  'tzone://microsoft/utc': 'UTC',
  'coordinated universal time': 'UTC',
  'gmt standard time': 'Europe/London',
  'greenwich standard time': 'Atlantic/Reykjavik',
  'w. europe standard time': 'Europe/Berlin',
  'central europe standard time': 'Europe/Budapest',
  'central european standard time': 'Europe/Warsaw',
  'romance standard time': 'Europe/Paris',
  'e. europe standard time': 'Europe/Chisinau',
  'fle standard time': 'Europe/Kiev',
  'gtb standard time': 'Europe/Bucharest',
  'russian standard time': 'Europe/Moscow',
  'turkey standard time': 'Europe/Istanbul',
  'israel standard time': 'Asia/Jerusalem',
  'south africa standard time': 'Africa/Johannesburg',
  'arabian standard time': 'Asia/Dubai',
  'india standard time': 'Asia/Calcutta',
  'china standard time': 'Asia/Shanghai',
  'singapore standard time': 'Asia/Singapore',
  'tokyo standard time': 'Asia/Tokyo',
  'aus eastern standard time': 'Australia/Sydney',
  'new zealand standard time': 'Pacific/Auckland',
  'eastern standard time': 'America/New_York',
  'central standard time': 'America/Chicago',
  'mountain standard time': 'America/Denver',
  'us mountain standard time': 'America/Phoenix',
  'pacific standard time': 'America/Los_Angeles',
  'alaskan standard time': 'America/Anchorage',
  'hawaiian standard time': 'Pacific/Honolulu',
  'atlantic standard time': 'America/Halifax',
  'e. south america standard time': 'America/Sao_Paulo',
};

/** An IANA zone for a Graph or SuperOffice zone name (IANA or Windows); throws on a name no one knows. */
export function ianaZone(name: string): string {
  const windows = WINDOWS_ZONES[name.trim().toLowerCase()];
  if (windows) return windows;
  if (DateTime.local({ zone: name }).isValid) return name;
  throw new Error(`Unknown time zone '${name}'.`);
}

/**
 * An ISO date-time as an instant at second precision. With `Z` or an offset it is that instant;
 * without one it is wall-clock time in `zone` (Graph's `dateTimeTimeZone`; SuperOffice read with
 * `SO-TimeZone: UTC`). A wall time the spring change skips moves forward by the gap, as Outlook does.
 */
export function toInstant(value: string, zone = 'UTC'): string {
  const t = DateTime.fromISO(value.trim(), { zone: ianaZone(zone), setZone: false });
  if (!t.isValid) throw new Error(`'${value}' is not a date and time.`);
  return t.toUTC().startOf('second').toFormat(INSTANT);
}

/** The calendar date in `zone` whose midnight is nearest to the instant (rounds 23:59 and DST-shifted midnights to the day they mean). */
function nearestDate(t: DateTime, zone: string): string {
  return t.setZone(zone).plus({ hours: 12 }).toFormat(DATE);
}

/** The date in `zone` whose midnight is nearest to an instant (SuperOffice's all-day boundaries, 23:59 ends included). */
export function instantDate(instant: string, zone: string): string {
  return nearestDate(DateTime.fromISO(toInstant(instant)), ianaZone(zone));
}

/**
 * An all-day boundary of an event as a date. A midnight wall time is its own date, whatever zone it is
 * labelled with (Graph keeps all-day events at midnight even when asked for UTC); anything else
 * is an instant (a midnight converted to UTC, or SuperOffice's 23:59 end) read in `zone`.
 */
export function eventDate(value: string, labelZone: string, zone: string): string {
  const wall = DateTime.fromISO(value.trim(), { zone: 'UTC' });
  if (!wall.isValid) throw new Error(`'${value}' is not a date and time.`);
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(value.trim());
  if (!hasOffset && wall.equals(wall.startOf('day'))) return wall.toFormat(DATE);
  return nearestDate(DateTime.fromISO(toInstant(value, labelZone)), ianaZone(zone));
}

/** Midnight starting `date` in `zone`, as a UTC instant. */
export function midnightInstant(date: string, zone: string): string {
  return DateTime.fromISO(date, { zone: ianaZone(zone) }).startOf('day').toUTC().toFormat(INSTANT);
}

/** The date after `date`. */
export function nextDate(date: string): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days: 1 }).toFormat(DATE);
}

/**
 * The window the pass keeps in step: from the start of today in `zone` minus `pastDays`, to the
 * start of the day after today plus `futureDays` (today always counts), as UTC instants.
 */
export function syncWindow(now: Date, pastDays: number, futureDays: number, zone: string): SyncWindow {
  const today = DateTime.fromJSDate(now, { zone: ianaZone(zone) }).startOf('day');
  return {
    start: today.minus({ days: pastDays }).toUTC().toFormat(INSTANT),
    end: today.plus({ days: futureDays + 1 }).toUTC().toFormat(INSTANT),
  };
}

/** The item's span as instants: all-day dates are midnights in `zone`. */
function span(f: DiaryFields, zone: string): { start: number; end: number } {
  const at = (v: string) => Date.parse(f.allDay ? midnightInstant(v, zone) : v);
  return { start: at(f.start), end: at(f.end) };
}

/** Does the item overlap [start, end) of the window? An item of no length counts where it starts. */
export function touchesWindow(f: DiaryFields, w: SyncWindow, zone: string): boolean {
  const { start, end } = span(f, zone);
  const from = Date.parse(w.start);
  const to = Date.parse(w.end);
  if (end <= start) return start >= from && start < to;
  return start < to && end > from;
}
