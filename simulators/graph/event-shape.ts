import type { EventFields, ExtendedProperty, Instance, Recurrence, StoredEvent } from './calendar-store.js';
import { eventSpan, instanceFields, outputTime } from './calendar-store.js';
import { ianaZone, isMidnight, toUtc } from './event-time.js';
import { GraphError } from './graph-errors.js';

/**
 * The event resource (Graph docs: resources/event): which properties a POST/PATCH may carry, their
 * enums, and the JSON Graph answers. Unknown properties and bad enum literals are refused the way
 * OData refuses them (`RequestBodyRead`); read-only properties are ignored, as Outlook ignores them.
 */
const bad = (code: string, message: string) => new GraphError(400, code, message);
const bodyRead = (message: string) => bad('RequestBodyRead', message);

const SHOW_AS = ['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown'];
const SENSITIVITY = ['normal', 'personal', 'private', 'confidential'];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const WRITABLE = new Set([
  'subject', 'body', 'start', 'end', 'isAllDay', 'location', 'showAs', 'sensitivity', 'categories', 'isReminderOn',
  'recurrence', 'attendees', 'singleValueExtendedProperties', 'transactionId',
]);
const READ_ONLY = new Set([
  '@odata.type', '@odata.etag', 'id', 'createdDateTime', 'lastModifiedDateTime', 'changeKey', 'iCalUId', 'type', 'seriesMasterId',
  'originalStartTimeZone', 'originalEndTimeZone', 'bodyPreview', 'isOrganizer', 'isCancelled', 'organizer', 'webLink',
]);

/**
 * Extended property ids: `{type} {guid} Name {name}` or `{type} {guid} Id 0x…` (Graph docs:
 * resources/extended-properties-overview). Type and GUID match ignoring case; the name is
 * case-sensitive (api/singlevaluelegacyextendedproperty-get).
 */
const PROPERTY_ID = /^(Binary|Boolean|Currency|CLSID|Double|Float|Integer|Long|Object|Short|String|SystemTime) \{([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\} (Name \S.*|Id 0x[0-9a-f]{1,4})$/i;

export function propertyKey(id: string): string | null {
  const m = PROPERTY_ID.exec(id.trim());
  if (!m) return null;
  const tail = m[3]!.startsWith('Name ') || m[3]!.startsWith('name ') ? `Name ${m[3]!.slice(5)}` : m[3]!.toLowerCase();
  return `${m[1]!.toLowerCase()} ${m[2]!.toLowerCase()} ${tail}`;
}

export function invalidPropertyId(id: string): GraphError {
  return bad('ErrorInvalidExtendedPropertyValue', `The extended property id '${id}' is not valid. Use '{type} {guid} Name {name}' or '{type} {guid} Id {propid}'.`);
}

/** An OData string literal's text (`''` is one quote). */
export const unquote = (s: string) => s.replace(/''/g, "'");

/**
 * `$expand=singleValueExtendedProperties($filter=id eq '…' [or id eq '…'])` on `resource`
 * (events, contacts): the property keys asked for. The only way to read a property; they cannot
 * be listed wholesale (api/singlevaluelegacyextendedproperty-get).
 */
export function parseExpandedProperties(raw: string | null, resource: string): string[] | null {
  if (raw === null) return null;
  const m = /^singleValueExtendedProperties\(\$filter=(.*)\)$/i.exec(raw.trim());
  if (!m) throw bad('ErrorInvalidUrlQuery', `Only $expand=singleValueExtendedProperties($filter=id eq '…') is supported on ${resource} here; extended properties cannot be listed without a filter.`);
  return m[1]!.split(/\s+or\s+/i).map((clause) => {
    const c = /^id\s+eq\s+'((?:[^']|'')*)'$/i.exec(clause.trim());
    const key = c ? propertyKey(unquote(c[1]!)) : null;
    if (!key) throw c ? invalidPropertyId(unquote(c[1]!)) : bad('ErrorInvalidUrlQuery', `Invalid $expand filter clause: ${clause}`);
    return key;
  });
}

