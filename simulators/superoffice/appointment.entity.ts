import { asBody, field, intField, stringField, type LooseBody } from './body.js';
import { SoError } from './errors.js';
import {
  APPOINTMENT_TYPES,
  COMPLETED_VALUES,
  PRIVATE_VALUES,
  type AppointmentFields,
  type AppointmentType,
  type Participant,
  type RecurrenceRule,
  type StoredAppointment,
  type AppointmentStore,
} from './appointment.store.js';
import { formatEntityDate, parseDate, type DateStyle } from './appointment.time.js';
import type { TenantState } from './sim.types.js';

function bad(message: string): SoError {
  return new SoError(400, 'ArgumentException', message);
}

/** An enum as Json.NET binds it: its name (any case) or its number. */
function enumField<T extends string>(body: LooseBody, name: string, values: readonly T[], numbers: Record<string, number> | null, fallback: T): T {
  const value = field(body, name);
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') {
    const found = values.find((v) => v.toLowerCase() === value.toLowerCase());
    if (found) return found;
  }
  if (typeof value === 'number' && numbers) {
    const found = values.find((v) => numbers[v] === value);
    if (found) return found;
  }
  if (typeof value === 'number' && !numbers && values[value]) return values[value]!;
  throw bad(`${name}: '${String(value)}' is not a valid value (${values.join(', ')}).`);
}

function boolField(body: LooseBody, name: string): boolean {
  const value = field(body, name);
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw bad(`${name} must be true or false.`);
  return value;
}

/** The id inside a linked carrier (`"Contact": {"ContactId": 2}`); null or absent is 0. */
function linkId(body: LooseBody, carrier: string, idName: string): number {
  const value = field(body, carrier);
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'object' || Array.isArray(value)) throw bad(`${carrier} must be an object with ${idName}.`);
  const id = intField(asBody(value), idName, 0);
  if (id < 0) throw bad(`${carrier}.${idName} must not be negative.`);
  return id;
}

function parseParticipants(body: LooseBody, tenant: TenantState): Participant[] {
  const value = field(body, 'Participants');
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw bad('Participants must be an array.');
  return value.map((item, i) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw bad(`Participants[${i}] must be an object.`);
    const p = asBody(item);
    const participant: Participant = {
      associateId: intField(p, 'AssociateId', 0),
      personId: intField(p, 'PersonId', 0),
      contactId: intField(p, 'ContactId', 0),
      emailId: intField(p, 'EmailId', 0),
      sendEmail: boolField(p, 'SendEmail'),
    };
    if (participant.associateId === 0 && participant.personId === 0) throw bad(`Participants[${i}] needs an AssociateId or a PersonId.`);
    if (participant.associateId !== 0 && !tenant.associates.has(participant.associateId)) throw bad(`Participants[${i}]: associate ${participant.associateId} does not exist.`);
    return participant;
  });
}

/** Occurrences are materialised up to this many, a guard against an endless series [INF]. */
const MAX_OCCURRENCES = 500;
const DAY = 86_400_000;

/**
 * `RecurrenceInfo` (AppointmentEntity docs): `IsRecurrence`, `Pattern`, `DayPattern`/`WeekPattern`
 * `Cycle`, `RecurrenceEndType` `Counter` (with `RecurrenceCounter`) or `EndDate`. Only Daily and
 * Weekly (same weekday) are modelled; other patterns are refused rather than guessed.
 */
