import { html } from 'lit';
import './accept-page.js';
import { InviteApi, InviteApiError, InviteSession, type InviteAccept } from './accept-page.js';
import type { InviteOpened } from '../logic/types.js';
import { deepEqual, equal, ok } from '../test-support/assert.js';
import { expectAccessible } from '../test-support/axe.js';
import { cleanup, fixture, frames } from '../test-support/fixture.js';

const HOSTILE = '<img src=x onerror="window.__pwned=1">Eve';
const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE';
const AUTHORIZE = (n: number) => `https://login.example/tid/oauth2/v2.0/authorize?state=s${n}&login_hint=kari`;
const ANOTHER = (n: number) => `https://login.example/tid/oauth2/v2.0/authorize?state=s${n}&prompt=select_account`;

const opened = (extra: Partial<InviteOpened> = {}, n = 1): InviteOpened => ({
  organisation: 'Nordlys Maritime AS',
  associateName: 'Kari Nordmann',
  email: 'kari.nordmann@nordlys.example',
  invitedBy: 'Ola Nordmann',
  expiresAt: '2026-12-24T12:00:00Z',
  allowOtherMailbox: false,
  sync: { diary: true, task: false, contact: true },
  signIn: {
    clientId: '3d9a7f21-64c0-4e8b-b5d2-9e1f0a7c4b63',
    authority: 'https://login.example/tid',
    knownAuthorities: ['login.example'],
    redirectUri: 'https://app.example/accept/',
    scopes: ['openid', 'profile', 'email'],
    nonce: `nonce-${n}`,
    loginHint: 'kari.nordmann@nordlys.example',
    authorizeUrl: AUTHORIZE(n),
    anotherAccountUrl: ANOTHER(n),
  },
  ...extra,
});

type Answer = { status: number; body: unknown } | Error;
const problem = (status: number, code: string, message = `${code} (server)`): Answer => ({ status, body: { error: { code, message } } });

/** A stand-in for `fetch`: answers per endpoint (in order; the last one repeats) and records requests. */
class FakeServer {
  requests: { path: string; body: Record<string, unknown> }[] = [];
  answers: Record<string, Answer[]> = { open: [{ status: 200, body: opened() }] };

  fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const path = new URL(String(input)).pathname.split('/').pop()!;
    this.requests.push({ path, body: JSON.parse(String(init?.body)) as Record<string, unknown> });
    const queue = this.answers[path] ?? [];
    const answer = queue.length > 1 ? queue.shift()! : queue[0];
    if (!answer) return new Response('not found', { status: 404 });
    if (answer instanceof Error) throw answer;
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
  };

  sent(path: string): Record<string, unknown>[] {
    return this.requests.filter((r) => r.path === path).map((r) => r.body);
  }
}

const session = new InviteSession(sessionStorage);
const cleanUrl = () => `${location.pathname}${location.search}`;
function setFragment(fragment: string): void {
  history.replaceState(history.state, '', `${cleanUrl()}${fragment}`);
}

interface Setup {
  server?: FakeServer;
  lang?: 'en' | 'nb';
}

async function mount(setup: Setup = {}) {
  const server = setup.server ?? new FakeServer();
  /** Where the page sent the browser (the real one leaves for Microsoft). */
  const navigated: string[] = [];
  const el = await fixture<InviteAccept>(
    html`<so-invite-accept
      lang=${setup.lang ?? 'en'}
      .navigate=${(url: string) => navigated.push(url)}
      .api=${new InviteApi({ fetch: server.fetch, base: 'https://app.example/api/public/invites/' })}
      .session=${session}
    ></so-invite-accept>`,
    { width: 800, height: 700 },
  );
  return { el, server, navigated };
}

async function waitFor(check: () => boolean, what: string, timeout = 3000): Promise<void> {
  const end = performance.now() + timeout;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await frames(1);
  }
}

const root = (el: InviteAccept) => el.shadowRoot!;
const text = (el: InviteAccept) => root(el).querySelector('main')!.textContent!.replace(/\s+/g, ' ').trim();
const status = (el: InviteAccept) => root(el).querySelector('[role="status"]')!.textContent!.replace(/\s+/g, ' ').trim();
const alertText = (el: InviteAccept) => root(el).querySelector('[role="alert"]')?.textContent!.replace(/\s+/g, ' ').trim() ?? null;
const button = (el: InviteAccept, label: string) =>
  [...root(el).querySelectorAll('button')].find((b) => b.textContent!.trim() === label) ?? null;
