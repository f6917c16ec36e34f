import { randomBytes, randomUUID } from 'node:crypto';
import { fromUtc, ianaZone, toUtc } from './event-time.js';

/**
 * Every mailbox's primary calendar, in memory. Events are stored once, with UTC instants and the
 * zone they were written in; series masters are expanded into occurrences on read (calendarView
 * and delta return instances, never masters — Graph docs: api/user-list-calendarview).
 */

/** A clock tests can set and advance (`/__sim/clock`); real time flows on from the set point. */
export class SimClock {
  private offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  set(ms: number): void {
    this.offsetMs = ms - Date.now();
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  reset(): void {
    this.offsetMs = 0;
  }
}

export interface ExtendedProperty {
  id: string;
  value: string;
}

export interface Recurrence {
  pattern: { type: 'daily' | 'weekly'; interval: number; daysOfWeek: string[]; firstDayOfWeek: string };
  range: { type: 'endDate' | 'noEnd' | 'numbered'; startDate: string; endDate: string; numberOfOccurrences: number; recurrenceTimeZone: string };
}

export interface Attendee {
  type: string;
  emailAddress: { name?: string; address: string };
}

/** The writable fields of an event, as validated from a POST/PATCH body. */
export interface EventFields {
  subject: string;
  body: { contentType: 'text' | 'html'; content: string };
  /** Local wall-clock time and the zone it was written in. */
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  isAllDay: boolean;
  location: { displayName: string };
  showAs: string;
  sensitivity: string;
  categories: string[];
  isReminderOn: boolean;
  recurrence: Recurrence | null;
  attendees: Attendee[];
  extended: ExtendedProperty[];
}

export interface StoredEvent extends EventFields {
  mailboxId: string;
  /** What `Prefer: IdType="ImmutableId"` returns: survives moves (Graph docs: concepts/outlook-immutable-id). */
  immutableId: string;
  /** The default (REST) id: changes when the item moves folders. */
  restId: string;
  transactionId: string | null;
  iCalUId: string;
  createdMs: number;
  modifiedMs: number;
  changeKey: string;
  /** Store-wide change sequence of the last write, for delta. */
  seq: number;
  /** Occurrence dates (yyyy-mm-dd, master's zone) the user deleted from a series. */
  cancelledDates: Set<string>;
  /**
   * Who organizes it: null when the mailbox's owner does (every event created through the API
   * is theirs: `isOrganizer` true); else the invitation's sender, a meeting the user received.
   */
  organizer: { name: string; address: string } | null;
  /**
   * The organizer cancelled the meeting (resource event `isCancelled`): the attendee's copy stays
   * in their calendar, cancelled, until they remove it.
   */
  isCancelled: boolean;
  /** Occurrences the user edited (type `exception`), by yyyy-mm-dd: the fields that differ. */
  exceptions: Map<string, SeriesException>;
}

export interface SeriesException {
  fields: Partial<EventFields>;
  changeKey: string;
  modifiedMs: number;
}

/** One event as calendarView/delta lists it: a single event, or one occurrence of a series. */
export interface Instance {
  event: StoredEvent;
  /** yyyy-mm-dd of the occurrence, or null for a single event. */
  occurrence: string | null;
  startUtc: number;
  endUtc: number;
  /** The occurrence's edits when it is an exception. */
  exception?: SeriesException;
}

interface Tombstone {
  mailboxId: string;
  immutableId: string;
  restId: string;
  seq: number;
}

/** What a delta round left the client knowing: instance id → changeKey (Graph keeps this server-side). */
export interface DeltaState {
  mailboxId: string;
  startMs: number;
  endMs: number;
  known: Map<string, string>;
  seq: number;
}

export interface DeltaPages {
  mailboxId: string;
  items: Record<string, unknown>[];
  nextState: string;
}

export interface Invitation {
  userId: string;
  eventId: string;
  method: 'POST' | 'PATCH';
  attendees: string[];
  at: string;
}

const DAY = 86_400_000;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

function outlookId(prefix: string): string {
  return prefix + randomBytes(48).toString('base64url');
}

function newChangeKey(): string {
  return randomBytes(12).toString('base64');
}

/** A DeltaState's or page set's id doubles as the opaque token. */
function tokenId(): string {
  return randomBytes(24).toString('base64url');
}

/** Delta state is a bounded cache, as Outlook's is: past the cap the oldest tokens are evicted (→ 410). */
const TOKEN_CACHE = 20_000;

function remember<T>(map: Map<string, T>, value: T): string {
  const id = tokenId();
  map.set(id, value);
  if (map.size > TOKEN_CACHE) map.delete(map.keys().next().value!);
  return id;
}

/** Start/end of an event as UTC ms. All-day events are floating dates, read in their own zone. */
export function eventSpan(e: EventFields): { startUtc: number; endUtc: number } {
  return { startUtc: toUtc(e.start.dateTime, ianaZone(e.start.timeZone))!, endUtc: toUtc(e.end.dateTime, ianaZone(e.end.timeZone))! };
}

/** A series' instances overlapping [from, to), exceptions applied. */
function occurrences(e: StoredEvent, from: number, to: number): Instance[] {
  const out: Instance[] = [];
  // An exception may have moved: look a week either side for occurrences moved into the window.
  for (const raw of seriesDates(e, from - 7 * DAY, to + 7 * DAY)) {
    const instance = withException(e, raw);
    if (instance.startUtc < to && instance.endUtc > from) out.push(instance);
  }
  return out;
}

/** The occurrence on `date` (yyyy-mm-dd) if the series has one there and it was not deleted. */
export function occurrenceOn(e: StoredEvent, date: string): Instance | undefined {
  const day = Date.parse(`${date}T00:00:00Z`);
  const raw = seriesDates(e, day - DAY, day + 2 * DAY).find((i) => i.occurrence === date);
  return raw && withException(e, raw);
}

function withException(e: StoredEvent, raw: Instance): Instance {
  const ex = e.exceptions.get(raw.occurrence!);
  if (!ex) return raw;
  const startUtc = ex.fields.start ? toUtc(ex.fields.start.dateTime, ianaZone(ex.fields.start.timeZone))! : raw.startUtc;
  const endUtc = ex.fields.end ? toUtc(ex.fields.end.dateTime, ianaZone(ex.fields.end.timeZone))! : raw.endUtc;
  return { ...raw, startUtc, endUtc, exception: ex };
}

/**
 * The series' dates by its pattern, at their original times, overlapping [from, to): daily every
 * n days, weekly every n weeks on the listed days, from `range.startDate` to `endDate` /
 * `numberOfOccurrences` / the window (noEnd). An occurrence keeps the master's local time of day
 * in the master's zone, so DST is honoured.
 */
function seriesDates(e: StoredEvent, from: number, to: number): Instance[] {
  const r = e.recurrence!;
  const zone = ianaZone(e.start.timeZone);
  const { startUtc, endUtc } = eventSpan(e);
  const duration = endUtc - startUtc;
  const time = e.start.dateTime.slice(10);
  const first = Date.parse(`${r.range.startDate}T00:00:00Z`);
  const last = r.range.type === 'endDate' ? Date.parse(`${r.range.endDate}T00:00:00Z`) : Infinity;
  const max = r.range.type === 'numbered' ? r.range.numberOfOccurrences : Infinity;
  const weekStart = first - ((new Date(first).getUTCDay() - WEEKDAYS.indexOf(r.pattern.firstDayOfWeek) + 7) % 7) * DAY;
  const out: Instance[] = [];
  let count = 0;
  for (let day = first; day <= last && count < max; day += DAY) {
    const dayIndex = Math.round((day - first) / DAY);
    const hit =
      r.pattern.type === 'daily'
        ? dayIndex % r.pattern.interval === 0
        : r.pattern.daysOfWeek.includes(WEEKDAYS[new Date(day).getUTCDay()]!) && Math.floor((day - weekStart) / (7 * DAY)) % r.pattern.interval === 0;
    if (!hit) continue;
    count += 1;
    const date = new Date(day).toISOString().slice(0, 10);
    const s = toUtc(`${date}${time}`, zone)!;
    if (s >= to) break;
    if (e.cancelledDates.has(date) || s + duration <= from) continue;
    out.push({ event: e, occurrence: date, startUtc: s, endUtc: s + duration });
  }
  return out;
}

export class CalendarStore {
  private readonly events = new Map<string, StoredEvent>();
  private readonly restIndex = new Map<string, string>();
  /** Per mailbox, in creation order: a mailbox's calendar is read without scanning every mailbox's events. */
  private readonly byMailbox = new Map<string, Map<string, StoredEvent>>();
  /** `mailbox \n transactionId` of live events, for POST dedupe. */
  private readonly byTransaction = new Map<string, StoredEvent>();
  private readonly tombstones = new Map<string, Tombstone[]>();
  private readonly deltaStates = new Map<string, DeltaState>();
  private readonly deltaPages = new Map<string, DeltaPages>();
  private seq = 0;
  readonly invitations: Invitation[] = [];
  /**
   * Told of every change a user or a client makes to a mailbox's events, after it is stored: the
   * change notifications hang here (subscriptions.ts). `changeType` as Graph names it.
   */
  readonly changeListeners = new Set<(mailboxId: string, eventId: string, changeType: 'created' | 'updated' | 'deleted') => void>();