function parseRecurrence(body: LooseBody, start: number, zone: string): Omit<RecurrenceRule, 'recurrenceRuleId'> | undefined {
  const value = field(body, 'Recurrence');
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw bad('Recurrence must be an object.');
  const r = asBody(value);
  if (!boolField(r, 'IsRecurrence')) return undefined;
  const pattern = enumField(r, 'Pattern', ['Daily', 'Weekly'] as const, null, 'Daily');
  const sub = asBody(field(r, pattern === 'Daily' ? 'DayPattern' : 'WeekPattern'));
  const cycle = intField(sub, 'Cycle', 1);
  if (cycle < 1) throw bad('Recurrence cycle must be at least 1.');
  const endType = enumField(r, 'RecurrenceEndType', ['Counter', 'EndDate'] as const, null, 'Counter');
  const step = (pattern === 'Daily' ? 1 : 7) * cycle * DAY;
  const starts: number[] = [];
  if (endType === 'Counter') {
    const count = intField(r, 'RecurrenceCounter', 0);
    if (count < 1 || count > MAX_OCCURRENCES) throw bad(`RecurrenceCounter must be between 1 and ${MAX_OCCURRENCES}.`);
    for (let i = 0; i < count; i++) starts.push(start + i * step);
  } else {
    const endDate = parseDate(stringField(r, 'EndDate'), zone, 'Recurrence.EndDate');
    if (endDate === null || endDate < start) throw bad('Recurrence.EndDate must be on or after StartDate.');
    for (let t = start; t <= endDate + DAY - 1; t += step) {
      starts.push(t);
      if (starts.length > MAX_OCCURRENCES) throw bad(`A series may have at most ${MAX_OCCURRENCES} occurrences.`);
    }
  }
  return { pattern, cycle, starts };
}

export interface ParsedAppointment {
  fields: AppointmentFields;
  recurrence?: Omit<RecurrenceRule, 'recurrenceRuleId'>;
}

/**
 * An `AppointmentEntity` body (REST `POST/PUT /api/v1/Appointment`). PUT replaces the entity: a
 * field left out takes its default, as a full-entity PUT does. Unknown properties are ignored (as
 * Json.NET binds), read-only ones (ids, audit) too. StartDate, EndDate and Associate are required
 * [INF: the stricter reading; the service would fill defaults].
 */
export function parseAppointment(raw: unknown, tenant: TenantState, style: DateStyle): ParsedAppointment {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new SoError(400, 'SerializationException', 'The request body must be an AppointmentEntity object.');
  const body = asBody(raw);
  const zone = style.utc ? 'UTC' : style.timeZone;
  const startText = stringField(body, 'StartDate');
  const endText = stringField(body, 'EndDate');
  if (!startText || !endText) throw bad('StartDate and EndDate are required.');
  const start = parseDate(startText, zone, 'StartDate');
  const end = parseDate(endText, zone, 'EndDate');
  if (start === null || end === null) throw bad('StartDate and EndDate are required.');
  if (end < start) throw bad('EndDate must not be before StartDate.');
  const associateId = linkId(body, 'Associate', 'AssociateId');
  const owner = tenant.associates.get(associateId);
  if (!owner) throw bad(`Associate ${associateId} does not exist; every appointment needs an owner (Associate.AssociateId).`);
  const types = Object.keys(APPOINTMENT_TYPES) as AppointmentType[];
  const fields: AppointmentFields = {
    associateId,
    contactId: linkId(body, 'Contact', 'ContactId'),
    personId: linkId(body, 'Person', 'PersonId'),
    start,
    end,
    type: enumField(body, 'Type', types, APPOINTMENT_TYPES, 'inDiary'),
    title: stringField(body, 'Title'),
    description: stringField(body, 'Description'),
    location: stringField(body, 'Location'),
    isAllDay: boolField(body, 'IsAlldayEvent'),
    isFree: boolField(body, 'IsFree'),
    alarmLeadMinutes: parseAlarm(body),
    private: enumField(body, 'Private', PRIVATE_VALUES, null, 'Public'),
    completed: enumField(body, 'Completed', Object.keys(COMPLETED_VALUES) as (keyof typeof COMPLETED_VALUES)[], null, 'NotStarted'),
    participants: parseParticipants(body, tenant),
  };
  if (fields.title.length > 240) throw bad('Title may be at most 240 characters.');
  return { fields, recurrence: parseRecurrence(body, start, zone) };
}

/**
 * The alarm: `HasAlarm` (bool) and `AlarmLeadTime` (string, "Alarm lead time": AppointmentEntity
 * docs), a .NET TimeSpan `[d.]hh:mm:ss` before the start. The stricter reading: a lead time that
 * is not a TimeSpan, or negative, is refused; an alarm without one rings at the start.
 */
