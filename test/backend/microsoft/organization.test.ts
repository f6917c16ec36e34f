import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_ENTRA_APP } from '../../../backend/demo/demo-environment.js';
import { DEMO_CASES } from '../../../simulators/demo-tenant.js';
import type { GraphAppTokens, MicrosoftSettings } from '../../../backend/microsoft/app-token.js';
import { Graph } from '../../../backend/microsoft/graph.client.js';
import { readOrganizationName } from '../../../backend/microsoft/organization.js';
import { startMicrosoftSims, TEST_APP, type MicrosoftSims } from '../../simulators/ms-sim-harness.js';
import { makeIntegrationHarness, type IntegrationHarness } from '../../helpers/integration.js';

/*
 * The organisation's name: Graph `GET /v1.0/organization` (learn.microsoft.com/graph/api/organization-get)
 * needs Organization.Read.All; without it the name is unknown and the panel shows the id.
 */
describe('Graph /organization and the organisation name', () => {
  let sims: MicrosoftSims;
  before(async () => {
    sims = await startMicrosoftSims();
  });
  after(() => sims.close());

  const graphWith = (token: string) =>
    new Graph({ graphUrl: sims.graph.url } as MicrosoftSettings, { token: async () => token } as unknown as GraphAppTokens, sims.tenant.entraTenantId, {
      dispatcher: sims.dispatcher as never,
      retry: { delaySeconds: 0, maxRetries: 0 },
    });
  const get = (token: string, query = '') => sims.fetch(`${sims.graph.url}/v1.0/organization${query}`, { headers: { authorization: `Bearer ${token}` } });

  test('without Organization.Read.All: 403 Authorization_RequestDenied, and the name is unknown (null)', async () => {
    sims.entra.control.grantConsent(sims.tenant.entraTenantId, TEST_APP.clientId, TEST_APP.permissions);
    const token = await sims.appToken();
    const res = await get(token);
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as any).error.code, 'Authorization_RequestDenied');
    assert.equal(await readOrganizationName(graphWith(token)), null);
  });

  test('with it: the documented shape (value: [{ id, displayName, verifiedDomains }]), $select honoured, unknown properties refused', async () => {
    sims.entra.control.grantConsent(sims.tenant.entraTenantId, TEST_APP.clientId, [...TEST_APP.permissions, 'Organization.Read.All']);
    const token = await sims.appToken();
    const res = await get(token);
    assert.equal(res.status, 200);
    const body = (await res.json()) as any;
    assert.match(body['@odata.context'], /\/v1\.0\/\$metadata#organization$/);
    assert.equal(body.value.length, 1);
    const org = body.value[0];
    assert.equal(org.id, sims.tenant.entraTenantId);
    assert.equal(org.displayName, sims.tenant.companyName);
    assert.deepEqual(
      org.verifiedDomains.map((d: any) => [d.name, d.isDefault, d.isInitial, d.type]),
      [[sims.tenant.domain, true, false, 'Managed'], [`${sims.tenant.domain.split('.')[0]}.onmicrosoft.com`, false, true, 'Managed']],
    );
    const selected = (await (await get(token, '?$select=id,displayName')).json()) as any;
    assert.deepEqual(Object.keys(selected.value[0]).sort(), ['displayName', 'id']);
    assert.equal((await get(token, '?$select=nope')).status, 400);
    assert.equal(await readOrganizationName(graphWith(token)), sims.tenant.companyName);
  });
});

describe('the tenant names its Microsoft 365 organisation once connected', () => {
  let h: IntegrationHarness;
  before(async () => {
    h = await makeIntegrationHarness({ consentGranted: false });
  });
  after(() => h.closeAll());

  test('GET /tenant: organizationName null before consent, the organisation displayName after', async () => {
    const admin = (await h.signIn(DEMO_CASES.adminAssociateIds[0]!)).message.token!;
    const before = await h.request('GET', '/api/v1/tenant', { token: admin });
    assert.deepEqual([before.body.microsoft.connected, before.body.microsoft.organizationName], [false, null]);
    assert.equal((await h.consent(admin)).message.type, 'mailbox-link:consented');
    const after = await h.request('GET', '/api/v1/tenant', { token: admin });
    assert.deepEqual([after.body.microsoft.connected, after.body.microsoft.organizationName], [true, h.env.tenant.companyName]);
    const row = await h.store.db.selectFrom('tenant').select('entra_organization_name').where('id', '=', h.env.tenant.contextId).executeTakeFirstOrThrow();
    assert.equal(row.entra_organization_name, h.env.tenant.companyName);
  });
});

describe('a tenant that approved the app before its name was read', () => {
  let h: IntegrationHarness;
  before(async () => {
    h = await makeIntegrationHarness({ consentGranted: true });
  });
  after(() => h.closeAll());

  test('gets the name on its next Load External Users, read once while unknown', async () => {
    const admin = (await h.signIn(DEMO_CASES.adminAssociateIds[0]!)).message.token!;
    await h.consent(admin);
    // As after the upgrade: connected, the name never read.
    await h.store.db.updateTable('tenant').set({ entra_organization_name: null }).where('id', '=', h.env.tenant.contextId).execute();
    assert.equal((await h.request('GET', '/api/v1/tenant', { token: admin })).body.microsoft.organizationName, null);
    h.env.graph.control.resetRequests();
    const first = await h.request('GET', '/api/v1/mailboxes', { token: admin });
    assert.equal(first.status, 200, first.text);
    assert.equal((await h.request('GET', '/api/v1/tenant', { token: admin })).body.microsoft.organizationName, h.env.tenant.companyName);
    assert.equal((await h.request('GET', '/api/v1/mailboxes', { token: admin })).status, 200);
    assert.equal(h.env.graph.control.requests().byRoute['GET /v1.0/organization'], 1, 'read while unknown only');
  });

});

describe('an organisation that never approved Organization.Read.All', () => {
  let h: IntegrationHarness;
  // Tokens of a minute: MSAL asks for a new one each time (it renews 5 minutes before expiry), so
  // the narrower approval below is in the next token.
  before(async () => {
    h = await makeIntegrationHarness({ consentGranted: true, tokenLifetimeSeconds: 60 });
  });
  after(() => h.closeAll());

  test('is asked for its name at the next load, then not again at every Load External Users within the hour', async () => {
    const admin = (await h.signIn(DEMO_CASES.adminAssociateIds[0]!)).message.token!;
    await h.consent(admin);
    await h.store.db.updateTable('tenant').set({ entra_organization_name: null }).where('id', '=', h.env.tenant.contextId).execute();
    const approved = DEMO_ENTRA_APP.permissions.filter((p) => p !== 'Organization.Read.All');
    h.env.entra.control.grantConsent(h.env.tenant.entraTenantId, DEMO_ENTRA_APP.clientId, approved);
    h.env.graph.control.resetRequests();
    for (let i = 0; i < 3; i++) assert.equal((await h.request('GET', '/api/v1/mailboxes', { token: admin })).status, 200);
    assert.equal(h.env.graph.control.requests().byRoute['GET /v1.0/organization'], 1, 'refused once, then not asked again');
    assert.equal((await h.request('GET', '/api/v1/tenant', { token: admin })).body.microsoft.organizationName, null);
  });
});
