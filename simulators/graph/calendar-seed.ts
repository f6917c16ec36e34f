import type { DemoTenant } from '../demo-tenant.types.js';
import { pick, seededRandom } from '../seeded-random.js';
import type { CalendarStore, EventFields } from './calendar-store.js';
import { defaultFields } from './event-shape.js';
import { hasMailbox } from './graph-env.js';

/** How many user mailboxes get a seeded calendar: enough to see items move in the demo. */
export const SEEDED_MAILBOXES = 8;
const ZONE = 'W. Europe Standard Time';
const SUBJECTS = ['Budget meeting', 'Customer visit', 'Lunch with supplier', 'Project check-in', 'Dentist', 'Planning session', 'Call with partner'];
const PLACES = ['Meeting room 2', 'Oslo office', 'Teams', 'Bergen', ''];

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Events the users made themselves in Outlook (so none carries our tag): a few meetings around
 * today, a weekly series and an all-day event per mailbox, for the first user mailboxes of the
 * tenant. Seeded, so ids differ per run but content and dates (relative to the clock) do not.
 */
export function seedDemoCalendars(store: CalendarStore, tenant: DemoTenant): number {
  const random = seededRandom(13);
  const today = Date.parse(`${day(store.clock.now())}T00:00:00Z`);
  const users = tenant.mailboxes.filter((m) => hasMailbox(m) && m.userPurpose === 'user' && m.accountEnabled).slice(0, SEEDED_MAILBOXES);
  let created = 0;
  const add = (mailboxId: string, fields: Partial<EventFields>) => {
    store.create(mailboxId, { ...defaultFields(), ...fields }, null);
    created += 1;
  };
  for (const m of users) {
    for (let i = 0; i < 5; i++) {
      const date = day(today + Math.floor(random() * 40 - 10) * 86_400_000);
      const hour = 8 + Math.floor(random() * 8);
      add(m.id, {
        subject: pick(random, SUBJECTS),
        body: { contentType: 'text', content: 'Made in Outlook.' },
        start: { dateTime: `${date}T${pad(hour)}:00:00`, timeZone: ZONE },
        end: { dateTime: `${date}T${pad(hour + 1)}:00:00`, timeZone: ZONE },
        location: { displayName: pick(random, PLACES) },
        showAs: random() < 0.2 ? 'tentative' : 'busy',
        sensitivity: random() < 0.15 ? 'private' : 'normal',
      });
    }
    const seriesStart = day(today - 14 * 86_400_000);
    add(m.id, {
      subject: 'Weekly team meeting',
      start: { dateTime: `${seriesStart}T09:00:00`, timeZone: ZONE },
      end: { dateTime: `${seriesStart}T09:30:00`, timeZone: ZONE },
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: [['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'][new Date(today - 14 * 86_400_000).getUTCDay()]!], firstDayOfWeek: 'monday' },
        range: { type: 'numbered', startDate: seriesStart, endDate: '0001-01-01', numberOfOccurrences: 12, recurrenceTimeZone: ZONE },
      },
    });
    const off = day(today + 7 * 86_400_000);
    add(m.id, {
      subject: 'Day off',
      isAllDay: true,
      showAs: 'oof',
      start: { dateTime: `${off}T00:00:00`, timeZone: ZONE },
      end: { dateTime: `${day(today + 8 * 86_400_000)}T00:00:00`, timeZone: ZONE },
    });
  }
  return created;
}

/**
 * Many user-made events at once, for load tests (one control request instead of one POST per
 * event): for each mailbox, `perMailbox` one-hour events titled "{subject} {n}", spread
 * round-robin over `days` days from `firstDay` at 08:00, 09:00, … 16:00 W. Europe time.
 */
export interface BulkEventSpec {
  mailboxIds: string[];
  perMailbox: number;
  firstDay: string;
  days: number;
  subject?: string;
}

/** At most this many events per bulk call. */
export const BULK_MAX_EVENTS = 1_000_000;

/** Checks a bulk spec (from JSON) whole; `mailboxOf` gives the directory's id of a mailbox, or null when there is none. */
export function checkBulkEventSpec(raw: unknown, mailboxOf: (id: string) => string | null): BulkEventSpec {
  const b = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const whole = (v: unknown, min: number, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
  const ids = b.mailboxIds;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string')) throw new Error('mailboxIds must be a non-empty list of mailbox ids.');
  const unknown = (ids as string[]).find((id) => mailboxOf(id) === null);
  if (unknown !== undefined) throw new Error(`No mailbox ${unknown}.`);
  if (!whole(b.perMailbox, 1, BULK_MAX_EVENTS) || ids.length * (b.perMailbox as number) > BULK_MAX_EVENTS) throw new Error(`perMailbox must be a whole number from 1, at most ${BULK_MAX_EVENTS} events in all.`);
  if (!whole(b.days, 1, 3660)) throw new Error('days must be a whole number from 1 to 3660.');
  if (typeof b.firstDay !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(b.firstDay) || Number.isNaN(Date.parse(`${b.firstDay}T00:00:00Z`))) throw new Error('firstDay must be a date (YYYY-MM-DD).');
  if (b.subject !== undefined && typeof b.subject !== 'string') throw new Error('subject must be a string.');
  return { mailboxIds: (ids as string[]).map((id) => mailboxOf(id)!), perMailbox: b.perMailbox as number, firstDay: b.firstDay, days: b.days as number, subject: (b.subject as string | undefined) ?? 'Event' };
}

export function seedBulkEvents(store: CalendarStore, spec: BulkEventSpec): number {
  const first = Date.parse(`${spec.firstDay}T00:00:00Z`);
  for (const mailboxId of spec.mailboxIds) {
    for (let i = 0; i < spec.perMailbox; i++) {
      const date = day(first + (i % spec.days) * 86_400_000);
      const hour = 8 + (Math.floor(i / spec.days) % 9);
      store.create(
        mailboxId,
        { ...defaultFields(), subject: `${spec.subject ?? 'Event'} ${i + 1}`, start: { dateTime: `${date}T${pad(hour)}:00:00`, timeZone: ZONE }, end: { dateTime: `${date}T${pad(hour + 1)}:00:00`, timeZone: ZONE } },
        null,
      );
    }
  }
  return spec.mailboxIds.length * spec.perMailbox;
}
