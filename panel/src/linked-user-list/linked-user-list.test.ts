import { html } from 'lit';
import { sendKeys } from '@web/test-runner-commands';
import './linked-user-list.js';
import { addedLinkRow, savedLinkRow, type LinkedUserList, type LinkedUserRow } from './linked-user-list.js';
import { numberRange } from '../i18n/locale.js';
import { LinkState } from '../logic/link-state.js';
import { NO_KINDS } from '../logic/sync-status.js';
import type { LinkedUser } from '../logic/types.js';
import { below, deepEqual, equal, ok } from '../test-support/assert.js';
import { expectAccessible } from '../test-support/axe.js';
import { cleanup, fixture, record } from '../test-support/fixture.js';
import { click, press } from '../test-support/input.js';
import { cell, columnTexts, deepActiveElement, header, headerLabel, keysInDom, row, rows, searchFor, settleList } from '../test-support/list.js';

const saved = (n: number, name: string, extra: Partial<LinkedUser> = {}): LinkedUser => ({
  id: `link-${n}`,
  associateId: n,
  associateName: name,
  mailboxId: `mbx-${n}`,
  mailboxAddress: `${name.split(' ')[0]!.toLowerCase()}@m365.example`,
  diary: true,
  task: true,
  contact: false,
  rank: 1,
  state: 'active',
  authorization: null,
  version: 3,
  createdBy: 1,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedBy: 1,
  updatedAt: '2025-01-01T00:00:00.000Z',
  historyCount: 12,
  sync: { state: 'in_sync', lastSuccessAt: '2026-11-30T08:15:00.000Z', nextDueAt: '2026-11-30T08:20:00.000Z', itemsInSync: 12, lastPass: { created: 0, updated: 1, deleted: 0, conflicts: 0 }, message: null, kinds: NO_KINDS },
  ...extra,
});

function rowsFixture(): LinkedUserRow[] {
  const modified = savedLinkRow(saved(3, 'Cato Carlsen'));
  return [
    savedLinkRow(saved(1, 'Ada Lovelace')),
    savedLinkRow(saved(2, 'Bjørn Berg', { diary: false, task: false, contact: false, state: 'disabled', rank: 7 })),
    { ...modified, rank: 12 },
    addedLinkRow({ associateId: 4, associateName: 'Dina Dahl', mailboxId: 'mbx-4', mailboxAddress: 'dina@m365.example', diary: true, task: true, contact: true, rank: 5 }),
  ];
}

/**
 * The panel's wiring, as in `so-sync-settings`: the list's intents go through a {@link LinkState}
 * (the same rows as {@link rowsFixture}), whose rows go back to the list. `rerender` gives the list
 * fresh row objects, as every render of the panel does.
 */
function host(list: LinkedUserList) {
  let state = LinkState.from([
    saved(1, 'Ada Lovelace'),
    saved(2, 'Bjørn Berg', { diary: false, task: false, contact: false, state: 'disabled', rank: 7 }),
    saved(3, 'Cato Carlsen'),
  ])
    .add([{ associateId: 4, associateName: 'Dina Dahl', mailboxId: 'mbx-4', mailboxAddress: 'dina@m365.example', diary: true, task: true, contact: true, rank: 5 }])
    .setOptions('link-3', { diary: true, task: true, contact: false, rank: 12 });
  const rerender = () => (list.links = state.rows());
  rerender();
  list.addEventListener('link-options-change', (e) => {
    state = state.setOptions(e.key, e.options);
    rerender();
  });
  list.addEventListener('link-rank-edit', (e) => {
    state = e.commit ? state.commitRank(e.key, e.text) : state.typeRank(e.key, e.text);
    rerender();
  });
  return { state: () => state, rerender };
}

async function mount(links: readonly LinkedUserRow[] = rowsFixture(), lang: 'en' | 'nb' = 'en'): Promise<LinkedUserList> {
  return fixture<LinkedUserList>(html`<so-linked-user-list lang=${lang} .links=${links}></so-linked-user-list>`, { width: 960, height: 420 });
}

/** The list with {@link host} applying its intents. */
async function mountHosted(lang: 'en' | 'nb' = 'en') {
  const list = await mount([], lang);
  const h = host(list);
  await settleList(list);
  return { list, ...h };
}

const checkbox = (list: LinkedUserList, key: string, option: string) =>
  cell(row(list, key), option).querySelector<HTMLInputElement>('input[type="checkbox"]')!;
