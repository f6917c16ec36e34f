import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';

const MAIN = fileURLToPath(new URL('../../backend/main.js', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * `npm start`'s demo in a real browser: the printed panel URL, the SuperOffice sign-in popup
 * and its postMessage back, Microsoft 365 consent in a popup, Load External Users.
 */
describe('the demo in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailbox-link-e2e-'));
  let server: ChildProcess;
  let output = '';
  let panelUrl = '';
  let browser: Browser;

  before(async () => {
    const port = await freePort();
    server = spawn(process.execPath, [MAIN], {
      env: { ...process.env, DEMO: 'true', PORT: String(port), DATABASE_URL: `sqlite:${join(dir, 'demo.db')}`, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (d) => (output += d));
    server.stderr!.on('data', (d) => (output += d));
    panelUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no panel URL printed:\n${output}`)), 20_000);
      const check = () => {
        const m = /open (http:\/\/localhost:\d+\/panel\/\S+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        } else setTimeout(check, 100);
      };
      check();
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    server?.kill('SIGTERM');
    await new Promise((r) => server?.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  });

  test('sign in, approve Microsoft 365, load both directories', { timeout: 60_000 }, async () => {
    // The simulators' certificate is generated at start-up; this browser is told to accept it.
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1024, height: 700 } });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(panelUrl);
    assert.equal(await page.textContent('#who'), 'Not signed in.');

    const [signIn] = await Promise.all([page.waitForEvent('popup'), page.click('#sign-in')]);
    await signIn.waitForLoadState();
    assert.match(await signIn.title(), /SuperOffice/i);
    // Associate 1 is an administrator in the demo tenant.
    await signIn.locator('button[name="associate_id"][value="1"]').click();
    await page.locator('#who', { hasText: /^Signed in as/ }).waitFor();
    assert.match((await page.textContent('#who'))!, /\(administrator\)/);
    assert.ok(!page.url().includes('sls_'), 'no token in the panel URL');
    await page.locator('#n-links', { hasText: /^\d+$/ }).waitFor();
    assert.ok(Number(await page.textContent('#n-links')) > 0, 'the seeded links are listed');

    const [consent] = await Promise.all([page.waitForEvent('popup'), page.click('#consent')]);
    await consent.waitForSelector('button[value="accept"]');
    await consent.click('button[value="accept"]');
    await page.locator('#ms-state', { hasText: /^Connected/ }).waitFor();

    await page.click('#load-associates');
    await page.locator('#n-assoc', { hasText: /^\d+$/ }).waitFor();
    assert.ok(Number(await page.textContent('#n-assoc')) >= 50);
    await page.click('#load-mailboxes');
    await page.locator('#n-mail', { hasText: /^\d+$/ }).waitFor();
    assert.ok(Number(await page.textContent('#n-mail')) >= 70);
    assert.equal(await page.isVisible('#error'), false, await page.textContent('#error') ?? '');
    assert.deepEqual(consoleErrors, []);
    await context.close();
  });
});
