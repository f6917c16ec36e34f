import { SuperOfficeDiary, Entity, soDate, httpDate, UTC } from '../diary/superoffice-diary.js';
import type { SoAppointment, SoChange, SoWriteOutcome, SyncWindow } from '../diary/ports.js';
import { DomainError } from '../../domain-error.js';
import type { SuperOfficeWebApi } from '../../superoffice/webapi.client.js';
import type { SharedAppointmentArchive } from '../diary/shared-archive.js';
import type { SoChecklistWrite, SuperOfficeChecklistPort } from './ports.js';

/**
 * Checklist rows of the appointment archive: an associate's own follow-ups without a time
 * (`inChecklist`) and invitations to one (`BookingForChecklist`) (appointment type enum,
 * database/tables/enums/appointmenttype.md).
 */
const CHECKLIST = "type oneOf ('inChecklist','BookingForChecklist')";

/**
 * `AlarmLeadTime` is a string (AppointmentEntity docs: "Alarm lead time"), a .NET TimeSpan
 * `[d.]hh:mm:ss`. One we cannot read counts as an alarm at the start rather than none: the user
 * asked for an alarm.
 */
const LEAD_TIME = /^(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/;

export function parseLeadTime(value: unknown): number {
  const m = typeof value === 'string' ? LEAD_TIME.exec(value.trim()) : null;
  return m ? Number(m[1] ?? 0) * 1440 + Number(m[2]) * 60 + Number(m[3]) : 0;
}

export function leadTime(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  const d = Math.floor(m / 1440);
  const hh = String(Math.floor((m % 1440) / 60)).padStart(2, '0');
  const mm = String(m % 60).padStart(2, '0');
  return `${d > 0 ? `${d}.` : ''}${hh}:${mm}:00`;
}

/** The diary's SuperOffice client over the checklist rows: same entity, reads and ForeignSystem keys. */
export class SuperOfficeChecklist extends SuperOfficeDiary implements SuperOfficeChecklistPort {
  constructor(
    api: SuperOfficeWebApi,
    /** The tenant's CRM web client (`https://…/Cust12345/`), for links back to an item. */
    private readonly crmBase: string,
    /** The pass's one appointment-archive read shared with the Diary kind (connections.ts). */
    shared?: SharedAppointmentArchive,
  ) {
    super(api, shared);
  }

  override changedSince(associateId: number, since: string, window: SyncWindow): Promise<SoChange[]> {
    return this.changedRows('checklist', associateId, since, window);
  }

  override async idsInWindow(associateId: number, window: SyncWindow): Promise<Set<number>> {
    return new Set((await this.archive(associateId, window, '', CHECKLIST)).map((c) => c.id));
  }

  private fields(w: SoChecklistWrite): Record<string, unknown> {
    // A checklist item has a date, no time: it starts and ends at the day's midnight.
    return {
      Associate: { AssociateId: w.associateId },
      StartDate: soDate(w.start),
      EndDate: soDate(w.start),
      Title: w.title,
      Description: w.description,
      Completed: w.completed ? 'Completed' : 'NotStarted',
      HasAlarm: w.alarmLeadMinutes !== null,
      AlarmLeadTime: leadTime(w.alarmLeadMinutes ?? 0),
    };
  }

  async createChecklist(write: SoChecklistWrite): Promise<SoAppointment> {
    const { body } = await this.api.send('POST', 'Appointment', Entity, { headers: UTC, body: { ...this.fields(write), Type: 'inChecklist' } });
    if (!body) throw new DomainError('unavailable', 'SuperOfficeUnavailable', 'SuperOffice did not answer as expected (no appointment). Try again in a moment.');
    return this.toAppointment(body);
  }

  async updateChecklist(id: number, write: SoChecklistWrite, ifUnmodifiedSince: string): Promise<SoWriteOutcome> {
    const current = await this.entity(id);
    if (!current) return 'gone';
    const { Recurrence: _series, ...rest } = current;
    const { status, body } = await this.api.send('PUT', `Appointment/${Math.trunc(id)}`, Entity, {
      headers: { ...UTC, 'If-Unmodified-Since': httpDate(ifUnmodifiedSince) },
      body: { ...rest, ...this.fields(write) },
      expect: [404, 412],
    });
    if (status === 412) return 'conflict';
    if (status === 404 || !body) return 'gone';
    return this.toAppointment(body);
  }

  /** The diary's reading plus the alarm, which only the task kind syncs. */
  protected override async toAppointment(e: Entity): Promise<SoAppointment> {
    const a = await super.toAppointment(e);
    return { ...a, alarmLeadMinutes: e['HasAlarm'] === true ? parseLeadTime(e['AlarmLeadTime']) : null };
  }

  crmLink(id: number): string {
    return `${this.crmBase}default.aspx?appointment_id=${Math.trunc(id)}`;
  }
}
