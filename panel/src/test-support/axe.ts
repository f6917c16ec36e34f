import type * as Axe from 'axe-core';

declare global {
  interface Window {
    axe?: typeof Axe;
  }
}

let loading: Promise<typeof Axe> | null = null;

/** axe-core is a UMD script: load it from node_modules once per page. */
function loadAxe(): Promise<typeof Axe> {
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/node_modules/axe-core/axe.min.js';
    script.onload = () => (window.axe ? resolve(window.axe) : reject(new Error('axe-core did not load')));
    script.onerror = () => reject(new Error('axe-core could not be fetched'));
    document.head.append(script);
  });
  return loading;
}

/**
 * Runs axe-core (WCAG 2.x A/AA and best practices) on an element and its shadow roots and throws
 * with a readable list if anything is violated. Page-level rules (landmarks, `region`) belong to
 * the app shell, not to a component.
 */
export async function expectAccessible(el: Element): Promise<void> {
  const axe = await loadAxe();
  const results = await axe.run(el, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    rules: { region: { enabled: false } },
  });
  if (results.violations.length > 0) {
    const lines = results.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.failureSummary ?? ''}`).join('\n')}`,
    );
    throw new Error(`axe found ${results.violations.length} violation(s):\n${lines.join('\n')}`);
  }
}
