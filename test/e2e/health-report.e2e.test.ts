import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { adminPanel, demoInBrowser } from '../helpers/demo-browser.js';

/**
 * The Health tab against the demo: the administrator approves Microsoft 365, opens Administrator
 * tools, reads the report (grouped by kind), ignores one problem and sees it counted as ignored,
 * then links a user the report proposes and sees that row gone.
 */
describe('health report in the demo', () => {
  const demo = demoInBrowser();

  test('Tools → Health: the report, Ignore, Link', { timeout: 180_000 }, async () => {
    const { context, page, button } = await adminPanel(demo, { consent: true });

    await button('Administrator tools').click();
    const report = page.locator('so-health-report');
    await report.getByRole('heading', { name: 'Health' }).waitFor();
    const groups = report.locator('section[data-kind]');
    await groups.first().waitFor({ timeout: 60_000 });
    assert.ok((await groups.count()) >= 1);
    const matches = report.locator('section[data-kind="unlinked_match"] li');
    const before = await matches.count();
    assert.ok(before >= 2, `unlinked matches shown: ${before}`);

    // Ignore the first: it goes, and the report counts it as ignored.
    const first = matches.first();
    const ignoredKey = await first.getAttribute('data-key');
    await first.getByRole('button', { name: 'Ignore' }).click();
    await report.locator('.meta', { hasText: /1 ignored problem is not shown/ }).waitFor({ timeout: 60_000 });
    assert.equal(await report.locator(`li[data-key="${ignoredKey}"]`).count(), 0);

    // Link the next: it goes too, and the status says it is done.
    const next = matches.first();
    const linkedKey = await next.getAttribute('data-key');
    await next.getByRole('button', { name: 'Link' }).click();
    await report.locator('[role="status"]', { hasText: /^Done: / }).waitFor({ timeout: 60_000 });
    await report.locator(`li[data-key="${linkedKey}"]`).waitFor({ state: 'detached', timeout: 60_000 });
    assert.equal(await matches.count(), before - 2);
    await context.close();
  });
});
