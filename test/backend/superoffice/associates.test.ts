import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEMO_CASES } from '../../../backend/simulators/demo-tenant.js';
import { makeIntegrationHarness, type IntegrationHarness } from '../../helpers/integration.js';

const ARCHIVE = 'GET /{ctx}/api/v1/Archive/InternalUsers';

describe('associates with their contact-card email, from the SuperOffice simulator', () => {
  let h: IntegrationHarness;
  let admin: string;
  before(async () => {
    h = await makeIntegrationHarness();
    admin = (await h.signIn(DEMO_CASES.adminAssociateIds[0]!)).message.token!;
  });
  after(() => h.closeAll());
  beforeEach(() => {
    h.env.superoffice.control.setDown('off');
    h.env.superoffice.control.resetRequests();
  });

  test('lists every associate with email, group and active state, in one request per page', async () => {
    const res = await h.request('GET', '/api/v1/associates', { token: admin });
    assert.equal(res.status, 200, res.text);
    const list = res.body.associates as any[];
    assert.equal(list.length, h.env.tenant.associates.length);
    assert.equal(h.env.superoffice.control.requestCount(ARCHIVE), 1);
    const retired = list.find((a) => a.associateId === DEMO_CASES.retiredAssociateId);
    assert.equal(retired.active, false);
    for (const id of DEMO_CASES.noEmailAssociateIds) assert.equal(list.find((a) => a.associateId === id).email, null);
    const someone = h.env.tenant.associates.find((a) => a.personEmail && a.isActive)!;
    const listed = list.find((a) => a.associateId === someone.associateId);
    assert.equal(listed.email, someone.personEmail);
    assert.equal(listed.name, someone.fullName);
    assert.equal(listed.userGroupId, someone.usergroupId);
  });

  test('an expired SuperOffice access token is refreshed once and the read repeated', async () => {
    h.env.superoffice.control.expireAccessTokens();
    const res = await h.request('GET', '/api/v1/associates', { token: admin });
    assert.equal(res.status, 200, res.text);
    assert.equal(h.env.superoffice.control.requestCount(ARCHIVE), 2, 'one 401, one retry with the new token');
  });

  test('SuperOffice down or failing: a clear 503, not a crash', async () => {
    h.env.superoffice.control.setDown('503');
    const down = await h.request('GET', '/api/v1/associates', { token: admin });
    assert.equal(down.status, 503);
    assert.equal(down.body.error.code, 'SuperOfficeUnavailable');
    h.env.superoffice.control.setDown('reset');
    assert.equal((await h.request('GET', '/api/v1/associates', { token: admin })).body.error.code, 'SuperOfficeUnavailable');
    h.env.superoffice.control.setDown('off');
    h.env.superoffice.control.failNext(1, { status: 500 });
    assert.equal((await h.request('GET', '/api/v1/associates', { token: admin })).status, 503);
    assert.equal((await h.request('GET', '/api/v1/associates', { token: admin })).status, 200);
  });

  test('only administrators may read them', async () => {
    const user = (await h.signIn(DEMO_CASES.nonAdminAssociateId)).message.token!;
    assert.equal((await h.request('GET', '/api/v1/associates', { token: user })).status, 403);
  });
});

describe('associates of a 10,000-user tenant', () => {
  let h: IntegrationHarness;
  before(async () => {
    h = await makeIntegrationHarness({ size: 'large' });
  });
  after(() => h.closeAll());

  test('cost ceil(N/1000) requests, in associate id order', async () => {
    const admin = (await h.signIn(DEMO_CASES.adminAssociateIds[0]!)).message.token!;
    h.env.superoffice.control.resetRequests();
    const res = await h.request('GET', '/api/v1/associates', { token: admin });
    assert.equal(res.status, 200);
    const n = h.env.tenant.associates.length;
    assert.equal(res.body.associates.length, n);
    assert.equal(h.env.superoffice.control.requestCount(ARCHIVE), Math.ceil(n / 1000));
    const ids = res.body.associates.map((a: any) => a.associateId);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
    assert.equal(new Set(ids).size, n);
  });
});
