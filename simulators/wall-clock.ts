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

/** Milliseconds `timeZone` is ahead of UTC at instant `ms` (whole seconds). */
export function offsetAt(ms: number, timeZone: string): number {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(ms / 1000) * 1000;
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
