// Bundles the web panel: panel/src/index.ts → panel/dist/panel.js (minified ESM with a source
// map) and prints its size, raw and gzipped. The budget for the initial JavaScript is
// 80 KB gzipped. It also copies panel/index.html (the page SuperOffice's web panel opens) to
// panel/dist/index.html, from which on the backend serves the real panel at /panel/.
import { build } from 'esbuild';
import { copyFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'panel/dist/panel.js');
const BUDGET_KB = 80;

await build({
  absWorkingDir: root,
  entryPoints: ['panel/src/index.ts'],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  tsconfig: 'panel/tsconfig.json',
  // Lit's production build: no dev-mode warnings or checks.
  conditions: ['production'],
  logLevel: 'warning',
});

copyFileSync(join(root, 'panel/index.html'), join(root, 'panel/dist/index.html'));

const code = readFileSync(outfile);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const gzipped = gzipSync(code, { level: 9 }).length;
console.log(`panel/dist/panel.js: ${kb(code.length)}, ${kb(gzipped)} gzipped (budget ${BUDGET_KB} KB)`);
if (gzipped > BUDGET_KB * 1024) {
  console.error(`The panel's initial JavaScript is over its ${BUDGET_KB} KB gzipped budget.`);
  process.exit(1);
}