  private changed(mailboxId: string, eventId: string, changeType: 'created' | 'updated' | 'deleted'): void {
    for (const listener of this.changeListeners) listener(mailboxId, eventId, changeType);
  }

  constructor(readonly clock: SimClock) {}

  /** By immutable or REST id (Graph accepts both); an id from before a move no longer resolves. */
  find(mailboxId: string, id: string): StoredEvent | undefined {
    const e = this.events.get(id) ?? this.events.get(this.restIndex.get(id) ?? '');
    return e && e.mailboxId === mailboxId ? e : undefined;
  }

  findByTransactionId(mailboxId: string, transactionId: string): StoredEvent | undefined {
    return this.byTransaction.get(`${mailboxId}\n${transactionId}`);
  }

  list(mailboxId: string): StoredEvent[] {
    return [...(this.byMailbox.get(mailboxId)?.values() ?? [])];
  }

  create(mailboxId: string, fields: EventFields, transactionId: string | null): StoredEvent {
    const now = this.clock.now();
    const e: StoredEvent = {
      ...fields,
      mailboxId,
      immutableId: outlookId('AAkALg'),
      restId: outlookId('AAMkAG'),
      transactionId,
      iCalUId: `040000008200E00074C5B7101A82E008${randomUUID().replace(/-/g, '').toUpperCase()}`,
      createdMs: now,
      modifiedMs: now,
      changeKey: newChangeKey(),
      seq: ++this.seq,
      cancelledDates: new Set(),
      exceptions: new Map(),
      organizer: null,
      isCancelled: false,
    };
    this.events.set(e.immutableId, e);
    this.restIndex.set(e.restId, e.immutableId);
    let calendar = this.byMailbox.get(mailboxId);
    if (!calendar) this.byMailbox.set(mailboxId, (calendar = new Map()));
    calendar.set(e.immutableId, e);
    if (transactionId !== null) this.byTransaction.set(`${mailboxId}\n${transactionId}`, e);
    this.changed(mailboxId, e.immutableId, 'created');
    return e;
  }

