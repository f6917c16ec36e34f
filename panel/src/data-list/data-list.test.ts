import { html } from 'lit';
import './data-list.js';
import type { Column, DataList } from './data-list.js';
import { below, deepEqual, equal, ok } from '../test-support/assert.js';
import { expectAccessible } from '../test-support/axe.js';
import { cleanup, fixture, record } from '../test-support/fixture.js';
import { click, press } from '../test-support/input.js';
import {
  columnTexts,
  deepActiveElement,
  header,
  keysInDom,
  row,
  rows,
  searchBox,
  searchFor,
  selectedKeys,
  settleList,
  statusText,
} from '../test-support/list.js';

interface Person {
  id: string;
  name: string;
  email: string | null;
  age: number;
}

const columns: Column<Person>[] = [
  { id: 'name', label: 'Name', text: (p) => p.name, width: 'minmax(0, 2fr)' },
  { id: 'email', label: 'Email', text: (p) => p.email ?? '' },
  { id: 'age', label: 'Age', text: (p) => String(p.age), sortValue: (p) => p.age, align: 'end', width: '4rem' },
];

const people: Person[] = [
  { id: 'p1', name: 'Ada Lovelace', email: 'ada@example.com', age: 36 },
  { id: 'p2', name: 'Brita Ås', email: 'brita@example.no', age: 9 },
  { id: 'p3', name: 'carl berg', email: null, age: 51 },
  { id: 'p4', name: 'Dina Dahl', email: 'DINA@EXAMPLE.COM', age: 100 },
  { id: 'p5', name: 'Erik Eng', email: 'erik@example.com', age: 22 },
];

async function mount(items: readonly Person[] = people, extra: Partial<DataList<Person>> = {}): Promise<DataList<Person>> {
  const el = await fixture<DataList<Person>>(
    html`<so-data-list label="People" .items=${items} .columns=${columns} .selection=${extra.selection ?? new Set()} .sort=${extra.sort ?? null}></so-data-list>`,
  );
  return el;
}

