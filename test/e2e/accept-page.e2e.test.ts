import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_ENTRA_APP } from '../../backend/demo/demo-environment.js';
import { DEMO_CASES, demoTenant } from '../../simulators/demo-tenant.js';
import { launchChromium } from '../helpers/browser.js';
import { startDemoServer, type DemoServer } from '../helpers/demo-server.js';

/** Screenshots of each state (ignored by git): test/artifacts/ in the source tree. */
const ARTIFACTS = fileURLToPath(new URL('../../../test/artifacts/', import.meta.url));

/**
 * The invite accept page in Chromium against `npm start`'s demo (the real backend, the Entra ID
 * simulator's sign-in page): the page only navigates, to `signIn.authorizeUrl` (authorization
 * code + PKCE, the verifier kept by the backend); Microsoft sends the browser to the backend's
 * callback, which redeems the code, records the grant and redirects to `/accept/#accepted=…` or
 * `#error=<code>`. The invites are made through the API with the administrator's session.
 */
describe('the invite accept page: the grant sign-in through the backend, in Chromium', () => {
  let server: DemoServer;
  let browser: Browser;
  let admin = '';
  const tenant = demoTenant('demo');
  const invitees = tenant.associates
    .filter((a) => a.isActive && a.personEmail && !DEMO_CASES.adminAssociateIds.includes(a.associateId))
    .map((a) => ({ a, m: tenant.mailboxes.find((m) => m.userType === 'Member' && m.userPurpose === 'user' && m.accountEnabled && m.mail?.toLowerCase() === a.personEmail!.toLowerCase()) }))
    .filter((x) => x.m)
    .slice(12, 16) as { a: (typeof tenant.associates)[number]; m: (typeof tenant.mailboxes)[number] }[];

  const api = async (context: BrowserContext, method: string, path: string, data?: unknown) => {
    const res = await context.request.fetch(`${server.origin}${path}`, { method, headers: { authorization: `Bearer ${admin}` }, ...(data === undefined ? {} : { data }) });
    const body = (await res.json().catch(() => null)) as any;
    assert.ok(res.ok(), `${method} ${path}: ${res.status()} ${JSON.stringify(body)}`);
    return body;
  };
  /** A copied invite link for the invitee (the secret in its fragment). */
  const inviteLink = async (context: BrowserContext, associateId: number): Promise<string> =>
    (await api(context, 'POST', '/api/v1/invites', { associateIds: [associateId], delivery: 'link' })).links[0].url;
  const authorizations = async (context: BrowserContext) =>
    (await api(context, 'GET', '/api/v1/authorizations')).authorizations as { mailboxId: string; revokedAt: string | null }[];

  before(async () => {
    server = await startDemoServer();
    browser = await launchChromium();
    // The administrator signs in (the session token arrives by postMessage) and approves the app in Microsoft 365.
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    await page.addInitScript({
      content: `window.__tokens = []; window.addEventListener('message', (e) => {
        if (e.data && e.data.type === 'mailbox-link:signed-in' && typeof e.data.token === 'string') window.__tokens.push(e.data.token);
      });`,
    });
    const button = (name: string) => page.getByRole('button', { name, exact: true });
    await page.goto(server.panelUrl);
    const [popup] = await Promise.all([page.waitForEvent('popup'), button('Sign in with SuperOffice').click()]);
    await popup.locator('button[name="associate_id"][value="1"]').click();
    await page.locator('so-sync-settings p[data-who]').waitFor();
    const [consent] = await Promise.all([page.waitForEvent('popup'), button('Approve in Microsoft 365').click()]);
    await consent.click(`button[name="user_id"][value="${DEMO_CASES.adminMailboxId}"]`);
    await consent.click('button[value="accept"]');
    await page.locator('so-sync-settings p[data-ms]', { hasText: /^Connected/ }).waitFor({ state: 'attached' });
    admin = ((await page.evaluate('window.__tokens')) as string[]).at(-1)!;
    assert.ok(admin?.startsWith('sls_'), 'the session token was captured');
    const t = await api(context, 'GET', '/api/v1/tenant');
    await api(context, 'PATCH', '/api/v1/tenant', { expectedVersion: t.version, mode: 'oauth' });
    await context.close();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Console errors (CSP violations are reported there) and uncaught page errors. */
  function watchProblems(page: Page): string[] {
    const problems: string[] = [];
    page.on('console', (m) => {
      // Chromium asks every origin for /favicon.ico.
      if (m.type() !== 'error' || m.location().url.endsWith('/favicon.ico')) return;
      problems.push(`console: ${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    return problems;
  }
  const onMicrosoft = (page: Page) => page.waitForURL((u) => u.href.startsWith(`${server.simulators.entra}/`) && u.pathname.endsWith('/oauth2/v2.0/authorize'));
  const statusOf = (page: Page) => page.locator('so-invite-accept [role="status"]');

  test('sign in with Microsoft, back authorized with the grant; nothing secret in a URL, a Referer or the tab', { timeout: 90_000 }, async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const { a, m } = invitees[0]!;
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-GB', viewport: { width: 900, height: 760 } });
    const link = await inviteLink(context, a.associateId);
    const secret = /#invite=([A-Za-z0-9_-]{43})/.exec(link)![1]!;
    const page = await context.newPage();
    const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
    const problems = watchProblems(page);
    const requested: string[] = [];
    page.on('request', (r) => requested.push(`${r.url()} ${r.headers()['referer'] ?? ''}`));
    const button = (name: string) => page.getByRole('button', { name, exact: true });

    await page.goto(link);
    await button('Sign in with Microsoft').waitFor();
    assert.equal(page.url(), `${server.origin}/accept/`, 'the invite token left the address bar');
    // about:blank and this page: the fragment was replaced in place, not pushed as a new entry.
    assert.equal(await page.evaluate('history.length'), 2, 'the entry with the token was replaced');
    const shown = await page.locator('so-invite-accept main').innerText();
    assert.match(shown, new RegExp(`invited you \\(${a.fullName}, ${a.personEmail!.replace(/\./g, '\\.')}\\)`));
    assert.match(shown, /Signing in accepts the invitation/);
    await shot('accept-01-invite');

    await button('Sign in with Microsoft').click();
    await onMicrosoft(page);
    const authorize = new URL(page.url());
    assert.equal(authorize.searchParams.get('redirect_uri'), `${server.origin}/auth/microsoft/accept/callback`, 'the code goes to the backend, not the page');
    assert.equal(authorize.searchParams.get('response_type'), 'code');
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(authorize.searchParams.get('login_hint'), a.personEmail);
    const scopes = authorize.searchParams.get('scope')!.split(' ');
    for (const s of ['openid', 'offline_access', 'Calendars.ReadWrite', 'Tasks.ReadWrite', 'Contacts.ReadWrite']) {
      assert.ok(scopes.some((x) => x.endsWith(s)), `asks for ${s}: ${scopes.join(' ')}`);
    }
    // Back to the page with the browser's Back button: Sign in works again (a fresh opening).
    await page.goBack();
    await page.waitForURL(`${server.origin}/accept/`);
    await button('Sign in with Microsoft').click();
    await onMicrosoft(page);
    assert.notEqual(new URL(page.url()).searchParams.get('state'), authorize.searchParams.get('state'), 'a fresh opening, a fresh state');
    await page.locator(`button[name="user_id"][value="${m!.id}"]`).click();

    await statusOf(page).filter({ hasText: `Your mailbox ${m!.mail!.toLowerCase()} is authorized.` }).waitFor();
    assert.equal(page.url(), `${server.origin}/accept/`, 'the outcome left the address bar too');
    assert.match(await page.locator('so-invite-accept main').innerText(), /You can close this window\./);
    await shot('accept-02-accepted');

    // Recorded by the backend, with the owner's grant: the mailbox is authorized.
    const auth = (await authorizations(context)).find((x) => x.mailboxId === m!.id);
    assert.ok(auth && auth.revokedAt === null, 'the mailbox is authorized');
    // The secret never travelled in a URL or a Referer, and the tab keeps nothing afterwards.
    for (const line of requested) assert.ok(!line.includes(secret), `token in ${line}`);
    assert.ok(!requested.some((l) => l.includes('/api/public/invites/accept')), 'the retired id-token accept is never called');
    assert.deepEqual(await page.evaluate('Object.keys(sessionStorage)'), [], 'sessionStorage is empty');
    assert.deepEqual(problems, [], 'no console errors (CSP violations show up here)');
    await context.close();
  });

  test('where users may not consent: refused (AADSTS65001) in plain words until an administrator approves, then the same link works', { timeout: 90_000 }, async () => {
    const { a, m } = invitees[1]!;
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-GB' });
    const entra = server.simulators.entra;
    const link = await inviteLink(context, a.associateId);
    await context.request.put(`${entra}/__sim/user-consent`, { data: { allowed: false } });
    await context.request.delete(`${entra}/__sim/consent?clientId=${DEMO_ENTRA_APP.clientId}`);
    try {
      const page = await context.newPage();
      const problems = watchProblems(page);
      const button = (name: string) => page.getByRole('button', { name, exact: true });
      await page.goto(link);
      await button('Sign in with Microsoft').click();
      await page.locator(`button[name="user_id"][value="${m!.id}"]`).click();
      const alert = page.locator('so-invite-accept [role="alert"]');
      await alert.waitFor();
      assert.match(await alert.innerText(), /^Your organisation requires an administrator to approve this app before you can sign in\./);
      assert.equal(page.url(), `${server.origin}/accept/`);
      await page.screenshot({ path: join(ARTIFACTS, 'accept-needs-admin-approval.png') });
      assert.ok(!(await authorizations(context)).some((x) => x.mailboxId === m!.id), 'nothing recorded');

      // An administrator approves the app (the registration's permissions, tenant-wide).
      const granted = await context.request.post(`${entra}/__sim/consent`, { data: { clientId: DEMO_ENTRA_APP.clientId } });
      assert.ok(granted.ok());
      await button('Sign in with Microsoft').click();
      await page.locator(`button[name="user_id"][value="${m!.id}"]`).click();
      await statusOf(page).filter({ hasText: `Your mailbox ${m!.mail!.toLowerCase()} is authorized.` }).waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.request.post(`${entra}/__sim/consent`, { data: { clientId: DEMO_ENTRA_APP.clientId } });
      await context.request.put(`${entra}/__sim/user-consent`, { data: { allowed: true } });
      await context.close();
    }
  });

  test('the wrong account: MailboxMismatch, then "Sign in with another account" (the picker) and the invited one', { timeout: 90_000 }, async () => {
    const { a, m } = invitees[2]!;
    const other = invitees[3]!.m!;
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'en-GB' });
    const link = await inviteLink(context, a.associateId);
    const page = await context.newPage();
    const problems = watchProblems(page);
    const button = (name: string) => page.getByRole('button', { name, exact: true });

    await page.goto(link);
    await button('Sign in with Microsoft').click();
    await page.locator(`button[name="user_id"][value="${other.id}"]`).click();
    const alert = page.locator('so-invite-accept [role="alert"]');
    await alert.waitFor();
    assert.equal(
      (await alert.innerText()).trim(),
      `The account you signed in with is not the one this invitation is for (${a.personEmail}). Sign in with that account.`,
    );
    assert.equal(await button('Sign in with Microsoft').count(), 0);
    assert.ok(!(await authorizations(context)).some((x) => x.mailboxId === other.id), 'the other mailbox is not authorized');

    await button('Sign in with another account').click();
    await onMicrosoft(page);
    assert.equal(new URL(page.url()).searchParams.get('prompt'), 'select_account');
    await page.locator(`button[name="user_id"][value="${m!.id}"]`).click();
    await statusOf(page).filter({ hasText: 'is authorized.' }).waitFor();
    assert.ok((await authorizations(context)).some((x) => x.mailboxId === m!.id));
    assert.deepEqual(problems, []);
    await context.close();
  });
});