const str = (v: unknown, name: string): string => {
  if (typeof v !== 'string') throw bodyRead(`Cannot convert the value of '${name}' to the expected type 'Edm.String'.`);
  return v;
};

function enumValue(v: unknown, allowed: string[], type: string): string {
  const s = typeof v === 'string' ? allowed.find((a) => a.toLowerCase() === v.toLowerCase()) : undefined;
  if (!s) throw bodyRead(`Cannot convert the literal '${String(v)}' to the expected type 'microsoft.graph.${type}'.`);
  return s;
}

function dateTimeTimeZone(v: unknown, name: string): { dateTime: string; timeZone: string } {
  const o = v as { dateTime?: unknown; timeZone?: unknown } | null;
  if (!o || typeof o !== 'object' || typeof o.dateTime !== 'string') throw bodyRead(`The '${name}' property must be a dateTimeTimeZone with a dateTime.`);
  const timeZone = typeof o.timeZone === 'string' && o.timeZone !== '' ? o.timeZone : 'UTC';
  if (toUtc(o.dateTime, ianaZone(timeZone)) === null) throw bodyRead(`Cannot convert the literal '${o.dateTime}' to the expected type 'Edm.DateTime'.`);
  return { dateTime: o.dateTime, timeZone };
}

function recurrence(v: unknown, start: { dateTime: string; timeZone: string } | undefined): Recurrence | null {
  if (v === null) return null;
  const o = v as { pattern?: Record<string, unknown>; range?: Record<string, unknown> };
  if (!o || typeof o !== 'object' || !o.pattern || !o.range) throw bodyRead("A recurrence needs both 'pattern' and 'range'.");
  const type = enumValue(o.pattern.type, ['daily', 'weekly', 'absoluteMonthly', 'relativeMonthly', 'absoluteYearly', 'relativeYearly'], 'recurrencePatternType');
  // Monthly and yearly patterns are real Graph but not modelled here: refuse loudly, never mis-expand.
  if (type !== 'daily' && type !== 'weekly') throw new GraphError(501, 'NotImplemented', `The simulator does not model '${type}' recurrence.`);
  const interval = o.pattern.interval ?? 1;
  if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < 1) throw bad('ErrorInvalidRecurrencePattern', 'The recurrence interval must be a positive integer.');
  const daysOfWeek = Array.isArray(o.pattern.daysOfWeek) ? o.pattern.daysOfWeek.map((d) => enumValue(d, WEEKDAYS, 'dayOfWeek')) : [];
  if (type === 'weekly' && daysOfWeek.length === 0) throw bad('ErrorInvalidRecurrencePattern', 'A weekly pattern needs at least one day in daysOfWeek.');
  const rangeType = enumValue(o.range.type, ['endDate', 'noEnd', 'numbered'], 'recurrenceRangeType');
  const startDate = typeof o.range.startDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(o.range.startDate) ? o.range.startDate : '';
  if (!startDate) throw bad('ErrorInvalidRecurrencePattern', 'The recurrence range needs a startDate (yyyy-mm-dd).');
  if (start && start.dateTime.slice(0, 10) !== startDate) {
    throw bad('ErrorInvalidRequest', 'The recurrence range startDate must be the date of the event start.');
  }
  const endDate = typeof o.range.endDate === 'string' ? o.range.endDate : '';
  if (rangeType === 'endDate' && (!/^\d{4}-\d{2}-\d{2}$/.test(endDate) || endDate < startDate)) throw bad('ErrorInvalidRecurrencePattern', 'An endDate range needs an endDate on or after startDate.');
  const count = o.range.numberOfOccurrences ?? 0;
  if (rangeType === 'numbered' && (typeof count !== 'number' || !Number.isInteger(count) || count < 1)) throw bad('ErrorInvalidRecurrencePattern', 'A numbered range needs numberOfOccurrences ≥ 1.');
  return {
    pattern: { type, interval, daysOfWeek, firstDayOfWeek: typeof o.pattern.firstDayOfWeek === 'string' ? enumValue(o.pattern.firstDayOfWeek, WEEKDAYS, 'dayOfWeek') : 'sunday' },
    range: { type: rangeType as Recurrence['range']['type'], startDate, endDate: rangeType === 'endDate' ? endDate : '0001-01-01', numberOfOccurrences: rangeType === 'numbered' ? (count as number) : 0, recurrenceTimeZone: start?.timeZone ?? 'UTC' },
  };
}