/** The invite with its sign-in, an error, or the accepted status (in either language). */
const ready = (el: InviteAccept) => root(el).querySelector('[data-action^="sign-in"]') !== null || alertText(el) !== null || root(el).querySelector('[role="status"] strong') !== null;

/** A fresh link: `#invite=` in the address bar, then the page. */
async function openFresh(setup: Setup = {}) {
  setFragment(`#invite=${TOKEN}`);
  const mounted = await mount(setup);
  await waitFor(() => ready(mounted.el), 'the invite or an error');
  return mounted;
}

/** Back from the backend's sign-in callback: `fragment` in the address bar, the invite (or not) in this tab. */
async function returnWith(fragment: string, setup: Setup & { token?: string | null } = {}) {
  if (setup.token !== null) session.token = setup.token ?? TOKEN;
  setFragment(fragment);
  const mounted = await mount(setup);
  await waitFor(() => ready(mounted.el), 'the outcome');
  return mounted;
}

describe('so-invite-accept', () => {
  afterEach(() => {
    cleanup();
    session.clear();
    history.replaceState(history.state, '', cleanUrl());
    delete (window as { __pwned?: unknown }).__pwned;
  });

  it('is accessible: the invite, a refused sign-in, and accepted', async () => {
    const fresh = await openFresh();
    await expectAccessible(fresh.el);
    cleanup();
    const refused = await returnWith('#error=MailboxMismatch');
    await expectAccessible(refused.el);
    cleanup();
    const done = await returnWith('#accepted=kari.nordmann%40nordlys.example&name=Kari+Nordmann&account=kari%40nordlys.example');
    await expectAccessible(done.el);
  });

  it('takes the invite token from the fragment and removes it from the address bar at once', async () => {
    setFragment(`#invite=${TOKEN}`);
    const { el, server } = await mount();
    equal(location.hash, '', 'no fragment left');
    ok(!location.href.includes(TOKEN), 'the token is not in the URL');
    equal(session.token, TOKEN, 'kept in sessionStorage for the round trip');
    await waitFor(() => button(el, 'Sign in with Microsoft') !== null, 'the invite');
    deepEqual(server.sent('open'), [{ token: TOKEN }]);
  });

  it('shows the invite: organisation, who invited whom, what is synchronized, expiry, the account to use, what signing in does', async () => {
    const { el, navigated } = await openFresh();
    const t = text(el);
    ok(t.includes('Organisation Nordlys Maritime AS'), t);
    ok(t.includes('Ola Nordmann invited you (Kari Nordmann, kari.nordmann@nordlys.example) to connect your Microsoft 365 mailbox to SuperOffice.'), t);
    const rows = [...root(el).querySelectorAll('.sync li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    deepEqual(rows, [
      'SuperOffice Diary ↔ Outlook calendar On',
      'SuperOffice Tasks ↔ Microsoft To Do tasks Off',
      'SuperOffice Contacts ↔ Outlook contacts On',
    ]);
    ok(t.includes('This invitation expires 24 December 2026'), t);
    ok(t.includes('Sign in with the Microsoft account of kari.nordmann@nordlys.example.'), t);
    ok(t.includes('Signing in accepts the invitation'), t);
    ok(button(el, 'Use another account'), 'another account can be chosen up front');
    deepEqual(navigated, [], 'nothing leaves the page until the user signs in');
  });

  it('says the administrator chooses when the associate is not linked yet, and allows another mailbox when the invite does', async () => {
    const server = new FakeServer();
    server.answers.open = [{ status: 200, body: opened({ sync: null, allowOtherMailbox: true }) }];
    const { el } = await openFresh({ server });
    const t = text(el);
    ok(t.includes('Your administrator chooses which of these are synchronized.'), t);
    equal(root(el).querySelectorAll('.sync .state').length, 0, 'no On/Off without options');
    ok(t.includes('or of another mailbox you use'), t);
  });

  const closed: [number, string, string][] = [
    [404, 'InviteNotFound', 'This invitation link is not valid. Ask your administrator for a new invitation.'],
    [410, 'InviteExpired', 'This invitation has expired. Ask your administrator to send a new one.'],
    [410, 'InviteRevoked', 'This invitation was withdrawn by your administrator. Ask them for a new one if you still need it.'],
    [409, 'InviteAlreadyUsed', 'This invitation has already been accepted. If your mailbox should be connected again, ask your administrator for a new invitation.'],
  ];
  for (const [status, code, message] of closed) {
    it(`open ${status} ${code}: shows why, offers no sign-in, and forgets the invite`, async () => {
      const server = new FakeServer();
      server.answers.open = [problem(status, code)];
      const { el } = await openFresh({ server });
      equal(alertText(el), message);
      equal(button(el, 'Sign in with Microsoft'), null, 'no sign-in button');
      equal(button(el, 'Try again'), null, 'nothing to retry');
      equal(session.token, null, 'the dead token is forgotten');
      await expectAccessible(el);
    });
  }

  it('open 503: shows the message and Try again, which opens the invite', async () => {
    const server = new FakeServer();
    server.answers.open = [problem(503, 'MicrosoftUnavailable'), { status: 200, body: opened() }];
    const { el } = await openFresh({ server });
    equal(alertText(el), 'Microsoft 365 could not be reached just now. Try again in a minute.');
    button(el, 'Try again')!.click();
    await waitFor(() => button(el, 'Sign in with Microsoft') !== null, 'the invite');
    equal(server.sent('open').length, 2);
  });

  it('an unknown error code shows the server’s message; no answer at all says so', async () => {
    const server = new FakeServer();
    server.answers.open = [problem(500, 'Internal', 'The server had a problem (ref 42).')];
    const first = await openFresh({ server });
    equal(alertText(first.el), 'The server had a problem (ref 42).');
    cleanup();
    const offline = new FakeServer();
    offline.answers.open = [new TypeError('Failed to fetch')];
    const second = await openFresh({ server: offline });
    equal(alertText(second.el), 'The server could not be reached. Check your connection and try again.');
  });

  it('without an invite (or with a cut-off one) explains what to do', async () => {
    const { el, server } = await mount();
    await waitFor(() => alertText(el) !== null, 'the explanation');
    ok(alertText(el)!.startsWith('This page needs the link from your invitation email.'));
    deepEqual(server.requests, []);
    cleanup();
    setFragment('#invite=too-short');
    const cut = await mount();
    equal(location.hash, '', 'the fragment is removed anyway');
    await waitFor(() => alertText(cut.el) !== null, 'the explanation');
    ok(alertText(cut.el)!.startsWith('The invitation link is incomplete.'));
  });

  it('Sign in leaves for the backend’s authorize URL (the invited account hinted), keeping the invite for the way back', async () => {
    const { el, navigated } = await openFresh();
    button(el, 'Sign in with Microsoft')!.click();
    await waitFor(() => navigated.length === 1, 'the navigation');
    deepEqual(navigated, [AUTHORIZE(1)]);
    equal(session.token, TOKEN);
    await waitFor(() => status(el) === 'Opening Microsoft sign-in…', 'the status');
    ok(button(el, 'Sign in with Microsoft')!.disabled, 'no second click while leaving');
    ok(button(el, 'Use another account')!.disabled);
  });

  it('Use another account leaves for Microsoft’s account picker', async () => {
    const { el, navigated } = await openFresh();
    button(el, 'Use another account')!.click();
    await waitFor(() => navigated.length === 1, 'the navigation');
    deepEqual(navigated, [ANOTHER(1)]);
  });

  it('coming back with the Back button (back/forward cache) enables Sign in again', async () => {
    const { el } = await openFresh();
    button(el, 'Sign in with Microsoft')!.click();
    await waitFor(() => button(el, 'Sign in with Microsoft')!.disabled, 'leaving');
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await waitFor(() => !button(el, 'Sign in with Microsoft')!.disabled, 'the button again');
    equal(status(el), '');
  });

  it('back from the callback accepted: says so, removes the fragment, forgets the invite, asks nothing of the server', async () => {
    const { el, server } = await returnWith('#accepted=kari.nordmann%40nordlys.example&name=Kari+Nordmann&account=kari.nordmann%40nordlys.example');
    equal(status(el), 'Your mailbox kari.nordmann@nordlys.example is authorized. You can close this window.');
    equal(location.hash, '', 'a reload shows no stale outcome');
    equal(session.token, null, 'the invite token is gone');
    deepEqual(server.requests, []);
    equal(root(el).querySelectorAll('button').length, 0, 'nothing left to do');
  });

  it('accepted with another account than the mailbox’s address: names the account', async () => {
    const { el } = await returnWith('#accepted=kari.nordmann%40nordlys.example&name=Kari&account=kari.admin%40nordlys.example');
    ok(text(el).includes('Signed in as kari.admin@nordlys.example.'), text(el));
  });

  it('back refused with MailboxMismatch: a fresh opening, the invited address, and only “Sign in with another account” (the picker)', async () => {
    const server = new FakeServer();
    server.answers.open = [{ status: 200, body: opened({}, 2) }];
    const { el, navigated } = await returnWith('#error=MailboxMismatch', { server });
    equal(location.hash, '');
    equal(alertText(el), 'The account you signed in with is not the one this invitation is for (kari.nordmann@nordlys.example). Sign in with that account.');
    equal(server.sent('open').length, 1, 'a fresh opening (new state and nonce)');
    equal(button(el, 'Sign in with Microsoft'), null, 'the same account would fail the same way');
    equal(session.token, TOKEN, 'the invite is still usable');
    button(el, 'Sign in with another account')!.click();
    await waitFor(() => navigated.length === 1, 'the navigation');
    deepEqual(navigated, [ANOTHER(2)], 'the new opening’s picker URL');
  });

  const retry: [string, string][] = [
    ['SignInCancelled', 'The sign-in was cancelled at Microsoft, so your mailbox is not connected. Sign in again when you are ready.'],
    ['TokenRequestRefused', 'Microsoft did not complete the sign-in (it may have taken too long). Sign in again.'],
    ['InvalidCallback', 'Microsoft’s answer came back incomplete. Sign in again.'],
    ['SignInAgain', 'This sign-in belongs to an older opening of the invitation (was it opened in another window?). Sign in again.'],
    ['InvalidIdToken', 'Microsoft’s sign-in could not be verified. Sign in again.'],
    ['MicrosoftUnavailable', 'Microsoft 365 could not be reached just now. Try again in a minute.'],
    [
      'AdminApprovalRequired',
      'Your organisation requires an administrator to approve this app before you can sign in. Ask your SuperOffice administrator to approve it in Microsoft 365, then open the invitation again.',
    ],
  ];
  for (const [code, message] of retry) {
    it(`back refused with ${code}: says so in plain words, with the invite and Sign in again`, async () => {
      const server = new FakeServer();
      server.answers.open = [{ status: 200, body: opened({}, 3) }];
      const { el, navigated } = await returnWith(`#error=${code}`, { server });
      equal(alertText(el), message);
      equal(server.sent('open').length, 1);
      button(el, 'Sign in with Microsoft')!.click();
      await waitFor(() => navigated.length === 1, 'the navigation');
      deepEqual(navigated, [AUTHORIZE(3)]);
    });
  }

  it('back refused with WrongOrganisation: another account is the way on', async () => {
    const { el } = await returnWith('#error=WrongOrganisation');
    equal(alertText(el), 'That Microsoft account belongs to another organisation. Sign in with your work account in this organisation.');
    ok(button(el, 'Sign in with another account'));
  });

  it('back refused because the invite is gone (used, expired): says why, forgets it, opens nothing', async () => {
    const { el, server } = await returnWith('#error=InviteExpired');
    equal(alertText(el), 'This invitation has expired. Ask your administrator to send a new one.');
    equal(session.token, null);
    deepEqual(server.requests, []);
    equal(root(el).querySelectorAll('button').length, 0);
  });

  it('back refused in a tab that does not hold the invite: says why, nothing to retry from here', async () => {
    const { el, server } = await returnWith('#error=SignInCancelled', { token: null });
    equal(alertText(el), 'The sign-in was cancelled at Microsoft, so your mailbox is not connected. Sign in again when you are ready.');
    deepEqual(server.requests, []);
    equal(root(el).querySelectorAll('button').length, 0);
  });

  it('an unknown or hostile code in the fragment: the generic message, never markup', async () => {
    const first = await returnWith('#error=NoSuchCode', { token: null });
    equal(alertText(first.el), 'Something went wrong. Try again.');
    cleanup();
    const second = await returnWith(`#error=${encodeURIComponent(HOSTILE)}`, { token: null });
    equal(alertText(second.el), 'Something went wrong. Try again.');
    equal(root(second.el).querySelectorAll('img').length, 0);
  });

  it('renders hostile names as text (the invite, and the accepted fragment)', async () => {
    const server = new FakeServer();
    server.answers.open = [
      { status: 200, body: opened({ organisation: HOSTILE, invitedBy: HOSTILE, associateName: HOSTILE, email: `${HOSTILE}@x` }) },
    ];
    const { el } = await openFresh({ server });
    ok(text(el).includes(`${HOSTILE} invited you (${HOSTILE}, ${HOSTILE}@x)`), text(el));
    equal(root(el).querySelectorAll('img').length, 0, 'no element was created from a name');
    cleanup();
    const back = await returnWith(`#accepted=${encodeURIComponent(HOSTILE)}&account=${encodeURIComponent(`${HOSTILE}@x`)}`);
    equal(status(back.el), `Your mailbox ${HOSTILE} is authorized. You can close this window.`);
    equal(root(back.el).querySelectorAll('img').length, 0);
    await frames(2);
    equal((window as { __pwned?: unknown }).__pwned, undefined);
  });

  it('speaks Norwegian bokmål, refusals too', async () => {
    const { el } = await openFresh({ lang: 'nb' });
    ok(button(el, 'Logg på med Microsoft'), 'the sign-in button');
    ok(button(el, 'Bruk en annen konto'), 'another account');
    ok(text(el).includes('Ola Nordmann har invitert deg (Kari Nordmann, kari.nordmann@nordlys.example)'), text(el));
    await expectAccessible(el);
    cleanup();
    const refused = await returnWith('#error=MailboxMismatch', { lang: 'nb' });
    equal(alertText(refused.el), 'Kontoen du logget på med er ikke den invitasjonen gjelder (kari.nordmann@nordlys.example). Logg på med den kontoen.');
    ok(button(refused.el, 'Logg på med en annen konto'));
    cleanup();
    const done = await returnWith('#accepted=kari.nordmann%40nordlys.example&account=kari.nordmann%40nordlys.example', { lang: 'nb' });
    equal(status(done.el), 'Postkassen kari.nordmann@nordlys.example er godkjent. Du kan lukke dette vinduet.');
  });
});

