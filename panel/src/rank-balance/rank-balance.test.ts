import { html } from 'lit';
import './rank-balance.js';
import type { RankBalance } from './rank-balance.js';
import { PanelApiError } from '../api/api-client.js';
import { equal, ok } from '../test-support/assert.js';
import { expectAccessible } from '../test-support/axe.js';
import { cleanup, fixture, settle } from '../test-support/fixture.js';

const LOAD = {
  ranks: [
    { rank: 1, users: 3, itemsInSync: 120, graphRequests: 900, throttled: 4 },
    { rank: 2, users: 1, itemsInSync: 10, graphRequests: 20, throttled: 0 },
  ],
  windowHours: 24,
};
const MOVE = { id: '11111111-1111-4111-8111-111111111111', associateName: 'Kari Nordmann', fromRank: 1, toRank: 2, expectedVersion: 3, load: 400, diary: true, task: false, contact: true };
const PROPOSAL = {
  moves: [MOVE],
  before: { perRank: [{ rank: 1, users: 3, load: 1020 }, { rank: 2, users: 1, load: 30 }], max: 1020, min: 30, spread: 990 },
  after: { perRank: [{ rank: 1, users: 2, load: 620 }, { rank: 2, users: 2, load: 430 }], max: 620, min: 430, spread: 190 },
  windowHours: 24,
};

/** An API that answers from a script and records every call. */
function fakeApi(patch: () => unknown = () => ({ updated: [], unchanged: [] })) {
  const calls: { method: string; path: string; body?: unknown }[] = [];
  return {
    calls,
    send: async <T,>(method: string, path: string, body?: unknown): Promise<T> => {
      calls.push({ method, path, body });
      if (method === 'GET' && path === '/ranks') return LOAD as T;
      if (method === 'POST' && path === '/ranks/proposal') return PROPOSAL as T;
      if (method === 'PATCH' && path === '/links') return patch() as T;
      throw new Error(`unexpected ${method} ${path}`);
    },
  };
}

const q = (el: RankBalance, sel: string) => el.shadowRoot!.querySelector<HTMLElement>(sel);
const click = async (el: RankBalance, sel: string) => {
  q(el, sel)!.click();
  await new Promise((r) => setTimeout(r, 0));
  await settle(el);
  await new Promise((r) => setTimeout(r, 0));
  await settle(el);
};

describe('so-rank-balance', () => {
  afterEach(cleanup);

  it('is accessible and shows each rank with its users, items, requests and 429s', async () => {
    const api = fakeApi();
    const el = await fixture<RankBalance>(html`<so-rank-balance .api=${api}></so-rank-balance>`);
    await new Promise((r) => setTimeout(r, 0));
    await settle(el);
    const cells = [...el.shadowRoot!.querySelectorAll('tr[data-rank="1"] td')].map((c) => c.textContent);
    equal(cells.join('|'), '1|3|120|900|4');
    await expectAccessible(el);
  });

  it('proposes for the chosen ranks, previews moves and spread, applies them as one PATCH /links and says links changed', async () => {
    const api = fakeApi();
    const el = await fixture<RankBalance>(html`<so-rank-balance .api=${api}></so-rank-balance>`);
    await new Promise((r) => setTimeout(r, 0));
    await settle(el);
    // A new rank typed in joins the choice.
    const add = q(el, '[data-add-rank]') as HTMLInputElement;
    add.value = '3';
    add.dispatchEvent(new Event('change'));
    await settle(el);
    await click(el, '[data-propose]');
    equal(JSON.stringify(api.calls.find((c) => c.path === '/ranks/proposal')!.body), JSON.stringify({ ranks: [1, 2, 3] }));
    ok(q(el, '[data-spread]')!.textContent!.includes('990 before, 190 after'));
    ok(q(el, `[data-move="${MOVE.id}"]`)!.textContent!.includes('Kari Nordmann'));
    let changed = 0;
    el.addEventListener('links-changed', () => changed++);
    await click(el, '[data-apply]');
    const patch = api.calls.find((c) => c.method === 'PATCH')!;
    equal(JSON.stringify(patch.body), JSON.stringify({ changes: [{ id: MOVE.id, diary: true, task: false, contact: true, rank: 2, expectedVersion: 3 }] }));
    equal(changed, 1);
    ok(q(el, '[data-message]')!.textContent!.includes('1 users moved'));
  });

  it('a 409 VersionConflict says nothing was saved and offers to propose again', async () => {
    const api = fakeApi(() => {
      throw new PanelApiError(409, 'VersionConflict', 'stale');
    });
    const el = await fixture<RankBalance>(html`<so-rank-balance lang="nb" .api=${api}></so-rank-balance>`);
    await new Promise((r) => setTimeout(r, 0));
    await settle(el);
    await click(el, '[data-propose]');
    let changed = 0;
    el.addEventListener('links-changed', () => changed++);
    await click(el, '[data-apply]');
    equal(changed, 0);
    ok(q(el, '[role="alert"]')!.textContent!.includes('Foreslå på nytt'));
    const before = api.calls.filter((c) => c.path === '/ranks/proposal').length;
    await click(el, '[data-again]');
    equal(api.calls.filter((c) => c.path === '/ranks/proposal').length, before + 1);
  });
});
