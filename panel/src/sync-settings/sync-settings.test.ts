import { html } from 'lit';
import { sendKeys } from '@web/test-runner-commands';
import './sync-settings.js';
import { FOLLOW } from './internal/sync-actions.js';
import type { SyncSettings } from './sync-settings.js';
import { PanelApiError, type MailboxPage, type PanelClient, type RemovalCounts, type TenantInfo } from '../api/api-client.js';
import { apiErrorText } from '../api/api-errors.strings.js';
import { PopupError, type PopupMessage } from '../api/popup.js';
import { SessionStore } from '../api/session-store.js';
import { SelectionChangeEvent } from '../data-list/data-list.js';
import { LinkOptionsChangeEvent, savedLinkRow } from '../linked-user-list/linked-user-list.js';
import { LinksChangedEvent } from '../admin-tools/tools.js';
import type { Associate, Authorization, Invite, InviteRequest, LinkedUser, Mailbox, MailboxKind, NewLink, SyncSettingsChange, TenantSettingsChange } from '../logic/types.js';
import { numberRange } from '../i18n/locale.js';
import { NO_KINDS } from '../logic/sync-status.js';
import { deepEqual, equal, ok } from '../test-support/assert.js';
import { expectAccessible } from '../test-support/axe.js';
import { cleanup, fixture, frames, settle } from '../test-support/fixture.js';
import { memoryStorage } from '../test-support/memory-storage.js';
import { click, press } from '../test-support/input.js';
import { cell, row, settleList } from '../test-support/list.js';

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
  authorization: null,
  version: 1,
  createdBy: 1,
  createdAt: '2026-01-01T00:00:00Z',
  updatedBy: 1,
  updatedAt: '2026-01-01T00:00:00Z',
  historyCount: 5,
  sync: { state: 'in_sync', lastSuccessAt: '2026-11-30T08:15:00.000Z', nextDueAt: null, itemsInSync: 5, lastPass: null, message: null, kinds: NO_KINDS },
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
  invites: { senderAddress: 'crm@example.com', senderName: 'CRM', subject: 'Connect your mailbox', message: 'Hello {name}: {link}', allowOtherMailbox: false },
  microsoft: { configured: true, connected, entraTenantId: connected ? 'org-1' : null, organizationName: connected ? 'Contoso Ltd' : null, consentedAt: null },
  sync: { windowPastDays: 30, windowFutureDays: 120, conflictWinner: 'superoffice', timeZone: 'Europe/Oslo' },
  panels: { provisionedAt: null, error: null },
  ...extra,
});

/** A stand-in for the API client: canned answers, and a record of every call. */
class FakeApi implements PanelClient {
  download(): Promise<{ blob: Blob; filename: string }> {
    throw new Error('not used here');
  }
  sendFile<T>(): Promise<T> {
    throw new Error('not used here');
  }
  calls: [string, unknown][] = [];
  token: string | null = null;
  lang: 'en' | 'nb' = 'en';
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

  get signedIn(): boolean {
    return this.token !== null;
  }
  session = async () => {
    this.calls.push(['session', null]);
    this.maybeFail('session');
    return { tenantId: 'Cust1', associateId: 1, associateName: 'Ada Admin', isAdmin: true, expiresAt: '2026-12-01T12:00:00.000Z' };
  };
  signOut = async () => {
    this.calls.push(['signOut', null]);
    this.maybeFail('signOut');
  };
  /** The administrator tools' own calls: answered by `sent` (method + path), else refused like an unknown route. */
  sent: Record<string, unknown> = {};
  send = async <T,>(method: string, path: string, body?: unknown): Promise<T> => {
    this.calls.push([`send ${method} ${path}`, body ?? null]);
    this.maybeFail(`send ${method} ${path}`);
    const key = `${method} ${path}`;
    if (!(key in this.sent)) throw new PanelApiError(404, 'HttpError', 'Not found', [], 'Not found');
    return this.sent[key] as T;
  };
  sendInvites = async (req: InviteRequest) => {
    this.calls.push(['sendInvites', req]);
    return { invites: [], links: [], skipped: [], failed: [] };
  };
  revokeInvites = async (ids: string[]) => {
    this.calls.push(['revokeInvites', ids]);
    return this.inviteList.filter((i) => ids.includes(i.id));
  };
  revokeAuthorizations = async (mailboxIds: string[]) => {
    this.calls.push(['revokeAuthorizations', mailboxIds]);
    return { revoked: this.authorizationList.filter((a) => mailboxIds.includes(a.mailboxId)), disabledLinks: 0 };
  };
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
  saveSyncSettings = async (change: SyncSettingsChange) => {
    this.calls.push(['saveSyncSettings', change]);
    this.maybeFail('saveSyncSettings');
    const { expectedVersion, ...sync } = change;
    this.tenantInfo = { ...this.tenantInfo, sync, version: expectedVersion + 1 };
    return this.tenantInfo;
  };
  syncNow = async (linkIds: string[]) => {
    this.calls.push(['syncNow', linkIds]);
    this.maybeFail('syncNow');
    this.linkList = this.linkList.map((l) => (linkIds.includes(l.id) ? { ...l, sync: { ...l.sync, state: 'pending' as const } } : l));
    return { requested: linkIds.length };
  };
  resumeSync = async (linkIds: string[]) => {
    this.calls.push(['resumeSync', linkIds]);
    this.maybeFail('resumeSync');
    this.linkList = this.linkList.map((l) => (linkIds.includes(l.id) ? { ...l, sync: { ...l.sync, state: 'pending' as const, message: null } } : l));
    return { released: linkIds.length };
  };
  updateTenant = async (change: TenantSettingsChange) => {
    this.calls.push(['updateTenant', change]);
    this.maybeFail('updateTenant');
    const { expectedVersion, ...rest } = change;
    this.tenantInfo = { ...this.tenantInfo, ...rest, version: expectedVersion + 1 };
    return this.tenantInfo;
  };
  inviteList: Invite[] = [];
  authorizationList: Authorization[] = [];
  invites = async () => {
    this.calls.push(['invites', null]);
    return this.inviteList;
  };
  authorizations = async () => {
    this.calls.push(['authorizations', null]);
    return this.authorizationList;
  };
  consentUrl = async () => {
    this.calls.push(['consentUrl', null]);
    return 'https://login.example/consent';
  };
  signInWithTicket = async (ticket: string, tenant?: string) => {
    this.calls.push(['signInWithTicket', [ticket, tenant]]);
    this.token = 'ticket-token';
    return { token: 'ticket-token', expiresAt: '2026-12-01T12:00:00.000Z', isAdmin: true, name: 'Ticket User' };
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
  /** The silent sign-in; by default SuperOffice wants the user (LoginRequired). */
  silent?: (url: string) => Promise<PopupMessage>;
  /** The tab's session storage; a fresh one by default. */
  storage?: Storage;
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
/** The Auto Link review dialog. */
const review = (el: SyncSettings) => root(el).querySelector('so-auto-link-review')!;
/** Auto Link Users, then Add in its review with every proposal ticked. */
async function autoLinkAll(el: SyncSettings): Promise<void> {
  await clickButton(el, 'Auto Link Users');
  await review(el).updateComplete;
  const add = review(el).shadowRoot!.querySelector<HTMLButtonElement>('button[data-action="add"]')!;
  ok(review(el).shadowRoot!.querySelector('dialog')!.open, 'the review is open');
  add.click();
  await settle(el);
}
function select(el: SyncSettings, list: 'so-associate-list' | 'so-mailbox-list' | 'so-linked-user-list', ids: string[]): Promise<void> {
  root(el).querySelector(list)!.dispatchEvent(new SelectionChangeEvent(ids, new Set(ids)));
  return settle(el);
}
const popups: (string | Promise<string>)[] = [];
const silents: string[] = [];
const loginRequired = (url: string) => {
  silents.push(url);
  return Promise.reject(new PopupError('LoginRequired', 'SuperOffice wants you to sign in.'));
};

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
    html`<so-sync-settings
      .api=${api}
      .popup=${popup}
      .silent=${setup.silent ?? loginRequired}
      .sessionStore=${new SessionStore(setup.storage ?? memoryStorage())}
      .search=${setup.search ?? '?ctx=Cust1&uid=1&lang=en'}
    ></so-sync-settings>`,
    { width: 1024, height: 700 },
  );
  await settle(el);
  if (setup.signIn !== false && !(setup.search ?? '').includes('usec')) {
    await clickButton(el, (setup.search ?? '').includes('lang=nb') ? 'Logg på med SuperOffice' : 'Sign in with SuperOffice');
  }
  if (setup.signIn !== false) await waitFor(() => api.called('links').length > 0 && text(el, '[role="status"][data-who]') !== '', 'sign-in');
  await settle(el);
  return { el, api };
}

