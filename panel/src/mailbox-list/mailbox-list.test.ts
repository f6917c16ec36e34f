import { html } from 'lit';
import './mailbox-list.js';
import type { MailboxList } from './mailbox-list.js';
import type { Mailbox, MailboxKind } from '../logic/types.js';
import { below, deepEqual, equal, ok } from '../test-support/assert.js';
import { expectAccessible } from '../test-support/axe.js';
import { cleanup, fixture, record } from '../test-support/fixture.js';
import { click, press } from '../test-support/input.js';
import { cell, columnTexts, deepActiveElement, header, headerLabel, keysInDom, row, rows, searchFor, settleList } from '../test-support/list.js';

const mailbox = (id: string, displayName: string, extra: Partial<Mailbox> = {}): Mailbox => {
  const address = `${displayName.split(' ')[0]!.toLowerCase()}@m365.example`;
  return {
    id,
    displayName,
    primaryAddress: address,
    addresses: [address],
    userPrincipalName: address,
    accountEnabled: true,
    guest: false,
    ...extra,
  };
};

const mailboxes: Mailbox[] = [
  mailbox('m1', 'Ada Lovelace', { addresses: ['ada@m365.example', 'a.lovelace@m365.example'] }),
  mailbox('m2', 'Sales Shared'),
  mailbox('m3', 'Room Fjord'),
  mailbox('m4', 'Nils Nomail'),
  mailbox('m5', 'Gina Guest', { guest: true, userPrincipalName: 'gina_partner.example#EXT#@cust.onmicrosoft.com' }),
  mailbox('m6', 'Dan Disabled', { accountEnabled: false, primaryAddress: null, addresses: [] }),
];
const kinds = new Map<string, MailboxKind>([
  ['m1', 'user'],
  ['m2', 'shared'],
  ['m3', 'room'],
  ['m4', 'noMailbox'],
]);

async function mount(items: readonly Mailbox[] = mailboxes, lang: 'en' | 'nb' = 'en'): Promise<MailboxList> {
  return fixture<MailboxList>(
    html`<so-mailbox-list lang=${lang} .mailboxes=${items} .kinds=${kinds} .linkedTo=${new Map([['m1', 'Ada Lovelace']])}></so-mailbox-list>`,
  );
}

