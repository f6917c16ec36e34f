import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runDeploy } from '../../../backend/deploy/run.js';
import { DEMO_CASES } from '../../../simulators/demo-tenant.js';
import { makeIntegrationHarness, PUBLIC_URL, type IntegrationHarness } from '../../helpers/integration.js';

const [KARI, OLA] = DEMO_CASES.adminAssociateIds as [number, number];

/** Issue 6: an administrator's sign-in (approving the app) provisions the web panels; no command line. */
describe('web panels provisioned when an administrator signs in', () => {
  let h: IntegrationHarness;
  before(async () => {
    h = await makeIntegrationHarness();
  });
  after(() => h.closeAll());

  const ours = () => h.env.superoffice.control.webPanels(h.env.tenant.contextId).filter((p) => p.entity.ProgId.startsWith('mailboxlink.'));
  const saves = () => h.env.superoffice.control.requestCount('POST /{ctx}/api/v1/Agents/List/SaveWebPanelEntity');

  test('a non-administrator\'s sign-in provisions nothing', async () => {
    const signedIn = await h.signIn(DEMO_CASES.nonAdminAssociateId);
    assert.equal(signedIn.message.type, 'mailbox-link:signed-in');
    assert.equal(ours().length, 0);
  });

  test('the first administrator sign-in creates the panels (audited); later sign-ins change nothing', async () => {
    const signedIn = await h.signIn(KARI);
    assert.equal(signedIn.message.type, 'mailbox-link:signed-in');
    const panels = ours();
    assert.deepEqual(panels.map((p) => p.entity.VisibleIn).sort(), ['BrowserPanel', 'NavigatorButton']);
    assert.equal(panels.find((p) => p.entity.VisibleIn === 'BrowserPanel')!.entity.Url, `${PUBLIC_URL}/panel/?ctx=<uctx>&uid=<usid>&lang=<lani>`);
    const token = signedIn.message.token!;
    const tenant = (await h.request('GET', '/api/v1/tenant', { token })).body;
    assert.notEqual(tenant.panels.provisionedAt, null);
    assert.equal(tenant.panels.error, null);
    const audit = (await h.request('GET', '/api/v1/audit?limit=5', { token })).body.entries;
    const entry = audit.find((e: any) => e.action === 'tenant.panels_provisioned');
    assert.ok(entry);
    assert.equal(entry.after.steps.length, 4);

    h.env.superoffice.control.resetRequests();
    await h.signIn(OLA);
    await h.signIn(KARI);
    assert.equal(saves(), 0, 'provisioned once per manifest');
    assert.equal(h.env.superoffice.control.requestCount('POST /{ctx}/api/v1/Agents/List/GetWebPanelByProgId'), 0);
  });

  test('SuperOffice failing during provisioning does not block the sign-in; the next administrator sign-in finishes', async () => {
    // Forget the provisioning and delete one panel, as if the manifest had changed meanwhile.
    await h.store.db.updateTable('tenant').set({ panels_version: 'older' }).where('id', '=', h.env.tenant.contextId).execute();
    const settings = ours().find((p) => p.entity.ProgId === 'mailboxlink.settings')!;
    const admin = h.env.superoffice.control.issueAccessToken({ associateId: KARI, contextId: h.env.tenant.contextId });
    const del = await fetch(`${h.env.superoffice.webApiUrl(h.env.tenant.contextId)}v1/List/WebPanel/Items/${settings.entity.WebPanelId}`, { method: 'DELETE', headers: { authorization: `Bearer ${admin}` } });
    assert.equal(del.status, 204);

    // Sign-in itself needs the principal (1 Web API request); everything after it fails.
    h.env.superoffice.control.failNext(50, { status: 500, skip: 1 });
    const signedIn = await h.signIn(KARI);
    h.env.superoffice.control.failNext(0);
    assert.equal(signedIn.message.type, 'mailbox-link:signed-in', 'the sign-in still succeeds');
    const token = signedIn.message.token!;
    const tenant = (await h.request('GET', '/api/v1/tenant', { token })).body;
    assert.match(tenant.panels.error, /HTTP 500/);
    assert.equal(ours().find((p) => p.entity.ProgId === 'mailboxlink.settings')!.entity.Deleted, true);

    await h.signIn(OLA);
    const restored = ours().find((p) => p.entity.ProgId === 'mailboxlink.settings')!;
    assert.equal(restored.entity.Deleted, false, 'restored');
    // Ola's user group is added; Kari's stays.
    assert.deepEqual(restored.visibleForUserGroups, [4, 6]);
    const after = (await h.request('GET', '/api/v1/tenant', { token })).body;
    assert.equal(after.panels.error, null);
  });

  test('npm run deploy --auth admin: uses an administrator\'s stored sign-in, and refuses a non-administrator\'s', async () => {
    const auth = (associateId?: number) => ({
      kind: 'admin' as const,
      store: h.store,
      box: h.integration.box,
      oidc: h.integration.superoffice,
      ...(associateId === undefined ? {} : { associateId }),
    });
    const options = { tenant: h.env.tenant.contextId, dryRun: true, uninstall: false, baseUrl: PUBLIC_URL, production: false, fetch: h.browserFetch };
    const lines: string[] = [];
    const plan = await runDeploy({ ...options, auth: auth() }, (l) => lines.push(l));
    assert.ok(plan.steps.every((s) => s.kind === 'unchanged' || s.kind === 'visibility'), lines.join('\n'));
    await assert.rejects(runDeploy({ ...options, auth: auth(DEMO_CASES.nonAdminAssociateId) }, () => {}), /is not an administrator/);
  });
});
