import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The compiled tree (`npm run build` writes it; the tests run from `dist/`). */
const DIST = fileURLToPath(new URL('../../', import.meta.url));
/** The folders of server code read, relative to the repository (the simulators wherever they live). */
const ROOTS = ['backend', 'simulators'];

export interface ImportEdge {
  /** Both relative to the repository, with `/` separators (`backend/links/link.router.js`). */
  from: string;
  to: string;
  dynamic: boolean;
}

const compiled = () => ROOTS.map((r) => join(DIST, r)).filter((dir) => existsSync(dir)).flatMap(walk);

/** Every compiled server file, relative to the repository (`backend/links/link.router.js`), with its text. */
export function serverFiles(): { file: string; text: string }[] {
  return compiled().map((file) => ({ file: rel(file), text: readFileSync(file, 'utf8') }));
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
  );
}

const STATIC = /^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/gm;
const SIDE_EFFECT = /^\s*import\s*['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

const rel = (file: string) => relative(DIST, file).split(sep).join('/');

/**
 * Every import between the server's own compiled files (backend/ and the simulators). Type-only
 * imports are gone from the JavaScript, so this is the graph Node really loads; imports of
 * packages are left out.
 */
export function serverImports(): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of compiled()) {
    const text = readFileSync(file, 'utf8');
    const add = (specifier: string, dynamic: boolean) => {
      if (specifier.startsWith('.')) edges.push({ from: rel(file), to: rel(resolve(dirname(file), specifier)), dynamic });
    };
    for (const m of text.matchAll(STATIC)) add(m[1]!, false);
    for (const m of text.matchAll(SIDE_EFFECT)) add(m[1]!, false);
    for (const m of text.matchAll(DYNAMIC)) add(m[1]!, true);
  }
  return edges;
}

/**
 * A backend file's feature folder (`links`), or the file itself for the top-level ones
 * (`integration.ts`); null outside backend/.
 */
export function folderOf(file: string): string | null {
  const [root, first, ...rest] = file.split('/');
  if (root !== 'backend' || first === undefined) return null;
  return rest.length > 0 ? first : first.replace(/\.js$/, '.ts');
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
