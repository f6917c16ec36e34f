import { html } from 'lit';
import './audit-view.js';
import type { AuditClient, AuditView } from './audit-view.js';
import type { AuditEntry } from '../../../backend/contract.js';
import { deepEqual, equal, ok } from '../test-support/assert.js';
import { expectAccessible } from '../test-support/axe.js';
import { cleanup, fixture, settle } from '../test-support/fixture.js';

const entry = (id: number, action: string, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  id,
  at: '2026-12-03T10:00:00.000Z',
  actor: { associateId: 5, name: 'Ada Admin' },
  action,
  category: 'links',
  entityType: 'link',
  entityId: `link-${id}`,
  before: { rank: 1, diary: true },
  after: { rank: 2, diary: true },
  requestId: null,
  ...extra,
});

/** A stand-in for the API: canned pages, every path asked for. */
class FakeApi implements AuditClient {
  paths: string[] = [];
  downloads: string[] = [];
  send = async <T,>(_method: string, path: string): Promise<T> => {
    this.paths.push(path);
    if (path === '/audit/actors') return { actors: [{ associateId: 5, name: 'Ada Admin' }, { associateId: 7, name: 'Bo Berg' }] } as T;
    const q = new URLSearchParams(path.split('?')[1]);
    if (q.get('before') === '10') return { entries: [entry(9, 'link.removed', { before: { rank: 2 }, after: null })], nextBefore: null } as T;
    return { entries: [entry(11, 'link.options_changed'), entry(10, 'tenant.microsoft_consent', { category: 'consent' })], nextBefore: 10 } as T;
  };
  download = async (path: string): Promise<{ blob: Blob; filename: string }> => {
    this.downloads.push(path);
    return { blob: new Blob(['\uFEFFid\r\n'], { type: 'text/csv' }), filename: 'audit-2026-12-04.csv' };
  };
}

const rows = (el: AuditView) => [...el.shadowRoot!.querySelectorAll('tbody tr')];
const button = (el: AuditView, action: string) => el.shadowRoot!.querySelector<HTMLButtonElement>(`[data-action="${action}"]`)!;

describe('so-audit-view', () => {
  afterEach(cleanup);

  it('is accessible, lists the entries in words with what changed, and loads more', async () => {
    const api = new FakeApi();
    const el = await fixture<AuditView>(html`<so-audit-view .api=${api}></so-audit-view>`);
    await settle(el);
    await expectAccessible(el);
    equal(rows(el).length, 2);
    ok(rows(el)[0]!.textContent!.includes('Changed options or rank'));
    ok(rows(el)[0]!.textContent!.includes('rank: 1 → 2'));
    ok(!rows(el)[0]!.textContent!.includes('diary'), 'unchanged fields are left out');
    ok(rows(el)[1]!.textContent!.includes('Connected Microsoft 365'));
    button(el, 'more').click();
    await settle(el);
    equal(rows(el).length, 3);
    ok(api.paths.at(-1)!.includes('before=10'));
    equal(button(el, 'more'), null, 'no more pages');
  });

  it('filters by user, category and dates, and exports with the same filters', async () => {
    const api = new FakeApi();
    const saved: string[] = [];
    const el = await fixture<AuditView>(html`<so-audit-view .api=${api} .save=${(_b: Blob, name: string) => saved.push(name)}></so-audit-view>`);
    await settle(el);
    const root = el.shadowRoot!;
    root.querySelector<HTMLSelectElement>('select[name="actor"]')!.value = '7';
    root.querySelector<HTMLSelectElement>('select[name="category"]')!.value = 'links';
    root.querySelector<HTMLInputElement>('input[name="from"]')!.value = '2026-12-01';
    root.querySelector<HTMLInputElement>('input[name="to"]')!.value = '2026-12-03';
    button(el, 'apply').click();
    await settle(el);
    const q = new URLSearchParams(api.paths.at(-1)!.split('?')[1]);
    equal(q.get('actor'), '7');
    equal(q.get('category'), 'links');
    equal(q.get('from'), new Date('2026-12-01T00:00:00').toISOString());
    equal(q.get('to'), new Date(new Date('2026-12-03T00:00:00').getTime() + 86_399_999).toISOString());
    button(el, 'export').click();
    await settle(el);
    equal(api.downloads.length, 1);
    const e = new URLSearchParams(api.downloads[0]!.split('?')[1]);
    deepEqual([e.get('actor'), e.get('category'), e.get('from')], ['7', 'links', q.get('from')]);
    ok(api.downloads[0]!.startsWith('/audit/export?'));
    equal(saved.length, 1);
    ok(/^audit-\d{4}-\d\d-\d\d\.csv$/.test(saved[0]!));
  });

  it('speaks Norwegian', async () => {
    const el = await fixture<AuditView>(html`<so-audit-view lang="nb" .api=${new FakeApi()}></so-audit-view>`);
    await settle(el);
    ok(el.shadowRoot!.textContent!.includes('Revisjon'));
    ok(rows(el)[0]!.textContent!.includes('Endret valg eller rangering'));
    equal(button(el, 'export').textContent!.trim(), 'Eksporter CSV');
  });
});
