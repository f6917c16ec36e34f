import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type Router from '@koa/router';
import { createApp } from '../../backend/app.js';
import { createLogger } from '../../backend/http/logging.js';
import { DEMO_CASES } from '../../simulators/demo-tenant.js';
import { ADMIN, OTHER_ADMIN, USER, makeHarness, newLink, type Harness, type Reply } from '../helpers/harness.js';
import { makeIntegrationHarness, popupResult, PUBLIC_URL, type IntegrationHarness } from '../helpers/integration.js';
import { assertApiError, dumpWithout, seedTenant, type TenantSeed } from '../helpers/security.js';

/*
 * The access matrix: who may call what. Every route the app serves is in ROUTES below; a route
 * added to the app without an entry here fails the first test, so its access rule gets decided.
 *
 * Covered elsewhere, not repeated here: invite links work once and expire
 * (test/backend/invites/invites.test.ts: "accept with the real Microsoft sign-in: … once",
 * "two accepts racing with one invite: exactly one wins", "expired, re-sent and revoked invites:
 * the old links stop working"); a SuperOffice callback with an unknown or reused `state`
 * (test/backend/superoffice/signin.test.ts); id token checks one by one (test/backend/superoffice/oidc.test.ts).
 */

type Access = 'public' | 'session' | 'admin';

interface Seeds {
  a: TenantSeed;
  tenantVersion: number;
}

interface Route {
  /** As the router has it (a string, or a RegExp's source for the page routes). */
  method: string;
  path: string;
  access: Access;
  /** What to request, when not `path` itself. */
  url?: string;
  /** A valid body, so a refusal is about who asks, not what. */
  body?: (s: Seeds) => unknown;
  /** Admin-only routes that read; the rest of the admin routes change something. */
  read?: boolean;
}

