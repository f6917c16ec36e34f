import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The compiled backend (`npm run build` writes it; the tests run from `dist/`). */
export const BACKEND_DIST = fileURLToPath(new URL('../../../backend/', import.meta.url));

export interface ImportEdge {
  /** Both relative to backend/, with `/` separators (`links/link.router.js`). */
  from: string;
  to: string;
  dynamic: boolean;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
  );
}

const STATIC = /^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/gm;
const SIDE_EFFECT = /^\s*import\s*['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

const rel = (file: string) => relative(BACKEND_DIST, file).split(sep).join('/');

/**
 * Every import between the backend's own compiled files. Type-only imports are gone from the
 * JavaScript, so this is the graph Node really loads; imports of packages and of files outside
 * backend/ (the panel's types) are left out.
 */
export function backendImports(): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of walk(BACKEND_DIST)) {
    const text = readFileSync(file, 'utf8');
    const add = (specifier: string, dynamic: boolean) => {
      if (!specifier.startsWith('.')) return;
      const target = resolve(dirname(file), specifier);
      if (!target.startsWith(BACKEND_DIST)) return;
      edges.push({ from: rel(file), to: rel(target), dynamic });
    };
    for (const m of text.matchAll(STATIC)) add(m[1]!, false);
    for (const m of text.matchAll(SIDE_EFFECT)) add(m[1]!, false);
    for (const m of text.matchAll(DYNAMIC)) add(m[1]!, true);
  }
  return edges;
}

/** A file's feature folder (`links`), or the file itself for the top-level ones (`integration.ts`). */
export function folderOf(file: string): string {
  const [first, ...rest] = file.split('/');
  return rest.length > 0 ? first! : first!.replace(/\.js$/, '.ts');
}

/** Strongly connected components with more than one member (Tarjan), each sorted. */
export function cycles(nodes: Iterable<string>, next: (node: string) => Iterable<string>): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    order.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, order.get(w)!));
      }
    }
    if (low.get(v) === order.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of nodes) if (!order.has(v)) visit(v);
  return found.sort((a, b) => a[0]!.localeCompare(b[0]!));
}
