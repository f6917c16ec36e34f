import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { SuperOfficeSimulator } from '../../simulators/superoffice/superoffice.simulator.js';
import { ADMIN_IDS, OTHER_CLIENT } from './superoffice.fixture.js';
import { api, startFixtureSimulator } from './superoffice.helpers.js';

/** The reference's example request body (superoffice-webapi.md §1.3). */
function browserPanel(overrides: Record<string, unknown> = {}) {
  return {
    WebPanelId: 0,
    Name: 'M365 Sync Admin',
    Tooltip: 'Created by M365Sync app',
    Deleted: false,
    Rank: 100,
    UrlEncoding: 'None',
    VisibleIn: 'BrowserPanel',
    OnCentral: true,
    OnSatellite: false,
    OnTravel: false,
    OnSalesMarketingWeb: true,
    OnSalesMarketingPocket: false,
    ShowInMenuBar: false,
    ShowInToolBar: false,
    ShowInAddressBar: false,
    ShowInStatusBar: false,
    WindowName: 'm365sync.admin',
    Url: 'https://app.example.com/panel?ctx=<uctx>&uid=<usid>&lang=<lani>',
    ProgId: 'm365sync.admin',
    Icon: 0,
    AlwaysReloadOnShow: false,
    ...overrides,
  };
}

