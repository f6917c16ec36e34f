/**
 * Health report target: for 10,000 associates / 50,000 mailboxes, the SuperOffice and Graph
 * requests of GET /api/v1/health against the minimum (one associates load and one Load External
 * Users, measured in the same run against the same simulators), and the wall time. The tenant
 * is first linked as the report proposes (every unlinked match), then 100 linked mailboxes are
 * disabled, so the mailbox check of the linked users in doubt ($batch of 20) is counted too.
 */
import { DEMO_CASES } from '../simulators/demo-tenant.js';
import { makeIntegrationHarness } from '../test/helpers/integration.js';
import { ms } from './stats.js';

const DISABLED = 100;

export async function healthBench(): Promise<string[]> {
  const h = await makeIntegrationHarness({ size: 'large', consentGranted: true, graphThrottle: null, calendars: 'empty' });
  const lines: string[] = [];
  const so = h.env.superoffice.control;
  const graph = h.env.graph.control;
  const webApi = () => Object.entries(so.requests().byRoute).filter(([k]) => k.includes('/api/v1/')).reduce((n, [, c]) => n + c, 0);
  try {
    const admin = (await h.signIn(DEMO_CASES.adminAssociateIds[0]!)).message.token!;
    if ((await h.consent(admin)).message.type !== 'mailbox-link:consented') throw new Error('consent failed');

    // The minimum: one load of each.
    so.resetRequests();
    let started = performance.now();
    if ((await h.request('GET', '/api/v1/associates', { token: admin })).status !== 200) throw new Error('associates');
    const soLoad = webApi();
    const soLoadMs = performance.now() - started;
    graph.resetRequests();
    started = performance.now();
    let cursor: string | null = null;
    do {
      const page: { status: number; body: any } = await h.request('GET', `/api/v1/mailboxes${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`, { token: admin });
      if (page.status !== 200) throw new Error(`mailboxes: ${page.status}`);
      cursor = page.body.next;
    } while (cursor);
    const graphLoad = graph.requests().total;
    const graphLoadMs = performance.now() - started;

    // An unlinked tenant: the report proposes the links.
    const timed = async () => {
      so.resetRequests();
      graph.resetRequests();
      const t0 = performance.now();
      const res = await h.request('GET', '/api/v1/health', { token: admin });
      if (res.status !== 200) throw new Error(`health: ${res.status} ${res.text.slice(0, 200)}`);
      return { body: res.body, wall: performance.now() - t0, so: webApi(), graph: graph.requests().total, batches: graph.requests().byRoute['POST /v1.0/$batch'] ?? 0 };
    };
    const unlinked = await timed();
    const matches = unlinked.body.problems.filter((p: any) => p.kind === 'unlinked_match');
    const saved = await h.request('POST', '/api/v1/links', {
      token: admin,
      body: { links: matches.map((p: any) => ({ associateId: p.associateId, associateName: p.associateName, mailboxId: p.mailboxId, mailboxAddress: p.mailboxAddress })) },
    });
    if (saved.status !== 201) throw new Error(`links: ${saved.status}`);
    const linked = await timed();

    // 100 linked users disabled: the list cannot tell those from shared mailboxes, the check can.
    const ids = new Set(saved.body.created.slice(0, DISABLED).map((l: any) => l.mailboxId));
    for (const m of h.env.tenant.mailboxes) if (ids.has(m.id)) m.accountEnabled = false;
    const doubt = await timed();
    const disabled = doubt.body.problems.filter((p: any) => p.kind === 'mailbox_disabled').length;

    const n = h.env.tenant.associates.length;
    const m = h.env.tenant.mailboxes.length;
    const verdict = (ok: boolean) => (ok ? 'OK' : 'MISMATCH');
    lines.push(
      `minimum, N=${n.toLocaleString('en')} associates / M=${m.toLocaleString('en')} mailboxes: one associates load ${soLoad} SuperOffice requests (${ms(soLoadMs)} ms), one Load External Users ${graphLoad} Graph requests (${ms(graphLoadMs)} ms)`,
      `health, unlinked tenant (${unlinked.body.problems.length.toLocaleString('en')} problems): ${unlinked.so} SuperOffice + ${unlinked.graph} Graph requests ${verdict(unlinked.so === soLoad && unlinked.graph === graphLoad)}; wall ${ms(unlinked.wall)} ms`,
      `health, ${saved.body.created.length.toLocaleString('en')} links (${linked.body.problems.length} problems): ${linked.so} SuperOffice + ${linked.graph} Graph requests ${verdict(linked.so === soLoad && linked.graph === graphLoad)}; wall ${ms(linked.wall)} ms`,
      `health, ${DISABLED} linked users disabled (${disabled} found): ${doubt.so} SuperOffice + ${doubt.graph} Graph requests = minimum + ${doubt.batches} $batch (ceil(${DISABLED}/20) = ${Math.ceil(DISABLED / 20)}) ${verdict(doubt.so === soLoad && doubt.graph === graphLoad + Math.ceil(DISABLED / 20) && disabled === DISABLED)}; wall ${ms(doubt.wall)} ms`,
    );
    return lines;
  } finally {
    await h.closeAll();
  }
}

// Run on its own: node dist/bench/health.js
if (process.argv[1]?.endsWith('/bench/health.js')) {
  healthBench().then(
    (lines) => console.log(lines.join('\n')),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
