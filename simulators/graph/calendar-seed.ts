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