const unsavedText = (el: SyncSettings) => text(el, '[data-unsaved]');

/** Loads, auto-links one associate (unsaved), then Save Added Users meets an ended session. */
async function endSessionWithUnsavedLink(el: SyncSettings, api: FakeApi): Promise<void> {
  await clickButton(el, 'Load External Users');
  await waitFor(() => text(el, '[data-for="load"]').startsWith('Loaded'), 'load');
  await select(el, 'so-associate-list', ['1']);
  await autoLinkAll(el);
  equal(unsavedText(el), '1 unsaved link');
  api.failWith['saveAddedUsers'] = new PanelApiError(401, 'InvalidSession', 'The session token is not valid or has expired. Sign in again.');
  await clickButton(el, 'Save Added Users');
}
/** Each list's section: its visible title and count. */
const sectionTitles = (el: SyncSettings) =>
  [...root(el).querySelectorAll('section.list h2')].map((h) => [h.querySelector('.title')!.textContent!.trim(), h.querySelector('[data-count]')!.textContent!.trim()]);

describe('so-sync-settings', () => {
  afterEach(() => {
    cleanup();
    popups.length = 0;
    silents.length = 0;
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
    equal(text(el, '[data-ms]'), 'Connected to Microsoft 365 (Contoso Ltd).');
  });

  it('names the Microsoft 365 organisation, in Norwegian too, and falls back to its id when the name is unknown', async () => {
    const nb = await mount({ signIn: false, search: '?ctx=Cust1&uid=1&lang=nb' });
    root(nb.el).querySelector<HTMLButtonElement>('header button.primary')!.click();
    await waitFor(() => text(nb.el, '[data-ms]') !== '', 'signed in');
    equal(text(nb.el, '[data-ms]'), 'Koblet til Microsoft 365 (Contoso Ltd).');
    cleanup();
    const api = new FakeApi();
    api.tenantInfo = tenantInfo({ microsoft: { configured: true, connected: true, entraTenantId: 'org-1', organizationName: null, consentedAt: null } });
    const { el } = await mount({ api });
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

  describe('a sign-in that lasts', () => {
    const TOKEN = `sls_${'k'.repeat(43)}`;
    const signedIn = (name = 'Ada Admin'): PopupMessage => ({ type: 'mailbox-link:signed-in', token: TOKEN, expiresAt: new Date(Date.now() + 3600_000).toISOString(), isAdmin: true, name });
    const who = (el: SyncSettings) => text(el, '[role="status"][data-who]');

    it('a reload in the same tab keeps the session: checked with the backend, no popup, data loaded', async () => {
      const storage = memoryStorage();
      const first = await mount({ storage, popup: async (url) => (popups.push(url), signedIn()) });
      equal(who(first.el), 'Signed in as Ada Admin (administrator).');
      ok(!JSON.stringify([...storage.map]).includes('?'), 'nothing of a URL is stored');
      cleanup();
      popups.length = 0;
      silents.length = 0;
      const api = new FakeApi();
      const { el } = await mount({ storage, api, signIn: false });
      await waitFor(() => who(el) !== '' && api.called('links').length > 0, 'restored');
      equal(who(el), 'Signed in as Ada Admin (administrator).');
      equal(popups.length, 0, 'no popup');
      equal(silents.length, 0, 'no silent sign-in either');
      deepEqual(api.called('useToken'), [TOKEN]);
      equal(api.called('session').length, 1, 'the stored session is checked once');
      ok(button(el, 'Sign out'));
    });

    it('a stored session the backend no longer knows is dropped quietly: signed out, no alert', async () => {
      const storage = memoryStorage();
      new SessionStore(storage).save('Cust1', { token: TOKEN, expiresAt: new Date(Date.now() + 3600_000).toISOString(), name: 'Ada Admin', isAdmin: true });
      const api = new FakeApi();
      api.failWith['session'] = new PanelApiError(401, 'InvalidSession', 'The session token is not valid or has expired.');
      const { el } = await mount({ storage, api, signIn: false });
      ok(button(el, 'Sign in with SuperOffice'));
      equal(root(el).querySelector('[role="alert"]'), null, 'no error for an expired session');
      equal(storage.map.size, 0, 'the stale session is forgotten');
      deepEqual(api.called('useToken'), [TOKEN, null]);
      equal(silents.length, 1, 'a silent sign-in was tried instead');
    });

    it('opening the panel signs in silently when the SuperOffice session lives: no popup, no click', async () => {
      const storage = memoryStorage();
      const { el, api } = await mount({ storage, signIn: false, silent: async (url) => (silents.push(url), signedIn('Silje Berg')) });
      await waitFor(() => who(el) !== '', 'signed in');
      equal(who(el), 'Signed in as Silje Berg (administrator).');
      deepEqual(silents, ['/auth/superoffice/start?tenant=Cust1&prompt=none']);
      equal(popups.length, 0);
      deepEqual(api.called('useToken'), [TOKEN]);
      ok(new SessionStore(storage).load('Cust1'), 'and kept for the next reload');
    });

    it('Sign out ends the backend session and forgets it; the next load stays signed out', async () => {
      const storage = memoryStorage();
      const { el, api } = await mount({ storage, popup: async (url) => (popups.push(url), signedIn()) });
      await clickButton(el, 'Sign out');
      await waitFor(() => text(el, '[data-for="signIn"]') !== '', 'signed out');
      equal(api.called('signOut').length, 1, 'DELETE /session');
      equal(text(el, '[data-for="signIn"]'), 'You are signed out.');
      ok(button(el, 'Sign in with SuperOffice'));
      equal(root(el).querySelector('so-linked-user-list'), null, 'the lists are gone');
      deepEqual(api.called('useToken').at(-1), null);
      equal(new SessionStore(storage).load('Cust1'), null);
      await expectAccessible(el);
      cleanup();
      silents.length = 0;
      const again = await mount({ storage, signIn: false, silent: async (url) => (silents.push(url), signedIn()) });
      equal(silents.length, 0, 'no silent sign-in after Sign out');
      ok(button(again.el, 'Sign in with SuperOffice'));
      // Signing in again uses SuperOffice's living session: no popup.
      await clickButton(again.el, 'Sign in with SuperOffice');
      await waitFor(() => who(again.el) !== '', 'signed in again');
      equal(silents.length, 1);
      equal(popups.length, 1, 'only the first sign-in opened a popup');
    });

    it('Sign out forgets the unsaved links, so whoever signs in next in this tab cannot save them', async () => {
      const api = new FakeApi();
      const { el } = await mount({ api, popup: async (url) => (popups.push(url), signedIn()) });
      await clickButton(el, 'Load External Users');
      await waitFor(() => text(el, '[data-for="load"]').startsWith('Loaded'), 'load');
      await select(el, 'so-associate-list', ['1']);
      await autoLinkAll(el);
      equal(unsavedText(el), '1 unsaved link');
      await clickButton(el, 'Sign out');
      await waitFor(() => text(el, '[data-for="signIn"]') !== '', 'signed out');
      equal(text(el, '[data-for="signIn"]'), 'You are signed out. 1 unsaved change was discarded.');
      await clickButton(el, 'Sign in with SuperOffice');
      await waitFor(() => who(el) !== '', 'signed in again');
      await waitFor(() => root(el).querySelector('so-linked-user-list') !== null, 'lists');
      equal(unsavedText(el), '0 unsaved links', 'nothing unsaved is carried over');
      equal(root(el).querySelector('so-mailbox-list')!.mailboxes.length, 0, 'the mailboxes are loaded again, not kept');
      ok(button(el, 'Save Added Users').disabled, 'nothing to save');
    });

    it('Sign out when the backend session had already ended still signs out, without an error', async () => {
      const api = new FakeApi();
      const { el } = await mount({ api });
      api.failWith['signOut'] = new PanelApiError(401, 'InvalidSession', 'The session token is not valid or has expired.');
      await clickButton(el, 'Sign out');
      await waitFor(() => text(el, '[data-for="signIn"]') !== '', 'signed out');
      equal(text(el, '[data-for="signIn"]'), 'You are signed out.');
      equal(root(el).querySelector('[role="alert"]'), null);
    });

    it('Sign in tries the silent way first and opens the popup when SuperOffice wants the user', async () => {
      const storage = memoryStorage();
      const { el } = await mount({ storage, popup: async (url) => (popups.push(url), signedIn()) });
      await clickButton(el, 'Sign out');
      popups.length = 0;
      silents.length = 0;
      await clickButton(el, 'Sign in with SuperOffice');
      await waitFor(() => who(el) !== '', 'signed in');
      deepEqual(silents, ['/auth/superoffice/start?tenant=Cust1&prompt=none'], 'silent first');
      deepEqual(popups, ['/auth/superoffice/start?tenant=Cust1'], 'then the popup, in the same click');
      equal(root(el).querySelector('[role="alert"]'), null, 'LoginRequired is not an error to show');
    });

    it('after the session ended, a silent sign-in brings it back and the unsaved links stay', async () => {
      const api = new FakeApi();
      let silentAnswer: (url: string) => Promise<PopupMessage> = loginRequired;
      const { el } = await mount({ api, silent: (url) => silentAnswer(url), popup: async (url) => (popups.push(url), signedIn()) });
      await endSessionWithUnsavedLink(el, api);
      delete api.failWith['saveAddedUsers'];
      popups.length = 0;
      silentAnswer = async (url) => (silents.push(url), signedIn());
      await clickButton(el, 'Sign in with SuperOffice');
      await waitFor(() => who(el) !== '', 'signed in again');
      await settle(el);
      equal(popups.length, 0, 'no popup: SuperOffice still knew the user');
      equal(unsavedText(el), '1 unsaved link', 'the added link survived the sign-in');
    });

    it('says "Sign out" in Norwegian', async () => {
      const { el } = await mount({ search: '?ctx=Cust1&lang=nb', signIn: false });
      await clickButton(el, 'Logg på med SuperOffice');
      await waitFor(() => who(el) !== '', 'signed in');
      ok(button(el, 'Logg av'));
    });
  });

  it('is read-only for a non-administrator: only the linked users, no actions, no associates request', async () => {
    const { el, api } = await mount({ admin: false });
    equal(text(el, '[data-who]'), 'Signed in as Uno User.');
    ok(text(el, '[data-readonly]').startsWith('Read only: only SuperOffice administrators'));
    // Nothing a reader could press: no toolbar, no feedback area, no empty associate or mailbox list.
    equal(root(el).querySelector('[role="toolbar"], [data-feedback], so-associate-list, so-mailbox-list'), null);
    for (const action of ['load', 'autoLink', 'linkUser', 'saveAdded', 'saveOptions', 'remove', 'syncNow', 'resume']) {
      equal(root(el).querySelector(`button[data-action="${action}"]`), null, `no ${action}`);
    }
    equal(api.called('associates').length, 0);
    deepEqual(sectionTitles(el), [['Linked Users for Synchronization', '1']]);
    const list = root(el).querySelector('so-linked-user-list')!;
    ok(list.readOnly);
    equal(list.links.length, 1, 'linked users are shown');
    const listBox = list.getBoundingClientRect();
    ok(listBox.height > 300, `the linked users take the height (${listBox.height}px)`);
    await settleList(list);
    const rank = row(list, 'link-sam').querySelector<HTMLInputElement>('input.rank')!;
    ok(rank.disabled, 'the Server Rank cannot be changed');
    equal(getComputedStyle(rank).borderTopColor, 'rgba(0, 0, 0, 0)', 'and does not look like a field to type in');
    equal(root(el).querySelectorAll('[role="alert"]').length, 0);
    await expectAccessible(el);
  });

  it('lays out the workspace first: toolbar, feedback, three titled lists with counts; tenant settings below, closed once connected', async () => {
    const { el } = await mount();
    const order = ['[role="toolbar"]', '[data-feedback]', 'section[data-section="associates"]', 'section[data-section="mailboxes"]', 'section[data-section="linked"]', 'details[data-tenant-settings]'];
    const found = order.map((sel) => root(el).querySelector(sel));
    ok(found.every(Boolean), 'every block is there');
    for (let i = 1; i < found.length; i++) {
      ok(found[i - 1]!.compareDocumentPosition(found[i]!) & Node.DOCUMENT_POSITION_FOLLOWING, `${order[i - 1]} comes before ${order[i]}`);
    }
    deepEqual(sectionTitles(el), [
      ['SuperOffice associates', '6'],
      ['Exchange mailboxes', '0'],
      ['Linked Users for Synchronization', '1'],
    ]);
    ok(root(el).querySelector('main')!.contains(found[4]!), 'the lists are the main landmark');
    const details = root(el).querySelector<HTMLDetailsElement>('details[data-tenant-settings]')!;
    ok(!details.open, 'connected: the tenant settings are closed');
    equal(text(el, '[data-tenant-summary]'), 'Application mode · Microsoft 365 connected · 30 days back, 120 days ahead');
    const settings = details.getBoundingClientRect();
    ok(settings.height < 40, `closed, they take one line (${settings.height}px)`);
    ok(settings.bottom <= 700, 'and show at 1024×700 without scrolling');
    // Opened by the user, they stay open across renders.
    details.querySelector('summary')!.click();
    await settle(el);
    await clickButton(el, 'Load External Users');
    await waitFor(() => text(el, '[data-for="load"]').startsWith('Loaded'), 'load');
    ok(details.open, 'still open');
    ok(details.querySelector('[data-mode]') && details.querySelector('[data-sync-settings]') && details.querySelector('[data-ms]'), 'mode, synchronization and connection are inside');
    equal(sectionTitles(el)[1]![1], '4', 'the mailbox count follows the load');
    await expectAccessible(el);

    cleanup();
    const { el: norsk } = await mount({ search: '?ctx=Cust1&uid=1&lang=nb' });
    deepEqual(sectionTitles(norsk), [
      ['SuperOffice-brukere', '6'],
      ['Exchange-postbokser', '0'],
      ['Koblede brukere for synkronisering', '1'],
    ]);
    equal(text(norsk, 'details[data-tenant-settings] h2'), 'Innstillinger for kunden');
  });

  it('before Microsoft 365 is connected, Approve comes first and the tenant settings are open', async () => {
    const api = new FakeApi();
    api.tenantInfo = tenantInfo({}, false);
    const { el } = await mount({ api });
    const approve = button(el, 'Approve in Microsoft 365');
    ok(approve.compareDocumentPosition(root(el).querySelector('[role="toolbar"]')!) & Node.DOCUMENT_POSITION_FOLLOWING, 'above the toolbar');
    equal(root(el).querySelectorAll('[data-ms]').length, 1, 'the connection is said once');
    ok(root(el).querySelector<HTMLDetailsElement>('details[data-tenant-settings]')!.open, 'open until connected');
    await clickButton(el, 'Approve in Microsoft 365');
    await waitFor(() => text(el, '[data-ms]').startsWith('Connected'), 'consent');
    ok(!root(el).querySelector<HTMLDetailsElement>('details[data-tenant-settings]')!.open, 'connected: closed');
    ok(root(el).querySelector('details[data-tenant-settings] [data-ms]'), 'the connection moved into the settings');
  });

  it('feedback: each action replaces its own message, the next action clears passing ones, sticky ones stay until dismissed', async () => {
    const { el, api } = await mount();
    const feedback = root(el).querySelector<HTMLElement>('[data-feedback]')!;
    const linked = root(el).querySelector('so-linked-user-list')!;
    const sizes = () => [feedback.getBoundingClientRect().height, linked.getBoundingClientRect().height];
    const before = sizes();
    const shown = () => [...feedback.querySelectorAll('[data-for]')].map((m) => (m as HTMLElement).dataset['for']);

    await clickButton(el, 'Load External Users');
    await waitFor(() => text(el, '[data-for="load"]').startsWith('Loaded'), 'load');
    deepEqual(shown(), ['load']);
    await select(el, 'so-associate-list', ['1', '2']);
    await autoLinkAll(el);
    deepEqual(shown(), ['autoLink'], '"Loaded" was passing: the new outcome replaces it');
    await select(el, 'so-associate-list', ['3']);
    await select(el, 'so-mailbox-list', [M_SAM.id]);
    await clickButton(el, 'Link User');
    await select(el, 'so-mailbox-list', [M_EVE.id]);
    await clickButton(el, 'Link User');
    equal(feedback.querySelectorAll('[data-for="linkUser"]').length, 1, 'one message per action');
    equal(text(el, '[data-for="linkUser"]'), 'Linked Cy NoMail to eve@example.com (unsaved until Save Added Users).');
    await select(el, 'so-linked-user-list', []);
    await clickButton(el, 'Save Users Options');
    equal(text(el, '[role="alert"][data-for="saveOptions"]'), 'Select saved linked users whose options to save.');
    ok(root(el).querySelector('button[data-dismiss="saveOptions"]'), 'an error carries Dismiss');
    deepEqual(sizes(), before, 'messages stack inside the fixed area: the lists do not shrink');

    await clickButton(el, 'Save Added Users');
    equal(text(el, '[data-for="saveAdded"]'), 'Saved 3 linked users.');
    ok(!feedback.textContent!.includes('unsaved until Save Added Users'), 'nothing says "unsaved" any more');
    ok(!feedback.textContent!.includes('links added'), 'the Auto Link message is gone too');
    deepEqual(shown(), ['saveAdded', 'saveOptions'], 'the error is still there, waiting to be dismissed');
    await clickButton(el, button(el, 'Dismiss').textContent!.trim());
    deepEqual(shown(), ['saveAdded']);
    equal(api.called('saveAddedUsers').length, 1);
    await expectAccessible(el);
  });

  it('"Load External Users again" after a mode change stays until the administrator has done so', async () => {
    const { el } = await mount();
    await clickButton(el, 'Load External Users');
    await waitFor(() => text(el, '[data-for="load"]').startsWith('Loaded'), 'load');
    await clickButton(el, 'Switch to OAuth mode…');
    await clickButton(el, 'Switch to OAuth mode');
    await waitFor(() => text(el, '[data-for="mode"]') !== '', 'saved');
    await clickButton(el, 'Link User');
    ok(text(el, '[data-for="mode"]').includes('Load External Users again'), 'another action does not clear it');
    await clickButton(el, 'Load External Users');
    await waitFor(() => text(el, '[data-for="load"]').startsWith('Loaded'), 'load');
    equal(root(el).querySelector('[data-for="mode"]'), null, 'done: no longer said');
  });

  it('shows an API refusal as the client translated its code, in Norwegian, standing until dismissed', async () => {
    const api = new FakeApi();
    // As PanelApi makes it: the server's English message kept, the text from the code (api-errors.strings).
    api.failWith['saveAddedUsers'] = new PanelApiError(409, 'AlreadyLinked', 'Already linked.', [], apiErrorText('AlreadyLinked', 'nb'));
    const { el } = await mount({ api, search: '?ctx=Cust1&uid=1&lang=nb' });
    await clickButton(el, 'Load External Users');
    await waitFor(() => text(el, '[data-for="load"]').startsWith('Lastet'), 'load');
    await select(el, 'so-associate-list', ['1']);
    await autoLinkAll(el);
    await clickButton(el, 'Save Added Users');
    equal(text(el, '[role="alert"][data-for="saveAdded"]'), 'Noen av disse brukerne eller postboksene er allerede koblet. Ingenting ble lagret.');
    await clickButton(el, 'Synkroniser nå');
    ok(text(el, '[role="alert"][data-for="saveAdded"]'), 'another action leaves the error standing');
    await clickButton(el, 'Lukk');
    equal(root(el).querySelector('[data-for="saveAdded"]'), null, 'dismissed');
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

  it('in OAuth mode shows the NOTE and opens the Token Authentication Manager inside the panel, with a way back', async () => {
    const api = new FakeApi();
    api.tenantInfo = tenantInfo({ mode: 'oauth' });
    const { el } = await mount({ api });
    // The note says what is true: linking happens here (Link User, Auto Link, proposals), or at once when chosen.
    ok(
      text(el, '[data-oauth] .note p').startsWith(
        'NOTE: This tenant uses OAuth mode: only mailboxes whose owners accepted an invite from the Token Authentication Manager are listed and can be linked. Link them here with Link User, Auto Link or the proposals accepted invites make; or choose Link when accepted when inviting.',
      ),
    );
    equal(text(el, '[data-oauth] h2'), 'Token Authentication Manager', 'in its own section');
    await select(el, 'so-associate-list', ['1', '2']);
    const invitesBefore = api.called('invites').length;
    await clickButton(el, 'Token Authentication Manager');
    const manager = root(el).querySelector('so-invite-manager')!;
    ok(manager, 'the invite manager is shown in the panel');
    ok(root(el).querySelector<HTMLElement>('[data-view="main"]')!.hidden, 'the lists are hidden meanwhile');
    equal(manager.associates.length, 6, 'it gets the associates');
    equal(manager.tenant!.mode, 'oauth');
    deepEqual([...manager.selection], ['1', '2'], 'it starts with the associates selected in the panel');
    equal(manager.api, api, 'it uses the panel API from the context');
    await waitFor(() => api.called('invites').length === invitesBefore + 1 && api.called('authorizations').length === 1, 'invites loaded');
    equal(root(el).activeElement?.textContent, 'Back to User Synchronization Settings', 'focus moves to the way back');
    await expectAccessible(el);

    api.linkList = [{ ...SAM_LINK, authorization: 'authorized' }];
    const before = [api.called('tenant').length, api.called('links').length];
    await clickButton(el, 'Back to User Synchronization Settings');
    await waitFor(() => api.called('links').length === before[1]! + 1, 'links reloaded');
    await settle(el);
    equal(api.called('tenant').length, before[0]! + 1, 'the tenant is reloaded too');
    equal(root(el).querySelector('so-invite-manager'), null);
    ok(!root(el).querySelector<HTMLElement>('[data-view="main"]')!.hidden);
    equal(root(el).querySelector('so-linked-user-list')!.links[0]!.authorization, 'authorized');
  });

  it('Administrator tools opens the tools in place of the lists; back reloads the lists only if a tool changed links', async () => {
    const { el, api } = await mount();
    await clickButton(el, 'Administrator tools');
    const tools = root(el).querySelector('so-admin-tools');
    ok(tools, 'the tools are shown');
    ok(root(el).querySelector<HTMLElement>('[data-view="main"]')!.hidden, 'the lists are hidden meanwhile');
    equal(root(el).activeElement?.textContent, 'Back to User Synchronization Settings', 'focus moves to the way back');

    // Nothing changed: back shows the lists as they were, without asking the backend again.
    const before = [api.called('tenant').length, api.called('links').length];
    await clickButton(el, 'Back to User Synchronization Settings');
    await settle(el);
    deepEqual([api.called('tenant').length, api.called('links').length], before, 'nothing reloaded');
    equal(root(el).querySelector('so-admin-tools'), null);
    equal(root(el).activeElement?.textContent, 'Administrator tools', 'focus returns to the button');

    // A tool changed links: back loads the tenant and the links again.
    await clickButton(el, 'Administrator tools');
    // A tool may read the links itself when it opens (Why didn't this sync? lists the linked users): counted from here.
    await settle(el);
    const opened = api.called('links').length;
    root(el).querySelector('so-admin-tools')!.dispatchEvent(new LinksChangedEvent());
    api.linkList = [{ ...SAM_LINK, rank: 9 }];
    await clickButton(el, 'Back to User Synchronization Settings');
    await waitFor(() => api.called('links').length === opened + 1, 'links reloaded');
    await settle(el);
    equal(api.called('tenant').length, before[0]! + 1, 'the tenant is reloaded too');
    equal(root(el).querySelector('so-linked-user-list')!.links[0]!.rank, 9, 'the list shows what the tool changed');
  });

  it('in OAuth mode Auto Link Users and Link User work on the authorized mailboxes', async () => {
    const api = new FakeApi();
    api.tenantInfo = tenantInfo({ mode: 'oauth' });
    api.pages = [{ mailboxes: [M_ADA, M_BO], next: null, total: 2 }];
    const { el } = await mount({ api });
    ok(!button(el, 'Auto Link Users').disabled, 'Auto Link Users is enabled');
    ok(!button(el, 'Link User').disabled, 'Link User is enabled');
    await clickButton(el, 'Load External Users');
    await waitFor(() => text(el, '[data-for="load"]') === 'Loaded 2 users.', 'load');
    await select(el, 'so-associate-list', ['1']);
    await autoLinkAll(el);
    equal(unsavedText(el), '1 unsaved link');
    await select(el, 'so-associate-list', ['3']);
    await select(el, 'so-mailbox-list', [M_BO.id]);
    await clickButton(el, 'Link User');
    equal(text(el, '[data-for="linkUser"]'), 'Linked Cy NoMail to bo@example.com (unsaved until Save Added Users).');
  });

  it('in OAuth mode the linked users show their authorization, and unauthorized ones as not synchronized', async () => {
    const api = new FakeApi();
    api.tenantInfo = tenantInfo({ mode: 'oauth' });
    api.linkList = [{ ...SAM_LINK, authorization: 'missing', state: 'disabled' }];
    const { el } = await mount({ api });
    const list = root(el).querySelector('so-linked-user-list')!;
    ok(list.oauth, 'the list is told the tenant is in OAuth mode');
    await settleList(list);
    equal(cell(row(list, 'link-sam'), 'authorization').textContent!.trim(), 'Not authorized');
    equal(cell(row(list, 'link-sam'), 'state').textContent!.trim(), 'Not synchronized');
  });

  it('in OAuth mode Invite again takes the selected users awaiting authorization to the Token Authentication Manager, selected', async () => {
    const api = new FakeApi();
    api.tenantInfo = tenantInfo({ mode: 'oauth' });
    const waiting = link('link-wait', associate(2, 'Bo Waiting', 'bo@example.com'), mailbox(8, 'bo@example.com'), {
      authorization: 'revoked',
      sync: { ...SAM_LINK.sync, state: 'waiting_authorization', message: 'The owner revoked the authorization.' },
    });
    api.linkList = [{ ...SAM_LINK, authorization: 'authorized' }, waiting];
    const { el } = await mount({ api });
    // Only the one in sync selected: nothing to invite, said in words, the lists stay.
    await select(el, 'so-linked-user-list', ['link-sam']);
    await clickButton(el, 'Invite again');
    equal(text(el, '[data-for="reinvite"]'), 'Select linked users awaiting authorization to invite them again.');
    equal(root(el).querySelector('so-invite-manager'), null);
    await select(el, 'so-linked-user-list', ['link-sam', 'link-wait']);
    await clickButton(el, 'Invite again');
    const manager = root(el).querySelector('so-invite-manager')!;
    ok(manager, 'the Token Authentication Manager opens');
    deepEqual([...manager.selection], [String(waiting.associateId)], 'with only the waiting user selected');
    await expectAccessible(el);
  });

  it('Invite again is only there in OAuth mode', async () => {
    const { el } = await mount();
    equal(root(el).querySelector('[data-action="reinvite"]'), null);
  });

  it('shows the mailbox authorization mode; a non-administrator only reads it', async () => {
    const { el } = await mount();
    equal(
      text(el, '[data-mode-text]'),
      'Application mode: a Microsoft 365 administrator approves the app once for all mailboxes.',
    );
    ok(button(el, 'Switch to OAuth mode…'));
    equal(root(el).querySelector<HTMLInputElement>('#ttl')!.value, '7');
    cleanup();
    const api = new FakeApi();
    api.tenantInfo = tenantInfo({ mode: 'oauth' });
    const { el: reader } = await mount({ api, admin: false });
    equal(text(reader, '[data-mode-text]'), 'OAuth mode: each user authorizes their own mailbox through an invite.');
    equal(text(reader, '[data-ttl]'), 'Invites are valid for 7 days.');
    equal(root(reader).querySelector('[data-action="mode"], #ttl, [data-action="tam"]'), null, 'nothing to change');
    ok(text(reader, '[data-oauth] .note p').startsWith('NOTE:'), 'the NOTE is shown');
  });

  it('changing the mode asks first; Cancel and Escape change nothing', async () => {
    const { el, api } = await mount();
    await clickButton(el, 'Switch to OAuth mode…');
    const dialog = root(el).querySelector<HTMLDialogElement>('dialog#mode-dialog')!;
    ok(dialog.open, 'the confirmation is open');
    equal(dialog.getAttribute('role'), 'alertdialog');
    equal(root(el).getElementById(dialog.getAttribute('aria-labelledby')!)!.textContent, 'Switch to OAuth mode?');
    const body = root(el).getElementById(dialog.getAttribute('aria-describedby')!)!.textContent!.replace(/\s+/g, ' ');
    ok(body.includes('Load External Users will list only the mailboxes whose owners accepted an invite.'), body);
    ok(body.includes('Existing links whose mailbox is not authorized stay, with their options and sync history, but are not synchronized'), body);
    ok(body.includes('No link and no sync history is deleted.'), body);
    await expectAccessible(el);
    equal(root(el).activeElement?.textContent, 'Cancel', 'focus starts on Cancel');
    await press('Tab');
    await press('Tab');
    equal(root(el).activeElement?.textContent, 'Cancel', 'focus stays in the dialog');
    await clickButton(el, 'Cancel');
    ok(!dialog.open);
    await clickButton(el, 'Switch to OAuth mode…');
    ok(dialog.open);
    await press('Escape');
    await settle(el);
    ok(!dialog.open, 'Escape cancels');
    equal(api.called('updateTenant').length, 0, 'nothing was sent');
    ok(text(el, '[data-mode-text]').startsWith('Application mode'));
  });

  it('confirming a mode change saves it with the version seen, reloads the links and clears the loaded mailboxes', async () => {
    const { el, api } = await mount();
    await clickButton(el, 'Load External Users');
    await waitFor(() => text(el, '[data-for="load"]').startsWith('Loaded'), 'load');
    api.linkList = [{ ...SAM_LINK, authorization: 'missing' }];
    await clickButton(el, 'Switch to OAuth mode…');
    await clickButton(el, 'Switch to OAuth mode');
    await waitFor(() => text(el, '[data-for="mode"]') !== '', 'saved');
    deepEqual(api.called('updateTenant'), [{ expectedVersion: 1, mode: 'oauth' }]);
    equal(text(el, '[data-for="mode"]'), 'Switched to OAuth mode. Load External Users again to list the mailboxes for this mode.');
    ok(text(el, '[data-mode-text]').startsWith('OAuth mode'));
    ok(button(el, 'Token Authentication Manager'));
    equal(root(el).querySelector('so-mailbox-list')!.mailboxes.length, 0);
    equal(root(el).querySelector('so-linked-user-list')!.links[0]!.authorization, 'missing');
    // Once the administrator has loaded them again, "Load External Users again" has been done.
    await clickButton(el, 'Load External Users');
    await waitFor(() => text(el, '[data-for="load"]').startsWith('Loaded'), 'loaded again');
    equal(root(el).querySelector('[data-for="mode"]'), null, 'the mode message is gone');

    await clickButton(el, 'Switch to Application mode…');
    const body = root(el).querySelector('#mode-body')!.textContent!.replace(/\s+/g, ' ');
    ok(body.includes('Load External Users will list all mailboxes again, and every link is synchronized according to its options.'), body);
    ok(body.includes('No link and no sync history is deleted.'));
    await clickButton(el, 'Switch to Application mode');
    await waitFor(() => text(el, '[data-for="mode"]').startsWith('Switched to Application'), 'saved');
    deepEqual(api.called('updateTenant')[1], { expectedVersion: 2, mode: 'application' });
  });

  it('OAuth mode: an accepted invite is proposed as a link; the administrator adds it as unsaved and saves it with Save Added Users', async () => {
    const api = new FakeApi();
    api.tenantInfo = tenantInfo({ mode: 'oauth' });
    api.inviteList = [
      {
        id: 'inv-2', associateId: BO.associateId, associateName: BO.name, email: BO.email!, state: 'accepted', delivery: 'email',
        allowOtherMailbox: false, linkOnAccept: false, createdAt: '2026-11-30T10:00:00.000Z', createdBy: 'Ada Admin',
        expiresAt: '2026-12-14T10:00:00.000Z', sentAt: '2026-11-30T10:00:00.000Z', acceptedAt: '2026-12-01T10:00:00.000Z',
        acceptedMailbox: { id: M_BO.id, address: 'bo@example.com' }, acceptedOtherMailbox: false,
        outcome: { kind: 'proposed', detail: null }, revokedAt: null, sendError: null,
      },
    ];
    const { el } = await mount({ api });
    const proposals = root(el).querySelector('so-invite-proposals')!;
    await waitFor(() => proposals.shadowRoot!.querySelector('[data-proposals]') !== null, 'proposals shown');
    equal(proposals.shadowRoot!.querySelector('li')!.textContent!.trim(), 'Bo Berg → bo@example.com');
    await expectAccessible(el);
    proposals.shadowRoot!.querySelector<HTMLButtonElement>('[data-action="addProposals"]')!.click();
    await settle(el);
    equal(unsavedText(el), '1 unsaved link');
    await waitFor(() => proposals.shadowRoot!.querySelector('[data-proposals]') === null, 'no longer proposed once added');
    await clickButton(el, 'Save Added Users');
    await waitFor(() => api.called('saveAddedUsers').length === 1, 'saved');
    deepEqual(api.called('saveAddedUsers'), [[{ associateId: BO.associateId, associateName: BO.name, mailboxId: M_BO.id, mailboxAddress: 'bo@example.com', diary: true, task: true, contact: true, rank: 1 }]]);
  });

  it('a mode change someone else beat says so and reloads the settings', async () => {
    const api = new FakeApi();
    api.failWith['updateTenant'] = new PanelApiError(409, 'VersionConflict', 'Stale.');
    const { el } = await mount({ api });
    api.tenantInfo = tenantInfo({ mode: 'oauth', version: 5 });
    const before = api.called('tenant').length;
    await clickButton(el, 'Switch to OAuth mode…');
    await clickButton(el, 'Switch to OAuth mode');
    await waitFor(() => text(el, '[role="alert"][data-for="mode"]') !== '', 'conflict');
    equal(text(el, '[role="alert"][data-for="mode"]'), 'Someone else changed these settings meanwhile. They are reloaded: check them and try again.');
    equal(api.called('tenant').length, before + 1, 'the tenant is reloaded');
    ok(text(el, '[data-mode-text]').startsWith('OAuth mode'), 'showing what is saved now');
  });

  it('validates the invite lifetime inline and saves it', async () => {
    const { el, api } = await mount();
    const ttl = root(el).querySelector<HTMLInputElement>('#ttl')!;
    for (const bad of ['0', '366', '1.5', '']) {
      ttl.value = bad;
      ttl.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      await settle(el);
      equal(text(el, '#ttl-error'), `Whole number of days, ${numberRange(1, 365)}.`, `a message for ${JSON.stringify(bad)}`);
      equal(ttl.getAttribute('aria-invalid'), 'true');
      equal(ttl.getAttribute('aria-describedby'), 'ttl-error');
      ok(button(el, 'Save lifetime').disabled);
    }
    ttl.value = '30';
    ttl.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    await settle(el);
    equal(root(el).querySelector('#ttl-error'), null);
    await clickButton(el, 'Save lifetime');
    await waitFor(() => text(el, '[data-for="ttl"]') !== '', 'saved');
    deepEqual(api.called('updateTenant'), [{ expectedVersion: 1, inviteTtlDays: 30 }]);
    equal(text(el, '[data-for="ttl"]'), 'New invites are valid for 30 days.');
    equal(ttl.value, '30');
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

  it('Auto Link Users opens a review: each outcome named as text; unticked proposals are not added', async () => {
    const { el } = await mount();
    await clickButton(el, 'Load External Users');
    await waitFor(() => text(el, '[data-for="load"]').startsWith('Loaded'), 'load');
    await select(el, 'so-associate-list', ['1', '3', '4', '5', '6']);
    await clickButton(el, 'Auto Link Users');
    await review(el).updateComplete;
    const dialog = review(el).shadowRoot!.querySelector('dialog')!;
    ok(dialog.open, 'the review is open');
    equal(unsavedText(el), '0 unsaved links', 'nothing is added before the review');
    const line = (selector: string) => dialog.querySelector(selector)!.textContent!.replace(/\s+/g, ' ').trim();
    equal(line('[data-proposed]'), '2 links proposed, 2 ticked.');
    equal(line('section[data-category="noEmail"] li'), 'Cy NoMail');
    equal(line('section[data-category="noMatch"] li'), 'Di Nomatch — no mailbox has di@nowhere.example');
    equal(line('section[data-category="alreadyLinked"] li'), 'Sam Saved — already linked to sam@example.com');
    equal(root(el).querySelectorAll('img').length + review(el).shadowRoot!.querySelectorAll('img').length, 0, 'hostile names are text');
    equal((window as { __pwned?: number }).__pwned, undefined);
    const boxes = [...dialog.querySelectorAll<HTMLInputElement>('section[data-category="linked"] input[type="checkbox"]')];
    equal(boxes.length, 2);
    boxes[1]!.click();
    await review(el).updateComplete;
    equal(line('button[data-action="add"]'), 'Add 1 link');
    dialog.querySelector<HTMLButtonElement>('button[data-action="add"]')!.click();
    await settle(el);
    ok(!dialog.open, 'the review closes');
    equal(unsavedText(el), '1 unsaved link');
    equal(text(el, '[data-for="autoLink"]'), 'Auto Link Users: 1 link added (unsaved until Save Added Users); 1 left out.');
    equal(root(el).querySelector('so-linked-user-list')!.links.length, 2);
  });

  it('Cancel in the Auto Link review adds nothing', async () => {
    const { el } = await mount();
    await clickButton(el, 'Load External Users');
    await waitFor(() => text(el, '[data-for="load"]').startsWith('Loaded'), 'load');
    await select(el, 'so-associate-list', ['1']);
    await clickButton(el, 'Auto Link Users');
    await review(el).updateComplete;
    review(el).shadowRoot!.querySelector<HTMLButtonElement>('button[data-action="cancel"]')!.click();
    await settle(el);
    ok(!review(el).shadowRoot!.querySelector('dialog')!.open);
    equal(unsavedText(el), '0 unsaved links');
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
    await autoLinkAll(el);
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
    await autoLinkAll(el);
    await clickButton(el, 'Save Added Users');
    equal(text(el, '[role="alert"][data-for="saveAdded"]'), 'Ada Admin is already linked. Associate 1 has a link.');
    equal(unsavedText(el), '1 unsaved link');
  });

  it('an ended session returns to Sign in, says why, and keeps the unsaved links', async () => {
    const api = new FakeApi();
    const { el } = await mount({ api });
    await endSessionWithUnsavedLink(el, api);
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

  it('an invalid Server Rank blocks Save Users Options, naming the row: nothing is saved and the typed text stays', async () => {
    const { el, api } = await mount();
    const list = root(el).querySelector('so-linked-user-list')!;
    await settleList(list);
    const sam = () => row(list, 'link-sam');
    const rank = () => cell(sam(), 'rank').querySelector('input')!;
    const typeRank = async (value: string) => {
      await click(rank());
      await press('a', 'Control');
      await sendKeys({ type: value });
      await press('Tab');
      await settle(el);
    };
    // As a new user would: Task off, rank 0, Tab, select the row, Save Users Options.
    await click(cell(sam(), 'task').querySelector('input')!);
    await typeRank('0');
    await click(cell(sam(), 'associate'));
    await settle(el);
    await click(button(el, 'Save Users Options'));
    await settle(el);
    deepEqual(api.called('saveUsersOptions'), [], 'nothing is sent');
    equal(
      text(el, '[role="alert"][data-for="saveOptions"]'),
      `Nothing was saved: the Server Rank of Sam Saved is not a whole number ${numberRange(1, 99)}. Correct it and save again.`,
    );
    equal(rank().value, '0', 'the typed text stays');
    ok(cell(sam(), 'rank').querySelector('.field-error'), 'with its message');
    equal(cell(sam(), 'state').textContent!.trim(), 'Modified', 'the row does not claim to be saved');
    equal(unsavedText(el), '0 unsaved links, 1 unsaved option change');
    // Corrected: select all, 7, Tab. The field shows 7 and the save takes Task and rank together.
    await typeRank('7');
    equal(rank().value, '7');
    await click(button(el, 'Save Users Options'));
    await settle(el);
    deepEqual(api.called('saveUsersOptions'), [[{ id: 'link-sam', diary: true, task: false, contact: true, rank: 7, expectedVersion: 1 }]]);
    equal(text(el, '[data-for="saveOptions"]'), 'Saved the options of 1 linked user.');
    equal(rank().value, '7');
    equal(cell(sam(), 'state').textContent!.trim(), 'Saved');
  });

  it('an invalid Server Rank on an added link blocks Save Added Users, naming it', async () => {
    const { el, api } = await mount();
    await clickButton(el, 'Load External Users');
    await waitFor(() => text(el, '[data-for="load"]').startsWith('Loaded'), 'load');
    await select(el, 'so-associate-list', ['1']);
    await autoLinkAll(el);
    const list = root(el).querySelector('so-linked-user-list')!;
    await settleList(list);
    const rank = () => cell(row(list, 'new:1'), 'rank').querySelector('input')!;
    await click(rank());
    await press('a', 'Control');
    await sendKeys({ type: '100' });
    await press('Enter');
    await settle(el);
    await click(button(el, 'Save Added Users'));
    await settle(el);
    deepEqual(api.called('saveAddedUsers'), []);
    equal(
      text(el, '[role="alert"][data-for="saveAdded"]'),
      `Nothing was saved: the Server Rank of Ada Admin is not a whole number ${numberRange(1, 99)}. Correct it and save again.`,
    );
    equal(rank().value, '100');
    equal(unsavedText(el), '1 unsaved link');
    await click(rank());
    await press('a', 'Control');
    await sendKeys({ type: '12' });
    await click(button(el, 'Save Added Users'));
    await settle(el);
    deepEqual((api.called('saveAddedUsers') as NewLink[][]).map((links) => links.map((l) => [l.associateId, l.rank])), [[[1, 12]]]);
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

  it('Remove Selected Users: the dialog states the counts and what happens to duplicates; Cancel and Escape change nothing', async () => {
    const { el, api } = await mount();
    await select(el, 'so-linked-user-list', ['link-sam']);
    await clickButton(el, 'Remove Selected Users');
    const dialog = root(el).querySelector('dialog')!;
    ok(dialog.open, 'the dialog is open');
    equal(dialog.getAttribute('role'), 'alertdialog');
    equal(root(el).getElementById(dialog.getAttribute('aria-labelledby')!)!.textContent, 'Remove 1 linked user?');
    ok(dialog.textContent!.includes("This removes 1 linked user and the synchronizer's mapping of 7 items (which SuperOffice item is which Outlook item). For 30 days they can be restored exactly"));
    const who = [...dialog.querySelectorAll('[data-users] li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    equal(who.length, 1, 'each user who goes is named');
    ok(who[0]!.endsWith(': 7 synchronized items'), who[0]);
    // The old warning ("re-adding creates duplicates") is no longer true; what is, is said.
    deepEqual([...dialog.querySelectorAll('[data-duplicates] p')].map((p) => p.textContent), [
      'The appointments, tasks and contacts themselves stay in SuperOffice and in Outlook.',
      'Items the synchronizer created carry its tag, so adding a user again finds them and creates no duplicates.',
      'Items it never tagged (for example ones the old EWS synchronizer made) are not its to find.',
    ]);
    ok(!dialog.textContent!.includes('creates duplicate appointments'));
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
    await autoLinkAll(el);
    await select(el, 'so-linked-user-list', ['link-sam', 'new:1']);
    await clickButton(el, 'Remove Selected Users');
    deepEqual(api.called('removalPreview'), [['link-sam']]);
    ok(root(el).querySelector('dialog')!.textContent!.includes('1 unsaved link will be discarded as well.'));
    await clickButton(el, 'Remove');
    deepEqual(api.called('removeUsers'), [['link-sam']]);
    equal(text(el, '[data-for="remove"]'), 'Removed 1 linked user and the mapping of 7 synchronized items; restorable for 30 days from Tools → Undo.');
    equal(root(el).querySelector('so-linked-user-list')!.links.length, 0);
    equal(unsavedText(el), '0 unsaved links');
  });

  it('Remove Selected Users on unsaved links only discards them without asking the API', async () => {
    const { el, api } = await mount();
    await clickButton(el, 'Load External Users');
    await waitFor(() => text(el, '[data-for="load"]').startsWith('Loaded'), 'load');
    await select(el, 'so-associate-list', ['1']);
    await autoLinkAll(el);
    await select(el, 'so-linked-user-list', ['new:1']);
    await clickButton(el, 'Remove Selected Users');
    equal(api.called('removalPreview').length, 0);
    equal(api.called('removeUsers').length, 0);
    ok(!root(el).querySelector('dialog')!.open);
    equal(text(el, '[data-for="remove"]'), 'Discarded 1 unsaved link.');
    equal(unsavedText(el), '0 unsaved links');
  });

  it('Sync now asks for the selected saved users, leaves out disabled and unsaved ones (saying so), and shows the new status', async () => {
    const api = new FakeApi();
    const off = associate(7, 'Olga Off', 'olga@example.com');
    api.linkList = [SAM_LINK, link('link-off', off, mailbox(7, 'olga@example.com'), { diary: false, task: false, contact: false, state: 'disabled', sync: { ...SAM_LINK.sync, state: 'disabled' } })];
    const { el } = await mount({ api });
    await clickButton(el, 'Sync now');
    equal(text(el, '[data-for="syncNow"]'), 'Select the linked users to synchronize first.');
    equal(api.called('syncNow').length, 0);

    await clickButton(el, 'Load External Users');
    await waitFor(() => text(el, '[data-for="load"]').startsWith('Loaded'), 'load');
    await select(el, 'so-associate-list', ['1']);
    await autoLinkAll(el);
    await select(el, 'so-linked-user-list', ['link-sam', 'link-off', 'new:1']);
    const before = api.called('links').length;
    await clickButton(el, 'Sync now');
    deepEqual(api.called('syncNow'), [['link-sam']]);
    equal(text(el, '[data-for="syncNow"]'), 'Asked to synchronize 1 linked user now. Left out: 1 is disabled (Diary, Task and Contact off); 1 is not saved yet.');
    equal(api.called('links').length, before + 1, 'the list is read again');
    const sam = root(el).querySelector('so-linked-user-list')!.links.find((r) => r.id === 'link-sam')!;
    equal(sam.sync!.state, 'pending');
    equal(unsavedText(el), '1 unsaved link', 'the unsaved link is kept');

    await select(el, 'so-linked-user-list', ['link-off']);
    await clickButton(el, 'Sync now');
    equal(api.called('syncNow').length, 1, 'nothing to ask for');
    equal(text(el, '[data-for="syncNow"]'), 'Nothing to synchronize. Left out: 1 is disabled (Diary, Task and Contact off).');
    equal(root(el).querySelector('[data-for="syncNow"]')!.getAttribute('role'), 'alert');

    // A refusal from the API is shown in the panel's words.
    api.failWith.syncNow = new PanelApiError(409, 'SyncDisabled', 'Some of the selected users have Diary, Task and Contact all off.');
    await select(el, 'so-linked-user-list', ['link-sam']);
    await clickButton(el, 'Sync now');
    equal(text(el, '[data-for="syncNow"]'), 'Some of the selected users have Diary, Task and Contact all off.');
    equal(root(el).querySelector('[data-for="syncNow"]')!.getAttribute('role'), 'alert');
  });

  it('after Sync now and Resume the list is read again until the worker has moved each user on, then says so', async () => {
    const was = { ...FOLLOW };
    FOLLOW.everyMs = 30;
    try {
      const api = new FakeApi();
      const stopped = associate(8, 'Stig Stopped', 'stig@example.com');
      api.linkList = [SAM_LINK, link('link-stig', stopped, mailbox(8, 'stig@example.com'), { sync: { ...SAM_LINK.sync, state: 'breaker', message: 'Stopped before deleting 25 Outlook event(s).' } })];
      const { el } = await mount({ api });
      const status = (id: string) => root(el).querySelector('so-linked-user-list')!.links.find((r) => r.id === id)!.sync!;
      await select(el, 'so-linked-user-list', ['link-sam']);
      await clickButton(el, 'Sync now');
      equal(status('link-sam').state, 'pending');
      const reads = api.called('links').length;
      await waitFor(() => api.called('links').length >= reads + 2, 'the list is read again while nothing moved');
      equal(text(el, '[data-for="syncNow"]'), 'Asked to synchronize 1 linked user now.');
      // A worker takes it (still on the way), then finishes.
      api.linkList = api.linkList.map((l) => (l.id === 'link-sam' ? { ...l, sync: { ...l.sync, state: 'syncing' as const } } : l));
      await waitFor(() => status('link-sam').state === 'syncing', 'syncing shown');
      equal(text(el, '[data-for="syncNow"]'), 'Asked to synchronize 1 linked user now.');
      api.linkList = api.linkList.map((l) => (l.id === 'link-sam' ? { ...l, sync: { ...l.sync, state: 'in_sync' as const, nextDueAt: '2030-01-01T00:00:00.000Z' } } : l));
      await waitFor(() => text(el, '[data-for="syncNow"]').endsWith('The synchronizer has worked it: see the Status column.'), 'settled');
      equal(status('link-sam').state, 'in_sync');
      const settled = api.called('links').length;
      await frames(10);
      equal(api.called('links').length, settled, 'no more reads once settled');

      await select(el, 'so-linked-user-list', ['link-stig']);
      await clickButton(el, 'Resume synchronization');
      api.linkList = api.linkList.map((l) => (l.id === 'link-stig' ? { ...l, sync: { ...l.sync, state: 'in_sync' as const, message: null } } : l));
      await waitFor(() => text(el, '[data-for="resume"]') === 'Resumed synchronization of 1 linked user. The synchronizer has worked it: see the Status column.', 'resume settled');
    } finally {
      Object.assign(FOLLOW, was);
    }
  });

  it('Resume synchronization releases the selected users the breaker stopped, and only those', async () => {
    const api = new FakeApi();
    const stopped = associate(8, 'Stig Stopped', 'stig@example.com');
    const breaker = { ...SAM_LINK.sync, state: 'breaker' as const, message: 'The pass would have deleted 25 of 40 items.' };
    api.linkList = [SAM_LINK, link('link-stig', stopped, mailbox(8, 'stig@example.com'), { sync: breaker })];
    const { el } = await mount({ api });
    await select(el, 'so-linked-user-list', ['link-sam']);
    await clickButton(el, 'Resume synchronization');
    equal(api.called('resumeSync').length, 0);
    equal(text(el, '[data-for="resume"]'), 'Select linked users the circuit breaker stopped (Status: Stopped).');
    await select(el, 'so-linked-user-list', ['link-sam', 'link-stig']);
    await clickButton(el, 'Resume synchronization');
    deepEqual(api.called('resumeSync'), [['link-stig']]);
    equal(text(el, '[data-for="resume"]'), 'Resumed synchronization of 1 linked user.');
    const stig = root(el).querySelector('so-linked-user-list')!.links.find((r) => r.id === 'link-stig')!;
    equal(stig.sync!.state, 'pending');
    await expectAccessible(el);
  });

  it('Synchronization settings: an administrator changes the window, the winner and the time zone; bad values are refused in place', async () => {
    const { el, api } = await mount();
    const field = (id: string) => root(el).querySelector<HTMLInputElement & HTMLSelectElement>(`[data-sync-settings] #${id}`)!;
    const type = async (id: string, value: string, event = 'input') => {
      field(id).value = value;
      field(id).dispatchEvent(new Event(event, { bubbles: true, composed: true }));
      await settle(el);
    };
    deepEqual([field('windowPastDays').value, field('windowFutureDays').value, field('conflictWinner').value, field('timeZone').value], ['30', '120', 'superoffice', 'Europe/Oslo']);
    const save = () => button(el, 'Save synchronization settings');
    ok(save().disabled, 'nothing to save yet');
    await type('windowPastDays', '366');
    equal(text(el, '#windowPastDays-error'), `Whole number of days, ${numberRange(0, 365)}.`);
    equal(field('windowPastDays').getAttribute('aria-invalid'), 'true');
    ok(save().disabled);
    await type('windowPastDays', '0');
    await type('timeZone', 'Mars/Olympus');
    equal(text(el, '#timeZone-error'), 'An IANA time zone, such as Europe/Oslo.');
    ok(save().disabled);
    await type('timeZone', 'America/New_York');
    await type('windowFutureDays', '730');
    await type('conflictWinner', 'outlook', 'change');
    await expectAccessible(el);
    await clickButton(el, 'Save synchronization settings');
    deepEqual(api.called('saveSyncSettings'), [{ expectedVersion: 1, windowPastDays: 0, windowFutureDays: 730, conflictWinner: 'outlook', timeZone: 'America/New_York' }]);
    equal(text(el, '[data-for="syncSettings"]'), "Saved. Each user's next synchronization uses these settings.");
    ok(save().disabled, 'saved: nothing to save');

    // Someone else saved first: the settings are read again and the panel says so.
    await type('windowPastDays', '5');
    api.failWith.saveSyncSettings = new PanelApiError(409, 'VersionConflict', 'Stale.');
    await clickButton(el, 'Save synchronization settings');
    ok(text(el, '[data-for="syncSettings"]').startsWith('Someone else changed these settings'), text(el, '[data-for="syncSettings"]'));
  });

  it('Synchronization settings are read-only text for a non-administrator', async () => {
    const { el } = await mount({ admin: false });
    equal(text(el, '[data-sync-text]'), '30 days back and 120 days ahead are synchronized; SuperOffice wins when both sides changed a field; dates are read in Europe/Oslo.');
    equal(root(el).querySelectorAll('[data-sync-settings] input, [data-sync-settings] select').length, 0);
  });
});
