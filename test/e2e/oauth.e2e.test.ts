import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { DEMO_ENTRA_APP, DEMO_SUPEROFFICE_APP } from '../../backend/demo/demo-environment.js';
import { DEMO_CASES, demoTenant } from '../../simulators/demo-tenant.js';
import { launchChromium } from '../helpers/browser.js';
import { startDemoServer, type DemoServer } from '../helpers/demo-server.js';
import { checkLayout, installAxe } from '../helpers/layout-check.js';

const ARTIFACTS = fileURLToPath(new URL('../../../test/artifacts/', import.meta.url));

/**
 * OAuth mode end to end against `npm start`'s demo: the admin switches the tenant to OAuth, sends
 * invites to two associates from the Token Authentication Manager, one invitee opens the emailed
 * link in a normal window and signs in at the (simulated) Microsoft page, which accepts (the
 * backend redeems the code and keeps the owner's grant); back in the panel Load External Users
 * shows only that mailbox, which is linked and saved, and one sync pass runs with the owner's
 * delegated token.
 */
describe('OAuth mode in Chromium: invites, accept, link', () => {
  let server: DemoServer;
  let browser: Browser;
  const tenant = demoTenant('demo');
  const seededCount = 4;
  // Two ordinary associates whose card email is their mailbox (past the ones the demo seeds as linked).
  const invitees = tenant.associates
    .filter((a) => a.isActive && a.personEmail && !DEMO_CASES.adminAssociateIds.includes(a.associateId))
    .map((a) => ({ a, m: tenant.mailboxes.find((m) => m.userType === 'Member' && m.userPurpose === 'user' && m.accountEnabled && m.mail?.toLowerCase() === a.personEmail!.toLowerCase()) }))
    .filter((x) => x.m)
    .slice(seededCount + 6, seededCount + 8) as { a: (typeof tenant.associates)[number]; m: (typeof tenant.mailboxes)[number] }[];
  const sender = tenant.mailboxes.find((m) => m.id === DEMO_CASES.adminMailboxId)!;

  before(async () => {
    // Everything the backend can log, so the leak scan at the end reads all of it.
    server = await startDemoServer({ LOG_LEVEL: 'trace' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('switch to OAuth, invite two, one accepts, Load External Users lists only that mailbox, link, save, and it syncs with the owner’s grant', { timeout: 180_000 }, async (t) => {
    assert.equal(invitees.length, 2);
    mkdirSync(ARTIFACTS, { recursive: true });
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1100, height: 800 } });
    const page = await context.newPage();
    // Every secret the browser saw pass: session tokens (sign-in popup).
    const seen: string[] = [];
    const requestUrls: string[] = [];
    context.on('request', (req) => {
      requestUrls.push(req.url());
    });
    // The session token arrives by postMessage from the sign-in popup: note it as the panel gets it.
    await page.addInitScript({
      content: `window.__tokens = []; window.addEventListener('message', (e) => {
        if (e.data && e.data.type === 'mailbox-link:signed-in' && typeof e.data.token === 'string') window.__tokens.push(e.data.token);
      });`,
    });
    const errors: string[] = [];
    const watch = (p: typeof page) => {
      p.on('console', (m) => m.type() === 'error' && !/ResizeObserver loop/.test(m.text()) && errors.push(m.text()));
      p.on('pageerror', (e) => !/ResizeObserver loop/.test(e.message) && errors.push(e.message));
    };
    watch(page);
    page.on('dialog', (d) => void d.accept());
    const shot = (p: typeof page, name: string) => p.screenshot({ path: join(ARTIFACTS, `oauth-${name}.png`) });
    const button = (name: string) => page.getByRole('button', { name, exact: true });
    const manager = page.locator('so-invite-manager');

    // Sign in as Kari (administrator) and approve the app in Microsoft 365 (needed for sending mail).
    await page.goto(server.panelUrl);
    const [popup] = await Promise.all([page.waitForEvent('popup'), button('Sign in with SuperOffice').click()]);
    await popup.locator('button[name="associate_id"][value="1"]').click();
    await page.locator('so-sync-settings p[data-who]').waitFor();
    const [consent] = await Promise.all([page.waitForEvent('popup'), button('Approve in Microsoft 365').click()]);
    await consent.click(`button[name="user_id"][value="${DEMO_CASES.adminMailboxId}"]`);
    await consent.click('button[value="accept"]');
    await page.locator('so-sync-settings p[data-ms]', { hasText: /^Connected/ }).waitFor({ state: 'attached' });

    // Switch the tenant to OAuth mode (in the tenant settings, closed once connected), through the
    // confirmation that says nothing is deleted.
    await page.locator('so-sync-settings details[data-tenant-settings] > summary').click();
    await button('Switch to OAuth mode…').click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    assert.match((await dialog.textContent())!, /No link and no sync history is deleted\./);
    await dialog.getByRole('button', { name: 'Switch to OAuth mode', exact: true }).click();
    await page.locator('so-sync-settings [data-mode-text]', { hasText: 'OAuth mode' }).waitFor();
    await page.locator('so-sync-settings [data-oauth]').waitFor();
    await shot(page, '01-oauth-mode');

    // Token Authentication Manager: sender, two associates, send.
    await button('Token Authentication Manager').click();
    await manager.locator('so-data-list .body [role="row"]').first().waitFor();
    await manager.locator('#sender').fill(sender.userPrincipalName);
    for (const [i, { a }] of invitees.entries()) {
      await manager.locator('so-data-list input[type="search"]').fill(a.fullName);
      await manager.locator('so-data-list .body [role="row"]', { hasText: a.fullName }).first().click({ modifiers: i === 0 ? [] : ['Control'] });
    }
    await manager.locator('so-data-list input[type="search"]').fill('');
    await button('Send invites to selected users').click();
    await manager.locator('[data-report-title]', { hasText: '2 invites sent to 2 selected users.' }).waitFor();
    for (const { a } of invitees) {
      await manager.locator('so-data-list .body [role="row"]', { hasText: a.fullName }).first().getByText('Invited').waitFor();
    }
    await shot(page, '02-invites-sent');

    // The emails, as the Graph simulator recorded them; each has its own link.
    const outbox = (await (await context.request.get(`${server.simulators.graph}/__sim/sent-mail`)).json()) as { value: { message: any }[] };
    const linkFor = (email: string) => {
      const mail = outbox.value.find((m) => JSON.stringify(m.message.toRecipients).toLowerCase().includes(email.toLowerCase()));
      assert.ok(mail, `an invite went to ${email}`);
      const m = /(http:\/\/localhost:\d+\/accept\/#invite=[A-Za-z0-9_-]{43})/.exec(mail.message.body.content);
      assert.ok(m, 'the email carries the invite link');
      return m[1]!;
    };
    const [first, second] = invitees as [(typeof invitees)[0], (typeof invitees)[0]];
    assert.notEqual(linkFor(first.a.personEmail!), linkFor(second.a.personEmail!));

    // The first invitee opens the link in a normal browser window (top level, not in SuperOffice).
    const accept = await context.newPage();
    watch(accept);
    await accept.goto(linkFor(first.a.personEmail!));
    await accept.getByRole('button', { name: 'Sign in with Microsoft', exact: true }).waitFor();
    assert.ok(!accept.url().includes('invite='), 'the secret left the address bar');
    assert.match(await accept.locator('so-invite-accept main').innerText(), new RegExp(first.a.fullName));
    await shot(accept, '03-accept-page');
    await accept.getByRole('button', { name: 'Sign in with Microsoft', exact: true }).click();
    await accept.waitForURL((u) => u.href.startsWith(server.simulators.entra));
    // Picking the account is the acceptance: Microsoft → the backend's callback → back here.
    await accept.locator(`button[name="user_id"][value="${first.m.id}"]`).click();
    await accept.locator('so-invite-accept [role="status"]', { hasText: `Your mailbox ${first.m.mail!.toLowerCase()} is authorized.` }).waitFor();
    assert.equal(accept.url(), `${new URL(server.panelUrl).origin}/accept/`);
    await shot(accept, '04-accepted');
    await accept.close();

    // Back in the panel: the invite shows accepted; then Load External Users lists only that mailbox.
    await button('Back to User Synchronization Settings').click();
    await button('Load External Users').click();
    await page.locator('so-sync-settings [data-for="load"]', { hasText: /^Loaded 1 user\.$/ }).waitFor();
    const mailboxRows = page.locator('so-mailbox-list .body [role="row"]');
    assert.equal(await mailboxRows.count(), 1);
    assert.match((await mailboxRows.first().textContent())!.toLowerCase(), new RegExp(first.m.mail!.toLowerCase().replace(/\./g, '\\.')));

    // Link it and save.
    await page.locator('so-associate-list input[type="search"]').fill(first.a.fullName);
    await page.locator('so-associate-list .body [role="row"]', { hasText: first.a.fullName }).first().click();
    await mailboxRows.first().click();
    await button('Link User').click();
    await page.locator('so-sync-settings [data-unsaved]', { hasText: /^1 unsaved link$/ }).waitFor();
    await button('Save Added Users').click();
    await page.locator('so-sync-settings [data-for="saveAdded"]', { hasText: /^Saved 1 linked user\.$/ }).waitFor();
    const row = page.locator('so-linked-user-list [role="row"]', { hasText: first.a.fullName }).first();
    await row.getByText('Authorized', { exact: true }).waitFor();
    await shot(page, '05-linked');

    // The seeded links (their owners never accepted) are kept but not synchronized.
    const notAuthorized = await page.locator('so-linked-user-list [role="row"]', { hasText: 'Not authorized' }).count();
    assert.equal(notAuthorized, seededCount);

    // Accepted WITH a grant: the link is not waiting for authorization, and Sync now runs a pass
    // (the demo's in-process worker) that reads the mailbox with the owner's delegated token only.
    const session = ((await page.evaluate('window.__tokens')) as string[]).at(-1)!;
    const apiGet = async (path: string) => (await (await context.request.get(`${new URL(server.panelUrl).origin}${path}`, { headers: { authorization: `Bearer ${session}` } })).json()) as any;
    const linkOf = async () => (await apiGet('/api/v1/links')).links.find((l: { mailboxId: string }) => l.mailboxId === first.m.id);
    const linked = await linkOf();
    assert.equal(linked.authorization, 'authorized');
    assert.notEqual(linked.sync.state, 'waiting_authorization', 'the grant came with the acceptance');
    // Graph calls on the mailbox per token, before and after the pass (accepting and Link User
    // read the user's addresses with the app token, as documented; the pass must not).
    const callersOf = async () =>
      ((await (await context.request.get(`${server.simulators.graph}/__sim/callers`)).json()) as Record<string, { app: number; delegated: Record<string, number> }>)[first.m.id] ?? { app: 0, delegated: {} };
    const delegatedCalls = (c: { delegated: Record<string, number> }) => Object.values(c.delegated).reduce((x, y) => x + y, 0);
    // A meeting in the user's SuperOffice diary (as the user would make it), inside the sync window.
    const soClock = (await (await context.request.get(`${server.simulators.superoffice}/__sim/clock`)).json()) as { now: string };
    const day = new Date(Date.parse(soClock.now) + 2 * 86_400_000).toISOString().slice(0, 10);
    const made = await context.request.post(`${server.simulators.superoffice}/__sim/appointments?as=${first.a.associateId}`, {
      data: { Associate: { AssociateId: first.a.associateId }, StartDate: `${day}T09:00:00Z`, EndDate: `${day}T10:00:00Z`, Type: 'inDiary', Title: 'Delegated sync check', Description: '', Location: '' },
    });
    assert.equal(made.status(), 200, await made.text());
    const beforePass = await callersOf();
    // A pass after Sync now: a newer lastSuccessAt (the worker may have run one on its own before).
    const previous = (await linkOf()).sync.lastSuccessAt;
    const run = await context.request.post(`${new URL(server.panelUrl).origin}/api/v1/sync/run`, { headers: { authorization: `Bearer ${session}` }, data: { linkIds: [linked.id] } });
    assert.equal(run.status(), 200, await run.text());
    const deadline = Date.now() + 60_000;
    let synced = linked;
    while (Date.now() < deadline && (synced.sync.lastSuccessAt === previous || synced.sync.state !== 'in_sync') && !['error', 'breaker'].includes(synced.sync.state)) {
      await new Promise((r) => setTimeout(r, 500));
      synced = await linkOf();
    }
    assert.equal(synced.sync.state, 'in_sync', `the pass ran: ${JSON.stringify(synced.sync)}`);
    const afterPass = await callersOf();
    assert.equal(afterPass.app - beforePass.app, 0, 'the pass never used the app token on the mailbox');
    const delegated = delegatedCalls(afterPass) - delegatedCalls(beforePass);
    assert.ok(delegated > 0, 'the pass used the owner’s delegated token');
    assert.ok(synced.sync.lastPass.created >= 1, `the meeting was created in Outlook: ${JSON.stringify(synced.sync.lastPass)}`);
    t.diagnostic(`first pass with the grant: ${JSON.stringify(synced.sync.lastPass)}; Graph calls on the mailbox during it: app 0, delegated ${delegated} (before it: app ${beforePass.app}, delegated ${delegatedCalls(beforePass)})`);
    assert.deepEqual(errors, []);

    // Issue 7: no token or secret of this whole run in the log, in a URL, or in clear in the database.
    const issued = async (base: string) => ((await (await context.request.get(`${base}/__sim/issued`)).json()) as { value: { kind: string; value: string }[] }).value;
    const fromSims = [...(await issued(server.simulators.superoffice)), ...(await issued(server.simulators.entra))];
    // Authorization codes ride in redirect URLs by design (single use, PKCE-bound), and the
    // invite secret in the accept link's fragment (never sent); neither may reach a log or the database.
    const urlSafe = [...fromSims.filter((i) => i.kind === 'code').map((i) => i.value), ...[first, second].map((x) => /#invite=([A-Za-z0-9_-]{43})/.exec(linkFor(x.a.personEmail!))![1]!)];
    const secrets = [
      ...seen,
      ...fromSims.map((i) => i.value),
      ...urlSafe,
      DEMO_SUPEROFFICE_APP.clientSecret,
      DEMO_ENTRA_APP.clientSecret,
      readFileSync(join(server.dataDir, 'demo-token-key'), 'utf8').trim(),
    ].filter((x): x is string => typeof x === 'string' && x.length >= 16);
    seen.push(...((await page.evaluate('window.__tokens')) as string[]));
    assert.ok(seen.filter((x) => x?.startsWith('sls_')).length >= 1, 'the session token was captured');
    assert.ok(secrets.length >= 12, `${secrets.length} secrets checked`);
    const log = server.output();
    assert.ok(log.split('request completed').length > 30, 'the log holds the run\'s requests');
    const database = ['demo.db', 'demo.db-wal']
      .map((f) => join(server.dataDir, f))
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f).toString('latin1'))
      .join('');
    for (const secret of secrets) {
      const shown = `${secret.slice(0, 8)}…`;
      assert.ok(!log.includes(secret), `a secret (${shown}) is in the log`);
      assert.ok(!database.includes(secret), `a secret (${shown}) is in the database in clear`);
      if (!urlSafe.includes(secret)) assert.ok(!requestUrls.some((u) => u.includes(secret)), `a secret (${shown}) is in a request URL`);
    }
    t.diagnostic(`leak scan: ${secrets.length} secrets (session, SuperOffice and Entra tokens, codes, invite secrets, app secrets, the sealing key) against ${log.split('\n').length} log lines, ${requestUrls.length} request URLs and the database files`);
    await context.close();
  });

  test('invite with Link when accepted → accept → linked at once; Revoke authorization → Revoked badge', { timeout: 180_000 }, async () => {
    // Runs after the test above: the tenant is in OAuth mode, connected; the second invitee never accepted.
    const [, second] = invitees as [(typeof invitees)[0], (typeof invitees)[0]];
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1024, height: 700 } });
    await installAxe(context);
    const page = await context.newPage();
    const errors: string[] = [];
    const watch = (p: typeof page) => {
      p.on('console', (m) => m.type() === 'error' && !/ResizeObserver loop/.test(m.text()) && errors.push(m.text()));
      p.on('pageerror', (e) => !/ResizeObserver loop/.test(e.message) && errors.push(e.message));
    };
    watch(page);
    const shot = (p: typeof page, name: string) => p.screenshot({ path: join(ARTIFACTS, `oauth-${name}.png`) });
    const button = (name: string) => page.getByRole('button', { name, exact: true });
    const manager = page.locator('so-invite-manager');
    const managerRow = (name: string) => manager.locator('so-data-list .body [role="row"]', { hasText: name }).first();

    await page.goto(server.panelUrl);
    const [popup] = await Promise.all([page.waitForEvent('popup'), button('Sign in with SuperOffice').click()]);
    await popup.locator('button[name="associate_id"][value="1"]').click();
    await page.locator('so-sync-settings p[data-who]').waitFor();
    // In OAuth mode too, a reload keeps the tab's session: no second sign-in.
    await page.reload();
    await page.locator('so-sync-settings p[data-who]', { hasText: /^Signed in as Kari/ }).waitFor();
    assert.equal(await button('Sign in with SuperOffice').count(), 0);
    await button('Token Authentication Manager').click();
    await manager.locator('so-data-list .body [role="row"]').first().waitFor();
    // The sender the tenant remembers from the last invites.
    assert.equal(await manager.locator('#sender').inputValue(), sender.userPrincipalName);
    await manager.locator('so-data-list input[type="search"]').fill(second.a.fullName);
    await managerRow(second.a.fullName).click();
    await manager.locator('[data-field="linkOnAccept"]').check();
    await button('Send invites to selected users').click();
    await manager.locator('[data-report-title]', { hasText: '1 invite sent to 1 selected user.' }).waitFor();

    // The newest email to the invitee carries the new link (the older one stopped working).
    const outbox = (await (await context.request.get(`${server.simulators.graph}/__sim/sent-mail`)).json()) as { value: { message: any }[] };
    const mail = outbox.value.filter((m) => JSON.stringify(m.message.toRecipients).toLowerCase().includes(second.a.personEmail!.toLowerCase())).at(-1)!;
    const link = /(http:\/\/localhost:\d+\/accept\/#invite=[A-Za-z0-9_-]{43})/.exec(mail.message.body.content)![1]!;
    const accept = await context.newPage();
    watch(accept);
    await accept.goto(link);
    await accept.getByRole('button', { name: 'Sign in with Microsoft', exact: true }).click();
    await accept.waitForURL((u) => u.href.startsWith(server.simulators.entra));
    await accept.locator(`button[name="user_id"][value="${second.m.id}"]`).click();
    await accept.locator('so-invite-accept [role="status"]', { hasText: `Your mailbox ${second.m.mail!.toLowerCase()} is authorized.` }).waitFor();
    await accept.close();

    // Linked at once: the main view lists the user as linked and authorized, nothing to save.
    await button('Back to User Synchronization Settings').click();
    const linked = page.locator('so-linked-user-list [role="row"]', { hasText: second.a.fullName }).first();
    await linked.getByText('Authorized', { exact: true }).waitFor();
    await page.locator('so-sync-settings [data-unsaved]', { hasText: /^0 unsaved links$/ }).waitFor();
    assert.equal(await page.locator('so-invite-proposals [data-proposals]').count(), 0, 'nothing left to propose');
    await shot(page, '06-linked-at-once');

    // In the manager: Accepted, linked; then Revoke authorization makes the row Revoked.
    await button('Token Authentication Manager').click();
    await manager.locator('so-data-list input[type="search"]').fill(second.a.fullName);
    const state = managerRow(second.a.fullName).locator('[data-column="state"]');
    await state.getByText('linked', { exact: true }).waitFor();
    assert.equal(await state.locator('.badge').textContent(), 'Accepted');
    await managerRow(second.a.fullName).click();
    await button('Revoke authorization').click();
    await manager.locator('dialog [data-action="confirm"]').click();
    await state.locator('.badge', { hasText: /^Revoked$/ }).waitFor();
    assert.equal(await state.locator('.badge').getAttribute('data-tone'), 'neutral', 'no green Accepted left');
    const mailboxCell = managerRow(second.a.fullName).locator('[data-column="mailbox"]');
    const whole = await mailboxCell.locator('.badge').evaluate((b) => b.scrollWidth <= b.clientWidth + 1);
    assert.ok(whole, 'the Revoked badge is not cut at 1024 wide');
    await shot(page, '07-revoked');
    const messages = manager.locator('.messages');
    assert.ok(await messages.evaluate((m) => m.scrollHeight <= m.clientHeight + 1), 'the revoke message is not cut by the list below it');
    // The manager's own layout: no header overlaps another, cut text readable, axe-clean, at both sizes.
    for (const size of [{ width: 1024, height: 700 }, { width: 1440, height: 900 }]) {
      await page.setViewportSize(size);
      const { layout, axe } = await checkLayout(page);
      assert.deepEqual(layout, [], `the manager at ${size.width}×${size.height}: layout`);
      assert.deepEqual(axe, [], `the manager at ${size.width}×${size.height}: axe-core`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
});
