import { html } from 'lit';
import './why-sync.js';
import type { WhySync, WhySyncClient } from './why-sync.js';
import type { ExplainAnswer } from '../../../backend/contract.js';
import { PanelApiError } from '../api/api-client.js';
import type { LinkedUser } from '../logic/types.js';
import { deepEqual, equal, ok } from '../test-support/assert.js';
import { expectAccessible } from '../test-support/axe.js';
import { cleanup, fixture, settle } from '../test-support/fixture.js';

const link = { id: '11111111-1111-4111-8111-111111111111', associateName: 'Kari Nordmann', mailboxAddress: 'kari@example.com' } as unknown as LinkedUser;

const answer = (items: ExplainAnswer['items'], state: ExplainAnswer['link']['state'] = 'in_sync'): ExplainAnswer => ({
  link: { id: link.id, associateId: 7, associateName: 'Kari Nordmann', mailboxAddress: 'kari@example.com', diary: true, task: false, contact: false, state, breakerDetail: null },
  window: { start: '2026-11-03T23:00:00.000Z', end: '2027-04-03T22:00:00.000Z' },
  searched: { start: '2026-12-03T23:00:00.000Z', end: '2026-12-04T23:00:00.000Z' },
  truncated: false,
  items,
});
const item = (verdict: ExplainAnswer['items'][number]['verdict'], subject: string, side: 'superoffice' | 'outlook' = 'superoffice') => ({
  kind: 'diary' as const, side, id: subject, subject, start: '2026-12-04T09:00:00.000Z', private: false, verdict, detail: `detail of ${subject}`,
});

function client(reply: (path: string, body: unknown) => unknown) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  const api: WhySyncClient = {
    links: async () => [link],
    send: async <T,>(method: string, path: string, body?: unknown) => {
      calls.push({ method, path, body });
      const r = reply(path, body);
      if (r instanceof Error) throw r;
      return r as T;
    },
  };
  return { api, calls };
}

async function mount(api: WhySyncClient, lang = 'en') {
  const el = await fixture<WhySync>(html`<so-why-sync lang=${lang} .api=${api}></so-why-sync>`);
  await settle(el);
  return el;
}
const $ = <E extends Element>(el: WhySync, sel: string) => el.shadowRoot!.querySelector<E>(sel)!;

async function ask(el: WhySync, fields: { link?: string; kind?: string; date?: string; subject?: string }) {
  const set = (name: string, value: string | undefined, event: string) => {
    if (value === undefined) return;
    const input = $<HTMLInputElement | HTMLSelectElement>(el, `[name="${name}"]`);
    input.value = value;
    input.dispatchEvent(new Event(event));
  };
  set('link', fields.link, 'change');
  set('kind', fields.kind, 'change');
  set('date', fields.date, 'input');
  set('subject', fields.subject, 'input');
  await settle(el);
  $<HTMLButtonElement>(el, 'button[type="submit"]').click();
  await settle(el);
}

describe('so-why-sync', () => {
  afterEach(cleanup);

  it('lists the linked users, explains a day and shows each verdict in words with what to do', async () => {
    const { api, calls } = client(() => answer([item('synced', 'Budget'), item('out_of_window', 'Far'), item('kind_disabled', 'Off', 'outlook')]));
    const el = await mount(api);
    ok($(el, 'option[value="11111111-1111-4111-8111-111111111111"]').textContent!.includes('Kari Nordmann'));
    await ask(el, { link: link.id, kind: 'diary', date: '2026-12-04' });
    deepEqual(calls, [{ method: 'POST', path: '/explain', body: { linkId: link.id, kind: 'diary', date: '2026-12-04' } }]);
    const rows = [...el.shadowRoot!.querySelectorAll('tbody tr')];
    deepEqual(rows.map((r) => r.getAttribute('data-verdict')), ['synced', 'out_of_window', 'kind_disabled']);
    ok(rows[0]!.textContent!.includes('In sync'));
    ok(rows[0]!.textContent!.includes('detail of Budget'));
    ok(rows[1]!.textContent!.includes('Outside the sync window'));
    ok(rows[2]!.textContent!.includes("Turn the kind on in the user's options"));
    await expectAccessible(el);
  });

  it('in Norwegian', async () => {
    const { api } = client(() => answer([item('filtered_type', 'Note')]));
    const el = await mount(api, 'nb');
    await ask(el, { link: link.id, subject: 'Note' });
    ok($(el, 'h2').textContent!.includes('Hvorfor ble dette ikke synkronisert?'));
    ok($(el, 'tbody tr').textContent!.includes('En type som ikke synkroniseres'));
  });

  it('asks for a user and for a date or subject before calling the API', async () => {
    const { api, calls } = client(() => answer([]));
    const el = await mount(api);
    await ask(el, { date: '2026-12-04' });
    equal($(el, '[role="alert"]').textContent, 'Choose a linked user.');
    await ask(el, { link: link.id, date: '' });
    equal($(el, '[role="alert"]').textContent, 'Give a date, a subject, or both.');
    equal(calls.length, 0);
  });

  it('a user stopped by the breaker: Resume synchronization releases them', async () => {
    const { api, calls } = client((path) => (path === '/explain' ? answer([item('breaker', 'Stop 1', 'outlook')], 'breaker') : { released: 1 }));
    const el = await mount(api);
    await ask(el, { link: link.id, date: '2026-12-04' });
    const resume = [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent === 'Resume synchronization')!;
    resume.click();
    await settle(el);
    deepEqual(calls[1], { method: 'POST', path: '/sync/release', body: { linkIds: [link.id] } });
    equal($(el, '[role="status"]').textContent, 'Resumed: the next pass runs soon.');
  });

  it('a contact: asked by name, shown as a Contact with its verdict; without a name it asks for one', async () => {
    const contact = { ...item('deleted', 'Ola Nordmann'), kind: 'contact' as const, start: null };
    const { api, calls } = client(() => answer([contact, { ...item('filtered_type', 'Kari Berg'), kind: 'contact' as const, start: null }]));
    const el = await mount(api);
    await ask(el, { link: link.id, kind: 'contact', date: '2026-12-04' });
    equal($(el, '[role="alert"]').textContent, "Contacts are found by name: give the person's name as the subject.");
    equal(calls.length, 0);
    await ask(el, { link: link.id, kind: 'contact', date: '', subject: 'Nordmann' });
    deepEqual(calls, [{ method: 'POST', path: '/explain', body: { linkId: link.id, kind: 'contact', subject: 'Nordmann' } }]);
    const rows = [...el.shadowRoot!.querySelectorAll('tbody tr')];
    deepEqual(rows.map((r) => r.getAttribute('data-verdict')), ['deleted', 'filtered_type']);
    ok(rows[0]!.textContent!.includes('(Contact)'));
    ok(rows[0]!.textContent!.includes('Deleted'));
    ok(rows[1]!.textContent!.includes('"Our contact"'), 'the advice says how to bring a contact in');
    await expectAccessible(el);
  });

  it("shows the API's refusal and an empty answer in words", async () => {
    let fail = true;
    const { api } = client(() => (fail ? new PanelApiError(404, 'LinkNotFound', 'This user is no longer linked. Reload the list.', []) : answer([])));
    const el = await mount(api);
    await ask(el, { link: link.id, date: '2026-12-04' });
    ok($(el, '[role="alert"]').textContent!.length > 0);
    fail = false;
    await ask(el, { link: link.id, date: '2026-12-04' });
    equal($(el, '[role="status"]').textContent, 'No items found on that day or with that subject.');
  });
});
