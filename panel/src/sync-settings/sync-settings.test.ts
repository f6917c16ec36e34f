import { html } from 'lit';
import './sync-settings.js';
import type { SyncSettings } from './sync-settings.js';
import { PanelApiError, type MailboxPage, type PanelApi, type RemovalCounts, type TenantInfo } from '../api/api-client.js';
import { PopupError, type PopupMessage } from '../api/popup.js';
import { SelectionChangeEvent } from '../data-list/data-list.js';
import { LinkOptionsChangeEvent, savedLinkRow } from '../linked-user-list/linked-user-list.js';
import type { Associate, LinkedUser, Mailbox, MailboxKind, NewLink } from '../logic/types.js';
import { deepEqual, equal, ok } from '../test-support/assert.js';
import { expectAccessible } from '../test-support/axe.js';
import { cleanup, fixture, frames, settle } from '../test-support/fixture.js';
import { press } from '../test-support/input.js';

const HOSTILE = '<img src=x onerror="window.__pwned=1">Eve';

const associate = (id: number, name: string, email: string | null, active = true): Associate => ({
  associateId: id,
  name,
  loginName: name.toLowerCase(),
  personId: id + 100,
  userGroupId: 1,
  userGroup: 'Sales',
  active,
  email,
});
const mailbox = (n: number, address: string, extra: Partial<Mailbox> = {}): Mailbox => ({
  id: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`,
  displayName: address.split('@')[0]!,
  primaryAddress: address,
  addresses: [address.toLowerCase()],
  userPrincipalName: address,
  accountEnabled: true,
  guest: false,
  ...extra,
});
const link = (id: string, a: Associate, m: Mailbox, extra: Partial<LinkedUser> = {}): LinkedUser => ({
  id,
  associateId: a.associateId,
  associateName: a.name,
  mailboxId: m.id,
  mailboxAddress: m.primaryAddress!,
  diary: true,
  task: true,
  contact: true,
  rank: 1,
  state: 'active',
  version: 1,
  createdBy: 1,
  createdAt: '2026-01-01T00:00:00Z',
  updatedBy: 1,
  updatedAt: '2026-01-01T00:00:00Z',
  historyCount: 5,
  ...extra,
});

const ADA = associate(1, 'Ada Admin', 'ada@example.com');
const BO = associate(2, 'Bo Berg', 'bo@example.com');
const CY = associate(3, 'Cy NoMail', null);
const DI = associate(4, 'Di Nomatch', 'di@nowhere.example');
const EVE = associate(5, HOSTILE, 'eve@example.com');
const SAVED = associate(6, 'Sam Saved', 'sam@example.com');
const M_ADA = mailbox(1, 'Ada@example.com');
const M_BO = mailbox(2, 'bo@example.com');
const M_EVE = mailbox(3, 'eve@example.com');
const M_SAM = mailbox(4, 'sam@example.com');
const SAM_LINK = link('link-sam', SAVED, M_SAM, { historyCount: 7 });

const tenantInfo = (extra: Partial<TenantInfo> = {}, connected = true): TenantInfo => ({
  id: 'Cust1',
  mode: 'application',
  inviteTtlDays: 7,
  version: 1,
  microsoft: { configured: true, connected, entraTenantId: connected ? 'org-1' : null, consentedAt: null },
  ...extra,
});

/** A stand-in for the API client: canned answers, and a record of every call. */
class FakeApi {
  calls: [string, unknown][] = [];
  token: string | null = null;
  tenantInfo = tenantInfo();
  linkList: LinkedUser[] = [SAM_LINK];
  associateList: Associate[] = [ADA, BO, CY, DI, EVE, SAVED];
  pages: MailboxPage[] = [
    { mailboxes: [M_ADA, M_BO], next: 'p2', total: 4 },
    { mailboxes: [M_EVE, M_SAM], next: null, total: null },
  ];
  kinds = new Map<string, MailboxKind>();
  failWith: Partial<Record<string, Error>> = {};
  /** When set, mailboxPage waits for this before answering the given cursor. */
  gate: { cursor: string | null; promise: Promise<void> } | null = null;

  private maybeFail(name: string): void {
    const err = this.failWith[name];
    if (err) throw err;
  }

  useToken = (t: string | null) => {
    this.token = t;
    this.calls.push(['useToken', t]);
  };
  tenant = async () => {
    this.calls.push(['tenant', null]);
    this.maybeFail('tenant');
    return this.tenantInfo;
  };
  links = async () => {
    this.calls.push(['links', null]);
    this.maybeFail('links');
    return this.linkList;
  };
  associates = async () => {
    this.calls.push(['associates', null]);
    return this.associateList;
  };
  mailboxPage = async (cursor: string | null, signal?: AbortSignal) => {
    this.calls.push(['mailboxPage', cursor]);
    if (this.gate && this.gate.cursor === cursor) {
      await Promise.race([
        this.gate.promise,
        new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
      ]);
    }
    const page = cursor === null ? this.pages[0]! : this.pages[1]!;
    return page;
  };
  checkMailboxes = async (ids: string[]) => {
    this.calls.push(['checkMailboxes', ids]);
    return new Map(ids.map((id) => [id, this.kinds.get(id) ?? ('user' as MailboxKind)]));
  };
  saveAddedUsers = async (links: NewLink[]) => {
    this.calls.push(['saveAddedUsers', links]);
    this.maybeFail('saveAddedUsers');
    const created = links.map((l, i) => ({ ...link(`new-${i}`, associate(l.associateId, l.associateName, null), mailbox(90 + i, l.mailboxAddress)), mailboxId: l.mailboxId, historyCount: 0 }));
    return { created, unchanged: [] };
  };
  saveUsersOptions = async (changes: { id: string; diary: boolean; task: boolean; contact: boolean; rank: number; expectedVersion: number }[]) => {
    this.calls.push(['saveUsersOptions', changes]);
    this.maybeFail('saveUsersOptions');
    const updated = changes.map((c) => ({ ...this.linkList.find((l) => l.id === c.id)!, ...c, version: c.expectedVersion + 1 }));
    return { updated, unchanged: [] };
  };
  removalPreview = async (ids: string[]): Promise<RemovalCounts> => {
    this.calls.push(['removalPreview', ids]);
    const users = this.linkList.filter((l) => ids.includes(l.id));
    return {
      links: users.length,
      historyRows: users.reduce((n, l) => n + l.historyCount, 0),
      users: users.map((l) => ({ id: l.id, associateName: l.associateName, mailboxAddress: l.mailboxAddress, historyRows: l.historyCount })),
    };
  };
  removeUsers = async (ids: string[]) => {
    this.calls.push(['removeUsers', ids]);
    return this.removalPreview(ids);
  };
  consentUrl = async () => {
    this.calls.push(['consentUrl', null]);
    return 'https://login.example/consent';
  };
  signInWithTicket = async (ticket: string, tenant?: string) => {
    this.calls.push(['signInWithTicket', [ticket, tenant]]);
    this.token = 'ticket-token';
    return { token: 'ticket-token', isAdmin: true, name: 'Ticket User' };
  };

  called(name: string): unknown[] {
    return this.calls.filter(([n]) => n === name).map(([, a]) => a);
  }
}

interface Setup {
  api?: FakeApi;
  admin?: boolean;
  search?: string;
  popup?: (url: string | Promise<string>) => Promise<PopupMessage>;
  signIn?: boolean;
}

async function waitFor(check: () => boolean, what: string, timeout = 3000): Promise<void> {
  const end = performance.now() + timeout;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await frames(1);
  }
}

const root = (el: SyncSettings) => el.shadowRoot!;
const text = (el: SyncSettings, selector: string) => root(el).querySelector(selector)?.textContent?.trim() ?? '';
const button = (el: SyncSettings, label: string): HTMLButtonElement => {
  const b = [...root(el).querySelectorAll('button')].find((x) => x.textContent!.trim() === label);
  if (!b) throw new Error(`no button "${label}"`);
  return b;
};
async function clickButton(el: SyncSettings, label: string): Promise<void> {
  const b = button(el, label);
  ok(!b.disabled, `"${label}" is enabled`);
  b.click();
  await settle(el);
}
function select(el: SyncSettings, list: 'so-associate-list' | 'so-mailbox-list' | 'so-linked-user-list', ids: string[]): Promise<void> {
  root(el).querySelector(list)!.dispatchEvent(new SelectionChangeEvent(ids, new Set(ids)));
  return settle(el);
}
const popups: (string | Promise<string>)[] = [];

async function mount(setup: Setup = {}): Promise<{ el: SyncSettings; api: FakeApi }> {
  const api = setup.api ?? new FakeApi();
  const admin = setup.admin ?? true;
  const popup =
    setup.popup ??
    (async (url: string | Promise<string>) => {
      popups.push(url);
      if (typeof url !== 'string') {
        await url;
        api.tenantInfo = tenantInfo({}, true);
        return { type: 'mailbox-link:consented', tenant: 'Cust1' } as PopupMessage;
      }
      return { type: 'mailbox-link:signed-in', token: 'tok', expiresAt: '', isAdmin: admin, name: admin ? 'Ada Admin' : 'Uno User' } as PopupMessage;
    });
  const el = await fixture<SyncSettings>(
    html`<so-sync-settings .api=${api as unknown as PanelApi} .popup=${popup} .search=${setup.search ?? '?ctx=Cust1&uid=1&lang=en'}></so-sync-settings>`,
    { width: 1024, height: 700 },
  );
  if (setup.signIn !== false && !(setup.search ?? '').includes('usec')) {
    await clickButton(el, 'Sign in with SuperOffice');
  }
  if (setup.signIn !== false) await waitFor(() => api.called('links').length > 0 && text(el, '[role="status"][data-who]') !== '', 'sign-in');
  await settle(el);
  return { el, api };
}

const unsavedText = (el: SyncSettings) => text(el, '[data-unsaved]');

describe('so-sync-settings', () => {
  afterEach(() => {
    cleanup();
    popups.length = 0;
  });

  it('is accessible signed out and signed in, with data loaded', async () => {
    const { el: out } = await mount({ signIn: false });
    await expectAccessible(out);
    cleanup();
    const { el } = await mount();
    await clickButton(el, 'Load External Users');
    await waitFor(() => text(el, '[data-for="load"]').startsWith('Loaded'), 'load');
    await expectAccessible(el);
  });

  it('signs in through the popup for the tenant in ctx and shows who is signed in', async () => {
    const { el, api } = await mount();
    equal(popups[0], '/auth/superoffice/start?tenant=Cust1');
    deepEqual(api.called('useToken'), ['tok']);
    equal(text(el, '[data-who]'), 'Signed in as Ada Admin (administrator).');
    equal(api.called('associates').length, 1, 'associates are loaded on sign-in');
    equal(text(el, '[data-ms]'), 'Connected to Microsoft 365 (organisation org-1).');
  });

  it('signs in with the onsite ticket (usec) without a popup', async () => {
    const { el, api } = await mount({ search: '?ctx=Cust1&usec=TICKET&lang=en' });
    deepEqual(api.called('signInWithTicket'), [['TICKET', 'Cust1']]);
    equal(popups.length, 0);
    equal(text(el, '[data-who]'), 'Signed in as Ticket User (administrator).');
  });

  it('speaks Norwegian when <lani> is nb or no', async () => {
    const { el } = await mount({ search: '?ctx=Cust1&lang=no', signIn: false });
    ok(button(el, 'Logg på med SuperOffice'));
  });

  it('shows a popup error as an alert next to the sign-in button', async () => {
    const { el } = await mount({ signIn: false, popup: () => Promise.reject(new PopupError('PopupBlocked', 'The browser blocked the sign-in window.')) });
    await clickButton(el, 'Sign in with SuperOffice');
    equal(text(el, '[role="alert"][data-for="signIn"]'), 'The browser blocked the sign-in window.');
    ok(button(el, 'Sign in with SuperOffice'), 'can try again');
  });

  it('is read-only for a non-administrator: lists visible, buttons disabled, no associates request', async () => {
    const { el, api } = await mount({ admin: false });
    equal(text(el, '[data-who]'), 'Signed in as Uno User.');
    ok(text(el, '[data-readonly]').startsWith('Read only: only SuperOffice administrators'));
    for (const label of ['Load External Users', 'Auto Link Users', 'Link User', 'Save Added Users', 'Save Users Options', 'Remove Selected Users']) {
      ok(button(el, label).disabled, `${label} is disabled`);
    }
    equal(api.called('associates').length, 0);
    const list = root(el).querySelector('so-linked-user-list')!;
    ok(list.readOnly);
    equal(list.links.length, 1, 'linked users are shown');
    equal(root(el).querySelectorAll('[role="alert"]').length, 0);
  });

  it('offers Approve in Microsoft 365 when not connected, and reloads the tenant after consent', async () => {
    const api = new FakeApi();
    api.tenantInfo = tenantInfo({}, false);
    const { el } = await mount({ api });
    ok(button(el, 'Load External Users').disabled, 'no mailboxes before consent');
    await clickButton(el, 'Approve in Microsoft 365');
    await waitFor(() => text(el, '[data-ms]').startsWith('Connected'), 'consent');
    ok(popups[1] instanceof Promise, 'the popup opens at once with the consent URL promise');
    equal(await popups[1], 'https://login.example/consent');
    ok(!button(el, 'Load External Users').disabled);
  });

  it('in OAuth mode shows the NOTE and hands off to the Token Authentication Manager with the selected associates', async () => {
    const api = new FakeApi();
    api.tenantInfo = tenantInfo({ mode: 'oauth' });
    const { el } = await mount({ api });
    ok(text(el, '[data-oauth]').includes('Token Authentication Manager'));
    const opened: string[] = [];
    el.openWindow = (url) => opened.push(url);
    await select(el, 'so-associate-list', ['1', '2']);
    await clickButton(el, 'Open Token Authentication Manager');
    deepEqual(opened, ['/tam/?ctx=Cust1&associates=1,2']);
    ok(button(el, 'Auto Link Users').disabled);
  });

  it('Load External Users pages to the end with progress, then checks the mailboxes', async () => {
    const api = new FakeApi();
    let release!: () => void;
    api.gate = { cursor: 'p2', promise: new Promise((r) => (release = r)) };
    api.kinds.set(M_BO.id, 'shared');
    const { el } = await mount({ api });
    await clickButton(el, 'Load External Users');
    await waitFor(() => text(el, '[data-progress]') === 'Loaded 2 of 4 users…', 'progress');
    ok(button(el, 'Cancel'));
    release();
    await waitFor(() => text(el, '[data-for="load"]') === 'Loaded 4 users.', 'loaded');
    deepEqual(api.called('mailboxPage'), [null, 'p2']);
    deepEqual(api.called('checkMailboxes'), [[M_ADA.id, M_BO.id, M_EVE.id, M_SAM.id]]);
    const list = root(el).querySelector('so-mailbox-list')!;
    equal(list.mailboxes.length, 4);
    equal(list.kinds.get(M_BO.id), 'shared');
  });

  it('Load External Users can be cancelled', async () => {
    const api = new FakeApi();
    api.gate = { cursor: 'p2', promise: new Promise(() => {}) };
    const { el } = await mount({ api });
    await clickButton(el, 'Load External Users');
    await waitFor(() => text(el, '[data-progress]').startsWith('Loaded 2'), 'progress');
    await clickButton(el, 'Cancel');
    await waitFor(() => text(el, '[data-for="load"]') === 'Cancelled after 2 users.', 'cancelled');
    equal(api.called('checkMailboxes').length, 0);
    ok(!button(el, 'Load External Users').disabled);
  });

  it('Auto Link Users adds unsaved links and summarises every outcome with names as text', async () => {
    const { el } = await mount();
    await clickButton(el, 'Load External Users');
    await waitFor(() => text(el, '[data-for="load"]').startsWith('Loaded'), 'load');
    await select(el, 'so-associate-list', ['1', '3', '4', '5', '6']);
    await clickButton(el, 'Auto Link Users');
    const summary = root(el).querySelector('[data-summary]')!;
    ok(summary, 'a summary');
    equal(summary.querySelector('[data-category="linked"]')!.textContent!.replace(/\s+/g, ' ').trim(), `Linked: 2 Ada Admin, ${HOSTILE}`);
    equal(summary.querySelector('[data-category="noEmail"]')!.textContent!.replace(/\s+/g, ' ').trim(), 'No email on the contact card: 1 Cy NoMail');
    equal(summary.querySelector('[data-category="noMatch"]')!.textContent!.replace(/\s+/g, ' ').trim(), 'No matching mailbox: 1 Di Nomatch');
    equal(summary.querySelector('[data-category="alreadyLinked"]')!.textContent!.replace(/\s+/g, ' ').trim(), 'Already linked: 1 Sam Saved');
    equal(root(el).querySelectorAll('img').length, 0, 'hostile names are text');
    equal((window as { __pwned?: number }).__pwned, undefined);
    equal(unsavedText(el), '2 unsaved links');
    equal(root(el).querySelector('so-linked-user-list')!.links.length, 3);
  });

  it('Auto Link Users without a selection says what to do', async () => {
    const { el } = await mount();
    await clickButton(el, 'Auto Link Users');
    equal(text(el, '[data-for="autoLink"]'), 'Select one or more associates first.');
  });

  it('Link User links one associate to one mailbox, and refuses with the reason', async () => {
    const { el } = await mount();
    await clickButton(el, 'Load External Users');
    await waitFor(() => text(el, '[data-for="load"]').startsWith('Loaded'), 'load');
    await clickButton(el, 'Link User');
    equal(text(el, '[data-for="linkUser"]'), 'Select exactly one associate and one mailbox.');
    await select(el, 'so-associate-list', ['3']);
    await select(el, 'so-mailbox-list', [M_SAM.id]);
    await clickButton(el, 'Link User');
    equal(text(el, '[role="alert"][data-for="linkUser"]'), 'sam@example.com is already linked to Sam Saved.');
    await select(el, 'so-mailbox-list', [M_BO.id]);
    await clickButton(el, 'Link User');
    equal(text(el, '[data-for="linkUser"]'), 'Linked Cy NoMail to bo@example.com (unsaved until Save Added Users).');
    equal(unsavedText(el), '1 unsaved link');
    await clickButton(el, 'Link User');
    equal(text(el, '[role="alert"][data-for="linkUser"]'), 'Cy NoMail is already linked to bo@example.com.');
  });

  it('Save Added Users saves the unsaved links; the page warns before unload only while something is unsaved', async () => {
    const { el, api } = await mount();
    const unload = () => {
      const e = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(e);
      return e.defaultPrevented;
    };
    equal(unsavedText(el), '0 unsaved links');
    ok(button(el, 'Save Added Users').disabled, 'nothing to save');
    equal(unload(), false);
    await clickButton(el, 'Load External Users');
    await waitFor(() => text(el, '[data-for="load"]').startsWith('Loaded'), 'load');
    await select(el, 'so-associate-list', ['1']);
    await clickButton(el, 'Auto Link Users');
    equal(unsavedText(el), '1 unsaved link');
    equal(unload(), true, 'beforeunload is cancelled while links are unsaved');
    await clickButton(el, 'Save Added Users');
    const [payload] = api.called('saveAddedUsers') as NewLink[][];
    deepEqual(payload!.map((l) => [l.associateId, l.mailboxId, l.mailboxAddress]), [[1, M_ADA.id, 'Ada@example.com']]);
    equal(text(el, '[data-for="saveAdded"]'), 'Saved 1 linked user.');
    equal(unsavedText(el), '0 unsaved links');
    equal(unload(), false);
  });

  it('shows a backend error next to Save Added Users and keeps the links unsaved', async () => {
    const api = new FakeApi();
    api.failWith['saveAddedUsers'] = new PanelApiError(409, 'AlreadyLinked', 'Ada Admin is already linked.', [{ message: 'Associate 1 has a link.' }]);
    const { el } = await mount({ api });
    await clickButton(el, 'Load External Users');
    await waitFor(() => text(el, '[data-for="load"]').startsWith('Loaded'), 'load');
    await select(el, 'so-associate-list', ['1']);
    await clickButton(el, 'Auto Link Users');
    await clickButton(el, 'Save Added Users');
    equal(text(el, '[role="alert"][data-for="saveAdded"]'), 'Ada Admin is already linked. Associate 1 has a link.');
    equal(unsavedText(el), '1 unsaved link');
  });

  it('an ended session returns to Sign in, says why, and keeps the unsaved links', async () => {
    const api = new FakeApi();
    const { el } = await mount({ api });
    await clickButton(el, 'Load External Users');
    await waitFor(() => text(el, '[data-for="load"]').startsWith('Loaded'), 'load');
    await select(el, 'so-associate-list', ['1']);
    await clickButton(el, 'Auto Link Users');
    equal(unsavedText(el), '1 unsaved link');
    api.failWith['saveAddedUsers'] = new PanelApiError(401, 'InvalidSession', 'The session token is not valid or has expired. Sign in again.');
    await clickButton(el, 'Save Added Users');
    ok(button(el, 'Sign in with SuperOffice'), 'offers to sign in again');
    ok(text(el, '[role="alert"][data-for="signIn"]').startsWith('Your session has ended.'));
    delete api.failWith['saveAddedUsers'];
    await clickButton(el, 'Sign in with SuperOffice');
    await waitFor(() => text(el, '[role="status"][data-who]') !== '', 'signed in again');
    await settle(el);
    equal(unsavedText(el), '1 unsaved link', 'the added link survived the new sign-in');
  });

  it('shows a failed data load as an alert, not a blank panel', async () => {
    const api = new FakeApi();
    api.failWith['tenant'] = new PanelApiError(503, 'SuperOfficeUnavailable', 'SuperOffice is not answering. Try again later.');
    const { el } = await mount({ api });
    await waitFor(() => text(el, '[role="alert"][data-for="data"]') !== '', 'error');
    equal(text(el, '[role="alert"][data-for="data"]'), 'SuperOffice is not answering. Try again later.');
    ok(text(el, '[data-who]').startsWith('Signed in as'));
  });

  it('Save Users Options saves the edited options of the selected rows', async () => {
    const { el, api } = await mount();
    const list = root(el).querySelector('so-linked-user-list')!;
    list.dispatchEvent(new LinkOptionsChangeEvent(savedLinkRow(SAM_LINK), { diary: true, task: false, contact: true, rank: 7 }, 'task'));
    await settle(el);
    equal(unsavedText(el), '0 unsaved links, 1 unsaved option change');
    await clickButton(el, 'Save Users Options');
    equal(text(el, '[data-for="saveOptions"]'), 'Select saved linked users whose options to save.');
    await select(el, 'so-linked-user-list', ['link-sam']);
    await clickButton(el, 'Save Users Options');
    deepEqual(api.called('saveUsersOptions'), [[{ id: 'link-sam', diary: true, task: false, contact: true, rank: 7, expectedVersion: 1 }]]);
    equal(text(el, '[data-for="saveOptions"]'), 'Saved the options of 1 linked user.');
    equal(unsavedText(el), '0 unsaved links');
  });

  it('shows a version conflict with Reload, which reloads the links', async () => {
    const api = new FakeApi();
    api.failWith['saveUsersOptions'] = new PanelApiError(409, 'VersionConflict', 'Someone else changed these users. Reload and try again.');
    const { el } = await mount({ api });
    await select(el, 'so-linked-user-list', ['link-sam']);
    await clickButton(el, 'Save Users Options');
    equal(text(el, '[role="alert"][data-for="saveOptions"]'), 'Someone else changed these users. Reload and try again.');
    api.linkList = [{ ...SAM_LINK, version: 2, rank: 3 }];
    const before = api.called('links').length;
    await clickButton(el, 'Reload');
    equal(api.called('links').length, before + 1);
    equal(text(el, '[data-for="saveOptions"]'), 'Reloaded the linked users.');
    equal(root(el).querySelector('so-linked-user-list')!.links[0]!.rank, 3);
    ok(![...root(el).querySelectorAll('button')].some((b) => b.textContent!.trim() === 'Reload'), 'Reload is gone');
  });

  it('Remove Selected Users: the dialog states the counts and the duplicates warning; Cancel and Escape change nothing', async () => {
    const { el, api } = await mount();
    await select(el, 'so-linked-user-list', ['link-sam']);
    await clickButton(el, 'Remove Selected Users');
    const dialog = root(el).querySelector('dialog')!;
    ok(dialog.open, 'the dialog is open');
    equal(dialog.getAttribute('role'), 'alertdialog');
    equal(root(el).getElementById(dialog.getAttribute('aria-labelledby')!)!.textContent, 'Remove 1 linked user?');
    ok(dialog.textContent!.includes('This deletes 1 linked user and 7 sync history rows.'));
    const who = [...dialog.querySelectorAll('[data-users] li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    equal(who.length, 1, 'each user who goes is named');
    ok(who[0]!.endsWith(': 7 history rows'), who[0]);
    ok(dialog.textContent!.includes('Removing and re-adding saved users creates duplicate appointments, tasks and contacts.'));
    await expectAccessible(el);
    equal(root(el).activeElement?.textContent, 'Cancel', 'focus starts on Cancel');
    await press('Tab');
    equal(root(el).activeElement?.textContent, 'Remove');
    await press('Tab');
    equal(root(el).activeElement?.textContent, 'Cancel', 'focus stays in the dialog');
    await clickButton(el, 'Cancel');
    ok(!dialog.open);
    equal(api.called('removeUsers').length, 0);
    equal(root(el).querySelector('so-linked-user-list')!.links.length, 1);

    await clickButton(el, 'Remove Selected Users');
    ok(dialog.open);
    await press('Escape');
    await settle(el);
    ok(!dialog.open, 'Escape cancels');
    equal(api.called('removeUsers').length, 0);
    equal(root(el).querySelector('so-linked-user-list')!.links.length, 1);
  });

  it('Remove Selected Users: confirm removes the saved links and discards selected unsaved ones', async () => {
    const { el, api } = await mount();
    await clickButton(el, 'Load External Users');
    await waitFor(() => text(el, '[data-for="load"]').startsWith('Loaded'), 'load');
    await select(el, 'so-associate-list', ['1']);
    await clickButton(el, 'Auto Link Users');
    await select(el, 'so-linked-user-list', ['link-sam', 'new:1']);
    await clickButton(el, 'Remove Selected Users');
    deepEqual(api.called('removalPreview'), [['link-sam']]);
    ok(root(el).querySelector('dialog')!.textContent!.includes('1 unsaved link will be discarded as well.'));
    await clickButton(el, 'Remove');
    deepEqual(api.called('removeUsers'), [['link-sam']]);
    equal(text(el, '[data-for="remove"]'), 'Removed 1 linked user and 7 history rows.');
    equal(root(el).querySelector('so-linked-user-list')!.links.length, 0);
    equal(unsavedText(el), '0 unsaved links');
  });

  it('Remove Selected Users on unsaved links only discards them without asking the API', async () => {
    const { el, api } = await mount();
    await clickButton(el, 'Load External Users');
    await waitFor(() => text(el, '[data-for="load"]').startsWith('Loaded'), 'load');
    await select(el, 'so-associate-list', ['1']);
    await clickButton(el, 'Auto Link Users');
    await select(el, 'so-linked-user-list', ['new:1']);
    await clickButton(el, 'Remove Selected Users');
    equal(api.called('removalPreview').length, 0);
    equal(api.called('removeUsers').length, 0);
    ok(!root(el).querySelector('dialog')!.open);
    equal(text(el, '[data-for="remove"]'), 'Discarded 1 unsaved link.');
    equal(unsavedText(el), '0 unsaved links');
  });
});
