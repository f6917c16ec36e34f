/**
 * Issue-3 targets: loading M mailboxes costs exactly ceil(M/999) Graph list requests and N
 * associates floor(N/1000) + 1 SuperOffice archive requests (pages of 1,000 read while a full one
 * comes back: SuperOffice sends no nextLink for a client-set $top) plus one for the user groups,
 * counted by the simulators at N = 10,000 and M = 50,000, with the wall time of both loads
 * through the backend's API.
 */
import { DEMO_CASES } from '../simulators/demo-tenant.js';
import { makeIntegrationHarness } from '../test/helpers/integration.js';
import { ms } from './stats.js';

export async function integrationLoads(): Promise<string[]> {
  const h = await makeIntegrationHarness({ size: 'large', consentGranted: true, graphThrottle: null });
  const lines: string[] = [];
  try {
    const admin = (await h.signIn(DEMO_CASES.adminAssociateIds[0]!)).message.token!;
    if ((await h.consent(admin)).message.type !== 'mailbox-link:consented') throw new Error('consent failed');
    const n = h.env.tenant.associates.length;
    const m = h.env.tenant.mailboxes.length;

    h.env.superoffice.control.resetRequests();
    let started = performance.now();
    const associates = await h.request('GET', '/api/v1/associates', { token: admin });
    const associatesMs = performance.now() - started;
    if (associates.status !== 200 || associates.body.associates.length !== n) throw new Error(`associates: ${associates.status}`);
    const soRequests = h.env.superoffice.control.requestCount('GET /{ctx}/api/v1/Archive/InternalUsers');
    const soTarget = Math.floor(n / 1000) + 1;
    const groupRequests = h.env.superoffice.control.requestCount('GET /{ctx}/api/v1/MDOList/usergroup');

    h.env.graph.control.resetRequests();
    started = performance.now();
    let cursor: string | null = null;
    let loaded = 0;
    do {
      const page: { status: number; body: any } = await h.request('GET', `/api/v1/mailboxes${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`, { token: admin });
      if (page.status !== 200) throw new Error(`mailboxes: ${page.status}`);
      loaded += page.body.mailboxes.length;
      cursor = page.body.next;
    } while (cursor);
    const mailboxesMs = performance.now() - started;
    if (loaded !== m) throw new Error(`mailboxes: loaded ${loaded} of ${m}`);
    const graphRequests = h.env.graph.control.requests().byRoute['GET /v1.0/users'] ?? 0;

    lines.push(
      `associates N=${n.toLocaleString('en')}: ${soRequests} SuperOffice archive requests (target floor(N/1000)+1 = ${soTarget}) + ${groupRequests} user group list ${soRequests === soTarget && groupRequests === 1 ? 'OK' : 'MISMATCH'}; wall ${ms(associatesMs)} ms`,
      `mailboxes M=${m.toLocaleString('en')}: ${graphRequests} Graph list requests (target ceil(M/999) = ${Math.ceil(m / 999)}) ${graphRequests === Math.ceil(m / 999) ? 'OK' : 'MISMATCH'}; wall ${ms(mailboxesMs)} ms`,
    );
    if (soRequests !== soTarget || groupRequests !== 1 || graphRequests !== Math.ceil(m / 999)) throw new Error(lines.join('\n'));
    return lines;
  } finally {
    await h.closeAll();
  }
}
