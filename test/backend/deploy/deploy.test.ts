import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { DeployFailed } from '../../../backend/deploy/deploy.js';
import { MANIFEST_FILE } from '../../../backend/deploy/manifest.js';
import { runDeploy, type DeployAuth, type DeployOptions } from '../../../backend/deploy/run.js';
import { SuperOfficeDeployError } from '../../../backend/deploy/superoffice-panels.js';
import { signSystemToken } from '../../../backend/deploy/system-user.js';
import { DEMO_CASES, demoTenant } from '../../../simulators/demo-tenant.js';
import { startSuperOfficeSimulator, type SuperOfficeSimulator } from '../../../simulators/superoffice/superoffice.simulator.js';
import { systemTokenFor } from '../../../simulators/superoffice/system-user.routes.js';

const KARI = DEMO_CASES.adminAssociateIds[0]!;
const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const APP = { clientId: 'mailbox-link-app', clientSecret: 'app-token-secret', redirectUris: ['https://app.example.com/auth/superoffice/callback'], appName: 'Mailbox Link', systemUserPublicKey: keys.publicKey };
const OTHER_APP = { clientId: 'other-app', clientSecret: 'other-secret', redirectUris: ['https://other.example.com/cb'] };
const BASE = 'https://app.example.com';

describe('npm run deploy against the SuperOffice simulator', () => {
  let sim: SuperOfficeSimulator;
  let bearer: string;
  const tenant = demoTenant('demo');
  const dir = mkdtempSync(join(tmpdir(), 'manifest-'));

  before(async () => {
    sim = await startSuperOfficeSimulator({ tenant, clients: [APP, OTHER_APP] });
  });
  after(() => sim.close());
  beforeEach(() => {
    sim.control.reset();
    bearer = `Bearer ${sim.control.issueAccessToken({ associateId: KARI, clientId: APP.clientId })}`;
  });

  const target = (): DeployAuth => ({ kind: 'target', target: { webApiUrl: sim.webApiUrl(tenant.contextId), authorization: bearer } });
  const options = (extra: Partial<DeployOptions> = {}): DeployOptions => ({
    tenant: tenant.contextId,
    dryRun: false,
    uninstall: false,
    baseUrl: BASE,
    production: true,
    auth: target(),
    fetch,
    ...extra,
  });
  const deploy = async (extra: Partial<DeployOptions> = {}) => {
    const lines: string[] = [];
    const plan = await runDeploy(options(extra), (l) => lines.push(l));
    return { plan, lines, kinds: plan.steps.map((s) => `${s.kind} ${s.progId}`) };
  };
  const ours = () => sim.control.webPanels(tenant.contextId).filter((p) => p.entity.ProgId.startsWith('mailboxlink.'));
  const writes = () =>
    sim.control.requestCount('POST /{ctx}/api/v1/Agents/List/SaveWebPanelEntity') + sim.control.requestCount('POST /{ctx}/api/v1/Agents/List/SetVisibleForUserGroup');
  const manifestWith = (change: (m: any) => void) => {
    const m = JSON.parse(readFileSync(MANIFEST_FILE, 'utf8'));
    change(m);
    const file = join(dir, `m-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(m));
    return file;
  };

  test('first deploy creates both panels, visible to the installing administrator\'s user group; the second changes nothing', async () => {
    const first = await deploy();
    assert.deepEqual(first.kinds, ['create mailboxlink.settings', 'visibility mailboxlink.settings', 'create mailboxlink.navigator', 'visibility mailboxlink.navigator']);
    const panels = ours();
    assert.equal(panels.length, 2);
    const browser = panels.find((p) => p.entity.VisibleIn === 'BrowserPanel')!;
    const button = panels.find((p) => p.entity.VisibleIn === 'NavigatorButton')!;
    assert.equal(browser.entity.Url, `${BASE}/panel/?ctx=<uctx>&uid=<usid>&lang=<lani>`);
    assert.equal(browser.entity.WindowName, 'mailboxlink.settings');
    assert.equal(button.entity.Url, 'soprotocol:browser.mailboxlink.settings');
    assert.equal(browser.entity.Deleted, false);
    // Kari (who installs) is in user group 4.
    const kariGroup = tenant.associates.find((a) => a.associateId === KARI)!.usergroupId;
    assert.deepEqual(browser.visibleForUserGroups, [kariGroup]);
    assert.deepEqual(button.visibleForUserGroups, [kariGroup]);
    assert.ok(sim.control.requestCount('POST /{ctx}/api/v1/Agents/Diagnostics/FlushCachesByName') >= 1);

    sim.control.resetRequests();
    const second = await deploy();
    assert.deepEqual(second.kinds, ['unchanged mailboxlink.settings', 'unchanged mailboxlink.navigator']);
    assert.equal(second.plan.changes, 0);
    assert.equal(writes(), 0, 'a second run writes nothing');
    assert.ok(second.lines.includes('Nothing to change.'));
  });

  test('a changed manifest updates only what changed; named user groups replace the visibility', async () => {
    await deploy();
    sim.control.resetRequests();
    const file = manifestWith((m) => {
      m.webPanels[0].name = 'Mailbox synchronization';
      m.visibility.userGroups = ['IT', 'Ledelse'];
    });
    const run = await deploy({ manifestFile: file });
    assert.deepEqual(run.kinds, ['update mailboxlink.settings', 'visibility mailboxlink.settings', 'unchanged mailboxlink.navigator', 'visibility mailboxlink.navigator']);
    const update = run.plan.steps[0] as { fields: string[] };
    assert.deepEqual(update.fields, ['Name']);
    assert.equal(sim.control.requestCount('POST /{ctx}/api/v1/Agents/List/SaveWebPanelEntity'), 1, 'the unchanged panel is not written');
    const settings = ours().find((p) => p.entity.ProgId === 'mailboxlink.settings')!;
    assert.equal(settings.entity.Name, 'Mailbox synchronization');
    assert.deepEqual(settings.visibleForUserGroups, [4, 6]);
    assert.match(run.lines.join('\n'), /update {4}mailboxlink\.settings \(panel \d+: Name\)/);

    // Unknown user group: refused before anything is written.
    sim.control.resetRequests();
    const bad = manifestWith((m) => (m.visibility.userGroups = ['Administrators']));
    await assert.rejects(deploy({ manifestFile: bad }), (err: unknown) => err instanceof SuperOfficeDeployError && /No user group named "Administrators"/.test(err.message));
    assert.equal(writes(), 0);
  });

  test('a soft-deleted panel is restored, not created again', async () => {
    await deploy();
    const settings = ours().find((p) => p.entity.ProgId === 'mailboxlink.settings')!;
    const res = await fetch(`${sim.webApiUrl(tenant.contextId)}v1/List/WebPanel/Items/${settings.entity.WebPanelId}`, { method: 'DELETE', headers: { authorization: bearer } });
    assert.equal(res.status, 204);
    assert.equal(ours().find((p) => p.entity.ProgId === 'mailboxlink.settings')!.entity.Deleted, true);
    const run = await deploy();
    assert.deepEqual(run.kinds, ['restore mailboxlink.settings', 'unchanged mailboxlink.navigator']);
    const restored = ours().find((p) => p.entity.ProgId === 'mailboxlink.settings')!;
    assert.equal(restored.entity.WebPanelId, settings.entity.WebPanelId);
    assert.equal(restored.entity.Deleted, false);
    assert.equal(ours().length, 2);
  });

  test('a dry run prints the plan and writes nothing', async () => {
    const before = JSON.stringify(sim.control.webPanels(tenant.contextId));
    const run = await deploy({ dryRun: true });
    assert.deepEqual(run.kinds, ['create mailboxlink.settings', 'visibility mailboxlink.settings', 'create mailboxlink.navigator', 'visibility mailboxlink.navigator']);
    assert.match(run.lines.join('\n'), /dry run, nothing is changed[\s\S]*create {4}mailboxlink\.settings[\s\S]*4 change\(s\) planned/);
    assert.equal(writes(), 0);
    assert.equal(JSON.stringify(sim.control.webPanels(tenant.contextId)), before);
  });

  test('uninstall removes what the manifest created and leaves other apps\' panels alone', async () => {
    const otherToken = sim.control.issueAccessToken({ associateId: KARI, clientId: OTHER_APP.clientId });
    const other = await fetch(`${sim.webApiUrl(tenant.contextId)}v1/List/WebPanel/Items`, {
      method: 'POST',
      headers: { authorization: `Bearer ${otherToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ Name: 'Other app', ProgId: 'otherapp.panel', WindowName: 'otherapp.panel', VisibleIn: 'BrowserPanel', Url: 'https://other.example.com/' }),
    });
    assert.equal(other.status, 200);
    await deploy();
    const before = sim.control.webPanels(tenant.contextId).find((p) => p.entity.ProgId === 'otherapp.panel')!;
    const run = await deploy({ uninstall: true });
    assert.deepEqual(run.kinds, ['remove mailboxlink.settings', 'remove mailboxlink.navigator']);
    assert.ok(ours().every((p) => p.entity.Deleted));
    assert.deepEqual(sim.control.webPanels(tenant.contextId).find((p) => p.entity.ProgId === 'otherapp.panel'), before);
    const again = await deploy({ uninstall: true });
    assert.deepEqual(again.kinds, ['absent mailboxlink.settings', 'absent mailboxlink.navigator']);
    // Installing again restores them.
    const reinstall = await deploy();
    assert.deepEqual(reinstall.kinds, ['restore mailboxlink.settings', 'restore mailboxlink.navigator']);
  });

  test('a failure half-way is reported with what went through, and a re-run completes the job', async () => {
    const plan = await deploy({ dryRun: true });
    assert.equal(plan.plan.changes, 4);
    // Fail one request at every position in turn until a failure lands after some step was applied.
    let failure: DeployFailed | null = null;
    for (let skip = 0; skip < 30 && !failure; skip++) {
      sim.control.reset();
      bearer = `Bearer ${sim.control.issueAccessToken({ associateId: KARI, clientId: APP.clientId })}`;
      sim.control.failNext(1, { status: 500, skip });
      try {
        await deploy();
      } catch (err) {
        if (err instanceof DeployFailed && err.applied.length > 0) failure = err;
        else if (!(err instanceof DeployFailed) && !(err instanceof SuperOfficeDeployError)) throw err;
      }
    }
    assert.ok(failure, 'some injected failure landed between two applied steps');
    assert.match(failure.message, /failed: .*HTTP 500/);
    const done = ours().length;
    assert.ok(done >= 1 && failure.applied.length >= 1);
    const rerun = await deploy();
    assert.ok(rerun.plan.steps.some((s) => s.kind === 'unchanged'), 'what went through is not done again');
    const panels = ours();
    assert.equal(panels.length, 2);
    assert.ok(panels.every((p) => !p.entity.Deleted && p.visibleForUserGroups.length === 1));
    assert.equal((await deploy()).plan.changes, 0);
  });

  test('signing in as the system user (signed system token → ticket, a JWT with SuperOffice\'s string iat) works; a wrong key is refused', async () => {
    const system: DeployAuth = {
      kind: 'system',
      settings: { superofficeUrl: sim.url, contextId: tenant.contextId, systemToken: systemTokenFor(APP, tenant.contextId), privateKeyPem: keys.privateKey, appToken: APP.clientSecret },
    };
    const run = await deploy({ auth: system, manifestFile: manifestWith((m) => (m.visibility.userGroups = ['IT'])) });
    assert.equal(run.plan.changes, 4);
    assert.equal(ours().length, 2);
    assert.ok(sim.control.requestCount('POST /login/api/PartnerSystemUser/Authenticate') >= 1);
    // The simulator answers as SuperOffice does: `iat` a string, which jose's jwtVerify refuses.
    const answer = await fetch(`${sim.url}/login/api/PartnerSystemUser/Authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ SignedSystemToken: signSystemToken(systemTokenFor(APP, tenant.contextId), keys.privateKey, new Date()), ApplicationToken: APP.clientSecret, ContextIdentifier: tenant.contextId, ReturnTokenType: 'JWT' }),
    });
    const jwt = ((await answer.json()) as { Token: string }).Token;
    assert.equal(typeof decodeJwt(jwt).iat, 'string');

    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const forged: DeployAuth = { kind: 'system', settings: { ...(system as any).settings, privateKeyPem: stranger.privateKey } };
    await assert.rejects(deploy({ auth: forged }), /refused the system user sign-in: The signature of the system token is not valid/);
  });

  test('GetWebPanelByProgId\'s "no such panel" as null, an empty entity or a not-found error: created once, then unchanged', async () => {
    for (const miss of ['null', 'empty', 'error'] as const) {
      sim.control.reset();
      bearer = `Bearer ${sim.control.issueAccessToken({ associateId: KARI, clientId: APP.clientId })}`;
      sim.control.setWebPanelMiss(miss);
      const first = await deploy();
      assert.deepEqual(first.kinds, ['create mailboxlink.settings', 'visibility mailboxlink.settings', 'create mailboxlink.navigator', 'visibility mailboxlink.navigator'], miss);
      assert.deepEqual((await deploy()).kinds, ['unchanged mailboxlink.settings', 'unchanged mailboxlink.navigator'], miss);
      await deploy({ uninstall: true });
      assert.equal(ours().length, 2, `${miss}: no second copy`);
    }
    // Any other failure of the lookup stays a failure: it must not read as "missing" and create a copy.
    sim.control.reset();
    bearer = `Bearer ${sim.control.issueAccessToken({ associateId: KARI, clientId: APP.clientId })}`;
    await deploy();
    sim.control.resetRequests();
    sim.control.failNext(1, { status: 500 });
    await assert.rejects(deploy({ uninstall: true }), /Looking up mailboxlink\.settings failed \(HTTP 500\)/);
    assert.equal(sim.control.requestCount('POST /{ctx}/api/v1/Agents/List/GetWebPanelByProgId'), 1);
    assert.equal(ours().length, 2);
  });

  test('production refuses an http base URL before signing in', async () => {
    sim.control.resetRequests();
    await assert.rejects(deploy({ baseUrl: 'http://app.example.com' }), /\$\.baseUrl: must use https in production/);
    assert.equal(sim.control.requests().total, 0);
  });
});
