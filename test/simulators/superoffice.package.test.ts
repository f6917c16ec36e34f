import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { SuperOfficeSimulator } from '../../simulators/superoffice/superoffice.simulator.js';
import { ADMIN_IDS, CONTEXT_ID, RETIRED_IDS } from './superoffice.fixture.js';
import { signIn, startFixtureSimulator } from './superoffice.helpers.js';

// The package's ESM build uses extensionless imports Node cannot load; its CommonJS build works.
type SoWebApi = typeof import('@superoffice/webapi', { with: { 'resolution-mode': 'require' } });
type SoConverters = typeof import('@superoffice/webapi/Converters.js', { with: { 'resolution-mode': 'require' } });
const require = createRequire(import.meta.url);
const so = require('@superoffice/webapi') as SoWebApi;
const converters = require('@superoffice/webapi/Converters.js') as SoConverters;

describe('the real @superoffice/webapi client against the simulator', () => {
  let sim: SuperOfficeSimulator;
  let config: { headers: Record<string, string> };
  before(async () => {
    sim = await startFixtureSimulator();
    const { access_token } = await signIn(sim, ADMIN_IDS[0] ?? 0);
    config = { headers: { Authorization: `Bearer ${access_token}` } };
  });
  after(() => sim.close());

  test('ArchiveAgent.getArchiveListByColumns2Async pages InternalUsers', async () => {
    const agent = new so.ArchiveAgent(sim.webApiUrl(), config);
    const rows = [];
    for (let page = 0; ; page += 1) {
      const batch = await agent.getArchiveListByColumns2Async(
        'InternalUsers',
        'associateDbId,fullName,personEmail,isActive',
        'associateDbId asc',
        'getAllRows = 1',
        'all',
        page,
        7,
      );
      rows.push(...batch);
      if (batch.length < 7) break;
    }
    assert.equal(rows.length, 20);
    assert.equal(sim.control.requestCount('POST /{ctx}/api/v1/Agents/Archive/GetArchiveListByColumns2'), 3);
    const first = rows[0];
    assert.equal(first?.entityName, 'all');
    assert.equal(first?.primaryKey, ADMIN_IDS[0]);
    assert.equal(first?.columnData?.fullName?.displayValue, 'Tony Yates');
    assert.equal(first?.columnData?.associateDbId?.displayValue, `[I:${ADMIN_IDS[0]}]`);
    assert.equal(rows.find((r) => r.primaryKey === RETIRED_IDS[0])?.styleHint, 'retired');
  });

  test('the package has no currentPrincipal call; its SoPrincipalCarrier converter reads the simulator\'s body', async () => {
    assert.ok(!('getCurrentPrincipalAsync' in so.UserAgent.prototype));
    const res = await fetch(`${sim.webApiUrl()}v1/User/currentPrincipal`, { headers: { ...config.headers, Accept: 'application/json' } });
    const principal = converters.Create_SoPrincipalCarrier_From(await res.json());
    assert.equal(principal.associateId, ADMIN_IDS[0]);
    assert.equal(principal.userType, so.UserType.InternalAssociate);
    assert.equal(principal.roleType, so.RoleType.Employee);
    assert.equal(principal.databaseContextIdentifier, CONTEXT_ID);
    assert.ok(principal.functionRights?.includes('admin-all'));
  });

  test('ListAgent web panel methods round-trip through the package', async () => {
    const agent = new so.ListAgent(sim.webApiUrl(), config);
    const blank = await agent.createDefaultWebPanelEntityAsync();
    assert.equal(blank.webPanelId, 0);
    const saved = await agent.saveWebPanelEntityAsync({
      ...blank,
      name: 'M365 Sync Admin',
      visibleIn: so.Navigation.BrowserPanel,
      urlEncoding: so.UrlEncoding.None,
      progId: 'm365sync.admin',
      url: 'https://app.example.com/panel?ctx=<uctx>',
    });
    assert.ok((saved.webPanelId ?? 0) > 0);
    assert.equal(saved.visibleIn, so.Navigation.BrowserPanel);
    const found = await agent.getWebPanelByProgIdAsync('m365sync.admin');
    assert.equal(found.webPanelId, saved.webPanelId);
    assert.equal(await agent.getWebPanelByProgIdAsync('missing'), null);
    const byId = await agent.getWebPanelEntityAsync(saved.webPanelId ?? 0);
    assert.equal(byId.name, 'M365 Sync Admin');
    await agent.deleteWebPanelAsync(saved.webPanelId ?? 0);
    assert.deepEqual(await agent.getWebPanelListAsync(), []);
  });

  test('the package surfaces the simulator\'s agent error body on a 400', async () => {
    const agent = new so.ArchiveAgent(sim.webApiUrl(), config);
    await assert.rejects(agent.getArchiveListByColumns2Async('NoSuchProvider', 'x', '', '', '', 0, 10), (err: any) => {
      assert.equal(err.response.status, 400);
      assert.equal(err.response.data.ErrorType, 'ArgumentException');
      assert.equal(typeof err.response.data.Message, 'string');
      return true;
    });
  });
});
