import { z } from 'zod';
import { DomainError } from '../../domain-error.js';
import { listAssociates } from '../../superoffice/associates.js';
import type { SuperOfficeWebApi } from '../../superoffice/webapi.client.js';
import type { SoAppointment, SoAppointmentWrite, SoChange, SoWriteOutcome, SuperOfficeDiaryPort, SyncWindow } from './ports.js';
import { SCOPE_TYPES, type ArchiveScope, type SharedAppointmentArchive, type TypedArchiveRead, type TypedChange } from './shared-archive.js';

/** Entity dates as UTC instants with `Z` (NetServer "HTTP headers": `SO-TimeZone: UTC,includeTZOffset`). */
export const UTC = { 'SO-TimeZone': 'UTC,includeTZOffset' };
/** Archive rows per request; paging stops at the first short page (counts are never asked for: they are costly). */
export const ARCHIVE_PAGE = 500;
/** Our Foreign Key address (ForeignSystem agent): one device per mailbox, the event's reference as the key. */
export const FOREIGN_APP = 'M365Sync';
export const FOREIGN_KEY = 'graphRef';
const FOREIGN_TABLE = 'appointment';

const Id = z.coerce.number().int();
const Carrier = z.object({ AssociateId: Id.nullish() }).nullish();
export const Entity = z
  .object({
    AppointmentId: Id,
    Associate: Carrier,
    Type: z.string().nullish(),
    MotherId: Id.nullish(),
    Recurrence: z.object({ RecurrenceId: Id.nullish() }).nullish(),
    StartDate: z.string(),
    EndDate: z.string(),
    IsAlldayEvent: z.boolean().nullish(),
    Title: z.string().nullish(),
    Description: z.string().nullish(),
    Location: z.string().nullish(),
    IsFree: z.boolean().nullish(),
    Private: z.string().nullish(),
    Completed: z.string().nullish(),
    OwnedExternally: z.string().nullish(),
    Participants: z.array(z.object({ AssociateId: Id.nullish(), PersonId: Id.nullish() })).nullish(),
    UpdatedDate: z.string(),
  })
  .passthrough();
export type Entity = z.infer<typeof Entity>;
const Rows = z.object({ value: z.array(z.object({ PrimaryKey: Id.nullish(), appointmentId: Id.nullish(), updatedDate: z.string().nullish(), rawType: Id.nullish() })) });
const ForeignKey = z.object({ RecordId: Id }).nullable();

const unexpected = (what: string) => new DomainError('unavailable', 'SuperOfficeUnavailable', `SuperOffice did not answer as expected (${what}). Try again in a moment.`);

/** An instant as SuperOffice takes it: whole seconds, UTC. */
export const soDate = (iso: string) => `${new Date(iso).toISOString().slice(0, 19)}Z`;
const instant = (so: string) => {
  // With SO-TimeZone: UTC every date is UTC; one without an offset is read as UTC too.
  const ms = Date.parse(/(Z|[+-]\d{2}:\d{2})$/i.test(so) ? so : `${so}Z`);
  if (Number.isNaN(ms)) throw unexpected('a date');
  return new Date(ms).toISOString();
};
/** HTTP dates have whole seconds (RFC 9110 §5.6.7). */
export const httpDate = (iso: string) => new Date(iso).toUTCString();

/** The write's fields in AppointmentEntity terms. */
function entityFields(w: SoAppointmentWrite): Record<string, unknown> {
  return {
    Associate: { AssociateId: w.associateId },
    StartDate: soDate(w.start),
    EndDate: soDate(w.end),
    IsAlldayEvent: w.allDay,
    Title: w.title,
    Description: w.description,
    Location: w.location,
    IsFree: w.free,
    Private: w.private ? 'PrivateUser' : 'Public',
  };
}

/**
 * One tenant's diaries through the Web API, as the sync's SuperOffice identity (see
 * SuperOfficeDiaryPort). Appointments are read and written with `SO-TimeZone: UTC`.
 */
export class SuperOfficeDiary implements SuperOfficeDiaryPort {
  /** Associate names and emails for participant lists, read once per diary (one archive page per 1,000). */
  private directory: Promise<Map<number, { name: string; email: string | null }>> | null = null;

  constructor(
    protected readonly api: SuperOfficeWebApi,
    /** The pass's one appointment-archive read shared with the Task kind (connections.ts); none: each read on its own. */
    private readonly shared?: SharedAppointmentArchive,
  ) {}

