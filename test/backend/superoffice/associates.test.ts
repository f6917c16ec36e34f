import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEMO_CASES } from '../../../simulators/demo-tenant.js';
import { makeIntegrationHarness, type IntegrationHarness } from '../../helpers/integration.js';

const ARCHIVE = 'GET /{ctx}/api/v1/Archive/InternalUsers';
/** Pages of 1,000 rows are read while a full one comes back: the last full page costs one more (empty) request. */
const pagesFor = (rows: number) => Math.floor(rows / 1000) + 1;

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

  test('lists every associate once with email, group and active state, in one request per page', async () => {
    const res = await h.request('GET', '/api/v1/associates', { token: admin });
    assert.equal(res.status, 200, res.text);
    const list = res.body.associates as any[];
    // The archive has a row per entity (everyone is in `all`, and in their licence or `retired`).
    assert.equal(list.length, h.env.tenant.associates.length);
    assert.equal(new Set(list.map((a) => a.associateId)).size, list.length, 'an associate listed twice');
    assert.equal(h.env.superoffice.control.requestCount(ARCHIVE), 1);
    assert.equal(h.env.superoffice.control.requestCount('GET /{ctx}/api/v1/MDOList/usergroup'), 1, 'the group ids, once');
    const retired = list.find((a) => a.associateId === DEMO_CASES.retiredAssociateId);
    assert.equal(retired.active, false);
    for (const id of DEMO_CASES.noEmailAssociateIds) assert.equal(list.find((a) => a.associateId === id).email, null);
    const someone = h.env.tenant.associates.find((a) => a.personEmail && a.isActive)!;
    const listed = list.find((a) => a.associateId === someone.associateId);
    assert.equal(listed.email, someone.personEmail);
    assert.equal(listed.name, someone.fullName);
    // There is no usergroupId column: the id comes from the group's name through MDO list usergroup.
    assert.equal(listed.userGroup, someone.usergroup);
    assert.equal(listed.userGroupId, someone.usergroupId);
  });

  test('the email is the card\'s rank-1 address, not the one stored first', async () => {
    const ola = h.env.tenant.associates.find((a) => a.associateId === DEMO_CASES.twoEmailsAssociateId)!;
    assert.ok(ola.cardEmails && ola.cardEmails[0]!.rank === 2, 'the fixture stores the primary address second');
    const list = (await h.request('GET', '/api/v1/associates', { token: admin })).body.associates as any[];
    assert.equal(list.find((a) => a.associateId === ola.associateId).email, ola.cardEmails.find((e) => e.rank === 1)!.address);
  });

  test('a 403 from SuperOffice is "not allowed", with the right SuperOffice names, not "sign in again"', async () => {
    h.env.superoffice.control.failNext(1, { status: 403, errorType: 'SoAccessDeniedException', message: "The function right 'admin-users' is required to list users." });
    const res = await h.request('GET', '/api/v1/associates', { token: admin });
    assert.equal(res.status, 403, res.text);
    assert.equal(res.body.error.code, 'SuperOfficeAccessDenied');
    assert.match(res.body.error.message, /admin-users/);
    // Nothing was refreshed or dropped: the next read works with the same session.
    assert.equal((await h.request('GET', '/api/v1/associates', { token: admin })).status, 200);
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

  test('cost one request per 1,000 (no nextLink comes back for our $top), in associate id order', async () => {
    const admin = (await h.signIn(DEMO_CASES.adminAssociateIds[0]!)).message.token!;
    h.env.superoffice.control.resetRequests();
    const res = await h.request('GET', '/api/v1/associates', { token: admin });
    assert.equal(res.status, 200);
    const n = h.env.tenant.associates.length;
    assert.equal(res.body.associates.length, n);
    assert.equal(h.env.superoffice.control.requestCount(ARCHIVE), pagesFor(n));
    const ids = res.body.associates.map((a: any) => a.associateId);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
    assert.equal(new Set(ids).size, n);
  });
});

describe('associates when SuperOffice sends odata.nextLink (undocumented), on another host name than webapi_url', () => {
  let h: IntegrationHarness;
  before(async () => {
    h = await makeIntegrationHarness({ superoffice: { odataMaxPageSize: 25, odataNextLinkWithTop: true } });
  });
  after(() => h.closeAll());

  test('the link is a hint only: short pages cut by the server are read on by $skip from webapi_url', async () => {
    const admin = (await h.signIn(DEMO_CASES.adminAssociateIds[0]!)).message.token!;
    h.env.superoffice.control.resetRequests();
    const res = await h.request('GET', '/api/v1/associates', { token: admin });
    assert.equal(res.status, 200, res.text);
    const n = h.env.tenant.associates.length;
    assert.equal(res.body.associates.length, n);
    assert.equal(new Set(res.body.associates.map((a: any) => a.associateId)).size, n);
    assert.equal(h.env.superoffice.control.requestCount(ARCHIVE), Math.ceil(n / 25));
  });
});
