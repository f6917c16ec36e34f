import { html } from 'lit';
import './undo-view.js';
import type { UndoClient, UndoView } from './undo-view.js';
import { PanelApiError } from '../api/api-client.js';
import { LinksChangedEvent } from '../admin-tools/tools.js';
import type { RemovedLink, UndoAction } from '../../../backend/contract.js';
import { deepEqual, equal, ok } from '../test-support/assert.js';
import { expectAccessible } from '../test-support/axe.js';
import { cleanup, fixture, settle } from '../test-support/fixture.js';

const DAY = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString();
const HOSTILE = '<img src=x onerror="window.__pwned=1">Eve';

const removedLink = (n: number, extra: Partial<RemovedLink> = {}): RemovedLink => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  associateId: n,
  associateName: `Associate ${n}`,
  mailboxId: `10000000-0000-4000-8000-00000000000${n}`,
  mailboxAddress: `user${n}@contoso.example`,
  diary: true,
  task: false,
  contact: true,
  rank: 3,
  version: 2,
  removedAt: inDays(-1),
  removedBy: { associateId: 5, name: 'Ada Admin' },
  restorableUntil: inDays(29),
  historyRows: 10 * n,
  conflicts: 0,
  ...extra,
});

const action = (id: string, kind: UndoAction['kind'], links: number, names: string[]): UndoAction => ({
  id,
  kind,
  at: inDays(-1),
  actor: { associateId: 5, name: 'Ada Admin' },
  links,
  names,
  undoableUntil: inDays(29),
});

/** A client that answers like the backend, from what the test holds, and records each call. */
function fakeApi(state: { actions: UndoAction[]; removed: RemovedLink[] }, refuse?: (path: string) => PanelApiError | null) {
  const calls: { method: string; path: string; body?: unknown }[] = [];
  const api: UndoClient = {
    async send<T>(method: string, path: string, body?: unknown): Promise<T> {
      calls.push({ method, path, body });
      const no = refuse?.(path);
      if (no) throw no;
      if (method === 'GET' && path === '/undo') return { actions: state.actions } as T;
      if (method === 'GET' && path === '/links/removed') return { removed: state.removed, restorableDays: 30 } as T;
      const ids = (body as { ids?: string[] }).ids ?? [];
      if (path === '/links/removed/restore') {
        state.removed = state.removed.filter((r) => !ids.includes(r.id));
        return { restored: ids.map((id) => ({ id })) } as T;
      }
      if (path === '/links/removed/purge') {
        const gone = state.removed.filter((r) => ids.includes(r.id));
        state.removed = state.removed.filter((r) => !ids.includes(r.id));
        return { purged: { links: gone.length, historyRows: gone.reduce((n, r) => n + r.historyRows, 0) } } as T;
      }
      if (path === '/undo') {
        const id = (body as { actionId: string }).actionId;
        const a = state.actions.find((x) => x.id === id)!;
        state.actions = state.actions.filter((x) => x.id !== id);
        return { undone: { id, kind: a.kind, links: a.links } } as T;
      }
      throw new Error(`unexpected ${method} ${path}`);
    },
  };
  return { api, calls };
}

async function mount(api: UndoClient, lang: 'en' | 'nb' = 'en') {
  const el = await fixture<UndoView>(html`<so-undo-view lang=${lang} .api=${api}></so-undo-view>`);
  await settle(el);
  return el;
}
const q = <E extends Element = HTMLElement>(el: UndoView, sel: string) => el.shadowRoot!.querySelector<E>(sel)!;
const text = (el: UndoView, sel: string) => q(el, sel)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