  /**
   * The FindAppointment archive (GET v1/Appointment, an OData archive): the associate's diary
   * appointments that touch the window (start before its end, end after its start), ordered by id.
   * `scope` picks the rows (the diary's by default; the checklist's in task/superoffice-checklist.ts).
   */
  protected async archive(associateId: number, window: SyncWindow, extra: string, scope = 'visibleInDiary eq 1'): Promise<SoChange[]> {
    return (await this.rows(associateId, window, extra, scope, false)).map(({ id, updatedAt }) => ({ id, updatedAt }));
  }

  /** The archive rows, with `rawType` when `typed` (the shared read tells the kinds' rows apart by it). */
  private async rows(associateId: number, window: SyncWindow, extra: string, scope: string, typed: boolean): Promise<TypedChange[]> {
    const filter = [
      `associateId eq ${Math.trunc(associateId)}`,
      scope,
      ...(extra ? [extra] : []),
      `date lt '${soDate(window.end)}'`,
      `endDate gt '${soDate(window.start)}'`,
    ].join(' and ');
    const out: TypedChange[] = [];
    for (let skip = 0; ; skip += ARCHIVE_PAGE) {
      const select = typed ? 'appointmentId,updatedDate,rawType' : 'appointmentId,updatedDate';
      const query = new URLSearchParams({ $select: select, $filter: filter, $orderby: 'appointmentId', $top: String(ARCHIVE_PAGE), $skip: String(skip) });
      const { value } = await this.api.get(`Appointment?${query.toString().replace(/\+/g, '%20')}`, Rows);
      for (const row of value) {
        const id = row.appointmentId ?? row.PrimaryKey;
        if (id == null || !row.updatedDate || (typed && row.rawType == null)) throw unexpected('an archive row');
        out.push({ id, updatedAt: instant(row.updatedDate), rawType: row.rawType ?? 0 });
      }
      if (value.length < ARCHIVE_PAGE) return out;
    }
  }

  /**
   * "Why didn't this sync?" (backend/explain/): the associate's archive rows of ANY type that
   * touch `window` (the passes ask for their own types only, so an item they leave out for its
   * type is found too), each with its raw type; `text`: only those whose title (or description)
   * contains it. One page of at most `limit` rows: an explanation reads a day or a subject, not a diary.
   */
  async search(associateId: number, window: SyncWindow, text: string | null, limit: number): Promise<TypedChange[]> {
    const filter = [
      `associateId eq ${Math.trunc(associateId)}`,
      ...(text ? [`text contains '${text.replace(/'/g, "''")}'`] : []),
      `date lt '${soDate(window.end)}'`,
      `endDate gt '${soDate(window.start)}'`,
    ].join(' and ');
    const query = new URLSearchParams({ $select: 'appointmentId,updatedDate,rawType', $filter: filter, $orderby: 'appointmentId', $top: String(limit) });
    const { value } = await this.api.get(`Appointment?${query.toString().replace(/\+/g, '%20')}`, Rows);
    return value.map((row) => {
      const id = row.appointmentId ?? row.PrimaryKey;
      if (id == null || !row.updatedDate || row.rawType == null) throw unexpected('an archive row');
      return { id, updatedAt: instant(row.updatedDate), rawType: row.rawType };
    });
  }

  /** The rows changed since `since` of one scope: from the pass's shared read when it has them, else asked on their own. */
  protected changedRows(scope: ArchiveScope, associateId: number, since: string, window: SyncWindow): Promise<SoChange[]> {
    const read: TypedArchiveRead = (a, w, from, types) => this.rows(a, w, `updatedDate ge '${soDate(from)}'`, `type oneOf (${types.map((t) => `'${t}'`).join(',')})`, true);
    const where = scope === 'diary' ? 'visibleInDiary eq 1' : `type oneOf (${SCOPE_TYPES.checklist.names.map((t) => `'${t}'`).join(',')})`;
    // `ge` on the second: a change in the watermark's own second is seen again rather than missed.
    return this.shared?.take(scope, associateId, since, window, read) ?? this.archive(associateId, window, `updatedDate ge '${soDate(since)}'`, where);
  }

  changedSince(associateId: number, since: string, window: SyncWindow): Promise<SoChange[]> {
    return this.changedRows('diary', associateId, since, window);
  }

  async idsInWindow(associateId: number, window: SyncWindow): Promise<Set<number>> {
    return new Set((await this.archive(associateId, window, '')).map((c) => c.id));
  }

  protected async entity(id: number): Promise<Entity | null> {
    const { body } = await this.api.send('GET', `Appointment/${Math.trunc(id)}`, Entity, { headers: UTC, expect: [404] });
    return body;
  }