describe('so-data-list', () => {
  afterEach(cleanup);

  it('is accessible, with and without a selection', async () => {
    const list = await mount();
    await expectAccessible(list);
    await click(row(list, 'p2'));
    await click(row(list, 'p4'), 'Control');
    await settleList(list);
    await expectAccessible(list);
    const grid = list.shadowRoot!.querySelector('[role="grid"]')!;
    equal(grid.getAttribute('aria-multiselectable'), 'true');
    equal(grid.getAttribute('aria-rowcount'), String(people.length + 1));
    equal(row(list, 'p2').getAttribute('aria-selected'), 'true');
    equal(row(list, 'p1').getAttribute('aria-selected'), 'false');
  });

  it('searches case-insensitively across columns, every word, and announces counts', async () => {
    const list = await mount();
    equal(statusText(list), '5 rows');
    await searchFor(list, 'EXAMPLE.com');
    deepEqual(keysInDom(list), ['p1', 'p4', 'p5']);
    equal(statusText(list), 'Showing 3 of 5');
    await searchFor(list, 'dina example');
    deepEqual(keysInDom(list), ['p4']);
    await searchFor(list, 'CARL');
    deepEqual(keysInDom(list), ['p3']);
    await searchFor(list, 'nobody');
    deepEqual(keysInDom(list), []);
    ok(list.shadowRoot!.querySelector('.empty')!.textContent!.includes('nobody'));
    await searchFor(list, '');
    equal(rows(list).length, 5);
  });

  it('sorts by a column ascending then descending, with aria-sort; blanks last', async () => {
    const list = await mount();
    const button = header(list, 'name').querySelector('button')!;
    await click(button);
    await settleList(list);
    equal(header(list, 'name').getAttribute('aria-sort'), 'ascending');
    deepEqual(columnTexts(list, 'name'), ['Ada Lovelace', 'Brita Ås', 'carl berg', 'Dina Dahl', 'Erik Eng']);
    await click(button);
    await settleList(list);
    equal(header(list, 'name').getAttribute('aria-sort'), 'descending');
    deepEqual(columnTexts(list, 'name'), ['Erik Eng', 'Dina Dahl', 'carl berg', 'Brita Ås', 'Ada Lovelace']);

    await click(header(list, 'age').querySelector('button')!);
    await settleList(list);
    equal(header(list, 'name').getAttribute('aria-sort'), null, 'only the sorted column has aria-sort');
    equal(header(list, 'age').getAttribute('aria-sort'), 'ascending');
    deepEqual(columnTexts(list, 'age'), ['9', '22', '36', '51', '100'], 'numbers sort as numbers');
    await click(header(list, 'age').querySelector('button')!);
    await settleList(list);
    deepEqual(columnTexts(list, 'age'), ['100', '51', '36', '22', '9']);

    await click(header(list, 'email').querySelector('button')!);
    await click(header(list, 'email').querySelector('button')!);
    await settleList(list);
    equal(columnTexts(list, 'email').at(-1), '', 'an empty email sorts last descending too');
  });

  it('selects with the mouse: click, Ctrl+click, Shift+click range, Ctrl+Shift+click', async () => {
    const list = await mount();
    const events = record(list, 'selection-change');
    await click(row(list, 'p2'));
    deepEqual(events.at(-1)!.ids, ['p2']);
    await click(row(list, 'p4'), 'Control');
    deepEqual(events.at(-1)!.ids, ['p2', 'p4']);
    await click(row(list, 'p2'), 'Control');
    deepEqual(events.at(-1)!.ids, ['p4'], 'Ctrl+click deselects');
    await click(row(list, 'p1'));
    await click(row(list, 'p3'), 'Shift');
    deepEqual(events.at(-1)!.ids, ['p1', 'p2', 'p3'], 'Shift+click selects the range from the anchor');
    await click(row(list, 'p5'), 'Control');
    await click(row(list, 'p4'), 'Shift');
    deepEqual(events.at(-1)!.ids, ['p4', 'p5'], 'Shift+click replaces the selection with the range from the new anchor');
    await click(row(list, 'p1'));
    await click(row(list, 'p2'), 'Control');
    await click(row(list, 'p4'), 'Control', 'Shift');
    deepEqual(events.at(-1)!.ids, ['p1', 'p2', 'p3', 'p4'], 'Ctrl+Shift+click adds the range');
    await settleList(list);
    deepEqual(selectedKeys(list), ['p1', 'p2', 'p3', 'p4']);
    deepEqual([...list.selection].sort(), ['p1', 'p2', 'p3', 'p4'], 'the selection property follows');
    const last = events.at(-1)!;
    ok(last.bubbles && last.composed, 'selection-change bubbles and is composed');
    equal(statusText(list), '5 rows, 4 selected');
  });

  it('selects with the keyboard: roving focus, Space, Shift+arrows, Ctrl+A on what the search shows', async () => {
    const list = await mount();
    const events = record(list, 'selection-change');
    // One tab stop: the first row.
    deepEqual(
      rows(list).map((r) => r.tabIndex),
      [0, -1, -1, -1, -1],
    );
    searchBox(list).focus();
    await press('ArrowDown');
    await settleList(list);
    equal(deepActiveElement(), row(list, 'p1'), '↓ in the search box moves to the list');
    await press('ArrowDown');
    await settleList(list);
    equal(deepActiveElement(), row(list, 'p2'));
    deepEqual(
      rows(list).map((r) => r.tabIndex),
      [-1, 0, -1, -1, -1],
      'the tab stop follows the focus',
    );
    equal(events.length, 0, 'moving the focus does not select');
    await press('Space');
    deepEqual(events.at(-1)!.ids, ['p2']);
    await press('ArrowDown', 'Shift');
    await press('ArrowDown', 'Shift');
    deepEqual(events.at(-1)!.ids, ['p2', 'p3', 'p4'], 'Shift+↓ extends from the anchor');
    await press('ArrowUp', 'Shift');
    deepEqual(events.at(-1)!.ids, ['p2', 'p3']);
    await press('End');
    await settleList(list);
    equal(deepActiveElement(), row(list, 'p5'));
    await press('Space');
    deepEqual(events.at(-1)!.ids, ['p2', 'p3', 'p5']);
    await press('Space');
    deepEqual(events.at(-1)!.ids, ['p2', 'p3'], 'Space toggles');
    await press('Home');
    await settleList(list);
    equal(deepActiveElement(), row(list, 'p1'));

    await searchFor(list, 'example.com');
    row(list, 'p1').focus();
    await press('a', 'Control');
    deepEqual(events.at(-1)!.ids, ['p1', 'p4', 'p5'], 'Ctrl+A selects every row the search shows');
    await searchFor(list, '');
    deepEqual(selectedKeys(list), ['p1', 'p4', 'p5']);
  });

  it('keeps the selection while searching and says how much the search hides', async () => {
    const list = await mount();
    await click(row(list, 'p1'));
    await click(row(list, 'p3'), 'Control');
    await searchFor(list, 'erik');
    equal(statusText(list), 'Showing 1 of 5, 2 selected (2 hidden by the search)');
  });

  it('drops selected rows that leave items, and says so', async () => {
    const list = await mount(people, { selection: new Set(['p1', 'p2']) });
    const events = record(list, 'selection-change');
    list.items = people.filter((p) => p.id !== 'p2');
    await settleList(list);
    deepEqual(events.at(-1)!.ids, ['p1']);
    deepEqual([...list.selection], ['p1']);
  });

  it('headers too narrow for their labels end in an ellipsis inside their own cell, with the whole label as title; cells keep their text in a title', async () => {
    const narrow: Column<Person>[] = [
      { id: 'name', label: 'Display name of the person', text: (p) => p.name, width: 'minmax(3rem, 1fr)' },
      { id: 'email', label: 'Primary address', text: (p) => p.email ?? '', width: 'minmax(3rem, 1fr)' },
      { id: 'group', label: 'Brukergruppe', text: () => 'Salg og marked', sortable: false, width: '3.5rem' },
      { id: 'age', label: 'Age', text: (p) => String(p.age), render: (p) => html`<b>${p.age}</b>`, title: (p) => `${p.age} years`, width: '3rem' },
    ];
    const el = await fixture<DataList<Person>>(
      html`<so-data-list label="People" .items=${people} .columns=${narrow} .sort=${{ column: 'name', direction: 'ascending' }}></so-data-list>`,
      { width: 260, height: 300 },
    );
    await settleList(el);
    const heads = ['name', 'email', 'group', 'age'].map((c) => header(el, c));
    for (let i = 1; i < heads.length; i++) {
      const [a, b] = [heads[i - 1]!.getBoundingClientRect(), heads[i]!.getBoundingClientRect()];
      ok(a.right <= b.left + 0.5, `header ${i} starts after header ${i - 1} ends`);
    }
    for (const h of heads) {
      const text = h.querySelector<HTMLElement>('.text')!;
      const box = h.getBoundingClientRect();
      const shown = text.getBoundingClientRect();
      ok(shown.right <= box.right + 0.5, `${h.dataset['column']}: the label stays inside its header`);
    }
    const name = header(el, 'name');
    ok(name.querySelector<HTMLElement>('.text')!.scrollWidth > name.querySelector<HTMLElement>('.text')!.clientWidth, 'the long label is cut');
    equal(getComputedStyle(name.querySelector('.text')!).textOverflow, 'ellipsis');
    equal(name.querySelector('button')!.title, 'Sort by Display name of the person', 'its title reads in full');
    ok(name.querySelector('.arrow')!.getBoundingClientRect().width > 0, 'the sort arrow still shows');
    equal(header(el, 'group').querySelector('.label')!.getAttribute('title'), 'Brukergruppe', 'an unsortable header has its label as title');
    const first = rows(el)[0]!;
    equal(first.querySelector('[data-column="email"]')!.getAttribute('title'), 'ada@example.com', 'a plain cell has its text as title');
    equal(first.querySelector('[data-column="age"]')!.getAttribute('title'), '36 years', 'a rendered cell has the title its column gives');
    await expectAccessible(el);
  });

  it('renders hostile strings as text', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const script = '"><script>window.pwned=1</script>@evil.example';
    const list = await mount([{ id: 'h1', name: hostile, email: script, age: 1 }]);
    const root = list.shadowRoot!;
    equal(root.querySelector('img, script'), null, 'no element injected');
    equal(row(list, 'h1').querySelector('[data-column="name"]')!.textContent!.trim(), hostile);
    equal(row(list, 'h1').querySelector('[data-column="email"]')!.textContent!.trim(), script);
    equal((window as unknown as { pwned?: number }).pwned, undefined);
    await searchFor(list, hostile);
    equal(rows(list).length, 1);
    await searchFor(list, '<b>nothing</b>');
    equal(root.querySelector('b'), null);
    equal(root.querySelector('.empty')!.textContent!.includes('<b>nothing</b>'), true);
  });

  it('keeps fewer than 200 rows in the DOM with 10,000 rows, while scrolling and moving by keyboard', async () => {
    const many: Person[] = Array.from({ length: 10_000 }, (_, i) => ({
      id: `r${i}`,
      name: `Person ${String(i).padStart(5, '0')}`,
      email: `person${i}@example.com`,
      age: i % 90,
    }));
    const started = performance.now();
    const list = await mount(many);
    const firstScreen = performance.now() - started;
    below(rows(list).length, 200, 'rows in the DOM at first');
    ok(rows(list).length > 5, 'the first screen is rendered');
    equal(statusText(list), '10,000 rows');
    console.log(`10,000 rows: first screen in ${firstScreen.toFixed(0)} ms, ${rows(list).length} rows in the DOM`);

    const body = list.shadowRoot!.querySelector<HTMLElement>('.body')!;
    body.scrollTop = body.scrollHeight / 2;
    await settleList(list);
    const middle = rows(list);
    below(middle.length, 200, 'rows in the DOM after scrolling to the middle');
    ok(
      middle.some((r) => Number(r.getAttribute('aria-rowindex')) > 4000),
      'the rows in the middle are rendered',
    );
    body.scrollTop = body.scrollHeight;
    await settleList(list);
    below(rows(list).length, 200, 'rows in the DOM at the end');

    // Back to the top with the keyboard: End then Home brings far rows into the DOM and focuses them.
    body.scrollTop = 0;
    await settleList(list);
    row(list, 'r0').focus();
    await press('End');
    await settleList(list);
    equal((deepActiveElement() as HTMLElement).dataset['key'], 'r9999');
    await press('a', 'Control');
    equal(list.selection.size, 10_000);
    below(rows(list).length, 200);
    await press('Home');
    await settleList(list);
    equal((deepActiveElement() as HTMLElement).dataset['key'], 'r0');
  });

  it('keeps a tab stop when the focused row is scrolled out of the DOM', async () => {
    const many: Person[] = Array.from({ length: 2_000 }, (_, i) => ({ id: `r${i}`, name: `P${i}`, email: null, age: i }));
    const list = await mount(many);
    row(list, 'r0').focus();
    const body = list.shadowRoot!.querySelector<HTMLElement>('.body')!;
    body.scrollTop = body.scrollHeight / 2;
    await settleList(list);
    ok(!keysInDom(list).includes('r0'));
    equal(body.tabIndex, 0, 'the scroll area takes the tab stop');
    body.focus();
    await settleList(list);
    equal((deepActiveElement() as HTMLElement).dataset['key'], 'r0', 'and hands it back to the focused row');
  });
});
