import { SoError } from './errors.js';

/**
 * `AppointmentType` (SuperOffice docs, database/tables/enums/appointmenttype.md; the same names in
 * the @superoffice/webapi `Enums.ts`), with the `appointment.type` value the archive's `rawType` shows.
 */
export const APPOINTMENT_TYPES = {
  inDiary: 1,
  inChecklist: 2,
  Note: 3,
  Document: 4,
  BookingForDiary: 6,
  BookingForChecklist: 7,
} as const;
export type AppointmentType = keyof typeof APPOINTMENT_TYPES;

/** `AppointmentPrivate` (Enums.ts): who may see the appointment. */
export const PRIVATE_VALUES = ['Public', 'PrivateUser', 'PrivateGroup'] as const;
export type AppointmentPrivate = (typeof PRIVATE_VALUES)[number];

/** `ActivityStatus` (Enums.ts) and `appointment.status` 1-3 (database/tables/includes/appointment.md). */
export const COMPLETED_VALUES = { NotStarted: 1, Started: 2, Completed: 3 } as const;
export type ActivityStatus = keyof typeof COMPLETED_VALUES;

/** One invitee of a booking; an associate invitee has a row of their own (see `mother_id`). */
export interface Participant {
  associateId: number;
  personId: number;
  contactId: number;
  emailId: number;
  sendEmail: boolean;
}

/** What a client or a user sets on an appointment; the rest (ids, audit, booking rows) the store keeps. */
export interface AppointmentFields {
  associateId: number;
  contactId: number;
  personId: number;
  /** UTC instants; `end` may equal `start`. */
  start: number;
  end: number;
  type: AppointmentType;
  title: string;
  description: string;
  location: string;
  isAllDay: boolean;
  isFree: boolean;
  /** `HasAlarm` with `AlarmLeadTime` in minutes before the start; null or absent: no alarm. */
  alarmLeadMinutes?: number | null;
  private: AppointmentPrivate;
  completed: ActivityStatus;
  participants: Participant[];
}

export interface RecurrenceRule {
  recurrenceRuleId: number;
  pattern: 'Daily' | 'Weekly';
  /** Every `cycle` days or weeks. */
  cycle: number;
  /** Occurrence starts in UTC, first to last. */
  starts: number[];
}

export interface StoredAppointment extends AppointmentFields {
  appointmentId: number;
  /**
   * 0 for a simple appointment, its own id for a booking's master (the organizer's row), the
   * master's id for an invitee's row (database/tables/includes/appointment.md, `mother_id`).
   */
  motherId: number;
  /** 0, or the rule every occurrence row of a series points to (one row per occurrence). */
  recurrenceRuleId: number;
  createdBy: number;
  updatedBy: number;
  created: number;
  updated: number;
  /** `appointment.updatedCount`: bumped on every save. */
  updatedCount: number;
}

/** Invitees' rows are bookings until they accept (appointmenttype.md: 6 and 7 become 1 and 2). */
function bookingTypeOf(type: AppointmentType): AppointmentType {
  if (type === 'inChecklist' || type === 'BookingForChecklist') return 'BookingForChecklist';
  return 'BookingForDiary';
}

/** The appointments of one tenant: every row the `appointment` table would hold. */
export class AppointmentStore {
  private readonly rows = new Map<number, StoredAppointment>();
  /** Row ids by owner and by booking, as the table's indexes would: an associate's diary is read without scanning every row. */
  private readonly byAssociate = new Map<number, Set<number>>();
  private readonly byMother = new Map<number, Set<number>>();
  readonly rules = new Map<number, RecurrenceRule>();
  private nextId: number;
  private nextRuleId = 1;
  /**
   * Told of every row saved or removed, after the fact, with who did it: SuperOffice's
   * `activity.created|changed|deleted` webhooks hang here (webhook.store.ts).
   */
  readonly changeListeners = new Set<(row: StoredAppointment, event: 'created' | 'changed' | 'deleted', by: number) => void>();

  private changed(row: StoredAppointment, event: 'created' | 'changed' | 'deleted', by: number): void {
    for (const listener of this.changeListeners) listener(row, event, by);
  }

  constructor(firstId = 1001) {
    this.nextId = firstId;
  }

  get(id: number): StoredAppointment | undefined {
    return this.rows.get(id);
  }

  all(): StoredAppointment[] {
    return [...this.rows.values()];
  }

  /** Every row in the diaries of these associates (the archive's `associateId` restriction uses it). */
  ofAssociates(associateIds: Iterable<number>): StoredAppointment[] {
    const out: StoredAppointment[] = [];
    for (const associateId of new Set(associateIds)) {
      for (const id of this.byAssociate.get(associateId) ?? []) out.push(this.rows.get(id)!);
    }
    return out;
  }

  private index(map: Map<number, Set<number>>, key: number, id: number): void {
    let ids = map.get(key);
    if (!ids) map.set(key, (ids = new Set()));
    ids.add(id);
  }