describe('InviteApi', () => {
  it('posts JSON to open, and turns error bodies into InviteApiError', async () => {
    const server = new FakeServer();
    server.answers.open = [{ status: 200, body: opened() }, problem(410, 'InviteRevoked', 'Withdrawn.')];
    const api = new InviteApi({ fetch: server.fetch, base: 'https://app.example/api/public/invites/' });
    deepEqual(await api.open(TOKEN), opened());
    const err = await api.open(TOKEN).catch((e: unknown) => e);
    ok(err instanceof InviteApiError);
    deepEqual([err.status, err.code, err.message], [410, 'InviteRevoked', 'Withdrawn.']);
    deepEqual(server.requests, [
      { path: 'open', body: { token: TOKEN } },
      { path: 'open', body: { token: TOKEN } },
    ]);
  });

  it('resolves the endpoints next to the page: /accept/ → /api/public/invites/…', async () => {
    const urls: string[] = [];
    const api = new InviteApi({
      fetch: async (input) => {
        urls.push(String(input));
        return new Response('<html>proxy error</html>', { status: 502 });
      },
    });
    const err = await api.open(TOKEN).catch((e: unknown) => e);
    ok(err instanceof InviteApiError);
    deepEqual([err.status, err.code], [502, 'HttpError']);
    equal(urls[0], new URL('../api/public/invites/open', document.baseURI).href);
  });
});