  /** A meeting someone else organizes lands in the user's calendar (an invitation they received). */
  receive(mailboxId: string, fields: EventFields, organizer: { name: string; address: string }): StoredEvent {
    const e = this.create(mailboxId, fields, null);
    e.organizer = { ...organizer };
    return e;
  }

  /**
   * The organizer cancels a meeting the user received: the user's copy is marked `isCancelled`
   * and, as Exchange renames it, its subject starts with "Canceled: " (an update, for delta too).
   * Only someone else's meeting can be cancelled this way: the user's own is cancelled with
   * `POST /events/{id}/cancel`, which removes it from their calendar.
   */
  cancelByOrganizer(e: StoredEvent): void {
    if (e.organizer === null) throw new Error('only a received meeting is cancelled by its organizer');
    e.isCancelled = true;
    if (!e.subject.startsWith('Canceled: ')) e.subject = `Canceled: ${e.subject}`;
    this.touch(e);
  }

  update(e: StoredEvent, fields: Partial<EventFields>): void {
    Object.assign(e, fields);
    this.touch(e);
  }

  private touch(e: StoredEvent): void {
    e.modifiedMs = this.clock.now();
    e.changeKey = newChangeKey();
    e.seq = ++this.seq;
    this.changed(e.mailboxId, e.immutableId, 'updated');
  }

  cancelOccurrence(e: StoredEvent, date: string): void {
    e.cancelledDates.add(date);
    e.exceptions.delete(date);
    e.seq = ++this.seq;
    this.changed(e.mailboxId, e.immutableId, 'updated');
  }

