import { DateTime } from 'luxon';
import type { GraphEvent, GraphEventWrite, SoAppointment, SoAppointmentWrite } from '../../../../backend/sync/diary/ports.js';

/** The tenant's zone in these tests: Norway, with DST changes on 2026-03-29 and 2026-10-25. */
export const OSLO = 'Europe/Oslo';

/** An instant or a Graph local time as the user sees it on a clock in Oslo: `2026-03-30 09:00`. */
export function osloClock(instant: string): string {
  return DateTime.fromISO(instant, { zone: 'UTC' }).setZone(OSLO).toFormat('yyyy-MM-dd HH:mm');
}

/** A Graph `dateTimeTimeZone` as a clock in Oslo shows it. */
export function osloClockOf(t: { dateTime: string; timeZone: string }): string {
  const zone = t.timeZone === 'UTC' ? 'UTC' : t.timeZone;
  return DateTime.fromISO(t.dateTime, { zone }).setZone(OSLO).toFormat('yyyy-MM-dd HH:mm');
}

/** 09:00 wall-clock time in Oslo on `date` as a UTC instant with `Z`, as SuperOffice answers with `SO-TimeZone: UTC`. */
export function osloInstant(date: string, time: string): string {
  return DateTime.fromISO(`${date}T${time}`, { zone: OSLO }).toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'");
}

export function soAppointment(over: Partial<SoAppointment> = {}): SoAppointment {
  return {
    id: 4711,
    associateId: 5,
    type: 'inDiary',
    motherId: 0,
    recurrenceRuleId: 0,
    start: '2026-12-03T08:00:00Z',
    end: '2026-12-03T09:00:00Z',
    allDay: false,
    title: 'Customer review',
    description: '',
    location: 'Room Fjord',
    free: false,
    private: false,
    completed: false,
    ownedExternally: 'None',
    participants: [],
    updatedAt: '2026-12-01T10:00:00Z',
    ...over,
  };
}

export function graphEvent(over: Partial<GraphEvent> = {}): GraphEvent {
  return {
    id: 'AAMkAD-immutable-1',
    changeKey: 'ck1',
    type: 'singleInstance',
    seriesMasterId: null,
    subject: 'Customer review',
    bodyText: '',
    start: { dateTime: '2026-12-03T08:00:00.0000000', timeZone: 'UTC' },
    end: { dateTime: '2026-12-03T09:00:00.0000000', timeZone: 'UTC' },
    isAllDay: false,
    location: 'Room Fjord',
    showAs: 'busy',
    sensitivity: 'normal',
    isCancelled: false,
    isOrganizer: true,
    createdDateTime: '2026-12-01T10:00:00Z',
    lastModifiedDateTime: '2026-12-01T10:00:00Z',
    ...over,
  };
}

/**
 * The event Graph stores for a write, read back with `Prefer: outlook.timezone="UTC"`: timed
 * times converted to UTC with seven fraction digits; all-day events keep their midnights, labelled
 * UTC (Graph docs: resources/event isAllDay; as the Graph simulator answers).
 */
export function graphEcho(w: GraphEventWrite, over: Partial<GraphEvent> = {}): GraphEvent {
  const time = (t: { dateTime: string; timeZone: string }) =>
    w.isAllDay
      ? { dateTime: `${t.dateTime.slice(0, 19)}.0000000`, timeZone: 'UTC' }
      : { dateTime: `${DateTime.fromISO(t.dateTime, { zone: t.timeZone }).toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss")}.0000000`, timeZone: 'UTC' };
  return graphEvent({
    subject: w.subject,
    bodyText: w.body.content,
    start: time(w.start),
    end: time(w.end),
    isAllDay: w.isAllDay,
    location: w.location.displayName,
    showAs: w.showAs,
    sensitivity: w.sensitivity,
    ...over,
  });
}

/** The appointment SuperOffice holds after a write, read back with `SO-TimeZone: UTC,includeTZOffset`. */
export function soEcho(w: SoAppointmentWrite, over: Partial<SoAppointment> = {}): SoAppointment {
  const utc = (v: string) => DateTime.fromISO(v, { zone: 'UTC' }).toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'");
  return soAppointment({
    associateId: w.associateId,
    start: utc(w.start),
    end: utc(w.end),
    allDay: w.allDay,
    title: w.title,
    description: w.description,
    location: w.location,
    free: w.free,
    private: w.private,
    ...over,
  });
}
