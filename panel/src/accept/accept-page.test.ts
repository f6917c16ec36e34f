import { html } from 'lit';
import './accept-page.js';
import { InviteApi, InviteApiError, InviteSession, type InviteAccept, type SignInClient, type SignInSettings, type SignedIn } from './accept-page.js';
import type { InviteAccepted, InviteOpened } from '../logic/types.js';
import { deepEqual, equal, ok } from '../test-support/assert.js';
import { expectAccessible } from '../test-support/axe.js';
import { cleanup, fixture, frames } from '../test-support/fixture.js';

const HOSTILE = '<img src=x onerror="window.__pwned=1">Eve';
const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE';

const opened = (extra: Partial<InviteOpened> = {}): InviteOpened => ({
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
    nonce: 'nonce-1',
    loginHint: 'kari.nordmann@nordlys.example',
  },
  ...extra,
});
const KARI: SignedIn = { idToken: 'id.token.kari', name: 'Kari Nordmann', username: 'kari.nordmann@nordlys.example' };
const ACCEPTED: InviteAccepted = { mailboxAddress: 'kari.nordmann@nordlys.example', displayName: 'Kari Nordmann', account: 'kari.nordmann@nordlys.example' };

type Answer = { status: number; body: unknown } | Error;
const problem = (status: number, code: string, message = `${code} (server)`): Answer => ({ status, body: { error: { code, message } } });

/** A stand-in for `fetch`: answers per endpoint (in order; the last one repeats) and records requests. */
class FakeServer {
  requests: { path: string; body: Record<string, unknown> }[] = [];
  answers: Record<string, Answer[]> = { open: [{ status: 200, body: opened() }], accept: [{ status: 200, body: ACCEPTED }] };

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

/** A stand-in for MSAL: the redirect answer is set up front, and sign-in never leaves the page. */
class FakeSignIn implements SignInClient {
  redirect: SignedIn | null | Error = null;
  signInError: Error | null = null;
  calls: [string, unknown][] = [];