const rankBox = (list: LinkedUserList, key: string) => cell(row(list, key), 'rank').querySelector<HTMLInputElement>('input')!;
const stateText = (list: LinkedUserList, key: string) => cell(row(list, key), 'state').textContent!.replace(/\s+/g, ' ').trim();
const rankError = (list: LinkedUserList, key: string) => cell(row(list, key), 'rank').querySelector('.field-error');

/** Commits a value in a rank box as a user does (types it, then leaves or presses Enter). */
async function commitRank(list: LinkedUserList, key: string, value: string): Promise<void> {
  const box = rankBox(list, key);
  box.value = value;
  box.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  box.dispatchEvent(new Event('change', { bubbles: true }));
  await settleList(list);
}

describe('so-linked-user-list', () => {
  afterEach(cleanup);

  it('is accessible, including a validation message and read-only mode', async () => {
    const { list } = await mountHosted();
    await expectAccessible(list);
    await click(cell(row(list, 'link-1'), 'associate'));
    await commitRank(list, 'link-1', '0');
    ok(rankError(list, 'link-1'));
    await expectAccessible(list);
    list.readOnly = true;
    await settleList(list);
    await expectAccessible(list);
  });

  it('shows options, Server Rank and the state: saved, unsaved (added), modified, disabled', async () => {
    const list = await mount();
    deepEqual(columnTexts(list, 'associate'), ['Ada Lovelace', 'Bjørn Berg', 'Cato Carlsen', 'Dina Dahl']);
    equal(checkbox(list, 'link-1', 'diary').checked, true);
    equal(checkbox(list, 'link-1', 'contact').checked, false);
    equal(rankBox(list, 'link-2').value, '7');
    equal(stateText(list, 'link-1'), 'Saved');
    equal(stateText(list, 'link-2'), 'Disabled');
    equal(stateText(list, 'link-3'), 'Modified');
    equal(stateText(list, 'new:4'), 'Unsaved (added)');
    ok(row(list, 'new:4').classList.contains('added'));
    ok(row(list, 'link-3').classList.contains('modified'));
    ok(row(list, 'link-2').classList.contains('muted'));
    equal(headerLabel(list, 'rank'), 'Server Rank');
    deepEqual(
      ['diary', 'task', 'contact'].map((c) => headerLabel(list, c)),
      ['Diary', 'Task', 'Contact'],
    );
    equal(checkbox(list, 'link-1', 'diary').getAttribute('aria-label'), 'Diary for Ada Lovelace');
  });

  it('emits link-options-change when Diary, Task or Contact is toggled, without selecting the row', async () => {
    const list = await mount();
    const intents = record(list, 'link-options-change');
    const selections = record(list, 'selection-change');
    await click(checkbox(list, 'link-1', 'diary'));
    equal(intents.length, 1);
    const e = intents[0]!;
    equal(e.key, 'link-1');
    equal(e.changed, 'diary');
    deepEqual(e.options, { diary: false, task: true, contact: false, rank: 1 });
    ok(e.bubbles && e.composed, 'the intent bubbles and is composed');
    equal(e.row.id, 'link-1');
    await click(checkbox(list, 'new:4', 'task'));
    deepEqual([intents[1]!.key, intents[1]!.changed, intents[1]!.options], ['new:4', 'task', { diary: true, task: false, contact: true, rank: 5 }]);
    await click(checkbox(list, 'link-2', 'contact'));
    deepEqual([intents[2]!.changed, intents[2]!.options], ['contact', { diary: false, task: false, contact: true, rank: 7 }]);
    // The keyboard toggles a focused checkbox too.
    checkbox(list, 'link-3', 'task').focus();
    await press('Space');
    deepEqual([intents[3]!.key, intents[3]!.options], ['link-3', { diary: true, task: false, contact: false, rank: 12 }]);
    equal(selections.length, 0, 'toggling an option does not change the selection');
    equal(list.links[0]!.diary, true, 'the list does not change its rows itself');
  });

  it('emits link-rank-edit as a Server Rank is typed and when it is committed with Enter', async () => {
    const { list, state } = await mountHosted();
    const intents = record(list, 'link-rank-edit');
    const box = rankBox(list, 'link-1');
    box.focus();
    box.select();
    await sendKeys({ type: '42' });
    await press('Enter');
    await settleList(list);
    deepEqual(
      intents.map((e) => [e.key, e.text, e.commit]),
      [
        ['link-1', '4', false],
        ['link-1', '42', false],
        ['link-1', '42', true],
      ],
    );
    ok(intents[0]!.bubbles && intents[0]!.composed, 'the intent bubbles and is composed');
    equal(intents[0]!.row.id, 'link-1');
    equal(state().rows()[0]!.rank, 42, 'the host applied it');
    equal(stateText(list, 'link-1'), 'Modified');
    await commitRank(list, 'new:4', '99');
    deepEqual([intents.at(-1)!.key, intents.at(-1)!.text, state().addedPayload()[0]!.rank], ['new:4', '99', 99]);
    const edits = state().editedCount;
    await commitRank(list, 'link-2', '7');
    equal(state().editedCount, edits, 'an unchanged rank is not an edit');
    // ↑/↓ belong to the number box, not to the list.
    rankBox(list, 'link-3').focus();
    await press('ArrowUp');
    equal(deepActiveElement(), rankBox(list, 'link-3'), 'focus stays in the rank box');
  });

  it('refuses Server Rank 0, 100, 1.5 and empty with a message, and changes no rank', async () => {
    const { list, state } = await mountHosted();
    for (const bad of ['0', '100', '1.5', '']) {
      await commitRank(list, 'link-1', bad);
      const message = rankError(list, 'link-1');
      ok(message, `a message for ${JSON.stringify(bad)}`);
      equal(message.textContent!.trim(), `Whole number ${numberRange(1, 99)}.`, 'the range never breaks across lines');
      const box = rankBox(list, 'link-1');
      equal(box.getAttribute('aria-invalid'), 'true');
      equal(box.getAttribute('aria-describedby'), message.id);
      equal(box.value, bad, 'the typed value stays for the user to fix');
      equal(state().rows()[0]!.rank, 1, 'an invalid rank is not applied');
    }
    await commitRank(list, 'link-1', '3');
    equal(rankError(list, 'link-1'), null, 'a valid rank clears the message');
    equal(rankBox(list, 'link-1').getAttribute('aria-invalid'), 'false');
    equal(state().rows()[0]!.rank, 3);
  });

  it('keeps what the user types after a refused rank: 0, Tab, click back in, select all, 7', async () => {
    const { list, state } = await mountHosted();
    await click(rankBox(list, 'link-1'));
    await press('a', 'Control');
    await sendKeys({ type: '0' });
    await press('Tab');
    await settleList(list);
    ok(rankError(list, 'link-1'), 'the message shows once the field is left');
    equal(rankBox(list, 'link-1').value, '0');
    await click(rankBox(list, 'link-1'));
    await press('a', 'Control');
    await sendKeys({ type: '7' });
    await settleList(list);
    equal(rankBox(list, 'link-1').value, '7', 'the field shows what was typed');
    equal(rankError(list, 'link-1'), null, 'the message goes as soon as the text is valid');
    equal(deepActiveElement(), rankBox(list, 'link-1'), 'and the field keeps the focus');
    await press('Tab');
    await settleList(list);
    equal(state().rows()[0]!.rank, 7);
    equal(rankBox(list, 'link-1').value, '7');
    equal(stateText(list, 'link-1'), 'Modified');
  });

  it('never replaces the text being typed when its rows are rendered again', async () => {
    const { list, rerender } = await mountHosted();
    await click(rankBox(list, 'new:4'));
    await press('a', 'Control');
    await sendKeys({ type: '4' });
    // Anything else re-rendering the panel (a progress line, a message) gives the list new rows.
    rerender();
    await settleList(list);
    equal(rankBox(list, 'new:4').value, '4');
    await press('Backspace');
    rerender();
    await settleList(list);
    equal(rankBox(list, 'new:4').value, '', 'an emptied field stays empty');
    await sendKeys({ type: '11' });
    rerender();
    await settleList(list);
    equal(rankBox(list, 'new:4').value, '11');
  });

  it('shows "Disabled" once Diary, Task and Contact are all unchecked', async () => {
    const { list } = await mountHosted();
    await click(checkbox(list, 'link-1', 'diary'));
    await settleList(list);
    equal(stateText(list, 'link-1'), 'Modified');
    await click(checkbox(list, 'link-1', 'task'));
    await settleList(list);
    equal(stateText(list, 'link-1'), 'Modified Disabled');
    ok(row(list, 'link-1').classList.contains('muted'));
    await click(checkbox(list, 'new:4', 'diary'));
    await click(checkbox(list, 'new:4', 'task'));
    await click(checkbox(list, 'new:4', 'contact'));
    await settleList(list);
    equal(stateText(list, 'new:4'), 'Unsaved (added) Disabled');
    // Checking Diary and Task again is back to what is saved.
    await click(checkbox(list, 'link-1', 'diary'));
    await click(checkbox(list, 'link-1', 'task'));
    await settleList(list);
    equal(stateText(list, 'link-1'), 'Saved');
  });

  it('searches associate, mailbox and state; sorts by associate, rank and state both ways', async () => {
    const list = await mount();
    await searchFor(list, 'BJØRN');
    deepEqual(keysInDom(list), ['link-2']);
    await searchFor(list, 'dina@M365');
    deepEqual(keysInDom(list), ['new:4']);
    await searchFor(list, 'modified');
    deepEqual(keysInDom(list), ['link-3']);
    await searchFor(list, 'unsaved');
    deepEqual(keysInDom(list), ['new:4']);
    await searchFor(list, '');
    await click(header(list, 'associate').querySelector('button')!);
    await settleList(list);
    equal(header(list, 'associate').getAttribute('aria-sort'), 'descending');
    deepEqual(keysInDom(list), ['new:4', 'link-3', 'link-2', 'link-1']);
    await click(header(list, 'rank').querySelector('button')!);
    await settleList(list);
    deepEqual(keysInDom(list), ['link-1', 'new:4', 'link-2', 'link-3']);
    await click(header(list, 'rank').querySelector('button')!);
    await settleList(list);
    deepEqual(keysInDom(list), ['link-3', 'link-2', 'new:4', 'link-1']);
    await click(header(list, 'state').querySelector('button')!);
    await settleList(list);
    deepEqual(keysInDom(list), ['new:4', 'link-3', 'link-1', 'link-2'], 'unsaved, modified, saved, disabled');
    await click(header(list, 'diary').querySelector('button')!);
    await settleList(list);
    equal(keysInDom(list).at(-1), 'link-2', 'Diary ascending: checked first');
  });

  it('multi-selects with the mouse and the keyboard', async () => {
    const list = await mount();
    const events = record(list, 'selection-change');
    await click(cell(row(list, 'link-1'), 'associate'));
    await click(cell(row(list, 'link-3'), 'mailbox'), 'Shift');
    deepEqual(events.at(-1)!.ids, ['link-1', 'link-2', 'link-3']);
    equal(events.at(-1)!.target, list);
    await click(cell(row(list, 'link-2'), 'state'), 'Control');
    deepEqual(
      list.selectedLinks.map((l) => l.key),
      ['link-1', 'link-3'],
    );
    row(list, 'link-1').focus();
    await press('ArrowDown');
    await press('ArrowDown');
    await press('ArrowDown', 'Shift');
    deepEqual(events.at(-1)!.ids, ['link-3', 'new:4'], 'Shift+↓ from the anchor row');
    await press('a', 'Control');
    equal(events.at(-1)!.ids.length, 4);
    // Only the focused row's controls are in the tab order.
    equal(checkbox(list, 'new:4', 'diary').tabIndex, 0);
    equal(checkbox(list, 'link-1', 'diary').tabIndex, -1);
  });

  it('renders hostile names and addresses as text', async () => {
    const name = '<img src=x onerror=alert(1)>';
    const address = '<script>alert(2)</script>@x.example';
    const list = await mount([savedLinkRow(saved(1, name, { mailboxAddress: address }))]);
    const root = list.shadowRoot!.querySelector('so-data-list')!.shadowRoot!;
    equal(root.querySelector('img, script'), null, 'no element injected');
    equal(cell(row(list, 'link-1'), 'associate').textContent!.trim(), name);
    equal(cell(row(list, 'link-1'), 'mailbox').textContent!.trim(), address);
    equal(checkbox(list, 'link-1', 'task').getAttribute('aria-label'), `Task for ${name}`);
  });

  it('keeps fewer than 200 rows in the DOM with 10,000 linked users', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => savedLinkRow(saved(i, `User ${String(i).padStart(5, '0')}`, { rank: (i % 99) + 1 })));
    const started = performance.now();
    const list = await mount(many);
    console.log(`10,000 linked users: first screen in ${(performance.now() - started).toFixed(0)} ms`);
    below(rows(list).length, 200);
    const body = list.shadowRoot!.querySelector('so-data-list')!.shadowRoot!.querySelector<HTMLElement>('.body')!;
    for (const at of [0.25, 0.5, 1]) {
      body.scrollTop = body.scrollHeight * at;
      await settleList(list);
      below(rows(list).length, 200, `after scrolling to ${at * 100}%`);
    }
    ok(rows(list).some((r) => r.dataset['key'] === 'link-9999'));
  });

  it('disables the controls when read-only', async () => {
    const list = await mount();
    list.readOnly = true;
    await settleList(list);
    ok(list.hasAttribute('readonly'));
    ok(checkbox(list, 'link-1', 'diary').disabled && rankBox(list, 'link-1').disabled);
  });

  it('in OAuth mode shows the authorization of each link, and saved links without one as not synchronized', async () => {
    const links = [
      savedLinkRow(saved(1, 'Ada Lovelace', { authorization: 'authorized' })),
      savedLinkRow(saved(2, 'Bjørn Berg', { authorization: 'revoked', state: 'disabled' })),
      savedLinkRow(saved(3, 'Cato Carlsen', { authorization: 'missing', state: 'disabled' })),
      addedLinkRow({ associateId: 4, associateName: 'Dina Dahl', mailboxId: 'mbx-4', mailboxAddress: 'dina@m365.example', diary: true, task: true, contact: true, rank: 5 }),
    ];
    const list = await fixture<LinkedUserList>(html`<so-linked-user-list oauth .links=${links}></so-linked-user-list>`, { width: 960, height: 420 });
    await expectAccessible(list);
    equal(headerLabel(list, 'authorization'), 'Authorization');
    deepEqual(columnTexts(list, 'authorization'), ['Authorized', 'Revoked', 'Not authorized', 'Not saved']);
    equal(stateText(list, 'link-1'), 'Saved');
    equal(stateText(list, 'link-2'), 'Not synchronized');
    equal(stateText(list, 'link-3'), 'Not synchronized');
    equal(stateText(list, 'new:4'), 'Unsaved (added)');
    ok(row(list, 'link-3').classList.contains('muted') && !row(list, 'link-1').classList.contains('muted'));
    await searchFor(list, 'not authorized');
    deepEqual(keysInDom(list), ['link-3']);
    await searchFor(list, '');
    await click(header(list, 'authorization').querySelector('button')!);
    await settleList(list);
    deepEqual(keysInDom(list), ['link-3', 'link-2', 'new:4', 'link-1'], 'the ones needing attention first');
    // In application mode there is no such column.
    list.oauth = false;
    await settleList(list);
    equal(list.shadowRoot!.querySelector('so-data-list')!.shadowRoot!.querySelector('[data-column="authorization"]'), null);
  });

  it('speaks Norwegian (bokmål) when lang is nb, keeping the product option labels', async () => {
    const list = await mount(rowsFixture(), 'nb');
    deepEqual(
      ['diary', 'task', 'contact', 'rank'].map((c) => headerLabel(list, c)),
      ['Diary', 'Task', 'Contact', 'Server Rank'],
    );
    equal(stateText(list, 'link-2'), 'Deaktivert');
    equal(stateText(list, 'new:4'), 'Ikke lagret (lagt til)');
    list.oauth = true;
    list.links = [savedLinkRow(saved(5, 'Eli Eng', { authorization: 'missing' }))];
    await settleList(list);
    equal(headerLabel(list, 'authorization'), 'Autorisasjon');
    equal(cell(row(list, 'link-5'), 'authorization').textContent!.trim(), 'Ikke autorisert');
    equal(stateText(list, 'link-5'), 'Synkroniseres ikke');
    host(list);
    await settleList(list);
    await commitRank(list, 'link-1', '100');
    equal(rankError(list, 'link-1')!.textContent!.trim(), `Heltall ${numberRange(1, 99)}.`);
    await expectAccessible(list);
  });

  it('shows each linked user\'s synchronization Status, with why, the last success and the items in sync as its title; readable at 1024 wide', async () => {
    const sync = (state: LinkedUser['sync']['state'], extra: Partial<LinkedUser['sync']> = {}): LinkedUser['sync'] => ({
      state,
      lastSuccessAt: null,
      nextDueAt: null,
      itemsInSync: 0,
      lastPass: null,
      message: null,
      kinds: NO_KINDS,
      ...extra,
    });
    const links = [
      savedLinkRow(saved(1, 'Ada Lovelace', { sync: sync('in_sync', { lastSuccessAt: '2026-11-30T08:15:00.000Z', itemsInSync: 1234 }) })),
      savedLinkRow(saved(2, 'Bjørn Berg', { sync: sync('breaker', { message: 'The pass would have deleted 25 of 40 items.', itemsInSync: 40 }) })),
      savedLinkRow(saved(3, 'Cato Carlsen', { sync: sync('error', { message: 'SuperOffice did not answer.', lastSuccessAt: '2026-11-29T10:00:00.000Z', itemsInSync: 1 }) })),
      savedLinkRow(saved(5, 'Eli Eng', { sync: sync('waiting_authorization', { message: 'OAuth mode is synchronized from part 2.' }) })),
      savedLinkRow(saved(6, 'Finn Fjord', { sync: sync('syncing') })),
      addedLinkRow({ associateId: 4, associateName: 'Dina Dahl', mailboxId: 'mbx-4', mailboxAddress: 'dina@m365.example', diary: true, task: true, contact: true, rank: 5 }),
    ];
    const list = await fixture<LinkedUserList>(html`<so-linked-user-list lang="en" .links=${links}></so-linked-user-list>`, { width: 1024, height: 420 });
    await settleList(list);
    equal(headerLabel(list, 'sync'), 'Status');
    const badge = (key: string) => cell(row(list, key), 'sync').querySelector<HTMLElement>('.badge')!;
    deepEqual(
      ['link-1', 'link-2', 'link-3', 'link-5', 'link-6', 'new:4'].map((k) => badge(k).textContent),
      ['In sync', 'Stopped (breaker)', 'Error', 'Awaiting authorization', 'Synchronizing', 'Not saved'],
    );
    deepEqual(badge('link-1').title.split('\n'), [`Last synchronized ${new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(Date.parse('2026-11-30T08:15:00.000Z'))}.`, '1,234 items in sync.']);
    deepEqual(badge('link-2').title.split('\n'), ['The pass would have deleted 25 of 40 items.', 'Not synchronized yet.', '40 items in sync.']);
    equal(badge('link-3').title.split('\n')[0], 'SuperOffice did not answer.');
    equal(badge('link-3').title.split('\n')[2], '1 item in sync.');
    equal(badge('link-2').dataset.tone, 'danger');
    equal(badge('link-1').dataset.tone, 'ok');
    // Readable at 1024 wide: the longest label is not cut off.
    const longest = badge('link-5');
    ok(longest.getBoundingClientRect().width > 0);
    ok(cell(row(list, 'link-5'), 'sync').scrollWidth <= cell(row(list, 'link-5'), 'sync').clientWidth + 1, 'the status fits its column');
    // Sorting by Status puts what needs the administrator first; the search finds a status.
    await click(header(list, 'sync'));
    await settleList(list);
    equal(columnTexts(list, 'associate')[0], 'Bjørn Berg');
    await searchFor(list, 'stopped');
    deepEqual(columnTexts(list, 'associate'), ['Bjørn Berg']);
    await expectAccessible(list);
  });

  it('shows the Status in Norwegian', async () => {
    const links = [savedLinkRow(saved(1, 'Ada Lovelace', { sync: { state: 'breaker', lastSuccessAt: null, nextDueAt: null, itemsInSync: 2, lastPass: null, message: null, kinds: NO_KINDS } }))];
    const list = await mount(links, 'nb');
    await settleList(list);
    const badge = cell(row(list, 'link-1'), 'sync').querySelector<HTMLElement>('.badge')!;
    equal(badge.textContent, 'Stoppet (sikring)');
    deepEqual(badge.title.split('\n'), ['Ikke synkronisert ennå.', '2 elementer synkronisert.']);
  });

  it('shows each kind on its own in the Status cell: the failing kind in words beside the one in sync, each with its counts, last success and error as its title; an off kind not at all; readable at 1024×700', async () => {
    const kind = (state: LinkedUser['sync']['kinds']['diary']['state'], extra: Partial<LinkedUser['sync']['kinds']['diary']> = {}) => ({
      state, itemsInSync: 0, lastSuccessAt: null, lastPass: null, message: null, ...extra,
    });
    const at = '2026-11-30T08:15:00.000Z';
    const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(Date.parse(at));
    const sync = (state: LinkedUser['sync']['state'], kinds: LinkedUser['sync']['kinds'], message: string | null = null): LinkedUser['sync'] => ({
      state, lastSuccessAt: at, nextDueAt: null, itemsInSync: 12, lastPass: null, message, kinds,
    });
    const links = [
      // Diary in sync, Task refused by SuperOffice, Contact off.
      savedLinkRow(saved(1, 'Ada Lovelace', { contact: false, sync: sync('error', {
        diary: kind('in_sync', { itemsInSync: 9, lastSuccessAt: at, lastPass: { created: 3, updated: 1, deleted: 0, conflicts: 1 } }),
        task: kind('error', { itemsInSync: 3, message: 'SuperOffice refused the request.' }),
        contact: kind('off', { itemsInSync: 4 }),
      }, 'Task: SuperOffice refused the request.') })),
      // Only the diary on, in sync: the badge says it all.
      savedLinkRow(saved(2, 'Bjørn Berg', { task: false, contact: false, sync: sync('in_sync', { ...NO_KINDS, diary: kind('in_sync', { itemsInSync: 12, lastSuccessAt: at }) }) })),
      // Every kind on: the throttled one stands out.
      savedLinkRow(saved(3, 'Cato Carlsen', { contact: true, sync: sync('throttled', {
        diary: kind('in_sync', { lastSuccessAt: at }), task: kind('in_sync', { lastSuccessAt: at }), contact: kind('throttled', { message: 'Microsoft 365 asked to wait.' }),
      }, 'Contact: Microsoft 365 asked to wait.') })),
    ];
    const list = await fixture<LinkedUserList>(html`<so-linked-user-list lang="en" .links=${links}></so-linked-user-list>`, { width: 1024, height: 700 });
    await settleList(list);
    const chips = (key: string) => [...cell(row(list, key), 'sync').querySelectorAll<HTMLElement>('[data-kind]')];
    deepEqual(chips('link-1').map((c) => [c.dataset.kind, c.dataset.kindState, c.textContent, c.dataset.tone]), [
      ['diary', 'in_sync', 'Diary: In sync', 'ok'],
      ['task', 'error', 'Task: Error', 'danger'],
    ]);
    equal(chips('link-1')[0]!.title, `Diary: In sync Last synchronized ${when}. Last pass: 3 created, 1 updated, 0 deleted, 1 conflict. 9 items in sync.`);
    equal(chips('link-1')[1]!.title, 'Task: Error SuperOffice refused the request. Not synchronized yet. 3 items in sync.');
    deepEqual(chips('link-2'), [], 'a lone kind in sync adds nothing to the badge');
    deepEqual(chips('link-3').map((c) => c.textContent), ['Diary: In sync', 'Task: In sync', 'Contact: Throttled']);
    // The badge's title lists the kinds that are on, one line each; the off one is left out.
    const badgeTitle = cell(row(list, 'link-1'), 'sync').querySelector<HTMLElement>('.badge')!.title.split('\n');
    deepEqual(badgeTitle.slice(-2), [chips('link-1')[0]!.title, chips('link-1')[1]!.title]);
    ok(!badgeTitle.some((l) => l.startsWith('Contact')));
    // Readable at 1024×700: the cell clips what does not fit (nothing spills over a neighbour), and
    // whatever it cuts can be read in full from its title.
    for (const key of ['link-1', 'link-3']) {
      const c = cell(row(list, key), 'sync');
      ok(getComputedStyle(c).overflowX !== 'visible', 'the Status cell clips');
      const edge = c.getBoundingClientRect().right;
      for (const chip of chips(key)) ok(chip.getBoundingClientRect().right <= edge + 1 ? true : chip.title.length > 0, `${chip.textContent} cut without a title`);
    }
    await expectAccessible(list);
  });

  it('shows each kind in Norwegian', async () => {
    const kinds = { ...NO_KINDS, diary: { state: 'error' as const, itemsInSync: 2, lastSuccessAt: null, lastPass: null, message: 'SuperOffice svarte ikke.' }, task: { state: 'in_sync' as const, itemsInSync: 1, lastSuccessAt: null, lastPass: { created: 1, updated: 0, deleted: 0, conflicts: 0 }, message: null } };
    const links = [savedLinkRow(saved(1, 'Ada Lovelace', { sync: { state: 'error', lastSuccessAt: null, nextDueAt: null, itemsInSync: 3, lastPass: null, message: 'Diary: SuperOffice svarte ikke.', kinds } }))];
    const list = await mount(links, 'nb');
    await settleList(list);
    const chips = [...cell(row(list, 'link-1'), 'sync').querySelectorAll<HTMLElement>('[data-kind]')];
    deepEqual(chips.map((c) => c.textContent), ['Diary: Feil', 'Task: Synkronisert']);
    equal(chips[1]!.title, 'Task: Synkronisert Ikke synkronisert ennå. Siste kjøring: 1 opprettet, 0 endret, 0 slettet, 0 konflikter. 1 element synkronisert.');
  });

  describe('the Status filter and the error in words', () => {
    const sync = (state: LinkedUser['sync']['state'], extra: Partial<LinkedUser['sync']> = {}): LinkedUser['sync'] => ({
      state, lastSuccessAt: null, nextDueAt: null, itemsInSync: 0, lastPass: null, message: null, kinds: NO_KINDS, ...extra,
    });
    const links = () => [
      savedLinkRow(saved(1, 'Ada Lovelace', { sync: sync('in_sync') })),
      savedLinkRow(saved(2, 'Bjørn Berg', { sync: sync('breaker', { message: 'Stopped before deleting 25 Outlook event(s) and 0 SuperOffice appointment(s) of 40 items in sync.' }) })),
      savedLinkRow(saved(3, 'Cato Carlsen', { sync: sync('error', { message: 'Microsoft 365 refused the app: approve it again.', nextDueAt: '2026-11-30T09:00:00.000Z' }) })),
      savedLinkRow(saved(5, 'Eli Eng', { sync: sync('error', { message: 'SuperOffice did not answer.' }) })),
      addedLinkRow({ associateId: 4, associateName: 'Dina Dahl', mailboxId: 'mbx-4', mailboxAddress: 'dina@m365.example', diary: true, task: true, contact: true, rank: 5 }),
    ];
    const filter = (list: LinkedUserList) => list.shadowRoot!.querySelector<HTMLSelectElement>('select[data-status-filter]')!;
    const choose = async (list: LinkedUserList, value: string) => {
      const select = filter(list);
      select.value = value;
      select.dispatchEvent(new Event('change'));
      await settleList(list);
    };

    it('shows the error in plain words in the cell, and when it is tried again in its title', async () => {
      const list = await fixture<LinkedUserList>(html`<so-linked-user-list lang="en" .links=${links()}></so-linked-user-list>`, { width: 1024, height: 420 });
      await settleList(list);
      const message = (key: string) => cell(row(list, key), 'sync').querySelector<HTMLElement>('[data-sync-message]');
      equal(message('link-3')!.textContent, 'Microsoft 365 refused the app: approve it again.');
      ok(message('link-2')!.textContent!.startsWith('Stopped before deleting 25 Outlook event(s)'), 'the breaker says what it stopped, with its numbers');
      equal(message('link-1'), null, 'nothing to say when in sync');
      const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(Date.parse('2026-11-30T09:00:00.000Z'));
      equal(message('link-3')!.title.split('\n')[1], `Next attempt ${when}.`);
      await expectAccessible(list);
    });

    it('filters by state with counts, what needs attention first; hidden rows leave the selection', async () => {
      const list = await fixture<LinkedUserList>(
        html`<so-linked-user-list lang="en" .links=${links()} .selection=${new Set(['link-1', 'link-3'])}></so-linked-user-list>`,
        { width: 1024, height: 420 },
      );
      await settleList(list);
      deepEqual([...filter(list).options].map((o) => o.textContent!.trim()), ['All (5)', 'Stopped by the breaker (1)', 'Errors (2)', 'In sync (1)', 'Not saved (1)']);
      const changes = record(list, 'selection-change');
      await choose(list, 'error');
      deepEqual(columnTexts(list, 'associate'), ['Cato Carlsen', 'Eli Eng']);
      deepEqual([...list.selection], ['link-3'], 'the hidden selected row is deselected');
      deepEqual(changes.map((e) => [...e.selection]), [['link-3']], 'and the host is told');
      await expectAccessible(list);
      await choose(list, 'all');
      equal(columnTexts(list, 'associate').length, 5);
    });

    it('keeps the chosen state listed, with 0, when its last row goes', async () => {
      const list = await fixture<LinkedUserList>(html`<so-linked-user-list lang="en" .links=${links()}></so-linked-user-list>`, { width: 1024, height: 420 });
      await settleList(list);
      await choose(list, 'breaker');
      list.links = links().filter((r) => r.key !== 'link-2');
      await settleList(list);
      equal(filter(list).selectedOptions[0]!.textContent!.trim(), 'Stopped by the breaker (0)');
      equal(columnTexts(list, 'associate').length, 0);
    });

    it('speaks Norwegian', async () => {
      const list = await fixture<LinkedUserList>(html`<so-linked-user-list lang="nb" .links=${links()}></so-linked-user-list>`, { width: 1024, height: 420 });
      await settleList(list);
      deepEqual([...filter(list).options].map((o) => o.textContent!.trim()), ['Alle (5)', 'Stoppet av sikringen (1)', 'Feil (2)', 'Synkronisert (1)', 'Ikke lagret (1)']);
      equal(list.shadowRoot!.querySelector('label[for="status-filter"]')!.textContent, 'Vis');
    });
  });
});