const ROUTES: Route[] = [
  { method: 'GET', path: '/api/v1/session', access: 'session' },
  { method: 'DELETE', path: '/api/v1/session', access: 'session' },
  { method: 'GET', path: '/api/v1/tenant', access: 'session' },
  { method: 'PATCH', path: '/api/v1/tenant', access: 'admin', body: (s) => ({ expectedVersion: s.tenantVersion, mode: 'oauth' }) },
  {
    method: 'PUT',
    path: '/api/v1/tenant/sync-settings',
    access: 'admin',
    body: (s) => ({ expectedVersion: s.tenantVersion, windowPastDays: 7, windowFutureDays: 60, conflictWinner: 'outlook', timeZone: 'Europe/Stockholm' }),
  },
  { method: 'GET', path: '/api/v1/links', access: 'session' },
  { method: 'POST', path: '/api/v1/links', access: 'admin', body: () => ({ links: [newLink(90_001)] }) },
  {
    method: 'PATCH',
    path: '/api/v1/links',
    access: 'admin',
    body: (s) => ({ changes: [{ id: s.a.links[0]!.id, diary: false, task: false, contact: false, rank: 42, expectedVersion: s.a.links[0]!.version }] }),
  },
  { method: 'POST', path: '/api/v1/links/removal-preview', access: 'admin', read: true, body: (s) => ({ ids: [s.a.links[0]!.id] }) },
  { method: 'POST', path: '/api/v1/links/removal', access: 'admin', body: (s) => ({ ids: [s.a.links[0]!.id] }) },
  { method: 'GET', path: '/api/v1/audit', access: 'admin', read: true },
  { method: 'GET', path: '/api/v1/associates', access: 'admin', read: true },
  { method: 'POST', path: '/api/v1/microsoft/consent', access: 'admin', body: () => ({}) },
  { method: 'GET', path: '/api/v1/mailboxes', access: 'admin', read: true },
  { method: 'POST', path: '/api/v1/mailboxes/check', access: 'admin', read: true, body: (s) => ({ ids: [s.a.authorizedMailboxIds[0]] }) },
  { method: 'GET', path: '/api/v1/invites', access: 'admin', read: true },
  { method: 'POST', path: '/api/v1/invites', access: 'admin', body: () => ({ associateIds: [1, 2], delivery: 'link' }) },
  { method: 'POST', path: '/api/v1/invites/revoke', access: 'admin', body: (s) => ({ ids: [s.a.invites.open.id] }) },
  { method: 'GET', path: '/api/v1/authorizations', access: 'admin', read: true },
  { method: 'POST', path: '/api/v1/authorizations/revoke', access: 'admin', body: (s) => ({ mailboxIds: [s.a.authorizedMailboxIds[0]] }) },
  { method: 'POST', path: '/api/v1/sync/run', access: 'admin', body: (s) => ({ linkIds: [s.a.links[1]!.id] }) },
  { method: 'POST', path: '/api/v1/sync/release', access: 'admin', body: (s) => ({ linkIds: [s.a.links[1]!.id] }) },
  { method: 'GET', path: '/api/v1/ranks', access: 'admin', read: true },
  { method: 'POST', path: '/api/v1/ranks/proposal', access: 'admin', read: true, body: (s) => ({ ranks: [1, 2], linkIds: [s.a.links[1]!.id] }) },
  // Graph change notifications and SuperOffice webhooks: the clientState and the HMAC signature are the credential (test/backend/triggers/).
  { method: 'POST', path: '/hooks/graph/notifications', access: 'public', body: () => ({ value: [{ subscriptionId: 'unknown', clientState: 'forged' }] }) },
  { method: 'POST', path: '/hooks/graph/lifecycle', access: 'public', body: () => ({ value: [{ subscriptionId: 'unknown', clientState: 'forged', lifecycleEvent: 'missed' }] }) },
  { method: 'POST', path: '/hooks/superoffice/:tenantId', access: 'public', url: '/hooks/superoffice/Cust12345', body: () => ({ Event: 'activity.changed', FieldValues: { associate_id: 1 } }) },
  // The accept page's API: the invite link's secret is the credential.
  { method: 'POST', path: '/api/public/invites/open', access: 'public', body: () => ({ token: randomBytes(32).toString('base64url') }) },
  // Retired (410 for everyone): it accepted an id token without a grant.
  { method: 'POST', path: '/api/public/invites/accept', access: 'public', body: () => ({ token: randomBytes(32).toString('base64url'), idToken: 'x.y.z' }) },
  // Sign-in and consent popups, the pages.
  { method: 'GET', path: '/auth/popup-result.js', access: 'public' },
  { method: 'GET', path: '/auth/popup-result.css', access: 'public' },
  { method: 'GET', path: '/auth/superoffice/start', access: 'public', url: '/auth/superoffice/start?tenant=Cust12345' },
  { method: 'POST', path: '/auth/superoffice/ticket', access: 'public', body: () => ({ ticket: '7T:forged' }) },
  { method: 'GET', path: '/auth/superoffice/callback', access: 'public', url: '/auth/superoffice/callback?code=x&state=y' },
  { method: 'GET', path: '/auth/microsoft/signin/callback', access: 'public', url: '/auth/microsoft/signin/callback?code=x&state=y' },
  { method: 'GET', path: '/auth/microsoft/consent/callback', access: 'public', url: '/auth/microsoft/consent/callback?admin_consent=True&state=y' },
  // The invitee's grant sign-in: the state (bound to the invite's latest opening) is the credential.
  { method: 'GET', path: '/auth/microsoft/accept/callback', access: 'public', url: '/auth/microsoft/accept/callback?code=x&state=y' },
  { method: 'GET', path: String(/^\/panel(\/.*)?$/), access: 'public', url: '/panel/' },
  { method: 'GET', path: '/favicon.ico', access: 'public' },
  { method: 'GET', path: String(/^\/accept(\/.*)?$/), access: 'public', url: '/accept/' },
  { method: 'GET', path: '/api/v1/links/removed', access: 'admin', read: true },
  { method: 'POST', path: '/api/v1/links/removed/restore', access: 'admin', body: (s) => ({ ids: [s.a.removedLinkId] }) },
  { method: 'POST', path: '/api/v1/links/removed/purge', access: 'admin', body: (s) => ({ ids: [s.a.removedLinkId], confirm: true, count: 1 }) },
  { method: 'GET', path: '/api/v1/undo', access: 'admin', read: true },
  { method: 'POST', path: '/api/v1/undo', access: 'admin', body: () => ({ actionId: randomUUID() }) },
  // The health report, Ignore / Stop ignoring, Update the link.
  { method: 'GET', path: '/api/v1/health', access: 'admin', read: true },
  { method: 'POST', path: '/api/v1/health/ignores', access: 'admin', body: (s) => ({ keys: [`sync_breaker:${s.a.links[0]!.id}`] }) },
  { method: 'POST', path: '/api/v1/health/ignores/remove', access: 'admin', body: (s) => ({ keys: [`sync_breaker:${s.a.links[0]!.id}`] }) },
  { method: 'POST', path: '/api/v1/health/repoint', access: 'admin', body: (s) => ({ linkId: s.a.links[0]!.id, expectedVersion: s.a.links[0]!.version }) },
  // Alerts.
  { method: 'GET', path: '/api/v1/alerts/settings', access: 'admin', read: true },
  { method: 'PUT', path: '/api/v1/alerts/settings', access: 'admin', body: () => ({ expectedVersion: 0, enabled: true, recipients: [], hourUtc: 7, webhookUrl: null }) },
  { method: 'GET', path: '/api/v1/alerts/admins', access: 'admin', read: true },
  { method: 'POST', path: '/api/v1/alerts/webhook/secret', access: 'admin', body: () => ({}) },
  { method: 'POST', path: '/api/v1/alerts/test', access: 'admin', body: () => ({}) },
  { method: 'POST', path: '/api/v1/explain', access: 'admin', read: true, body: (s) => ({ linkId: s.a.links[1]!.id, date: '2026-12-04' }) },
  // CSV export and import (uploads are text/csv; a JSON body here is refused with 415 once the role passed).
  { method: 'GET', path: '/api/v1/links/export', access: 'admin', read: true },
  { method: 'POST', path: '/api/v1/links/import/preview', access: 'admin', read: true, body: () => ({}) },
  { method: 'POST', path: '/api/v1/links/import/apply', access: 'admin', url: `/api/v1/links/import/apply?fingerprint=${'A'.repeat(43)}`, body: () => ({}) },
  { method: 'GET', path: '/api/v1/audit/actors', access: 'admin', read: true },
  { method: 'GET', path: '/api/v1/audit/export', access: 'admin', read: true, url: '/api/v1/audit/export?category=links' },
];
const key = (method: string, path: string) => `${method} ${path}`;
const API = ROUTES.filter((r) => r.access !== 'public');
const ADMIN_ONLY = ROUTES.filter((r) => r.access === 'admin');

