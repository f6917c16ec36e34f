import type { DemoAssociate } from './demo-tenant.types.js';

/**
 * A diary entry of the demo tenant, placed relative to the day the simulator starts (so the sync
 * window always has items): `dayOffset` days from that day, at `startTime` wall-clock time in the
 * tenant's zone.
 */
export interface DemoAppointmentSeed {
  associateId: number;
  dayOffset: number;
  /** `HH:MM`; all-day entries start at 00:00. */
  startTime: string;
  minutes: number;
  title: string;
  location?: string;
  description?: string;
  type?: 'inDiary' | 'inChecklist';
  private?: 'Public' | 'PrivateUser';
  isFree?: boolean;
  allDay?: boolean;
  /** Colleagues invited: a booking, one row per invitee. */
  invitees?: number[];
  /** A daily series of this many occurrences, one row each. */
  dailyOccurrences?: number;
}

const TITLES = ['Customer review', 'Pipeline meeting', 'Site visit', 'Quarterly planning', 'Call with supplier', 'Onboarding session'];
const PLACES = ['Room Fjord', 'Teams', 'Bergen office', 'Customer site', ''];

/**
 * A few appointments for each of the first active associates: past and future, a booking with two
 * colleagues, a daily series, a follow-up without a time (checklist), a private one, an all-day one.
 */
export function demoAppointments(associates: DemoAssociate[], howMany = 12): DemoAppointmentSeed[] {
  const active = associates.filter((a) => a.isActive).slice(0, howMany);
  return active.flatMap((a, i) => {
    const colleagues = [active[(i + 1) % active.length], active[(i + 2) % active.length]].filter((c): c is DemoAssociate => !!c && c !== a);
    const seeds: DemoAppointmentSeed[] = [
      { associateId: a.associateId, dayOffset: -3 - (i % 5), startTime: '10:00', minutes: 60, title: TITLES[i % TITLES.length]!, location: PLACES[i % PLACES.length] },
      { associateId: a.associateId, dayOffset: 1 + (i % 7), startTime: '13:30', minutes: 45, title: TITLES[(i + 2) % TITLES.length]!, location: PLACES[(i + 1) % PLACES.length], description: 'Agenda in the shared folder.' },
      { associateId: a.associateId, dayOffset: 2, startTime: '09:00', minutes: 30, title: 'Follow up the offer', type: 'inChecklist' },
    ];
    if (i % 3 === 0) seeds.push({ associateId: a.associateId, dayOffset: 4, startTime: '14:00', minutes: 60, title: 'Project kick-off', location: 'Room Fjord', invitees: colleagues.map((c) => c.associateId) });
    if (i % 4 === 1) seeds.push({ associateId: a.associateId, dayOffset: 0, startTime: '08:30', minutes: 15, title: 'Stand-up', location: 'Teams', dailyOccurrences: 5 });
    if (i % 4 === 2) seeds.push({ associateId: a.associateId, dayOffset: 5, startTime: '12:00', minutes: 60, title: 'Dentist', private: 'PrivateUser', isFree: false });
    if (i % 5 === 3) seeds.push({ associateId: a.associateId, dayOffset: 10, startTime: '00:00', minutes: 24 * 60, title: 'Trade fair', allDay: true, isFree: true });
    return seeds;
  });
}