function attendees(v: unknown): EventFields['attendees'] {
  if (!Array.isArray(v)) throw bodyRead("'attendees' must be a collection.");
  return v.map((a) => {
    const address = (a as { emailAddress?: { address?: unknown } })?.emailAddress?.address;
    if (typeof address !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(address)) throw bad('ErrorInvalidRecipients', "At least one attendee isn't valid.");
    const type = enumValue((a as { type?: unknown }).type ?? 'required', ['required', 'optional', 'resource'], 'attendeeType');
    const name = (a as { emailAddress?: { name?: unknown } }).emailAddress?.name;
    return { type, emailAddress: { ...(typeof name === 'string' ? { name } : {}), address } };
  });
}

function extended(v: unknown): ExtendedProperty[] {
  if (!Array.isArray(v)) throw bodyRead("'singleValueExtendedProperties' must be a collection.");
  return v.map((p) => {
    const o = (p ?? {}) as { id?: unknown; value?: unknown };
    if (typeof o.id !== 'string' || propertyKey(o.id) === null) throw invalidPropertyId(String(o.id));
    if (typeof o.value !== 'string') throw bodyRead('Extended property values are strings.');
    return { id: o.id, value: o.value };
  });
}

export interface ParsedWrite {
  fields: Partial<EventFields>;
  transactionId?: string;
}

