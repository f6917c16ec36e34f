// Bundles the web panel and the invite accept page (minified ESM with source maps, Lit's
// production build) and prints their sizes, raw and gzipped:
// - panel/src/index.ts → panel/dist/panel.[hash].js, with panel/index.html → panel/dist/index.html
//   (the page SuperOffice's web panel opens; the backend serves it at /panel/). The budget
//   for its initial JavaScript is 80 KB gzipped.
// - panel/src/accept/index.ts → panel/dist/accept/accept.[hash].js, with panel/accept.html →
//   panel/dist/accept/index.html (the Token Authentication Manager's invite accept page, served
//   at /accept/). Neither bundle carries a sign-in library: the panel's sign-in runs in the
//   backend's popups, and the accept page only navigates to Microsoft (the backend redeems the
//   code). The build fails if MSAL ends up in either.
// Each bundle's name carries a hash of its content (so browsers may keep it for a year) and comes
// with precompressed .br and .gz siblings; the pages name the hashed files, and
// panel/dist/manifest.json maps each logical name (`panel.js`, `accept/accept.js`) to its file.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUDGET_KB = 80;

const DIST = join(root, 'panel/dist');

/** @param {string} name @param {string} entry @param {string} outdir */
function bundle(name, entry, outdir, splitting = false) {
  return build({
    // The panel's administrator tools load on first use: their code is split into chunks.
    splitting,
    chunkNames: 'chunks/[name].[hash]',
    absWorkingDir: root,
    entryPoints: { [name]: entry },
    outdir: join(root, outdir),
    entryNames: '[name].[hash]',
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

// Old hashed bundles would pile up otherwise.
rmSync(DIST, { recursive: true, force: true });
const [panel, accept] = await Promise.all([
  bundle('panel', 'panel/src/index.ts', 'panel/dist', true),
  bundle('accept', 'panel/src/accept/index.ts', 'panel/dist/accept'),
]);

/** The bundle's JavaScript file, relative to panel/dist/ (`accept/accept.4XK2…js`). */
const entryOf = (result, entry) => Object.keys(result.metafile.outputs).find((f) => result.metafile.outputs[f].entryPoint === entry);
const outputOf = (result, entry) => relative(DIST, join(root, entryOf(result, entry)));
const manifest = { 'panel.js': outputOf(panel, 'panel/src/index.ts'), 'accept/accept.js': outputOf(accept, 'panel/src/accept/index.ts') };
// The panel's chunks (hashed too), by their own names: `chunks/admin-tools.4XK2….js` (loaded on
// first use) and the code they share with the entry.
const chunks = Object.keys(panel.metafile.outputs).filter((f) => f.endsWith('.js') && f !== entryOf(panel, 'panel/src/index.ts'));
for (const f of chunks) manifest[relative(DIST, join(root, f))] = relative(DIST, join(root, f));

// Precompressed siblings: the backend sends the one the browser accepts, no work per request.
for (const file of Object.values(manifest)) {
  const code = readFileSync(join(DIST, file));
  writeFileSync(join(DIST, `${file}.br`), brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  writeFileSync(join(DIST, `${file}.gz`), gzipSync(code, { level: 9 }));
}
writeFileSync(join(DIST, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

/** Copies a page, pointing its script at the hashed bundle (the page's own src is the logical name). */
function page(from, to, logical, dir = '') {
  const html = readFileSync(join(root, from), 'utf8');
  const hashed = manifest[logical].slice(dir.length);
  const name = logical.slice(dir.length);
  const out = html.replace(`src="${name}"`, `src="${hashed}"`).replace(`src="./${name}"`, `src="./${hashed}"`);
  if (out === html) throw new Error(`${from} does not load ${name}`);
  mkdirSync(dirname(join(DIST, to)), { recursive: true });
  writeFileSync(join(DIST, to), out);
}
page('panel/index.html', 'index.html', 'panel.js');
page('panel/accept.html', 'accept/index.html', 'accept/accept.js', 'accept/');

// The initial JavaScript: the entry and the chunks it imports statically (not those it loads on use).
const initial = new Set();
const visit = (f) => {
  if (initial.has(f)) return;
  initial.add(f);
  for (const i of panel.metafile.outputs[f].imports) if (i.kind === 'import-statement') visit(i.path);
};
visit(entryOf(panel, 'panel/src/index.ts'));
for (const f of chunks) if (!initial.has(f)) report(f, ' (loaded on first use)');
const panelJs = [...initial].map((f) => report(f, initial.size > 1 ? ' (initial)' : ` (budget ${BUDGET_KB} KB)`)).reduce((a, b) => ({ code: Buffer.concat([a.code, b.code]), gzipped: a.gzipped + b.gzipped }));
if (initial.size > 1) console.log(`panel initial JavaScript: ${kb(panelJs.gzipped)} gzipped (budget ${BUDGET_KB} KB)`);
const acceptJs = report(`panel/dist/${manifest['accept/accept.js']}`, ' (invite accept page)');

let failed = false;
if (panelJs.gzipped > BUDGET_KB * 1024) {
  console.error(`The panel's initial JavaScript is over its ${BUDGET_KB} KB gzipped budget.`);
  failed = true;
}
// No MSAL anywhere: no module of it in either bundle (the metafiles list every input), and none
// of its tell-tale strings in the output either.
for (const [name, result, js] of [['panel.js', panel, panelJs], ['accept/accept.js', accept, acceptJs]]) {
  const msalInputs = Object.keys(result.metafile.inputs).filter((p) => /@azure[\\/]msal-/.test(p));
  if (msalInputs.length > 0 || /msal/i.test(js.code.toString('utf8'))) {
    console.error(`panel/dist/${manifest[name]} contains MSAL (${msalInputs[0] ?? 'an "msal" string'}); no bundle needs it.`);
    failed = true;
  }
}
if (failed) process.exit(1);
