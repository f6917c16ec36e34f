import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SuperOfficeSimulator } from '../../simulators/superoffice/superoffice.simulator.js';
import { ADMIN_IDS, associateIdAt, CLIENT, CONTEXT_ID, fixtureTenant } from './superoffice.fixture.js';
import { api, signIn, startFixtureSimulator, tokenRequest } from './superoffice.helpers.js';

/** Control over HTTP, as a benchmark or end-to-end test in another process uses it. */
async function sim_(sim: SuperOfficeSimulator, method: string, path: string, body?: unknown) {
  const res = await fetch(`${sim.url}/__sim/${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('SuperOffice simulator: /__sim control routes', () => {
  let sim: SuperOfficeSimulator;
  before(async () => {
    sim = await startFixtureSimulator();
  });
  after(() => sim.close());

  test('issue a token and a ticket, then expire tokens; refresh still works until consent is revoked', async () => {
    const issued = await sim_(sim, 'POST', 'tokens', { associateId: ADMIN_IDS[0], contextId: CONTEXT_ID });
    assert.equal(issued.status, 200);
    const token = issued.body.access_token;
    assert.equal((await api(sim, 'GET', 'v1/User/currentPrincipal', { token })).status, 200);
    const ticket = (await sim_(sim, 'POST', 'tickets', { associateId: ADMIN_IDS[0] })).body.ticket;
    const headers = { Authorization: `SOTicket ${ticket}`, 'SO-AppToken': CLIENT.clientSecret };
    assert.equal((await api(sim, 'GET', 'v1/User/currentPrincipal', { headers })).status, 200);

    const signedIn = await signIn(sim, associateIdAt(2));
    const expired = await sim_(sim, 'POST', 'tokens/expire');
    assert.ok(expired.body.expired >= 3);
    assert.equal((await api(sim, 'GET', 'v1/User/currentPrincipal', { token })).status, 401);
    assert.equal((await api(sim, 'GET', 'v1/User/currentPrincipal', { headers })).status, 401);
    const refresh = { grant_type: 'refresh_token', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, refresh_token: signedIn.refresh_token };
    assert.equal((await tokenRequest(sim, refresh)).status, 200);
    assert.equal((await sim_(sim, 'POST', 'refresh-tokens/revoke')).body.revoked, 1);
    assert.equal((await tokenRequest(sim, refresh)).status, 400);

    assert.equal((await sim_(sim, 'POST', 'tokens', { associateId: 1 })).status, 400, 'unknown associate');
  });

  test('faults: failNext, down and latency, and reading them back', async () => {
    const token = sim.control.issueAccessToken({ associateId: ADMIN_IDS[0] ?? 0 });
    const set = await sim_(sim, 'POST', 'faults', { failNext: 1, status: 503, latencyMs: 30 });
    assert.deepEqual(set.body, { failNext: 1, status: 503, down: 'off', latencyMs: 30 });
    assert.equal((await api(sim, 'GET', 'v1/User/currentPrincipal', { token })).status, 503);
    assert.equal((await api(sim, 'GET', 'v1/User/currentPrincipal', { token })).status, 200);
    await sim_(sim, 'POST', 'faults', { down: '503' });
    assert.equal((await api(sim, 'GET', 'v1/User/currentPrincipal', { token })).status, 503);
    assert.equal((await sim_(sim, 'POST', 'faults', { down: 'sideways' })).status, 400);
    await sim_(sim, 'POST', 'faults', { down: 'off', latencyMs: 0 });
    assert.deepEqual((await sim_(sim, 'GET', 'faults')).body, { failNext: 0, status: 503, down: 'off', latencyMs: 0 });
    // A refusal that says why, in SuperOffice's error body.
    await sim_(sim, 'POST', 'faults', { failNext: 1, status: 403, errorType: 'SoAccessDeniedException', message: "Function right 'admin-users' missing" });
    const denied = await api(sim, 'GET', 'v1/User/currentPrincipal', { token });
    assert.equal(denied.status, 403);
    assert.deepEqual([denied.body.Error, denied.body.ErrorType, denied.body.ErrorMessage], [true, 'SoAccessDeniedException', "Function right 'admin-users' missing"]);
  });

  test('request counts exclude control calls and reset; web panels are readable; reset clears everything', async () => {
    const token = sim.control.issueAccessToken({ associateId: ADMIN_IDS[0] ?? 0 });
    assert.equal((await sim_(sim, 'DELETE', 'requests')).status, 204);
    await api(sim, 'POST', 'v1/List/WebPanel/Items', { token, body: { Name: 'x', ProgId: 'x', VisibleIn: 'BrowserPanel' } });
    const counts = await sim_(sim, 'GET', 'requests');
    assert.deepEqual(counts.body, { total: 1, byRoute: { 'POST /{ctx}/api/v1/List/WebPanel/Items': 1 } });
    const panels = await sim_(sim, 'GET', `webpanels?ctx=${CONTEXT_ID}`);
    assert.equal(panels.body[0].entity.ProgId, 'x');
    assert.equal(panels.body[0].ownerClientId, CLIENT.clientId);
    assert.equal((await sim_(sim, 'POST', 'reset')).status, 204);
    assert.deepEqual((await sim_(sim, 'GET', 'webpanels')).body, []);
    assert.equal((await api(sim, 'GET', 'v1/User/currentPrincipal', { token })).status, 401, 'tokens cleared');
  });
});

describe('SuperOffice simulator: cost of reading associates', () => {
  test('N associates cost one archive request per page, by OData ($skip while full) and by agent', async () => {
    const n = 2345;
    const sim = await startFixtureSimulator({ tenant: fixtureTenant(CONTEXT_ID, n) });
    try {
      const token = sim.control.issueAccessToken({ associateId: ADMIN_IDS[0] ?? 0 });
      let rows = 0;
      for (let skip = 0; ; skip += 1000) {
        const res = await fetch(`${sim.webApiUrl()}v1/Archive/InternalUsers?$select=associateDbId,personEmail&$entities=all&$orderBy=associateDbId&$top=1000&$skip=${skip}&$output=Logical`, { headers: { Authorization: `Bearer ${token}` } });
        const body = (await res.json()) as { value: unknown[] };
        rows += body.value.length;
        if (body.value.length < 1000) break;
      }
      assert.equal(rows, n);
      assert.equal(sim.control.requestCount('GET /{ctx}/api/v1/Archive/InternalUsers'), Math.ceil(n / 1000));

      let agentRows = 0;
      for (let page = 0; ; page += 1) {
        const res = await api(sim, 'POST', 'v1/Agents/Archive/GetArchiveListByColumns2', {
          token,
          body: { ProviderName: 'InternalUsers', Columns: 'associateDbId', SortOrder: 'associateDbId', Restrictions: 'getAllRows = 1', Entities: 'all', Page: page, PageSize: 500 },
        });
        agentRows += res.body.length;
        if (res.body.length < 500) break;
      }
      assert.equal(agentRows, n);
      assert.equal(sim.control.requestCount('POST /{ctx}/api/v1/Agents/Archive/GetArchiveListByColumns2'), Math.ceil(n / 500));
    } finally {
      await sim.close();
    }
  });
});
