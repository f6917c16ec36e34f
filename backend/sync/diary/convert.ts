import type { DiaryFields, GraphEvent, GraphEventWrite, SoAppointment, SoAppointmentWrite } from './ports.js';
import { normaliseBody, normaliseLine, SO_LOCATION_MAX, SO_TITLE_MAX, stripParticipants, truncate, withParticipants } from './text.js';
import { eventDate, ianaZone, instantDate, midnightInstant, nextDate, toInstant } from './time.js';

/**
 * SuperOffice appointments and Outlook events ⇄ the canonical diary fields.
 *
 * All-day items. SuperOffice keeps an all-day appointment as `IsAlldayEvent` with `StartDate` at
 * midnight of its first day and `EndDate` at midnight after its last day in the tenant's zone
 * (the desktop client also writes 23:59 of the last day; both read as the same dates). Graph keeps
 * them at midnight to midnight in the event's own zone, and answers with those midnights even
 * when asked for UTC (`Prefer: outlook.timezone="UTC"`); a midnight converted to another zone is
 * read back to the date in the tenant's zone.
 */

const NOT_FREE = new Set(['tentative', 'busy']);

type Time = Pick<DiaryFields, 'start' | 'end' | 'allDay'>;
const timed = (start: string, end: string): Time => ({ start, end, allDay: false });
/** An all-day item lasts at least its first day. */
const allDay = (start: string, end: string): Time => ({ start, end: end > start ? end : nextDate(start), allDay: true });

function text(subject: string, location: string, body: string): Pick<DiaryFields, 'subject' | 'location' | 'body'> {
  return { subject: normaliseLine(subject), location: normaliseLine(location), body: stripParticipants(body) };
}

/** The canonical fields of a SuperOffice appointment (read with `SO-TimeZone: UTC`); `zone` is the tenant's. */
export function fromSuperOffice(a: SoAppointment, zone: string): DiaryFields {
  const time = a.allDay ? allDay(instantDate(a.start, zone), instantDate(a.end, zone)) : timed(toInstant(a.start), toInstant(a.end));
  return {
    ...time,
    ...text(a.title, a.location, a.description),
    // An invitation not accepted yet is tentative in the invitee's diary; SuperOffice has no other "tentative".
    showAs: a.free ? 'free' : a.type === 'BookingForDiary' ? 'tentative' : 'busy',
    private: a.private,
  };
}

/** The canonical fields of an event; `zone` (the tenant's) places all-day events given as instants. */
export function fromOutlook(e: GraphEvent, zone: string): DiaryFields {
  const { start, end } = e;
  const time = e.isAllDay
    ? allDay(eventDate(start.dateTime, start.timeZone, zone), eventDate(end.dateTime, end.timeZone, zone))
    : timed(toInstant(start.dateTime, start.timeZone), toInstant(end.dateTime, end.timeZone));
  return {
    ...time,
    ...text(e.subject, e.location, e.bodyText),
    // oof, workingElsewhere and unknown block the time as busy does; SuperOffice knows only free and busy.
    showAs: e.showAs === 'free' ? 'free' : e.showAs === 'tentative' ? 'tentative' : 'busy',
    private: e.sensitivity === 'private' || e.sensitivity === 'confidential' || e.sensitivity === 'personal',
  };
}

/** An appointment in `associateId`'s diary with these fields; title and location cut to SuperOffice's limits. */
export function toSuperOfficeWrite(f: DiaryFields, associateId: number, zone: string): SoAppointmentWrite {
  return {
    associateId,
    start: f.allDay ? midnightInstant(f.start, zone) : f.start,
    end: f.allDay ? midnightInstant(f.end, zone) : f.end,
    allDay: f.allDay,
    title: truncate(f.subject, SO_TITLE_MAX),
    description: f.body,
    location: truncate(f.location, SO_LOCATION_MAX),
    free: f.showAs === 'free',
    private: f.private,
  };
}

/**
 * The fields as SuperOffice holds them once `toSuperOfficeWrite(f)` is saved: title and location
 * truncated, and tentative stored as busy (a write sets only `IsFree`). The engine's per-side hash
 * of SuperOffice is `hashFields(fromSuperOffice(row))`, which equals `hashFields(superOfficeView(f))`
 * after writing f; the merge compares SuperOffice's values through this view, so a title cut to
 * 240 characters, or a tentative that SuperOffice shows as busy, is "what SuperOffice has" and
 * never reads as a user's edit.
 */
export function superOfficeView(f: DiaryFields): DiaryFields {
  return {
    ...f,
    subject: truncate(f.subject, SO_TITLE_MAX),
    location: truncate(f.location, SO_LOCATION_MAX),
    showAs: NOT_FREE.has(f.showAs) ? 'busy' : f.showAs,
  };
}

/**
 * The event for these fields, never with attendees: the booking's participants go into the body
 * as a block that `fromOutlook` strips again. Timed events are written in UTC; all-day events at
 * midnight in the tenant's zone (Graph accepts IANA names).
 */
export function toOutlookWrite(f: DiaryFields, zone: string, participants: SoAppointment['participants']): GraphEventWrite {
  const time = (v: string) =>
    f.allDay ? { dateTime: `${v}T00:00:00`, timeZone: ianaZone(zone) } : { dateTime: v.replace(/Z$/, ''), timeZone: 'UTC' };
  return {
    subject: f.subject,
    body: { contentType: 'text', content: withParticipants(normaliseBody(f.body), participants) },
    start: time(f.start),
    end: time(f.end),
    isAllDay: f.allDay,
    location: { displayName: f.location },
    showAs: f.showAs,
    sensitivity: f.private ? 'private' : 'normal',
  };
}
