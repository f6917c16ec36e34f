import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { DEMO_CASES } from '../../simulators/demo-tenant.js';
import { launchChromium } from '../helpers/browser.js';
import { startDemoServer, type DemoServer } from '../helpers/demo-server.js';

/** The Server Rank field's message; word joiners keep the range on one line. */
const RANK_ERROR = 'Whole number 1\u2060–\u206099.';

/** Screenshots of each main state (ignored by git): test/artifacts/ in the source tree. */
const ARTIFACTS = fileURLToPath(new URL('../../../test/artifacts/', import.meta.url));

/**
 * `npm start`'s demo in a real browser, driving the Lit panel (`so-sync-settings`) served at
 * /panel/: the SuperOffice sign-in popup, Microsoft 365 consent in a popup, and every action.
 */
describe('the demo in Chromium', () => {
  let server: DemoServer;
  let panelUrl = '';
  let browser: Browser;

  before(async () => {
    server = await startDemoServer();
    panelUrl = server.panelUrl;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the panel: sign in, load, auto link, link, save, options, remove', { timeout: 120_000 }, async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // The simulators' certificate is generated at start-up; this browser is told to accept it.
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1024, height: 700 } });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && !/ResizeObserver loop/.test(m.text()) && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => !/ResizeObserver loop/.test(e.message) && consoleErrors.push(e.message));
    // The popups too: a CSP violation on their pages (an inline style, say) is reported there. The
    // simulators' sign-in pages have no favicon; that 404 is theirs, not the product's.
    context.on('page', (p) => {
      if (p === page) return;
      p.on('console', (m) => m.type() === 'error' && !m.location().url.endsWith('/favicon.ico') && consoleErrors.push(`popup: ${m.text()}`));
    });
    // Leaving with unsaved links asks first; this test accepts (and counts) those prompts.
    let unloadPrompts = 0;
    page.on('dialog', (d) => {
      if (d.type() === 'beforeunload') unloadPrompts++;
      void d.accept();
    });
    const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
    const button = (name: string) => page.getByRole('button', { name, exact: true });
    const who = page.locator('so-sync-settings p[data-who]');
    const alerts = page.locator('so-sync-settings [role="alert"]');

    const signIn = async () => {
      const [popup] = await Promise.all([page.waitForEvent('popup'), button('Sign in with SuperOffice').click()]);
      await popup.waitForLoadState();
      assert.match(await popup.title(), /SuperOffice/i);
      // Associate 1 is an administrator in the demo tenant.
      await popup.locator('button[name="associate_id"][value="1"]').click();
      await who.waitFor();
      assert.match((await who.textContent())!, /^Signed in as .+\(administrator\)/);
    };
    // A reload in the same tab keeps the session (the tab's sessionStorage): no popup.
    const stillSignedIn = async () => {
      await who.waitFor();
      assert.match((await who.textContent())!, /^Signed in as .+\(administrator\)/);
    };
    const linkedRow = (text: string) => page.locator('so-linked-user-list [role="row"]', { hasText: text });
    const search = async (list: string, text: string) => {
      await page.locator(`${list} input[type="search"]`).fill(text);
    };
    const select = async (list: string, text: string, add: boolean) => {
      await search(list, text);
      const row = page.locator(`${list} .body [role="row"]`, { hasText: text }).first();
      await row.click({ modifiers: add ? ['Control'] : [] });
    };

    await page.goto(panelUrl);
    await page.locator('so-sync-settings').getByText('Not signed in.').waitFor();
    await shot('01-signed-out');
    await signIn();
    assert.ok(!page.url().includes('sls_'), 'no token in the panel URL');
    // The seeded links are listed.
    await page.locator('so-linked-user-list .body [role="row"]').first().waitFor();
    const seeded = await page.locator('so-linked-user-list .body [role="row"]').count();
    assert.ok(seeded >= 1, 'the seeded links are listed');

    // The popup signs the Microsoft 365 administrator in first (the demo's Kari), then asks for consent.
    const [consent] = await Promise.all([page.waitForEvent('popup'), button('Approve in Microsoft 365').click()]);
    await consent.click(`button[name="user_id"][value="${DEMO_CASES.adminMailboxId}"]`);
    await consent.waitForSelector('button[value="accept"]');
    await consent.click('button[value="accept"]');
    // Connected: the Approve note goes, and the connection is told in the tenant settings (closed now).
    await page.locator('so-sync-settings p[data-ms]', { hasText: /^Connected/ }).waitFor({ state: 'attached' });
    assert.equal(await page.locator('so-sync-settings details[data-tenant-settings]').getAttribute('open'), null, 'the tenant settings close once connected');

    await button('Load External Users').click();
    await page.locator('so-sync-settings [data-for="load"]', { hasText: /^Loaded \d+ users\.$/ }).waitFor();
    const loaded = Number(/\d+/.exec((await page.locator('so-sync-settings [data-for="load"]').textContent())!)![0]);
    assert.ok(loaded >= 70, `loaded ${loaded} mailboxes`);
    await shot('02-loaded');

    // Kari (a mailbox), Nora (no email on her card), Hilde (no mailbox has her email).
    await select('so-associate-list', 'Kari', false);
    await select('so-associate-list', 'Nora', true);
    await select('so-associate-list', 'Hilde', true);
    await search('so-associate-list', '');
    await button('Auto Link Users').click();
    // The review: Kari proposed, Nora and Hilde not linked, with the reason.
    const review = page.locator('so-auto-link-review dialog[open]');
    await review.waitFor();
    assert.match((await review.locator('section[data-category="linked"] li').textContent())!, /Kari .*→.*Primary address/s);
    assert.match((await review.locator('section[data-category="noEmail"] li').textContent())!, /Nora/);
    assert.match((await review.locator('section[data-category="noMatch"] li').textContent())!, /Hilde .*no mailbox has/s);
    await shot('03-auto-link-review');
    await review.getByRole('button', { name: 'Add 1 link' }).click();
    await review.waitFor({ state: 'detached' });
    await page.locator('so-sync-settings [data-unsaved]', { hasText: /^1 unsaved link$/ }).waitFor();
    await shot('03-auto-linked');

    // Link User: Nora (no email on her card) with her mailbox, chosen by hand.
    await select('so-associate-list', 'Nora', false);
    await select('so-mailbox-list', 'nora.lie', false);
    await button('Link User').click();
    await page.locator('so-sync-settings [data-for="linkUser"]', { hasText: /^Linked Nora/ }).waitFor();
    await page.locator('so-sync-settings [data-unsaved]', { hasText: /^2 unsaved links$/ }).waitFor();
    // And again: refused, with the reason.
    await button('Link User').click();
    await page.locator('so-sync-settings [data-for="linkUser"][role="alert"]', { hasText: /already linked/ }).waitFor();

    await button('Save Added Users').click();
    await page.locator('so-sync-settings [data-for="saveAdded"]', { hasText: /^Saved 2 linked users\.$/ }).waitFor();
    await page.locator('so-sync-settings [data-unsaved]', { hasText: /^0 unsaved links$/ }).waitFor();
    // What said "unsaved until Save Added Users" is gone: the Link User messages and the Auto Link summary.
    assert.equal(await page.locator('so-sync-settings [data-for="linkUser"]').count(), 0);
    assert.equal(await page.locator('so-sync-settings [data-for="autoLink"]').count(), 0);
    await shot('04-saved');

    // Reload: the links are persisted.
    await page.reload();
    await stillSignedIn();
    await linkedRow('Kari').first().waitFor();
    await linkedRow('Nora').first().waitFor();
    assert.equal(await page.locator('so-linked-user-list .body [role="row"]').count(), seeded + 2);

    // Options: Kari's Task off and Server Rank 0, which is not a rank. Save Users Options refuses,
    // naming her, and stores nothing (not even Task).
    let kari = linkedRow('Kari').first();
    const typeRank = async (text: string) => {
      await kari.getByRole('spinbutton').click();
      await page.keyboard.press('Control+A');
      await page.keyboard.type(text);
    };
    const rankBefore = await kari.getByRole('spinbutton').inputValue();
    await kari.locator('[data-column="associate"]').click();
    await kari.getByRole('checkbox', { name: /Task/ }).uncheck();
    await typeRank('0');
    await page.keyboard.press('Tab');
    await kari.getByText(RANK_ERROR).waitFor();
    await button('Save Users Options').click();
    const refused = page.locator('so-sync-settings [role="alert"][data-for="saveOptions"]');
    await refused.waitFor();
    assert.match((await refused.textContent())!, /^Nothing was saved: the Server Rank of Kari [^:]+ is not a whole number 1\u2060–\u206099\./);
    assert.equal(await kari.getByRole('spinbutton').inputValue(), '0', 'the typed text stays');
    assert.match((await kari.locator('[data-column="state"]').textContent())!, /Modified/);
    await shot('05-rank-refused');
    await page.reload();
    unloadPrompts--; // the refused edit is unsaved: leaving asks first
    await stillSignedIn();
    kari = linkedRow('Kari').first();
    await kari.waitFor();
    assert.equal(await kari.getByRole('checkbox', { name: /Task/ }).isChecked(), true, 'Task was not stored');
    assert.equal(await kari.getByRole('spinbutton').inputValue(), rankBefore, 'the rank was not stored');

    // Again as a new user would: 0, Tab (refused), back in, select all, 7: the field keeps the 7.
    await kari.locator('[data-column="associate"]').click();
    await kari.getByRole('checkbox', { name: /Task/ }).uncheck();
    await typeRank('0');
    await page.keyboard.press('Tab');
    await kari.getByText(RANK_ERROR).waitFor();
    await typeRank('7');
    assert.equal(await kari.getByRole('spinbutton').inputValue(), '7');
    await kari.getByText(RANK_ERROR).waitFor({ state: 'detached' });
    await page.keyboard.press('Tab');
    assert.equal(await kari.getByRole('spinbutton').inputValue(), '7');
    await page.locator('so-sync-settings [data-unsaved]', { hasText: /1 unsaved option change/ }).waitFor();
    await button('Save Users Options').click();
    await page.locator('so-sync-settings [data-for="saveOptions"]', { hasText: /^Saved the options of 1 linked user\.$/ }).waitFor();
    await shot('06-options-saved');
    await page.reload();
    await stillSignedIn();
    await linkedRow('Kari').first().waitFor();
    assert.equal(await linkedRow('Kari').first().getByRole('checkbox', { name: /Task/ }).isChecked(), false);
    assert.equal(await linkedRow('Kari').first().getByRole('spinbutton').inputValue(), '7');

    // Remove Selected Users: Cancel changes nothing, then confirm.
    await linkedRow('Kari').first().locator('[data-column="associate"]').click();
    await linkedRow('Nora').first().locator('[data-column="associate"]').click({ modifiers: ['Control'] });
    await button('Remove Selected Users').click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    assert.match((await dialog.textContent())!, /2 linked users and the synchronizer's mapping of \d+ items?/);
    assert.match((await dialog.textContent())!, /adding a user again finds them and creates no duplicates/);
    await shot('07-remove-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await page.locator('so-linked-user-list .body [role="row"]').count(), seeded + 2);
    await button('Remove Selected Users').click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
    await page.locator('so-sync-settings [data-for="remove"]', { hasText: /^Removed 2 linked users/ }).waitFor();
    await page.reload();
    await stillSignedIn();
    await page.locator('so-linked-user-list .body [role="row"]').first().waitFor();
    assert.equal(await page.locator('so-linked-user-list .body [role="row"]').count(), seeded);
    assert.equal(await linkedRow('Kari').count(), 0);
    await shot('08-removed');

    assert.equal(await alerts.count(), 0, (await alerts.allTextContents()).join(' | '));
    assert.equal(unloadPrompts, 0, 'nothing unsaved when reloading, but for the refused rank');
    assert.deepEqual(consoleErrors, []);
    await context.close();
  });
});
