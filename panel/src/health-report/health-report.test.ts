import { html } from 'lit';
import './health-report.js';
import type { HealthReportElement } from './health-report.js';
import { groupByKind } from './health-report.js';
import { PanelApiError } from '../api/api-client.js';
import { LinksChangedEvent } from '../admin-tools/tools.js';
import { equal, ok } from '../test-support/assert.js';
import { expectAccessible } from '../test-support/axe.js';
import { cleanup, fixture, settle } from '../test-support/fixture.js';
import type { HealthProblem, HealthReport } from '../../../backend/contract.js';

const LINK = '11111111-1111-4111-8111-111111111111';
const LINK2 = '22222222-2222-4222-8222-222222222222';
const problem = (kind: HealthProblem['kind'], extra: Partial<HealthProblem> = {}): HealthProblem => ({
  key: `${kind}:${extra.linkId === null ? `a${extra.associateId}` : (extra.linkId ?? LINK)}`,
  kind,
  linkId: LINK,
  associateId: 14,
  associateName: 'Ola Hansen',
  mailboxId: '33333333-3333-4333-8333-333333333333',
  mailboxAddress: 'ola.hansen@nordlys.example',
  message: 'x',
  since: null,
  ...extra,
});

/** Answers GET /health from `reports` in turn and records every call. */
class FakeApi {
  calls: [string, string, unknown][] = [];
  reports: HealthReport[];
  fail: Error | null = null;
  constructor(...reports: HealthReport[]) {
    this.reports = reports;
  }
  send = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    this.calls.push([method, path, body]);
    if (this.fail) throw this.fail;
    if (path === '/health') return (this.reports.length > 1 ? this.reports.shift() : this.reports[0]) as T;
    if (path === '/links/removal-preview') return { links: 1, historyRows: 12, users: [] } as T;
    return {} as T;
  };
  posts = () => this.calls.filter(([m]) => m === 'POST').map(([, p, b]) => [p, b]);
}
const reportOf = (problems: HealthProblem[], ignored = 0): HealthReport => ({ problems, computedAt: '2026-12-04T00:00:00.000Z', ignored });

const button = (el: HealthReportElement, key: string, fix: string) =>
  el.shadowRoot!.querySelector<HTMLButtonElement>(`li[data-key="${key}"] button[data-fix="${fix}"]`)!;