  async get(id: number): Promise<SoAppointment | null> {
    const e = await this.entity(id);
    return e ? this.toAppointment(e) : null;
  }

  async create(write: SoAppointmentWrite): Promise<SoAppointment> {
    const { body } = await this.api.send('POST', 'Appointment', Entity, { headers: UTC, body: { ...entityFields(write), Type: 'inDiary' } });
    if (!body) throw unexpected('no appointment');
    return this.toAppointment(body);
  }

  async update(id: number, write: SoAppointmentWrite, ifUnmodifiedSince: string): Promise<SoWriteOutcome> {
    // PUT replaces the whole entity: the current one (contact, participants, type…) with our fields
    // over it. The series pattern is left out: a PUT never edits it (each row is one occurrence).
    const current = await this.entity(id);
    if (!current) return 'gone';
    const { Recurrence: _series, ...rest } = current;
    const { status, body } = await this.api.send('PUT', `Appointment/${Math.trunc(id)}`, Entity, {
      headers: { ...UTC, 'If-Unmodified-Since': httpDate(ifUnmodifiedSince) },
      body: { ...rest, ...entityFields(write) },
      expect: [404, 412],
    });
    if (status === 412) return 'conflict';
    if (status === 404 || !body) return 'gone';
    return this.toAppointment(body);
  }

  async delete(id: number, ifUnmodifiedSince: string): Promise<'deleted' | 'conflict' | 'gone'> {
    const { status } = await this.api.send('DELETE', `Appointment/${Math.trunc(id)}`, z.unknown(), {
      headers: { ...UTC, 'If-Unmodified-Since': httpDate(ifUnmodifiedSince) },
      expect: [404, 412],
    });
    return status === 412 ? 'conflict' : status === 404 ? 'gone' : 'deleted';
  }

  private address(mailboxId: string, graphRef: string) {
    return { ApplicationName: FOREIGN_APP, DeviceName: mailboxId, DeviceIdentifier: mailboxId, KeyName: FOREIGN_KEY, KeyValue: graphRef, TableName: FOREIGN_TABLE };
  }

  async findByForeignKey(mailboxId: string, graphRef: string): Promise<number | null> {
    const { body } = await this.api.send('POST', 'Agents/ForeignSystem/GetKeyByValue', ForeignKey, { headers: UTC, body: this.address(mailboxId, graphRef) });
    return body && body.RecordId > 0 ? body.RecordId : null;
  }

  async addForeignKey(mailboxId: string, graphRef: string, appointmentId: number): Promise<void> {
    await this.api.send('POST', 'Agents/ForeignSystem/AddForeignKey', ForeignKey, { headers: UTC, body: { ...this.address(mailboxId, graphRef), RecordId: appointmentId } });
  }

  protected async toAppointment(e: Entity): Promise<SoAppointment> {
    const associateId = e.Associate?.AssociateId ?? 0;
    const others = (e.Participants ?? []).filter((p) => (p.AssociateId ?? 0) !== associateId);
    let participants: SoAppointment['participants'] = [];
    if (others.length > 0) {
      const directory = await this.associates();
      // Internal participants by name and email; an external person is shown by id (no Person read per participant).
      participants = others.map((p) =>
        p.AssociateId ? (directory.get(p.AssociateId) ?? { name: `Associate ${p.AssociateId}`, email: null }) : { name: `Person ${p.PersonId ?? 0}`, email: null },
      );
    }
    return {
      id: e.AppointmentId,
      associateId,
      type: e.Type ?? 'inDiary',
      motherId: e.MotherId ?? 0,
      recurrenceRuleId: e.Recurrence?.RecurrenceId ?? 0,
      start: instant(e.StartDate),
      end: instant(e.EndDate),
      allDay: e.IsAlldayEvent ?? false,
      title: e.Title ?? '',
      description: e.Description ?? '',
      location: e.Location ?? '',
      free: e.IsFree ?? false,
      private: (e.Private ?? 'Public') !== 'Public',
      completed: (e.Completed ?? 'NotStarted') === 'Completed',
      ownedExternally: e.OwnedExternally ?? 'None',
      participants,
      updatedAt: instant(e.UpdatedDate),
    };
  }

  private associates(): Promise<Map<number, { name: string; email: string | null }>> {
    this.directory ??= listAssociates(this.api).then((list) => new Map(list.map((a) => [a.associateId, { name: a.name, email: a.email }])));
    // A failed read is not remembered: the next appointment tries again.
    this.directory.catch(() => (this.directory = null));
    return this.directory;
  }
}
