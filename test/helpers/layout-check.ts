import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';

const require = createRequire(import.meta.url);

// The in-page checks below run in the browser (Playwright sends their source). The Node build
// has no DOM library, so the few browser globals they use are declared loosely here.
type Element = any;
type DOMRect = { left: number; right: number; top: number; bottom: number };
declare const document: any;
declare const window: any;
declare const NodeFilter: { SHOW_TEXT: number };
declare function requestAnimationFrame(callback: () => void): number;
declare function getComputedStyle(el: Element): { visibility: string; overflowX: string; textOverflow: string };

/**
 * Makes axe-core available as `window.axe` on every page of the context. An init script, so the
 * panel's CSP (script-src 'self') does not stop it and nothing is bypassed.
 */
export async function installAxe(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
}

/**
 * Runs in the page (self-contained: Playwright sends its source). Looks through the document and
 * every open shadow root:
 * - in each visible grid (`role=grid`), no two header cells overlap, and no header's or cell's text
 *   spills out of its cell (over a neighbour);
 * - text cut off by its cell (or by any element with `text-overflow: ellipsis`) can be read in
 *   full: it, or an element between it and its cell, has a `title` or is expandable
 *   (`aria-expanded`).
 * Returns one line per problem, naming the grid, the column and the text.
 */
function inPageLayoutCheck(): string[] {
  const problems: string[] = [];
  const elements: Element[] = [];
  const walk = (root: any) => {
    for (const el of root.querySelectorAll('*')) {
      elements.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  const shown = (el: Element) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  /** Whether `from` (or an element up to and including `to`) satisfies `test`. */
  const upTo = (from: Element, to: Element, test: (el: Element) => boolean) => {
    for (let el: Element | null = from; el; el = el.parentElement) {
      if (test(el)) return true;
      if (el === to) return false;
    }
    return false;
  };
  const readable = (el: Element) => el.hasAttribute('title') || el.hasAttribute('aria-expanded');
  const clips = (el: Element) => getComputedStyle(el).overflowX !== 'visible';
  const overlap = (a: DOMRect, b: DOMRect) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;

  const checkCell = (grid: string, cell: Element) => {
    const box = cell.getBoundingClientRect();
    const column = cell.getAttribute('data-column') ?? '?';
    const texts = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = texts.nextNode(); node; node = texts.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      const parent = node.parentElement;
      if (!text || !parent || !shown(parent)) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const r = range.getBoundingClientRect();
      if (r.right <= box.right + 1 && r.left >= box.left - 1) continue;
      if (!upTo(parent, cell, clips)) problems.push(`${grid}: "${text}" spills out of its ${cell.getAttribute('role')} (${column})`);
      else if (!upTo(parent, cell, readable)) problems.push(`${grid}: "${text}" is cut off in ${column} with no title to read it`);
    }
  };

  for (const grid of elements.filter((el) => el.getAttribute('role') === 'grid' && shown(el))) {
    const name = grid.getAttribute('aria-label') ?? 'grid';
    const headers = [...grid.querySelectorAll('[role="columnheader"]')].filter(shown);
    for (let i = 0; i < headers.length; i++) {
      for (let j = i + 1; j < headers.length; j++) {
        if (overlap(headers[i]!.getBoundingClientRect(), headers[j]!.getBoundingClientRect())) {
          problems.push(`${name}: headers ${headers[i]!.getAttribute('data-column')} and ${headers[j]!.getAttribute('data-column')} overlap`);
        }
      }
    }
    for (const cell of [...headers, ...grid.querySelectorAll('[role="gridcell"]')]) if (shown(cell)) checkCell(name, cell);
  }
  // Anything else that ends in an ellipsis must be readable too.
  for (const el of elements) {
    if (!shown(el) || getComputedStyle(el).textOverflow !== 'ellipsis' || el.scrollWidth <= el.clientWidth + 1) continue;
    if (el.closest('[role="gridcell"], [role="columnheader"]')) continue; // checked above, against its cell
    const text = el.textContent?.trim() ?? '';
    if (text && !el.closest('[title], [aria-expanded]')) problems.push(`"${text}" is cut off (${el.localName}.${el.className}) with no title to read it`);
  }
  return problems;
}

/** axe-core on the whole page (open shadow roots included): WCAG 2.x A/AA and best practices. */
async function inPageAxe(): Promise<string[]> {
  const axe = window.axe as { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; help: string; nodes: { target: unknown[] }[] }[] }> } | undefined;
  if (!axe) return ['axe-core is not installed on this page (installAxe)'];
  const results = await axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
  });
  return results.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

/** Two animation frames and a moment: the virtualized lists measure and place their rows after a resize. */
export function settled(page: Page): Promise<void> {
  return page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 50)))));
}

/** What the layout check and axe-core find wrong on the page as it is now; both empty when all is well. */
export async function checkLayout(page: Page): Promise<{ layout: string[]; axe: string[] }> {
  return { layout: await page.evaluate(inPageLayoutCheck), axe: await page.evaluate(inPageAxe) };
}
