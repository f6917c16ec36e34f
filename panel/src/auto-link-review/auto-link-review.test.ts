import { html } from 'lit';
import './auto-link-review.js';
import type { AutoLinkReview } from './auto-link-review.js';
import { autoLink, type AutoLinkResult } from '../logic/auto-link.js';
import type { Associate, LinkRef, Mailbox } from '../logic/types.js';
import { associate } from '../test-support/associates.js';
import { deepEqual, equal, ok } from '../test-support/assert.js';
import { expectAccessible } from '../test-support/axe.js';
import { cleanup, fixture, frames, record } from '../test-support/fixture.js';
import { press } from '../test-support/input.js';

const person = (id: number, name: string, email: string | null, active = true): Associate => associate(id, name, { email, active });
const guid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const mailbox = (n: number, name: string, primary: string, aliases: string[] = [], extra: Partial<Mailbox> = {}): Mailbox => ({
  id: guid(n),
  displayName: name,
  primaryAddress: primary,
  addresses: [primary, ...aliases].map((a) => a.toLowerCase()),
  userPrincipalName: `u${n}@nordlys.onmicrosoft.com`,
  accountEnabled: true,
  guest: false,
  ...extra,
});

const HOSTILE = '<img src=x onerror="window.__pwned=1">Eve';

/** Every outcome once, from the real matching: what the panel hands the review. */
function everyOutcome(): AutoLinkResult {
  const mailboxes = [
    mailbox(1, 'Ada Berg', 'ada@nordlys.no'),
    mailbox(2, 'Per Olsen', 'per.olsen@nordlys.no', ['per@nordlys.no']),
    mailbox(3, 'Kari Nordmann', 'kari.nordmann@nordlys.no', [], { userPrincipalName: 'kari@nordlys.onmicrosoft.com' }),
    mailbox(4, 'Jonas Dahl', 'jonas@nordlys.no'),
    mailbox(5, 'Team A', 'team@nordlys.no'),
    mailbox(6, 'Team B', 'TEAM@nordlys.no'),
    mailbox(7, 'Shared', 'shared@nordlys.no'),
    mailbox(8, 'Meeting room', 'room@nordlys.no', [], { accountEnabled: false }),
    mailbox(9, 'Old account', 'old@nordlys.no', [], { accountEnabled: false }),
    mailbox(10, 'Nils', 'nils@nordlys.no'),
    mailbox(11, 'Eve', 'eve@nordlys.no'),
  ];
  const kinds = new Map([[guid(8), 'room' as const], [guid(10), 'noMailbox' as const]]);
  const jonasSaved: LinkRef = { associateId: 12, associateName: 'Jonas Dahl', mailboxId: guid(4), mailboxAddress: 'jonas@nordlys.no' };
  const selected = [
    person(1, 'Ada Berg', 'ada@nordlys.no'),
    person(2, 'Per Olsen', 'per@nordlys.no'),
    person(3, 'Kari Nordmann', 'kari@nordlys.onmicrosoft.com'),
    person(13, 'Jonas Dahl', 'jonas@nordlys.no'),
    person(12, 'Jonas Dahl', 'jonas@nordlys.no'),
    person(5, 'Tea Team', 'team@nordlys.no'),
    person(6, 'Siri Shared', 'shared@nordlys.no'),
    person(7, 'Sara Shared', 'shared@nordlys.no'),
    person(8, 'Rom Rommet', 'room@nordlys.no'),
    person(9, 'Olga Old', 'old@nordlys.no'),
    person(10, 'Nils Nomail', 'nils@nordlys.no'),
    person(14, 'Nora Nomatch', 'nora@elsewhere.example'),
    person(15, 'Cy NoEmail', null),
    person(16, 'Rita Retired', 'rita@nordlys.no', false),
    person(17, HOSTILE, 'eve@nordlys.no'),
  ];
  return autoLink(selected, mailboxes, [jonasSaved], kinds);
}

async function mount(result: AutoLinkResult | null, lang: 'en' | 'nb' = 'en'): Promise<AutoLinkReview> {
  const el = await fixture<AutoLinkReview>(html`<so-auto-link-review lang=${lang} .result=${result}></so-auto-link-review>`, { width: 1024, height: 700 });
  await el.updateComplete;
  await frames();
  return el;
}

const dialog = (el: AutoLinkReview) => el.shadowRoot!.querySelector('dialog')!;
const line = (el: Element | null) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const entry = (el: AutoLinkReview, category: string, associateId: number) =>
  line(dialog(el).querySelector(`section[data-category="${category}"] li[data-associate="${associateId}"]`));
const add = (el: AutoLinkReview) => dialog(el).querySelector<HTMLButtonElement>('button[data-action="add"]')!;
const box = (el: AutoLinkReview, associateId: number) => dialog(el).querySelector<HTMLInputElement>(`li[data-associate="${associateId}"] input[type="checkbox"]`)!;

