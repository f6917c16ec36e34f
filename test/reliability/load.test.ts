import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { LOAD_LINKS, runLoad } from './load-run.js';
import { killAll, seconds } from './support.js';

/**
 * Load: autocannon against the real server process on 127.0.0.1 with 10,000 links and 100,000
 * history rows (see load-run.ts): the list, Save Users Options on small batches, the removal
 * preview, each alone and then all at once. Not one reply may be non-2xx, time out, fail to
 * connect or say the wrong thing; afterwards the database passes its integrity check and holds
 * one audit row per options change.
 *
 * Each of the four runs lasts LOAD_SECONDS (default 3). Soak: SOAK_SECONDS=600 makes the four
 * runs last ten minutes in all (150 s each), e.g.
 *   SOAK_SECONDS=600 node --test --test-timeout=0 dist/test/reliability/load.test.js
 */
const SOAK = seconds('SOAK_SECONDS', 0);
const SECONDS = SOAK ? SOAK / 4 : seconds('LOAD_SECONDS', 3);

after(killAll);

test(`under load (${SECONDS} s per run${SOAK ? `, soak of ${SOAK} s` : ''}): every reply 2xx and right, nothing lost`, { timeout: (SECONDS * 4 + 180) * 1000 }, async (t) => {
  const started = performance.now();
  const report = await runLoad({ seconds: SECONDS, log: (line) => t.diagnostic(line) });
  for (const p of report.phases) {
    assert.ok(p.requests > 0, `${p.name}: no request completed`);
    assert.equal(p.non2xx, 0, `${p.name}: ${p.non2xx} non-2xx replies`);
    assert.equal(p.errors, 0, `${p.name}: ${p.errors} connection errors`);
    assert.equal(p.timeouts, 0, `${p.name}: ${p.timeouts} timeouts`);
    assert.equal(p.wrong, 0, `${p.name}: ${p.wrong} replies said the wrong thing`);
  }
  assert.deepEqual(report.integrity, ['ok']);
  assert.ok(report.optionChanges > 0);
  assert.equal(report.optionAuditRows, report.optionChanges, 'one audit row per options change');
  const total = report.phases.reduce((n, p) => n + p.requests, 0);
  t.diagnostic(
    `${total} requests, error rate 0; ${report.optionChanges} options changes on ${LOAD_LINKS.toLocaleString('en')} links, ` +
      `${report.optionAuditRows} audit rows; server RSS ${report.rssMiB.before.toFixed(0)} → ${report.rssMiB.after.toFixed(0)} MiB; ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s in all`,
  );
});
