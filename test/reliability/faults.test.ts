import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test, type TestContext } from 'node:test';
import { SecretBox } from '../../backend/security/secret-box.js';
import { DEMO_CASES } from '../../simulators/demo-tenant.js';
import type { DemoAssociate, DemoMailbox } from '../../simulators/demo-tenant.types.js';
import type { GraphFaults } from '../../simulators/graph/graph.types.js';
import { loadCredential } from '../../backend/superoffice/credential.repository.js';
import { StatementFaults } from '../helpers/faults.js';
import { ADMIN, dumpDatabase, makeHarness, newLink, seedHistory, type Harness, type Reply } from '../helpers/harness.js';
import { makeIntegrationHarness, type IntegrationHarness } from '../helpers/integration.js';
import { auditDisagreements } from './support.js';
import { grantAnswer } from '../backend/invites/invite-flow.js';

/**
 * Faults the other suites do not inject yet (test/backend/** covers: a 429 burst and persistent
 * 429/503 on the first Load External Users page, sendMail failing inside $batch, an expired
 * SuperOffice token refreshed once, SuperOffice 503/reset/500 on /associates, and the database
 * failing at each statement of small Save / Options / Remove batches):
 * - Graph 429 and 503 bursts on a later page of Load External Users and on the mailbox check's
 *   $batch envelopes and items: retried, same result; persistent: a clear 429/503 error, nothing
 *   written, and paging resumes from the same cursor afterwards;
 * - SuperOffice: the refreshed token re-sealed in the database (and the database failing at that
 *   moment), refresh refused, 5xx and dropped connections on /associates and during POST /invites:
 *   a clear error and nothing written;
 * - the database failing at each statement of PATCH /tenant, POST /invites (email and link),
 *   POST /invites/revoke, POST /authorizations/revoke and the invite accept, and of Save / Options
 *   / Remove batches large enough to take several statements each.
 * After every fault the database equals what it was before (or, for invites whose emails had
 * gone out, the documented state: the invites exist and their links work) and the audit log
 * agrees with the data.
 */

const USERS = 'GET /v1.0/users';
const BATCH = 'POST /v1.0/$batch';
const ARCHIVE = 'GET /{ctx}/api/v1/Archive/InternalUsers';
const SELECT = 'id,displayName,mail,userPrincipalName,proxyAddresses,accountEnabled,userType';

const tally = { injected: 0, survived: 0, byKind: new Map<string, number>() };
function injected(kind: string, n = 1): void {
  tally.injected += n;
  tally.byKind.set(kind, (tally.byKind.get(kind) ?? 0) + n);
}

/** The database did not change and the audit log agrees with it. */
async function unchanged(store: Harness['store'], before: string, what: string): Promise<void> {
  assert.equal(await dumpDatabase(store), before, `${what} changed the database`);
  assert.deepEqual(await auditDisagreements(store), [], `${what}: the audit log disagrees with the data`);
}

