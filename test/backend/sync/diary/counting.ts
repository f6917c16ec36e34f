import type { GraphRequestCounts } from '../../../../simulators/graph/graph.types.js';
import type { RequestCounts } from '../../../../simulators/request-counts.js';

/**
 * What a pass cost and wrote, read from the simulators' request counters: every Graph request
 * (a `$batch` is one request; its items are counted apart), every SuperOffice Web API request.
 */
export interface Cost {
  graphRequests: number;
  graphBatches: number;
  /** Events created: top-level POSTs plus POSTs inside `$batch`es. */
  graphCreates: number;
  /** PATCH and DELETE, top level and inside batches. */
  graphOtherWrites: number;
  /** Contacts created (POST to a contact folder or to `/contacts`). */
  contactCreates: number;
  /** Delta requests (calendar, contact folder, To Do list), nextLink pages included. */
  graphDeltas: number;
  superofficeRequests: number;
  superofficeCreates: number;
  superofficeOtherWrites: number;
}

const isContacts = (route: string) => /\/contacts$/i.test(route);
const isEvents = (route: string) => /\/events(\/\{id\})?$/i.test(route) || /\/events$/i.test(route);

export function costOf(c: { graph: GraphRequestCounts; superoffice: RequestCounts }): Cost {
  const graph = Object.entries(c.graph.byRoute);
  const items = Object.entries(c.graph.batchItems);
  const sum = (rows: [string, number][], keep: (route: string) => boolean) => rows.filter(([r]) => keep(r)).reduce((n, [, v]) => n + v, 0);
  const api = Object.entries(c.superoffice.byRoute).filter(([r]) => /\/api\//i.test(r));
  return {
    graphRequests: sum(graph, (r) => r.includes('/users/') || r.includes('$batch')),
    graphBatches: sum(graph, (r) => r.startsWith('POST') && r.includes('$batch')),
    graphCreates: sum(graph, (r) => r.startsWith('POST') && isEvents(r)) + sum(items, (r) => r.startsWith('POST') && isEvents(r)),
    graphOtherWrites: sum(graph, (r) => /^(PATCH|DELETE)/.test(r)) + sum(items, (r) => /^(PATCH|DELETE)/.test(r)),
    contactCreates: sum(graph, (r) => r.startsWith('POST') && isContacts(r)) + sum(items, (r) => r.startsWith('POST') && isContacts(r)),
    graphDeltas: sum(graph, (r) => r.startsWith('GET') && /\/delta$/i.test(r)),
    superofficeRequests: sum(api, () => true),
    superofficeCreates: sum(api, (r) => /^POST .*\/Appointment$/i.test(r)),
    superofficeOtherWrites: sum(api, (r) => /^(PUT|PATCH|DELETE) /.test(r) || (/^POST /.test(r) && !/\/Appointment$/i.test(r) && !/GetKeyByValue/i.test(r))),
  };
}