/** Every method and path the app's routers serve (HEAD comes with GET). */
function servedRoutes(h: Harness): string[] {
  const app = createApp({ store: h.store, config: h.config, logger: createLogger('silent'), clock: () => new Date(), integration: null });
  const out = new Set<string>();
  for (const mw of app.middleware) {
    const router = (mw as { router?: Router }).router;
    if (!router) continue;
    for (const layer of router.stack) {
      for (const method of layer.methods) if (method !== 'HEAD') out.add(key(method, String(layer.path)));
    }
  }
  return [...out].sort();
}

/** `path` in other spellings a case-insensitive matcher would take: upper case, alternating case, the last letter capitalised or percent-encoded. */
function caseVariants(path: string): string[] {
  let n = 0;
  const alternating = path.replace(/[a-z]/gi, (c) => (n++ % 2 ? c.toUpperCase() : c.toLowerCase()));
  const last = path.search(/[a-z](?=[^a-z]*$)/i);
  const variants = [
    path.toUpperCase(),
    alternating,
    path.slice(0, last) + path[last]!.toUpperCase() + path.slice(last + 1),
    path.slice(0, last) + `%${path.charCodeAt(last).toString(16).toUpperCase()}` + path.slice(last + 1),
  ];
  return [...new Set(variants)].filter((v) => v !== path);
}