function errorShape(res: Reply, status: number, code: string): void {
  assert.equal(res.status, status, res.text);
  assert.equal(res.body.error.code, code, res.text);
  assert.equal(typeof res.body.error.message, 'string');
  assert.ok(res.body.error.message.length > 10);
  assert.ok(Array.isArray(res.body.error.details));
  assert.ok(!/stack|at \w+ \(|Error:/.test(res.text), 'no stack or driver message');
}

describe('faults around the simulators and the database (SuperOffice, Entra ID, Graph)', () => {
  let h: IntegrationHarness;
  let faulty: Harness;
  let faults: StatementFaults;
  let admin: string;
  let sender: DemoMailbox;
  let invitable: { a: DemoAssociate; m: DemoMailbox }[];
  let started: number;

  before(async () => {
    started = performance.now();
    h = await makeIntegrationHarness({ consentGranted: false });
    faults = new StatementFaults();
    faulty = h.withStore(h.store.withPlugin(faults));
    admin = (await h.signIn(DEMO_CASES.adminAssociateIds[0]!)).message.token!;
    assert.equal((await h.consent(admin)).message.type, 'mailbox-link:consented');
    sender = h.env.tenant.mailboxes.find((m) => m.id === DEMO_CASES.adminMailboxId)!;
    const mailboxOf = (email: string) => h.env.tenant.mailboxes.find((m) => m.userType === 'Member' && m.mail?.toLowerCase() === email.toLowerCase());
    invitable = h.env.tenant.associates
      .filter((a) => a.isActive && a.personEmail && !DEMO_CASES.adminAssociateIds.includes(a.associateId))
      .map((a) => ({ a, m: mailboxOf(a.personEmail!) }))
      .filter((x): x is { a: DemoAssociate; m: DemoMailbox } => Boolean(x.m && x.m.userPurpose === 'user' && x.m.accountEnabled))
      .filter((x, i, all) => all.findIndex((y) => y.m.id === x.m.id) === i);
    assert.ok(invitable.length >= 8);
  });
  after(() => h.closeAll());
  beforeEach(() => {
    h.env.graph.control.clearFaults();
    h.env.graph.control.resetRequests();
    h.env.superoffice.control.setDown('off');
    h.env.superoffice.control.failNext(0);
    h.env.superoffice.control.resetRequests();
    faults.reset();
  });

  // ---------------------------------------------------------------- Microsoft Graph

  /** Load External Users in pages of `size` (a cursor on Graph, as a next link is), from `cursor` to the end or the first failure. */
  async function loadPages(size: number, onPage: (page: number) => void = () => {}, from?: string) {
    const ids: string[] = [];
    let cursor: string | null = from ?? `${h.env.graph.url}/v1.0/users?$select=${SELECT}&$top=${size}&$count=true`;
    let page = 0;
    while (cursor) {
      onPage(++page);
      const res: Reply = await h.request('GET', `/api/v1/mailboxes?cursor=${encodeURIComponent(cursor)}`, { token: admin });
      if (res.status !== 200) return { ids, page, failed: res, cursor };
      ids.push(...res.body.mailboxes.map((m: { id: string }) => m.id));
      cursor = res.body.next;
    }
    return { ids, page, failed: null, cursor: null };
  }

  test('Load External Users: 429 and 503 bursts on a later page are retried and give the same list; persistent ones a clear error, and paging resumes', async (t) => {
    const baseline = await loadPages(10);
    assert.equal(baseline.failed, null);
    assert.ok(baseline.page >= 5, `${baseline.page} pages`);
    assert.equal(new Set(baseline.ids).size, h.env.tenant.mailboxes.length);
    const before = await dumpDatabase(h.store);

    const bursts: [string, GraphFaults, number][] = [
      ['two 429s', { throttled: 2 }, 2],
      ['two 503s', { unavailable: 2 }, 2],
      ['a 503 then a 429', { unavailable: 1, throttled: 1 }, 2],
    ];
    for (const [what, fault, extra] of bursts) {
      h.env.graph.control.resetRequests();
      const run = await loadPages(10, (page) => page === 3 && h.env.graph.control.setFaults({ ...fault, retryAfterSeconds: 0, route: USERS }));
      assert.equal(run.failed, null, `${what}: ${run.failed?.text}`);
      assert.deepEqual(run.ids, baseline.ids, `${what}: the same users in the same order`);
      assert.equal(h.env.graph.control.requests().byRoute[USERS], baseline.page + extra, `${what}: retried`);
      injected('Graph burst during paging', extra);
      tally.survived += extra;
    }

    // Retry-After is honoured: one 429 with Retry-After: 1 on page 2 takes a second.
    const timed = performance.now();
    const slow = await loadPages(10, (page) => page === 2 && h.env.graph.control.setFaults({ throttled: 1, retryAfterSeconds: 1, route: USERS }));
    assert.equal(slow.failed, null);
    assert.ok(performance.now() - timed >= 950, 'waited as Retry-After said');
    injected('Graph burst during paging');
    tally.survived += 1;

    const persistent: [string, GraphFaults, number, string][] = [
      ['throttled', { throttled: 1000 }, 429, 'MicrosoftThrottled'],
      ['unavailable', { unavailable: 'persistent' }, 503, 'MicrosoftUnavailable'],
    ];
    for (const [what, fault, status, code] of persistent) {
      h.env.graph.control.resetRequests();
      const cut = await loadPages(10, (page) => page === 4 && h.env.graph.control.setFaults({ ...fault, retryAfterSeconds: 0, route: USERS }));
      assert.ok(cut.failed, `${what}: the page failed`);
      errorShape(cut.failed, status, code);
      assert.equal(cut.page, 4);
      assert.equal(h.env.graph.control.requests().byRoute[USERS], 3 + 4, `${what}: one try and three retries on page 4`);
      h.env.graph.control.clearFaults();
      // The panel can go on from the page that failed.
      const rest = await loadPages(10, () => {}, cut.cursor!);
      assert.equal(rest.failed, null);
      assert.deepEqual([...cut.ids, ...rest.ids], baseline.ids, `${what}: resumed to the same list`);
      injected('Graph persistent during paging', 4);
      tally.survived += 4;
    }
    await unchanged(h.store, before, 'Load External Users under faults');
    t.diagnostic(`Load External Users: ${baseline.page} pages of 10, bursts retried, persistent 429/503 reported and resumed`);
  });

  test('mailbox check: throttled or unavailable $batch envelopes and throttled items are retried to the same answer; persistent ones a clear error', async (t) => {
    const ids = [
      ...h.env.tenant.mailboxes.slice(0, 40).map((m) => m.id),
      DEMO_CASES.sharedMailboxId,
      DEMO_CASES.roomMailboxId,
      ...DEMO_CASES.noMailboxIds,
      '00000000-0000-4000-8000-00000000abcd',
    ].filter((id, i, all) => all.indexOf(id) === i);
    const check = () => h.request('POST', '/api/v1/mailboxes/check', { token: admin, body: { ids } });
    const baseline = await check();
    assert.equal(baseline.status, 200, baseline.text);
    const kinds = new Set(baseline.body.results.map((r: { kind: string }) => r.kind));
    for (const k of ['user', 'shared', 'room', 'noMailbox', 'notFound']) assert.ok(kinds.has(k), `baseline has ${k}`);
    const envelopes = Math.ceil(ids.length / 20);
    const before = await dumpDatabase(h.store);

    for (const [what, fault] of [
      ['two 429 envelopes', { throttled: 2 }],
      ['two 503 envelopes', { unavailable: 2 }],
    ] as [string, GraphFaults][]) {
      h.env.graph.control.resetRequests();
      h.env.graph.control.setFaults({ ...fault, retryAfterSeconds: 0, route: BATCH });
      const res = await check();
      assert.equal(res.status, 200, `${what}: ${res.text}`);
      assert.deepEqual(res.body, baseline.body, `${what}: the same kinds`);
      assert.equal(h.env.graph.control.requests().byRoute[BATCH], envelopes + 2);
      injected('Graph $batch burst', 2);
      tally.survived += 2;
    }

    // Items throttled inside the batches (the per-app budget runs out): sent again after Retry-After.
    h.env.graph.control.clearFaults();
    h.env.graph.control.resetRequests();
    h.env.graph.control.setThrottle({ limit: 30, windowSeconds: 1 });
    try {
      const res = await check();
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, baseline.body, 'throttled items: the same kinds');
      const throttled = h.env.graph.control.requests().throttled;
      assert.ok(throttled > 0, 'Graph throttled some items');
      injected('Graph throttled $batch items', throttled);
      tally.survived += throttled;
    } finally {
      h.env.graph.control.setThrottle({ limit: 8000, windowSeconds: 10 });
    }

    for (const [what, fault, status, code] of [
      ['throttled', { throttled: 1000 }, 429, 'MicrosoftThrottled'],
      ['unavailable', { unavailable: 'persistent' }, 503, 'MicrosoftUnavailable'],
    ] as [string, GraphFaults, number, string][]) {
      h.env.graph.control.setFaults({ ...fault, retryAfterSeconds: 0, route: BATCH });
      const res = await check();
      assert.equal(res.status, status, `${what}: ${res.text}`);
      errorShape(res, status, code);
      h.env.graph.control.clearFaults();
      injected('Graph persistent $batch', 4);
      tally.survived += 4;
    }
    await unchanged(h.store, before, 'the mailbox check under faults');
    t.diagnostic(`mailbox check of ${ids.length} users (${envelopes} $batch): bursts and throttled items retried, persistent 429/503 reported`);
  });

  // ---------------------------------------------------------------- SuperOffice

  async function credentialRow() {
    return h.store.db
      .selectFrom('superoffice_credential')
      .selectAll()
      .where('tenant_id', '=', 'Cust12345')
      .where('associate_id', '=', DEMO_CASES.adminAssociateIds[0]!)
      .executeTakeFirstOrThrow();
  }

  test('SuperOffice 401: the token is refreshed, the read repeated, and the new token sealed in the database; the database failing at that moment loses nothing', async () => {
    const box = SecretBox.fromSetting(h.config.tokenEncryptionKey!);
    const baseline = await h.request('GET', '/api/v1/associates', { token: admin });
    assert.equal(baseline.status, 200, baseline.text);
    const old = await credentialRow();
    const oldToken = (await loadCredential(h.store, box, 'Cust12345', DEMO_CASES.adminAssociateIds[0]!))!.accessToken;

    // The database fails when the refreshed token is written: 500, the old credential stays.
    h.env.superoffice.control.expireAccessTokens();
    const kinds: string[] = [];
    faults.reset();
    await faulty.request('GET', '/api/v1/associates', { token: admin });
    // That succeeded (probe); expire again and fail the write this time.
    kinds.push(...faults.kinds);
    const update = kinds.indexOf('UpdateQueryNode') + 1;
    assert.ok(update > 0, `the refresh writes the credential: ${kinds.join(', ')}`);
    const probed = await credentialRow();
    assert.notEqual(probed.access_token_sealed, old.access_token_sealed);
    h.env.superoffice.control.expireAccessTokens();
    const before = await dumpDatabase(h.store);
    faults.reset(update);
    const failed = await faulty.request('GET', '/api/v1/associates', { token: admin });
    faults.reset();
    errorShape(failed, 500, 'InternalError');
    await unchanged(h.store, before, 'the failed re-seal');
    injected('database fails re-sealing a refreshed SuperOffice token');

    // Next time it refreshes again (the refresh token still works) and seals the new token.
    h.env.superoffice.control.resetRequests();
    const res = await h.request('GET', '/api/v1/associates', { token: admin });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, baseline.body);
    assert.equal(h.env.superoffice.control.requestCount(ARCHIVE), 2, 'one 401, one retry');
    tally.survived += 1;
    const now = await credentialRow();
    assert.notEqual(now.access_token_sealed, probed.access_token_sealed);
    const newToken = (await loadCredential(h.store, box, 'Cust12345', DEMO_CASES.adminAssociateIds[0]!))!.accessToken;
    assert.notEqual(newToken, oldToken);
    assert.ok(!JSON.stringify(now).includes(newToken), 'sealed, not stored in clear');
    // The sealed token is the one in use: the next read needs no refresh.
    h.env.superoffice.control.resetRequests();
    assert.equal((await h.request('GET', '/api/v1/associates', { token: admin })).status, 200);
    assert.equal(h.env.superoffice.control.requestCount(ARCHIVE), 1, 'no 401 with the stored token');
    injected('SuperOffice 401 (expired token)', 2);
    tally.survived += 2;
  });

  test('SuperOffice 5xx, down or dropping connections on /associates and during POST /invites: a clear 503 and nothing written', async (t) => {
    const before = await dumpDatabase(h.store);
    const cases: [string, () => void][] = [
      ['500', () => h.env.superoffice.control.failNext(1, { status: 500 })],
      ['502', () => h.env.superoffice.control.failNext(1, { status: 502 })],
      ['504', () => h.env.superoffice.control.failNext(1, { status: 504 })],
      ['down (503 page)', () => h.env.superoffice.control.setDown('503')],
      ['connection reset', () => h.env.superoffice.control.setDown('reset')],
    ];
    for (const [what, fault] of cases) {
      fault();
      errorShape(await h.request('GET', '/api/v1/associates', { token: admin }), 503, 'SuperOfficeUnavailable');
      h.env.superoffice.control.setDown('off');
      h.env.superoffice.control.failNext(0);
      await unchanged(h.store, before, `SuperOffice ${what} on /associates`);
      fault();
      const invite = await h.request('POST', '/api/v1/invites', {
        token: admin,
        body: { associateIds: invitable.slice(0, 2).map((x) => x.a.associateId), delivery: 'email', senderAddress: sender.userPrincipalName },
      });
      errorShape(invite, 503, 'SuperOfficeUnavailable');
      h.env.superoffice.control.setDown('off');
      h.env.superoffice.control.failNext(0);
      await unchanged(h.store, before, `SuperOffice ${what} during POST /invites`);
      assert.equal(h.env.graph.control.sentMail().length, 0, 'no email went out');
      injected('SuperOffice 5xx/down', 2);
      tally.survived += 2;
    }
    assert.equal((await h.request('GET', '/api/v1/associates', { token: admin })).status, 200, 'back when SuperOffice is');

    // Refresh refused (consent withdrawn): sign in again, nothing written.
    h.env.superoffice.control.expireAccessTokens();
    h.env.superoffice.control.revokeRefreshTokens();
    const denied = await h.request('GET', '/api/v1/associates', { token: admin });
    errorShape(denied, 401, 'SuperOfficeSignInRequired');
    await unchanged(h.store, before, 'a refused refresh');
    injected('SuperOffice refresh refused');
    tally.survived += 1;
    admin = (await h.signIn(DEMO_CASES.adminAssociateIds[0]!)).message.token!;
    t.diagnostic(`SuperOffice: ${cases.length} kinds of failure on /associates and POST /invites, and a refused refresh: 503/401, nothing written`);
  });

  // ---------------------------------------------------------------- the database, statement by statement

  /**
   * Runs `send` once on `probe()`'s scenario to count its statements, then once per statement with
   * that one failing, on `scenario()`'s: a 500, and the database as before (or, where `landed`
   * says the change had already committed, as `landed` checks). Returns the statement count.
   */
  async function everyStatement(
    t: TestContext,
    label: string,
    o: {
      probe: () => Promise<unknown>;
      scenario: () => Promise<unknown>;
      send: (arg: any, via: Harness) => Promise<Reply>;
      ok: number;
      /** For failures after a commit (POST /invites): checks the documented state, or returns false if nothing had landed. */
      landed?: (arg: any, before: string) => Promise<boolean>;
    },
  ): Promise<number> {
    const probeArg = await o.probe();
    faults.reset();
    const probe = await o.send(probeArg, faulty);
    assert.equal(probe.status, o.ok, `${label} probe: ${probe.text}`);
    const total = faults.count;
    const kinds = [...faults.kinds];
    let documented = 0;
    for (let n = 1; n <= total; n++) {
      const arg = await o.scenario();
      const before = await dumpDatabase(h.store);
      faults.reset(n);
      const res = await o.send(arg, faulty);
      const reached = faults.count >= n;
      faults.reset();
      assert.ok(reached, `${label}: statement ${n} of ${total} was not reached (${kinds.join(', ')})`);
      if (o.landed && (await o.landed(arg, before))) {
        // After the commit the change stands, and the answer says so (a retry would undo emailed links).
        assert.equal(res.status, o.ok, `${label}: statement ${n} failing after the commit: ${res.text}`);
        documented += 1;
      } else {
        errorShape(res, 500, 'InternalError');
        await unchanged(h.store, before, `${label}: statement ${n} of ${total} (${kinds[n - 1]}) failing`);
      }
      injected(`database fails: ${label}`);
      tally.survived += 1;
    }
    t.diagnostic(`${label}: failed at each of ${total} statements: ${total - documented} → 500 and the database as it was${documented ? `, ${documented} (after the commit) → ${o.ok} and the documented state: the invites exist and work` : ''}`);
    return total;
  }

  async function tenantInfo() {
    const res = await h.request('GET', '/api/v1/tenant', { token: admin });
    assert.equal(res.status, 200);
    return res.body;
  }

  test('PATCH /tenant: the database failing at any statement changes no setting and writes no audit row', async (t) => {
    const body = async () => {
      const info = await tenantInfo();
      return { expectedVersion: info.version, mode: info.mode === 'oauth' ? 'application' : 'oauth', inviteTtlDays: info.inviteTtlDays === 7 ? 14 : 7 };
    };
    await everyStatement(t, 'PATCH /tenant', { probe: body, scenario: body, send: (b, via) => via.request('PATCH', '/api/v1/tenant', { token: admin, body: b }), ok: 200 });
    // Back to OAuth mode for the invites below.
    const info = await tenantInfo();
    if (info.mode !== 'oauth') assert.equal((await h.request('PATCH', '/api/v1/tenant', { token: admin, body: { expectedVersion: info.version, mode: 'oauth' } })).status, 200);
  });

  /** Invite tokens from the emails sent after `from` (an index into sentMail). */
  const mailedTokens = (from: number) =>
    h.env.graph.control
      .sentMail()
      .slice(from)
      .map((m) => /#invite=([A-Za-z0-9_-]{43})/.exec(String((m.message.body as { content: string }).content))![1]!);

  test('POST /invites (email): the database failing before the emails leaves nothing; after them, the invites exist and their links work', async (t) => {
    const targets = invitable.slice(0, 3).map((x) => x.a.associateId);
    let mailedBefore = 0;
    const scenario = async () => {
      mailedBefore = h.env.graph.control.sentMail().length;
      return { associateIds: targets, delivery: 'email', senderAddress: sender.userPrincipalName, senderName: 'Kari' };
    };
    await everyStatement(t, 'POST /invites (email)', {
      // As in every attempt after it, the associates already have open invites (which get replaced).
      probe: async () => {
        assert.equal((await h.request('POST', '/api/v1/invites', { token: admin, body: await scenario() })).status, 200);
        return scenario();
      },
      scenario,
      send: (b, via) => via.request('POST', '/api/v1/invites', { token: admin, body: b }),
      ok: 200,
      landed: async (_b, before) => {
        const tokens = mailedTokens(mailedBefore);
        if (tokens.length === 0) return false;
        // The documented state: every invite that was emailed exists, is open, and its link works.
        assert.equal(tokens.length, targets.length);
        const previous = new Set(JSON.parse(before).invite.map((i: { id: string }) => i.id));
        const rows = await h.store.db.selectFrom('invite').selectAll().where('associate_id', 'in', targets).execute();
        const fresh = rows.filter((r) => !previous.has(r.id));
        assert.deepEqual(fresh.map((r) => r.associate_id).sort(), [...targets].sort(), 'one new invite per associate');
        assert.ok(fresh.every((r) => r.revoked_at === null && r.accepted_at === null && r.send_error === null));
        assert.ok(rows.filter((r) => previous.has(r.id)).every((r) => r.revoked_at !== null || r.accepted_at !== null), 'the older ones were replaced');
        assert.deepEqual(await auditDisagreements(h.store), []);
        for (const token of tokens) {
          const opened = await h.request('POST', '/api/public/invites/open', { body: { token } });
          assert.equal(opened.status, 200, `an emailed link works: ${opened.text}`);
        }
        return true;
      },
    });
  });

  test('POST /invites (link) and POST /invites/revoke: the database failing at any statement leaves nothing half done', async (t) => {
    const target = invitable[3]!.a.associateId;
    const body = async () => ({ associateIds: [target], delivery: 'link' });
    await everyStatement(t, 'POST /invites (link)', {
      probe: async () => {
        assert.equal((await h.request('POST', '/api/v1/invites', { token: admin, body: await body() })).status, 200);
        return body();
      },
      scenario: body,
      send: (b, via) => via.request('POST', '/api/v1/invites', { token: admin, body: b }),
      ok: 200,
      // The last statement reads the invites back after the commit: they exist, and the answer still carries their links.
      landed: async (_b, before) => {
        const previous = new Set(JSON.parse(before).invite.map((i: { id: string }) => i.id));
        const fresh = (await h.store.db.selectFrom('invite').selectAll().where('associate_id', '=', target).execute()).filter((r) => !previous.has(r.id));
        if (fresh.length === 0) return false;
        assert.equal(fresh.length, 1);
        assert.deepEqual(await auditDisagreements(h.store), []);
        return true;
      },
    });

    const create = async () => {
      const res = await h.request('POST', '/api/v1/invites', { token: admin, body: { associateIds: [invitable[4]!.a.associateId], delivery: 'link' } });
      assert.equal(res.status, 200, res.text);
      return res.body.invites[0].id as string;
    };
    const open = await create();
    await everyStatement(t, 'POST /invites/revoke', {
      probe: async () => (await h.request('POST', '/api/v1/invites', { token: admin, body: { associateIds: [invitable[5]!.a.associateId], delivery: 'link' } })).body.invites[0].id,
      scenario: async () => open,
      send: (id, via) => via.request('POST', '/api/v1/invites/revoke', { token: admin, body: { ids: [id] } }),
      ok: 200,
    });
    const revoked = await h.request('POST', '/api/v1/invites/revoke', { token: admin, body: { ids: [open] } });
    assert.equal(revoked.status, 200);
    assert.equal(revoked.body.revoked[0].state, 'revoked', 'still revocable after the failures');
  });

  test('invite accept and POST /authorizations/revoke: the database failing at any statement leaves the invite open and the authorization as it was', async (t) => {
    /** A link invite for invitable[i], opened: the grant sign-in to go through, and its mailbox. */
    const openInvite = async (i: number) => {
      const res = await h.request('POST', '/api/v1/invites', { token: admin, body: { associateIds: [invitable[i]!.a.associateId], delivery: 'link' } });
      assert.equal(res.status, 200, res.text);
      const token = /#invite=([A-Za-z0-9_-]{43})/.exec(res.body.links[0].url)![1]!;
      const opened = await h.request('POST', '/api/public/invites/open', { body: { token } });
      assert.equal(opened.status, 200, opened.text);
      return { authorizeUrl: opened.body.signIn.authorizeUrl as string, mailbox: invitable[i]!.m };
    };
    /** Signs in at Microsoft (a fresh code each time: a code is redeemed once), then the callback. */
    const accept = async (x: { authorizeUrl: string; mailbox: DemoMailbox }, via: Harness) => {
      const back = await grantAnswer(h, x.authorizeUrl, x.mailbox.id);
      return via.request('GET', `${back.pathname}${back.search}`);
    };

    const first = await openInvite(6);
    const second = await openInvite(7);
    await everyStatement(t, 'invite accept', { probe: async () => first, scenario: async () => second, send: accept, ok: 303 });
    const accepted = await accept(second, h);
    assert.equal(accepted.status, 303, `accepted after the failures: ${accepted.text}`);
    assert.match(String(accepted.headers.location), /^\/accept\/#accepted=/);

    // The second mailbox is linked, with history: revoking its authorization disables the link, keeps it.
    const m = second.mailbox;
    const a = invitable[7]!.a;
    const link = await h.request('POST', '/api/v1/links', {
      token: admin,
      body: { links: [{ associateId: a.associateId, associateName: a.fullName, mailboxId: m.id, mailboxAddress: m.mail }] },
    });
    assert.equal(link.status, 201, link.text);
    await seedHistory(h.store, 'Cust12345', link.body.created[0].id, 3);
    await everyStatement(t, 'POST /authorizations/revoke', {
      probe: async () => first.mailbox.id,
      scenario: async () => m.id,
      send: (id, via) => via.request('POST', '/api/v1/authorizations/revoke', { token: admin, body: { mailboxIds: [id] } }),
      ok: 200,
    });
    const revoked = await h.request('POST', '/api/v1/authorizations/revoke', { token: admin, body: { mailboxIds: [m.id] } });
    assert.equal(revoked.status, 200);
    assert.equal(revoked.body.disabledLinks, 1);
    assert.deepEqual(await auditDisagreements(h.store), []);
  });

  test('faults injected and survived', (t) => {
    t.diagnostic(`integration faults: ${[...tally.byKind].map(([k, n]) => `${k} ×${n}`).join('; ')}`);
    t.diagnostic(`so far ${tally.injected} faults injected, ${tally.survived} survived; ${((performance.now() - started) / 1000).toFixed(1)} s`);
    assert.equal(tally.survived, tally.injected);
  });
});

describe('the database failing inside Save / Options / Remove batches that take several statements', () => {
  const N = 4_500;
  let h: Harness;
  let faulty: Harness;
  let faults: StatementFaults;
  let admin: string;
  let started: number;
  before(() => {
    started = performance.now();
  });
  // A fresh database for each: the dumps compared after every fault stay small.
  beforeEach(async () => {
    h = await makeHarness();
    faults = new StatementFaults();
    faulty = h.withStore(h.store.withPlugin(faults));
    admin = await h.token(ADMIN);
  });
  afterEach(() => h.close());

  let next = 1_000_000;
  const links = (n: number) => Array.from({ length: n }, () => newLink(next++));
  const save = async (n: number) => {
    const res = await h.request('POST', '/api/v1/links', { token: admin, body: { links: links(n) } });
    assert.equal(res.status, 201);
    return res.body.created as { id: string; version: number }[];
  };

  async function everyStatement(t: TestContext, label: string, probe: () => Promise<unknown>, scenario: () => Promise<unknown>, send: (arg: any, via: Harness) => Promise<Reply>, ok: number, minInserts: number) {
    const probeArg = await probe();
    faults.reset();
    const res = await send(probeArg, faulty);
    assert.equal(res.status, ok, res.text.slice(0, 300));
    const total = faults.count;
    const kinds = [...faults.kinds];
    const writes = kinds.filter((k) => k !== 'SelectQueryNode').length;
    assert.ok(writes >= minInserts, `${label}: ${kinds.join(', ')}`);
    for (let n = 1; n <= total; n++) {
      const arg = await scenario();
      const before = await dumpDatabase(h.store);
      faults.reset(n);
      const failed = await send(arg, faulty);
      faults.reset();
      errorShape(failed, 500, 'InternalError');
      assert.match(failed.body.error.message, /Nothing was saved/);
      await unchanged(h.store, before, `${label}: statement ${n} of ${total} (${kinds[n - 1]})`);
      injected(`database fails: ${label}`);
      tally.survived += 1;
    }
    t.diagnostic(`${label}: ${total} statements (${writes} writes: ${kinds.filter((k) => k !== 'SelectQueryNode').join(', ')}), each failing once → 500, database as before`);
  }

  test(`Save Added Users of ${N.toLocaleString('en')} links (several INSERT statements)`, async (t) => {
    await everyStatement(t, `Save Added Users ×${N}`, async () => links(N), async () => links(N), (l, via) => via.request('POST', '/api/v1/links', { token: admin, body: { links: l } }), 201, 5);
  });

  test(`Save Users Options on ${N.toLocaleString('en')} links in three groups (several UPDATE statements)`, async (t) => {
    const changes = (created: { id: string; version: number }[]) =>
      created.map((l, i) => ({ id: l.id, diary: i % 3 !== 0, task: i % 3 !== 1, contact: true, rank: 1 + (i % 3), expectedVersion: l.version }));
    const probeSet = await save(N);
    const failSet = await save(N);
    await everyStatement(t, `Save Users Options ×${N}`, async () => changes(probeSet), async () => changes(failSet), (c, via) => via.request('PATCH', '/api/v1/links', { token: admin, body: { changes: c } }), 200, 4);
  });

  test(`Remove Selected Users of ${N.toLocaleString('en')} links with history`, async (t) => {
    const withHistory = async () => {
      const created = await save(N);
      for (const l of created.slice(0, 200)) await seedHistory(h.store, 'Cust12345', l.id, 2);
      return created.map((l) => l.id);
    };
    const failSet = await withHistory();
    await everyStatement(t, `Remove Selected Users ×${N}`, withHistory, async () => failSet, (ids, via) => via.request('POST', '/api/v1/links/removal', { token: admin, body: { ids } }), 200, 4);
    t.diagnostic(`in all: ${tally.injected} faults injected, ${tally.survived} survived (${[...tally.byKind].map(([k, n]) => `${k} ×${n}`).join('; ')}); batches ${((performance.now() - started) / 1000).toFixed(1)} s`);
    assert.equal(tally.survived, tally.injected);
  });
});
