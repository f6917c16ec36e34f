import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { verifySession } from '../../backend/auth/session.service.js';
import { openStore } from '../../backend/db/store.js';
import { migratedFile } from '../reliability/support.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/issue-session.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mailbox-link-issue-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** `npm run session:issue -- …args` without the build: the script itself, against `file`. */
function issue(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], { env: { ...process.env, DATABASE_URL: `sqlite:${file}`, DEMO: 'false' } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function rows(file: string) {
  const store = openStore(`sqlite:${file}`);
  try {
    return {
      tenants: (await store.db.selectFrom('tenant').select('id').execute()).map((t) => t.id),
      sessions: (await store.db.selectFrom('session').select('token_hash').execute()).length,
    };
  } finally {
    await store.destroy();
  }
}

describe('npm run session:issue', () => {
  test('bad arguments: one clear line and the usage, exit 2, no stack trace, nothing written', async () => {
    const file = join(dir, 'bad.db');
    await migratedFile(file);
    const cases: [string[], RegExp][] = [
      [['--tenant', 'Cust12345', '--associate', '5', '--minutes', '-5'], /--minutes/],
      [['--tenant', 'Cust12345', '--associate', '5', '--minutes=-5'], /--minutes must be a whole number from 1 to 10080/],
      [['--tenant', 'Cust12345', '--associate', '5', '--minutes', '0'], /--minutes/],
      [['--tenant', 'Cust12345', '--associate', '5', '--minutes', 'soon'], /--minutes/],
      [['--tenant', 'Cust12345', '--associate', '5', '--minutes', '99999'], /--minutes/],
      [['--tenant', 'Cust12345', '--associate', 'five'], /--associate/],
      [['--tenant', 'Cust 1; drop', '--associate', '5'], /--tenant/],
      [['--associate', '5'], /--tenant and --associate are required/],
      [['--tenant', 'Cust12345', '--associate', '5', '--bogus'], /bogus/],
    ];
    const results = await Promise.all(cases.map(([args]) => issue(file, args)));
    for (const [i, res] of results.entries()) {
      const what = `${cases[i]![0].join(' ')}: ${res.stderr}`;
      assert.equal(res.code, 2, what);
      assert.match(res.stderr, cases[i]![1], what);
      assert.match(res.stderr, /^usage: npm run session:issue/m, what);
      assert.ok(!/^\s+at /m.test(res.stderr), `a stack trace: ${what}`);
      assert.equal(res.stdout, '', what);
    }
    assert.deepEqual(await rows(file), { tenants: [], sessions: 0 });
  });

  test('an unknown tenant is refused unless --create-tenant asks for it; a known one gets a working session', async () => {
    const file = join(dir, 'tenants.db');
    await migratedFile(file);
    const unknown = await issue(file, ['--tenant', 'Cust99999', '--associate', '5']);
    assert.equal(unknown.code, 2, unknown.stderr);
    assert.match(unknown.stderr, /no tenant Cust99999 .*--create-tenant/);
    assert.deepEqual(await rows(file), { tenants: [], sessions: 0 });

    const created = await issue(file, ['--tenant', 'Cust99999', '--associate', '5', '--admin', '--create-tenant', '--minutes', '30']);
    assert.equal(created.code, 0, created.stderr);
    const again = await issue(file, ['--tenant', 'Cust99999', '--associate', '6', '--name', 'Ulf']);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual((await rows(file)).tenants, ['Cust99999']);
    const store = openStore(`sqlite:${file}`);
    try {
      const session = await verifySession(store, created.stdout.trim());
      assert.equal(session?.isAdmin, true);
      assert.ok(Date.parse(session!.expiresAt) - Date.now() <= 30 * 60_000);
      assert.equal((await verifySession(store, again.stdout.trim()))?.associateName, 'Ulf');
    } finally {
      await store.destroy();
    }
  });
});