describe('so-undo-view', () => {
  afterEach(cleanup);

  it('is accessible, with recent actions and removed users', async () => {
    const { api } = fakeApi({ actions: [action('a1', 'links.options_saved', 7, ['Kari', 'Ola'])], removed: [removedLink(1), removedLink(2)] });
    const el = await mount(api);
    await expectAccessible(el);
    ok(text(el, '[data-action-id="a1"]').includes('Save Users Options: 7 users (Kari, Ola and 5 more)'));
    equal(el.shadowRoot!.querySelectorAll('[data-removed-id]').length, 2);
    ok(text(el, '[data-removed-id="00000000-0000-4000-8000-000000000001"]').includes('Diary, Contact'));
    ok(text(el, '[data-removed-id="00000000-0000-4000-8000-000000000001"]').includes('by Ada Admin'));
  });

  it('Undo calls POST /undo with the action id, says so, reloads, and dispatches links-changed', async () => {
    const state = { actions: [action('a1', 'links.removed', 1, ['Kari'])], removed: [removedLink(1)] };
    const { api, calls } = fakeApi(state);
    const el = await mount(api);
    let changed = 0;
    el.addEventListener(LinksChangedEvent.type, () => changed++);
    q<HTMLButtonElement>(el, '[data-action="undo"]').click();
    await settle(el);
    deepEqual(calls.find((c) => c.method === 'POST')!, { method: 'POST', path: '/undo', body: { actionId: 'a1' } });
    equal(changed, 1);
    equal(text(el, '[data-for="message"]'), 'Undid Remove Selected Users.');
    ok(q(el, '[data-empty="actions"]'), 'the list was loaded again');
  });

  it('Restore sends the selected ids; the buttons are off until a user is selected', async () => {
    const state = { actions: [], removed: [removedLink(1), removedLink(2)] };
    const { api, calls } = fakeApi(state);
    const el = await mount(api);
    ok(q<HTMLButtonElement>(el, '[data-action="restore"]').disabled);
    ok(q<HTMLButtonElement>(el, '[data-action="purge"]').disabled);
    const box = q<HTMLInputElement>(el, 'input[aria-label="Select Associate 2"]');
    box.click();
    await settle(el);
    equal(text(el, '[data-action="restore"]'), 'Restore 1 user');
    let changed = 0;
    el.addEventListener(LinksChangedEvent.type, () => changed++);
    q<HTMLButtonElement>(el, '[data-action="restore"]').click();
    await settle(el);
    deepEqual(calls.find((c) => c.method === 'POST')!.body, { ids: [removedLink(2).id] });
    equal(changed, 1);
    equal(el.shadowRoot!.querySelectorAll('[data-removed-id]').length, 1);
    ok(text(el, '[data-for="message"]').startsWith('Restored 1 user'));
  });

  it('Purge asks first, saying how many users and mappings go for good; Cancel sends nothing', async () => {
    const state = { actions: [], removed: [removedLink(1), removedLink(2)] };
    const { api, calls } = fakeApi(state);
    const el = await mount(api);
    q<HTMLInputElement>(el, `input[aria-label="Select all removed users"]`).click();
    await settle(el);
    q<HTMLButtonElement>(el, '[data-action="purge"]').click();
    await settle(el);
    const dialog = q<HTMLDialogElement>(el, '#purge-dialog');
    ok(dialog.open);
    equal(dialog.getAttribute('role'), 'alertdialog');
    equal(text(el, '#purge-title'), 'Purge 2 removed users for good?');
    ok(text(el, '#purge-body').startsWith('This deletes 2 removed users and 30 mappings'));
    q<HTMLButtonElement>(el, '#purge-dialog [data-action="cancel"]').click();
    await settle(el);
    ok(!dialog.open);
    equal(calls.filter((c) => c.method === 'POST').length, 0);

    q<HTMLButtonElement>(el, '[data-action="purge"]').click();
    await settle(el);
    q<HTMLButtonElement>(el, '#purge-dialog [data-action="confirm-purge"]').click();
    await settle(el);
    deepEqual(calls.find((c) => c.method === 'POST')!, {
      method: 'POST',
      path: '/links/removed/purge',
      body: { ids: [removedLink(1).id, removedLink(2).id], confirm: true, count: 2 },
    });
    equal(text(el, '[data-for="message"]'), 'Purged 2 users and 30 mappings for good.');
    ok(q(el, '[data-empty="removed"]'));
  });

  it('a refusal is shown as an alert in the panel language; names are text, never markup', async () => {
    const refusal = new PanelApiError(409, 'AlreadyLinked', 'x', [], 'Brukeren er koblet på nytt.');
    const state = { actions: [], removed: [removedLink(1, { associateName: HOSTILE })] };
    const { api } = fakeApi(state, (path) => (path === '/links/removed/restore' ? refusal : null));
    const el = await mount(api, 'nb');
    equal(text(el, '#removed-title'), 'Fjernede brukere');
    ok(text(el, '[data-removed-id]').includes(HOSTILE));
    equal((window as { __pwned?: number }).__pwned, undefined);
    q<HTMLInputElement>(el, 'tbody input[type="checkbox"]').click();
    await settle(el);
    q<HTMLButtonElement>(el, '[data-action="restore"]').click();
    await settle(el);
    equal(q(el, '[data-for="message"]').getAttribute('role'), 'alert');
    equal(text(el, '[data-for="message"]'), 'Brukeren er koblet på nytt.');
    equal(el.shadowRoot!.querySelectorAll('[data-removed-id]').length, 1, 'nothing restored');
  });
});