describe('SuperOffice simulator: web panels', () => {
  let sim: SuperOfficeSimulator;
  let token: string;
  before(async () => {
    sim = await startFixtureSimulator();
  });
  beforeEach(() => {
    sim.control.reset();
    token = sim.control.issueAccessToken({ associateId: ADMIN_IDS[0] ?? 0 });
  });
  after(() => sim.close());

  test('REST: create, read, list, update, soft delete', async () => {
    const created = await api(sim, 'POST', 'v1/List/WebPanel/Items', { token, body: browserPanel() });
    assert.equal(created.status, 200);
    const id = created.body.WebPanelId;
    assert.ok(Number.isInteger(id) && id > 0);
    assert.equal(created.body.VisibleIn, 'BrowserPanel');
    assert.deepEqual(created.body.TableRight, { Mask: 'Select, Update, Insert, Delete', Reason: '' });

    const read = await api(sim, 'GET', `v1/List/WebPanel/Items/${id}`, { token });
    assert.deepEqual(read.body, created.body);

    const updated = await api(sim, 'PUT', `v1/List/WebPanel/Items/${id}`, { token, body: { ...read.body, Rank: 5, WebPanelId: 999 } });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.Rank, 5);
    assert.equal(updated.body.WebPanelId, id, 'the id in the path wins');

    const deleted = await api(sim, 'DELETE', `v1/List/WebPanel/Items/${id}`, { token });
    assert.equal(deleted.status, 204);
    assert.equal(deleted.text, '');
    const after = await api(sim, 'GET', `v1/List/WebPanel/Items/${id}`, { token });
    assert.equal(after.status, 200);
    assert.equal(after.body.Deleted, true, 'soft-deleted: still there, marked Deleted');

    const list = await api(sim, 'GET', 'v1/List/WebPanel/Items', { token });
    assert.equal(list.body.length, 1);
    assert.equal(sim.control.webPanels()[0]?.entity.Deleted, true);
  });

  test('REST: missing panels are 404 with SoNotFoundException', async () => {
    for (const [method, body] of [['GET'], ['PUT', browserPanel()], ['DELETE']] as const) {
      const res = await api(sim, method, 'v1/List/WebPanel/Items/4242', { token, body });
      assert.equal(res.status, 404, method);
      assert.deepEqual(Object.keys(res.body), ['Error', 'ErrorType', 'ErrorMessage', 'ErrorSource']);
      assert.equal(res.body.ErrorType, 'SoNotFoundException');
      assert.equal(res.body.ErrorSource, 'SuperOffice.Services.Implementation');
    }
  });

  test('REST and agent defaults', async () => {
    const rest = await api(sim, 'GET', 'v1/List/WebPanel/Items/Default', { token });
    const agent = await api(sim, 'POST', 'v1/Agents/List/CreateDefaultWebPanelEntity', { token });
    assert.equal(rest.status, 200);
    assert.deepEqual(rest.body, agent.body);
    assert.equal(rest.body.WebPanelId, 0);
  });

  test('VisibleIn and UrlEncoding must be enum names (or numbers); anything else is 400', async () => {
    const bad = await api(sim, 'POST', 'v1/List/WebPanel/Items', { token, body: browserPanel({ VisibleIn: 'SettingsAndMaintenance' }) });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.Error, true);
    assert.match(bad.body.ErrorMessage, /VisibleIn/);
    const badEncoding = await api(sim, 'POST', 'v1/Agents/List/SaveWebPanelEntity', { token, body: browserPanel({ UrlEncoding: 'UTF8' }) });
    assert.equal(badEncoding.status, 400);
    assert.equal(badEncoding.body.Message, badEncoding.body.ErrorMessage);
    assert.equal(sim.control.webPanels().length, 0, 'nothing stored');
    const numeric = await api(sim, 'POST', 'v1/List/WebPanel/Items', { token, body: browserPanel({ VisibleIn: 2, UrlEncoding: 'unicode' }) });
    assert.equal(numeric.body.VisibleIn, 'NavigatorButton');
    assert.equal(numeric.body.UrlEncoding, 'Unicode');
  });

  test('agents: save (0 creates), get, list, by ProgId, hard delete; not found is 200 null', async () => {
    // camelCase, as @superoffice/webapi posts carriers.
    const saved = await api(sim, 'POST', 'v1/Agents/List/SaveWebPanelEntity', {
      token,
      body: { webPanelId: 0, name: 'Sync admin', visibleIn: 'BrowserPanel', progId: 'm365sync.admin', url: 'https://app/x' },
    });
    assert.equal(saved.status, 200);
    const id = saved.body.WebPanelId;
    assert.equal(saved.body.Name, 'Sync admin');

    const again = await api(sim, 'POST', 'v1/Agents/List/SaveWebPanelEntity', { token, body: { ...saved.body, Name: 'Renamed' } });
    assert.equal(again.body.WebPanelId, id);
    assert.equal(again.body.Name, 'Renamed');

    const got = await api(sim, 'POST', `v1/Agents/List/GetWebPanelEntity?webPanelEntityId=${id}`, { token });
    assert.equal(got.body.Name, 'Renamed');
    const byProgId = await api(sim, 'POST', 'v1/Agents/List/GetWebPanelByProgId', { token, body: { ProgId: 'm365sync.admin' } });
    assert.equal(byProgId.body.WebPanelId, id);
    const list = await api(sim, 'POST', 'v1/Agents/List/GetWebPanelList', { token });
    assert.equal(list.body.length, 1);

    for (const [path, body] of [
      ['v1/Agents/List/GetWebPanelEntity?webPanelEntityId=999', undefined],
      ['v1/Agents/List/GetWebPanelByProgId', { ProgId: 'nope' }],
    ] as const) {
      const res = await api(sim, 'POST', path, { token, body });
      assert.equal(res.status, 200);
      assert.equal(res.text, 'null');
    }
    // What GetWebPanelByProgId answers for no match is undocumented: the other two readings.
    sim.control.setWebPanelMiss('empty');
    const empty = await api(sim, 'POST', 'v1/Agents/List/GetWebPanelByProgId', { token, body: { ProgId: 'nope' } });
    assert.deepEqual([empty.status, empty.body.WebPanelId, empty.body.ProgId], [200, 0, '']);
    sim.control.setWebPanelMiss('error');
    const error = await api(sim, 'POST', 'v1/Agents/List/GetWebPanelByProgId', { token, body: { ProgId: 'nope' } });
    assert.deepEqual([error.status, error.body.Error, error.body.ErrorType], [500, true, 'SoNotFoundException']);
    assert.equal(error.body.Message, error.body.ErrorMessage, 'an agent error body');
    assert.equal((await api(sim, 'POST', 'v1/Agents/List/GetWebPanelByProgId', { token, body: { ProgId: 'm365sync.admin' } })).body.WebPanelId, id);
    sim.control.setWebPanelMiss('null');
    const missing = await api(sim, 'POST', 'v1/Agents/List/GetWebPanelEntity', { token });
    assert.equal(missing.status, 200);
    assert.equal(missing.body.Message, 'The request is invalid.');

    const deleted = await api(sim, 'POST', 'v1/Agents/List/DeleteWebPanel', { token, body: { Id: id } });
    assert.equal(deleted.status, 204);
    assert.equal(sim.control.webPanels().length, 0, 'hard delete');
  });

  test('soft-deleted panels are still found by ProgId, so a reinstall can un-delete them', async () => {
    const created = await api(sim, 'POST', 'v1/List/WebPanel/Items', { token, body: browserPanel() });
    await api(sim, 'DELETE', `v1/List/WebPanel/Items/${created.body.WebPanelId}`, { token });
    const found = await api(sim, 'POST', 'v1/Agents/List/GetWebPanelByProgId', { token, body: { ProgId: 'm365sync.admin' } });
    assert.equal(found.body.Deleted, true);
    const restored = await api(sim, 'PUT', `v1/List/WebPanel/Items/${found.body.WebPanelId}`, { token, body: { ...found.body, Deleted: false } });
    assert.equal(restored.body.Deleted, false);
  });

  test('SetVisibleForUserGroup with the web panel list id from MDO list Lists', async () => {
    const lists = await api(sim, 'GET', 'v1/MDOList/Lists', { token });
    const listId = lists.body.find((l: any) => l.Type === 'webpanel').Id;
    assert.equal(listId, sim.control.webPanelListId);
    const viaAgent = await api(sim, 'POST', 'v1/Agents/MDO/GetList', { token, body: { name: 'lists', forceFlatList: true, additionalInfo: '' } });
    assert.deepEqual(viaAgent.body, lists.body);

    const panel = await api(sim, 'POST', 'v1/List/WebPanel/Items', { token, body: browserPanel() });
    const res = await api(sim, 'POST', 'v1/Agents/List/SetVisibleForUserGroup', {
      token,
      body: { UdListDefinitionId: listId, ListItemId: panel.body.WebPanelId, UserGroupId: [1, 3], Enable: true },
    });
    assert.equal(res.status, 204);
    assert.deepEqual(sim.control.webPanels()[0]?.visibleForUserGroups, [1, 3]);
    const wrongList = await api(sim, 'POST', 'v1/Agents/List/SetVisibleForUserGroup', {
      token,
      body: { UdListDefinitionId: -64, ListItemId: panel.body.WebPanelId, UserGroupId: [1], Enable: true },
    });
    assert.equal(wrongList.status, 400);
  });

  test('GetAppWebPanels and DeleteAppWebPanels see only the calling app\'s panels', async () => {
    const other = sim.control.issueAccessToken({ associateId: ADMIN_IDS[0] ?? 0, clientId: OTHER_CLIENT.clientId });
    await api(sim, 'POST', 'v1/List/WebPanel/Items', { token, body: browserPanel() });
    await api(sim, 'POST', 'v1/List/WebPanel/Items', { token: other, body: browserPanel({ ProgId: 'other.app' }) });
    const mine = await api(sim, 'POST', 'v1/Agents/List/GetAppWebPanels', { token });
    assert.deepEqual(mine.body.map((p: any) => p.ProgId), ['m365sync.admin']);
    await api(sim, 'POST', 'v1/Agents/List/DeleteAppWebPanels', { token });
    assert.deepEqual(sim.control.webPanels().map((p) => p.entity.ProgId), ['other.app']);
  });
});