describe('so-mailbox-list', () => {
  afterEach(cleanup);

  it('is accessible', async () => {
    const list = await mount();
    await expectAccessible(list);
    await click(row(list, 'm1'));
    await click(row(list, 'm6'), 'Control');
    await settleList(list);
    await expectAccessible(list);
  });

  it('shows the state (mailbox, shared, room, no mailbox, not checked) and marks guests and disabled accounts', async () => {
    const list = await mount();
    const state = (key: string) => cell(row(list, key), 'state').textContent!.trim();
    equal(state('m1'), 'Mailbox');
    equal(state('m2'), 'Shared');
    equal(state('m3'), 'Room');
    equal(state('m4'), 'No mailbox');
    equal(state('m5'), 'Not checked');
    equal(cell(row(list, 'm5'), 'account').textContent!.trim(), 'Guest');
    equal(cell(row(list, 'm6'), 'account').textContent!.trim(), 'Disabled');
    ok(row(list, 'm5').classList.contains('muted') && row(list, 'm6').classList.contains('muted'));
    ok(!row(list, 'm1').classList.contains('muted'));
    equal(cell(row(list, 'm6'), 'primaryAddress').textContent!.trim(), 'No address');
    equal(cell(row(list, 'm1'), 'linked').textContent!.trim(), 'Ada Lovelace');
    list.kinds = new Map([['m5', 'unknown']]);
    await settleList(list);
    equal(state('m5'), 'Unknown');
    equal(state('m1'), 'Not checked');
  });

  it('searches names, addresses, aliases and states case-insensitively', async () => {
    const list = await mount();
    await searchFor(list, 'A.LOVELACE');
    deepEqual(keysInDom(list), ['m1'], 'an alias matches');
    await searchFor(list, '#ext#');
    deepEqual(keysInDom(list), ['m5'], 'the sign-in name matches');
    await searchFor(list, 'no mailbox');
    deepEqual(keysInDom(list), ['m4']);
    await searchFor(list, 'guest');
    deepEqual(keysInDom(list), ['m5']);
    await searchFor(list, 'disabled');
    deepEqual(keysInDom(list), ['m6']);
  });

  it('sorts by display name (default), address and state, both directions', async () => {
    const list = await mount();
    deepEqual(columnTexts(list, 'displayName'), ['Ada Lovelace', 'Dan Disabled', 'Gina Guest', 'Nils Nomail', 'Room Fjord', 'Sales Shared']);
    await click(header(list, 'displayName').querySelector('button')!);
    await settleList(list);
    deepEqual(columnTexts(list, 'displayName'), ['Sales Shared', 'Room Fjord', 'Nils Nomail', 'Gina Guest', 'Dan Disabled', 'Ada Lovelace']);
    await click(header(list, 'state').querySelector('button')!);
    await settleList(list);
    equal(header(list, 'state').getAttribute('aria-sort'), 'ascending');
    deepEqual(columnTexts(list, 'state'), ['Mailbox', 'Shared', 'Room', 'Not checked', 'Not checked', 'No mailbox']);
    await click(header(list, 'state').querySelector('button')!);
    await settleList(list);
    deepEqual(columnTexts(list, 'state'), ['No mailbox', 'Not checked', 'Not checked', 'Room', 'Shared', 'Mailbox']);
    await click(header(list, 'primaryAddress').querySelector('button')!);
    await settleList(list);
    equal(columnTexts(list, 'primaryAddress').at(-1), 'No address', 'a missing address sorts last');
  });

  it('multi-selects with the mouse and the keyboard', async () => {
    const list = await mount();
    const events = record(list, 'selection-change');
    await click(row(list, 'm6'));
    await click(row(list, 'm4'), 'Shift');
    deepEqual(events.at(-1)!.ids, ['m4', 'm5', 'm6']);
    equal(events.at(-1)!.target, list);
    await click(row(list, 'm1'), 'Control');
    deepEqual(
      list.selectedMailboxes.map((m) => m.id),
      ['m1', 'm4', 'm5', 'm6'],
    );
    await press('ArrowDown');
    await settleList(list);
    equal((deepActiveElement() as HTMLElement).dataset['key'], 'm6', 'from Ada, ↓ goes to Dan (sorted by name)');
    await press('Space');
    deepEqual(events.at(-1)!.ids, ['m1', 'm4', 'm5']);
    await press('ArrowDown', 'Shift');
    deepEqual(events.at(-1)!.ids, ['m5', 'm6'], 'Shift+↓ selects from the anchor (Dan) to Gina');
    await press('a', 'Control');
    equal(events.at(-1)!.ids.length, 6);
  });

  it('renders hostile display names and addresses as text', async () => {
    const name = '<img src=x onerror=alert(1)>';
    const address = '<iframe src="javascript:alert(2)">@x.example';
    const list = await mount([mailbox('h1', name, { primaryAddress: address })]);
    const root = list.shadowRoot!.querySelector('so-data-list')!.shadowRoot!;
    equal(root.querySelector('img, iframe, script'), null, 'no element injected');
    equal(cell(row(list, 'h1'), 'displayName').textContent!.trim(), name);
    equal(cell(row(list, 'h1'), 'primaryAddress').textContent!.trim(), address);
  });

  it('keeps fewer than 200 rows in the DOM with 10,000 mailboxes', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => mailbox(`id-${i}`, `User ${String(i).padStart(5, '0')}`));
    const list = await mount(many);
    below(rows(list).length, 200);
    const body = list.shadowRoot!.querySelector('so-data-list')!.shadowRoot!.querySelector<HTMLElement>('.body')!;
    body.scrollTop = body.scrollHeight / 3;
    await settleList(list);
    below(rows(list).length, 200, 'after scrolling');
    ok(rows(list).some((r) => Number(r.getAttribute('aria-rowindex')) > 3000));
  });

  it('speaks Norwegian (bokmål) when lang is nb', async () => {
    const list = await mount(mailboxes, 'nb');
    equal(headerLabel(list, 'displayName'), 'Visningsnavn');
    equal(cell(row(list, 'm4'), 'state').textContent!.trim(), 'Ingen postboks');
    equal(cell(row(list, 'm5'), 'state').textContent!.trim(), 'Ikke sjekket');
    equal(cell(row(list, 'm5'), 'account').textContent!.trim(), 'Gjest');
    await expectAccessible(list);
  });
});
