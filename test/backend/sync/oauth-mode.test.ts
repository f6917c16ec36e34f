import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { WAITING_AUTHORIZATION_MESSAGE } from '../../../backend/sync/diary/connections.js';
import { DEMO_ENTRA_TENANT_ID } from '../../../simulators/demo-tenant.js';
import { tokenOf } from '../invites/invite-flow.js';
import { at, makeWorld, type World, type WorldUser } from './diary/world.js';

/*
 * OAuth mode, end to end over real HTTP: the invitee accepts through the Entra simulator's
 * sign-in page (authorization code + PKCE, the code redeemed by the backend), the worker then
 * synchronizes the diary as that user with their delegated token. The Graph simulator records
 * which token called each mailbox, so "never the app token" is counted, not assumed.
 */

describe('OAuth mode: the mailbox owner’s delegated grant', () => {
  let w: World;
  let admin: string;
  let dir: string;
  const file = () => join(dir, 'oauth.db');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oauth-mode-'));
    w = await makeWorld({ users: 14, databaseFile: file() });
    const adminId = w.h.env.tenant.associates.find((a) => a.functionRights.includes('admin-all'))!.associateId;
    admin = (await w.h.signIn(adminId)).message.token!;
    await w.setTenant({ mode: 'oauth' });
  });
  after(async () => {
    await w.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const entra = () => w.h.env.entra.control;
  /** The next user whose associate has a contact-card email (invites go to it). */
  const invitable = (): WorldUser => {
    for (;;) {
      const user = w.fresh();
      if (w.h.env.tenant.associates.find((a) => a.associateId === user.associateId)?.personEmail) return user;
    }
  };
  const graph = () => w.h.env.graph.control;

  /** A copied invite link for the user's associate (another mailbox allowed unless said otherwise). */
  async function inviteToken(user: WorldUser, allowOtherMailbox = true): Promise<string> {
    const res = await w.h.request('POST', '/api/v1/invites', { token: admin, body: { associateIds: [user.associateId], delivery: 'link', allowOtherMailbox } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.links.length, 1, res.text);
    return tokenOf(res.body.links[0].url);
  }

  /** The accept page's open, then Microsoft's sign-in page as `mailboxId`'s user; returns the callback URL Microsoft sends the browser to. */
  async function microsoftAnswer(authorizeUrl: string, mailboxId: string, tamper?: (p: URLSearchParams) => void): Promise<URL> {
    const url = new URL(authorizeUrl);
    const page = await w.h.browserFetch(url.toString());
    assert.equal(page.status, 200, await page.text());
    const form = new URLSearchParams(url.search);
    tamper?.(form);
    form.set('user_id', mailboxId);
    const chosen = await w.h.browserFetch(`${url.origin}${url.pathname}`, { method: 'POST', body: form, redirect: 'manual' });
    assert.equal(chosen.status, 302);
    return new URL(chosen.headers.get('location')!);
  }

  async function openInvite(token: string) {
    const opened = await w.h.request('POST', '/api/public/invites/open', { body: { token } });
    assert.equal(opened.status, 200, opened.text);
    return opened.body.signIn as { authorizeUrl: string; anotherAccountUrl: string };
  }

  const callback = (back: URL) => w.h.request('GET', `${back.pathname}${back.search}`);

  /** The whole acceptance as the owner of the user's mailbox. */
  async function accept(user: WorldUser): Promise<void> {
    const signIn = await openInvite(await inviteToken(user));
    const back = await microsoftAnswer(signIn.authorizeUrl, user.mailboxId);
    assert.equal(back.pathname, '/auth/microsoft/accept/callback');
    const res = await callback(back);
    assert.equal(res.status, 303, res.text);
    assert.match(String(res.headers.location), /^\/accept\/#accepted=/);
  }

  const grantOf = async (user: WorldUser) =>
    (await w.h.store.db.selectFrom('authorized_mailbox').select(['grant_sealed', 'revoked_at']).where('mailbox_id', '=', user.mailboxId).executeTakeFirst()) ?? null;
  const callersOf = (user: WorldUser) => graph().callers()[user.mailboxId] ?? { app: 0, delegated: {} };
  const refreshTokensIssued = () => entra().issued().filter((i) => i.kind === 'refresh').length;
  const linkSync = async (user: WorldUser) => {
    const res = await w.h.request('GET', '/api/v1/links', { token: admin });
    return res.body.links.find((l: { id: string }) => l.id === user.linkId).sync;
  };

  test('a mailbox without a grant waits for authorization: nothing read or written, the re-invite is the way on', async () => {
    const user = w.fresh();
    w.so.create(user, { title: 'Before the grant', start: at(2, 9), end: at(2, 10) });
    w.resetCounts();
    const r = await w.pass(user);
    assert.equal(r.mailbox.state, 'waiting_authorization');
    assert.equal(r.mailbox.last_error, WAITING_AUTHORIZATION_MESSAGE);
    assert.equal(Object.keys(graph().callers()).length, 0);
    assert.equal(w.outlook.events(user).length, 0);
    assert.equal((await linkSync(user)).state, 'waiting_authorization');
    // Sync now says why instead of queueing what cannot run.
    const now = await w.h.request('POST', '/api/v1/sync/run', { token: admin, body: { linkIds: [user.linkId] } });
    assert.equal(now.status, 409);
    assert.equal(now.body.error.code, 'SyncWaitingAuthorization');
  });

  test('accepted: the diary is synchronized with the owner’s delegated token only (zero app-token calls on that mailbox), the grant sealed at rest', async () => {
    const user = invitable();
    const appointment = w.so.create(user, { title: 'Delegated', start: at(3, 9), end: at(3, 10) });
    await accept(user);
    const stored = await grantOf(user);
    assert.ok(stored?.grant_sealed?.startsWith('v1.'), 'the grant is stored sealed');
    assert.equal((await linkSync(user)).state, 'pending');
    w.resetCounts();
    const r = await w.pass(user);
    assert.equal(r.mailbox.state, 'in_sync', String(r.mailbox.last_error));
    assert.equal(r.mailbox.last_created, 1);
    assert.equal(w.outlook.events(user).length, 1);
    const callers = callersOf(user);
    assert.equal(callers.app, 0, 'no app token for an OAuth-mode mailbox');
    assert.deepEqual(Object.keys(callers.delegated), [user.mailboxId]);
    assert.ok(callers.delegated[user.mailboxId]! >= 1);
    // An edit goes across on the next pass, still as the owner.
    w.so.edit(appointment.appointmentId, { Title: 'Delegated, edited' });
    const again = await w.pass(user);
    assert.equal(again.mailbox.last_updated, 1);
    assert.equal(w.outlook.events(user)[0]!.subject, 'Delegated, edited');
    assert.equal(callersOf(user).app, 0);

    // Neither the refresh tokens nor the access tokens Entra issued are in the database file in clear, nor in the logs.
    const secrets = entra().issued().filter((i) => i.kind !== 'code').map((i) => i.value);
    assert.ok(secrets.length >= 2);
    const db = [file(), `${file()}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('');
    const logs = w.h.logs.join('\n');
    for (const s of secrets) {
      assert.ok(!db.includes(s.slice(-40)), 'no issued token in the database file');
      assert.ok(!logs.includes(s.slice(-40)), 'no issued token in the logs');
    }
    assert.ok(!db.includes('RefreshToken'), 'the token cache is sealed, not stored as JSON');
  });

  test('the access token expires: MSAL refreshes it, the rotated refresh token is sealed again, the sync goes on', async () => {
    const user = invitable();
    // Shorter than MSAL's five-minute margin: every pass must refresh.
    entra().setTokenLifetime(60);
    try {
      await accept(user);
      const first = (await grantOf(user))!.grant_sealed;
      const refreshes = refreshTokensIssued();
      w.so.create(user, { title: 'After refresh', start: at(4, 9), end: at(4, 10) });
      const r = await w.pass(user);
      assert.equal(r.mailbox.state, 'in_sync', String(r.mailbox.last_error));
      assert.equal(r.mailbox.last_created, 1);
      assert.equal(refreshTokensIssued(), refreshes + 1, 'one refresh, rotating the refresh token');
      const second = (await grantOf(user))!.grant_sealed;
      assert.notEqual(second, first, 'the rotated refresh token is stored');
      w.so.create(user, { title: 'After a second refresh', start: at(5, 9), end: at(5, 10) });
      const r2 = await w.pass(user);
      assert.equal(r2.mailbox.last_created, 1);
      assert.equal(refreshTokensIssued(), refreshes + 2);
      assert.equal(w.outlook.events(user).length, 2);
      assert.equal(callersOf(user).app, 0);
    } finally {
      entra().setTokenLifetime(3599);
    }
  });

  test('Revoke authorization: waiting for authorization, mapping and items kept on both sides; re-accept resumes with 0 creates', async () => {
    const user = invitable();
    w.so.create(user, { title: 'Kept', start: at(2, 11), end: at(2, 12) });
    await accept(user);
    assert.equal((await w.pass(user)).mailbox.last_created, 1);

    const revoked = await w.h.request('POST', '/api/v1/authorizations/revoke', { token: admin, body: { mailboxIds: [user.mailboxId] } });
    assert.equal(revoked.status, 200, revoked.text);
    assert.equal((await grantOf(user))!.grant_sealed, null, 'the grant is gone with the authorization');
    w.resetCounts();
    const r = await w.pass(user);
    assert.equal(r.mailbox.state, 'waiting_authorization');
    assert.equal(r.items.length, 1, 'the mapping is kept');
    assert.equal(r.items[0]!.state, 'active');
    assert.equal(w.outlook.events(user).length, 1);
    assert.equal(w.so.list(user).length, 1);
    assert.equal(callersOf(user).app + Object.values(callersOf(user).delegated).reduce((a, b) => a + b, 0), 0, 'nothing read or written');
    const sync = await linkSync(user);
    assert.equal(sync.state, 'waiting_authorization');
    assert.equal(sync.itemsInSync, 1);
    // The Token Authentication Manager shows the invite as revoked: its re-send is the re-invite.
    const invites = await w.h.request('GET', '/api/v1/invites', { token: admin });
    assert.equal(invites.body.invites.find((i: { associateId: number }) => i.associateId === user.associateId).state, 'revoked');

    await accept(user);
    const back = await w.pass(user);
    assert.equal(back.mailbox.state, 'in_sync', String(back.mailbox.last_error));
    assert.equal(back.mailbox.last_created, 0, 'no duplicate after re-accepting');
    assert.equal(w.outlook.events(user).length, 1);
    assert.equal(w.so.list(user).length, 1);
    assert.equal(callersOf(user).app, 0);
  });

  test('the grant revoked on the Entra side (sessions revoked, password reset): invalid_grant → waiting, nothing deleted; re-accept → 0 creates', async () => {
    const user = invitable();
    entra().setTokenLifetime(60);
    try {
      w.so.create(user, { title: 'Survives', start: at(6, 9), end: at(6, 10) });
      await accept(user);
      assert.equal((await w.pass(user)).mailbox.last_created, 1);
      assert.ok(entra().revokeUserSessions(DEMO_ENTRA_TENANT_ID, user.mailboxId) >= 1);
      const r = await w.pass(user);
      assert.equal(r.mailbox.state, 'waiting_authorization');
      assert.equal(r.mailbox.last_error, WAITING_AUTHORIZATION_MESSAGE);
      assert.equal((await grantOf(user))!.grant_sealed, null, 'the refused grant is dropped');
      assert.equal(r.items.length, 1);
      assert.equal(w.outlook.events(user).length, 1);
      assert.equal(w.so.list(user).length, 1);
      // The next pass does not ask Entra again.
      const refreshes = refreshTokensIssued();
      assert.equal((await w.pass(user)).mailbox.state, 'waiting_authorization');
      assert.equal(refreshTokensIssued(), refreshes);

      await accept(user);
      const back = await w.pass(user);
      assert.equal(back.mailbox.state, 'in_sync', String(back.mailbox.last_error));
      assert.equal(back.mailbox.last_created, 0);
      assert.equal(w.outlook.events(user).length, 1);
      assert.equal(callersOf(user).app, 0);
    } finally {
      entra().setTokenLifetime(3599);
    }
  });

  test('refused, told to the accept page, and nothing stored: a forged state, a stale opening, a wrong PKCE verifier, another user’s code', async () => {
    const user = invitable();
    const other = invitable();
    const rows = async () => (await w.h.store.db.selectFrom('authorized_mailbox').select('mailbox_id').where('mailbox_id', 'in', [user.mailboxId, other.mailboxId]).execute()).length;
    const token = await inviteToken(user, false);

    // A state nobody handed out: no invite has it.
    // Every refusal goes back to the accept page with its code in the fragment (the page says it in plain words).
    const refusal = (res: { status: number; headers: Record<string, unknown> }) => {
      assert.equal(res.status, 303);
      return new URLSearchParams(String(res.headers.location).replace(/^\/accept\/#/, '')).get('error');
    };
    const forged = await w.h.request('GET', `/auth/microsoft/accept/callback?code=x&state=${randomBytes(32).toString('base64url')}`);
    assert.equal(refusal(forged), 'InviteNotFound');

    // A sign-in of an older opening: the link was opened again since.
    const stale = await openInvite(token);
    const staleBack = await microsoftAnswer(stale.authorizeUrl, user.mailboxId);
    const fresh = await openInvite(token);
    // The newer opening replaced the state: the older one finds no invite any more.
    assert.equal(refusal(await callback(staleBack)), 'InviteNotFound');

    // A code issued for another PKCE challenge (someone else's sign-in, replayed with our state): Entra refuses our verifier.
    const wrongPkce = await microsoftAnswer(fresh.authorizeUrl, user.mailboxId, (p) => p.set('code_challenge', randomBytes(32).toString('base64url')));
    assert.equal(refusal(await callback(wrongPkce)), 'TokenRequestRefused');

    // Another user signs in on this invitation (it does not allow another mailbox).
    const again = await openInvite(token);
    const otherBack = await microsoftAnswer(again.authorizeUrl, w.h.env.tenant.mailboxes.find((m) => m.id === other.mailboxId)!.id);
    assert.equal(refusal(await callback(otherBack)), 'MailboxMismatch');

    assert.equal(await rows(), 0, 'no authorization, no grant stored');
    const invite = await w.h.store.db.selectFrom('invite').select('accepted_at').where('associate_id', '=', user.associateId).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    assert.equal(invite.accepted_at, null);
  });
});
