/**
 * Loaded into the sync worker process the bench starts (`node --import …/heap-probe.js`): samples
 * its memory every 100 ms and keeps the peaks in BENCH_MEMORY_FILE (JSON, rewritten at most once a
 * second while a peak rises, and at exit), so the bench can read the worker's peak RSS and heap
 * without touching product code.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_MEMORY_FILE;
if (file) {
  const peak = { rss: 0, heapUsed: 0, heapTotal: 0, samples: 0 };
  let written = 0;
  let dirty = false;
  const save = () => {
    writeFileSync(file, JSON.stringify(peak));
    written = Date.now();
    dirty = false;
  };
  const sample = () => {
    const m = process.memoryUsage();
    peak.samples += 1;
    if (m.rss > peak.rss || m.heapUsed > peak.heapUsed || m.heapTotal > peak.heapTotal) {
      peak.rss = Math.max(peak.rss, m.rss);
      peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
      peak.heapTotal = Math.max(peak.heapTotal, m.heapTotal);
      dirty = true;
    }
    if (dirty && Date.now() - written >= 1000) save();
  };
  sample();
  save();
  setInterval(sample, 100).unref();
  process.on('exit', () => dirty && save());
}
