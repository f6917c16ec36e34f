import { utcToWall, wallToUtc } from '../wall-clock.js';
import { GraphError } from './graph-errors.js';

/**
 * `dateTimeTimeZone` (Graph docs: resources/datetimetimezone): a local `dateTime` plus a Windows or
 * IANA `timeZone` name. Graph answers in UTC unless `Prefer: outlook.timezone="…"` names another
 * zone (Graph docs: api/user-list-events, "Prefer: outlook.timezone"). The simulator knows IANA
 * names (through Intl) and the Windows names below; anything else is refused as Graph refuses it.
 */
const WINDOWS_ZONES: Record<string, string> = {
  utc: 'UTC',
  'w. europe standard time': 'Europe/Berlin',
  'romance standard time': 'Europe/Paris',
  'central europe standard time': 'Europe/Budapest',
  'gmt standard time': 'Europe/London',
  'fle standard time': 'Europe/Helsinki',
  'eastern standard time': 'America/New_York',
  'central standard time': 'America/Chicago',
  'pacific standard time': 'America/Los_Angeles',
};

export function timeZoneNotSupported(name: string): GraphError {
  return new GraphError(400, 'TimeZoneNotSupportedException', `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${name}'.`);
}

/** The IANA zone for a Graph time zone name, or a 400 when Graph would not know it. */
export function ianaZone(name: string): string {
  const windows = WINDOWS_ZONES[name.trim().toLowerCase()];
  if (windows) return windows;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name;
  } catch {
    throw timeZoneNotSupported(name);
  }
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;

/** Local wall-clock time in `zone` → UTC epoch ms (a time in a DST gap moves forward, as Outlook does). */
export function toUtc(dateTime: string, zone: string): number | null {
  const m = LOCAL.exec(dateTime);
  if (!m) return null;
  const local = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0), Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000));
  if (Number.isNaN(local)) return null;
  return wallToUtc(local, zone);
}

/** UTC epoch ms → Graph's local form in `zone`: `2026-03-29T10:00:00.0000000`. */
export function fromUtc(ms: number, zone: string): string {
  return `${new Date(utcToWall(ms, zone)).toISOString().slice(0, 19)}.0000000`;
}

/** Is this local time midnight (all-day events must start and end at midnight, Graph docs: resources/event isAllDay). */
export function isMidnight(dateTime: string): boolean {
  const m = LOCAL.exec(dateTime);
  return !!m && m[4] === '00' && m[5] === '00' && (m[6] ?? '00') === '00' && Number(m[7] ?? 0) === 0;
}

/** `startDateTime`/`endDateTime` query values: ISO 8601, UTC unless they carry an offset. */
export function parseQueryInstant(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/i.test(value)) return null;
  const ms = Date.parse(/(Z|[+-]\d{2}:\d{2})$/i.test(value) ? value : `${value}Z`);
  return Number.isNaN(ms) ? null : ms;
}
