import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MANIFEST_FILE } from '../../../backend/deploy/manifest.js';
import { demoTenant } from '../../../simulators/demo-tenant.js';
import { startSuperOfficeSimulator, type SuperOfficeSimulator } from '../../../simulators/superoffice/superoffice.simulator.js';
import { systemTokenFor } from '../../../simulators/superoffice/system-user.routes.js';

const CLI = fileURLToPath(new URL('../../../scripts/deploy.js', import.meta.url));
const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const APP = { clientId: 'mailbox-link-cli', clientSecret: 'cli-app-token', redirectUris: ['https://app.example.com/auth/superoffice/callback'], appName: 'Mailbox Link', systemUserPublicKey: keys.publicKey };

function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', DEMO: 'false', ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('the deploy command line (npm run deploy)', () => {
  let sim: SuperOfficeSimulator;
  const tenant = demoTenant('demo');
  const dir = mkdtempSync(join(tmpdir(), 'deploy-cli-'));
  const keyFile = join(dir, 'system-user.key');
  let env: Record<string, string>;
  before(async () => {
    sim = await startSuperOfficeSimulator({ tenant, clients: [APP] });
    writeFileSync(keyFile, keys.privateKey, { mode: 0o600 });
    env = {
      SUPEROFFICE_URL: sim.url,
      SUPEROFFICE_SYSTEM_TOKEN: systemTokenFor(APP, tenant.contextId),
      SUPEROFFICE_PRIVATE_KEY_FILE: keyFile,
      SUPEROFFICE_CLIENT_SECRET: APP.clientSecret,
      PUBLIC_URL: 'https://mailbox-link.example.com',
    };
  });
  after(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('dry run, deploy, second run: plan printed, then applied, then nothing to change', async () => {
    const dry = await run(['--tenant', tenant.contextId, '--dry-run'], env);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /Mailbox Link 1\.0\.0 → Cust12345 \(base URL https:\/\/mailbox-link\.example\.com\) — dry run/);
    assert.match(dry.stdout, /create {4}mailboxlink\.settings \(BrowserPanel, https:\/\/mailbox-link\.example\.com\/panel\/\?ctx=<uctx>&uid=<usid>&lang=<lani>\)/);
    assert.match(dry.stdout, /4 change\(s\) planned/);
    assert.equal(sim.control.webPanels(tenant.contextId).length, 0);

    const real = await run(['--tenant', tenant.contextId], env);
    assert.equal(real.code, 0, real.stderr);
    assert.match(real.stdout, /Done: 4 change\(s\) applied\./);
    assert.equal(sim.control.webPanels(tenant.contextId).length, 2);

    const again = await run(['--tenant', tenant.contextId], env);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /unchanged mailboxlink\.settings[\s\S]*Nothing to change\./);

    const removed = await run(['--tenant', tenant.contextId, '--uninstall'], env);
    assert.equal(removed.code, 0, removed.stderr);
    assert.ok(sim.control.webPanels(tenant.contextId).every((p) => p.entity.Deleted));
  });

  test('a broken manifest exits 2 naming the JSON path; bad usage exits 2; a half-way failure exits 1 and says to run again', async () => {
    const m = JSON.parse(readFileSync(MANIFEST_FILE, 'utf8'));
    m.webPanels[1].visibleIn = 'Settings';
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify(m));
    const bad = await run(['--tenant', tenant.contextId, '--manifest', broken], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /\$\.webPanels\[1\]\.visibleIn: must be one of/);

    const http = await run(['--tenant', tenant.contextId, '--base-url', 'http://mailbox-link.example.com'], env);
    assert.equal(http.code, 2);
    assert.match(http.stderr, /\$\.baseUrl: must use https in production/);

    assert.equal((await run([], env)).code, 2);
    assert.equal((await run(['--tenant', 'Cust 1'], env)).code, 2);
    assert.equal((await run(['--tenant', tenant.contextId, '--frobnicate'], env)).code, 2);
    assert.match((await run(['--help'], env)).stdout, /usage: npm run deploy/);

    sim.control.reset();
    // Let the sign-in and the planning reads through, fail a write.
    sim.control.failNext(5, { status: 500, skip: 8 });
    const failed = await run(['--tenant', tenant.contextId], env);
    assert.equal(failed.code, 1, failed.stdout + failed.stderr);
    assert.match(failed.stderr, /Stopped: .* failed: .*HTTP 500[\s\S]*Run the same command again to finish/);
    sim.control.failNext(0);
    const finished = await run(['--tenant', tenant.contextId], env);
    assert.equal(finished.code, 0, finished.stderr);
    assert.equal(sim.control.webPanels(tenant.contextId).filter((p) => !p.entity.Deleted).length, 2);
    assert.ok(!/cli-app-token|BEGIN PRIVATE KEY/.test(failed.stdout + failed.stderr + finished.stdout), 'no secret printed');
  });
});
