import { offsetAt, wallToUtc } from '../wall-clock.js';
import { SoError } from './errors.js';

/**
 * Dates as the Web API writes them (NetServer "HTTP headers" page, SO-TimeZone): without an
 * `SO-TimeZone` header entity dates carry no offset and are wall-clock time in the tenant's zone
 * (`"2002-03-31T18:00:00"`); `SO-TimeZone: UTC,includeTZOffset` gives UTC with `Z`; an empty date
 * is `0001-01-01T00:00:00`. Archive `updatedDate`/`registeredDate` are UTC (FindAppointment docs).
 */
export const EMPTY_DATE = '0001-01-01T00:00:00';

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** How the caller asked for dates: the tenant's wall clock (default) or UTC (`SO-TimeZone: UTC,…`). */
export interface DateStyle {
  timeZone: string;
  utc: boolean;
  includeOffset: boolean;
}

/** `SO-TimeZone: <zone>[,includeTZOffset]`; only UTC and the tenant's own zone are modelled. */
export function dateStyle(header: string | undefined, tenantZone: string): DateStyle {
  const [zone = '', ...flags] = (header ?? '').split(',').map((s) => s.trim());
  const includeOffset = flags.some((f) => f.toLowerCase() === 'includetzoffset');
  return { timeZone: tenantZone, utc: zone.toUpperCase() === 'UTC', includeOffset };
}

export function formatEntityDate(ms: number | null, style: DateStyle): string {
  if (ms === null) return EMPTY_DATE;
  if (style.utc) return style.includeOffset ? `${iso(ms)}Z` : iso(ms);
  const offset = offsetAt(ms, style.timeZone);
  const local = iso(ms + offset);
  if (!style.includeOffset) return local;
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(offset) / 60_000;
  return `${local}${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** UTC with `Z`, as archive `updatedDate` is shown [INF: the slim rendering of date columns]. */
export function formatUtc(ms: number): string {
  return `${iso(ms)}Z`;
}

/** The wall-clock form in the tenant's zone, how archive `date`/`endDate` are shown [INF]. */
export function formatLocal(ms: number, timeZone: string): string {
  return iso(ms + offsetAt(ms, timeZone));
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * An ISO-8601 date as a client sends it: with `Z` or an offset it is an instant; without, wall
 * time in `localZone` (the tenant's zone, or UTC when the caller sent `SO-TimeZone: UTC`).
 * Returns null for the empty date.
 */
export function parseDate(value: string, localZone: string, name: string): number | null {
  if (value.startsWith('0001-01-01')) return null;
  const m = DATE.exec(value.trim());
  if (!m) throw new SoError(400, 'FormatException', `${name}: '${value}' is not a valid date.`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', zone] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(wall);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    throw new SoError(400, 'FormatException', `${name}: '${value}' is not a valid date.`);
  }
  if (zone === 'Z') return wall;
  if (zone) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const [oh = '0', om = '0'] = zone.slice(1).split(':');
    return wall - sign * (Number(oh) * 60 + Number(om)) * 60_000;
  }
  return localZone === 'UTC' ? wall : wallToUtc(wall, localZone);
}
