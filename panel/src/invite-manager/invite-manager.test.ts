import { html } from 'lit';
import './invite-manager.js';
import type { InviteManager } from './invite-manager.js';
import { PanelApiError, type InviteClient } from '../api/api-client.js';
import { SelectionChangeEvent } from '../data-list/data-list.js';
import type { Associate, Authorization, Invite, InviteRequest, InviteResult, TenantInfo } from '../logic/types.js';
import { deepEqual, equal, ok } from '../test-support/assert.js';
import { expectAccessible } from '../test-support/axe.js';
import { cleanup, fixture, frames, settle } from '../test-support/fixture.js';
import { press } from '../test-support/input.js';
import { cell, row, settleList } from '../test-support/list.js';

const HOSTILE = '<img src=x onerror="window.__pwned=1">Eve';
const DAY = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString();

const associate = (id: number, name: string, email: string | null, active = true): Associate => ({
  associateId: id,
  name,
  loginName: `U${id}`,
  personId: id + 100,
  userGroupId: 1,
  userGroup: 'Sales',
  active,
  email,
});

const invite = (a: Associate, state: Invite['state'], extra: Partial<Invite> = {}): Invite => ({
  id: `inv-${a.associateId}`,
  associateId: a.associateId,
  associateName: a.name,
  email: a.email ?? '',
  state,
  delivery: 'email',
  allowOtherMailbox: false,
  linkOnAccept: false,
  createdAt: inDays(-3),
  createdBy: 'Ada Admin',
  expiresAt: inDays(11),
  sentAt: inDays(-3),
  acceptedAt: null,
  acceptedMailbox: null,
  acceptedOtherMailbox: false,
  outcome: null,
  revokedAt: null,
  sendError: null,
  ...extra,
});

const authorization = (a: Associate, mailbox: string, extra: Partial<Authorization> = {}): Authorization => ({
  mailboxId: `mbx-${a.associateId}`,
  mailboxAddress: mailbox,
  displayName: a.name,
  account: mailbox,
  associateId: a.associateId,
  associateName: a.name,
  authorizedAt: inDays(-1),
  revokedAt: null,
  ...extra,
});

const ADA = associate(1, 'Ada Invited', 'ada@example.com');
const BO = associate(2, 'Bo Accepted', 'bo@example.com');
const CY = associate(3, 'Cy NoMail', null);
const DI = associate(4, 'Di Expired', 'di@example.com');
const EVE = associate(5, HOSTILE, 'eve@example.com');
const FAY = associate(6, 'Fay Revoked', 'fay@example.com');
const GUS = associate(7, 'Gus Overdue', 'gus@example.com');
const HAL = associate(8, 'Hal Retired', 'hal@example.com', false);
const ASSOCIATES = [ADA, BO, CY, DI, EVE, FAY, GUS, HAL];

const INVITES: Invite[] = [
  invite(ADA, 'invited'),
  invite(BO, 'accepted', { acceptedAt: inDays(-1), acceptedMailbox: { id: 'mbx-2', address: 'bo@m365.example' } }),
  invite(DI, 'expired', { expiresAt: inDays(-2) }),
  invite(EVE, 'failed', { sentAt: null, sendError: 'Mailbox unavailable' }),
  invite(FAY, 'revoked', { revokedAt: inDays(-1) }),
  invite(GUS, 'invited', { expiresAt: inDays(-1) }),
];
const AUTHORIZATIONS: Authorization[] = [authorization(BO, 'bo@m365.example')];

