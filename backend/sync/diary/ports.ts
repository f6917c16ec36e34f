/**
 * The diary ⇄ calendar pass and what it talks to, as types: the pass (pass.ts) works on these, the
 * SuperOffice and Outlook clients (superoffice-diary.ts, outlook-calendar.ts) implement them, and
 * the field rules (fields.ts) translate between them. Times are UTC ISO instants
 * (`2026-12-03T08:00:00.000Z`) unless a comment says otherwise.
 */

/** The date window items are synchronized in: [start, end). */
export interface SyncWindow {
  start: string;
  end: string;
}

/** A SuperOffice appointment as the pass needs it (read with `SO-TimeZone: UTC`). */
export interface SoAppointment {
  id: number;
  /** Whose diary it is in. */
  associateId: number;
  /** `inDiary`, `inChecklist`, `BookingForDiary`, `BookingForChecklist`, `Note`, `Document` (appointment type enum). */
  type: string;
  /** 0: a simple appointment; its own id: a booking's master (organizer) row; another id: an invitee's row. */
  motherId: number;
  /** 0 unless it is one occurrence of a recurring series. */
  recurrenceRuleId: number;
  start: string;
  end: string;
  allDay: boolean;
  title: string;
  description: string;
  location: string;
  /** `IsFree`: shown as free time. */
  free: boolean;
  /** `Private` is not `Public`. */
  private: boolean;
  completed: boolean;
  /** The alarm's lead time in minutes (`HasAlarm`, `AlarmLeadTime`); null: none. Read by the checklist client only (task/superoffice-checklist.ts). */
  alarmLeadMinutes?: number | null;
  /** `OwnedExternally`: `None`, `Other`, `Outlook`, `Google`. */
  ownedExternally: string;
  /** Other participants of a booking, for the event's body (events are written without attendees). */
  participants: { name: string; email: string | null }[];
  updatedAt: string;
}

/** What the pass writes to SuperOffice (a new appointment in `associateId`'s diary, or an update of one). */
export type SoAppointmentWrite = Pick<
  SoAppointment,
  'associateId' | 'start' | 'end' | 'allDay' | 'title' | 'description' | 'location' | 'free' | 'private'
>;

/** One row of the appointment archive as polling sees it. */
export interface SoChange {
  id: number;
  updatedAt: string;
}

/** Writes that SuperOffice refused because the item changed (412) or is gone (404). */
export type SoWriteOutcome = SoAppointment | 'conflict' | 'gone';

/**
 * SuperOffice for one tenant, as the sync's SuperOffice identity (the system user, or the stored
 * administrator sign-in). Every method throws a DomainError when SuperOffice cannot be reached or
 * refuses the identity (SuperOfficeUnavailable, SuperOfficeSignInRequired, SuperOfficeAccessDenied).
 */
export interface SuperOfficeDiaryPort {
  /** The associate's diary appointments updated at or after `since` that touch `window`, by id. */
  changedSince(associateId: number, since: string, window: SyncWindow): Promise<SoChange[]>;
  /** Any type's archive rows touching `window` (one page of `limit`), for "why didn't this sync?" only; the passes never call it. */
  search?(associateId: number, window: SyncWindow, text: string | null, limit: number): Promise<(SoChange & { rawType: number })[]>;
  /** Ids of all the associate's diary appointments that touch `window` (finds hard deletes). */
  idsInWindow(associateId: number, window: SyncWindow): Promise<Set<number>>;
  /** null when it does not exist (404). */
  get(id: number): Promise<SoAppointment | null>;
  create(write: SoAppointmentWrite): Promise<SoAppointment>;
  /** `If-Unmodified-Since: ifUnmodifiedSince`; 412 → 'conflict', 404 → 'gone'. */
  update(id: number, write: SoAppointmentWrite, ifUnmodifiedSince: string): Promise<SoWriteOutcome>;
  delete(id: number, ifUnmodifiedSince: string): Promise<'deleted' | 'conflict' | 'gone'>;
  /** ForeignSystem key (device = mailbox id, key `graphRef`): the appointment carrying `graphRef`, or null. */
  findByForeignKey(mailboxId: string, graphRef: string): Promise<number | null>;
  addForeignKey(mailboxId: string, graphRef: string, appointmentId: number): Promise<void>;
}