  private unindex(map: Map<number, Set<number>>, key: number, id: number): void {
    const ids = map.get(key);
    ids?.delete(id);
    if (ids?.size === 0) map.delete(key);
  }

  private put(row: StoredAppointment): void {
    this.rows.set(row.appointmentId, row);
    this.index(this.byAssociate, row.associateId, row.appointmentId);
    if (row.motherId !== 0) this.index(this.byMother, row.motherId, row.appointmentId);
  }

  private remove(row: StoredAppointment): void {
    this.rows.delete(row.appointmentId);
    this.unindex(this.byAssociate, row.associateId, row.appointmentId);
    if (row.motherId !== 0) this.unindex(this.byMother, row.motherId, row.appointmentId);
  }

  /** The invitees' rows of a master (its own row excluded). */
  private slavesOf(masterId: number): StoredAppointment[] {
    return [...(this.byMother.get(masterId) ?? [])].filter((id) => id !== masterId).map((id) => this.rows.get(id)!);
  }

  /**
   * Saves a new appointment; an appointment with associate participants becomes a master row plus
   * one row per invited associate; a recurrence becomes one row (plus its booking rows) per
   * occurrence (docs/api/diary/recurring-appointments.md). Returns the first occurrence's master.
   */
  create(fields: AppointmentFields, by: number, now: number, recurrence?: Omit<RecurrenceRule, 'recurrenceRuleId'>): StoredAppointment {
    const starts = recurrence?.starts ?? [fields.start];
    const ruleId = recurrence ? this.nextRuleId++ : 0;
    if (recurrence) this.rules.set(ruleId, { ...recurrence, recurrenceRuleId: ruleId });
    const duration = fields.end - fields.start;
    let first: StoredAppointment | undefined;
    for (const start of starts) {
      const row = this.insertBooking({ ...fields, start, end: start + duration }, ruleId, by, now);
      first ??= row;
    }
    return first!;
  }

  private insertBooking(fields: AppointmentFields, ruleId: number, by: number, now: number): StoredAppointment {
    const invitees = fields.participants.filter((p) => p.associateId > 0 && p.associateId !== fields.associateId);
    const id = this.nextId++;
    const master: StoredAppointment = {
      ...fields,
      participants: fields.participants.map((p) => ({ ...p })),
      appointmentId: id,
      motherId: fields.participants.length > 0 ? id : 0,
      recurrenceRuleId: ruleId,
      createdBy: by,
      updatedBy: by,
      created: now,
      updated: now,
      updatedCount: 0,
    };
    this.put(master);
    this.changed(master, 'created', by);
    for (const invitee of invitees) {
      const slaveId = this.nextId++;
      const slave: StoredAppointment = {
        ...master,
        participants: master.participants.map((p) => ({ ...p })),
        associateId: invitee.associateId,
        type: bookingTypeOf(fields.type),
        appointmentId: slaveId,
        motherId: id,
      };
      this.put(slave);
      this.changed(slave, 'created', by);
    }
    return master;
  }

  /** Replaces what a client may set; an invitee's row follows its master's time and text. */
  update(id: number, fields: AppointmentFields, by: number, now: number): StoredAppointment {
    const row = this.rows.get(id);
    if (!row) throw new SoError(404, 'SoNotFoundException', `Appointment id ${id} not found`);
    this.unindex(this.byAssociate, row.associateId, id);
    Object.assign(row, fields, { updatedBy: by, updated: now, updatedCount: row.updatedCount + 1 });
    this.index(this.byAssociate, row.associateId, id);
    this.changed(row, 'changed', by);
    if (row.motherId === row.appointmentId) {
      for (const slave of this.slavesOf(id)) {
        Object.assign(slave, {
          start: row.start,
          end: row.end,
          title: row.title,
          description: row.description,
          location: row.location,
          isAllDay: row.isAllDay,
          participants: row.participants.map((p) => ({ ...p })),
          updatedBy: by,
          updated: now,
          updatedCount: slave.updatedCount + 1,
        });
        this.changed(slave, 'changed', by);
      }
    }
    return row;
  }

  /** A hard delete: the row is gone, and a master takes its invitees' rows with it. Returns the ids removed. */
  delete(id: number, by = 0): number[] {
    const row = this.rows.get(id);
    if (!row) return [];
    const removed = [id];
    const slaves = row.motherId === id ? this.slavesOf(id) : [];
    this.remove(row);
    this.changed(row, 'deleted', by);
    for (const slave of slaves) {
      this.remove(slave);
      this.changed(slave, 'deleted', by);
      removed.push(slave.appointmentId);
    }
    return removed;
  }

  /** Rows of the same occurrence: the master and its invitees' rows. */
  bookingRows(master: StoredAppointment): StoredAppointment[] {
    if (master.motherId === 0) return [master];
    return [...(this.byMother.get(master.motherId) ?? [])].sort((a, b) => a - b).map((id) => this.rows.get(id)!);
  }

  clear(): void {
    this.rows.clear();
    this.byAssociate.clear();
    this.byMother.clear();
    this.rules.clear();
  }
}