describe('so-auto-link-review', () => {
  afterEach(cleanup);

  it('is accessible with every outcome, in English and Norwegian', async () => {
    for (const lang of ['en', 'nb'] as const) {
      const el = await mount(everyOutcome(), lang);
      ok(dialog(el).open);
      await expectAccessible(el);
      cleanup();
    }
  });

  it('is closed, with nothing in it, without a result', async () => {
    const el = await mount(null);
    ok(!dialog(el).open);
    equal(dialog(el).querySelectorAll('button').length, 0);
  });

  it('lists each proposal ticked with how it matched; alias and UPN matches first and flagged', async () => {
    const el = await mount(everyOutcome());
    const items = [...dialog(el).querySelectorAll('section[data-category="linked"] li')];
    deepEqual(
      items.map((li) => [li.getAttribute('data-matched-by'), line(li)]),
      [
        ['alias', 'Per Olsen → per.olsen@nordlys.no Alias per@nordlys.no: check'],
        ['upn', 'Kari Nordmann → kari.nordmann@nordlys.no Sign-in name (UPN) kari@nordlys.onmicrosoft.com: check'],
        ['primary', 'Ada Berg → ada@nordlys.no Primary address'],
        ['primary', `${HOSTILE} → eve@nordlys.no Primary address`],
      ],
    );
    ok(items.every((li) => li.querySelector('input')!.checked), 'every proposal is ticked');
    equal(items[0]!.querySelector('.badge')!.getAttribute('data-tone'), 'warn');
    equal(items[2]!.querySelector('.badge')!.getAttribute('data-tone'), 'ok');
    equal(el.shadowRoot!.querySelectorAll('img').length, 0, 'names are text');
    equal((window as { __pwned?: number }).__pwned, undefined);
    equal(line(dialog(el).querySelector('[data-proposed]')), '4 links proposed, 4 ticked. 2 were matched by alias or UPN: check them.');
  });

  it('names the other side of an existing link, the candidates of several matches, and every other reason', async () => {
    const el = await mount(everyOutcome());
    equal(entry(el, 'alreadyLinked', 12), 'Jonas Dahl — already linked to jonas@nordlys.no');
    equal(entry(el, 'alreadyLinked', 13), 'Jonas Dahl — mailbox jonas@nordlys.no is linked to Jonas Dahl (#12)');
    equal(entry(el, 'severalMatches', 5), 'Tea Team — team@nordlys.no matches Team A (team@nordlys.no), Team B (TEAM@nordlys.no)');
    equal(entry(el, 'sharedMailbox', 6), 'Siri Shared — shared@nordlys.no also matches Sara Shared');
    equal(entry(el, 'notUserMailbox', 8), 'Rom Rommet — only Meeting room (room@nordlys.no): not a user mailbox');
    equal(entry(el, 'guestOrDisabled', 9), 'Olga Old — only Old account (old@nordlys.no): disabled');
    equal(entry(el, 'noExchangeMailbox', 10), 'Nils Nomail — only Nils (nils@nordlys.no): no Exchange Online mailbox');
    equal(entry(el, 'noMatch', 14), 'Nora Nomatch — no mailbox has nora@elsewhere.example');
    equal(entry(el, 'noEmail', 15), 'Cy NoEmail');
    equal(entry(el, 'retired', 16), 'Rita Retired');
  });

  it('counts every category above the list, attention first; attention sections come before the proposals', async () => {
    const el = await mount(everyOutcome());
    deepEqual(
      [...dialog(el).querySelectorAll('.counts li')].map((li) => [line(li), li.classList.contains('attention')]),
      [
        ['Already linked: 2', true],
        ['Several matching mailboxes: 1', true],
        ['Several associates match the same mailbox: 2', true],
        ['No Exchange Online mailbox: 1', true],
        ['Not a user mailbox (shared, room or equipment): 1', true],
        ['Only a guest or disabled account matches: 1', true],
        ['No matching mailbox: 1', false],
        ['No email on the contact card: 1', false],
        ['Retired: 1', false],
      ],
    );
    deepEqual(
      [...dialog(el).querySelectorAll('.body section')].map((s) => s.getAttribute('data-category')),
      ['alreadyLinked', 'severalMatches', 'sharedMailbox', 'noExchangeMailbox', 'notUserMailbox', 'guestOrDisabled', 'linked', 'noMatch', 'noEmail', 'retired'],
    );
  });

  it('keeps the counts and buttons in view: only the body scrolls, with a scrollbar drawn', async () => {
    const el = await mount(everyOutcome());
    const body = dialog(el).querySelector<HTMLElement>('.body')!;
    ok(body.scrollHeight > body.clientHeight, 'the body overflows at 1024×700');
    // Headless Chromium hides scrollbars, so the style that draws one is what can be checked.
    equal(getComputedStyle(body).overflowY, 'scroll', 'the scrollbar is always there, not only when hovering');
    equal(getComputedStyle(body, '::-webkit-scrollbar').width, '12px', 'a scrollbar of its own, not an overlay');
    const box = dialog(el).getBoundingClientRect();
    ok(box.bottom <= innerHeight && box.top >= 0, 'the dialog fits the viewport');
    const addBox = add(el).getBoundingClientRect();
    ok(addBox.bottom <= innerHeight, 'Add is on screen');
    equal(body.tabIndex, 0, 'the body can be scrolled with the keyboard');
    dialog(el).querySelector<HTMLButtonElement>('.counts li:last-child button')!.click();
    await frames();
    const retired = dialog(el).querySelector('section[data-category="retired"]')!.getBoundingClientRect();
    ok(retired.top >= body.getBoundingClientRect().top - 1 && retired.top < body.getBoundingClientRect().bottom, 'a count jumps to its section');
  });

  it('Add sends the ticked proposals only; Tick all and Untick all', async () => {
    const el = await mount(everyOutcome());
    const adds = record(el, 'auto-link-add');
    equal(line(add(el)), 'Add 4 links');
    box(el, 2).click();
    await el.updateComplete;
    equal(line(add(el)), 'Add 3 links');
    equal(line(dialog(el).querySelector('[data-proposed]')), '4 links proposed, 3 ticked. 2 were matched by alias or UPN: check them.');
    add(el).click();
    deepEqual(adds.map((e) => e.proposals.map((p) => p.associate.associateId)), [[1, 3, 17]]);
    deepEqual(adds[0]!.proposals.map((p) => p.link.mailboxAddress), ['ada@nordlys.no', 'kari.nordmann@nordlys.no', 'eve@nordlys.no']);

    dialog(el).querySelector<HTMLButtonElement>('button[data-action="untick-all"]')!.click();
    await el.updateComplete;
    ok(add(el).disabled, 'nothing ticked: nothing to add');
    equal(line(add(el)), 'Add 0 links');
    dialog(el).querySelector<HTMLButtonElement>('button[data-action="tick-all"]')!.click();
    await el.updateComplete;
    equal(line(add(el)), 'Add 4 links');
  });

  it('a new result ticks everything again', async () => {
    const el = await mount(everyOutcome());
    box(el, 1).click();
    await el.updateComplete;
    el.result = everyOutcome();
    await el.updateComplete;
    ok(box(el, 1).checked);
    equal(line(add(el)), 'Add 4 links');
  });

  it('Cancel and Escape cancel; focus starts on Cancel and Tab stays inside', async () => {
    const el = await mount(everyOutcome());
    const cancels = record(el, 'auto-link-cancel');
    equal(el.shadowRoot!.activeElement?.getAttribute('data-action'), 'cancel');
    await press('Tab');
    equal(el.shadowRoot!.activeElement?.getAttribute('data-action'), 'add');
    await press('Tab');
    ok(dialog(el).contains(el.shadowRoot!.activeElement), 'Tab wraps inside the dialog');
    await press('Escape');
    equal(cancels.length, 1);
    dialog(el).querySelector<HTMLButtonElement>('button[data-action="cancel"]')!.click();
    equal(cancels.length, 2);
    el.result = null;
    await el.updateComplete;
    ok(!dialog(el).open);
  });

  it('a long list shows its first 100 entries, then all on request; the count stays exact', async () => {
    const mailboxes = Array.from({ length: 250 }, (_, i) => mailbox(i + 1, `User ${i}`, `user${i}@nordlys.no`));
    const selected = mailboxes.map((m, i) => person(i + 1, `User ${i}`, m.primaryAddress));
    const el = await mount(autoLink(selected, mailboxes, []));
    const items = () => dialog(el).querySelectorAll('section[data-category="linked"] li').length;
    equal(items(), 100);
    equal(line(add(el)), 'Add 250 links');
    const more = dialog(el).querySelector<HTMLButtonElement>('button[data-more="linked"]')!;
    equal(line(more), 'Show 150 more');
    more.click();
    await el.updateComplete;
    equal(items(), 250);
    ok(!dialog(el).querySelector('button[data-more]'));
  });

  it('speaks Norwegian', async () => {
    const el = await mount(everyOutcome(), 'nb');
    equal(line(dialog(el).querySelector('h2')), 'Koble brukere automatisk: gå gjennom forslagene');
    equal(entry(el, 'alreadyLinked', 13), 'Jonas Dahl — postboksen jonas@nordlys.no er koblet til Jonas Dahl (#12)');
    equal(line(add(el)), 'Legg til 4 koblinger');
  });
});
