import { html } from 'lit';
import './link-csv.js';
import type { LinkCsv } from './link-csv.js';
import type { ImportApplied, ImportPreview } from '../../../backend/contract.js';
import { PanelApiError } from '../api/api-client.js';
import { equal, ok } from '../test-support/assert.js';
import { expectAccessible } from '../test-support/axe.js';
import { cleanup, fixture, settle } from '../test-support/fixture.js';

const values = (n: number, extra: Partial<ImportPreview['rows'][number]['values']> = {}) => ({
  associateId: String(n), associateName: `Associate ${n}`, mailboxId: `00000000-0000-4000-8000-00000000000${n}`, mailboxAddress: `user${n}@contoso.example`,
  diary: 'true', task: 'true', contact: 'true', rank: '1', state: 'active', ...extra,
});
const PREVIEW: ImportPreview = {
  rows: [
    { row: 2, status: 'changed', reason: null, linkId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', values: values(1, { rank: '9' }), differences: [{ field: 'rank', from: 1, to: 9 }] },
    { row: 3, status: 'refused', reason: 'Server Rank must be a whole number from 1 to 99.', linkId: null, values: values(2, { rank: '0' }), differences: [] },
    { row: 4, status: 'new', reason: null, linkId: null, values: values(3), differences: [] },
  ],
  counts: { rows: 3, new: 1, changed: 1, unchanged: 0, refused: 1 },
  fingerprint: 'A'.repeat(43),
};

class FakeCsvApi {
  calls: [string, string, string][] = [];
  answers: unknown[] = [];
  async download(path: string) {
    this.calls.push(['GET', path, '']);
    return { blob: new Blob(['\uFEFFAssociate ID\r\n']), filename: 'linked-users.csv' };
  }
  async sendFile<T>(method: string, path: string, file: Blob, type: string): Promise<T> {
    this.calls.push([method, path, `${type}:${await file.text()}`]);
    const next = this.answers.shift();
    if (next instanceof Error) throw next;
    return next as T;
  }
}

const q = (el: LinkCsv, sel: string) => el.shadowRoot!.querySelector<HTMLElement>(sel)!;

async function withFile(el: LinkCsv, text = 'csv-text') {
  const input = q(el, '[data-input="file"]') as HTMLInputElement;
  const dt = new DataTransfer();
  dt.items.add(new File([text], 'links.csv', { type: 'text/csv' }));
  input.files = dt.files;
  input.dispatchEvent(new Event('change'));
  await settle(el);
}

describe('so-link-csv', () => {
  afterEach(cleanup);

  it('is accessible, and previews the chosen file row by row with the reason of refused rows', async () => {
    const api = new FakeCsvApi();
    api.answers.push(PREVIEW);
    const el = await fixture<LinkCsv>(html`<so-link-csv .api=${api}></so-link-csv>`);
    await expectAccessible(el);
    ok((q(el, '[data-action="preview"]') as HTMLButtonElement).disabled, 'no file, no preview');
    await withFile(el, 'the file');
    q(el, '[data-action="preview"]').click();
    await settle(el);
    await settle(el);
    equal(api.calls[0]!.join(' '), 'POST /links/import/preview text/csv:the file');
    equal(el.shadowRoot!.querySelectorAll('tbody tr').length, 3);
    ok(q(el, '[data-row="3"]').textContent!.includes('Server Rank must be a whole number'));
    ok(q(el, '[data-row="2"]').textContent!.includes('rank: 1 → 9'));
    ok((q(el, '[data-action="apply"]') as HTMLButtonElement).disabled, 'a refused row: Apply only by skipping');
    (q(el, '[data-input="only-refused"]') as HTMLInputElement).click();
    await settle(el);
    equal(el.shadowRoot!.querySelectorAll('tbody tr').length, 1);
    await expectAccessible(el);
  });

  it('applies skipping refused rows with the fingerprint, shows the result and says links changed', async () => {
    const api = new FakeCsvApi();
    api.answers.push(PREVIEW, { created: 1, updated: 1, unchanged: 0, skipped: 1 } satisfies ImportApplied);
    const seen: Event[] = [];
    const host = await fixture<HTMLElement>(html`<div @links-changed=${(e: Event) => seen.push(e)}><so-link-csv .api=${api}></so-link-csv></div>`);
    const el = host.querySelector('so-link-csv')!;
    await withFile(el);
    q(el, '[data-action="preview"]').click();
    await settle(el);
    await settle(el);
    q(el, '[data-action="apply-skipping"]').click();
    await settle(el);
    await settle(el);
    equal(api.calls[1]![1], `/links/import/apply?fingerprint=${'A'.repeat(43)}&skipRefused=true`);
    ok(q(el, '[data-result]').textContent!.includes('1 linked, 1 changed, 0 unchanged, 1 skipped'));
    equal(seen.length, 1);
  });

  it('shows a refusal (a stale preview) in words, in Norwegian too', async () => {
    const api = new FakeCsvApi();
    api.answers.push(new PanelApiError(400, 'CsvUnreadable', 'x', [{ message: 'The file is not UTF-8.' }], 'Filen kunne ikke leses.'));
    const el = await fixture<LinkCsv>(html`<so-link-csv lang="nb" .api=${api}></so-link-csv>`);
    equal(q(el, '[data-action="export"]').textContent!.trim(), 'Eksporter');
    await withFile(el);
    q(el, '[data-action="preview"]').click();
    await settle(el);
    await settle(el);
    ok(q(el, '[role="alert"]').textContent!.includes('Filen kunne ikke leses. The file is not UTF-8.'));
  });

  it('Export downloads the file the server names', async () => {
    const api = new FakeCsvApi();
    const el = await fixture<LinkCsv>(html`<so-link-csv .api=${api}></so-link-csv>`);
    q(el, '[data-action="export"]').click();
    await settle(el);
    equal(api.calls[0]!.join(' '), 'GET /links/export ');
  });
});
