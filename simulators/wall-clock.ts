/**
 * Wall-clock time in an IANA zone ↔ instants, for both simulators' calendars (Graph's
 * `dateTimeTimeZone`, SuperOffice's tenant-local entity dates). A "wall" value is the local
 * time read as if it were UTC epoch milliseconds.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function exactOffset(ms: number, timeZone: string): number {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(ms / 1000) * 1000;
}

const HOUR = 3_600_000;
/** Offset per zone and UTC hour, or null for an hour with a change in it. Bounded: cleared when full. */
const hourOffsets = new Map<string, number | null>();

/**
 * Milliseconds `timeZone` is ahead of UTC at instant `ms` (whole seconds). Intl is slow (a few µs a
 * call, and the simulators convert every event of a calendar on each read), so an hour whose first
 * and last second have the same offset is remembered as one offset: no zone changes twice an hour.
 */
export function offsetAt(ms: number, timeZone: string): number {
  const hour = Math.floor(ms / HOUR);
  const key = `${timeZone}|${hour}`;
  let offset = hourOffsets.get(key);
  if (offset === undefined) {
    const first = exactOffset(hour * HOUR, timeZone);
    offset = first === exactOffset(hour * HOUR + HOUR - 1000, timeZone) ? first : null;
    if (hourOffsets.size >= 200_000) hourOffsets.clear();
    hourOffsets.set(key, offset);
  }
  return offset ?? exactOffset(ms, timeZone);
}

/** The wall-clock time at instant `ms` in `timeZone`. */
export function utcToWall(ms: number, timeZone: string): number {
  return Math.floor(ms / 1000) * 1000 + offsetAt(ms, timeZone);
}

/**
 * The instant a wall-clock time in `timeZone` names. A time the spring change skips (02:30 in
 * Oslo on its last Sunday of March) moves forward by the gap (03:30 summer time), as Outlook and
 * .NET do [INF]; a time the autumn change repeats is read as standard time (the later instant).
 */
export function wallToUtc(wall: number, timeZone: string): number {
  const guess = wall - offsetAt(wall, timeZone);
  return wall - offsetAt(guess, timeZone);
}