const tenant = (): TenantInfo => ({
  id: 'Cust1',
  mode: 'oauth',
  inviteTtlDays: 14,
  version: 3,
  sync: { windowPastDays: 30, windowFutureDays: 120, conflictWinner: 'superoffice', timeZone: 'Europe/Oslo' },
  invites: {
    senderAddress: 'crm@example.com',
    senderName: 'CRM team',
    subject: 'Connect your mailbox',
    message: 'Hello {name}, open {link} before {expires}.',
    allowOtherMailbox: false,
  },
  microsoft: { configured: true, connected: true, entraTenantId: 'org-1', organizationName: 'Contoso Ltd', consentedAt: null },
  panels: { provisionedAt: null, error: null },
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A stand-in for the API client: canned invites and authorizations, and a record of every call. */
class FakeApi implements InviteClient {
  calls: [string, unknown][] = [];
  inviteList: Invite[] = INVITES;
  authorizationList: Authorization[] = AUTHORIZATIONS;
  /** The associates the backend knows (for skipped reasons and failures). */
  known: Associate[] = ASSOCIATES;
  /** Emails Microsoft 365 refuses to send to. */
  refuse = new Set<string>();
  /** When set, each sendInvites waits for its gate (by call number) before answering. */
  gates: { promise: Promise<void> }[] | null = null;
  failWith: Partial<Record<string, Error>> = {};

  private maybeFail(name: string): void {
    const err = this.failWith[name];
    if (err) throw err;
  }

  invites = async () => {
    this.calls.push(['invites', null]);
    return this.inviteList;
  };
  /** The signed-in administrator (GET /session). */
  signedIn = { tenantId: 'Cust1', associateId: 99, associateName: 'Ada Admin', isAdmin: true, expiresAt: inDays(1) };
  session = async () => {
    this.calls.push(['session', null]);
    return this.signedIn;
  };
  authorizations = async () => {
    this.calls.push(['authorizations', null]);
    return this.authorizationList;
  };
  sendInvites = async (req: InviteRequest): Promise<InviteResult> => {
    const n = this.calls.filter(([c]) => c === 'sendInvites').length;
    this.calls.push(['sendInvites', req]);
    await this.gates?.[n]?.promise;
    this.maybeFail('sendInvites');
    const result: InviteResult = { invites: [], links: [], skipped: [], failed: [] };
    for (const id of req.associateIds) {
      const a = this.known.find((x) => x.associateId === id);
      if (!a) result.skipped.push({ associateId: id, associateName: `#${id}`, reason: 'UnknownAssociate' });
      else if (!a.active) result.skipped.push({ associateId: id, associateName: a.name, reason: 'Retired' });
      else if (!a.email) result.skipped.push({ associateId: id, associateName: a.name, reason: 'NoEmail' });
      else if (this.refuse.has(a.email)) {
        result.invites.push(invite(a, 'failed', { sendError: 'Mailbox full' }));
        result.failed.push({ associateId: id, associateName: a.name, email: a.email, code: 'ErrorMailboxFull', message: 'Mailbox full' });
      } else {
        result.invites.push(invite(a, 'invited', { delivery: req.delivery }));
        if (req.delivery === 'link') result.links.push({ associateId: id, url: `https://app.example/accept/#t=secret-${id}` });
      }
    }
    return result;
  };
  revokeInvites = async (ids: string[]) => {
    this.calls.push(['revokeInvites', ids]);
    return this.inviteList.filter((i) => ids.includes(i.id)).map((i) => ({ ...i, state: 'revoked' as const }));
  };
  revokeAuthorizations = async (mailboxIds: string[]) => {
    this.calls.push(['revokeAuthorizations', mailboxIds]);
    const revoked = this.authorizationList.filter((a) => mailboxIds.includes(a.mailboxId)).map((a) => ({ ...a, revokedAt: inDays(0) }));
    return { revoked, disabledLinks: revoked.length };
  };

  called(name: string): unknown[] {
    return this.calls.filter(([n]) => n === name).map(([, a]) => a);
  }
}

interface Setup {
  api?: FakeApi;
  associates?: Associate[];
  lang?: 'en' | 'nb';
  clipboard?: (text: string) => Promise<void>;
}

async function waitFor(check: () => boolean, what: string, timeout = 3000): Promise<void> {
  const end = performance.now() + timeout;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await frames(1);
  }
}

const root = (el: InviteManager) => el.shadowRoot!;
const text = (el: InviteManager, selector: string) => root(el).querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const button = (el: InviteManager, label: string): HTMLButtonElement => {
  const b = [...root(el).querySelectorAll('button')].find((x) => x.textContent!.trim() === label);
  if (!b) throw new Error(`no button "${label}"`);
  return b;
};
async function clickButton(el: InviteManager, label: string): Promise<void> {
  const b = button(el, label);
  ok(!b.disabled, `"${label}" is enabled`);
  b.click();
  await settle(el);
}
function select(el: InviteManager, ids: (string | number)[]): Promise<void> {
  const keys = ids.map(String);
  root(el).querySelector('so-data-list')!.dispatchEvent(new SelectionChangeEvent(keys, new Set(keys)));
  return settle(el);
}
const copiedTexts: string[] = [];

async function mount(setup: Setup = {}): Promise<{ el: InviteManager; api: FakeApi }> {
  const api = setup.api ?? new FakeApi();
  const clipboard =
    setup.clipboard ??
    (async (t: string) => {
      copiedTexts.push(t);
    });
  const el = await fixture<InviteManager>(
    html`<so-invite-manager
      lang=${setup.lang ?? 'en'}
      .api=${api}
      .associates=${setup.associates ?? ASSOCIATES}
      .tenant=${tenant()}
      .writeClipboard=${clipboard}
    ></so-invite-manager>`,
    { width: 1000, height: 620 },
  );
  await waitFor(() => api.called('authorizations').length > 0, 'invites loaded');
  await settle(el);
  return { el, api };
}

/** 250 associates: every 50th has no email on the contact card; #7's mailbox refuses mail. */
function many(api: FakeApi): Associate[] {
  const list = Array.from({ length: 250 }, (_, i) => associate(i + 1, `User ${String(i + 1).padStart(3, '0')}`, (i + 1) % 50 === 0 ? null : `user${i + 1}@example.com`));
  api.known = list;
  api.inviteList = [];
  api.authorizationList = [];
  api.refuse = new Set(['user7@example.com']);
  return list;
}

const sentChunks = (api: FakeApi) => (api.called('sendInvites') as InviteRequest[]).map((r) => r.associateIds.length);

describe('so-invite-manager', () => {
  afterEach(() => {
    cleanup();
    copiedTexts.length = 0;
  });

  it('is accessible, with its list, its form, a report and a confirmation dialog', async () => {
    const { el } = await mount();
    await expectAccessible(el);
    await select(el, [1, 3]);
    await clickButton(el, 'Send invites to selected users');
    await waitFor(() => text(el, '[data-report]') !== '', 'report');
    await expectAccessible(el);
    await select(el, [1]);
    await clickButton(el, 'Revoke invites');
    ok(root(el).querySelector('dialog')!.open);
    await expectAccessible(el);
  });

  it('lists every associate with the state of their newest invite, its date and the authorized mailbox', async () => {
    const { el } = await mount();
    const list = root(el).querySelector('so-data-list')!;
    const state = (id: number) => cell(row(list, String(id)), 'state').textContent!.replace(/\s+/g, ' ').trim();
    equal(state(1), 'Invited');
    equal(state(2), 'Accepted');
    equal(state(3), 'Not invited');
    equal(state(4), 'Expired');
    equal(state(5), 'Not sent Mailbox unavailable', 'a failed invite says why');
    equal(state(6), 'Revoked');
    equal(state(7), 'Expired', 'an invite past its expiry shows as expired');
    const when = (id: number) => cell(row(list, String(id)), 'when').textContent!.trim();
    ok(when(1).startsWith('Expires '), when(1));
    ok(when(2).startsWith('Accepted '), when(2));
    ok(when(4).startsWith('Expired '), when(4));
    equal(when(3), '');
    equal(cell(row(list, '2'), 'mailbox').textContent!.trim(), 'bo@m365.example');
    equal(cell(row(list, '3'), 'email').textContent!.trim(), 'No email', 'associates without an email are marked');
    ok(row(list, '8').classList.contains('muted'), 'a retired associate is dimmed');
    ok(cell(row(list, '8'), 'name').textContent!.includes('Retired'));
    deepEqual(
      ['name', 'email', 'state', 'when', 'mailbox'].map((c) => list.shadowRoot!.querySelector(`[role="columnheader"][data-column="${c}"]`)!.textContent!.replace(/[▲▼]/g, '').trim()),
      ['Name', 'Email', 'Invite state', 'Expires / Accepted at', 'Authorized mailbox'],
    );
    equal(text(el, '[data-resend]'), 'To re-send an invite, select the user and send again: the new invite replaces the old one, whose link stops working.');
  });

  it('starts the invite email from the tenant and explains the placeholders', async () => {
    const { el } = await mount();
    equal(root(el).querySelector<HTMLInputElement>('#sender')!.value, 'crm@example.com');
    equal(root(el).querySelector<HTMLInputElement>('#sender-name')!.value, 'CRM team');
    equal(root(el).querySelector<HTMLInputElement>('#subject')!.value, 'Connect your mailbox');
    equal(root(el).querySelector<HTMLTextAreaElement>('#message')!.value, 'Hello {name}, open {link} before {expires}.');
    equal(root(el).querySelector<HTMLInputElement>('[data-field="allowOtherMailbox"]')!.checked, false);
    const hint = text(el, '#message-hint');
    for (const p of ['{name}', '{link}', '{expires}', '{organisation}']) ok(hint.includes(p), `explains ${p}`);
    equal(text(el, '[data-lifetime]'), 'Invites are valid for 14 days (set under Mailbox authorization).');
    equal(root(el).querySelector('label[for="sender"]')!.textContent, 'Sender mailbox');
  });

  it('sends to 250 selected associates in three requests with progress, then names who was skipped and what failed', async () => {
    const api = new FakeApi();
    const associates = many(api);
    const gates = [deferred(), deferred(), deferred()];
    api.gates = gates;
    const { el } = await mount({ api, associates });
    const subject = root(el).querySelector<HTMLInputElement>('#subject')!;
    subject.value = 'Please connect';
    subject.dispatchEvent(new Event('input'));
    root(el).querySelector<HTMLInputElement>('[data-field="allowOtherMailbox"]')!.click();
    await select(el, associates.map((a) => a.associateId));
    const loadsBefore = api.called('invites').length;
    await clickButton(el, 'Send invites to selected users');
    await waitFor(() => api.called('sendInvites').length === 1, 'first request');
    equal(text(el, '[data-progress]'), 'Sent 0 of 250…');
    ok(button(el, 'Cancel'), 'the send can be cancelled');
    gates[0]!.resolve();
    await waitFor(() => text(el, '[data-progress]') === 'Sent 100 of 250…', 'progress 100');
    gates[1]!.resolve();
    await waitFor(() => text(el, '[data-progress]') === 'Sent 200 of 250…', 'progress 200');
    gates[2]!.resolve();
    await waitFor(() => text(el, '[data-report]') !== '', 'report');
    deepEqual(sentChunks(api), [100, 100, 50], 'at most 100 associates per request');
    const requests = api.called('sendInvites') as InviteRequest[];
    deepEqual(requests.flatMap((r) => r.associateIds), associates.map((a) => a.associateId), 'everyone selected, once, in order');
    const first = requests[0]!;
    deepEqual(
      [first.delivery, first.senderAddress, first.senderName, first.subject, first.message, first.allowOtherMailbox],
      ['email', 'crm@example.com', 'CRM team', 'Please connect', 'Hello {name}, open {link} before {expires}.', true],
    );
    equal(text(el, '[data-report-title]'), '244 invites sent to 250 selected users.');
    equal(text(el, '[data-skipped] strong'), 'Not invited: 5');
    deepEqual(
      [...root(el).querySelectorAll('[data-skipped] li')].map((li) => li.textContent!.trim()),
      [50, 100, 150, 200, 250].map((n) => `User ${String(n).padStart(3, '0')}: no email on the contact card`),
    );
    equal(text(el, '[data-failed] strong'), 'Not sent: 1');
    equal(text(el, '[data-failed] ul li'), 'User 007 (user7@example.com): Mailbox full');
    equal(root(el).querySelector('[data-progress]'), null, 'the progress is gone');
    equal(api.called('invites').length, loadsBefore + 1, 'the invites are reloaded');
  });

  it('Cancel stops after the request on its way', async () => {
    const api = new FakeApi();
    const associates = many(api);
    const gates = [deferred(), deferred(), deferred()];
    api.gates = gates;
    const { el } = await mount({ api, associates });
    await select(el, associates.map((a) => a.associateId));
    await clickButton(el, 'Send invites to selected users');
    gates[0]!.resolve();
    await waitFor(() => text(el, '[data-progress]') === 'Sent 100 of 250…', 'progress 100');
    await clickButton(el, 'Cancel');
    equal(text(el, '[data-progress]'), 'Stopping after the current batch…');
    gates[1]!.resolve();
    await waitFor(() => text(el, '[data-report]') !== '', 'report');
    gates[2]!.resolve();
    await frames(4);
    deepEqual(sentChunks(api), [100, 100], 'no third request');
    equal(text(el, '[data-report-title]'), 'Stopped after 200 of 250 users: 195 invites sent.');
    ok(!button(el, 'Send invites to selected users').disabled);
  });

  it('needs a selection and a sender mailbox before sending, and says so next to the button', async () => {
    const { el, api } = await mount();
    await clickButton(el, 'Send invites to selected users');
    equal(text(el, '[role="alert"][data-for="send"]'), 'Select one or more users first.');
    await select(el, [1]);
    const sender = root(el).querySelector<HTMLInputElement>('#sender')!;
    sender.value = 'not-an-address';
    sender.dispatchEvent(new Event('input'));
    sender.dispatchEvent(new Event('change'));
    await settle(el);
    equal(text(el, '#sender-error'), 'Enter the email address of the sender mailbox, e.g. crm-admin@contoso.com.');
    equal(sender.getAttribute('aria-invalid'), 'true');
    ok(sender.getAttribute('aria-describedby')!.includes('sender-error'));
    await clickButton(el, 'Send invites to selected users');
    ok(text(el, '[role="alert"][data-for="send"]').startsWith('Enter the email address of the sender mailbox'));
    equal(api.called('sendInvites').length, 0, 'nothing was sent');
    sender.value = 'crm-admin@contoso.com';
    sender.dispatchEvent(new Event('input'));
    await settle(el);
    equal(root(el).querySelector('#sender-error'), null, 'a valid address clears the message');
  });

  it('shows an API error next to Send, in words the administrator can act on', async () => {
    const api = new FakeApi();
    api.failWith['sendInvites'] = new PanelApiError(404, 'InviteSenderNotFound', 'No such mailbox: crm@example.com.');
    const { el } = await mount({ api });
    await select(el, [1]);
    await clickButton(el, 'Send invites to selected users');
    await waitFor(() => text(el, '[role="alert"][data-for="send"]') !== '', 'error');
    equal(text(el, '[role="alert"][data-for="send"]'), 'Microsoft 365 has no mailbox with the sender address. Check the sender mailbox.');
    api.failWith['sendInvites'] = new PanelApiError(429, 'MicrosoftThrottled', 'Throttled.');
    await clickButton(el, 'Send invites to selected users');
    await waitFor(() => text(el, '[role="alert"][data-for="send"]').startsWith('Microsoft 365 is busy'), 'throttled');
    api.failWith['sendInvites'] = new PanelApiError(500, 'HttpError', 'Something else broke.');
    await clickButton(el, 'Send invites to selected users');
    await waitFor(() => text(el, '[role="alert"][data-for="send"]') === 'Something else broke.', 'other');
  });

  it('Copy invite link: refuses without exactly one user; copies the link and shows it once', async () => {
    const { el, api } = await mount();
    await clickButton(el, 'Copy invite link');
    equal(text(el, '[role="alert"][data-for="copy"]'), 'Select exactly one user to copy an invite link for.');
    await select(el, [1, 4]);
    await clickButton(el, 'Copy invite link');
    equal(text(el, '[role="alert"][data-for="copy"]'), 'Select exactly one user to copy an invite link for.');
    equal(api.called('sendInvites').length, 0);

    await select(el, [4]);
    await clickButton(el, 'Copy invite link');
    await waitFor(() => text(el, '[data-for="copy"]') !== '', 'copied');
    deepEqual(api.called('sendInvites'), [{ associateIds: [4], delivery: 'link', allowOtherMailbox: false, linkOnAccept: false }]);
    deepEqual(copiedTexts, ['https://app.example/accept/#t=secret-4']);
    equal(text(el, '[role="status"][data-for="copy"]'), 'Copied the invite link for Di Expired to the clipboard.');
    const field = root(el).querySelector<HTMLInputElement>('#invite-link')!;
    equal(field.value, 'https://app.example/accept/#t=secret-4');
    ok(field.readOnly, 'read-only');
    equal(text(el, 'label[for="invite-link"]'), 'Invite link for Di Expired');
    ok(text(el, '#invite-link-note').startsWith('The link is shown only this once'));
    await expectAccessible(el);
  });

  it('Copy invite link still shows the link when the clipboard refuses', async () => {
    const { el } = await mount({ clipboard: () => Promise.reject(new DOMException('Denied', 'NotAllowedError')) });
    await select(el, [1]);
    await clickButton(el, 'Copy invite link');
    await waitFor(() => text(el, '[data-for="copy"]') !== '', 'message');
    equal(root(el).querySelector<HTMLInputElement>('#invite-link')!.value, 'https://app.example/accept/#t=secret-1');
    equal(text(el, '[data-for="copy"]'), 'The browser did not allow copying to the clipboard: select the link below and copy it.');
  });

  it('Copy invite link says why an associate cannot be invited', async () => {
    const { el } = await mount();
    await select(el, [3]);
    await clickButton(el, 'Copy invite link');
    await waitFor(() => text(el, '[data-for="copy"]') !== '', 'message');
    equal(text(el, '[role="alert"][data-for="copy"]'), 'Cy NoMail was not invited: no email on the contact card.');
    equal(root(el).querySelector('#invite-link'), null);
  });

  it('Revoke invites asks first, for the open invites only; Cancel and Escape change nothing', async () => {
    const { el, api } = await mount();
    await select(el, [3]);
    await clickButton(el, 'Revoke invites');
    equal(text(el, '[role="alert"][data-for="revokeInvites"]'), 'None of the selected users has an open invite.');
    await select(el, [1, 2]);
    await clickButton(el, 'Revoke invites');
    const dialog = root(el).querySelector('dialog')!;
    ok(dialog.open);
    equal(dialog.getAttribute('role'), 'alertdialog');
    equal(root(el).getElementById(dialog.getAttribute('aria-labelledby')!)!.textContent, 'Revoke 1 invite?');
    ok(dialog.textContent!.includes('The invite links stop working.'));
    equal(text(el, '[data-only-some]'), 'Only 1 of the 2 selected users are affected.');
    equal(text(el, '[data-users] li'), 'Ada Invited — ada@example.com');
    equal(root(el).activeElement?.textContent, 'Cancel', 'focus starts on Cancel');
    await clickButton(el, 'Cancel');
    ok(!dialog.open);
    await clickButton(el, 'Revoke invites');
    await press('Escape');
    await settle(el);
    ok(!dialog.open, 'Escape cancels');
    equal(api.called('revokeInvites').length, 0);

    await clickButton(el, 'Revoke invites');
    const loads = api.called('invites').length;
    dialog.querySelector<HTMLButtonElement>('[data-action="confirm"]')!.click();
    await waitFor(() => text(el, '[data-for="revokeInvites"]') !== '', 'revoked');
    deepEqual(api.called('revokeInvites'), [['inv-1']]);
    equal(text(el, '[data-for="revokeInvites"]'), 'Revoked 1 invite.');
    equal(api.called('invites').length, loads + 1, 'the invites are reloaded');
  });

  it('Revoke authorization asks first and says the link, options and history are kept', async () => {
    const { el, api } = await mount();
    await select(el, [1]);
    await clickButton(el, 'Revoke authorization');
    equal(text(el, '[role="alert"][data-for="revokeAuthorization"]'), 'None of the selected users has authorized a mailbox.');
    await select(el, [2]);
    await clickButton(el, 'Revoke authorization');
    const dialog = root(el).querySelector('dialog')!;
    ok(dialog.open);
    equal(root(el).getElementById(dialog.getAttribute('aria-labelledby')!)!.textContent, 'Revoke the authorization of 1 user?');
    ok(dialog.textContent!.includes('Synchronization stops for their mailboxes'));
    equal(text(el, '[data-kept]'), 'Their links, options and sync history are kept, and they can be invited again.');
    equal(text(el, '[data-users] li'), 'Bo Accepted — bo@m365.example');
    await expectAccessible(el);
    await clickButton(el, 'Cancel');
    equal(api.called('revokeAuthorizations').length, 0, 'Cancel sends nothing');
    await clickButton(el, 'Revoke authorization');
    const loads = api.called('authorizations').length;
    dialog.querySelector<HTMLButtonElement>('[data-action="confirm"]')!.click();
    await waitFor(() => text(el, '[data-for="revokeAuthorization"]') !== '', 'revoked');
    deepEqual(api.called('revokeAuthorizations'), [['mbx-2']]);
    equal(text(el, '[data-for="revokeAuthorization"]'), 'Revoked 1 authorization; 1 linked user is no longer synchronized.');
    equal(api.called('authorizations').length, loads + 1, 'the authorizations are reloaded');
  });

  it('Revoke authorization also acts on an accepted invite whose authorization is not listed', async () => {
    const api = new FakeApi();
    api.authorizationList = [];
    const { el } = await mount({ api });
    await select(el, [2]);
    await clickButton(el, 'Revoke authorization');
    equal(text(el, '[data-users] li'), 'Bo Accepted — bo@m365.example');
    root(el).querySelector<HTMLButtonElement>('dialog [data-action="confirm"]')!.click();
    await waitFor(() => api.called('revokeAuthorizations').length === 1, 'revoked');
    deepEqual(api.called('revokeAuthorizations'), [['mbx-2']]);
  });

  it('renders hostile names as text in the list, the report and the dialog', async () => {
    const api = new FakeApi();
    api.refuse = new Set(['eve@example.com']);
    const { el } = await mount({ api });
    const list = root(el).querySelector('so-data-list')!;
    equal(cell(row(list, '5'), 'name').textContent!.trim(), HOSTILE);
    await select(el, [5]);
    // What the reload after sending will find.
    api.inviteList = [invite(EVE, 'invited')];
    await clickButton(el, 'Send invites to selected users');
    await waitFor(() => text(el, '[data-failed]') !== '', 'report');
    equal(text(el, '[data-failed] ul li'), `${HOSTILE} (eve@example.com): Mailbox full`);
    await clickButton(el, 'Revoke invites');
    ok(root(el).querySelector('dialog')!.open);
    ok(text(el, '[data-users] li').startsWith(HOSTILE));
    await clickButton(el, 'Cancel');
    equal(root(el).querySelectorAll('img').length + list.shadowRoot!.querySelectorAll('img').length, 0, 'no element injected');
    equal((window as { __pwned?: number }).__pwned, undefined);
  });

  it('speaks Norwegian (bokmål), keeping the product labels in English', async () => {
    const { el } = await mount({ lang: 'nb' });
    ok(button(el, 'Send invites to selected users'));
    ok(button(el, 'Copy invite link'));
    equal(text(el, 'h2'), 'Token Authentication Manager');
    ok(button(el, 'Trekk tilbake invitasjoner'));
    const list = root(el).querySelector('so-data-list')!;
    await settleList(list);
    equal(cell(row(list, '3'), 'state').textContent!.trim(), 'Ikke invitert');
    equal(cell(row(list, '3'), 'email').textContent!.trim(), 'Ingen e-post');
    equal(root(el).querySelector('label[for="sender"]')!.textContent, 'Avsenderpostboks');
    await expectAccessible(el);
  });
});

describe('so-invite-manager: states that say what is true', () => {
  afterEach(() => cleanup());

  const list = (el: InviteManager) => root(el).querySelector('so-data-list')!;
  const cellOf = (el: InviteManager, id: number, column: string) => cell(row(list(el), String(id)), column);
  const cellText = (el: InviteManager, id: number, column: string) => cellOf(el, id, column).textContent!.replace(/\s+/g, ' ').trim();
  /** Every badge in the cell shows all its text (nothing cut by the column's width). */
  const badgesWhole = (c: HTMLElement) => [...c.querySelectorAll<HTMLElement>('.badge')].every((b) => b.scrollWidth <= b.clientWidth + 1 && b.getBoundingClientRect().right <= c.getBoundingClientRect().right + 1);

  it('after Revoke authorization the row reads Revoked (never a green Accepted), its badge whole at 1024 and 1280 wide', async () => {
    for (const width of [1024, 1280]) {
      const api = new FakeApi();
      const bo = INVITES[1]!;
      api.inviteList = [bo];
      const el = await fixture<InviteManager>(html`<so-invite-manager .api=${api} .associates=${[BO]} .tenant=${tenant()}></so-invite-manager>`, { width, height: 700 });
      await waitFor(() => api.called('authorizations').length > 0, 'loaded');
      await settle(el);
      equal(cellText(el, 2, 'state'), 'Accepted');
      await select(el, [2]);
      // What the backend answers after the revocation: the authorization revoked, the invite `revoked`.
      const at = inDays(0);
      api.authorizationList = [authorization(BO, 'bo@m365.example', { mailboxId: 'mbx-2', revokedAt: at })];
      api.inviteList = [{ ...bo, state: 'revoked', revokedAt: at }];
      await clickButton(el, 'Revoke authorization');
      root(el).querySelector<HTMLButtonElement>('dialog [data-action="confirm"]')!.click();
      await waitFor(() => text(el, '[data-for="revokeAuthorization"]') !== '', 'revoked');
      await waitFor(() => cellText(el, 2, 'state') === 'Revoked', 'the row reloaded');
      const badge = cellOf(el, 2, 'state').querySelector<HTMLElement>('.badge')!;
      equal(badge.dataset['tone'], 'neutral', 'not the green of Accepted');
      ok(cellText(el, 2, 'when').startsWith('Revoked '), cellText(el, 2, 'when'));
      const mailbox = cellOf(el, 2, 'mailbox');
      equal(mailbox.querySelector('.pair')!.firstElementChild!.textContent, 'Revoked', 'the badge comes before the address');
      equal(mailbox.querySelector('.text')!.getAttribute('title'), 'bo@m365.example', 'the address is readable in full');
      ok(badgesWhole(mailbox), `the Revoked badge is whole at ${width}`);
      ok(badgesWhole(cellOf(el, 2, 'state')), `the state badge is whole at ${width}`);
      await expectAccessible(el);
      cleanup();
    }
  });

  it('a panel-side check too: an accepted invite whose authorization was revoked reads Revoked; in Norwegian its badges are whole at 1024 and 1280', async () => {
    for (const [lang, width, word] of [['en', 1024, 'Revoked'], ['nb', 1024, 'Tilbakekalt'], ['nb', 1280, 'Tilbakekalt']] as const) {
      const api = new FakeApi();
      api.inviteList = [INVITES[1]!];
      api.authorizationList = [authorization(BO, 'a.rather.long.mailbox.address.for.bo@m365.example', { mailboxId: 'mbx-2', revokedAt: inDays(-1) })];
      const el = await fixture<InviteManager>(html`<so-invite-manager lang=${lang} .api=${api} .associates=${[BO]} .tenant=${tenant()}></so-invite-manager>`, { width, height: 700 });
      await waitFor(() => api.called('authorizations').length > 0, 'loaded');
      await settle(el);
      equal(cellOf(el, 2, 'state').querySelector('.badge')!.textContent, word);
      ok(badgesWhole(cellOf(el, 2, 'state')) && badgesWhole(cellOf(el, 2, 'mailbox')), `${lang} at ${width}: the badges are whole`);
      cleanup();
    }
  });

  it('explains an invite accepted with another mailbox, in English and Norwegian', async () => {
    const other = { id: 'mbx-x', address: 'someone.else@m365.example' };
    for (const [lang, expected] of [
      ['en', 'Other mailbox accepted with another mailbox: someone.else@m365.example — the invite allowed it (invited: bo@example.com)'],
      ['nb', 'Annen postboks godtatt med en annen postboks: someone.else@m365.example — invitasjonen tillot det (invitert: bo@example.com)'],
    ] as const) {
      const api = new FakeApi();
      api.inviteList = [invite(BO, 'accepted', { allowOtherMailbox: true, acceptedAt: inDays(-1), acceptedMailbox: other, acceptedOtherMailbox: true })];
      api.authorizationList = [authorization(BO, other.address, { mailboxId: other.id })];
      const { el } = await mount({ api, associates: [BO], lang });
      equal(cellText(el, 2, 'mailbox'), expected);
      const textEl = cellOf(el, 2, 'mailbox').querySelector('.text')!;
      equal(textEl.getAttribute('title'), expected.replace(/^(Other mailbox|Annen postboks) /, ''), 'the whole explanation is in its title');
      await expectAccessible(el);
      cleanup();
    }
  });

  it('says what accepting did about the link: proposed, linked, or already linked elsewhere', async () => {
    const api = new FakeApi();
    const accepted = (a: Associate, outcome: Invite['outcome']) =>
      invite(a, 'accepted', { acceptedAt: inDays(-1), acceptedMailbox: { id: `mbx-${a.associateId}`, address: `${a.associateId}@m365.example` }, outcome });
    api.inviteList = [
      accepted(ADA, { kind: 'proposed', detail: null }),
      accepted(BO, { kind: 'linked', detail: null }),
      accepted(DI, { kind: 'associate_linked', detail: 'di.old@m365.example' }),
      accepted(GUS, { kind: 'mailbox_linked', detail: 'Hal Retired' }),
    ];
    api.authorizationList = [];
    const { el } = await mount({ api });
    equal(cellText(el, 1, 'state'), 'Accepted link proposed: add it in the main view and Save Added Users');
    equal(cellText(el, 2, 'state'), 'Accepted linked');
    equal(cellText(el, 4, 'state'), 'Accepted not linked: already linked to di.old@m365.example');
    equal(cellText(el, 7, 'state'), 'Accepted not linked: the mailbox is already linked to Hal Retired');
    ok(badgesWhole(cellOf(el, 4, 'state')));
    await expectAccessible(el);
  });

  it('the sender starts as the tenant\'s remembered sender, else the signed-in administrator\'s own mailbox', async () => {
    const remembered = await mount();
    equal(root(remembered.el).querySelector<HTMLInputElement>('#sender')!.value, 'crm@example.com');
    cleanup();
    const api = new FakeApi();
    const me = associate(99, 'Ada Admin', 'ada.admin@example.com');
    const el = await fixture<InviteManager>(
      html`<so-invite-manager .api=${api} .associates=${[...ASSOCIATES, me]} .tenant=${{ ...tenant(), invites: { ...tenant().invites, senderAddress: null } }}></so-invite-manager>`,
      { width: 1024, height: 700 },
    );
    await waitFor(() => root(el).querySelector<HTMLInputElement>('#sender')!.value !== '', 'the sender default');
    equal(root(el).querySelector<HTMLInputElement>('#sender')!.value, 'ada.admin@example.com');
    equal(api.called('session').length, 1);
    ok(text(el, '#sender-hint').includes('Starts as the sender used last, else your own mailbox.'));
    await expectAccessible(el);
  });

  it('Link when accepted goes with the invites it sends and the link it copies', async () => {
    const { el, api } = await mount();
    const box = root(el).querySelector<HTMLInputElement>('[data-field="linkOnAccept"]')!;
    equal(box.checked, false, 'off unless chosen');
    equal(root(el).querySelector(`#${box.getAttribute('aria-describedby')}`)!.textContent!.trim().startsWith('Links the user to the mailbox'), true);
    box.click();
    await settle(el);
    await select(el, [1]);
    await clickButton(el, 'Send invites to selected users');
    await waitFor(() => api.called('sendInvites').length === 1, 'sent');
    equal((api.called('sendInvites')[0] as InviteRequest).linkOnAccept, true);
    await waitFor(() => text(el, '[data-report]') !== '', 'report');
    await select(el, [4]);
    await clickButton(el, 'Copy invite link');
    await waitFor(() => api.called('sendInvites').length === 2, 'copied');
    equal((api.called('sendInvites')[1] as InviteRequest).linkOnAccept, true);
    await expectAccessible(el);
  });
});
