import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT, generateKeyPair } from 'jose';
import { DEMO_CASES } from '../../simulators/demo-tenant.js';
import { jsonOf, startMicrosoftSims, TEST_APP, type MicrosoftSims } from './ms-sim-harness.js';

describe('Graph simulator', () => {
  let sims: MicrosoftSims;
  let token: string;
  let tid: string;

  before(async () => {
    sims = await startMicrosoftSims();
    token = await sims.appToken();
    tid = sims.tenant.entraTenantId;
  });
  after(() => sims.close());

  const get = (path: string, headers: Record<string, string> = {}, bearer: string | null = token) =>
    sims.fetch(path.startsWith('https://') ? path : `${sims.graph.url}${path}`, {
      headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers },
    });
  const post = (path: string, body: unknown, bearer = token) =>
    sims.fetch(`${sims.graph.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const purposeUrl = (id: string) => `/users/${id}/mailboxSettings/userPurpose`;

  describe('GET /v1.0/users', () => {
    it('defaults to 100 per page and needs an absolute https nextLink to go on', async () => {
      const large = await startMicrosoftSims({ size: 'large' });
      try {
        const res = await large.fetch(`${large.graph.url}/v1.0/users`, { headers: { authorization: `Bearer ${await large.appToken()}` } });
        const body = await jsonOf(res);
        assert.equal(body.value.length, 100);
        assert.match(body['@odata.nextLink'], /^https:\/\/127\.0\.0\.1:\d+\/v1\.0\/users\?\$skiptoken=/);
      } finally {
        await large.close();
      }
    });

    it('pages the 50,000-mailbox tenant with $top=999 in exactly ceil(M/999) requests', async () => {
      const large = await startMicrosoftSims({ size: 'large' });
      try {
        const bearer = await large.appToken();
        large.graph.control.resetRequests();
        const ids = new Set<string>();
        let url: string | undefined = `${large.graph.url}/v1.0/users?$select=id,mail,userPrincipalName,proxyAddresses,accountEnabled,userType&$top=999`;
        let pages = 0;
        while (url) {
          const res = await large.fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
          assert.equal(res.status, 200);
          const body = await jsonOf(res);
          pages += 1;
          for (const u of body.value) ids.add(u.id);
          url = body['@odata.nextLink'];
          if (url) assert.ok(url.startsWith('https://') && url.includes('$skiptoken=') && url.includes('$top=999'));
        }
        const expected = Math.ceil(large.tenant.mailboxes.length / 999);
        assert.equal(ids.size, large.tenant.mailboxes.length);
        assert.equal(pages, expected);
        assert.equal(large.graph.control.requests().byRoute['GET /v1.0/users'], expected);
        const overHttp = await jsonOf(await large.fetch(`${large.graph.url}/__sim/requests`));
        assert.equal(overHttp.byRoute['GET /v1.0/users'], expected);
      } finally {
        await large.close();
      }
    });

    it('rejects $top outside 1–999 with Graph’s error', async () => {
      for (const top of ['1000', '0', 'abc']) {
        const res = await get(`/v1.0/users?$top=${top}`);
        assert.equal(res.status, 400);
        const body = await jsonOf(res);
        assert.equal(body.error.code, 'Request_UnsupportedQuery');
        assert.equal(body.error.message, `Invalid page size specified: '${top}'. Must be between 1 and 999 inclusive.`);
      }
      assert.equal((await get('/v1.0/users?$top=999')).status, 200);
      assert.equal((await get('/v1.0/users?$top=1')).status, 200);
    });

    it('honours $select: only the listed properties, plus id', async () => {
      const body = await jsonOf(await get('/v1.0/users?$select=displayName,mail,proxyAddresses&$top=5'));
      assert.equal(body.value.length, 5);
      for (const u of body.value) assert.deepEqual(Object.keys(u).sort(), ['displayName', 'id', 'mail', 'proxyAddresses']);
      assert.match(body['@odata.context'], /\/v1\.0\/\$metadata#users\(displayName,mail,proxyAddresses\)$/);
      const unknown = await jsonOf(await get('/v1.0/users?$select=displayName,shoeSize'));
      assert.equal(unknown.error.code, 'Request_BadRequest');
      const collectionOnly = await get('/v1.0/users?$select=mailboxSettings');
      assert.equal(collectionOnly.status, 501);
    });

    it('filters by proxy address and by guest type; advanced operators need ConsistencyLevel and $count', async () => {
      const alias = encodeURIComponent("proxyAddresses/any(p:p eq 'smtp:per@nordlys.example')");
      const byAlias = await jsonOf(await get(`/v1.0/users?$filter=${alias}&$select=id`));
      assert.deepEqual(byAlias.value.map((u: { id: string }) => u.id), [DEMO_CASES.aliasOnlyMailboxId]);
      const guests = await jsonOf(await get(`/v1.0/users?$filter=${encodeURIComponent("userType eq 'Guest'")}&$select=id`));
      assert.deepEqual(guests.value.map((u: { id: string }) => u.id).sort(), [...DEMO_CASES.guestIds].sort());
      const ne = encodeURIComponent('mail ne null');
      assert.equal((await get(`/v1.0/users?$filter=${ne}`)).status, 400);
      const counted = await jsonOf(await get(`/v1.0/users?$filter=${ne}&$count=true`, { ConsistencyLevel: 'eventual' }));
      assert.equal(counted['@odata.count'], sims.tenant.mailboxes.filter((m) => m.mail !== null).length);
      const count = await get('/v1.0/users/$count', { ConsistencyLevel: 'eventual' });
      assert.equal(await count.text(), String(sims.tenant.mailboxes.length));
    });

    it('gets one user by id or UPN, 404 Request_ResourceNotFound otherwise', async () => {
      const byId = await jsonOf(await get(`/v1.0/users/${DEMO_CASES.adminMailboxId}?$select=displayName,mail`));
      assert.equal(byId.displayName, 'Kari Nordmann');
      const byUpn = await jsonOf(await get('/v1.0/users/kari.nordmann@nordlys.example'));
      assert.equal(byUpn.id, DEMO_CASES.adminMailboxId);
      const missing = await get('/v1.0/users/00000000-0000-0000-0000-000000000000');
      assert.equal(missing.status, 404);
      assert.equal((await jsonOf(missing)).error.code, 'Request_ResourceNotFound');
    });
  });

  describe('mailboxSettings/userPurpose', () => {
    it('answers the purpose for mailboxes', async () => {
      const cases: [string, string][] = [
        [DEMO_CASES.adminMailboxId, 'user'],
        [DEMO_CASES.sharedMailboxId, 'shared'],
        [DEMO_CASES.roomMailboxId, 'room'],
        [DEMO_CASES.retiredMailboxId, 'user'],
      ];
      for (const [id, purpose] of cases) {
        const res = await get(`/v1.0${purposeUrl(id)}`);
        assert.equal(res.status, 200);
        const body = await jsonOf(res);
        assert.equal(body.value, purpose);
        assert.match(body['@odata.context'], /\/mailboxSettings\/userPurpose$/);
      }
    });

    it('404 MailboxNotEnabledForRESTAPI without a mailbox (incl. guests), Request_ResourceNotFound for unknown ids', async () => {
      for (const id of [...DEMO_CASES.noMailboxIds, ...DEMO_CASES.guestIds]) {
        const res = await get(`/v1.0${purposeUrl(id)}`);
        assert.equal(res.status, 404);
        assert.equal((await jsonOf(res)).error.code, 'MailboxNotEnabledForRESTAPI');
      }
      const unknown = await get(`/v1.0${purposeUrl('6f1e2d3c-0000-4000-8000-000000000000')}`);
      assert.equal(unknown.status, 404);
      assert.equal((await jsonOf(unknown)).error.code, 'Request_ResourceNotFound');
    });
  });

  describe('$batch', () => {
    it('answers each item with its own status, 424 for a failed dependency and 429 once the budget is spent', async () => {
      sims.graph.control.setThrottle({ limit: 3, windowSeconds: 60 });
      try {
        const res = await post('/v1.0/$batch', {
          requests: [
            { id: '1', method: 'GET', url: purposeUrl(DEMO_CASES.adminMailboxId) },
            { id: '2', method: 'GET', url: purposeUrl(DEMO_CASES.noMailboxIds[0]!) },
            { id: '3', method: 'GET', url: purposeUrl(DEMO_CASES.sharedMailboxId) },
            { id: '4', method: 'GET', url: purposeUrl(DEMO_CASES.roomMailboxId) },
            { id: '5', method: 'GET', url: `${purposeUrl(DEMO_CASES.adminMailboxId)}`, dependsOn: ['2'] },
          ],
        });
        assert.equal(res.status, 200);
        const { responses } = await jsonOf(res);
        const byId = new Map<string, any>(responses.map((r: { id: string }) => [r.id, r]));
        assert.equal(byId.get('1').status, 200);
        assert.equal(byId.get('1').body.value, 'user');
        assert.equal(byId.get('2').status, 404);
        assert.equal(byId.get('2').body.error.code, 'MailboxNotEnabledForRESTAPI');
        assert.equal(byId.get('3').status, 200);
        assert.equal(byId.get('4').status, 429);
        assert.match(byId.get('4').headers['Retry-After'], /^\d+$/);
        assert.equal(byId.get('4').body.error.code, 'TooManyRequests');
        assert.equal(byId.get('5').status, 424);
        assert.equal(sims.graph.control.requests().batchItems['GET /v1.0/users/{id}/mailboxSettings/userPurpose'], 4);
      } finally {
        sims.graph.control.setThrottle(null);
      }
    });

    it('refuses more than 20 requests and bodies without Content-Type', async () => {
      const requests = Array.from({ length: 21 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: '/users?$top=1' }));
      const tooMany = await post('/v1.0/$batch', { requests });
      assert.equal(tooMany.status, 400);
      assert.equal((await jsonOf(tooMany)).error.code, 'BadRequest');
      assert.equal((await post('/v1.0/$batch', { requests: requests.slice(0, 20) })).status, 200);
      const noType = await post('/v1.0/$batch', { requests: [{ id: '1', method: 'POST', url: '/users/x/sendMail', body: {} }] });
      assert.equal(noType.status, 400);
    });
  });

  describe('sendMail', () => {
    it('202, recorded in control.sentMail', async () => {
      const message = { subject: 'Authorize mailbox sync', body: { contentType: 'HTML', content: '<p>Hi</p>' }, toRecipients: [{ emailAddress: { address: 'ola.nordmann@nordlys.example' } }] };
      const res = await post(`/v1.0/users/${DEMO_CASES.adminMailboxId}/sendMail`, { message, saveToSentItems: false });
      assert.equal(res.status, 202);
      assert.equal(await res.text(), '');
      const sent = sims.graph.control.sentMail().at(-1)!;
      assert.equal(sent.userId, DEMO_CASES.adminMailboxId);
      assert.equal(sent.from, 'kari.nordmann@nordlys.example');
      assert.equal(sent.saveToSentItems, false);
      assert.deepEqual(sent.message, message);
      const none = await post(`/v1.0/users/${DEMO_CASES.adminMailboxId}/sendMail`, { message: { subject: 'x' } });
      assert.equal((await jsonOf(none)).error.code, 'ErrorInvalidRecipients');
      const noMailbox = await post(`/v1.0/users/${DEMO_CASES.noMailboxIds[0]}/sendMail`, { message });
      assert.equal(noMailbox.status, 404);
    });

    it('/users/{x} takes an object id or UPN only: an alias SMTP address is 404 Request_ResourceNotFound, found by $filter instead', async () => {
      // Kari's mailbox answers to kari@… (an smtp: proxy address), but that is not a key of /users/{x}.
      const message = { subject: 'x', body: { contentType: 'Text', content: 'x' }, toRecipients: [{ emailAddress: { address: 'ola.nordmann@nordlys.example' } }] };
      for (const res of [await get('/v1.0/users/kari@nordlys.example'), await post('/v1.0/users/kari@nordlys.example/sendMail', { message })]) {
        assert.equal(res.status, 404);
        assert.equal((await jsonOf(res)).error.code, 'Request_ResourceNotFound');
      }
      const filter = encodeURIComponent("mail eq 'kari@nordlys.example' or proxyAddresses/any(p:p eq 'smtp:kari@nordlys.example')");
      const found = await jsonOf(await get(`/v1.0/users?$filter=${filter}&$select=id,mail`));
      assert.deepEqual(found.value.map((u: any) => u.id), [DEMO_CASES.adminMailboxId]);
    });
  });

  describe('throttling and faults', () => {
    it('429 TooManyRequests with an integer Retry-After once the budget is spent', async () => {
      sims.graph.control.setThrottle({ limit: 2, windowSeconds: 30 });
      try {
        assert.equal((await get('/v1.0/users?$top=1')).status, 200);
        assert.equal((await get('/v1.0/users?$top=1')).status, 200);
        const res = await get('/v1.0/users?$top=1');
        assert.equal(res.status, 429);
        const retryAfter = Number(res.headers.get('retry-after'));
        assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 30, `Retry-After ${retryAfter}`);
        assert.equal((await jsonOf(res)).error.code, 'TooManyRequests');
        assert.equal(res.headers.get('x-ms-throttle-information'), 'ResourceUnitLimitExceeded');
      } finally {
        sims.graph.control.setThrottle(null);
      }
    });

    it('injects 503s for the next N requests, persistently, and through the HTTP control route', async () => {
      sims.graph.control.setFaults({ unavailable: 2 });
      assert.equal((await get('/v1.0/users?$top=1')).status, 503);
      const second = await get('/v1.0/users?$top=1');
      assert.equal(second.status, 503);
      assert.equal((await jsonOf(second)).error.code, 'serviceNotAvailable');
      assert.equal(second.headers.get('retry-after'), '1');
      assert.equal((await get('/v1.0/users?$top=1')).status, 200);

      const set = await sims.fetch(`${sims.graph.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ unavailable: 'persistent' }) });
      assert.equal((await jsonOf(set)).unavailable, 'persistent');
      for (let i = 0; i < 3; i++) assert.equal((await get('/v1.0/users?$top=1')).status, 503);
      assert.equal((await sims.fetch(`${sims.graph.url}/__sim/faults`, { method: 'DELETE' })).status, 204);
      assert.equal((await get('/v1.0/users?$top=1')).status, 200);
    });

    it('injects 429 bursts and slow responses', async () => {
      sims.graph.control.setFaults({ throttled: 1, retryAfterSeconds: 2 });
      const burst = await get('/v1.0/users?$top=1');
      assert.equal(burst.status, 429);
      assert.equal(burst.headers.get('retry-after'), '2');
      sims.graph.control.setFaults({ delayMs: 150 });
      const started = performance.now();
      assert.equal((await get('/v1.0/users?$top=1')).status, 200);
      assert.ok(performance.now() - started >= 140);
      sims.graph.control.clearFaults();
    });

    it('POST /__sim/reset clears counts', async () => {
      assert.ok(sims.graph.control.requests().total > 0);
      assert.equal((await sims.fetch(`${sims.graph.url}/__sim/reset`, { method: 'POST' })).status, 204);
      assert.equal(sims.graph.control.requests().total, 0);
      assert.equal(sims.graph.control.sentMail().length, 0);
    });
  });

  describe('token checks', () => {
    it('401 InvalidAuthenticationToken without, with an expired, a foreign or a wrong-audience token', async () => {
      const expired = await sims.entra.control.mintAccessToken({ tenantId: tid, clientId: TEST_APP.clientId, roles: ['User.Read.All'], lifetimeSeconds: -60 });
      const wrongAudience = await sims.entra.control.mintAccessToken({ tenantId: tid, clientId: TEST_APP.clientId, roles: ['User.Read.All'], audience: 'api://something-else' });
      const { privateKey } = await generateKeyPair('RS256');
      const forged = await new SignJWT({ aud: 'https://graph.microsoft.com', tid, roles: ['User.Read.All'], iss: sims.entra.control.accessTokenIssuer(tid) })
        .setProtectedHeader({ alg: 'RS256', kid: sims.entra.control.jwks().keys[0]!.kid! })
        .setExpirationTime('1h')
        .sign(privateKey);
      const expectations: [string | null, RegExp][] = [
        [null, /^Access token is empty\.$/],
        ['not-a-jwt', /IDX14100/],
        [expired, /expired/],
        [wrongAudience, /Invalid audience/],
        [forged, /validation failure/],
      ];
      for (const [bearer, message] of expectations) {
        const res = await get('/v1.0/users', {}, bearer);
        assert.equal(res.status, 401);
        assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer /);
        const body = await jsonOf(res);
        assert.equal(body.error.code, 'InvalidAuthenticationToken');
        assert.match(body.error.message, message);
      }
    });

    it('403 Authorization_RequestDenied without the role for /users; ErrorAccessDenied for mail', async () => {
      const noRoles = await sims.entra.control.mintAccessToken({ tenantId: tid, clientId: TEST_APP.clientId });
      const res = await get('/v1.0/users', {}, noRoles);
      assert.equal(res.status, 403);
      assert.equal((await jsonOf(res)).error.code, 'Authorization_RequestDenied');
      const readOnly = await sims.entra.control.mintAccessToken({ tenantId: tid, clientId: TEST_APP.clientId, roles: ['User.Read.All'] });
      const mail = await post(`/v1.0/users/${DEMO_CASES.adminMailboxId}/sendMail`, { message: { toRecipients: [{ emailAddress: { address: 'a@b.example' } }] } }, readOnly);
      assert.equal(mail.status, 403);
      assert.equal((await jsonOf(mail)).error.code, 'ErrorAccessDenied');
      const purpose = await get(`/v1.0${purposeUrl(DEMO_CASES.adminMailboxId)}`, {}, readOnly);
      assert.equal(purpose.status, 403);
    });

    it('a delegated token reads only its own mailbox settings', async () => {
      const kari = await sims.entra.control.mintAccessToken({ tenantId: tid, clientId: TEST_APP.clientId, userId: DEMO_CASES.adminMailboxId, scopes: ['MailboxSettings.Read'] });
      assert.equal((await get(`/v1.0${purposeUrl(DEMO_CASES.adminMailboxId)}`, {}, kari)).status, 200);
      assert.equal((await get(`/v1.0${purposeUrl(DEMO_CASES.sharedMailboxId)}`, {}, kari)).status, 403);
    });
  });
});