/** A POST/PATCH body → the fields it sets, or Graph's 400. `current` is the event a PATCH changes. */
export function parseEventWrite(body: unknown, current?: StoredEvent): ParsedWrite {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('ErrorInvalidRequest', 'The request body must be an event object.');
  const b = body as Record<string, unknown>;
  const f: Partial<EventFields> = {};
  for (const key of Object.keys(b)) {
    if (!WRITABLE.has(key) && !READ_ONLY.has(key)) {
      throw bodyRead(`The property '${key}' does not exist on type 'microsoft.graph.event'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
    }
  }
  if ('subject' in b) f.subject = b.subject === null ? '' : str(b.subject, 'subject');
  if ('body' in b) {
    const o = b.body as { contentType?: unknown; content?: unknown } | null;
    if (!o || typeof o !== 'object') throw bodyRead("'body' must be an itemBody.");
    f.body = { contentType: enumValue(o.contentType ?? 'text', ['text', 'html'], 'bodyType') as 'text' | 'html', content: o.content == null ? '' : str(o.content, 'body.content') };
  }
  if ('start' in b) f.start = dateTimeTimeZone(b.start, 'start');
  if ('end' in b) f.end = dateTimeTimeZone(b.end, 'end');
  if ('isAllDay' in b) {
    if (typeof b.isAllDay !== 'boolean') throw bodyRead("Cannot convert the value of 'isAllDay' to the expected type 'Edm.Boolean'.");
    f.isAllDay = b.isAllDay;
  }
  if ('location' in b) {
    const o = b.location as { displayName?: unknown } | null;
    f.location = { displayName: o && typeof o === 'object' && typeof o.displayName === 'string' ? o.displayName : '' };
  }
  if ('showAs' in b) f.showAs = enumValue(b.showAs, SHOW_AS, 'freeBusyStatus');
  if ('sensitivity' in b) f.sensitivity = enumValue(b.sensitivity, SENSITIVITY, 'sensitivity');
  if ('categories' in b) {
    if (!Array.isArray(b.categories) || !b.categories.every((c) => typeof c === 'string')) throw bodyRead("'categories' must be a collection of strings.");
    f.categories = b.categories as string[];
  }
  if ('isReminderOn' in b) f.isReminderOn = b.isReminderOn === true;
  if ('attendees' in b) f.attendees = attendees(b.attendees);
  if ('singleValueExtendedProperties' in b) {
    // A PATCH adds or replaces the properties it names and keeps the others (resources/extended-properties-overview).
    const incoming = extended(b.singleValueExtendedProperties);
    const merged = new Map((current?.extended ?? []).map((p) => [propertyKey(p.id)!, p]));
    for (const p of incoming) merged.set(propertyKey(p.id)!, p);
    f.extended = [...merged.values()];
  }
  const start = f.start ?? current?.start;
  const end = f.end ?? current?.end;
  if ('recurrence' in b) f.recurrence = recurrence(b.recurrence, start);
  let transactionId: string | undefined;
  if ('transactionId' in b && b.transactionId !== null) {
    // transactionId is set on create only (resources/event: "cannot be changed after creation").
    if (current && b.transactionId !== current.transactionId) throw bad('ErrorInvalidPropertyUpdate', 'The transactionId of an event cannot be changed.');
    transactionId = str(b.transactionId, 'transactionId');
  }
  if (!start || !end) throw bad('ErrorInvalidRequest', "An event needs both 'start' and 'end'.");
  const isAllDay = f.isAllDay ?? current?.isAllDay ?? false;
  const span = eventSpan({ start, end } as EventFields);
  if (span.endUtc < span.startUtc) throw bad('ErrorInvalidRequest', 'The end time of an event must not be before its start time.');
  if (isAllDay) {
    // resources/event isAllDay: "the start and end time must be set to midnight and be in the same time zone".
    if (!isMidnight(start.dateTime) || !isMidnight(end.dateTime) || start.timeZone !== end.timeZone || span.endUtc === span.startUtc) {
      throw bad('ErrorPropertyValidationFailure', 'An all-day event must start and end at midnight, in the same time zone, at least one day apart.');
    }
  }
  return { fields: f, ...(transactionId !== undefined ? { transactionId } : {}) };
}

export function defaultFields(): EventFields {
  return {
    subject: '',
    body: { contentType: 'text', content: '' },
    start: { dateTime: '', timeZone: 'UTC' },
    end: { dateTime: '', timeZone: 'UTC' },
    isAllDay: false,
    location: { displayName: '' },
    showAs: 'busy',
    sensitivity: 'normal',
    categories: [],
    isReminderOn: true,
    recurrence: null,
    attendees: [],
    extended: [],
  };
}

export interface ViewOptions {
  immutable: boolean;
  /** IANA zone and the name the client asked for (`Prefer: outlook.timezone`), default UTC. */
  zone: string;
  zoneName: string;
  /** Extended-property keys asked for with `$expand`. */
  expand: string[] | null;
  /** `Prefer: outlook.body-content-type`: the body converted to this type. */
  bodyType?: 'text' | 'html';
}

export const OCCURRENCE_SEPARATOR = '.OCC';
export const baseId = (e: StoredEvent, immutable: boolean): string => (immutable ? e.immutableId : e.restId);
export const instanceId = (i: Instance, immutable: boolean): string =>
  i.occurrence ? `${baseId(i.event, immutable)}${OCCURRENCE_SEPARATOR}${i.occurrence.replace(/-/g, '')}` : baseId(i.event, immutable);

function bodyPreview(b: EventFields['body']): string {
  const text = b.contentType === 'html' ? b.content.replace(/<[^>]*>/g, ' ') : b.content;
  return text.replace(/\s+/g, ' ').trim().slice(0, 255);
}

/** Outlook's conversion for `Prefer: outlook.body-content-type` (tags dropped, entities decoded; text escaped into a paragraph). */
function bodyAs(b: EventFields['body'], type: 'text' | 'html' | undefined): EventFields['body'] {
  if (!type || type === b.contentType) return { ...b };
  if (type === 'html') {
    const escaped = b.content.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, '<br>');
    return { contentType: 'html', content: `<html><body><p>${escaped}</p></body></html>` };
  }
  const text = b.content
    .replace(/<(br|\/p|\/div|\/li|\/tr)\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  return { contentType: 'text', content: text.trim() };
}

/** An instance's local start and end: its own, an exception's edit, or the series' time of day on its date. */
export function instanceLocalTimes(i: Instance): { startLocal: { dateTime: string; timeZone: string }; endLocal: { dateTime: string; timeZone: string } } {
  const e = instanceFields(i);
  if (!i.occurrence || i.exception?.fields.start) return { startLocal: e.start, endLocal: e.end };
  const shift = (local: { dateTime: string; timeZone: string }) => {
    const days = Date.parse(`${local.dateTime.slice(0, 10)}T00:00:00Z`) - Date.parse(`${i.event.start.dateTime.slice(0, 10)}T00:00:00Z`);
    return { dateTime: new Date(Date.parse(`${i.occurrence}T00:00:00Z`) + days).toISOString().slice(0, 10) + local.dateTime.slice(10), timeZone: local.timeZone };
  };
  return { startLocal: shift(i.event.start), endLocal: shift(i.event.end) };
}

/** An event or occurrence as Graph returns it. */
export function eventView(i: Instance, o: ViewOptions, mailboxMail: string | null): Record<string, unknown> {
  const series = i.event;
  const e = instanceFields(i);
  const { startLocal, endLocal } = instanceLocalTimes(i);
  const changeKey = i.exception?.changeKey ?? series.changeKey;
  const view: Record<string, unknown> = {
    '@odata.etag': `W/"${changeKey}"`,
    id: instanceId(i, o.immutable),
    createdDateTime: new Date(series.createdMs).toISOString(),
    lastModifiedDateTime: new Date(i.exception?.modifiedMs ?? series.modifiedMs).toISOString(),
    changeKey,
    categories: [...e.categories],
    transactionId: i.occurrence ? null : series.transactionId,
    originalStartTimeZone: e.start.timeZone,
    originalEndTimeZone: e.end.timeZone,
    iCalUId: series.iCalUId,
    isReminderOn: e.isReminderOn,
    subject: e.subject,
    bodyPreview: bodyPreview(e.body),
    isAllDay: e.isAllDay,
    isCancelled: series.isCancelled,
    isOrganizer: series.organizer === null,
    showAs: e.showAs,
    sensitivity: e.sensitivity,
    type: i.exception ? 'exception' : i.occurrence ? 'occurrence' : series.recurrence ? 'seriesMaster' : 'singleInstance',
    seriesMasterId: i.occurrence ? baseId(series, o.immutable) : null,
    body: bodyAs(e.body, o.bodyType),
    start: outputTime(startLocal, i.startUtc, e.isAllDay, o.zone, o.zoneName),
    end: outputTime(endLocal, i.endUtc, e.isAllDay, o.zone, o.zoneName),
    location: { displayName: e.location.displayName, locationType: 'default', uniqueIdType: 'unknown' },
    recurrence: i.occurrence ? null : series.recurrence,
    attendees: e.attendees.map((a) => ({ ...a, status: { response: 'none', time: '0001-01-01T00:00:00Z' } })),
    organizer: { emailAddress: series.organizer ? { ...series.organizer } : { name: mailboxMail ?? '', address: mailboxMail ?? '' } },
  };
  if (o.expand) {
    // Only the properties asked for, and the key is absent when none matched (as Graph omits it).
    const wanted = e.extended.filter((p) => o.expand!.includes(propertyKey(p.id)!));
    if (wanted.length > 0) view.singleValueExtendedProperties = wanted.map((p) => ({ id: p.id, value: p.value }));
  }
  return view;
}
