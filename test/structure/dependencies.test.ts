import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * Every package in package.json earns its place: a runtime dependency is imported by the product
 * (or is the peer another one requires), a development dependency by the tests, the build or the
 * bench (or is a command an npm script runs, or the types of a package in use), and the backend
 * imports nothing that `npm ci --omit=dev` leaves out.
 */
// Runs as dist/test/structure/dependencies.test.js: the repository is three levels up.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name);
    if (['node_modules', 'dist'].includes(name)) continue;
    if (statSync(join(root, path)).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mjs|js)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The packages a file imports (`@scope/name` or `name`), as the TypeScript compiler reads its imports; Node's own modules left out. */
function packagesOf(file: string): Set<string> {
  const found = new Set<string>();
  for (const { fileName: spec } of ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true).importedFiles) {
    if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]!)) continue;
    const parts = spec.split('/');
    found.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
  }
  return found;
}

function importers(files: string[]): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const file of files) for (const p of packagesOf(file)) by.set(p, [...(by.get(p) ?? []), file]);
  return by;
}

const isTest = (f: string) => /\.test\.ts$/.test(f) || f.includes('/test-support/');
const rootConfigs = readdirSync(root).filter((f) => /\.(mjs|js)$/.test(f));
// The simulators ship with the product: `npm start` runs the demo against them.
const product = importers([...sourceFiles('backend'), ...sourceFiles('simulators'), ...sourceFiles('panel/src').filter((f) => !isTest(f)), ...sourceFiles('scripts')]);
const everything = importers([...sourceFiles('backend'), ...sourceFiles('simulators'), ...sourceFiles('panel/src'), ...sourceFiles('scripts'), ...sourceFiles('test'), ...sourceFiles('bench'), ...rootConfigs]);

function peersOf(name: string): string[] {
  const manifest = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { peerDependencies?: Record<string, string> };
  return Object.keys(manifest.peerDependencies ?? {});
}

describe('package.json declares only what is used', () => {
  test('every runtime dependency is imported by the product, or is a peer one of them requires', () => {
    const peers = new Set([...product.keys()].filter((p) => p in pkg.dependencies).flatMap(peersOf));
    const unused = Object.keys(pkg.dependencies).filter((d) => !product.has(d) && !peers.has(d));
    assert.deepEqual(unused, [], `declared in "dependencies" but imported by nothing in backend/, simulators/, panel/src/ or scripts/: ${unused.join(', ')}`);
  });

  test('every development dependency is imported, run by an npm script, or types a package in use', () => {
    const commands = Object.values(pkg.scripts).join(' ');
    const bins = (name: string) => {
      const manifest = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
      return typeof manifest.bin === 'string' ? [name.split('/').pop()!] : Object.keys(manifest.bin ?? {});
    };
    const used = (d: string) => {
      if (everything.has(d)) return true;
      if (bins(d).some((b) => new RegExp(`(^|[\\s&;(])${b}(\\s|$)`).test(commands))) return true;
      const typed = /^@types\/(.+)$/.exec(d)?.[1];
      if (typed === 'node') return true;
      // @types/foo__bar types @foo/bar.
      return typed !== undefined && everything.has(typed.includes('__') ? `@${typed.replace('__', '/')}` : typed);
    };
    const unused = Object.keys(pkg.devDependencies).filter((d) => !used(d));
    assert.deepEqual(unused, [], `declared in "devDependencies" but used by nothing: ${unused.join(', ')}`);
  });

  test('every package the code imports is declared, and the backend needs no development dependency', () => {
    const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)]);
    const undeclared = [...everything].filter(([p]) => !declared.has(p)).map(([p, files]) => `${p} (${files.map((f) => relative('.', f)).join(', ')})`);
    assert.deepEqual(undeclared, [], 'imported but not in package.json');
    const backendDev = [...importers(sourceFiles('backend'))].filter(([p]) => !(p in pkg.dependencies)).map(([p, files]) => `${p} (${files.join(', ')})`);
    assert.deepEqual(backendDev, [], 'the backend imports a development dependency, which `npm ci --omit=dev` would not install');
  });
});
