import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { DEMO_ENTRA_APP } from '../../../backend/demo/demo-environment.js';
import { DEMO_CASES, DEMO_ENTRA_TENANT_ID } from '../../../simulators/demo-tenant.js';
import type { DemoAssociate, DemoMailbox } from '../../../simulators/demo-tenant.types.js';
import type { InviteOpened, InviteResult } from '../../../backend/contract.js';
import type { Harness } from '../../helpers/harness.js';
import { makeIntegrationHarness, PUBLIC_URL, type IntegrationHarness } from '../../helpers/integration.js';

/** The token in an invite link (`…/accept/#invite=<token>`). */
export const tokenOf = (text: string): string => {
  const m = /\/accept\/#invite=([A-Za-z0-9_-]{43})/.exec(text);
  if (!m) throw new Error(`no invite link in: ${text.slice(0, 200)}`);
  return m[1]!;
};

/**
 * The accept page's grant sign-in, as the browser runs it: `authorizeUrl` (Microsoft's page), the
 * user `userId` picked; returns where Microsoft sends the browser back (the backend's callback).
 * `tamper` changes the authorize request first (another PKCE challenge, say).
 */
export async function grantAnswer(h: IntegrationHarness, authorizeUrl: string, userId: string, tamper?: (p: URLSearchParams) => void): Promise<URL> {
  const url = new URL(authorizeUrl);
  const page = await h.browserFetch(url.toString());
  assert.equal(page.status, 200, await page.text());
  const form = new URLSearchParams(url.search);
  tamper?.(form);
  form.set('user_id', userId);
  const chosen = await h.browserFetch(`${url.origin}${url.pathname}`, { method: 'POST', body: form, redirect: 'manual' });
  assert.equal(chosen.status, 302);
  return new URL(chosen.headers.get('location')!);
}

/** What the callback made of Microsoft's answer: where it sent the browser (always the accept page) and the fragment's fields. */
export async function grantCallback(h: Pick<Harness, 'request'>, back: URL): Promise<{ status: number; location: string; fragment: Record<string, string> }> {
  const res = await h.request('GET', `${back.pathname}${back.search}`);
  const location = String(res.headers.location ?? '');
  return { status: res.status, location, fragment: Object.fromEntries(new URLSearchParams(location.split('#')[1] ?? '')) };
}

/**
 * The invite flow as the panel and the accept page drive it, for one harness: the tenant mode,
 * sending invites as the administrator, the mailed link, and the accept page's real Microsoft
 * sign-in. `ctx` is read at call time (the harness is made in `before`).
 */