  /** Editing one occurrence makes it an exception; the series' own changeKey stays (only the series' sequence moves, for delta). */
  updateOccurrence(e: StoredEvent, date: string, fields: Partial<EventFields>): void {
    const previous = e.exceptions.get(date)?.fields ?? {};
    e.exceptions.set(date, { fields: { ...previous, ...fields }, changeKey: newChangeKey(), modifiedMs: this.clock.now() });
    e.seq = ++this.seq;
    this.changed(e.mailboxId, e.immutableId, 'updated');
  }

  delete(e: StoredEvent): void {
    this.events.delete(e.immutableId);
    this.restIndex.delete(e.restId);
    this.byMailbox.get(e.mailboxId)?.delete(e.immutableId);
    if (e.transactionId !== null && this.byTransaction.get(`${e.mailboxId}\n${e.transactionId}`) === e) this.byTransaction.delete(`${e.mailboxId}\n${e.transactionId}`);
    let graves = this.tombstones.get(e.mailboxId);
    if (!graves) this.tombstones.set(e.mailboxId, (graves = []));
    graves.push({ mailboxId: e.mailboxId, immutableId: e.immutableId, restId: e.restId, seq: ++this.seq });
    this.changed(e.mailboxId, e.immutableId, 'deleted');
  }

  /** A user moving the item to another folder and back: a new REST id, the same immutable id. */
  move(e: StoredEvent): void {
    this.restIndex.delete(e.restId);
    e.restId = outlookId('AAMkAG');
    this.restIndex.set(e.restId, e.immutableId);
  }

  /** Instances overlapping [from, to), in start order. */
  instances(mailboxId: string, from: number, to: number): Instance[] {
    const out: Instance[] = [];
    for (const e of this.list(mailboxId)) {
      if (e.recurrence) out.push(...occurrences(e, from, to));
      else {
        const { startUtc, endUtc } = eventSpan(e);
        // A zero-length event at the window start still counts as in it.
        if (startUtc < to && (endUtc > from || (endUtc === startUtc && startUtc >= from))) out.push({ event: e, occurrence: null, startUtc, endUtc });
      }
    }
    return out.sort((a, b) => a.startUtc - b.startUtc || a.event.immutableId.localeCompare(b.event.immutableId));
  }

  /** Events (and deletes) written after `seq`, for delta's out-of-window `@removed`. */
  changedSince(mailboxId: string, seq: number): { events: StoredEvent[]; deleted: Tombstone[] } {
    return {
      events: this.list(mailboxId).filter((e) => e.seq > seq),
      deleted: (this.tombstones.get(mailboxId) ?? []).filter((t) => t.seq > seq),
    };
  }

  get currentSeq(): number {
    return this.seq;
  }

  saveDeltaState(state: DeltaState): string {
    return remember(this.deltaStates, state);
  }

  deltaState(id: string): DeltaState | undefined {
    return this.deltaStates.get(id);
  }

  saveDeltaPages(pages: DeltaPages): string {
    return remember(this.deltaPages, pages);
  }

  deltaPageSet(id: string): DeltaPages | undefined {
    return this.deltaPages.get(id);
  }

  /** Forced expiry: every delta and page token of the mailbox (or all) stops working. */
  expireDeltaTokens(mailboxId?: string): number {
    let n = 0;
    for (const map of [this.deltaStates, this.deltaPages] as Map<string, { mailboxId: string }>[]) {
      for (const [id, s] of map) {
        if (!mailboxId || s.mailboxId === mailboxId) {
          map.delete(id);
          n += 1;
        }
      }
    }
    return n;
  }

  reset(): void {
    this.events.clear();
    this.restIndex.clear();
    this.byMailbox.clear();
    this.byTransaction.clear();
    this.tombstones.clear();
    this.deltaStates.clear();
    this.deltaPages.clear();
    this.invitations.length = 0;
    this.clock.reset();
  }
}

/** What delta compares to decide an instance changed: the series' changeKey and the exception's. */
export function instanceVersion(i: Instance): string {
  return i.exception ? `${i.event.changeKey}|${i.exception.changeKey}` : i.event.changeKey;
}

/** The fields an instance shows: the series' with an exception's edits on top. */
export function instanceFields(i: Instance): EventFields {
  return i.exception ? { ...i.event, ...i.exception.fields } : i.event;
}

/** Local form of an instant for output: in the asked zone, or the floating date of an all-day event. */
export function outputTime(local: { dateTime: string }, utc: number, isAllDay: boolean, zone: string, zoneName: string) {
  return { dateTime: isAllDay ? `${local.dateTime.slice(0, 19)}.0000000` : fromUtc(utc, zone), timeZone: zoneName };
}