describe('so-health-report', () => {
  afterEach(cleanup);

  it('is accessible, groups the rows by kind with words per kind, and says when nothing needs attention', async () => {
    const api = new FakeApi(reportOf([problem('mailbox_disabled'), problem('unlinked_match', { linkId: null, associateId: 20, associateName: 'Kari' }), problem('sync_breaker', { linkId: LINK2, since: '2026-12-03T10:00:00.000Z' })], 2));
    const el = await fixture<HealthReportElement>(html`<so-health-report .api=${api}></so-health-report>`);
    await settle(el);
    const kinds = [...el.shadowRoot!.querySelectorAll('section[data-kind]')].map((s) => s.getAttribute('data-kind'));
    equal(kinds.join(','), 'mailbox_disabled,unlinked_match,sync_breaker');
    ok(el.shadowRoot!.textContent!.includes('Disabled accounts'));
    ok(el.shadowRoot!.textContent!.includes('2 ignored problems are not shown'));
    await expectAccessible(el);

    const empty = await fixture<HealthReportElement>(html`<so-health-report lang="nb" .api=${new FakeApi(reportOf([]))}></so-health-report>`);
    await settle(empty);
    ok(empty.shadowRoot!.querySelector('[data-empty]')!.textContent!.includes('Ingenting trenger oppmerksomhet'));
    ok(empty.shadowRoot!.textContent!.includes('Helse'));
  });

  it('each kind offers its fix and Ignore, and a fix calls the existing endpoint', async () => {
    const problems = [
      problem('sync_breaker'),
      problem('sync_error', { linkId: LINK2 }),
      problem('grant_lost', { linkId: '44444444-4444-4444-8444-444444444444' }),
      problem('unlinked_match', { linkId: null, associateId: 20 }),
      problem('email_mismatch', { linkId: '55555555-5555-4555-8555-555555555555' }),
    ];
    const api = new FakeApi(reportOf(problems));
    const el = await fixture<HealthReportElement>(html`<so-health-report .api=${api}></so-health-report>`);
    await settle(el);
    let changed = 0;
    el.addEventListener(LinksChangedEvent.type, () => changed++);
    for (const [p, fix] of [[problems[0]!, 'resume'], [problems[1]!, 'syncNow'], [problems[2]!, 'inviteAgain'], [problems[3]!, 'link'], [problems[4]!, 'update']] as const) {
      button(el, p.key, fix).click();
      await settle(el);
    }
    const posts = api.posts();
    equal(JSON.stringify(posts.map(([p]) => p)), JSON.stringify(['/sync/release', '/sync/run', '/invites', '/links', '/health/repoint']));
    equal(JSON.stringify(posts[0]![1]), JSON.stringify({ linkIds: [LINK] }));
    equal(JSON.stringify(posts[2]![1]), JSON.stringify({ associateIds: [14], delivery: 'email' }));
    equal((posts[3]![1] as any).links[0].associateId, 20);
    equal(changed, 2, 'Link and Update the link changed links');
    equal(api.calls.filter(([, p]) => p === '/health').length, 6, 'read again after each fix');
  });

  it('Remove asks first (with the preview), then removes and says links changed; Cancel does nothing', async () => {
    const p = problem('mailbox_deleted');
    const api = new FakeApi(reportOf([p]), reportOf([]));
    const el = await fixture<HealthReportElement>(html`<so-health-report .api=${api}></so-health-report>`);
    await settle(el);
    let changed = 0;
    el.addEventListener(LinksChangedEvent.type, () => changed++);
    button(el, p.key, 'remove').click();
    await settle(el);
    const dialog = el.shadowRoot!.querySelector('[role="alertdialog"]')!;
    ok(dialog.textContent!.includes('12 items'));
    equal(el.shadowRoot!.activeElement?.getAttribute('data-confirm'), 'remove', 'the confirmation has the focus');
    await expectAccessible(el);
    dialog.querySelector<HTMLButtonElement>('[data-confirm="cancel"]')!.click();
    await settle(el);
    equal(el.shadowRoot!.querySelector('[role="alertdialog"]'), null);
    equal(el.shadowRoot!.activeElement?.getAttribute('data-fix'), 'remove', 'focus back on Remove');
    equal(JSON.stringify(api.posts().map(([x]) => x)), JSON.stringify(['/links/removal-preview']));
    button(el, p.key, 'remove').click();
    await settle(el);
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-confirm="remove"]')!.click();
    await settle(el);
    equal(JSON.stringify(api.posts()), JSON.stringify([['/links/removal-preview', { ids: [LINK] }], ['/links/removal-preview', { ids: [LINK] }], ['/links/removal', { ids: [LINK] }]]));
    equal(changed, 1);
    ok(el.shadowRoot!.querySelector('[data-empty]'));
  });

  it('Ignore posts the key; Refresh reads again; a refusal is shown', async () => {
    const p = problem('associate_retired');
    const api = new FakeApi(reportOf([p]));
    const el = await fixture<HealthReportElement>(html`<so-health-report .api=${api}></so-health-report>`);
    await settle(el);
    button(el, p.key, 'ignore').click();
    await settle(el);
    equal(JSON.stringify(api.posts()), JSON.stringify([['/health/ignores', { keys: [p.key] }]]));
    const reads = api.calls.filter(([, x]) => x === '/health').length;
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-action="refresh"]')!.click();
    await settle(el);
    equal(api.calls.filter(([, x]) => x === '/health').length, reads + 1);
    api.fail = new PanelApiError(409, 'RepointNotPossible', 'No single mailbox.', []);
    button(el, p.key, 'remove').click();
    await settle(el);
    ok(el.shadowRoot!.querySelector('[role="status"]')!.textContent!.includes('No single mailbox.'));
  });

  it('groupByKind keeps the kinds in order and drops empty ones', () => {
    const g = groupByKind([problem('sync_error'), problem('associate_retired'), problem('sync_error', { linkId: LINK2 })]);
    equal(g.map((x) => `${x.kind}:${x.problems.length}`).join(' '), 'associate_retired:1 sync_error:2');
  });
});