export function inviteFlow(ctx: () => { h: IntegrationHarness; admin: string; sender: DemoMailbox }) {
  async function tenant() {
    const res = await ctx().h.request('GET', '/api/v1/tenant', { token: ctx().admin });
    assert.equal(res.status, 200, res.text);
    return res.body;
  }
  
  async function setMode(mode: 'application' | 'oauth') {
    const t = await tenant();
    if (t.mode === mode) return;
    const res = await ctx().h.request('PATCH', '/api/v1/tenant', { token: ctx().admin, body: { expectedVersion: t.version, mode } });
    assert.equal(res.status, 200, res.text);
  }
  
  async function invite(associateIds: number[], extra: Record<string, unknown> = {}): Promise<InviteResult> {
    const res = await ctx().h.request('POST', '/api/v1/invites', {
      token: ctx().admin,
      body: { associateIds, delivery: 'email', senderAddress: ctx().sender.userPrincipalName, senderName: 'Kari at Nordlys', ...extra },
    });
    assert.equal(res.status, 200, res.text);
    return res.body;
  }
  
  /** The invite link's token from the last email sent to `address`. */
  function mailedToken(address: string): string {
    const mail = ctx().h.env.graph.control
      .sentMail()
      .filter((m) => JSON.stringify(m.message.toRecipients).toLowerCase().includes(address.toLowerCase()))
      .at(-1);
    assert.ok(mail, `an email went to ${address}`);
    return tokenOf(String((mail.message.body as { content: string }).content));
  }
  
  async function open(token: string) {
    return ctx().h.request('POST', '/api/public/invites/open', { body: { token } });
  }
  
  /** What MSAL asks Microsoft for: the page's scopes plus its own openid, profile and offline_access. */
  const msalScope = (signIn: InviteOpened['signIn']) => [...new Set([...signIn.scopes, 'openid', 'profile', 'offline_access'])].join(' ');
  
  /** The accept page's MSAL redirect flow up to Microsoft's answer: authorize (pick the user); returns where the browser is sent back. */
  async function microsoftAnswer(signIn: InviteOpened['signIn'], userId: string, verifier: string): Promise<URL> {
    const params = new URLSearchParams({
      client_id: signIn.clientId,
      response_type: 'code',
      redirect_uri: signIn.redirectUri,
      scope: msalScope(signIn),
      response_mode: 'fragment',
      nonce: signIn.nonce,
      state: 'page-state',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      login_hint: signIn.loginHint,
    });
    const authorize = `${signIn.authority}/oauth2/v2.0/authorize`;
    const page = await ctx().h.browserFetch(`${authorize}?${params}`);
    assert.equal(page.status, 200, await page.text());
    params.set('user_id', userId);
    const chosen = await ctx().h.browserFetch(authorize, { method: 'POST', body: params, redirect: 'manual' });
    assert.equal(chosen.status, 302);
    const back = new URL(chosen.headers.get('location')!);
    assert.equal(`${back.origin}${back.pathname}`, `${PUBLIC_URL}/accept/`);
    return back;
  }
  
  /** The accept page's MSAL redirect flow, as the browser runs it: authorize (pick the user), code → tokens. */
  async function microsoftSignIn(signIn: InviteOpened['signIn'], userId: string): Promise<string> {
    const verifier = randomBytes(32).toString('base64url');
    const back = await microsoftAnswer(signIn, userId, verifier);
    const code = new URLSearchParams(back.hash.slice(1)).get('code')!;
    const tokens = await ctx().h.browserFetch(`${signIn.authority}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { origin: PUBLIC_URL, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: signIn.clientId,
        grant_type: 'authorization_code',
        code,
        redirect_uri: signIn.redirectUri,
        code_verifier: verifier,
        scope: msalScope(signIn),
      }),
    });
    const body = (await tokens.json()) as { id_token?: string };
    assert.equal(tokens.status, 200, JSON.stringify(body));
    return body.id_token!;
  }
  
  const mint = (userId: string, nonce: string, extra: { lifetimeSeconds?: number; claims?: Record<string, unknown> } = {}) =>
    ctx().h.env.entra.control.mintIdToken({ tenantId: DEMO_ENTRA_TENANT_ID, clientId: DEMO_ENTRA_APP.clientId, userId, nonce, ...extra });
  
  /** Opens the link and signs in as `userId` through the grant sign-in; the callback's outcome. */
  async function signInOn(token: string, userId: string, pickAccount = false) {
    const opened = await open(token);
    assert.equal(opened.status, 200, opened.text);
    const signIn = opened.body.signIn as InviteOpened['signIn'];
    return grantCallback(ctx().h, await grantAnswer(ctx().h, pickAccount ? signIn.anotherAccountUrl! : signIn.authorizeUrl!, userId));
  }

  /** Opens the link and accepts it as `mailbox`'s user through the real sign-in; asserts success. */
  async function acceptAs(token: string, mailbox: DemoMailbox) {
    const res = await signInOn(token, mailbox.id);
    assert.equal(res.status, 303);
    assert.ok(res.fragment.accepted, `accepted: ${res.location}`);
    return { mailboxAddress: res.fragment.accepted, displayName: res.fragment.name!, account: res.fragment.account! };
  }
  return { tenant, setMode, invite, mailedToken, open, msalScope, microsoftAnswer, microsoftSignIn, mint, signInOn, acceptAs };
}

/**
 * A harness with Microsoft 365 connected: an administrator (Kari) and a plain user signed in, the
 * sender mailbox, and the associates with a contact-card email that is an enabled member user
 * mailbox's primary address (one per mailbox).
 */
export async function inviteWorld() {
  const h = await makeIntegrationHarness({ consentGranted: false });
  const admin = (await h.signIn(DEMO_CASES.adminAssociateIds[0]!)).message.token!;
  const user = (await h.signIn(DEMO_CASES.nonAdminAssociateId)).message.token!;
  assert.equal((await h.consent(admin)).message.type, 'mailbox-link:consented');
  const sender = h.env.tenant.mailboxes.find((m) => m.id === DEMO_CASES.adminMailboxId)!;
  const mailboxOf = (email: string) => h.env.tenant.mailboxes.find((m) => m.userType === 'Member' && m.mail?.toLowerCase() === email.toLowerCase());
  const invitable = h.env.tenant.associates
    .filter((a) => a.isActive && a.personEmail && !DEMO_CASES.adminAssociateIds.includes(a.associateId))
    .map((a) => ({ a, m: mailboxOf(a.personEmail!) }))
    .filter((x): x is { a: DemoAssociate; m: DemoMailbox } => Boolean(x.m && x.m.userPurpose === 'user' && x.m.accountEnabled))
    .filter((x, i, all) => all.findIndex((y) => y.m.id === x.m.id) === i);
  assert.ok(invitable.length >= 8, 'the demo tenant has enough invitable associates');
  return { h, admin, user, sender, invitable };
}