const LEAD_TIME = /^(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

function parseAlarm(body: LooseBody): number | null {
  if (!boolField(body, 'HasAlarm')) return null;
  const value = field(body, 'AlarmLeadTime');
  if (value === undefined || value === null || value === '') return 0;
  const m = typeof value === 'string' ? LEAD_TIME.exec(value.trim()) : null;
  if (!m || Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4] ?? 0) > 59) throw bad(`AlarmLeadTime: '${String(value)}' is not a lead time ([d.]hh:mm:ss).`);
  return Number(m[1] ?? 0) * 1440 + Number(m[2]) * 60 + Number(m[3]);
}

function formatLeadTime(minutes: number): string {
  const d = Math.floor(minutes / 1440);
  const hh = String(Math.floor((minutes % 1440) / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${d > 0 ? `${d}.` : ''}${hh}:${mm}:00`;
}

function associateCarrier(tenant: TenantState, id: number): Record<string, unknown> | null {
  const a = tenant.associates.get(id);
  if (!a) return null;
  return { AssociateId: a.associateId, Name: a.assocName, FullName: a.fullName, PersonId: a.personId, ContactId: a.contactId, Type: 'Employee' };
}

/**
 * `AppointmentEntity` as `GET /api/v1/Appointment/{id}` returns it (AppointmentEntity docs; the
 * package's `__tests__/Appointment63.json`): links as carriers, dates per `SO-TimeZone`, one
 * participant list shared by the booking's rows, `Recurrence` with `IsRecurrence` and the rule id.
 */
export function renderAppointment(row: StoredAppointment, tenant: TenantState, store: AppointmentStore, style: DateStyle, selfUrl: string): Record<string, unknown> {
  const rule = row.recurrenceRuleId ? store.rules.get(row.recurrenceRuleId) : undefined;
  const master = row.motherId && row.motherId !== row.appointmentId ? store.get(row.motherId) : row;
  return {
    AppointmentId: row.appointmentId,
    Description: row.description,
    Title: row.title,
    Location: row.location,
    StartDate: formatEntityDate(row.start, style),
    EndDate: formatEntityDate(row.end, style),
    ActiveDate: formatEntityDate(row.start, style),
    CreatedDate: formatEntityDate(row.created, style),
    UpdatedDate: formatEntityDate(row.updated, style),
    CreatedBy: associateCarrier(tenant, row.createdBy),
    UpdatedBy: associateCarrier(tenant, row.updatedBy),
    Associate: associateCarrier(tenant, row.associateId),
    Contact: row.contactId ? { ContactId: row.contactId } : null,
    Person: row.personId ? { PersonId: row.personId } : null,
    Type: row.type,
    Private: row.private,
    Completed: row.completed,
    IsAlldayEvent: row.isAllDay,
    IsFree: row.isFree,
    HasAlarm: row.alarmLeadMinutes != null,
    AlarmLeadTime: formatLeadTime(row.alarmLeadMinutes ?? 0),
    MotherId: row.motherId,
    // One list for the whole booking, each invitee with their own status [INF: status names].
    Participants: (master ?? row).participants.map((p) => ({
      AssociateId: p.associateId,
      PersonId: p.personId,
      ContactId: p.contactId,
      EmailId: p.emailId,
      SendEmail: p.sendEmail,
      InvitationStatus: p.associateId === (master ?? row).associateId ? 'Accepted' : 'Invitation',
    })),
    Recurrence: rule
      ? {
          RecurrenceId: rule.recurrenceRuleId,
          IsRecurrence: true,
          Pattern: rule.pattern,
          RecurrenceEndType: 'Counter',
          RecurrenceCounter: rule.starts.length,
          StartDate: formatEntityDate(rule.starts[0] ?? row.start, style),
          EndDate: formatEntityDate(rule.starts.at(-1) ?? row.start, style),
        }
      : { RecurrenceId: 0, IsRecurrence: false },
    _Links: { Self: selfUrl },
  };
}
