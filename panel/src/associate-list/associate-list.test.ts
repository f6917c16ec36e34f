import { html } from 'lit';
import './associate-list.js';
import type { AssociateList } from './associate-list.js';
import type { Associate } from '../logic/types.js';
import { associate } from '../test-support/associates.js';
import { below, deepEqual, equal, ok } from '../test-support/assert.js';
import { expectAccessible } from '../test-support/axe.js';
import { cleanup, fixture, record } from '../test-support/fixture.js';
import { click, press } from '../test-support/input.js';
import { cell, columnTexts, deepActiveElement, header, headerLabel, keysInDom, row, rows, searchFor, settleList } from '../test-support/list.js';

const associates: Associate[] = [
  associate(1, 'Ada Lovelace', { userGroup: 'Admin' }),
  associate(2, 'Bjørn Berg', { email: null }),
  associate(3, 'Cecilie Carlsen', { active: false }),
  associate(4, 'David Dahl', { email: 'David.Dahl@Cust.Example' }),
  associate(5, 'Eva Eng', { userGroup: null }),
];

async function mount(items: readonly Associate[] = associates, lang: 'en' | 'nb' = 'en'): Promise<AssociateList> {
  return fixture<AssociateList>(
    html`<so-associate-list lang=${lang} .associates=${items} .linkedTo=${new Map([[4, 'david@m365.example']])}></so-associate-list>`,
  );
}

