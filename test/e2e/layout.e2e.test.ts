import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { DEMO_CASES } from '../../simulators/demo-tenant.js';
import { launchChromium } from '../helpers/browser.js';
import { startDemoServer, type DemoServer } from '../helpers/demo-server.js';
import { checkLayout, installAxe, settled } from '../helpers/layout-check.js';

/** Screenshots (ignored by git): test/artifacts/layout/ in the source tree. */
const ARTIFACTS = fileURLToPath(new URL('../../../test/artifacts/layout/', import.meta.url));
/** SuperOffice's usual web panel size, and a wide screen. */
const SIZES = [
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
] as const;
const TEXT = {
  en: { signIn: 'Sign in with SuperOffice', approve: 'Approve in Microsoft 365', loaded: /^Loaded \d+ users\.$/, settings: 'Tenant settings' },
  nb: { signIn: 'Logg på med SuperOffice', approve: 'Godkjenn i Microsoft 365', loaded: /^Lastet \d+ brukere\.$/, settings: 'Innstillinger for kunden' },
} as const;

/**
 * The demo's panel as an administrator sees it once loaded (associates, the Microsoft 365
 * mailboxes, saved and unsaved links, a message), at 1024×700 and 1440×900, in English and
 * Norwegian: screenshots for a person to look at, and the checks a person would make — no
 * column header overlaps another, no text is cut off without a way to read it, axe-core clean.
 */
describe('the panel layout in Chromium', () => {
  let server: DemoServer;
  let browser: Browser;

  before(async () => {
    server = await startDemoServer();
    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const lang of ['en', 'nb'] as const) {
    test(`loaded, in ${lang}, at ${SIZES.map((s) => `${s.width}×${s.height}`).join(' and ')}`, { timeout: 120_000 }, async () => {
      const t = TEXT[lang];
      const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: SIZES[0] });
      await installAxe(context);
      const page = await context.newPage();
      const button = (name: string) => page.getByRole('button', { name, exact: true });
      await page.goto(server.panelUrl.replace('lang=en', `lang=${lang}`));
      const [popup] = await Promise.all([page.waitForEvent('popup'), button(t.signIn).click()]);
      await popup.locator('button[name="associate_id"][value="1"]').click();
      await page.locator('so-sync-settings [data-tenant-summary]').waitFor();
      // The tenant is approved once (the first language's run); the other finds it connected.
      if (await button(t.approve).count()) {
        const [consent] = await Promise.all([page.waitForEvent('popup'), button(t.approve).click()]);
        await consent.click(`button[name="user_id"][value="${DEMO_CASES.adminMailboxId}"]`);
        await consent.click('button[value="accept"]');
        await button(t.approve).waitFor({ state: 'detached' });
      }
      await button('Load External Users').click();
      await page.locator('so-sync-settings [data-for="load"]', { hasText: t.loaded }).waitFor({ timeout: 30_000 });
      // Unsaved links beside the seeded ones: the first associates, auto linked.
      await page.locator('so-associate-list .body [role="row"]').first().click();
      await page.locator('so-associate-list .body [role="row"]').nth(5).click({ modifiers: ['Shift'] });
      await button('Auto Link Users').click();
      await page.locator('so-sync-settings [data-unsaved]', { hasText: /^[1-9]/ }).waitFor();

      for (const size of SIZES) {
        await page.setViewportSize(size);
        await settled(page);
        const name = `${lang}-${size.width}x${size.height}`;
        await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
        const { layout, axe } = await checkLayout(page);
        assert.deepEqual(layout, [], `${name}: layout`);
        assert.deepEqual(axe, [], `${name}: axe-core`);
        // The workspace comes first: the three lists' titles are on screen, the settings one line below them.
        for (const section of ['associates', 'mailboxes', 'linked']) {
          const title = page.locator(`so-sync-settings section[data-section="${section}"] h2`);
          assert.ok(await title.isVisible(), `${name}: the ${section} title shows`);
          const box = (await title.boundingBox())!;
          assert.ok(box.y + box.height <= size.height, `${name}: the ${section} title is on screen`);
        }
        const settings = (await page.locator('so-sync-settings details[data-tenant-settings] > summary').boundingBox())!;
        assert.ok(settings.y + settings.height <= size.height, `${name}: "${t.settings}" is on screen, closed, below the lists`);
      }

      // The tenant settings opened: still nothing cut off or overlapping, still accessible.
      await page.locator('so-sync-settings details[data-tenant-settings] > summary').click();
      await settled(page);
      await page.screenshot({ path: join(ARTIFACTS, `${lang}-settings-open.png`), fullPage: true });
      const open = await checkLayout(page);
      assert.deepEqual(open.layout, [], 'settings open: layout');
      assert.deepEqual(open.axe, [], 'settings open: axe-core');
      await context.close();
    });
  }

  test('read only (not an administrator), at 1024×700: only the linked users, nothing editable-looking', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: SIZES[0] });
    await installAxe(context);
    const page = await context.newPage();
    await page.goto(server.panelUrl);
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: TEXT.en.signIn, exact: true }).click()]);
    // Associate 3 is not an administrator in the demo tenant.
    assert.ok(!DEMO_CASES.adminAssociateIds.includes(3));
    await popup.locator('button[name="associate_id"][value="3"]').click();
    await page.locator('so-linked-user-list .body [role="row"]').first().waitFor();
    await settled(page);
    await page.screenshot({ path: join(ARTIFACTS, 'en-read-only-1024x700.png') });
    const { layout, axe } = await checkLayout(page);
    assert.deepEqual(layout, [], 'read only: layout');
    assert.deepEqual(axe, [], 'read only: axe-core');
    assert.equal(await page.locator('so-associate-list, so-mailbox-list, so-sync-settings [role="toolbar"]').count(), 0, 'no empty lists, no toolbar');
    const list = (await page.locator('so-linked-user-list').boundingBox())!;
    assert.ok(list.height > 0.5 * SIZES[0].height, `the linked users take the screen (${list.height}px)`);
    const rank = page.locator('so-linked-user-list input.rank').first();
    assert.ok(await rank.isDisabled());
    assert.equal(await rank.evaluate((el) => (globalThis as any).getComputedStyle(el).borderTopColor), 'rgba(0, 0, 0, 0)', 'the disabled rank has no field border');
    await context.close();
  });
});
