/**
 * Issue-5 target: sending 500 invites is one admin action with progress. The panel sends them as
 * five requests of 100 (its progress steps); each request reads the associates' contact-card
 * emails from SuperOffice, checks the sender once and sends the emails 20 per Graph `$batch`.
 * Reported: wall time per step and in total, and the requests each service received.
 */
import { DEMO_CASES } from '../simulators/demo-tenant.js';
import { makeIntegrationHarness } from '../test/helpers/integration.js';
import { ms } from './stats.js';

const INVITES = 500;
const PER_REQUEST = 100;

export async function inviteBench(): Promise<string[]> {
  const h = await makeIntegrationHarness({ size: 'large', consentGranted: true });
  try {
    const admin = (await h.signIn(DEMO_CASES.adminAssociateIds[0]!)).message.token!;
    if ((await h.consent(admin)).message.type !== 'mailbox-link:consented') throw new Error('consent failed');
    const t = (await h.request('GET', '/api/v1/tenant', { token: admin })).body;
    const mode = await h.request('PATCH', '/api/v1/tenant', { token: admin, body: { expectedVersion: t.version, mode: 'oauth' } });
    if (mode.status !== 200) throw new Error(`mode: ${mode.status} ${mode.text}`);
    const sender = h.env.tenant.mailboxes.find((m) => m.id === DEMO_CASES.adminMailboxId)!.userPrincipalName;
    const ids = h.env.tenant.associates
      .filter((a) => a.isActive && a.personEmail)
      .slice(0, INVITES)
      .map((a) => a.associateId);
    if (ids.length !== INVITES) throw new Error(`only ${ids.length} associates with an email`);

    h.env.graph.control.reset();
    h.env.superoffice.control.resetRequests();
    const steps: number[] = [];
    const started = performance.now();
    let sent = 0;
    for (let i = 0; i < ids.length; i += PER_REQUEST) {
      const t0 = performance.now();
      const res = await h.request('POST', '/api/v1/invites', {
        token: admin,
        body: { associateIds: ids.slice(i, i + PER_REQUEST), delivery: 'email', senderAddress: sender },
      });
      if (res.status !== 200) throw new Error(`invites: ${res.status} ${res.text}`);
      if (res.body.failed.length > 0) throw new Error(`invites failed: ${JSON.stringify(res.body.failed.slice(0, 3))}`);
      sent += res.body.invites.length;
      steps.push(performance.now() - t0);
    }
    const total = performance.now() - started;
    const graph = h.env.graph.control.requests();
    const mails = h.env.graph.control.sentMail().length;
    if (sent !== INVITES || mails !== INVITES) throw new Error(`sent ${sent} invites, ${mails} emails`);
    const batches = graph.byRoute['POST /v1.0/$batch'] ?? 0;
    const so = h.env.superoffice.control.requestCount('GET /{ctx}/api/v1/Archive/InternalUsers');
    return [
      `send ${INVITES} invites (${INVITES / PER_REQUEST} requests of ${PER_REQUEST}, progress after each): total ${ms(total)} ms; per step ${steps.map(ms).join(', ')} ms`,
      `  Graph: ${graph.total} requests = ${batches} $batch (${graph.batchItems['POST /v1.0/users/{id}/sendMail'] ?? 0} sendMail items, ${graph.throttled} throttled and retried) + ${graph.total - batches} sender checks; ${mails} emails recorded; minimum possible ${Math.ceil(INVITES / 20)} $batch`,
      `  SuperOffice: ${so} InternalUsers requests (contact-card emails, ${h.env.tenant.associates.length.toLocaleString('en')} associates read once per step)`,
    ];
  } finally {
    await h.closeAll();
  }
}
