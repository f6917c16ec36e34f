// Bundles the web panel and the invite accept page (minified ESM with source maps, Lit's
// production build) and prints their sizes, raw and gzipped:
// - panel/src/index.ts → panel/dist/panel.js, with panel/index.html → panel/dist/index.html (the
//   page SuperOffice's web panel opens; the backend serves it at /panel/). The budget for
//   its initial JavaScript is 80 KB gzipped.
// - panel/src/accept/index.ts → panel/dist/accept/accept.js, with panel/accept.html →
//   panel/dist/accept/index.html (the Token Authentication Manager's invite accept page, served
//   at /accept/). Only this bundle may contain @azure/msal-browser: the build fails if MSAL ends
//   up in panel.js.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUDGET_KB = 80;

/** @param {string} entry @param {string} outfile */
function bundle(entry, outfile) {
  return build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: join(root, outfile),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    metafile: true,
    tsconfig: 'panel/tsconfig.json',
    // Lit's production build: no dev-mode warnings or checks.
    conditions: ['production'],
    logLevel: 'warning',
  });
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
/** Prints a bundle's size and returns its gzipped byte count. */
function report(outfile, note = '') {
  const code = readFileSync(join(root, outfile));
  const gzipped = gzipSync(code, { level: 9 }).length;
  console.log(`${outfile}: ${kb(code.length)}, ${kb(gzipped)} gzipped${note}`);
  return { code, gzipped };
}

const [panel] = await Promise.all([
  bundle('panel/src/index.ts', 'panel/dist/panel.js'),
  bundle('panel/src/accept/index.ts', 'panel/dist/accept/accept.js'),
]);

copyFileSync(join(root, 'panel/index.html'), join(root, 'panel/dist/index.html'));
mkdirSync(join(root, 'panel/dist/accept'), { recursive: true });
copyFileSync(join(root, 'panel/accept.html'), join(root, 'panel/dist/accept/index.html'));

const panelJs = report('panel/dist/panel.js', ` (budget ${BUDGET_KB} KB)`);
report('panel/dist/accept/accept.js', ' (invite accept page, with MSAL)');

let failed = false;
if (panelJs.gzipped > BUDGET_KB * 1024) {
  console.error(`The panel's initial JavaScript is over its ${BUDGET_KB} KB gzipped budget.`);
  failed = true;
}
// MSAL loads only on the accept page: no module of it in the panel's bundle (the metafile lists
// every input), and none of its tell-tale strings in the output either.
const msalInputs = Object.keys(panel.metafile.inputs).filter((p) => /@azure[\\/]msal-/.test(p));
if (msalInputs.length > 0 || /msal/i.test(panelJs.code.toString('utf8'))) {
  console.error(`panel/dist/panel.js contains MSAL (${msalInputs[0] ?? 'an "msal" string'}); it belongs in accept.js only.`);
  failed = true;
}
if (failed) process.exit(1);
