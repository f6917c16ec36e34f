import { costOf } from './diary/counting.js';
import { at, type World, type WorldUser } from './diary/world.js';

/**
 * What an idle mailbox with Diary, Task and Contact on costs per pass (issue 15: at most 3 Graph
 * delta requests and 2 SuperOffice requests), read from the simulators' request counters. Shared
 * by the test (idle-cost.test.ts) and the bench (bench/sync-idle.ts).
 */
export interface IdlePassCost {
  /** Graph delta requests (calendar, To Do list, contact folder). */
  graphDeltas: number;
  /** Every Graph request to the mailbox (deltas included). */
  graphRequests: number;
  superofficeRequests: number;
  /** `METHOD route ×n`, Graph then the SuperOffice Web API. */
  routes: string[];
}

/**
 * Every kind on for the user; with `items`, one of each kind to keep in sync: an appointment in the
 * diary, an item in the checklist and a person whose "our contact" is the user (and an event born
 * in Outlook). Without, every list is empty.
 */
export interface IdleSeed {
  appointmentId: number;
  checklistId: number;
  personId: number;
}

export async function seedIdleMailbox(w: World, user: WorldUser, items: boolean): Promise<IdleSeed | null> {
  await w.setOptions(user, { diary: true, task: true, contact: true });
  if (!items) return null;
  const appointment = w.so.create(user, { title: 'Idle: appointment', start: at(1, 9), end: at(1, 10) });
  w.outlook.create(user, { subject: 'Idle: Outlook event', start: { dateTime: at(2, 14).slice(0, 19), timeZone: 'UTC' }, end: { dateTime: at(2, 15).slice(0, 19), timeZone: 'UTC' } });
  // A checklist item (a follow-up with a date and no time), as the task world's CRM user saves one.
  const appointments = w.h.env.superoffice.control.appointments;
  appointments.advance(1000);
  const date = at(3, 0).slice(0, 10);
  const checklist = appointments.create(
    { Associate: { AssociateId: user.associateId }, StartDate: `${date}T08:00:00Z`, EndDate: `${date}T08:00:00Z`, Type: 'inChecklist', Title: 'Idle: checklist item', Description: '', Completed: 'NotStarted' },
    { asAssociateId: user.associateId, contextId: w.tenantId },
  );
  const person = w.persons.create(user, { firstname: 'Idle', lastname: 'Person', emails: ['idle.person@fjord.example'] });
  return { appointmentId: appointment.appointmentId, checklistId: checklist.appointmentId, personId: person.personId };
}

/** Two passes to get in sync (the second takes in our own creates coming back through the deltas). */
export async function settle(w: World, user: WorldUser): Promise<void> {
  for (let i = 0; i < 2; i++) {
    const { mailbox } = await w.pass(user);
    if (mailbox.state !== 'in_sync') throw new Error(`idle cost: a settling pass ended ${mailbox.state}: ${mailbox.last_error}`);
  }
}

/** One pass with nothing changed, and what it cost; it throws if the pass fails or writes anything. */
export async function idlePass(w: World, user: WorldUser): Promise<IdlePassCost> {
  w.resetCounts();
  const { mailbox } = await w.pass(user);
  if (mailbox.state !== 'in_sync') throw new Error(`idle cost: an idle pass ended ${mailbox.state}: ${mailbox.last_error}`);
  const counts = w.counts();
  const cost = costOf(counts);
  const writes = cost.graphCreates + cost.graphOtherWrites + cost.contactCreates + cost.superofficeCreates + cost.superofficeOtherWrites;
  if (writes > 0) throw new Error(`idle cost: an idle pass wrote something: ${JSON.stringify(cost)}`);
  const routes = [...Object.entries(counts.graph.byRoute), ...Object.entries(counts.superoffice.byRoute).filter(([r]) => /\/api\//i.test(r))].map(([r, v]) => `${r} ×${v}`);
  return { graphDeltas: cost.graphDeltas, graphRequests: cost.graphRequests, superofficeRequests: cost.superofficeRequests, routes };
}
