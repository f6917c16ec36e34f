import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { SuperOfficeSimulator } from '../../simulators/superoffice/superoffice.simulator.js';
import { ADMIN_IDS, associateIdAt, CLIENT, CONTEXT_ID, fixtureTenant, NO_EMAIL_IDS, OTHER_CLIENT, RETIRED_IDS } from './superoffice.fixture.js';
import { api, signIn, startFixtureSimulator } from './superoffice.helpers.js';

const USER_ID = associateIdAt(1);
const ARCHIVE_ROUTE = 'GET /{ctx}/api/v1/Archive/InternalUsers';
const AGENT_ROUTE = 'POST /{ctx}/api/v1/Agents/Archive/GetArchiveListByColumns2';
const SELECT = 'associateDbId,assocName,fullName,personId,assocType,usergroup,isActive,personEmail';

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

  /** Reads every page by $skip while a full page comes back, as a client must when no nextLink comes. */
  async function pageBySkip(query: (skip: number) => string, top: number): Promise<{ rows: any[]; pages: number }> {
    const rows: any[] = [];
    let pages = 0;
    for (let skip = 0; ; skip += top) {
      const res = await fetch(`${sim.webApiUrl()}v1/Archive/InternalUsers?${query(skip)}`, { headers: { Authorization: `Bearer ${admin}`, Accept: 'application/json' } });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { value: any[]; 'odata.nextLink': string | null };
      assert.equal(body['odata.nextLink'], null, 'no nextLink for a client-set $top');
      rows.push(...body.value);
      pages += 1;
      if (body.value.length < top) return { rows, pages };
    }
  }

  test('InternalUsers pages by $skip: 20 associates at $top=7 are 3 requests, with no nextLink', async () => {
    const { rows: seen, pages } = await pageBySkip((skip) => `$select=${SELECT}&$entities=all&$orderBy=associateDbId&$top=7&$skip=${skip}&$output=Logical`, 7);
    assert.equal(pages, 3);
    assert.equal(sim.control.requestCount(ARCHIVE_ROUTE), 3);
    assert.deepEqual(
      seen.map((r) => r.PrimaryKey),
      fixtureTenant().associates.map((a) => String(a.associateId)),
    );
    const retired = seen.find((r) => r.PrimaryKey === String(RETIRED_IDS[0]));
    assert.equal(retired.isActive, false);
    assert.equal(retired.EntityName, 'all');
    assert.equal(retired.StyleHint, undefined, 'slim rows carry no StyleHint');
    const noMail = seen.find((r) => r.PrimaryKey === String(NO_EMAIL_IDS[0]));
    assert.equal(noMail.personEmail, '');
    const first = seen[0];
    assert.deepEqual(Object.keys(first), ['PrimaryKey', 'EntityName', ...SELECT.split(',')]);
    assert.equal(first.associateDbId, first.assocName, 'associate columns are text in Slim mode');
    assert.equal(first.assocType, 'Employee');
    assert.equal(first.isActive, true);
  });

  test('a percent-encoded query (URLSearchParams) pages the same way', async () => {
    const query = (skip: number) => new URLSearchParams({ $select: 'associateDbId,fullName', $entities: 'all', $orderBy: 'associateDbId', $top: '7', $skip: String(skip), $output: 'Logical' }).toString();
    const { rows } = await pageBySkip(query, 7);
    const ids = rows.map((r) => r.PrimaryKey);
    assert.equal(ids.length, 20);
    assert.equal(new Set(ids).size, 20);
  });

  test('the agent route pages with Page/PageSize and marks retired rows', async () => {
    const rows: any[] = [];
    for (let page = 0; ; page += 1) {
      const res = await api(sim, 'POST', 'v1/Agents/Archive/GetArchiveListByColumns2', {
        token: admin,
        // camelCase as @superoffice/webapi posts it.
        body: { providerName: 'InternalUsers', columns: SELECT, sortOrder: 'associateDbId asc', restrictions: 'getAllRows = 1', entities: 'all', page, pageSize: 7 },
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
      body: { ProviderName: 'InternalUsers', Columns: 'fullName', SortOrder: 'fullName desc', Restrictions: 'isActive = 1', Entities: 'all', Page: 0, PageSize: 100 },
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
    assert.equal(header.body.RowCount, 40, 'no Entities: every entity, so each associate twice');
    assert.equal(header.body.Rows.length, 7);
  });

  test('OData $filter, $mode=Full and server-driven paging', async () => {
    const filtered = await api(sim, 'GET', `v1/Archive/InternalUsers?$select=associateDbId&$entities=all&$filter=usergroup eq 'Administrators'&$output=Logical`, { token: admin });
    assert.deepEqual(filtered.body.value.map((r: any) => r.PrimaryKey), ADMIN_IDS.map(String));
    assert.equal(filtered.body['odata.nextLink'], null);
    const byId = await api(sim, 'GET', `v1/Archive/InternalUsers?$select=fullName&$entities=all&$filter=associateDbId eq ${USER_ID}`, { token: admin });
    assert.deepEqual(byId.body.value.map((r: any) => r.fullName), ['Anna Berg']);

    const full = await api(sim, 'GET', `v1/Archive/InternalUsers?$select=associateDbId,isActive&$entities=all&$mode=Full&$top=20`, { token: admin });
    const retired = full.body.value.find((r: any) => r.PrimaryKey === String(RETIRED_IDS[0]));
    assert.equal(retired.StyleHint, 'retired');
    assert.deepEqual(retired.Column.isActive, { RawValue: false, DisplayValue: '[I:0]', TooltipHint: '', LinkHint: '' });

    const capped = await startFixtureSimulator({ odataMaxPageSize: 8 });
    try {
      const token = capped.control.issueAccessToken({ associateId: ADMIN_IDS[0] ?? 0 });
      const res = await api(capped, 'GET', 'v1/Archive/InternalUsers?$select=associateDbId&$entities=all', { token });
      assert.equal(res.body.value.length, 8);
      const link = new URL(res.body['odata.nextLink']);
      assert.equal(link.searchParams.get('$top'), '8');
      assert.equal(link.searchParams.get('$skip'), '8');
      // The server names itself by another host name than webapi_url gives (still this server).
      assert.notEqual(link.host, new URL(capped.webApiUrl()).host);
      assert.equal(link.port, new URL(capped.webApiUrl()).port);
      const next = await fetch(link, { headers: { Authorization: `Bearer ${token}` } });
      assert.equal(((await next.json()) as { value: unknown[] }).value.length, 8);
      // A client-set $top larger than the cap is cut to it, still without a link.
      const topped = await api(capped, 'GET', 'v1/Archive/InternalUsers?$select=associateDbId&$entities=all&$top=1000', { token });
      assert.equal(topped.body.value.length, 8);
      assert.equal(topped.body['odata.nextLink'], null);
    } finally {
      await capped.close();
    }
  });

  test('bad archive requests get 400 with the REST error body', async () => {
    for (const query of ['$select=nope', '$select=associateDbId,usergroupId', '$orderBy=fullName sideways', '$top=-1', '$filter=fullName ~ 1', '$entities=ghosts']) {
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

  test('the Web API is served on its own host (webapi_url), not under SuperID', async () => {
    assert.notEqual(new URL(sim.webApiUrl()).origin, new URL(sim.url).origin);
    const underSuperId = await fetch(`${sim.url}/${CONTEXT_ID}/api/v1/User/currentPrincipal`, { headers: { Authorization: `Bearer ${admin}` } });
    assert.equal(underSuperId.status, 404);
    assert.equal((await api(sim, 'GET', 'v1/User/currentPrincipal', { token: admin })).status, 200);
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
    assert.equal(body.Api, `${sim.webApiUrl()}`.replace(/\/$/, ''), 'the Web API host, not SuperID');
  });
});
