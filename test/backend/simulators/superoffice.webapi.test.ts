import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { SuperOfficeSimulator } from '../../../backend/simulators/superoffice/superoffice.simulator.js';
import { ADMIN_IDS, associateIdAt, CLIENT, CONTEXT_ID, fixtureTenant, NO_EMAIL_IDS, OTHER_CLIENT, RETIRED_IDS } from './superoffice.fixture.js';
import { api, signIn, startFixtureSimulator } from './superoffice.helpers.js';

const USER_ID = associateIdAt(1);
const ARCHIVE_ROUTE = 'GET /{ctx}/api/v1/Archive/InternalUsers';
const AGENT_ROUTE = 'POST /{ctx}/api/v1/Agents/Archive/GetArchiveListByColumns2';
const SELECT = 'associateDbId,assocName,fullName,personId,assocType,usergroupId,isActive,personEmail';

describe('SuperOffice simulator: Web API', () => {
  let sim: SuperOfficeSimulator;
  let admin: string;
  let user: string;
  before(async () => {
    sim = await startFixtureSimulator({ tenant: [fixtureTenant(), fixtureTenant('Cust99999', 3)] });
    admin = (await signIn(sim, ADMIN_IDS[0] ?? 0)).access_token;
    user = (await signIn(sim, USER_ID)).access_token;
  });
  beforeEach(() => {
    sim.control.failNext(0);
    sim.control.setDown('off');
    sim.control.setLatency(0);
    sim.control.resetRequests();
  });
  after(() => sim.close());

  test('currentPrincipal tells an administrator from a user', async () => {
    const a = await api(sim, 'GET', 'v1/User/currentPrincipal', { token: admin });
    assert.equal(a.status, 200);
    assert.equal(a.body.AssociateId, ADMIN_IDS[0]);
    assert.equal(a.body.UserType, 'InternalAssociate');
    assert.equal(a.body.DatabaseContextIdentifier, CONTEXT_ID);
    assert.ok(a.body.FunctionRights.includes('admin-all'));
    assert.deepEqual(a.body.FunctionRights, [...a.body.FunctionRights].sort(), 'sorted');
    const u = await api(sim, 'GET', 'v1/User/currentPrincipal', { token: user });
    assert.equal(u.body.AssociateId, USER_ID);
    assert.ok(!u.body.FunctionRights.includes('admin-all'));
    assert.equal(u.body.EMailAddress, 'anna.berg@contoso.example');
  });

  test('no, unknown or foreign credentials get 401 with SuperOffice\'s error body', async () => {
    const attempts: Record<string, string>[] = [{}, { Authorization: 'Bearer 8A:Cust12345.nope' }, { Authorization: 'Basic dGplMDpUamUw' }];
    for (const headers of attempts) {
      const res = await api(sim, 'GET', 'v1/User/currentPrincipal', { headers });
      assert.equal(res.status, 401);
      assert.equal(res.body.Error, true);
      assert.equal(typeof res.body.ErrorType, 'string');
      assert.equal(typeof res.body.ErrorMessage, 'string');
    }
    // A Cust12345 token at Cust99999's Web API.
    const res = await fetch(`${sim.webApiUrl('Cust99999')}v1/User/currentPrincipal`, { headers: { Authorization: `Bearer ${user}` } });
    assert.equal(res.status, 401);
  });

  test('SOTicket works only together with the app token', async () => {
    const ticket = sim.control.issueTicket({ associateId: USER_ID });
    const ok = await api(sim, 'GET', 'v1/User/currentPrincipal', { headers: { Authorization: `SOTicket ${ticket}`, 'SO-AppToken': CLIENT.clientSecret } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.AssociateId, USER_ID);
    assert.match(ticket, /^7T:/);
    for (const appToken of [undefined, OTHER_CLIENT.clientSecret]) {
      const headers: Record<string, string> = { Authorization: `SOTicket ${ticket}` };
      if (appToken) headers['SO-AppToken'] = appToken;
      assert.equal((await api(sim, 'GET', 'v1/User/currentPrincipal', { headers })).status, 401);
    }
  });

  test('InternalUsers pages over odata.nextLink: 20 associates at $top=7 are 3 requests', async () => {
    const seen: any[] = [];
    let next: string | undefined = `${sim.webApiUrl()}v1/Archive/InternalUsers?$select=${SELECT}&$orderBy=associateDbId&$top=7&$skip=0&$output=Logical`;
    let pages = 0;
    while (next) {
      const res = await fetch(next, { headers: { Authorization: `Bearer ${admin}`, Accept: 'application/json' } });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { value: any[]; 'odata.nextLink'?: string };
      seen.push(...body.value);
      next = body['odata.nextLink'];
      pages += 1;
      if (next) assert.ok(next.startsWith(sim.webApiUrl()), 'nextLink is absolute');
    }
    assert.equal(pages, 3);
    assert.equal(sim.control.requestCount(ARCHIVE_ROUTE), 3);
    assert.deepEqual(
      seen.map((r) => r.PrimaryKey),
      fixtureTenant().associates.map((a) => a.associateId),
    );
    const retired = seen.find((r) => r.PrimaryKey === RETIRED_IDS[0]);
    assert.equal(retired.isActive, false);
    assert.equal(retired.StyleHint, undefined, 'slim rows carry no StyleHint');
    const noMail = seen.find((r) => r.PrimaryKey === NO_EMAIL_IDS[0]);
    assert.equal(noMail.personEmail, '');
    const first = seen[0];
    assert.deepEqual(Object.keys(first), ['PrimaryKey', 'EntityName', ...SELECT.split(',')]);
    assert.equal(first.associateDbId, first.PrimaryKey);
    assert.equal(first.assocType, 'Employee');
    assert.equal(first.isActive, true);
  });

  test('a percent-encoded query (URLSearchParams) pages the same way', async () => {
    const query = new URLSearchParams({ $select: 'associateDbId,fullName', $orderBy: 'associateDbId', $top: '7', $skip: '0', $output: 'Logical' });
    let next: string | undefined = `${sim.webApiUrl()}v1/Archive/InternalUsers?${query}`;
    const ids: number[] = [];
    while (next) {
      const res = await fetch(next, { headers: { Authorization: `Bearer ${admin}` } });
      const body = (await res.json()) as { value: { PrimaryKey: number }[]; 'odata.nextLink'?: string };
      ids.push(...body.value.map((r) => r.PrimaryKey));
      next = body['odata.nextLink'];
    }
    assert.equal(ids.length, 20);
    assert.equal(new Set(ids).size, 20);
  });

  test('the agent route pages with Page/PageSize and marks retired rows', async () => {
    const rows: any[] = [];
    for (let page = 0; ; page += 1) {
      const res = await api(sim, 'POST', 'v1/Agents/Archive/GetArchiveListByColumns2', {
        token: admin,
        // camelCase as @superoffice/webapi posts it.
        body: { providerName: 'InternalUsers', columns: SELECT, sortOrder: 'associateDbId asc', restrictions: 'getAllRows = 1', entities: '', page, pageSize: 7 },
      });
      assert.equal(res.status, 200);
      rows.push(...res.body);
      if (res.body.length < 7) break;
    }
    assert.equal(sim.control.requestCount(AGENT_ROUTE), 3);
    assert.equal(rows.length, 20);
    const retired = rows.find((r) => r.PrimaryKey === RETIRED_IDS[1]);
    assert.equal(retired.StyleHint, 'retired');
    assert.equal(retired.ColumnData.isActive.DisplayValue, '[I:0]');
    const row = rows[0];
    assert.equal(row.ColumnData.associateDbId.DisplayValue, `[I:${row.PrimaryKey}]`);
    assert.equal(row.ColumnData.fullName.DisplayValue, 'Tony Yates');
    assert.equal(row.StyleHint, '');
  });

  test('the agent route takes PascalCase too, restrictions, entities and sort order', async () => {
    const res = await api(sim, 'POST', 'v1/Agents/Archive/GetArchiveListByColumns2', {
      token: admin,
      body: { ProviderName: 'InternalUsers', Columns: 'fullName', SortOrder: 'fullName desc', Restrictions: 'isActive = 1', Entities: '', Page: 0, PageSize: 100 },
    });
    assert.equal(res.body.length, 18);
    const names = res.body.map((r: any) => r.ColumnData.fullName.DisplayValue);
    assert.deepEqual(names, [...names].sort((a: string, b: string) => b.toLowerCase().localeCompare(a.toLowerCase())));
    const retired = await api(sim, 'POST', 'v1/Agents/Archive/GetArchiveListByColumns2', {
      token: admin,
      body: { ProviderName: 'InternalUsers', Columns: 'associateDbId', Entities: 'retired', Page: 0, PageSize: 100 },
    });
    assert.deepEqual(retired.body.map((r: any) => r.PrimaryKey), RETIRED_IDS);
    const header = await api(sim, 'POST', 'v1/Agents/Archive/GetArchiveListByColumnsWithHeader2', {
      token: admin,
      body: { ProviderName: 'InternalUsers', Columns: 'associateDbId', Restriction: 'getAllRows = 1', Page: 1, PageSize: 7 },
    });
    assert.equal(header.body.RowCount, 20);
    assert.equal(header.body.Rows.length, 7);
  });

  test('OData $filter, $mode=Full and server-driven paging', async () => {
    const filtered = await api(sim, 'GET', `v1/Archive/InternalUsers?$select=associateDbId&$filter=usergroupId eq 1&$output=Logical`, { token: admin });
    assert.deepEqual(filtered.body.value.map((r: any) => r.PrimaryKey), ADMIN_IDS);
    assert.equal(filtered.body['odata.nextLink'], undefined);

    const full = await api(sim, 'GET', `v1/Archive/InternalUsers?$select=associateDbId,isActive&$mode=Full&$top=20`, { token: admin });
    const retired = full.body.value.find((r: any) => r.PrimaryKey === RETIRED_IDS[0]);
    assert.equal(retired.StyleHint, 'retired');
    assert.deepEqual(retired.Column.isActive, { RawValue: false, DisplayValue: '[I:0]', TooltipHint: '', LinkHint: '' });

    const capped = await startFixtureSimulator({ odataMaxPageSize: 8 });
    try {
      const token = capped.control.issueAccessToken({ associateId: ADMIN_IDS[0] ?? 0 });
      const res = await api(capped, 'GET', 'v1/Archive/InternalUsers?$select=associateDbId', { token });
      assert.equal(res.body.value.length, 8);
      assert.match(res.body['odata.nextLink'], /\$top=8/);
      assert.match(res.body['odata.nextLink'], /\$skip=8/);
    } finally {
      await capped.close();
    }
  });

  test('bad archive requests get 400 with the REST error body', async () => {
    for (const query of ['$select=nope', '$orderBy=fullName sideways', '$top=-1', '$filter=fullName ~ 1', '$entities=ghosts']) {
      const res = await api(sim, 'GET', `v1/Archive/InternalUsers?${query}`, { token: admin });
      assert.equal(res.status, 400, query);
      assert.equal(res.body.Error, true);
      assert.equal(res.body.ErrorType, 'ArgumentException');
      assert.equal(res.body.Message, undefined, 'REST errors have ErrorMessage, not Message');
    }
    const agent = await api(sim, 'POST', 'v1/Agents/Archive/GetArchiveListByColumns2', { token: admin, body: { ProviderName: 'Nope' } });
    assert.equal(agent.status, 400);
    assert.equal(agent.body.Message, agent.body.ErrorMessage);
  });

  test('unknown routes answer like ASP.NET Web API', async () => {
    const res = await api(sim, 'GET', 'v1/Nothing/Here', { token: admin });
    assert.equal(res.status, 404);
    assert.match(res.body.Message, /No HTTP resource was found/);
  });

  test('injected 500s hit the next N requests, then the API recovers', async () => {
    sim.control.failNext(2);
    const a = await api(sim, 'GET', 'v1/User/currentPrincipal', { token: user });
    const b = await api(sim, 'POST', 'v1/Agents/List/GetWebPanelList', { token: user });
    const c = await api(sim, 'GET', 'v1/User/currentPrincipal', { token: user });
    assert.equal(a.status, 500);
    assert.equal(a.body.Error, true);
    assert.equal(b.status, 500);
    assert.equal(b.body.Message, b.body.ErrorMessage, 'agent error body');
    assert.equal(c.status, 200);
    sim.control.failNext(1, { status: 429, retryAfterSeconds: 2 });
    const limited = await api(sim, 'GET', 'v1/User/currentPrincipal', { token: user });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '2');
  });

  test('a down Web API answers 503 or drops the connection; sign-in still works', async () => {
    sim.control.setDown('503');
    assert.equal((await api(sim, 'GET', 'v1/User/currentPrincipal', { token: user })).status, 503);
    const state = (await (await fetch(`${sim.url}/api/state/${CONTEXT_ID}`)).json()) as { IsRunning: boolean };
    assert.equal(state.IsRunning, false);
    sim.control.setDown('reset');
    await assert.rejects(fetch(`${sim.webApiUrl()}v1/User/currentPrincipal`, { headers: { Authorization: `Bearer ${user}` } }));
    assert.equal((await fetch(`${sim.url}/login/.well-known/jwks`)).status, 200);
    sim.control.setDown('off');
    assert.equal((await api(sim, 'GET', 'v1/User/currentPrincipal', { token: user })).status, 200);
  });

  test('latency is added to Web API requests', async () => {
    sim.control.setLatency(120);
    const started = performance.now();
    await api(sim, 'GET', 'v1/User/currentPrincipal', { token: user });
    assert.ok(performance.now() - started >= 110);
  });

  test('request counts are per route, with {ctx} and {id} placeholders', async () => {
    await api(sim, 'GET', 'v1/User/currentPrincipal', { token: user });
    await api(sim, 'GET', 'v1/List/WebPanel/Items/42', { token: user });
    assert.deepEqual(sim.control.requests(), {
      total: 2,
      byRoute: {
        'GET /{ctx}/api/v1/List/WebPanel/Items/{id}': 1,
        'GET /{ctx}/api/v1/User/currentPrincipal': 1,
      },
    });
  });

  test('tenant status service reports a running tenant', async () => {
    const res = await fetch(`${sim.url}/api/state/${CONTEXT_ID}`);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.ContextIdentifier, CONTEXT_ID);
    assert.equal(body.State, 'Running');
    assert.equal(body.IsRunning, true);
    assert.equal(body.Api, `${sim.url}/${CONTEXT_ID}/api`);
  });
});
