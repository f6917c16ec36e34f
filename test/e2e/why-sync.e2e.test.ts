import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO_CASES, DEMO_CONTEXT_ID } from '../../simulators/demo-tenant.js';
import { adminPanel, demoInBrowser, openTool } from '../helpers/demo-browser.js';

/**
 * "Why didn't this sync?" in the demo: the administrator approves Microsoft 365, opens the
 * Administrator tools, picks a linked user and today's date, presses Explain and reads the
 * engine's answer for each item in words (or that nothing was found that day); then asks about
 * two CRM persons by name as Contacts: Ingrid's own, and one whose "Our contact" is someone else.
 */
describe("Why didn't this sync? in the demo", () => {
  const demo = demoInBrowser();

  test('the administrator explains a linked user\'s day from the Tools', { timeout: 120_000 }, async () => {
    const { context, page } = await adminPanel(demo, { consent: true });
    await page.locator('so-linked-user-list .body [role="row"]', { hasText: 'Ingrid Haugen' }).waitFor();

    await openTool(page, "Why didn't this sync?");
    const tool = page.locator('so-why-sync');
    const user = tool.getByLabel('Linked user');
    await tool.locator('select[name="link"] option', { hasText: 'Ingrid Haugen' }).waitFor({ state: 'attached' });
    const value = await tool.locator('select[name="link"] option', { hasText: 'Ingrid Haugen' }).getAttribute('value');
    await user.selectOption(value!);
    await tool.getByLabel('Date').fill(new Date().toISOString().slice(0, 10));
    await tool.getByRole('button', { name: 'Explain', exact: true }).click();
    const rows = tool.locator('tbody tr');
    const none = tool.locator('[role="status"]', { hasText: 'No items found on that day or with that subject.' });
    await rows.first().or(none).waitFor({ timeout: 60_000 });
    assert.equal(await tool.locator('[role="alert"]').count(), 0, `no refusal: ${await tool.locator('[role="alert"]').allTextContents()}`);
    const words = ['In sync', 'Syncs on the next pass', 'Outside the sync window', 'Kind turned off', 'A type that does not sync', 'Not one of ours', 'Deleted', 'Conflict decided', 'Error', 'Stopped by the circuit breaker', 'No longer linked to its copy'];
    for (const verdict of await rows.locator('.verdict').allTextContents()) assert.ok(words.includes(verdict), `a verdict in words: ${verdict}`);
    assert.ok((await rows.count()) > 0 || (await none.count()) === 1);

    // Contacts, by name: a CRM user makes two persons, one with Ingrid as "Our contact".
    const person = async (firstname: string, associateId: number) => {
      const res = await context.request.post(`${demo.server.simulators.superoffice}/__sim/persons?ctx=${DEMO_CONTEXT_ID}&as=${associateId}`, { data: { firstname, lastname: 'Quernstad', associateId } });
      assert.equal(res.status(), 200, await res.text());
    };
    await person('Mine', DEMO_CASES.caseOnlyAssociateId);
    await person('Theirs', DEMO_CASES.retiredAssociateId);
    await tool.locator('select[name="kind"]').selectOption('contact');
    await tool.locator('input[name="date"]').fill('');
    await tool.locator('input[name="subject"]').fill('Quernstad');
    await tool.getByRole('button', { name: 'Explain', exact: true }).click();
    const contact = (name: string) => tool.locator('tbody tr', { hasText: `${name} Quernstad` });
    await contact('Theirs').waitFor({ timeout: 60_000 });
    assert.equal(await tool.locator('tbody tr').count(), 2, await tool.locator('tbody').innerText());
    // Ingrid's own: whatever her Contact sync's state is now (it may still be catching up after the consent), in words.
    assert.ok(words.includes(await contact('Mine').locator('.verdict').innerText()), await contact('Mine').innerText());
    assert.equal(await contact('Theirs').locator('.verdict').innerText(), 'A type that does not sync');
    assert.match(await contact('Theirs').innerText(), /Another user is the person's "Our contact"/);
    assert.match(await contact('Theirs').innerText(), /\(Contact\)/);
    await context.close();
  });
});