/** An event as Graph returns it (always with immutable ids). */
export interface GraphEvent {
  id: string;
  changeKey: string;
  /** `singleInstance`, `occurrence`, `exception`, `seriesMaster`. */
  type: string;
  seriesMasterId: string | null;
  subject: string;
  /** The body as plain text (HTML bodies converted). */
  bodyText: string;
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  isAllDay: boolean;
  location: string;
  /** `free`, `tentative`, `busy`, `oof`, `workingElsewhere`, `unknown`. */
  showAs: string;
  /** `normal`, `personal`, `private`, `confidential`. */
  sensitivity: string;
  isCancelled: boolean;
  isOrganizer: boolean;
  createdDateTime: string;
  lastModifiedDateTime: string;
  /**
   * Our tag (the SoRef extended property's value) when the event was read with it expanded: null
   * when it has none; undefined when it was not asked for (delta cannot expand).
   */
  tag?: string | null;
}

/** What the pass writes to an event (without attendees, ever). */
export interface GraphEventWrite {
  subject: string;
  body: { contentType: 'text'; content: string };
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  isAllDay: boolean;
  location: { displayName: string };
  showAs: string;
  sensitivity: string;
}

/** One create the pass asks for: the event, our tag, and Graph's transactionId (the intent's op id). */
export interface GraphCreate {
  transactionId: string;
  tag: string;
  event: GraphEventWrite;
}

export type GraphCreateOutcome = { ok: GraphEvent } | { error: Error };

export interface DeltaResult {
  /** Changed or new events in the window (tag not expanded). */
  changed: GraphEvent[];
  /** Ids Graph reported `@removed` (deleted, or moved out of the window: confirm with get()). */
  removed: string[];
  /** Where the next pass starts. */
  deltaLink: string;
}

/** Graph's delta token is no longer valid (410 Gone / syncStateNotFound): start a full pass. */
export class DeltaExpired extends Error {
  constructor() {
    super('The Outlook change token expired; a full comparison is needed.');
    this.name = 'DeltaExpired';
  }
}

/**
 * The primary calendar of one mailbox, app-only, `Prefer: IdType="ImmutableId"` on every call,
 * at most 4 requests in flight and within the per-mailbox budget. Throws DomainErrors
 * (MicrosoftThrottled with retryAfterSeconds, MicrosoftUnavailable, MicrosoftConsentRequired…).
 */
export interface OutlookCalendarPort {
  /** From a stored deltaLink, or a fresh start over `window`; follows nextLinks to the deltaLink. Throws DeltaExpired. */
  delta(from: { deltaLink: string } | { window: SyncWindow }): Promise<DeltaResult>;
  /** With the tag expanded; null when it does not exist (404). */
  get(id: string): Promise<GraphEvent | null>;
  /** Every event carrying `tag`, oldest first (a user's copy carries it too). */
  findByTag(tag: string): Promise<GraphEvent[]>;
  /** Every event (occurrences expanded) in `window`, with the tag expanded: the rebind sweep. */
  listWindow(window: SyncWindow): Promise<GraphEvent[]>;
  /** Creates in `$batch`es of 20, each with its tag and transactionId; one outcome per create, in order. */
  create(creates: readonly GraphCreate[]): Promise<GraphCreateOutcome[]>;
  /** PATCH; `tag` also sets our extended property (an Outlook-born event becomes ours to find). 404 → 'gone'. */
  update(id: string, write: Partial<GraphEventWrite>, tag?: string): Promise<GraphEvent | 'gone'>;
  delete(id: string): Promise<'deleted' | 'gone'>;
}

/** The field values the pass compares, normalised so equal means "no change" (see fields.ts). */
export interface DiaryFields {
  subject: string;
  /** Timed: UTC instants. All-day: `YYYY-MM-DD` dates, end exclusive. */
  start: string;
  end: string;
  allDay: boolean;
  location: string;
  /** Plain text, without our participants block. */
  body: string;
  /** `free`, `tentative` or `busy`. */
  showAs: string;
  private: boolean;
}

export type DiaryField = keyof DiaryFields;

export interface FieldConflict {
  field: DiaryField;
  base: string | null;
  superoffice: string;
  outlook: string;
  winner: 'superoffice' | 'outlook';
}

export interface MergeResult {
  merged: DiaryFields;
  /** SuperOffice must be written (it differs from `merged`). */
  writeSuperOffice: boolean;
  writeOutlook: boolean;
  conflicts: FieldConflict[];
}
