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
  readonly rules = new Map<number, RecurrenceRule>();
  private nextId: number;
  private nextRuleId = 1;

  constructor(firstId = 1001) {
    this.nextId = firstId;
  }

  get(id: number): StoredAppointment | undefined {
    return this.rows.get(id);
  }

  all(): StoredAppointment[] {
    return [...this.rows.values()];
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
    this.rows.set(id, master);
    for (const invitee of invitees) {
      const slaveId = this.nextId++;
      this.rows.set(slaveId, {
        ...master,
        participants: master.participants.map((p) => ({ ...p })),
        associateId: invitee.associateId,
        type: bookingTypeOf(fields.type),
        appointmentId: slaveId,
        motherId: id,
      });
    }
    return master;
  }

  /** Replaces what a client may set; an invitee's row follows its master's time and text. */
  update(id: number, fields: AppointmentFields, by: number, now: number): StoredAppointment {
    const row = this.rows.get(id);
    if (!row) throw new SoError(404, 'SoNotFoundException', `Appointment id ${id} not found`);
    Object.assign(row, fields, { updatedBy: by, updated: now, updatedCount: row.updatedCount + 1 });
    if (row.motherId === row.appointmentId) {
      for (const slave of this.rows.values()) {
        if (slave.motherId !== id || slave.appointmentId === id) continue;
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
      }
    }
    return row;
  }

  /** A hard delete: the row is gone, and a master takes its invitees' rows with it. Returns the ids removed. */
  delete(id: number): number[] {
    const row = this.rows.get(id);
    if (!row) return [];
    const removed = [id];
    this.rows.delete(id);
    if (row.motherId === id) {
      for (const slave of [...this.rows.values()]) {
        if (slave.motherId === id) {
          this.rows.delete(slave.appointmentId);
          removed.push(slave.appointmentId);
        }
      }
    }
    return removed;
  }

  /** Rows of the same occurrence: the master and its invitees' rows. */
  bookingRows(master: StoredAppointment): StoredAppointment[] {
    if (master.motherId === 0) return [master];
    return this.all().filter((r) => r.motherId === master.motherId);
  }

  clear(): void {
    this.rows.clear();
    this.rules.clear();
  }
}