describe('so-associate-list', () => {
  afterEach(cleanup);

  it('is accessible', async () => {
    const list = await mount();
    await expectAccessible(list);
    await click(row(list, '1'));
    await click(row(list, '3'), 'Shift');
    await settleList(list);
    await expectAccessible(list);
  });

  it('shows name, contact-card email, user group, active/retired and the linked mailbox', async () => {
    const list = await mount();
    deepEqual(columnTexts(list, 'name'), ['Ada Lovelace', 'Bjørn Berg', 'Cecilie Carlsen', 'David Dahl', 'Eva Eng']);
    equal(cell(row(list, '2'), 'email').textContent!.trim(), 'No email');
    equal(cell(row(list, '1'), 'userGroup').textContent!.trim(), 'Admin');
    equal(cell(row(list, '3'), 'status').textContent!.trim(), 'Retired');
    ok(row(list, '3').classList.contains('muted'), 'a retired associate is dimmed');
    equal(cell(row(list, '1'), 'status').textContent!.trim(), 'Active');
    equal(cell(row(list, '4'), 'linked').textContent!.trim(), 'david@m365.example');
    equal(cell(row(list, '5'), 'linked').textContent!.trim(), '');
    list.linkedTo = new Map([[5, 'eva@m365.example']]);
    await settleList(list);
    equal(cell(row(list, '5'), 'linked').textContent!.trim(), 'eva@m365.example', 'linkedTo updates the rows');
  });

  it('searches name, login name, email, group and status case-insensitively', async () => {
    const list = await mount();
    await searchFor(list, 'DAVID.dahl@cust');
    deepEqual(keysInDom(list), ['4']);
    await searchFor(list, 'bjørn');
    deepEqual(keysInDom(list), ['2'], 'login name BJØRN and name match');
    await searchFor(list, 'retired');
    deepEqual(keysInDom(list), ['3']);
    await searchFor(list, 'sales ada');
    deepEqual(keysInDom(list), [], 'every word must match');
    await searchFor(list, 'admin ada');
    deepEqual(keysInDom(list), ['1']);
    await searchFor(list, 'm365.example');
    deepEqual(keysInDom(list), ['4'], 'the linked mailbox is searchable');
  });

  it('sorts by name (default ascending), email and status, both directions', async () => {
    const list = await mount([...associates].reverse());
    equal(header(list, 'name').getAttribute('aria-sort'), 'ascending');
    deepEqual(keysInDom(list), ['1', '2', '3', '4', '5']);
    await click(header(list, 'name').querySelector('button')!);
    await settleList(list);
    equal(header(list, 'name').getAttribute('aria-sort'), 'descending');
    deepEqual(keysInDom(list), ['5', '4', '3', '2', '1']);
    await click(header(list, 'email').querySelector('button')!);
    await settleList(list);
    deepEqual(columnTexts(list, 'email'), ['ada@cust.example', 'cecilie@cust.example', 'David.Dahl@Cust.Example', 'eva@cust.example', 'No email']);
    await click(header(list, 'email').querySelector('button')!);
    await settleList(list);
    deepEqual(columnTexts(list, 'email'), ['eva@cust.example', 'David.Dahl@Cust.Example', 'cecilie@cust.example', 'ada@cust.example', 'No email']);
    await click(header(list, 'status').querySelector('button')!);
    await click(header(list, 'status').querySelector('button')!);
    await settleList(list);
    equal(keysInDom(list)[0], '3', 'retired first when status sorts descending');
  });

  it('multi-selects with the mouse and reports it from the element', async () => {
    const list = await mount();
    const events = record(list, 'selection-change');
    await click(row(list, '1'));
    await click(row(list, '3'), 'Shift');
    await click(row(list, '5'), 'Control');
    equal(events.length, 3);
    equal(events.at(-1)!.target, list, 'the event is retargeted to so-associate-list');
    deepEqual(events.at(-1)!.ids, ['1', '2', '3', '5']);
    deepEqual(
      list.selectedAssociates.map((a) => a.name),
      ['Ada Lovelace', 'Bjørn Berg', 'Cecilie Carlsen', 'Eva Eng'],
    );
    await click(row(list, '2'), 'Control');
    deepEqual(events.at(-1)!.ids, ['1', '3', '5']);
  });

  it('multi-selects with the keyboard', async () => {
    const list = await mount();
    const events = record(list, 'selection-change');
    row(list, '1').focus();
    await press('ArrowDown');
    await press('Space');
    await press('ArrowDown', 'Shift');
    await press('ArrowDown', 'Shift');
    deepEqual(events.at(-1)!.ids, ['2', '3', '4']);
    equal((deepActiveElement() as HTMLElement).dataset['key'], '4');
    await press('a', 'Control');
    deepEqual(events.at(-1)!.ids, ['1', '2', '3', '4', '5']);
    await press('Space');
    deepEqual(events.at(-1)!.ids, ['1', '2', '3', '5']);
  });

  it('renders hostile names and emails as text', async () => {
    const name = '<img src=x onerror=alert(1)>';
    const email = '"><svg onload=alert(2)>@x.example';
    const group = '<script>alert(3)</script>';
    const list = await mount([associate(9, name, { email, userGroup: group, loginName: '<b>x</b>' })]);
    const root = list.shadowRoot!.querySelector('so-data-list')!.shadowRoot!;
    equal(root.querySelector('img, svg, script, b'), null, 'no element injected');
    equal(cell(row(list, '9'), 'name').textContent!.trim(), name);
    equal(cell(row(list, '9'), 'email').textContent!.trim(), email);
    equal(cell(row(list, '9'), 'userGroup').textContent!.trim(), group);
  });

  it('keeps fewer than 200 rows in the DOM with 10,000 associates', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => associate(i + 1, `Associate ${i}`, { active: i % 7 !== 0 }));
    const list = await mount(many);
    below(rows(list).length, 200);
    const body = list.shadowRoot!.querySelector('so-data-list')!.shadowRoot!.querySelector<HTMLElement>('.body')!;
    body.scrollTop = body.scrollHeight * 0.7;
    await settleList(list);
    below(rows(list).length, 200, 'after scrolling');
    ok(rows(list).some((r) => Number(r.getAttribute('aria-rowindex')) > 6000));
  });

  it('speaks Norwegian (bokmål) when lang is nb', async () => {
    const list = await mount(associates, 'nb');
    equal(headerLabel(list, 'name'), 'Navn');
    equal(headerLabel(list, 'email'), 'E-post');
    equal(cell(row(list, '3'), 'status').textContent!.trim(), 'Sluttet');
    equal(cell(row(list, '2'), 'email').textContent!.trim(), 'Ingen e-post');
    equal(list.shadowRoot!.querySelector('so-data-list')!.getAttribute('lang'), 'nb');
    await expectAccessible(list);
  });
});
