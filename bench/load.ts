import { line, LOAD_HISTORY_PER_LINK, LOAD_LINKS, runLoad } from '../test/reliability/load-run.js';

/**
 * Under load: autocannon against the server process (`node backend/main.js`) on 127.0.0.1 with
 * 10,000 links and 100,000 history rows: the list, Save Users Options (5 links a request),
 * the removal preview (100 links), each alone and then all three at once; LOAD_SECONDS each
 * (default 5). Throughput (completed requests per second), p50 and p99 latency, error rate.
 * Throws (the bench exits 1) if any reply was not 2xx or said the wrong thing.
 */
export async function loadBench(): Promise<string[]> {
  const seconds = Number(process.env.LOAD_SECONDS) > 0 ? Number(process.env.LOAD_SECONDS) : 5;
  const report = await runLoad({ seconds });
  const failed = report.phases.reduce((n, p) => n + p.non2xx + p.errors + p.timeouts + p.wrong, 0);
  if (failed > 0 || report.integrity.join() !== 'ok' || report.optionAuditRows !== report.optionChanges) {
    throw new Error(`load: ${failed} failed replies; integrity ${report.integrity.join('; ')}; ${report.optionChanges} changes, ${report.optionAuditRows} audit rows`);
  }
  const total = report.phases.reduce((n, p) => n + p.requests, 0);
  return [
    ...report.phases.map((p) => `load ${line(p)}`),
    `load: ${total.toLocaleString('en')} requests, error rate 0 %, on ${LOAD_LINKS.toLocaleString('en')} links × ${LOAD_HISTORY_PER_LINK} history rows, ${seconds} s per run; ` +
      `${report.optionChanges} options changes = ${report.optionAuditRows} audit rows; server RSS ${report.rssMiB.before.toFixed(0)} → ${report.rssMiB.after.toFixed(0)} MiB`,
  ];
}
