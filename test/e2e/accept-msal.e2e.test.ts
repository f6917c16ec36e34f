import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { demoTenant } from '../../simulators/demo-tenant.js';
import type { DemoTenant } from '../../simulators/demo-tenant.types.js';
import { startEntraSimulator, type EntraSimulator } from '../../simulators/entra/entra.simulator.js';
import type { InviteAccepted, InviteOpened } from '../../panel/src/logic/types.js';
import { launchChromium } from '../helpers/browser.js';

/** The built accept page (`npm run build` makes it): panel/dist/accept/ in the source tree. */
const ACCEPT_DIR = new URL('../../../panel/dist/accept/', import.meta.url);
/** Screenshots of each state (ignored by git): test/artifacts/ in the source tree. */
const ARTIFACTS = fileURLToPath(new URL('../../../test/artifacts/', import.meta.url));
const CLIENT_ID = '3d9a7f21-64c0-4e8b-b5d2-9e1f0a7c4b63';
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.map': 'application/json' };

/** The accept page's CSP as the real backend sends it: only the authority besides 'self'. */
const csp = (entraOrigin: string) =>
  `default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ${entraOrigin}; frame-ancestors 'none'; base-uri 'none'`;

async function bodyOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return JSON.parse(raw) as Record<string, unknown>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * The accept page against the Entra ID simulator in Chromium, with MSAL browser's real redirect
 * flow (PKCE, nonce, fragment response, CORS token redemption). A tiny HTTP server stands in for
 * the backend: it serves panel/dist/accept/ under the page's CSP and fakes the two public invite
 * endpoints.
 */