describe('access matrix (store only)', () => {
  let h: Harness;
  let admin: string;
  let user: string;
  let other: string;
  let seeds: Seeds;
  let b: TenantSeed;

  before(async () => {
    h = await makeHarness();
    admin = await h.token(ADMIN);
    user = await h.token(USER);
    other = await h.token(OTHER_ADMIN);
    const a = await seedTenant(h, admin, ADMIN.tenantId, 1000, h.now.value);
    b = await seedTenant(h, other, OTHER_ADMIN.tenantId, 2000, h.now.value);
    // The other tenant works in OAuth mode: its Load External Users reads authorized mailboxes from the database.
    const t = (await h.request('GET', '/api/v1/tenant', { token: other })).body;
    assert.equal((await h.request('PATCH', '/api/v1/tenant', { token: other, body: { expectedVersion: t.version, mode: 'oauth' } })).status, 200);
    seeds = { a, tenantVersion: (await h.request('GET', '/api/v1/tenant', { token: admin })).body.version };
  });
  after(() => h.close());

  /** Sends `route` with `headers`; asserts `status`/`code` and that the database did not change. */
  async function refused(route: Route, headers: Record<string, string>, status: number, codes: string[], what: string): Promise<Reply> {
    const before = await dumpWithout(h);
    const body = route.body?.(seeds);
    const res = await h.request(route.method, route.url ?? route.path, {
      raw: body === undefined ? undefined : JSON.stringify(body),
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    });
    const label = `${what}: ${route.method} ${route.url ?? route.path} → ${res.status} ${res.text.slice(0, 200)}`;
    assert.equal(res.status, status, label);
    const error = assertApiError(res, label);
    assert.ok(codes.includes(error.code), `${label}: code ${error.code}, expected ${codes.join(' or ')}`);
    if (status === 401) assert.match(String(res.headers['www-authenticate']), /^Bearer /, label);
    assert.equal(await dumpWithout(h), before, `${label}: the database changed`);
    return res;
  }
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  test('every route the app serves has an entry in the access table, and every entry is served', () => {
    const served = servedRoutes(h);
    const listed = ROUTES.map((r) => key(r.method, r.path)).sort();
    const missing = served.filter((r) => !listed.includes(r));
    assert.deepEqual(missing, [], `routes without an access rule in test/security/access.test.ts: ${missing.join(', ')}`);
    assert.deepEqual(listed.filter((r) => !served.includes(r)), [], 'table entries the app no longer serves');
    assert.equal(new Set(listed).size, listed.length, 'a route is listed twice');
  });

  test('every route the app serves, in another letter case or with a letter percent-encoded, is no route: 404, nothing runs', async () => {
    // Authentication and the public rate limit sit in front of the routes and match their paths
    // exactly; a route reached by `/API/V1/links` would run with neither (it once answered 500,
    // and `DELETE /API/V1/session` 204 with no token at all).
    const byKey = new Map(ROUTES.map((r) => [key(r.method, r.path), r]));
    let probes = 0;
    for (const served of servedRoutes(h)) {
      const route = byKey.get(served);
      assert.ok(route, `${served} has no entry in ROUTES`);
      const url = new URL(route.url ?? route.path, 'http://x');
      for (const path of caseVariants(url.pathname)) {
        for (const headers of [{}, bearer(admin), bearer(user)]) {
          const res = await refused({ ...route, url: path + url.search }, headers, 404, ['NotFound'], `${served} as ${path}`);
          assert.equal(res.headers['www-authenticate'], undefined);
          probes += 1;
        }
      }
    }
    assert.ok(probes >= ROUTES.length * 3 * 3, `only ${probes} probes`);
  });

  test('no Authorization header: 401 Unauthenticated on every /api/v1 route (no route: 404/405, nothing read)', async () => {
    for (const route of API) await refused(route, {}, 401, ['Unauthenticated'], 'no header');
    // No route, or not this method: the router answers before any session is looked at (routes are public knowledge).
    for (const route of [
      { method: 'GET', path: '/api/v1/no-such-route', access: 'session' as const },
      { method: 'PUT', path: '/api/v1/links', access: 'session' as const, body: () => ({}) },
      { method: 'DELETE', path: '/api/v1/links', access: 'session' as const },
    ]) {
      const res = await h.request(route.method, route.path, { body: route.body?.() });
      await refused(route, {}, res.status, [res.body?.error?.code], 'unknown route');
      assert.ok([401, 404, 405].includes(res.status), `${route.method} ${route.path}: ${res.status}`);
    }
  });

  test('malformed Authorization headers: 401 Unauthenticated', async () => {
    const headers = ['Bearer', 'Bearer ', 'Basic x', `Basic ${Buffer.from('admin:admin').toString('base64')}`, 'Bearer a b', `bearer ${admin}`, admin, `Bearer ${admin} x`, `Bearer  ${admin}`];
    for (const route of API) {
      for (const authorization of headers) await refused(route, { authorization }, 401, ['Unauthenticated'], `header ${JSON.stringify(authorization.slice(0, 20))}`);
    }
  });

  test('a well-formed token that names no session: 401 InvalidSession', async () => {
    const unknown = `sls_${randomBytes(32).toString('base64url')}`;
    const wrongShape = [`sls_${randomBytes(31).toString('base64url')}`, `xyz_${randomBytes(32).toString('base64url')}`, randomUUID(), `${admin.slice(0, -1)}${admin.endsWith('A') ? 'B' : 'A'}`];
    for (const route of API) {
      await refused(route, bearer(unknown), 401, ['InvalidSession'], 'unknown token');
      for (const token of wrongShape) await refused(route, bearer(token), 401, ['InvalidSession'], 'not a session token');
    }
  });

  test('an expired session: 401 InvalidSession on every route, from the moment it expires', async () => {
    const issuedAt = h.now.value;
    const token = await h.token(ADMIN);
    const expires = new Date(issuedAt.getTime() + h.config.sessionTtlMinutes * 60_000);
    try {
      h.now.value = new Date(expires.getTime() - 1);
      assert.equal((await h.request('GET', '/api/v1/session', { token })).status, 200, 'valid until the last millisecond');
      h.now.value = expires;
      for (const route of API) await refused(route, bearer(token), 401, ['InvalidSession'], 'expired at this instant');
      h.now.value = new Date(expires.getTime() + 24 * 3600_000);
      for (const route of API) await refused(route, bearer(token), 401, ['InvalidSession'], 'expired a day ago');
    } finally {
      h.now.value = issuedAt;
    }
  });

  test('a signed-out session: 401 InvalidSession on every route; signing out twice changes nothing', async () => {
    const token = await h.token(ADMIN);
    assert.equal((await h.request('DELETE', '/api/v1/session', { token })).status, 204);
    for (const route of API) await refused(route, bearer(token), 401, ['InvalidSession'], 'signed out');
    // Signing out ends only that session.
    assert.equal((await h.request('GET', '/api/v1/session', { token: admin })).status, 200);
  });

  test('a non-administrator: 403 AdminRequired on every change and every admin-only read; nothing changes', async () => {
    for (const route of ADMIN_ONLY) await refused(route, bearer(user), 403, ['AdminRequired'], 'non-admin');
    // Also with a malformed body: the role is checked before the body is looked at.
    for (const route of ADMIN_ONLY.filter((r) => r.body)) {
      await refused({ ...route, body: () => ({ unexpected: ['x'] }) }, bearer(user), 403, ['AdminRequired'], 'non-admin, bad body');
    }
  });

  test('a non-administrator may read the session, the tenant and the links, and sign out', async () => {
    for (const path of ['/api/v1/session', '/api/v1/tenant', '/api/v1/links']) {
      const before = await dumpWithout(h);
      const res = await h.request('GET', path, { token: user });
      assert.equal(res.status, 200, `${path}: ${res.text}`);
      assert.equal(await dumpWithout(h), before);
    }
    const me = await h.request('GET', '/api/v1/session', { token: user });
    assert.equal(me.body.isAdmin, false);
    const session = await h.token(USER);
    assert.equal((await h.request('DELETE', '/api/v1/session', { token: session })).status, 204);
    assert.equal((await h.request('GET', '/api/v1/session', { token: session })).status, 401);
  });

  test("an administrator of another tenant cannot touch this tenant's links, invites or mailboxes: 404, nothing changes", async () => {
    const { a } = seeds;
    const link = a.links[0]!;
    const undoOfA = (await h.store.db.selectFrom('undo_action').select('id').where('tenant_id', '=', ADMIN.tenantId).executeTakeFirstOrThrow()).id;
    const cases: [Route, string][] = [
      [{ method: 'PATCH', path: '/api/v1/links', access: 'admin', body: () => ({ changes: [{ id: link.id, diary: false, task: false, contact: false, rank: 9, expectedVersion: link.version }] }) }, 'LinkNotFound'],
      [{ method: 'POST', path: '/api/v1/links/removal-preview', access: 'admin', body: () => ({ ids: a.links.map((l) => l.id) }) }, 'LinkNotFound'],
      [{ method: 'POST', path: '/api/v1/links/removal', access: 'admin', body: () => ({ ids: [link.id] }) }, 'LinkNotFound'],
      // Mixed with the other tenant's own link: all or nothing.
      [{ method: 'POST', path: '/api/v1/links/removal', access: 'admin', body: () => ({ ids: [b.links[0]!.id, link.id] }) }, 'LinkNotFound'],
      [{ method: 'POST', path: '/api/v1/invites/revoke', access: 'admin', body: () => ({ ids: [a.invites.open.id] }) }, 'InviteNotFound'],
      [{ method: 'POST', path: '/api/v1/invites/revoke', access: 'admin', body: () => ({ ids: [a.invites.accepted.id, a.invites.expired.id] }) }, 'InviteNotFound'],
      [{ method: 'POST', path: '/api/v1/authorizations/revoke', access: 'admin', body: () => ({ mailboxIds: [a.authorizedMailboxIds[0]] }) }, 'AuthorizationNotFound'],
      [{ method: 'POST', path: '/api/v1/authorizations/revoke', access: 'admin', body: () => ({ mailboxIds: [b.authorizedMailboxIds[0], a.authorizedMailboxIds[1]] }) }, 'AuthorizationNotFound'],
      [{ method: 'POST', path: '/api/v1/sync/run', access: 'admin', body: () => ({ linkIds: [link.id] }) }, 'LinkNotFound'],
      [{ method: 'POST', path: '/api/v1/sync/run', access: 'admin', body: () => ({ linkIds: [b.links[1]!.id, link.id] }) }, 'LinkNotFound'],
      [{ method: 'POST', path: '/api/v1/sync/release', access: 'admin', body: () => ({ linkIds: [link.id] }) }, 'LinkNotFound'],
      [{ method: 'POST', path: '/api/v1/links/removed/restore', access: 'admin', body: () => ({ ids: [a.removedLinkId] }) }, 'RemovedLinkNotFound'],
      [{ method: 'POST', path: '/api/v1/links/removed/restore', access: 'admin', body: () => ({ ids: [b.removedLinkId, a.removedLinkId] }) }, 'RemovedLinkNotFound'],
      [{ method: 'POST', path: '/api/v1/links/removed/purge', access: 'admin', body: () => ({ ids: [a.removedLinkId], confirm: true, count: 1 }) }, 'RemovedLinkNotFound'],
      [{ method: 'POST', path: '/api/v1/undo', access: 'admin', body: () => ({ actionId: undoOfA }) }, 'UndoNotFound'],
      [{ method: 'POST', path: '/api/v1/health/ignores', access: 'admin', body: () => ({ keys: [`mailbox_disabled:${link.id}`] }) }, 'LinkNotFound'],
      [{ method: 'POST', path: '/api/v1/health/ignores/remove', access: 'admin', body: () => ({ keys: [`mailbox_disabled:${link.id}`] }) }, 'HealthIgnoreNotFound'],
      [{ method: 'POST', path: '/api/v1/health/repoint', access: 'admin', body: () => ({ linkId: link.id, expectedVersion: link.version }) }, 'LinkNotFound'],
      [{ method: 'POST', path: '/api/v1/ranks/proposal', access: 'admin', body: () => ({ ranks: [1, 2], linkIds: [link.id] }) }, 'LinkNotFound'],
    ];
    for (const [route, code] of cases) await refused(route, bearer(other), 404, [code], 'other tenant');

    // A body cannot name a tenant: the session decides.
    const t = (await h.request('GET', '/api/v1/tenant', { token: other })).body;
    await refused({ method: 'PATCH', path: '/api/v1/tenant', access: 'admin', body: () => ({ expectedVersion: t.version, mode: 'application', tenantId: ADMIN.tenantId }) }, bearer(other), 400, ['ValidationFailed'], 'tenant in the body');
    await refused(
      { method: 'PUT', path: '/api/v1/tenant/sync-settings', access: 'admin', body: () => ({ expectedVersion: t.version, windowPastDays: 1, windowFutureDays: 2, conflictWinner: 'outlook', timeZone: 'UTC', tenantId: ADMIN.tenantId }) },
      bearer(other),
      400,
      ['ValidationFailed'],
      'tenant in the body',
    );
    await refused({ method: 'POST', path: '/api/v1/invites', access: 'admin', body: () => ({ associateIds: [1], delivery: 'link', tenantId: ADMIN.tenantId }) }, bearer(other), 400, ['ValidationFailed'], 'tenant in the body');
  });

  test("an administrator of another tenant does not see this tenant's links, invites, mailboxes or audit entries", async () => {
    const { a } = seeds;
    const ours = [...a.links.map((l) => l.id), a.removedLinkId, ...Object.values(a.invites).map((i) => i.id), ...a.authorizedMailboxIds, a.revokedMailboxId, ADMIN.tenantId];
    const reads = ['/api/v1/tenant', '/api/v1/links', '/api/v1/invites', '/api/v1/authorizations', '/api/v1/mailboxes', '/api/v1/audit?limit=500', ...ours.map((id) => `/api/v1/audit?entityId=${id}`)];
    for (const url of reads) {
      const res = await h.request('GET', url, { token: other });
      assert.equal(res.status, 200, `${url}: ${res.text}`);
      for (const id of ours) assert.ok(!res.text.includes(id), `${url} shows ${id} of ${ADMIN.tenantId}`);
    }
    // And the other way round, for good measure: this tenant's admin sees none of the other's.
    const theirs = [...b.links.map((l) => l.id), ...Object.values(b.invites).map((i) => i.id), ...b.authorizedMailboxIds, OTHER_ADMIN.tenantId];
    for (const url of ['/api/v1/tenant', '/api/v1/links', '/api/v1/invites', '/api/v1/authorizations', '/api/v1/audit?limit=500']) {
      const res = await h.request('GET', url, { token: admin });
      for (const id of theirs) assert.ok(!res.text.includes(id), `${url} shows ${id} of ${OTHER_ADMIN.tenantId}`);
    }
    // The seeded rows are really there for their own tenant (so "not listed" means something).
    const own = await h.request('GET', '/api/v1/invites', { token: admin });
    assert.ok(own.body.invites.some((i: { id: string }) => i.id === a.invites.open.id));
    const mine = await h.request('GET', '/api/v1/authorizations', { token: admin });
    assert.ok(mine.body.authorizations.some((x: { mailboxId: string }) => x.mailboxId === a.authorizedMailboxIds[0]));
    // Removed users and undoable actions: each tenant sees its own only.
    const removedOfA = await h.request('GET', '/api/v1/links/removed', { token: admin });
    assert.ok(removedOfA.body.removed.some((r: { id: string }) => r.id === a.removedLinkId));
    for (const url of ['/api/v1/links/removed', '/api/v1/undo']) {
      const res = await h.request('GET', url, { token: other });
      assert.equal(res.status, 200, `${url}: ${res.text}`);
      for (const id of ours) assert.ok(!res.text.includes(id), `${url} shows ${id} of ${ADMIN.tenantId}`);
    }
  });

  test('public routes need no session (a stale Authorization header does not matter either)', async () => {
    for (const route of ROUTES.filter((r) => r.access === 'public')) {
      for (const headers of [{}, bearer(`sls_${randomBytes(32).toString('base64url')}`)] as Record<string, string>[]) {
        const body = route.body?.(seeds);
        const res = await h.request(route.method, route.url ?? route.path, {
          raw: body === undefined ? undefined : JSON.stringify(body),
          headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        });
        assert.ok(![401, 403].includes(res.status) || route.path === '/auth/superoffice/ticket', `${route.method} ${route.path}: ${res.status} ${res.text.slice(0, 200)}`);
        assert.ok(res.status < 500 || (res.status === 503 && /NotConfigured|PanelNotBuilt/.test(res.text)), `${route.method} ${route.path}: ${res.status} ${res.text.slice(0, 200)}`);
      }
    }
  });

  test("the audit view's filters, actors and export never show another tenant's entries or people", async () => {
    const { a } = seeds;
    const ours = [...a.links.map((l) => l.id), a.removedLinkId, ...Object.values(a.invites).map((i) => i.id), ADMIN.tenantId, ADMIN.associateName];
    const filters = ['', `actor=${ADMIN.associateId}`, 'category=links', 'category=invites', 'category=tenant', 'category=other', 'action=link.created', 'from=2000-01-01', `entityId=${a.links[0]!.id}`];
    const reads = ['/api/v1/audit/actors', ...filters.flatMap((q) => [`/api/v1/audit?limit=500&${q}`, `/api/v1/audit/export?${q}`])];
    for (const url of reads) {
      const res = await h.request('GET', url, { token: other });
      assert.equal(res.status, 200, `${url}: ${res.text}`);
      for (const id of ours) assert.ok(!res.text.includes(id), `${url} shows ${id} of ${ADMIN.tenantId}`);
    }
    // This tenant's own entries are there under the same filters (so "not shown" means something).
    const mine = await h.request('GET', `/api/v1/audit/export?actor=${ADMIN.associateId}&category=links`, { token: admin });
    assert.ok(mine.text.includes(a.links[0]!.id));
    assert.ok((await h.request('GET', '/api/v1/audit/actors', { token: admin })).text.includes(ADMIN.associateName));
  });
});

