import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEMO_ENTRA_APP } from '../../../backend/demo/demo-environment.js';
import { DEMO_CASES, DEMO_ENTRA_TENANT_ID } from '../../../simulators/demo-tenant.js';
import type { DemoAssociate, DemoMailbox } from '../../../simulators/demo-tenant.types.js';
import type { InviteOpened } from '../../../backend/contract.js';
import { dumpDatabase, seedHistory } from '../../helpers/harness.js';
import { PUBLIC_URL, type IntegrationHarness } from '../../helpers/integration.js';
import { grantAnswer, grantCallback, inviteFlow, inviteWorld, tokenOf } from './invite-flow.js';


describe('Token Authentication Manager: invites, accept, authorizations (simulators)', () => {
  let h: IntegrationHarness;
  let admin: string;
  let user: string;
  let sender: DemoMailbox;
  /** Associates with a contact-card email that is a member mailbox's primary address. */
  let invitable: { a: DemoAssociate; m: DemoMailbox }[];

  before(async () => {
    ({ h, admin, user, sender, invitable } = await inviteWorld());
  });
  after(() => h.closeAll());
  beforeEach(() => {
    h.env.graph.control.clearFaults();
    h.env.graph.control.resetRequests();
  });

  const { tenant, setMode, invite, mailedToken, open, acceptAs } = inviteFlow(() => ({ h, admin, sender }));
  /** The retired id-token accept (what the accept page did before the grant sign-in). */
  const retiredAccept = (token: string) => h.request('POST', '/api/public/invites/accept', { body: { token, idToken: 'eyJhbGciOiJSUzI1NiJ9.e30.sig' } });
  /** The state the grant sign-in carries (Microsoft sends it back to the callback). */
  const stateOf = (authorizeUrl: string) => new URL(authorizeUrl).searchParams.get('state')!;

  test('the tenant mode: admins switch it (audited, versioned); links and history are never touched', async () => {
    const t = await tenant();
    assert.equal(t.mode, 'application');
    assert.equal(t.inviteTtlDays, 14);
    assert.equal(t.invites.senderAddress, null);
    assert.match(t.invites.message, /\{link\}/);

    const denied = await h.request('PATCH', '/api/v1/tenant', { token: user, body: { expectedVersion: t.version, mode: 'oauth' } });
    assert.equal(denied.status, 403);
    for (const body of [{ expectedVersion: t.version }, { expectedVersion: t.version, mode: 'OAuth' }, { expectedVersion: t.version, inviteTtlDays: 0 }, { expectedVersion: t.version, inviteTtlDays: 366 }, { expectedVersion: t.version, mode: 'oauth', extra: 1 }]) {
      const bad = await h.request('PATCH', '/api/v1/tenant', { token: admin, body });
      assert.equal(bad.status, 400, JSON.stringify(body));
    }
    const stale = await h.request('PATCH', '/api/v1/tenant', { token: admin, body: { expectedVersion: t.version - 1, mode: 'oauth' } });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, 'VersionConflict');

    const links = JSON.stringify(await h.store.db.selectFrom('link').selectAll().orderBy('id').execute());
    const ok = await h.request('PATCH', '/api/v1/tenant', { token: admin, body: { expectedVersion: t.version, mode: 'oauth', inviteTtlDays: 7 } });
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual([ok.body.mode, ok.body.inviteTtlDays, ok.body.version], ['oauth', 7, t.version + 1]);
    assert.equal(JSON.stringify(await h.store.db.selectFrom('link').selectAll().orderBy('id').execute()), links);
    const audit = await h.request('GET', '/api/v1/audit?limit=1', { token: admin });
    assert.equal(audit.body.entries[0].action, 'tenant.mode_changed');
    assert.deepEqual(audit.body.entries[0].after, { mode: 'oauth', inviteTtlDays: 7 });
    const back = await h.request('PATCH', '/api/v1/tenant', { token: admin, body: { expectedVersion: t.version + 1, inviteTtlDays: 14 } });
    assert.equal(back.status, 200);
  });

  test('send invites: one email each through Graph $batch, no-email associates reported, states listed', async () => {
    await setMode('oauth');
    const [x, y] = invitable;
    const noEmail = DEMO_CASES.noEmailAssociateIds[0]!;
    const result = await invite([x!.a.associateId, y!.a.associateId, noEmail, DEMO_CASES.retiredAssociateId, 999_999], {
      subject: 'Mailbox for {name}',
      message: 'Hi {name}, {organisation} asks you to accept: {link} (until {expires})',
    });
    assert.deepEqual(result.invites.map((i) => [i.associateId, i.state, i.delivery]).sort(), [
      [x!.a.associateId, 'invited', 'email'],
      [y!.a.associateId, 'invited', 'email'],
    ].sort());
    assert.ok(result.invites.every((i) => i.sentAt !== null && i.createdBy === 'Kari Nordmann'));
    assert.deepEqual(result.skipped.map((s) => [s.associateId, s.reason]), [
      [noEmail, 'NoEmail'],
      [DEMO_CASES.retiredAssociateId, 'Retired'],
      [999_999, 'UnknownAssociate'],
    ]);
    assert.deepEqual(result.failed, []);
    assert.deepEqual(result.links, [], 'email invites never return their links');

    const mail = h.env.graph.control.sentMail();
    assert.equal(mail.length, 2);
    const first = mail.find((m) => JSON.stringify(m.message.toRecipients).includes(x!.a.personEmail!))!;
    assert.equal(first.userId, sender.id);
    assert.equal(first.message.subject, `Mailbox for ${x!.a.fullName}`);
    assert.deepEqual((first.message.body as any).contentType, 'Text');
    assert.match((first.message.body as any).content, new RegExp(`^Hi ${x!.a.fullName}, Cust12345 asks you to accept: ${PUBLIC_URL}/accept/#invite=[A-Za-z0-9_-]{43} \\(until \\d+ \\w+ \\d{4}\\)$`));
    assert.deepEqual((first.message.from as any).emailAddress, { address: sender.userPrincipalName, name: 'Kari at Nordlys' });
    const requests = h.env.graph.control.requests();
    assert.equal(requests.total, 2, 'one sender check and one $batch');
    assert.equal(requests.batchItems['POST /v1.0/users/{id}/sendMail'], 2);

    // The text is remembered for next time; the secret is not stored, only its hash.
    const t = await tenant();
    assert.deepEqual([t.invites.senderAddress, t.invites.senderName, t.invites.subject], [sender.userPrincipalName, 'Kari at Nordlys', 'Mailbox for {name}']);
    const dump = await dumpDatabase(h.store);
    assert.ok(!dump.includes(mailedToken(x!.a.personEmail!)), 'the invite secret is not in the database');

    const list = await h.request('GET', '/api/v1/invites', { token: admin });
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.invites.map((i: any) => i.associateId).sort(), [x!.a.associateId, y!.a.associateId].sort());
    assert.equal((await h.request('GET', '/api/v1/invites', { token: user })).status, 403);
  });

  test('an alias of the sender\'s mailbox works: its object id is looked up first (Graph\'s /users/{x} takes no alias)', async () => {
    await setMode('oauth');
    const alias = sender.proxyAddresses.find((p) => p.startsWith('smtp:') && !p.includes('onmicrosoft'))!.slice('smtp:'.length);
    assert.notEqual(alias.toLowerCase(), sender.userPrincipalName.toLowerCase(), 'the fixture: an alias, not the UPN');
    const mailed = h.env.graph.control.sentMail().length;
    const target = invitable[2]!.a;
    const result = await invite([target.associateId], { senderAddress: alias });
    assert.deepEqual(result.failed, []);
    assert.equal(result.invites[0]!.state, 'invited');
    const sent = h.env.graph.control.sentMail().slice(mailed);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.userId, sender.id, 'sent from the alias\'s mailbox, addressed by object id');
    assert.deepEqual((sent[0]!.message.from as any).emailAddress, { address: sender.mail, name: 'Kari at Nordlys' });
    assert.equal(h.env.graph.control.requests().total, 2, 'one sender look-up and one $batch');
  });

  test('bad invite requests are refused and change nothing', async () => {
    const before = await dumpDatabase(h.store);
    const id = invitable[0]!.a.associateId;
    const bodies: unknown[] = [
      {},
      { associateIds: [], delivery: 'email' },
      { associateIds: Array.from({ length: 101 }, (_, i) => i + 1), delivery: 'email' },
      { associateIds: [id], delivery: 'fax' },
      { associateIds: [-1], delivery: 'email' },
      { associateIds: ['1'], delivery: 'email' },
      { associateIds: [id], delivery: 'email', senderAddress: 'not an address' },
      { associateIds: [id], delivery: 'email', message: 'a'.repeat(4001) },
      { associateIds: [id], delivery: 'email', senderName: 'bell\u0007' },
      // The sender's name and the subject end up in mail headers: no line breaks (header injection).
      { associateIds: [id], delivery: 'email', senderName: 'Kari\r\nBcc: everyone@example.com' },
      { associateIds: [id], delivery: 'email', senderName: 'Kari\nNordlys' },
      { associateIds: [id], delivery: 'email', subject: 'Connect\r\nBcc: everyone@example.com' },
      { associateIds: [id], delivery: 'email', subject: 'Connect\u2028your mailbox' },
      { associateIds: [id], delivery: 'email', subject: 'Connect\u0085your mailbox' },
      // Nothing that reorders or hides what the invitee reads, and no lone surrogate.
      { associateIds: [id], delivery: 'email', senderName: 'IT \u202Ekrowten' },
      { associateIds: [id], delivery: 'email', subject: 'Sign in at \u2066evil.example\u2069' },
      { associateIds: [id], delivery: 'email', message: 'Open {link}\u200B now' },
      { associateIds: [id], delivery: 'email', message: 'Hello \ud83d' },
      { associateIds: [id], delivery: 'email', subject: 'a\udc00b' },
      { associateIds: [id], delivery: 'email', bcc: 'everyone@example.com' },
    ];
    for (const body of bodies) {
      const res = await h.request('POST', '/api/v1/invites', { token: admin, body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'ValidationFailed', JSON.stringify(body));
    }
    const unknownSender = await h.request('POST', '/api/v1/invites', {
      token: admin,
      body: { associateIds: [id], delivery: 'email', senderAddress: 'nobody@nordlys.example' },
    });
    assert.equal(unknownSender.status, 400);
    assert.equal(unknownSender.body.error.code, 'InviteSenderNotFound');
    assert.equal((await h.request('POST', '/api/v1/invites', { token: user, body: { associateIds: [id], delivery: 'link' } })).status, 403);
    assert.equal((await h.request('POST', '/api/v1/invites/revoke', { token: admin, body: { ids: [crypto.randomUUID()] } })).status, 404);
    assert.equal(await dumpDatabase(h.store), before);
  });

  test('accept with the real Microsoft sign-in: the mailbox is authorized, once; Load External Users lists only it', async () => {
    await setMode('oauth');
    const { a, m } = invitable[2]!;
    await invite([a.associateId]);
    const token = mailedToken(a.personEmail!);

    const opened = await open(token);
    assert.equal(opened.status, 200, opened.text);
    const o: InviteOpened = opened.body;
    assert.deepEqual([o.associateName, o.email, o.invitedBy, o.allowOtherMailbox, o.sync], [a.fullName, a.personEmail, 'Kari Nordmann', false, null]);
    assert.equal(o.signIn.clientId, DEMO_ENTRA_APP.clientId);
    assert.equal(o.signIn.authority, `${h.env.entra.url}/${DEMO_ENTRA_TENANT_ID}`);
    assert.equal(o.signIn.redirectUri, `${PUBLIC_URL}/accept/`);
    assert.deepEqual(o.signIn.knownAuthorities, [new URL(h.env.entra.url).host]);

    const authorize = new URL(o.signIn.authorizeUrl!);
    assert.equal(authorize.searchParams.get('redirect_uri'), `${PUBLIC_URL}/auth/microsoft/accept/callback`);
    assert.equal(authorize.searchParams.get('nonce'), o.signIn.nonce);
    assert.equal(authorize.searchParams.get('login_hint'), a.personEmail);
    const back = await grantAnswer(h, o.signIn.authorizeUrl!, m.id);
    const res = await grantCallback(h, back);
    assert.equal(res.status, 303);
    assert.deepEqual(res.fragment, { accepted: m.mail!.toLowerCase(), name: m.displayName, account: m.userPrincipalName });
    assert.ok(res.location.startsWith('/accept/#'), res.location);

    const row = await h.store.db.selectFrom('authorized_mailbox').selectAll().where('mailbox_id', '=', m.id).executeTakeFirstOrThrow();
    assert.equal(row.account_upn, m.userPrincipalName);
    assert.equal(row.revoked_at, null);
    assert.ok(row.grant_sealed?.startsWith('v1.'), 'accepted with the owner’s grant, sealed');
    const audit = await h.request('GET', `/api/v1/audit?limit=1`, { token: admin });
    assert.equal(audit.body.entries[0].action, 'mailbox.authorized');
    assert.equal(audit.body.entries[0].after.delegatedGrant, true);
    assert.equal(audit.body.entries[0].actor.associateId, a.associateId);

    // Replayed: the same link and token again, and the link opened again, are refused; nothing changes.
    const before = await dumpDatabase(h.store);
    // (Accepting cleared the opening's state, so the replayed answer finds no invite at all.)
    const replay = await grantCallback(h, back);
    assert.deepEqual(replay.fragment, { error: 'InviteNotFound' });
    const retired = await retiredAccept(token);
    assert.equal(retired.status, 410);
    assert.equal(retired.body.error.code, 'AcceptBySignIn');
    assert.equal((await open(token)).body.error.code, 'InviteAlreadyUsed');
    assert.equal(await dumpDatabase(h.store), before);

    const invites = await h.request('GET', '/api/v1/invites', { token: admin });
    const mine = invites.body.invites.find((i: any) => i.associateId === a.associateId);
    assert.equal(mine.state, 'accepted');
    assert.deepEqual(mine.acceptedMailbox, { id: m.id, address: m.mail!.toLowerCase() });

    // OAuth mode: Load External Users lists the authorized mailboxes only, from our database.
    h.env.graph.control.resetRequests();
    const boxes = await h.request('GET', '/api/v1/mailboxes', { token: admin });
    assert.equal(boxes.status, 200);
    assert.ok(boxes.body.mailboxes.some((b: any) => b.id === m.id));
    const authorized = await h.store.db.selectFrom('authorized_mailbox').select('mailbox_id').where('revoked_at', 'is', null).execute();
    assert.deepEqual(boxes.body.mailboxes.map((b: any) => b.id).sort(), authorized.map((r) => r.mailbox_id).sort());
    assert.equal(boxes.body.next, null);
    assert.equal(h.env.graph.control.requests().total, 0);
  });

  test('where users may not consent, invitees get in only with the delegated permissions an administrator approved', async () => {
    await setMode('oauth');
    const { a, m } = invitable.at(-1)!;
    await invite([a.associateId]);
    const token = mailedToken(a.personEmail!);
    const entra = h.env.entra.control;
    const tid = DEMO_ENTRA_TENANT_ID;
    // The demo organisation lets no user consent; the admin's approval in before() covered the
    // registration's delegated permissions (the manifest's), and nothing else.
    assert.deepEqual(entra.delegatedConsent(tid, DEMO_ENTRA_APP.clientId).sort(), DEMO_ENTRA_APP.delegatedPermissions.map((p) => p.toLowerCase()).sort());
    const signInAnswer = async () => {
      const opened = await open(token);
      assert.equal(opened.status, 200, opened.text);
      return grantAnswer(h, opened.body.signIn.authorizeUrl, m.id);
    };
    try {
      // A registration without delegated permissions (as the README described it before), or
      // only the sign-in ones (no offline_access, no sync scopes): "Need admin approval", which
      // the callback hands to the accept page as AdminApprovalRequired, storing nothing.
      for (const delegated of [[], ['openid', 'profile', 'email']]) {
        entra.grantConsent(tid, DEMO_ENTRA_APP.clientId, DEMO_ENTRA_APP.permissions, delegated);
        const back = await signInAnswer();
        const refused = back.searchParams;
        assert.equal(refused.get('error'), 'consent_required', `approved: ${delegated.join(' ')}`);
        assert.match(refused.get('error_description')!, /^AADSTS65001: The user or administrator has not consented/);
        assert.equal(refused.get('code'), null);
        const before = await dumpDatabase(h.store);
        assert.deepEqual((await grantCallback(h, back)).fragment, { error: 'AdminApprovalRequired' });
        assert.equal(await dumpDatabase(h.store), before);
      }
      // Where users may consent, the same sign-in goes through without any approval.
      entra.setUserConsent(true);
      assert.ok((await signInAnswer()).searchParams.get('code'));
      entra.setUserConsent(false);
      // The registration the manifest describes, approved by the admin: the invitee accepts.
      entra.grantConsent(tid, DEMO_ENTRA_APP.clientId);
      await acceptAs(token, m);
    } finally {
      entra.setUserConsent(false);
      entra.grantConsent(tid, DEMO_ENTRA_APP.clientId);
    }
    const row = await h.store.db.selectFrom('authorized_mailbox').selectAll().where('mailbox_id', '=', m.id).executeTakeFirstOrThrow();
    assert.equal(row.account_upn, m.userPrincipalName);
  });

  test('every refused sign-in leaves the database unchanged, and the accept page is told why', async () => {
    await setMode('oauth');
    const { a, m } = invitable[3]!;
    const other = invitable[4]!.m;
    await invite([a.associateId]);
    const token = mailedToken(a.personEmail!);
    const opened = (await open(token)).body as InviteOpened;
    const authorizeUrl = opened.signIn.authorizeUrl!;
    const state = stateOf(authorizeUrl);
    const callbackAt = (query: Record<string, string>) => grantCallback(h, new URL(`${PUBLIC_URL}/auth/microsoft/accept/callback?${new URLSearchParams(query)}`));

    const before = await dumpDatabase(h.store);
    const cases: [string, () => Promise<URL>, string][] = [
      ['a state nobody handed out', async () => new URL(`${PUBLIC_URL}/auth/microsoft/accept/callback?code=x&state=${randomBytes(32).toString('base64url')}`), 'InviteNotFound'],
      ['no state', async () => new URL(`${PUBLIC_URL}/auth/microsoft/accept/callback?code=x`), 'SignInAgain'],
      ['cancelled at Microsoft', async () => new URL(`${PUBLIC_URL}/auth/microsoft/accept/callback?${new URLSearchParams({ error: 'access_denied', error_description: 'AADSTS65004: User declined to consent.', state })}`), 'SignInCancelled'],
      ['no code', async () => new URL(`${PUBLIC_URL}/auth/microsoft/accept/callback?state=${state}`), 'InvalidCallback'],
      ['a code Entra refuses', async () => new URL(`${PUBLIC_URL}/auth/microsoft/accept/callback?code=not-a-code&state=${state}`), 'TokenRequestRefused'],
      ['a code for another PKCE challenge', () => grantAnswer(h, authorizeUrl, m.id, (p) => p.set('code_challenge', randomBytes(32).toString('base64url'))), 'TokenRequestRefused'],
      ['another user', () => grantAnswer(h, authorizeUrl, other.id), 'MailboxMismatch'],
    ];
    for (const [what, answer, code] of cases) {
      const back = await answer();
      const res = await grantCallback(h, back);
      assert.equal(res.status, 303, what);
      assert.deepEqual(res.fragment, { error: code }, what);
      assert.ok(!res.location.includes(back.searchParams.get('code') ?? '\u0000'), `${what}: the code is not echoed`);
      assert.equal(await dumpDatabase(h.store), before, `${what} changed the database`);
    }
    // The retired id-token accept answers 410 whatever it is sent, and changes nothing.
    for (const t of [token, randomBytes(32).toString('base64url')]) {
      const res = await retiredAccept(t);
      assert.equal(res.status, 410, res.text);
      assert.equal(res.body.error.code, 'AcceptBySignIn');
    }
    assert.equal(await dumpDatabase(h.store), before);

    // Opening the link again hands out a new state: a sign-in started before that cannot accept.
    const early = await grantAnswer(h, authorizeUrl, m.id);
    const reopened = (await open(token)).body as InviteOpened;
    assert.notEqual(stateOf(reopened.signIn.authorizeUrl!), state);
    const reopenedDb = await dumpDatabase(h.store);
    assert.deepEqual((await grantCallback(h, early)).fragment, { error: 'InviteNotFound' });
    assert.deepEqual((await callbackAt({ code: 'x', state })).fragment, { error: 'InviteNotFound' });
    assert.equal(await dumpDatabase(h.store), reopenedDb);
    const ok = await grantCallback(h, await grantAnswer(h, reopened.signIn.authorizeUrl!, m.id));
    assert.equal(ok.fragment.accepted, m.mail!.toLowerCase());
  });

  test('expired, re-sent and revoked invites: the old links stop working', async () => {
    await setMode('oauth');
    const { a, m } = invitable[5]!;
    await invite([a.associateId]);
    const first = mailedToken(a.personEmail!);

    // Re-send: a new link; the first one is withdrawn.
    await invite([a.associateId]);
    const second = mailedToken(a.personEmail!);
    assert.notEqual(second, first);
    const old = await open(first);
    assert.equal(old.status, 410);
    assert.equal(old.body.error.code, 'InviteRevoked');
    const current = await open(second);
    assert.equal(current.status, 200);
    // Signed in at Microsoft, but the invite expires before the browser is back.
    const signedIn = await grantAnswer(h, current.body.signIn.authorizeUrl, m.id);

    // Expired (moved into the past in the database, as time would): refused, and listed as expired.
    const row = await h.store.db.selectFrom('invite').select(['id', 'expires_at']).where('associate_id', '=', a.associateId).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    await h.store.db.updateTable('invite').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', row.id).execute();
    const before = await dumpDatabase(h.store);
    assert.deepEqual((await grantCallback(h, signedIn)).fragment, { error: 'InviteExpired' });
    assert.equal(await dumpDatabase(h.store), before);
    const listed = (await h.request('GET', '/api/v1/invites', { token: admin })).body.invites.find((i: any) => i.associateId === a.associateId);
    assert.equal(listed.state, 'expired');

    // Re-send after expiry, then revoke: the link is refused; revoking again changes nothing.
    const third = await invite([a.associateId]);
    const thirdToken = mailedToken(a.personEmail!);
    const revoked = await h.request('POST', '/api/v1/invites/revoke', { token: admin, body: { ids: [third.invites[0]!.id] } });
    assert.equal(revoked.status, 200, revoked.text);
    assert.equal(revoked.body.revoked[0].state, 'revoked');
    assert.equal((await open(thirdToken)).body.error.code, 'InviteRevoked');
    const again = await dumpDatabase(h.store);
    assert.equal((await h.request('POST', '/api/v1/invites/revoke', { token: admin, body: { ids: [third.invites[0]!.id] } })).status, 200);
    assert.equal(await dumpDatabase(h.store), again);
  });

  test('copy invite link; another mailbox is accepted only when the admin allowed it', async () => {
    await setMode('oauth');
    const { a } = invitable[6]!;
    const other = invitable[7]!.m;
    const mailed = h.env.graph.control.sentMail().length;
    const res = await h.request('POST', '/api/v1/invites', { token: admin, body: { associateIds: [a.associateId], delivery: 'link', allowOtherMailbox: true } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.links.length, 1);
    assert.equal(res.body.invites[0].delivery, 'link');
    assert.equal(h.env.graph.control.sentMail().length, mailed, 'no email for a copied link');
    const token = tokenOf(res.body.links[0].url);
    const accepted = await acceptAs(token, other);
    assert.equal(accepted.mailboxAddress, other.mail!.toLowerCase());
    const audit = await h.request('GET', '/api/v1/audit?limit=1', { token: admin });
    assert.equal(audit.body.entries[0].after.otherMailbox, true);
  });

  test('revoking an authorization disables the link (options and history kept) until the owner accepts again', async () => {
    await setMode('oauth');
    const { a, m } = invitable[2]!; // authorized above
    const created = await h.request('POST', '/api/v1/links', {
      token: admin,
      body: { links: [{ associateId: a.associateId, associateName: a.fullName, mailboxId: m.id, mailboxAddress: m.mail, diary: true, task: false, contact: true, rank: 3 }] },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.created[0].authorization, 'authorized');
    assert.equal(created.body.created[0].state, 'active');
    const linkId = created.body.created[0].id;
    await seedHistory(h.store, 'Cust12345', linkId, 1, 77);

    const denied = await h.request('POST', '/api/v1/authorizations/revoke', { token: user, body: { mailboxIds: [m.id] } });
    assert.equal(denied.status, 403);
    const missing = await h.request('POST', '/api/v1/authorizations/revoke', { token: admin, body: { mailboxIds: [crypto.randomUUID()] } });
    assert.equal(missing.status, 404);

    const revoked = await h.request('POST', '/api/v1/authorizations/revoke', { token: admin, body: { mailboxIds: [m.id] } });
    assert.equal(revoked.status, 200, revoked.text);
    assert.equal(revoked.body.disabledLinks, 1);
    assert.notEqual(revoked.body.revoked[0].revokedAt, null);

    const links = (await h.request('GET', '/api/v1/links', { token: admin })).body.links;
    const link = links.find((l: any) => l.id === linkId);
    assert.deepEqual([link.authorization, link.state, link.diary, link.task, link.contact, link.rank, link.historyCount], ['revoked', 'disabled', true, false, true, 3, 1]);
    const boxes = await h.request('GET', '/api/v1/mailboxes', { token: admin });
    assert.ok(!boxes.body.mailboxes.some((b: any) => b.id === m.id), 'a revoked mailbox is not listed');

    // Application mode: the same link is active again (authorization does not apply).
    await setMode('application');
    const inApp = (await h.request('GET', '/api/v1/links', { token: admin })).body.links.find((l: any) => l.id === linkId);
    assert.deepEqual([inApp.authorization, inApp.state], [null, 'active']);
    await setMode('oauth');

    // A new invite, accepted: authorized again, same link, history still there.
    await invite([a.associateId]);
    await acceptAs(mailedToken(a.personEmail!), m);
    const again = (await h.request('GET', '/api/v1/links', { token: admin })).body.links.find((l: any) => l.id === linkId);
    assert.deepEqual([again.authorization, again.state, again.historyCount], ['authorized', 'active', 1]);
  });

  test('Graph failing while sending: nothing is lost, each unsent invite is reported and kept as failed', async () => {
    await setMode('oauth');
    const targets = invitable.slice(0, 3).map((x) => x.a.associateId);
    // Down before anything is written (the sender check): 503, nothing changes.
    h.env.graph.control.setFaults({ unavailable: 'persistent' });
    const before = await dumpDatabase(h.store);
    const down = await h.request('POST', '/api/v1/invites', { token: admin, body: { associateIds: targets, delivery: 'email', senderAddress: sender.userPrincipalName } });
    assert.equal(down.status, 503, down.text);
    assert.equal(down.body.error.code, 'MicrosoftUnavailable');
    assert.equal(await dumpDatabase(h.store), before);

    // Down for sendMail only: the invites exist (a link that went out always works), each is reported failed.
    h.env.graph.control.setFaults({ unavailable: 'persistent', route: 'POST /v1.0/$batch' });
    const mailed = h.env.graph.control.sentMail().length;
    const failed = await invite(targets);
    assert.equal(failed.failed.length, 3);
    assert.deepEqual(failed.failed.map((f) => f.code), ['MicrosoftUnavailable', 'MicrosoftUnavailable', 'MicrosoftUnavailable']);
    assert.ok(failed.invites.every((i) => i.state === 'failed' && i.sendError !== null && i.sentAt === null));
    assert.equal(h.env.graph.control.sentMail().length, mailed);
    const audit = (await h.request('GET', '/api/v1/audit?limit=3', { token: admin })).body.entries;
    assert.deepEqual(audit.map((e: any) => e.action), ['invite.send_failed', 'invite.send_failed', 'invite.send_failed']);

    // A throttled burst inside the batch (per-item 429 with Retry-After) is retried: all three go out.
    h.env.graph.control.clearFaults();
    h.env.graph.control.resetRequests();
    h.env.graph.control.setThrottle({ limit: 3, windowSeconds: 1 });
    try {
      const sent = await invite(targets);
      assert.deepEqual(sent.failed, []);
      assert.ok(sent.invites.every((i) => i.state === 'invited' && i.sentAt !== null));
      assert.equal(h.env.graph.control.sentMail().length, mailed + 3);
      assert.ok(h.env.graph.control.requests().throttled > 0, 'Graph did throttle some items');
    } finally {
      h.env.graph.control.setThrottle(null);
    }
  });

  test('two accepts racing with one invite: exactly one wins', async () => {
    await setMode('oauth');
    const { a, m } = invitable[1]!;
    await invite([a.associateId]);
    const token = mailedToken(a.personEmail!);
    const authorizeUrl: string = (await open(token)).body.signIn.authorizeUrl;
    // Two codes of the same opening (two tabs signed in at once), both redeemable.
    const backs = [await grantAnswer(h, authorizeUrl, m.id), await grantAnswer(h, authorizeUrl, m.id)];
    const outcomes = await Promise.all(backs.map((b) => grantCallback(h, b)));
    const won = outcomes.filter((o) => o.fragment.accepted === m.mail!.toLowerCase());
    const lost = outcomes.filter((o) => o.fragment.error);
    assert.equal(won.length, 1);
    assert.equal(lost.length, 1);
    // The loser used the invite too late (InviteAlreadyUsed), or came after the winner cleared the state (InviteNotFound).
    assert.ok(['InviteAlreadyUsed', 'InviteNotFound'].includes(lost[0]!.fragment.error!), lost[0]!.location);
    const audits = await h.store.db.selectFrom('audit_log').select('id').where('action', '=', 'mailbox.authorized').where('entity_id', '=', m.id).execute();
    assert.equal(audits.length, 1);
  });

  test('the accept page and its API: top-level only, small JSON bodies, no session needed', async () => {
    const page = await h.request('GET', '/accept/');
    assert.equal(page.status, 200);
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    // The page only navigates to Microsoft; its scripts talk to this server alone.
    assert.match(csp, /connect-src 'self'(;|$)/);
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    // The build's hashed bundle (accept.[hash].js), named by the page.
    assert.match(page.text, /<script type="module" src="\.\/accept\.[A-Z0-9]{8}\.js"><\/script>/);
    assert.ok(!/<script>/.test(page.text), 'no inline script');
    assert.equal((await h.request('GET', '/accept')).status, 302);

    const big = await h.request('POST', '/api/public/invites/open', { raw: JSON.stringify({ token: 'x'.repeat(40_000) }), headers: { 'content-type': 'application/json' } });
    assert.equal(big.status, 413);
    const form = await h.request('POST', '/api/public/invites/open', { raw: 'token=abc', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(form.status, 415);
    for (const body of [{}, { token: 5 }, { token: 'a', extra: 1 }, { token: '', idToken: 'x' }]) {
      const res = await h.request('POST', '/api/public/invites/open', { body });
      assert.equal(res.status, 400, JSON.stringify(body));
    }
    assert.equal((await h.request('GET', '/api/public/invites/open')).status, 405);
  });
});