describe('the invite accept page with MSAL and the Entra simulator', () => {
  const inviteToken = randomBytes(32).toString('base64url');
  /** Each open issues a fresh nonce (as the backend does); accept wants the latest one. */
  let nonce = '';
  let tenant: DemoTenant;
  let entra: EntraSimulator;
  let server: Server;
  let base = '';
  let browser: Browser;
  let received: { open: unknown[]; accept: { token: unknown; idToken: unknown }[]; urls: string[] };
  let accepted = false;
  const reset = () => {
    received = { open: [], accept: [], urls: [] };
    accepted = false;
    nonce = '';
  };
  reset();

  before(async () => {
    assert.equal(inviteToken.length, 43);
    tenant = demoTenant('demo');
    server = createServer((req, res) => void handle(req, res).catch((err) => json(res, 500, { error: { code: 'Test', message: String(err) } })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    entra = await startEntraSimulator({
      tenant,
      apps: [
        {
          clientId: CLIENT_ID,
          redirectUris: [],
          spaRedirectUris: [`${base}/accept/`],
          permissions: [],
          delegatedPermissions: ['openid', 'profile', 'email', 'offline_access'],
          displayName: 'SuperOffice Mailbox Link',
        },
      ],
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await entra?.close();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });

  /** Console errors (CSP violations are reported there) and uncaught page errors. */
  function watchProblems(page: Page, allowed?: RegExp): string[] {
    const problems: string[] = [];
    page.on('console', (m) => {
      // Chromium asks every origin for /favicon.ico (this server and the simulator answer 404).
      if (m.type() !== 'error' || m.location().url.endsWith('/favicon.ico') || allowed?.test(m.text())) return;
      problems.push(`console: ${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    return problems;
  }

  const invitee = () => tenant.mailboxes.find((m) => m.userPrincipalName.startsWith('kari.nordmann@'))!;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    received.urls.push(req.url ?? '');
    if (req.method === 'POST' && url.pathname === '/api/public/invites/open') {
      const body = await bodyOf(req);
      received.open.push(body);
      if (body.token !== inviteToken) return json(res, 404, { error: { code: 'InviteNotFound', message: 'No such invite.' } });
      if (accepted) return json(res, 409, { error: { code: 'InviteAlreadyUsed', message: 'Already accepted.' } });
      nonce = randomBytes(16).toString('base64url');
      const opened: InviteOpened = {
        organisation: tenant.companyName,
        associateName: 'Kari Nordmann',
        email: invitee().mail!,
        invitedBy: 'Ola Nordmann',
        expiresAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
        allowOtherMailbox: false,
        sync: { diary: true, task: false, contact: true },
        signIn: {
          clientId: CLIENT_ID,
          authority: `${entra.url}/${tenant.entraTenantId}`,
          knownAuthorities: [new URL(entra.url).host],
          redirectUri: `${base}/accept/`,
          scopes: ['openid', 'profile', 'email'],
          nonce,
          loginHint: invitee().userPrincipalName,
        },
      };
      return json(res, 200, opened);
    }
    if (req.method === 'POST' && url.pathname === '/api/public/invites/accept') {
      const body = await bodyOf(req);
      received.accept.push({ token: body.token, idToken: body.idToken });
      if (body.token !== inviteToken) return json(res, 404, { error: { code: 'InviteNotFound', message: 'No such invite.' } });
      // The real backend verifies signature, issuer and audience too; the test checks those below.
      const claims = decodeJwt(String(body.idToken));
      if (claims.nonce !== nonce) return json(res, 409, { error: { code: 'SignInAgain', message: 'Sign in again.' } });
      if (claims.preferred_username !== invitee().userPrincipalName) {
        return json(res, 403, { error: { code: 'MailboxMismatch', message: `Signed in as ${String(claims.preferred_username)}.` } });
      }
      accepted = true;
      const result: InviteAccepted = { mailboxAddress: invitee().mail!, displayName: invitee().displayName, account: invitee().userPrincipalName };
      return json(res, 200, result);
    }
    if (req.method === 'GET' && url.pathname === '/accept') {
      res.writeHead(301, { location: '/accept/' });
      return void res.end();
    }
    if (req.method === 'GET' && url.pathname.startsWith('/accept/')) {
      const name = url.pathname.slice('/accept/'.length) || 'index.html';
      if (!/^[\w.-]+$/.test(name)) return json(res, 404, { error: { code: 'NotFound', message: name } });
      let file: Buffer;
      try {
        file = readFileSync(new URL(name, ACCEPT_DIR));
      } catch {
        return json(res, 404, { error: { code: 'NotFound', message: name } });
      }
      res.writeHead(200, {
        'content-type': TYPES[extname(name)] ?? 'application/octet-stream',
        'content-security-policy': csp(entra.url),
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      });
      return void res.end(file);
    }
    json(res, 404, { error: { code: 'NotFound', message: url.pathname } });
  }

  test('sign in with Microsoft (redirect), come back, accept: the backend gets a valid id token', { timeout: 60_000 }, async () => {
    reset();
    mkdirSync(ARTIFACTS, { recursive: true });
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-GB', viewport: { width: 900, height: 760 } });
    const page = await context.newPage();
    const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
    const problems = watchProblems(page);
    const requested: string[] = [];
    page.on('request', (r) => requested.push(`${r.url()} ${r.headers()['referer'] ?? ''}`));
    const button = (name: string) => page.getByRole('button', { name, exact: true });

    await page.goto(`${base}/accept/#invite=${inviteToken}`);
    await button('Sign in with Microsoft').waitFor();
    assert.equal(page.url(), `${base}/accept/`, 'the invite token left the address bar');
    // about:blank and this page: the fragment was replaced in place, not pushed as a new entry.
    assert.equal(await page.evaluate('history.length'), 2, 'the entry with the token was replaced');
    const shown = await page.locator('so-invite-accept main').innerText();
    assert.match(shown, /Ola Nordmann invited you \(Kari Nordmann, kari\.nordmann@nordlys\.example\)/);
    assert.match(shown, /Sign in with the Microsoft account of kari\.nordmann@nordlys\.example/);
    await shot('accept-01-invite');

    await button('Sign in with Microsoft').click();
    await page.waitForURL((u) => u.href.startsWith(`${entra.url}/${tenant.entraTenantId}/oauth2/v2.0/authorize`));
    const authorize = new URL(page.url());
    assert.equal(authorize.searchParams.get('nonce'), nonce);
    assert.equal(authorize.searchParams.get('login_hint'), invitee().userPrincipalName);
    assert.equal(authorize.searchParams.get('response_mode'), 'fragment');
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    // Back to the page with the browser's Back button, then Sign in again: MSAL must not be stuck
    // with its earlier request "in progress".
    await page.goBack();
    await page.waitForURL(`${base}/accept/`);
    await button('Sign in with Microsoft').click();
    await page.waitForURL((u) => u.href.startsWith(`${entra.url}/${tenant.entraTenantId}/oauth2/v2.0/authorize`));
    assert.equal(new URL(page.url()).searchParams.get('nonce'), nonce);
    // The account picker; the hinted user is marked.
    await page.locator(`button[name="user_id"][value="${invitee().id}"]`).click();

    await button('Accept').waitFor();
    assert.equal(page.url(), `${base}/accept/`, "Microsoft's answer left the address bar too");
    assert.match((await page.locator('so-invite-accept [role="status"]').textContent())!, /Signed in as Kari Nordmann \(kari\.nordmann@nordlys\.example\)/);
    await shot('accept-02-signed-in');
    await button('Accept').click();
    await page.locator('so-invite-accept [role="status"]', { hasText: 'Your mailbox kari.nordmann@nordlys.example is authorized.' }).waitFor();
    assert.match(await page.locator('so-invite-accept main').innerText(), /You can close this window\./);
    await shot('accept-03-accepted');

    // What the backend got: the invite token and Microsoft's id token for this app, nonce and tenant.
    assert.equal(received.accept.length, 1);
    const { token, idToken } = received.accept[0]!;
    assert.equal(token, inviteToken);
    assert.equal(typeof idToken, 'string');
    const claims = decodeJwt(idToken as string);
    assert.equal(claims.aud, CLIENT_ID);
    assert.equal(claims.nonce, nonce);
    assert.equal(claims.tid, tenant.entraTenantId);
    assert.equal(claims.preferred_username, invitee().userPrincipalName);
    const verified = await jwtVerify(idToken as string, createLocalJWKSet(entra.control.jwks()), {
      issuer: entra.issuer(tenant.entraTenantId),
      audience: CLIENT_ID,
    });
    assert.equal(verified.payload.oid, invitee().id);

    // The secret never travelled in a URL or a Referer, and the tab keeps nothing afterwards.
    for (const line of [...requested, ...received.urls]) assert.ok(!line.includes(inviteToken), `token in ${line}`);
    assert.deepEqual(await page.evaluate('Object.keys(sessionStorage)'), [], 'sessionStorage is empty');
    assert.deepEqual(problems, [], 'no console errors (CSP violations show up here)');
    await context.close();
  });
  test('where users may not consent: refused (AADSTS65001) until an administrator approves, then the same sign-in works', { timeout: 60_000 }, async () => {
    reset();
    entra.control.setUserConsent(false);
    entra.control.revokeConsent(tenant.entraTenantId, CLIENT_ID);
    try {
      const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-GB' });
      const page = await context.newPage();
      const problems = watchProblems(page);
      const button = (name: string) => page.getByRole('button', { name, exact: true });
      await page.goto(`${base}/accept/#invite=${inviteToken}`);
      await button('Sign in with Microsoft').click();
      await page.locator(`button[name="user_id"][value="${invitee().id}"]`).click();
      const alert = page.locator('so-invite-accept [role="alert"]');
      await alert.waitFor();
      assert.match(await alert.innerText(), /^Your organisation requires an administrator to approve this app before you can sign in\./);
      assert.equal(page.url(), `${base}/accept/`);
      await page.screenshot({ path: join(ARTIFACTS, 'accept-needs-admin-approval.png') });
      assert.equal(received.accept.length, 0);

      // An administrator approves the app (the registration's delegated permissions, tenant-wide).
      entra.control.grantConsent(tenant.entraTenantId, CLIENT_ID);
      await button('Sign in with Microsoft').click();
      await page.locator(`button[name="user_id"][value="${invitee().id}"]`).click();
      await button('Accept').click();
      await page.locator('so-invite-accept [role="status"]', { hasText: 'Your mailbox kari.nordmann@nordlys.example is authorized.' }).waitFor();
      assert.deepEqual(problems, []);
      await context.close();
    } finally {
      entra.control.setUserConsent(true);
    }
  });

  test('the wrong account: MailboxMismatch, then "Sign in with another account" picks the invited one', { timeout: 60_000 }, async () => {
    reset();
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-GB' });
    const page = await context.newPage();
    // Chromium logs the MailboxMismatch answer (403) as a failed resource; nothing else may show.
    const problems = watchProblems(page, /status of 403 \(Forbidden\)/);
    const button = (name: string) => page.getByRole('button', { name, exact: true });
    const other = tenant.mailboxes.find((m) => m.userPrincipalName.startsWith('ingrid.haugen@'))!;

    await page.goto(`${base}/accept/#invite=${inviteToken}`);
    await button('Sign in with Microsoft').click();
    await page.locator(`button[name="user_id"][value="${other.id}"]`).click();
    await button('Accept').click();
    const alert = page.locator('so-invite-accept [role="alert"]');
    await alert.waitFor();
    assert.equal(
      (await alert.innerText()).trim(),
      `You signed in as ${other.userPrincipalName}, but this invitation is for ${invitee().mail}. Sign in with that account.`,
    );
    const firstNonce = nonce;

    // A fresh open (new nonce), then Microsoft's account picker without a hint.
    await button('Sign in with another account').click();
    await page.waitForURL((u) => u.href.startsWith(`${entra.url}/`));
    const authorize = new URL(page.url());
    assert.equal(authorize.searchParams.get('prompt'), 'select_account');
    assert.notEqual(nonce, firstNonce);
    assert.equal(authorize.searchParams.get('nonce'), nonce);
    await page.locator(`button[name="user_id"][value="${invitee().id}"]`).click();
    await button('Accept').click();
    await page.locator('so-invite-accept [role="status"]', { hasText: 'is authorized.' }).waitFor();
    assert.equal(received.accept.length, 2);
    assert.equal(decodeJwt(String(received.accept[1]!.idToken)).nonce, nonce);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
