import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { DEMO_CASES } from '../../simulators/demo-tenant.js';
import { jsonOf, redirectParams, startMicrosoftSims, TEST_APP, type MicrosoftSims } from './ms-sim-harness.js';

/**
 * Conformance with the shapes Microsoft documents (Graph v1.0 reference: list users, user
 * resource, JSON batching, throttling; Microsoft identity platform: OpenID Connect, auth code
 * flow, admin consent). Every expectation here is taken from that documentation, not from the
 * simulator's code: field names and casing, where `@odata.*` annotations go, error bodies,
 * the proxyAddresses format, the Entra endpoints MSAL relies on.
 */

const GRAPH_ERROR_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const USER_PURPOSES = ['user', 'linked', 'shared', 'room', 'equipment', 'others', 'unknownFutureValue'];
const PLAN_STATUSES = ['Enabled', 'Warning', 'Suspended', 'LockedOut', 'Deleted'];
const DEFAULT_USER_PROPERTIES = ['businessPhones', 'displayName', 'givenName', 'id', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName'];
const SELECT = 'id,displayName,mail,userPrincipalName,proxyAddresses,accountEnabled,userType,assignedPlans';

/** `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}` */
function assertGraphError(body: any, code: string, message?: string | RegExp): void {
  assert.deepEqual(Object.keys(body), ['error']);
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  if (typeof message === 'string') assert.equal(body.error.message, message);
  else if (message) assert.match(body.error.message, message);
  assert.match(body.error.innerError.date, GRAPH_ERROR_DATE);
  assert.equal(typeof body.error.innerError['request-id'], 'string');
  assert.equal(typeof body.error.innerError['client-request-id'], 'string');
}

describe('conformance with the Graph/Entra reference', () => {
  let sims: MicrosoftSims;
  let token: string;

  before(async () => {
    sims = await startMicrosoftSims({ size: 'large' });
    token = await sims.appToken();
  });
  after(() => sims.close());

  const graph = (path: string, headers: Record<string, string> = {}, init: RequestInit = {}) =>
    sims.fetch(path.startsWith('https://') ? path : `${sims.graph.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...headers },
    });

  describe('§1 listing mailbox users', () => {
    it('page: @odata.context, then @odata.nextLink (absolute, all original parameters + opaque $skiptoken), then value', async () => {
      const res = await graph(`/v1.0/users?$select=${SELECT}&$top=999`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      const body = await jsonOf(res);
      assert.deepEqual(Object.keys(body), ['@odata.context', '@odata.nextLink', 'value']);
      assert.equal(body['@odata.context'], `${sims.graph.url}/v1.0/$metadata#users(${SELECT})`);
      const next = new URL(body['@odata.nextLink']);
      assert.equal(next.protocol, 'https:');
      assert.equal(`${next.origin}${next.pathname}`, `${sims.graph.url}/v1.0/users`);
      assert.equal(next.searchParams.get('$select'), SELECT);
      assert.equal(next.searchParams.get('$top'), '999');
      assert.ok((next.searchParams.get('$skiptoken') ?? '').length > 8);
      assert.equal(body.value.length, 999);
    });

    it('each user carries exactly the selected properties with Graph casing', async () => {
      const body = await jsonOf(await graph(`/v1.0/users?$select=${SELECT}&$top=999`));
      for (const u of body.value) {
        assert.deepEqual(Object.keys(u).sort(), SELECT.split(',').sort());
        assert.match(u.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        assert.equal(typeof u.accountEnabled, 'boolean');
        assert.ok(['Member', 'Guest'].includes(u.userType));
        assert.ok(Array.isArray(u.proxyAddresses), 'proxyAddresses is not nullable');
        for (const plan of u.assignedPlans) {
          assert.deepEqual(Object.keys(plan).sort(), ['assignedDateTime', 'capabilityStatus', 'service', 'servicePlanId']);
          assert.ok(PLAN_STATUSES.includes(plan.capabilityStatus));
        }
      }
    });

    it('without $select: the documented default properties', async () => {
      const body = await jsonOf(await graph('/v1.0/users?$top=3'));
      for (const u of body.value) assert.deepEqual(Object.keys(u).sort(), DEFAULT_USER_PROPERTIES);
    });

    it('default page size 100; $top=1000 is the documented 400', async () => {
      assert.equal((await jsonOf(await graph('/v1.0/users'))).value.length, 100);
      const res = await graph('/v1.0/users?$top=1000');
      assert.equal(res.status, 400);
      assertGraphError(await jsonOf(res), 'Request_UnsupportedQuery', "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.");
    });

    it('$skip is not supported; mailboxSettings cannot be selected on the collection (501)', async () => {
      assert.equal((await graph('/v1.0/users?$skip=10')).status, 400);
      assert.equal((await graph('/v1.0/users?$select=id,mailboxSettings')).status, 501);
    });

    it('@odata.count only on the first page, only with ConsistencyLevel: eventual + $count=true (headers resent by the client)', async () => {
      const headers = { ConsistencyLevel: 'eventual' };
      const first = await jsonOf(await graph('/v1.0/users?$count=true&$top=500&$select=id', headers));
      assert.equal(first['@odata.count'], sims.tenant.mailboxes.length);
      assert.deepEqual(Object.keys(first), ['@odata.context', '@odata.count', '@odata.nextLink', 'value']);
      const second = await jsonOf(await graph(first['@odata.nextLink'], headers));
      assert.equal(second['@odata.count'], undefined);
      const ignored = await jsonOf(await graph('/v1.0/users?$count=true&$top=5'));
      assert.equal(ignored['@odata.count'], undefined, '$count=true without the header is silently ignored');
    });

    it('advanced-query errors reproduce the documented codes and messages', async () => {
      const search = await graph(`/v1.0/users?$search=${encodeURIComponent('"displayName:kari"')}`);
      assert.equal(search.status, 400);
      assertGraphError(await jsonOf(search), 'Request_UnsupportedQuery', "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
      const ends = await graph(`/v1.0/users?$filter=${encodeURIComponent("proxyAddresses/any(p:endsWith(p,'partner.example'))")}`);
      assert.equal(ends.status, 400);
      assertGraphError(await jsonOf(ends), 'Request_UnsupportedQuery', /^Operator 'endsWith' is not supported because the required parameters might be missing\. Try adding \$count=true query parameter and ConsistencyLevel:eventual header/);
      const count = await graph('/v1.0/users/$count');
      assert.equal(count.status, 400);
      assertGraphError(await jsonOf(count), 'Request_BadRequest', '$count is not currently supported.');
    });

    it('advanced queries work with the header: $search (quoted), endsWith, /users/$count as text/plain', async () => {
      const headers = { ConsistencyLevel: 'eventual' };
      const found = await jsonOf(await graph(`/v1.0/users?$search=${encodeURIComponent('"displayName:kari"')}&$select=displayName`, headers));
      assert.ok(found.value.some((u: { displayName: string }) => u.displayName === 'Kari Nordmann'));
      const ends = await jsonOf(await graph(`/v1.0/users?$filter=${encodeURIComponent("proxyAddresses/any(p:endsWith(p,'partner.example'))")}&$count=true&$select=userType`, headers));
      assert.ok(ends['@odata.count'] > 0);
      assert.ok(ends.value.every((u: { userType: string }) => u.userType === 'Guest'));
      const count = await graph('/v1.0/users/$count', headers);
      assert.match(count.headers.get('content-type') ?? '', /^text\/plain/);
      assert.match(await count.text(), /^\d+$/);
    });

    it('error envelope echoes client-request-id', async () => {
      const res = await graph('/v1.0/users?$top=0', { 'client-request-id': '3f0c2b1a-1111-4222-8333-944455556666' });
      const body = await jsonOf(res);
      assertGraphError(body, 'Request_UnsupportedQuery');
      assert.equal(body.error.innerError['client-request-id'], '3f0c2b1a-1111-4222-8333-944455556666');
    });

    it('userPurpose: {"@odata.context": …/mailboxSettings/userPurpose, "value"}; no mailbox → 404 MailboxNotEnabledForRESTAPI', async () => {
      for (const id of [DEMO_CASES.adminMailboxId, DEMO_CASES.sharedMailboxId, DEMO_CASES.roomMailboxId]) {
        const body = await jsonOf(await graph(`/v1.0/users/${id}/mailboxSettings/userPurpose`));
        assert.deepEqual(Object.keys(body), ['@odata.context', 'value']);
        assert.match(body['@odata.context'], /\/mailboxSettings\/userPurpose$/);
        assert.ok(USER_PURPOSES.includes(body.value));
      }
      const res = await graph(`/v1.0/users/${DEMO_CASES.noMailboxIds[0]}/mailboxSettings/userPurpose`);
      assert.equal(res.status, 404);
      assertGraphError(await jsonOf(res), 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
    });

    it('the traps are there: mail set without a mailbox; an "exchange" plan without a mailbox; shared mailboxes without plans; #EXT# guests', async () => {
      const body = await jsonOf(await graph(`/v1.0/users?$select=${SELECT}&$top=999`));
      const users = body.value as any[];
      const unlicensed = await jsonOf(await graph(`/v1.0/users/${DEMO_CASES.noMailboxIds[0]}?$select=mail,assignedPlans`));
      assert.ok(unlicensed.mail !== null);
      assert.ok(unlicensed.assignedPlans.some((p: { service: string }) => p.service === 'exchange'));
      const shared = await jsonOf(await graph(`/v1.0/users/${DEMO_CASES.sharedMailboxId}?$select=accountEnabled,assignedPlans`));
      assert.equal(shared.accountEnabled, false);
      assert.deepEqual(shared.assignedPlans, []);
      for (const g of users.filter((u) => u.userType === 'Guest')) assert.match(g.userPrincipalName, /#EXT#@/);
    });
  });

  describe('§2 proxyAddresses', () => {
    it('SMTP: primary (equal to mail), smtp: aliases, no space after the colon', async () => {
      const body = await jsonOf(await graph('/v1.0/users?$select=mail,proxyAddresses&$top=999'));
      let aliases = 0;
      for (const u of body.value) {
        for (const p of u.proxyAddresses as string[]) {
          const colon = p.indexOf(':');
          assert.ok(colon > 0, p);
          assert.notEqual(p[colon + 1], ' ', `no space after the colon: ${p}`);
          if (p.startsWith('smtp:')) aliases += 1;
        }
        const primaries = (u.proxyAddresses as string[]).filter((p) => p.startsWith('SMTP:'));
        if (u.mail) {
          assert.equal(primaries.length, 1);
          assert.equal(primaries[0]!.slice(5), u.mail);
        }
      }
      assert.ok(aliases > 0);
    });
  });

  describe('§3 throttling and $batch', () => {
    it('429: integer Retry-After and the throttling.md body', async () => {
      sims.graph.control.setFaults({ throttled: 1, retryAfterSeconds: 1 });
      const res = await graph('/v1.0/users?$top=1');
      assert.equal(res.status, 429);
      assert.match(res.headers.get('retry-after') ?? '', /^\d+$/);
      const body = await jsonOf(res);
      assert.equal(body.error.code, 'TooManyRequests');
      assert.equal(body.error.message, 'Please retry again later.');
      assert.equal(body.error.innerError.code, '429');
      assert.equal(body.error.innerError.status, '429');
      assert.equal(body.error.innerError.message, 'Please retry after');
      assert.match(body.error.innerError.date, GRAPH_ERROR_DATE);
      assert.equal(typeof body.error.innerError['request-id'], 'string');
    });

    it('envelope 200 with responses[{id,status,headers,body}] correlated by id; per-item 429 with its own Retry-After', async () => {
      sims.graph.control.setThrottle({ limit: 1, windowSeconds: 60 });
      try {
        const requests = [
          { id: 'a', method: 'GET', url: `/users/${DEMO_CASES.adminMailboxId}/mailboxSettings/userPurpose` },
          { id: 'b', method: 'GET', url: `/users/${DEMO_CASES.sharedMailboxId}/mailboxSettings/userPurpose` },
        ];
        const res = await graph('/v1.0/$batch', { 'content-type': 'application/json' }, { method: 'POST', body: JSON.stringify({ requests }) });
        assert.equal(res.status, 200);
        const body = await jsonOf(res);
        assert.deepEqual(Object.keys(body), ['responses']);
        assert.deepEqual(body.responses.map((r: { id: string }) => r.id).sort(), ['a', 'b']);
        for (const r of body.responses) {
          for (const key of Object.keys(r)) assert.ok(['id', 'status', 'headers', 'body'].includes(key), key);
          assert.equal(typeof r.status, 'number');
        }
        const b = body.responses.find((r: { id: string }) => r.id === 'b');
        assert.equal(b.status, 429);
        assert.match(b.headers['Retry-After'], /^\d+$/);
      } finally {
        sims.graph.control.setThrottle(null);
      }
    });

    it('at most 20 requests; dependents of a failed request get 424', async () => {
      const many = Array.from({ length: 21 }, (_, i) => ({ id: `${i}`, method: 'GET', url: '/users?$top=1' }));
      const res = await graph('/v1.0/$batch', { 'content-type': 'application/json' }, { method: 'POST', body: JSON.stringify({ requests: many }) });
      assert.equal(res.status, 400);
      assertGraphError(await jsonOf(res), 'BadRequest');
      const chained = [
        { id: '1', method: 'GET', url: `/users/${DEMO_CASES.guestIds[0]}/mailboxSettings/userPurpose` },
        { id: '2', method: 'GET', url: `/users/${DEMO_CASES.adminMailboxId}/mailboxSettings/userPurpose`, dependsOn: ['1'] },
      ];
      const body = await jsonOf(await graph('/v1.0/$batch', { 'content-type': 'application/json' }, { method: 'POST', body: JSON.stringify({ requests: chained }) }));
      assert.equal(body.responses.find((r: { id: string }) => r.id === '2').status, 424);
    });
  });

  describe('§5 Entra endpoints MSAL and the backend rely on', () => {
    const tid = () => sims.tenant.entraTenantId;
    const authority = () => `${sims.entra.url}/${tid()}`;

    it('AAD-mode metadata at {authority}/v2.0/.well-known/openid-configuration with the four required fields', async () => {
      const config = await jsonOf(await sims.fetch(`${authority()}/v2.0/.well-known/openid-configuration`));
      for (const field of ['authorization_endpoint', 'token_endpoint', 'issuer', 'jwks_uri']) {
        assert.equal(typeof config[field], 'string', field);
        assert.ok(config[field].startsWith('https://'), `${field} is https`);
      }
      assert.equal(config.issuer, `${sims.entra.url}/${tid()}/v2.0`);
    });

    it('client-credentials error body: error, AADSTS-prefixed error_description, numeric error_codes', async () => {
      const res = await sims.fetch(sims.tokenUrl, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: TEST_APP.clientId, client_secret: 'nope', scope: 'https://graph.microsoft.com/.default' }),
      });
      const body = await jsonOf(res);
      assert.equal(body.error, 'invalid_client');
      assert.match(body.error_description, /^AADSTS7000215: Invalid client secret provided\./);
      assert.deepEqual(body.error_codes, [7000215]);
      for (const field of ['timestamp', 'trace_id', 'correlation_id']) assert.equal(typeof body[field], 'string', field);
    });

    it('code redemption answers token_type, scope, expires_in, ext_expires_in, access_token, refresh_token, id_token (with nonce), client_info', async () => {
      const verifier = randomBytes(32).toString('base64url');
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const redirectUri = TEST_APP.spaRedirectUris![0]!;
      const params = {
        client_id: TEST_APP.clientId, response_type: 'code', redirect_uri: redirectUri, response_mode: 'fragment',
        scope: 'https://graph.microsoft.com/User.Read openid profile offline_access', state: 's', nonce: 'n-1',
        code_challenge: challenge, code_challenge_method: 'S256', client_info: '1',
      };
      const picked = await sims.fetch(`${authority()}/oauth2/v2.0/authorize`, { method: 'POST', body: new URLSearchParams({ ...params, user_id: DEMO_CASES.adminMailboxId }), redirect: 'manual' });
      const { fragment } = redirectParams(picked.headers.get('location'));
      assert.ok(fragment.get('code'));
      assert.equal(fragment.get('state'), 's');
      const res = await sims.fetch(`${authority()}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { origin: 'https://localhost:5173' },
        body: new URLSearchParams({ grant_type: 'authorization_code', client_id: TEST_APP.clientId, code: fragment.get('code')!, redirect_uri: redirectUri, code_verifier: verifier, client_info: '1' }),
      });
      const body = await jsonOf(res);
      assert.deepEqual(Object.keys(body).sort(), ['access_token', 'client_info', 'expires_in', 'ext_expires_in', 'id_token', 'refresh_token', 'scope', 'token_type']);
      assert.equal(body.token_type, 'Bearer');
      assert.equal(typeof body.expires_in, 'number');
      const info = JSON.parse(Buffer.from(body.client_info, 'base64url').toString('utf8'));
      assert.deepEqual(Object.keys(info).sort(), ['uid', 'utid']);
      assert.equal(info.utid, tid());
      assert.equal(decodeJwt(body.id_token).nonce, 'n-1');
    });

    it('admin consent success: admin_consent=True&tenant=…&scope=…&state=…; failure: error + error_description, with admin_consent=True too', async () => {
      const base = { client_id: TEST_APP.clientId, scope: 'https://graph.microsoft.com/.default', redirect_uri: TEST_APP.redirectUris[0]!, state: 'st' };
      const ok = await sims.fetch(`${sims.entra.url}/organizations/v2.0/adminconsent`, { method: 'POST', body: new URLSearchParams({ ...base, decision: 'accept' }), redirect: 'manual' });
      const success = redirectParams(ok.headers.get('location')).query;
      assert.equal(success.get('admin_consent'), 'True');
      assert.equal(success.get('tenant'), tid());
      assert.equal(success.get('scope'), base.scope);
      assert.equal(success.get('state'), 'st');
      const no = await sims.fetch(`${sims.entra.url}/organizations/v2.0/adminconsent`, { method: 'POST', body: new URLSearchParams({ ...base, decision: 'cancel' }), redirect: 'manual' });
      const failure = redirectParams(no.headers.get('location')).query;
      assert.ok(failure.get('error'));
      assert.ok(failure.get('error_description'));
      // Microsoft's admin-consent page (v2-admin-consent): error answers carry admin_consent=True as well.
      assert.equal(failure.get('admin_consent'), 'True');
      assert.equal(failure.get('state'), 'st');
    });
  });
});