describe('access: sign-in, consent and invite links (simulators)', () => {
  let h: IntegrationHarness;
  let admin: string;
  const kari = DEMO_CASES.adminAssociateIds[0]!;

  before(async () => {
    h = await makeIntegrationHarness({ consentGranted: false });
    admin = (await h.signIn(kari)).message.token!;
  });
  after(() => h.closeAll());

  /** Starts a sign-in and lets SuperOffice answer; returns the callback URL, optionally with the authorize form tampered. */
  async function superOfficeAnswer(tamper: (form: URLSearchParams) => void = () => {}): Promise<URL> {
    const start = await h.request('GET', `/auth/superoffice/start?tenant=${h.env.tenant.contextId}`);
    assert.equal(start.status, 302, start.text);
    const authorize = new URL(String(start.headers.location));
    const form = new URLSearchParams(authorize.searchParams);
    form.set('ctx', h.env.tenant.contextId);
    form.set('associate_id', String(kari));
    tamper(form);
    const chosen = await h.browserFetch(new URL(authorize.pathname, authorize), { method: 'POST', body: form, redirect: 'manual' });
    assert.equal(chosen.status, 302, await chosen.text());
    return new URL(chosen.headers.get('location')!);
  }

  async function sessions(): Promise<number> {
    return (await h.store.db.selectFrom('session').select('token_hash').execute()).length;
  }

  test('the SuperOffice callback refuses an id token with the nonce of another sign-in (or none); the state is used up', async () => {
    // Two sign-ins in flight: the answer to the first carries the second one's nonce.
    const second = new URL(String((await h.request('GET', `/auth/superoffice/start?tenant=${h.env.tenant.contextId}`)).headers.location));
    const swapped = await superOfficeAnswer((form) => form.set('nonce', second.searchParams.get('nonce')!));
    const withoutNonce = await superOfficeAnswer((form) => form.delete('nonce'));
    const forged = await superOfficeAnswer((form) => form.set('nonce', randomBytes(16).toString('base64url')));
    for (const [what, callback] of [['another sign-in’s nonce', swapped], ['no nonce', withoutNonce], ['a made-up nonce', forged]] as const) {
      const before = await dumpWithout(h, ['login_state']);
      const count = await sessions();
      const res = await h.request('GET', callback.pathname + callback.search);
      const page = popupResult(res.status, res.text);
      assert.equal(res.status, 400, `${what}: ${res.text.slice(0, 300)}`);
      assert.equal(page.message.type, 'mailbox-link:error', what);
      assert.equal(page.message.code, 'InvalidIdToken', what);
      assert.equal(page.origin, PUBLIC_URL, what);
      assert.equal(page.message.token, undefined, `${what}: a token was posted`);
      assert.equal(await sessions(), count, `${what}: a session was issued`);
      assert.equal(await dumpWithout(h, ['login_state']), before, `${what}: the database changed`);
      // The state was spent on the refused answer: replaying it is refused as such.
      const replay = await h.request('GET', callback.pathname + callback.search);
      assert.equal(popupResult(replay.status, replay.text).message.code, 'InvalidState', `${what}: replay`);
    }
  });

  test('a sign-in state is not a consent state and the other way round', async () => {
    const signIn = await superOfficeAnswer();
    const state = signIn.searchParams.get('state')!;
    const before = await dumpWithout(h);
    const res = await h.request('GET', `/auth/microsoft/consent/callback?admin_consent=True&tenant=${randomUUID()}&state=${state}`);
    assert.equal(popupResult(res.status, res.text).message.code, 'InvalidState');
    assert.equal(await dumpWithout(h), before);
    // The sign-in's own callback still works: the consent callback did not use its state up.
    const ok = await h.request('GET', signIn.pathname + signIn.search);
    assert.equal(popupResult(ok.status, ok.text).message.type, 'mailbox-link:signed-in');

    const started = await h.request('POST', '/api/v1/microsoft/consent', { token: admin, body: {} });
    assert.equal(started.status, 200, started.text);
    const consentState = new URL(started.body.url).searchParams.get('state')!;
    const cross = await h.request('GET', `/auth/superoffice/callback?code=abc&state=${consentState}`);
    assert.equal(popupResult(cross.status, cross.text).message.code, 'InvalidState');
  });

  test('the consent callback works once: a replayed answer is refused and records nothing', async () => {
    const callback = await h.consentAnswer(admin);
    const first = await h.request('GET', callback.pathname + callback.search);
    assert.equal(popupResult(first.status, first.text).message.type, 'mailbox-link:consented');
    const before = await dumpWithout(h);
    const replay = await h.request('GET', callback.pathname + callback.search);
    const result = popupResult(replay.status, replay.text);
    assert.equal(result.message.code, 'InvalidState');
    assert.equal(await dumpWithout(h), before);
    // Another organisation's id in a replayed answer changes nothing either.
    const other = new URL(callback);
    other.searchParams.set('tenant', randomUUID());
    const forged = await h.request('GET', other.pathname + other.search);
    assert.equal(popupResult(forged.status, forged.text).message.code, 'InvalidState');
    assert.equal(await dumpWithout(h), before);
  });

  test("popup result pages post only to PUBLIC_URL's origin, whatever the request claims to come from", async () => {
    const expected = new URL(PUBLIC_URL).origin;
    const signedIn = await h.signIn(kari);
    assert.equal(signedIn.origin, expected);
    assert.equal(signedIn.message.type, 'mailbox-link:signed-in');
    const consented = await h.consent(admin);
    assert.equal(consented.origin, expected);
    const spoofed = {
      host: 'evil.example',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'https',
      origin: 'https://evil.example',
      referer: 'https://evil.example/panel/',
    };
    const answer = await superOfficeAnswer();
    const pages: [string, Reply][] = [
      ['a real sign-in', await h.request('GET', answer.pathname + answer.search, { headers: spoofed })],
      ['a refused sign-in', await h.request('GET', '/auth/superoffice/callback?code=x&state=y', { headers: spoofed })],
      ['a cancelled sign-in', await h.request('GET', '/auth/superoffice/callback?error=access_denied', { headers: spoofed })],
      ['a refused consent', await h.request('GET', '/auth/microsoft/consent/callback?error=access_denied&state=y', { headers: spoofed })],
    ];
    for (const [what, res] of pages) {
      const page = popupResult(res.status, res.text);
      assert.equal(page.origin, expected, `${what} posts to ${page.origin}`);
      assert.ok(!res.text.includes('evil.example'), `${what}: the spoofed origin is in the page`);
      assert.equal(String(res.headers['cache-control']), 'no-store', what);
    }
    assert.equal(popupResult(pages[0]![1].status, pages[0]![1].text).message.type, 'mailbox-link:signed-in');
    // The script posts to the origin the page names, never '*'.
    const script = await h.request('GET', '/auth/popup-result.js');
    assert.match(script.text, /postMessage\(message, el\.dataset\.origin\)/);
    assert.ok(!script.text.includes("'*'"));
  });

  test('the accept API needs no session and refuses unknown invite tokens with 404 (the retired id-token accept with 410), writing nothing', async () => {
    const before = await dumpWithout(h);
    const tokens = [randomBytes(32).toString('base64url'), 'short', 'x'.repeat(100), '../../etc/passwd'];
    for (const token of tokens) {
      for (const headers of [{}, { authorization: `Bearer ${admin}` }] as Record<string, string>[]) {
        const open = await h.request('POST', '/api/public/invites/open', { body: { token }, headers });
        assert.equal(open.status, 404, open.text);
        assert.equal(assertApiError(open, 'open').code, 'InviteNotFound');
        // Retired (it recorded a mailbox without a grant): 410 for everyone, session or not.
        const accept = await h.request('POST', '/api/public/invites/accept', { body: { token, idToken: 'eyJhbGciOiJSUzI1NiJ9.e30.x' }, headers });
        assert.equal(accept.status, 410, accept.text);
        assert.equal(assertApiError(accept, 'accept').code, 'AcceptBySignIn');
      }
    }
    // The grant sign-in's callback: a state no opening handed out finds no invite, session or not.
    for (const headers of [{}, { authorization: `Bearer ${admin}` }] as Record<string, string>[]) {
      const back = await h.request('GET', `/auth/microsoft/accept/callback?code=x&state=${randomBytes(32).toString('base64url')}`, { headers });
      assert.equal(back.status, 303);
      assert.equal(String(back.headers.location), '/accept/#error=InviteNotFound');
    }
    assert.equal(await dumpWithout(h), before);
  });
});
