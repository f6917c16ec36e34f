import type { DataList } from '../data-list/data-list.js';
import { rowsLaidOut } from './fixture.js';

/** The `so-data-list` inside a wrapper list's shadow root (or the list itself). */
export function dataList(host: Element): DataList {
  if (host.localName === 'so-data-list') return host as DataList;
  const list = host.shadowRoot?.querySelector('so-data-list');
  if (!list) throw new Error(`${host.localName} renders no so-data-list`);
  return list;
}

function root(host: Element): ShadowRoot {
  return dataList(host).shadowRoot!;
}

/** The body rows in the DOM, in display order. */
export function rows(host: Element): HTMLElement[] {
  return [...root(host).querySelectorAll<HTMLElement>('.body [role="row"]')].sort(
    (a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')),
  );
}

export function row(host: Element, key: string): HTMLElement {
  const el = rows(host).find((r) => r.dataset['key'] === key);
  if (!el) throw new Error(`no row ${key} in the DOM`);
  return el;
}

export function cell(rowEl: Element, column: string): HTMLElement {
  const el = rowEl.querySelector<HTMLElement>(`[role="gridcell"][data-column="${column}"]`);
  if (!el) throw new Error(`no ${column} cell`);
  return el;
}

/** The trimmed text of one column for the rows in the DOM, in display order. */
export function columnTexts(host: Element, column: string): string[] {
  return rows(host).map((r) => cell(r, column).textContent!.trim());
}

export function keysInDom(host: Element): string[] {
  return rows(host).map((r) => r.dataset['key']!);
}

export function selectedKeys(host: Element): string[] {
  return rows(host)
    .filter((r) => r.getAttribute('aria-selected') === 'true')
    .map((r) => r.dataset['key']!);
}

export function header(host: Element, column: string): HTMLElement {
  const el = root(host).querySelector<HTMLElement>(`[role="columnheader"][data-column="${column}"]`);
  if (!el) throw new Error(`no ${column} header`);
  return el;
}

export function searchBox(host: Element): HTMLInputElement {
  return root(host).querySelector<HTMLInputElement>('input[type="search"]')!;
}

export function statusText(host: Element): string {
  return root(host).querySelector('[role="status"]')!.textContent!.trim();
}

/** Types into the search box as a user would (sets the value and fires `input`). */
export async function searchFor(host: Element, text: string): Promise<void> {
  const box = searchBox(host);
  box.value = text;
  box.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  await settleList(host);
}

export async function settleList(host: Element): Promise<void> {
  await (host as Partial<{ updateComplete: Promise<unknown> }>).updateComplete;
  const list = dataList(host);
  await list.updateComplete;
  for (let i = 0; i < 3; i++) await new Promise((r) => requestAnimationFrame(r));
  await list.updateComplete;
  await rowsLaidOut(list);
}

/** The element that has focus, looking through shadow roots. */
export function deepActiveElement(): Element | null {
  let el: Element | null = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el;
}

/** A column header's label, without the sort arrow (which is aria-hidden). */
export function headerLabel(host: Element, column: string): string {
  return header(host, column).textContent!.replace(/[▲▼]/g, '').trim();
}