  async handleRedirect(settings: SignInSettings): Promise<SignedIn | null> {
    this.calls.push(['handleRedirect', settings]);
    if (this.redirect instanceof Error) throw this.redirect;
    return this.redirect;
  }
  async signIn(settings: SignInSettings, options?: { pickAccount?: boolean }): Promise<void> {
    this.calls.push(['signIn', { nonce: settings.nonce, pickAccount: options?.pickAccount ?? false }]);
    if (this.signInError) throw this.signInError;
    // The real one navigates away; this one stays on the page forever.
    await new Promise(() => undefined);
  }
  async clear(settings: SignInSettings): Promise<void> {
    this.calls.push(['clear', settings.clientId]);
  }
  called(name: string): unknown[] {
    return this.calls.filter(([n]) => n === name).map(([, a]) => a);
  }
}

const session = new InviteSession(sessionStorage);
const cleanUrl = () => `${location.pathname}${location.search}`;
function setFragment(fragment: string): void {
  history.replaceState(history.state, '', `${cleanUrl()}${fragment}`);
}

interface Setup {
  server?: FakeServer;
  signIn?: FakeSignIn;
  lang?: 'en' | 'nb';
}

async function mount(setup: Setup = {}) {
  const server = setup.server ?? new FakeServer();
  const signIn = setup.signIn ?? new FakeSignIn();
  const el = await fixture<InviteAccept>(
    html`<so-invite-accept
      lang=${setup.lang ?? 'en'}
      .signInClient=${signIn}
      .api=${new InviteApi({ fetch: server.fetch, base: 'https://app.example/api/public/invites/' })}
      .session=${session}
    ></so-invite-accept>`,
    { width: 800, height: 700 },
  );
  return { el, server, signIn };
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

/** A fresh link: `#invite=` in the address bar, then the page. */
async function openFresh(setup: Setup = {}) {
  setFragment(`#invite=${TOKEN}`);
  const mounted = await mount(setup);
  const ready = () => root(mounted.el).querySelector('[data-action="sign-in"]') !== null || alertText(mounted.el) !== null;
  await waitFor(ready, 'the invite or an error');
  return mounted;
}

/** Back from Microsoft: the invite and its sign-in settings are in sessionStorage, and MSAL has an answer. */
async function returnSignedIn(account: SignedIn = KARI, setup: Setup = {}) {
  session.token = TOKEN;
  session.opened = opened();
  const signIn = setup.signIn ?? new FakeSignIn();
  signIn.redirect = account;
  const mounted = await mount({ ...setup, signIn });
  await waitFor(() => button(mounted.el, 'Accept') !== null, 'the Accept button');
  return mounted;
}

describe('so-invite-accept', () => {
  afterEach(() => {
    cleanup();
    session.clear();
    history.replaceState(history.state, '', cleanUrl());
    delete (window as { __pwned?: unknown }).__pwned;
  });

  it('is accessible: the invite, signed in, an error, and accepted', async () => {
    const fresh = await openFresh();
    await expectAccessible(fresh.el);
    cleanup();

    const back = await returnSignedIn();
    await expectAccessible(back.el);
    back.server.answers.accept = [problem(403, 'MailboxMismatch')];
    button(back.el, 'Accept')!.click();
    await waitFor(() => alertText(back.el) !== null, 'the error');
    await expectAccessible(back.el);
    cleanup();

    const done = await returnSignedIn();
    button(done.el, 'Accept')!.click();
    await waitFor(() => status(done.el).includes('is authorized'), 'success');
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

  it('shows the invite: organisation, who invited whom, what is synchronized, expiry, the account to use', async () => {
    const { el, signIn } = await openFresh();
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
    // No redirect was pending: MSAL is only asked once the user signs in.
    deepEqual(signIn.called('handleRedirect'), []);
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

  it('Sign in keeps the invite’s settings for the way back and hands over to Microsoft', async () => {
    const { el, signIn } = await openFresh();
    button(el, 'Sign in with Microsoft')!.click();
    await waitFor(() => signIn.called('signIn').length === 1, 'signIn');
    deepEqual(signIn.called('signIn'), [{ nonce: 'nonce-1', pickAccount: false }]);
    deepEqual(session.opened, opened(), 'the open answer (settings and nonce) is kept');
    equal(session.token, TOKEN);
    await waitFor(() => status(el) === 'Opening Microsoft sign-in…', 'the status');
    ok(button(el, 'Sign in with Microsoft')!.disabled, 'no second click while leaving');
  });

  it('coming back with the Back button (back/forward cache) enables Sign in again', async () => {
    const { el } = await openFresh();
    button(el, 'Sign in with Microsoft')!.click();
    await waitFor(() => button(el, 'Sign in with Microsoft')!.disabled, 'leaving');
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await waitFor(() => !button(el, 'Sign in with Microsoft')!.disabled, 'the button again');
    equal(status(el), '');
  });

  it('a sign-in that fails before leaving shows why and lets the user try again', async () => {
    const signIn = new FakeSignIn();
    signIn.signInError = Object.assign(new Error('network'), { errorCode: 'endpoints_resolution_error' });
    const { el } = await openFresh({ signIn });
    button(el, 'Sign in with Microsoft')!.click();
    await waitFor(() => alertText(el) !== null, 'the error');
    equal(alertText(el), 'Signing in with Microsoft did not complete (endpoints_resolution_error). Try again.');
    ok(!button(el, 'Sign in with Microsoft')!.disabled);
  });

  it('back from Microsoft: shows the account and Accept, without opening the invite again', async () => {
    const { el, server, signIn } = await returnSignedIn();
    equal(status(el), 'Signed in as Kari Nordmann (kari.nordmann@nordlys.example).');
    ok(button(el, 'Use another account'), 'another account can be used');
    deepEqual(server.sent('open'), [], 'the nonce the sign-in used stays current');
    equal((signIn.called('handleRedirect')[0] as SignInSettings).nonce, 'nonce-1');
  });

  it('back from Microsoft with an error (cancelled): opens the invite again and says so', async () => {
    session.token = TOKEN;
    session.opened = opened();
    const signIn = new FakeSignIn();
    signIn.redirect = Object.assign(new Error('User cancelled the flow.'), { errorCode: 'access_denied' });
    const { el, server } = await mount({ signIn });
    await waitFor(() => button(el, 'Sign in with Microsoft') !== null, 'the invite');
    equal(alertText(el), 'Signing in with Microsoft did not complete (access_denied). Try again.');
    equal(server.sent('open').length, 1, 'a fresh open (new nonce)');
  });

  it('back from Microsoft refused for want of an administrator’s approval (AADSTS65001): says who must act', async () => {
    session.token = TOKEN;
    session.opened = opened();
    const signIn = new FakeSignIn();
    // MSAL's InteractionRequiredAuthError for Entra's `error=consent_required`.
    signIn.redirect = Object.assign(new Error('AADSTS65001: The user or administrator has not consented to use the application.'), { errorCode: 'consent_required' });
    const { el } = await mount({ signIn });
    await waitFor(() => button(el, 'Sign in with Microsoft') !== null, 'the invite');
    equal(
      alertText(el),
      'Your organisation requires an administrator to approve this app before you can sign in. Ask your SuperOffice administrator to approve it in Microsoft 365, then open the invitation again.',
    );
  });

  it('Accept sends the raw id token, shows success and clears the tab', async () => {
    const { el, server, signIn } = await returnSignedIn();
    button(el, 'Accept')!.click();
    await waitFor(() => status(el).includes('is authorized'), 'success');
    deepEqual(server.sent('accept'), [{ token: TOKEN, idToken: 'id.token.kari' }]);
    equal(status(el), 'Your mailbox kari.nordmann@nordlys.example is authorized. You can close this window.');
    equal(button(el, 'Accept'), null);
    equal(session.token, null, 'the invite token is gone');
    equal(session.opened, null);
    deepEqual(signIn.called('clear'), [opened().signIn.clientId], "MSAL's cache is cleared");
  });

  it('MailboxMismatch: says which account was used and offers another, which opens again and picks an account', async () => {
    const other: SignedIn = { idToken: 'id.token.other', name: 'Ingrid Haugen', username: 'ingrid.haugen@nordlys.example' };
    const server = new FakeServer();
    server.answers.accept = [problem(403, 'MailboxMismatch')];
    server.answers.open = [{ status: 200, body: opened({ signIn: { ...opened().signIn, nonce: 'nonce-2' } }) }];
    const { el, signIn } = await returnSignedIn(other, { server });
    button(el, 'Accept')!.click();
    await waitFor(() => alertText(el) !== null, 'the error');
    equal(
      alertText(el),
      'You signed in as ingrid.haugen@nordlys.example, but this invitation is for kari.nordmann@nordlys.example. Sign in with that account.',
    );
    equal(button(el, 'Accept'), null, 'accepting again would fail the same way');
    equal(session.token, TOKEN, 'the invite is still usable');
    button(el, 'Sign in with another account')!.click();
    await waitFor(() => signIn.called('signIn').length === 1, 'signIn');
    deepEqual(signIn.called('signIn'), [{ nonce: 'nonce-2', pickAccount: true }]);
    equal(server.sent('open').length, 1, 'a fresh nonce from open');
    equal(session.opened!.signIn.nonce, 'nonce-2');
  });

  for (const [status, code] of [
    [403, 'WrongOrganisation'],
    [401, 'InvalidIdToken'],
    [409, 'SignInAgain'],
  ] as const) {
    it(`${code}: shows the message and offers to sign in with another account`, async () => {
      const server = new FakeServer();
      server.answers.accept = [problem(status, code)];
      const { el } = await returnSignedIn(KARI, { server });
      button(el, 'Accept')!.click();
      await waitFor(() => alertText(el) !== null, 'the error');
      ok(alertText(el)!.length > 10);
      ok(button(el, 'Sign in with another account'), 'another account');
    });
  }

  it('accept 503 keeps Accept for a retry; a used invite ends the page', async () => {
    const server = new FakeServer();
    server.answers.accept = [problem(503, 'MicrosoftUnavailable'), problem(409, 'InviteAlreadyUsed')];
    const { el } = await returnSignedIn(KARI, { server });
    button(el, 'Accept')!.click();
    await waitFor(() => alertText(el) !== null, 'the error');
    equal(alertText(el), 'Microsoft 365 could not be reached just now. Try again in a minute.');
    button(el, 'Accept')!.click();
    await waitFor(() => alertText(el)?.startsWith('This invitation has already been accepted.') ?? false, 'the final error');
    equal(button(el, 'Accept'), null);
    equal(session.token, null);
  });

  it('renders hostile names as text', async () => {
    const server = new FakeServer();
    server.answers.open = [
      { status: 200, body: opened({ organisation: HOSTILE, invitedBy: HOSTILE, associateName: HOSTILE, email: `${HOSTILE}@x` }) },
    ];
    const { el } = await openFresh({ server });
    ok(text(el).includes(`${HOSTILE} invited you (${HOSTILE}, ${HOSTILE}@x)`), text(el));
    equal(root(el).querySelectorAll('img').length, 0, 'no element was created from a name');
    cleanup();
    const back = await returnSignedIn({ idToken: 't', name: HOSTILE, username: `${HOSTILE}@x` });
    equal(status(back.el), `Signed in as ${HOSTILE} (${HOSTILE}@x).`);
    equal(root(back.el).querySelectorAll('img').length, 0);
    await frames(2);
    equal((window as { __pwned?: unknown }).__pwned, undefined);
  });

  it('speaks Norwegian bokmål', async () => {
    const { el } = await openFresh({ lang: 'nb' });
    ok(button(el, 'Logg på med Microsoft'), 'the sign-in button');
    ok(text(el).includes('Ola Nordmann har invitert deg (Kari Nordmann, kari.nordmann@nordlys.example)'), text(el));
    await expectAccessible(el);
  });
});

describe('InviteApi', () => {
  it('posts JSON to open and accept, and turns error bodies into InviteApiError', async () => {
    const server = new FakeServer();
    server.answers.accept = [problem(403, 'WrongOrganisation', 'Other tenant.')];
    const api = new InviteApi({ fetch: server.fetch, base: 'https://app.example/api/public/invites/' });
    deepEqual(await api.open(TOKEN), opened());
    const err = await api.accept(TOKEN, 'jwt').catch((e: unknown) => e);
    ok(err instanceof InviteApiError);
    deepEqual([err.status, err.code, err.message], [403, 'WrongOrganisation', 'Other tenant.']);
    deepEqual(server.requests, [
      { path: 'open', body: { token: TOKEN } },
      { path: 'accept', body: { token: TOKEN, idToken: 'jwt' } },
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
