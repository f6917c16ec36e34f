import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * The test layout the README states (section "Tests"), checked against the tree:
 * - Node tests (`node:test`, run from dist/ by `node --test dist/test/`) live under `test/`, in the
 *   folder that mirrors the code they test: `test/backend/links/` tests `backend/links/`,
 *   `test/scripts/` tests `scripts/`, and `test/panel/<folder>/` tests `panel/src/<folder>/` (the
 *   panel's logic, which runs in Node too). Tests of the whole system have their own folders.
 * - Component tests of the panel run in Chromium and sit beside their element, as material-web and
 *   Shoelace keep them: `panel/src/<element>/<name>.test.ts` next to `<name>.ts`.
 */
// Runs as dist/test/structure/layout.test.js: the repository is three levels up.
const root = fileURLToPath(new URL('../../../', import.meta.url));
/** Folders of test/ that test the system as a whole rather than one folder of code. */
const SYSTEM_FOLDERS = ['e2e', 'security', 'reliability', 'structure', 'helpers'];

const isDir = (path: string) => statSync(join(root, path)).isDirectory();
/**
 * The files and folders below `dir` that belong to the repository: what git tracks or would track
 * (test/artifacts/, the e2e screenshots, is ignored). Without git, every file on disk.
 */
function walk(dir: string): string[] {
  let files: string[];
  try {
    files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', dir], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f !== '' && existsSync(join(root, f)));
  } catch {
    const onDisk = (d: string): string[] => readdirSync(join(root, d)).flatMap((n) => (isDir(`${d}/${n}`) ? onDisk(`${d}/${n}`) : [`${d}/${n}`]));
    files = onDisk(dir);
  }
  const folders = new Set(files.flatMap((f) => f.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
  return [...[...folders].filter((f) => f.startsWith(`${dir}/`)), ...files].sort();
}
const testTree = walk('test');
const panelTree = walk('panel/src');

/** The source folder a folder of test/ mirrors, or null for the system-wide ones. */
function mirrored(folder: string): string | null {
  const [, top, ...rest] = folder.split('/');
  if (SYSTEM_FOLDERS.includes(top!)) return null;
  return top === 'panel' ? ['panel/src', ...rest].join('/') : [top, ...rest].join('/');
}

describe('the test layout the README states', () => {
  test('every folder of test/ mirrors a folder of code, or is one of the system-wide ones', () => {
    const folders = testTree.filter(isDir);
    const strays = folders.filter((f) => {
      const source = mirrored(f);
      return source !== null && !(existsSync(join(root, source)) && isDir(source));
    });
    assert.deepEqual(strays, [], 'folders of test/ with no folder of code of the same path (test/panel/x mirrors panel/src/x)');
    const loose = testTree.filter((f) => !isDir(f) && f.split('/').length === 2);
    assert.deepEqual(loose, [], 'every test sits in a folder');
  });

  test('Node tests are under test/ only, and each uses node:test', () => {
    const elsewhere = ['backend', 'scripts', 'bench', 'manifest', 'panel/src/logic']
      .flatMap((dir) => walk(dir))
      .filter((f) => f.endsWith('.test.ts'));
    assert.deepEqual(elsewhere, [], 'tests outside test/ (panel/src/logic runs in Node: its tests go to test/panel/logic/)');
    for (const file of testTree.filter((f) => f.endsWith('.test.ts'))) {
      assert.match(readFileSync(join(root, file), 'utf8'), /from 'node:test'/, `${file} is run by node --test`);
    }
  });

  test('component tests of the panel sit beside the element file they test and run in the browser', () => {
    const tests = panelTree.filter((f) => f.endsWith('.test.ts'));
    assert.ok(tests.length >= 10);
    for (const file of tests) {
      assert.ok(existsSync(join(root, file.replace(/\.test\.ts$/, '.ts'))), `${file} sits beside ${file.replace(/\.test\.ts$/, '.ts')}`);
      assert.doesNotMatch(readFileSync(join(root, file), 'utf8'), /from 'node:/, `${file} runs in Chromium, not Node`);
    }
    const runner = readFileSync(join(root, 'web-test-runner.config.mjs'), 'utf8');
    assert.match(runner, /files: \['panel\/src\/\*\*\/\*\.test\.ts'\]/, 'the browser runner runs exactly those');
  });

  test("the README's Tests section names every folder of test/ and where component tests are", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const start = readme.indexOf('\n## Tests');
    assert.ok(start >= 0, 'a "## Tests" section');
    const end = readme.indexOf('\n## ', start + 1);
    const section = readme.slice(start, end < 0 ? undefined : end);
    const top = testTree.filter((f) => isDir(f) && f.split('/').length === 2).map((f) => f.split('/')[1]!);
    const unnamed = top.filter((name) => !section.includes(`test/${name}/`));
    assert.deepEqual(unnamed, [], 'folders of test/ the README does not mention');
    assert.match(section, /beside their element/, 'the README says where component tests are');
  });
});
