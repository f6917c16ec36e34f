import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { DEMO_CASES } from '../../simulators/demo-tenant.js';
import { demoInBrowser } from '../helpers/demo-browser.js';

const ARTIFACTS = fileURLToPath(new URL('../../../test/artifacts/', import.meta.url));

/**
 * Auto Link Users as a review, in the demo (`npm start`'s process and simulators): the review
 * names how each proposal matched and why others were not linked; what the administrator unticks
 * is not linked, the rest is saved with Save Added Users.
 */
describe('the Auto Link review in the demo', () => {
  const demo = demoInBrowser();

  async function signIn(page: Page): Promise<void> {
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Sign in with SuperOffice', exact: true }).click()]);
    await popup.locator('button[name="associate_id"][value="1"]').click();
    await page.locator('so-sync-settings p[data-who]').waitFor();
  }

  test('Auto Link → review → untick one → add the rest → Save Added Users: the unticked one is not linked', { timeout: 120_000 }, async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const context = await demo.browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1024, height: 700 } });
    const page = await context.newPage();
    page.on('dialog', (d) => void d.accept());
    const button = (name: string) => page.getByRole('button', { name, exact: true });
    const linkedRows = page.locator('so-linked-user-list .body [role="row"]');

    await page.goto(demo.server.panelUrl);
    await signIn(page);
    await linkedRows.first().waitFor();
    const seeded = await linkedRows.count();
    const [consent] = await Promise.all([page.waitForEvent('popup'), button('Approve in Microsoft 365').click()]);
    await consent.click(`button[name="user_id"][value="${DEMO_CASES.adminMailboxId}"]`);
    await consent.click('button[value="accept"]');
    await page.locator('so-sync-settings p[data-ms]', { hasText: /^Connected/ }).waitFor({ state: 'attached' });
    await button('Load External Users').click();
    await page.locator('so-sync-settings [data-for="load"]', { hasText: /^Loaded \d+ users\.$/ }).waitFor();

    // Kari (primary address), Ola (primary address), Per (only an alias), both Jonas Dahls (one seeded).
    const search = (text: string) => page.locator('so-associate-list input[type="search"]').fill(text);
    let first = true;
    for (const name of ['Kari', 'Ola', 'Per Olsen', 'Jonas']) {
      await search(name);
      const rows = page.locator('so-associate-list .body [role="row"]', { hasText: name });
      for (let i = 0; i < (await rows.count()); i++) {
        await rows.nth(i).click({ modifiers: first ? [] : ['Control'] });
        first = false;
      }
    }
    await search('');
    await button('Auto Link Users').click();

    const review = page.locator('so-auto-link-review dialog[open]');
    await review.waitFor();
    const proposal = (name: string) => review.locator('section[data-category="linked"] li', { hasText: name });
    assert.match((await proposal('Per Olsen').textContent())!, /per\.olsen@nordlys\.example.*Alias per@nordlys\.example: check/s);
    assert.equal(await proposal('Per Olsen').getAttribute('data-matched-by'), 'alias');
    assert.match((await proposal('Kari').textContent())!, /Primary address/);
    assert.match((await proposal('Ola').textContent())!, /Primary address/);
    // The Jonas without a link is told whose link his mailbox is in.
    const jonas = (await review.locator('section[data-category="alreadyLinked"] li').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
    assert.ok(
      jonas.some((t) => /^Jonas Dahl — mailbox jonas\.dahl@nordlys\.example is linked to Jonas Dahl \(#\d+\)$/.test(t)),
      `already linked names the other side: ${jonas.join(' | ')}`,
    );
    assert.match((await review.locator('[data-proposed]').textContent())!, /^3 links proposed, 3 ticked\. 1 was matched by alias or UPN/);
    // Counts above the list, the list scrolls inside the dialog, Add on screen.
    await review.locator('.counts li[data-count="alreadyLinked"]').waitFor();
    const box = (await review.boundingBox())!;
    assert.ok(box.y >= 0 && box.y + box.height <= 700, 'the dialog fits the 1024×700 panel');
    await page.screenshot({ path: join(ARTIFACTS, 'auto-link-review.png') });

    await proposal('Ola').getByRole('checkbox').uncheck();
    await review.getByRole('button', { name: 'Add 2 links' }).click();
    await review.waitFor({ state: 'detached' });
    await page.locator('so-sync-settings [data-for="autoLink"]', { hasText: 'Auto Link Users: 2 links added (unsaved until Save Added Users); 1 left out.' }).waitFor();
    await page.locator('so-sync-settings [data-unsaved]', { hasText: /^2 unsaved links$/ }).waitFor();
    await button('Save Added Users').click();
    await page.locator('so-sync-settings [data-for="saveAdded"]', { hasText: /^Saved 2 linked users\.$/ }).waitFor();

    // What the server has: Kari and Per linked, Ola not.
    await page.reload(); // the tab's session lasts the reload: no new sign-in
    await page.locator('so-sync-settings [data-who]', { hasText: /^Signed in as / }).waitFor();
    await page.locator('so-linked-user-list .body [role="row"]', { hasText: 'Per Olsen' }).waitFor();
    assert.equal(await linkedRows.count(), seeded + 2);
    await page.locator('so-linked-user-list .body [role="row"]', { hasText: 'Kari Nordmann' }).waitFor();
    assert.equal(await page.locator('so-linked-user-list .body [role="row"]', { hasText: 'Ola Nordmann' }).count(), 0, 'the unticked one is not linked');
    await context.close();
  });
});
