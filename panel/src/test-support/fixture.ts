import { render, type TemplateResult } from 'lit';
import { setViewport } from '@web/test-runner-commands';

const containers: HTMLElement[] = [];
let viewport: Promise<void> | null = null;

/** Two animation frames: enough for the virtualizer to measure and place its rows. */
export async function frames(n = 2): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => requestAnimationFrame(r));
}

/**
 * Renders a template into a sized container on the page (the panel's lists fill their parent)
 * and waits until its first element has rendered and laid out.
 */
export async function fixture<E extends HTMLElement>(template: TemplateResult, size = { width: 900, height: 420 }): Promise<E> {
  // The panel's target: a 1024×700 SuperOffice web panel.
  await (viewport ??= setViewport({ width: 1024, height: 700 }));
  const container = document.createElement('div');
  container.style.width = `${size.width}px`;
  container.style.height = `${size.height}px`;
  document.body.append(container);
  containers.push(container);
  render(template, container);
  const el = container.firstElementChild as E;
  await settle(el);
  return el;
}

/** Waits for an element (and any Lit elements in its shadow root) to finish updating and lay out. */
export async function settle(el: Element): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await (el as Partial<{ updateComplete: Promise<unknown> }>).updateComplete;
    for (const inner of el.shadowRoot?.querySelectorAll('*') ?? []) {
      if ('updateComplete' in inner) await (inner as { updateComplete: Promise<unknown> }).updateComplete;
    }
    await frames();
  }
  for (const list of dataLists(el)) await rowsLaidOut(list);
}

function dataLists(el: Element): Element[] {
  const found = el.localName === 'so-data-list' ? [el] : [];
  return [...found, ...(el.shadowRoot?.querySelectorAll('so-data-list') ?? [])];
}

/**
 * Waits until a data list with rows to show has put the first of them in the DOM. The
 * virtualizer measures with a ResizeObserver, which a loaded CI machine can deliver several
 * frames late; a fixed number of frames flaked. (Its `layoutComplete` is no help: it resolves
 * only after a layout that is still to come, never when the layout is already done.)
 */
export async function rowsLaidOut(list: Element, timeoutMs = 5000): Promise<void> {
  // The rows it shows after search and filters (DataList's own `view`, private to its type only).
  const shows = () => ((list as unknown as { view?: readonly unknown[] }).view?.length ?? 0) > 0;
  if ((list as HTMLElement).offsetParent === null) return; // hidden (an inactive tab): nothing to lay out
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const shown = list.shadowRoot?.querySelector('.body [role="row"]');
    if (shown || !shows()) return;
    await frames(1);
  }
  throw new Error('the list has items but rendered no rows within 5 s');
}

export function cleanup(): void {
  for (const c of containers.splice(0)) {
    render(null, c);
    c.remove();
  }
}

/** Resolves with the next event of that type dispatched to the target. */
export function nextEvent<K extends keyof GlobalEventHandlersEventMap>(target: EventTarget, type: K): Promise<GlobalEventHandlersEventMap[K]> {
  return new Promise((resolve) => target.addEventListener(type, (e) => resolve(e as GlobalEventHandlersEventMap[K]), { once: true }));
}

/** Records every event of a type dispatched to the target. */
export function record<K extends keyof GlobalEventHandlersEventMap>(target: EventTarget, type: K): GlobalEventHandlersEventMap[K][] {
  const seen: GlobalEventHandlersEventMap[K][] = [];
  target.addEventListener(type, (e) => seen.push(e as GlobalEventHandlersEventMap[K]));
  return seen;
}
