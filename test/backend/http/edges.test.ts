import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BoundedMap } from '../../../backend/http/rate-limit.js';
import { ADMIN, dumpDatabase, makeHarness, newLink, type Harness } from '../../helpers/harness.js';

describe('HTTP edges', () => {
  let h: Harness;
  let admin: string;
  before(async () => {
    h = await makeHarness({ config: { frameAncestors: ['https://online.superoffice.com', 'https://sod.superoffice.com'] } });
    admin = await h.token(ADMIN);
  });
  after(() => h.close());

  test('CSP allows framing only by the configured SuperOffice origins and no inline script', async () => {
    const res = await h.request('GET', '/api/v1/links', { token: admin });
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /frame-ancestors https:\/\/online\.superoffice\.com https:\/\/sod\.superoffice\.com(;|$)/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.ok(!csp.includes('unsafe-inline'));
    assert.equal(res.headers['x-frame-options'], undefined, 'X-Frame-Options would block the SuperOffice iframe');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  test('errors carry the security headers too', async () => {
    const res = await h.request('GET', '/api/v1/links');
    assert.equal(res.status, 401);
    assert.match(String(res.headers['content-security-policy']), /frame-ancestors/);
    assert.match(String(res.headers['permissions-policy']), /camera=\(\)/);
  });

  test('Permissions-Policy switches off the browser features nothing here uses, and leaves the clipboard for Copy invite link', async () => {
    for (const path of ['/api/v1/links', '/panel/', '/accept/']) {
      const policy = String((await h.request('GET', path, { token: admin })).headers['permissions-policy']);
      for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb']) assert.match(policy, new RegExp(`(^|, )${feature}=\\(\\)`), `${path}: ${policy}`);
      assert.ok(!policy.includes('clipboard'), policy);
    }
  });

  test('HSTS only over HTTPS: never on plain HTTP, and behind a trusted proxy only when it says the client used HTTPS', async () => {
    assert.equal((await h.request('GET', '/api/v1/links', { token: admin })).headers['strict-transport-security'], undefined);
    // Without TRUST_PROXY a client's X-Forwarded-Proto means nothing.
    const claimed = await h.request('GET', '/panel/', { headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(claimed.headers['strict-transport-security'], undefined);
    const proxied = await makeHarness({ config: { trustProxy: true } });
    try {
      const res = await proxied.request('GET', '/panel/', { headers: { 'x-forwarded-proto': 'https' } });
      assert.equal(res.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
      assert.equal((await proxied.request('GET', '/panel/', { headers: { 'x-forwarded-proto': 'http' } })).headers['strict-transport-security'], undefined);
    } finally {
      await proxied.close();
    }
  });

  test('unknown routes and methods get JSON errors', async () => {
    const missing = await h.request('GET', '/api/v1/nothing-here', { token: admin });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'NotFound');
    const wrong = await h.request('PUT', '/api/v1/links', { token: admin, body: {} });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.body.error.code, 'MethodNotAllowed');
  });

  test('a safe caller request id is echoed; an unsafe one is replaced', async () => {
    const ok = await h.request('GET', '/api/v1/links', { token: admin, headers: { 'x-request-id': 'abc-123' } });
    assert.equal(ok.headers['x-request-id'], 'abc-123');
    const bad = await h.request('GET', '/api/v1/links', { token: admin, headers: { 'x-request-id': 'x\u0001"}{' } });
    assert.match(String(bad.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  test('log lines have the request id, method, path and status, and never the token or query string', async () => {
    h.logs.length = 0;
    await h.request('GET', '/api/v1/links?secret=hunter2', { token: admin, headers: { 'x-request-id': 'log-check-1' } });
    await h.request('POST', '/api/v1/links', { token: admin, body: { links: [newLink()] } });
    await h.request('GET', '/api/v1/links', { token: admin + 'tampered' });
    const lines = h.logs.map((l) => JSON.parse(l));
    const line = lines.find((l) => l.req?.id === 'log-check-1');
    assert.ok(line, 'request was logged');
    assert.deepEqual(line.req, { id: 'log-check-1', method: 'GET', path: '/api/v1/links' });
    assert.equal(line.res.statusCode, 200);
    const all = h.logs.join('\n');
    assert.ok(!all.includes(admin), 'a session token reached the log');
    assert.ok(!all.includes('hunter2'), 'a query string reached the log');
    assert.ok(!/authorization/i.test(all));
  });

  test('the panel is served at /panel/ with the same CSP, and nothing outside its folder is', async () => {
    const page = await h.request('GET', '/panel/?ctx=Cust12345&uid=5&lang=en');
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(String(page.headers['content-security-policy']), /frame-ancestors https:\/\/online\.superoffice\.com/);
    assert.ok(!/<script>/.test(page.text), 'no inline script');
    assert.equal((await h.request('GET', '/panel')).status, 302);
    // A broken percent-encoding is a bad address, not a bad JSON body.
    for (const path of ['/panel/%ZZ', '/panel/app%E', '/accept/%ZZ']) {
      const res = await h.request('GET', path);
      assert.equal(res.status, 400, path);
      assert.equal(res.body.error.code, 'InvalidPath', path);
    }
    for (const path of ['/panel/../package.json', '/panel/%2e%2e/%2e%2e/package.json', '/panel/..%2fbackend%2fmain.ts']) {
      const res = await h.request('GET', path);
      assert.ok(res.status === 404 || res.status === 403 || res.status === 400, `${path} answered ${res.status}`);
      assert.ok(!res.text.includes('"name"'), `${path} leaked a file`);
    }
  });
});

describe('rate limit on the endpoints that need no session', () => {
  test('an address over its budget gets 429 RateLimited with Retry-After and the request does nothing', async () => {
    const h = await makeHarness({ config: { publicRateLimit: 3 } });
    try {
      const before = await dumpDatabase(h.store);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await h.request('POST', '/api/public/invites/open', { body: { token: 'x'.repeat(43) } })).status);
      }
      // Without Microsoft configured the accept API answers 503; the budget counts them all.
      assert.deepEqual(statuses.slice(3), [429, 429]);
      const limited = await h.request('GET', '/auth/superoffice/start?tenant=Cust1');
      assert.equal(limited.status, 429);
      assert.equal(limited.body.error.code, 'RateLimited');
      assert.ok(Number(limited.headers['retry-after']) > 0);
      // Every spelling the router serves is counted: the limit matches paths as the routes do.
      for (const [method, url] of [
        ['GET', '/auth/superoffice/start/?tenant=Cust1'],
        ['POST', '/auth/superoffice/ticket'],
        ['POST', '/auth/superoffice/ticket/'],
        ['POST', '/api/public/invites/accept'],
        ['POST', '/api/public/invites/open/'],
      ] as const) {
        const res = await h.request(method, url, { body: method === 'POST' ? { token: 'x'.repeat(43), ticket: '7T:x' } : undefined });
        assert.equal(res.status, 429, `${method} ${url}: ${res.text}`);
      }
      assert.equal(await dumpDatabase(h.store), before);
      // The API behind a session is not limited this way.
      const token = await h.token();
      for (let i = 0; i < 5; i++) assert.equal((await h.request('GET', '/api/v1/links', { token })).status, 200);
    } finally {
      await h.close();
    }
  });
});

describe('rate limit behind a reverse proxy (TRUST_PROXY)', () => {
  /** The statuses of `n` sign-in starts, each with the X-Forwarded-For header `xff(i)`. */
  async function starts(h: Harness, n: number, xff: (i: number) => string): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      out.push((await h.request('GET', '/auth/superoffice/start?tenant=Cust1', { headers: { 'x-forwarded-for': xff(i) } })).status);
    }
    return out;
  }

  test('the budget is per address the proxy saw: entries the client wrote to X-Forwarded-For do not buy a new one', async () => {
    const h = await makeHarness({ config: { publicRateLimit: 3, trustProxy: true } });
    try {
      // The proxy appends the address it saw (10.0.0.1) to whatever the client sent.
      const spoofed = await starts(h, 6, (i) => `203.0.113.${i}, 10.0.0.1`);
      assert.deepEqual(spoofed.slice(3), [429, 429, 429], spoofed.join());
      // Another client behind the same proxy has its own budget.
      assert.notEqual((await starts(h, 1, () => '203.0.113.1, 10.0.0.2'))[0], 429);
    } finally {
      await h.close();
    }
  });

  test('with TRUST_PROXY_HOPS=2 the address is the second from the right', async () => {
    const h = await makeHarness({ config: { publicRateLimit: 2, trustProxy: true, trustProxyHops: 2 } });
    try {
      const spoofed = await starts(h, 4, (i) => `198.51.100.${i}, 192.0.2.7, 10.0.0.1`);
      assert.deepEqual(spoofed.slice(2), [429, 429], spoofed.join());
      // The same client through another front proxy is the same client.
      assert.equal((await starts(h, 1, () => '192.0.2.7, 10.0.0.2'))[0], 429);
      assert.notEqual((await starts(h, 1, () => '192.0.2.8, 10.0.0.1'))[0], 429);
    } finally {
      await h.close();
    }
  });

  test('the limiter forgets the oldest addresses first and never holds more than its bound', () => {
    const map = new BoundedMap<string, number>(3);
    for (const k of ['a', 'b', 'c', 'd']) map.set(k, 1);
    assert.deepEqual([...map.keys()], ['b', 'c', 'd']);
    // A window restarted for b moves it to the end: c is now the next to go.
    map.set('b', 2);
    map.set('e', 1);
    assert.deepEqual([...map.keys()], ['d', 'b', 'e']);
    for (let i = 0; i < 10_000; i++) map.set(`203.0.113.${i}`, 1);
    assert.equal(map.size, 3);
  });
});
