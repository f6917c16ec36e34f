import assert from 'node:assert/strict';
import Koa from 'koa';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ClaimBackoff, runAlertDigests, claimDueDigests, type AlertDigestDeps } from '../../../backend/alerts/digest.js';
import { verifySignature, isPrivateAddress, postWebhook } from '../../../backend/alerts/webhook.js';
import { deleteIgnores, insertIgnores } from '../../../backend/health/health.repository.js';
import type { HealthProblem } from '../../../backend/health/health.types.js';
import { DEMO_CASES } from '../../../simulators/demo-tenant.js';
import { listenHttps, type RunningServer } from '../../../simulators/https-server.js';
import { OTHER_ADMIN, refusedBy } from '../../helpers/harness.js';
import { makeIntegrationHarness, type IntegrationHarness } from '../../helpers/integration.js';

const [KARI, OLA] = DEMO_CASES.adminAssociateIds as [number, number];

const problem = (n: number, kind: HealthProblem['kind'] = 'mailbox_disabled'): HealthProblem => ({
  key: `${kind}:link-${n}`,
  kind,
  linkId: `link-${n}`,
  associateId: n,
  associateName: `Associate ${n}`,
  mailboxId: null,
  mailboxAddress: `user${n}@nordlys.example`,
  message: `Associate ${n}'s mailbox user${n}@nordlys.example is disabled in Microsoft 365.`,
  since: null,
});

/** A webhook receiver over HTTPS (the simulators' certificate) that records what it was sent. */
async function receiver(): Promise<{ server: RunningServer; got: { body: string; signature: string | undefined; delivery: string | undefined }[]; status: { value: number } }> {
  const got: { body: string; signature: string | undefined; delivery: string | undefined }[] = [];
  const status = { value: 204 };
  const app = new Koa();
  app.use(async (ctx) => {
    const chunks: Buffer[] = [];
    for await (const c of ctx.req) chunks.push(c as Buffer);
    got.push({ body: Buffer.concat(chunks).toString('utf8'), signature: ctx.get('x-signature-256') || undefined, delivery: ctx.get('x-alerts-delivery') || undefined });
    ctx.status = status.value;
    if (status.value >= 300 && status.value < 400) ctx.set('Location', 'https://127.0.0.1:1/elsewhere');
  });
  return { server: await listenHttps(app), got, status };
}

describe('Alerts: settings, the daily digest (e-mail and signed webhook), test (simulators)', () => {
  let h: IntegrationHarness;
  let admin: string;
  let user: string;
  let other: string;
  let hook: Awaited<ReturnType<typeof receiver>>;
  let problems: HealthProblem[] = [];
  /** The associates as the digest's health reading sees them (none known: the saved addresses). */
  let cards = new Map<number, { active: boolean; email: string | null }>();
  let secret: string;
  const tenantId = () => h.env.tenant.contextId;
  const kari = () => h.env.tenant.associates.find((a) => a.associateId === KARI)!;
  const ola = () => h.env.tenant.associates.find((a) => a.associateId === OLA)!;

  before(async () => {
    h = await makeIntegrationHarness({ consentGranted: false, config: { alertWebhookAllowPrivate: true } });
    admin = (await h.signIn(KARI)).message.token!;
    await h.signIn(OLA);
    user = (await h.signIn(DEMO_CASES.nonAdminAssociateId)).message.token!;
    assert.equal((await h.consent(admin)).message.type, 'mailbox-link:consented');
    other = await h.token(OTHER_ADMIN);
    const sender = h.env.tenant.mailboxes.find((m) => m.id === DEMO_CASES.adminMailboxId)!;
    // The Token Authentication Manager's sender, as saving invites leaves it.
    await h.store.db.updateTable('tenant').set({ invite_sender_address: sender.userPrincipalName, invite_sender_name: 'Kari at Nordlys' }).where('id', '=', tenantId()).execute();
    hook = await receiver();
  });
  after(async () => {
    await hook.server.close();
    await h.closeAll();
  });
  beforeEach(() => {
    h.env.graph.control.clearFaults();
  });

  const settings = async (token = admin) => {
    const res = await h.request('GET', '/api/v1/alerts/settings', { token });
    assert.equal(res.status, 200, res.text);
    return res.body;
  };
  const digestDeps = (now: Date, extra: Partial<AlertDigestDeps> = {}): AlertDigestDeps => ({
    store: h.store,
    healthSource: async (t) => ({ problems: t === tenantId() ? problems : [], associates: cards }),
    integration: h.integration,
    config: { alertWebhookAllowPrivate: true },
    now,
    ...extra,
  });
  const mailsTo = () => h.env.graph.control.sentMail().map((m) => ({ to: (m.message.toRecipients as { emailAddress: { address: string } }[]).map((r) => r.emailAddress.address.toLowerCase()), subject: String(m.message.subject), body: String((m.message.body as { content: string }).content) }));

  test('the administrators to choose from: SuperOffice administrators seen signing in, with their contact-card e-mail', async () => {
    const res = await h.request('GET', '/api/v1/alerts/admins', { token: admin });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.admins.map((a: { associateId: number }) => a.associateId).sort(), [KARI, OLA].sort());
    assert.equal(res.body.admins.find((a: { associateId: number }) => a.associateId === KARI).email, kari().personEmail);
    assert.equal((await h.request('GET', '/api/v1/alerts/admins', { token: user })).status, 403);
  });

  test('settings: defaults, saved and versioned, audited without the secret; bad input, non-admins and stale versions change nothing', async () => {
    const s = await settings();
    assert.deepEqual([s.enabled, s.recipients, s.hourUtc, s.webhookUrl, s.webhookSecretSet, s.version], [false, [], 7, null, false, 0]);
    const put = (body: unknown, token = admin) => () => h.request('PUT', '/api/v1/alerts/settings', { token, body });
    const good = { expectedVersion: 0, enabled: true, recipients: [KARI, OLA], hourUtc: 6, webhookUrl: `${hook.server.url}/hook` };
    await refusedBy(h, 403, 'AdminRequired', put(good, user));
    for (const bad of [
      { ...good, hourUtc: 24 },
      { ...good, hourUtc: -1 },
      { ...good, webhookUrl: 'http://example.com/hook' },
      { ...good, webhookUrl: 'https://user:pw@example.com/hook' },
      { ...good, webhookUrl: 'not a url' },
      { ...good, recipients: [KARI, KARI] },
      { ...good, recipients: ['5'] },
      { ...good, extra: true },
      { enabled: true },
    ]) {
      await refusedBy(h, 400, 'ValidationFailed', put(bad));
    }
    const notAdmin = await refusedBy(h, 400, 'AlertRecipientRefused', put({ ...good, recipients: [KARI, DEMO_CASES.nonAdminAssociateId, 999_999] }));
    assert.deepEqual(notAdmin.details.map((d) => [d.path, d.code]), [
      ['body.recipients.1', 'NotAdministrator'],
      ['body.recipients.2', 'UnknownAssociate'],
    ]);
    await refusedBy(h, 409, 'VersionConflict', put({ ...good, expectedVersion: 3 }));

    const ok = await h.request('PUT', '/api/v1/alerts/settings', { token: admin, body: good });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.version, 1);
    assert.deepEqual(ok.body.recipients.map((r: { associateId: number; email: string }) => [r.associateId, r.email]), [
      [KARI, kari().personEmail],
      [OLA, ola().personEmail],
    ]);
    const audit = await h.request('GET', '/api/v1/audit?limit=1', { token: admin });
    assert.equal(audit.body.entries[0].action, 'alerts.settings');
    assert.deepEqual(audit.body.entries[0].after, { enabled: true, recipients: [KARI, OLA], hourUtc: 6, webhookUrl: good.webhookUrl, webhookSecretSet: false });

    // Another tenant's administrator sees their own (empty) settings, never these.
    const theirs = await settings(other);
    assert.deepEqual([theirs.enabled, theirs.recipients, theirs.version], [false, [], 0]);
  });

  test('the webhook secret: made by the server, shown once, never answered again, audited without it', async () => {
    await refusedBy(h, 403, 'AdminRequired', () => h.request('POST', '/api/v1/alerts/webhook/secret', { token: user, body: {} }));
    await refusedBy(h, 400, 'ValidationFailed', () => h.request('POST', '/api/v1/alerts/webhook/secret', { token: admin, body: { secret: 'mine' } }));
    const res = await h.request('POST', '/api/v1/alerts/webhook/secret', { token: admin, body: {} });
    assert.equal(res.status, 200, res.text);
    assert.match(res.body.secret, /^whsec_/);
    assert.equal(res.headers['cache-control'], 'no-store');
    secret = res.body.secret;
    const s = await settings();
    assert.equal(s.webhookSecretSet, true);
    assert.ok(!JSON.stringify(s).includes(secret));
    const audit = await h.request('GET', '/api/v1/audit?limit=1', { token: admin });
    assert.equal(audit.body.entries[0].action, 'alerts.webhook_secret');
    assert.ok(!audit.text.includes(secret));
    const dump = JSON.stringify(await h.store.db.selectFrom('alert_settings').selectAll().execute());
    assert.ok(!dump.includes(secret), 'the database keeps it sealed');
  });

  test('Send test: one e-mail per recipient from the invite sender, and the signed webhook; audited', async () => {
    await refusedBy(h, 403, 'AdminRequired', () => h.request('POST', '/api/v1/alerts/test', { token: user, body: {} }));
    await refusedBy(h, 409, 'AlertsNothingToSend', () => h.request('POST', '/api/v1/alerts/test', { token: other, body: {} }));
    const before = h.env.graph.control.sentMail().length;
    const res = await h.request('POST', '/api/v1/alerts/test', { token: admin, body: {} });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.outcomes.map((o: { channel: string; ok: boolean }) => [o.channel, o.ok]), [
      [`mail:${KARI}`, true],
      [`mail:${OLA}`, true],
      ['webhook', true],
    ]);
    const mails = mailsTo().slice(before);
    assert.deepEqual(mails.map((m) => m.to), [[kari().personEmail!.toLowerCase()], [ola().personEmail!.toLowerCase()]]);
    assert.ok(h.env.graph.control.sentMail().slice(before).every((m) => m.userId === DEMO_CASES.adminMailboxId));
    const got = hook.got.at(-1)!;
    assert.ok(verifySignature(secret, got.body, got.signature), 'the receiver verifies the signature');
    assert.equal(JSON.parse(got.body).test, true);
    const audit = await h.request('GET', '/api/v1/audit?limit=1', { token: admin });
    assert.equal(audit.body.entries[0].action, 'alerts.test');
  });

  test('Send test carries what the health report shows now (not the ignored problems), in the e-mail and the webhook', async () => {
    // A linked user whose mailbox is then disabled in Microsoft 365: a problem the report finds.
    const linked = new Set((await h.request('GET', '/api/v1/links', { token: admin })).body.links.map((l: { mailboxId: string }) => l.mailboxId));
    const mailbox = h.env.tenant.mailboxes.find((m) => m.userPurpose === 'user' && m.accountEnabled && m.userType === 'Member' && !linked.has(m.id) && m.id !== DEMO_CASES.adminMailboxId)!;
    const associate = h.env.tenant.associates.find((a) => a.associateId !== KARI && a.associateId !== OLA && a.isActive && a.personEmail === null)!;
    const saved = await h.request('POST', '/api/v1/links', {
      token: admin,
      body: { links: [{ associateId: associate.associateId, associateName: associate.fullName, mailboxId: mailbox.id, mailboxAddress: mailbox.mail ?? mailbox.userPrincipalName, diary: true, task: false, contact: false, rank: 1 }] },
    });
    assert.equal(saved.status, 201, saved.text);
    mailbox.accountEnabled = false;
    try {
      const report = await h.request('GET', '/api/v1/health', { token: admin });
      assert.equal(report.status, 200, report.text);
      const shown: HealthProblem[] = report.body.problems;
      const disabled = shown.find((p) => p.kind === 'mailbox_disabled' && p.mailboxId === mailbox.id)!;
      assert.ok(disabled, JSON.stringify(shown.map((p) => p.key)));

      const send = async () => {
        const mails0 = mailsTo().length;
        const res = await h.request('POST', '/api/v1/alerts/test', { token: admin, body: {} });
        assert.equal(res.status, 200, res.text);
        return { res, mail: mailsTo().slice(mails0)[0]!, hook: JSON.parse(hook.got.at(-1)!.body) };
      };
      const first = await send();
      assert.equal(first.res.body.problems, shown.length);
      assert.ok(first.mail.body.includes(`The health report shows ${shown.length} problem`), first.mail.body);
      assert.ok(first.mail.body.includes(disabled.message), 'the e-mail lists the problem in words');
      assert.deepEqual(first.hook.problems.map((p: HealthProblem) => p.key).sort(), shown.map((p) => p.key).sort());
      assert.equal(first.hook.test, true);

      // Ignored in the health report: gone from the test too.
      const ignore = await h.request('POST', '/api/v1/health/ignores', { token: admin, body: { keys: [disabled.key] } });
      assert.equal(ignore.status, 200, ignore.text);
      const second = await send();
      assert.equal(second.res.body.problems, shown.length - 1);
      assert.ok(!second.mail.body.includes(disabled.message));
      assert.ok(!second.hook.problems.some((p: HealthProblem) => p.key === disabled.key));
      await h.request('POST', '/api/v1/health/ignores/remove', { token: admin, body: { keys: [disabled.key] } });

      // The report cannot be read (SuperOffice down): the test still goes out, saying so.
      h.env.superoffice.control.setDown('503');
      const third = await send();
      assert.equal(third.res.body.problems, null);
      assert.equal(typeof third.res.body.unreadable, 'string');
      assert.ok(third.mail.body.includes('The health report could not be read just now'), third.mail.body);
      assert.deepEqual(third.hook.problems, []);
    } finally {
      h.env.superoffice.control.setDown('off');
      mailbox.accountEnabled = true;
      await h.request('POST', '/api/v1/links/removal', { token: admin, body: { ids: saved.body.created.map((l: { id: string }) => l.id) } });
    }
  });

  test('a digest day: only new problems, to the chosen administrators, once, even when two sweeps race', async () => {
    problems = [problem(1), problem(2)];
    const day = new Date('2030-01-10T05:59:00.000Z');
    const mails0 = mailsTo().length;
    const hooks0 = hook.got.length;
    // Before the hour (06 UTC): nothing.
    assert.deepEqual(await runAlertDigests(digestDeps(day)), { claimed: 0, sent: 0, failed: 0 });
    const at = new Date('2030-01-10T06:00:00.000Z');
    const [a, b] = await Promise.all([runAlertDigests(digestDeps(at)), runAlertDigests(digestDeps(at))]);
    assert.equal(a.claimed + b.claimed, 1, 'one claim of the day');
    assert.equal(a.sent + b.sent, 3);
    const mails = mailsTo().slice(mails0);
    assert.equal(mails.length, 2);
    assert.ok(mails.every((m) => m.body.includes('user1@nordlys.example') && m.body.includes('user2@nordlys.example')));
    assert.match(mails[0]!.subject, /^2 new mailbox synchronization problems/);
    assert.equal(hook.got.length, hooks0 + 1);
    const got = hook.got.at(-1)!;
    assert.ok(verifySignature(secret, got.body, got.signature));
    assert.deepEqual(JSON.parse(got.body).problems.map((p: HealthProblem) => p.key), [problem(1).key, problem(2).key]);
    assert.ok(!verifySignature('whsec_wrong', got.body, got.signature));

    // Later the same day: nothing again.
    assert.deepEqual(await runAlertDigests(digestDeps(new Date('2030-01-10T18:00:00.000Z'))), { claimed: 0, sent: 0, failed: 0 });
    // Next day, one problem more and one gone: only the new one.
    problems = [problem(2), problem(3)];
    const next = await runAlertDigests(digestDeps(new Date('2030-01-11T06:30:00.000Z')));
    assert.deepEqual(next, { claimed: 1, sent: 3, failed: 0 });
    const latest = mailsTo().slice(-2);
    assert.ok(latest.every((m) => m.body.includes('user3@') && !m.body.includes('user2@') && !m.body.includes('user1@')));
    // No new problems: a day claimed, nothing sent.
    assert.deepEqual(await runAlertDigests(digestDeps(new Date('2030-01-12T06:30:00.000Z'))), { claimed: 1, sent: 0, failed: 0 });
    // A gone problem that comes back is new again.
    problems = [problem(1), problem(2), problem(3)];
    const back = await runAlertDigests(digestDeps(new Date('2030-01-13T06:30:00.000Z')));
    assert.equal(back.sent, 3);
    assert.ok(mailsTo().slice(-1)[0]!.body.includes('user1@'));
    // A new problem an administrator ignores in the health report is no news; once they stop
    // ignoring it while it lasts, the next digest has it.
    problems = [problem(1), problem(2), problem(3), problem(4)];
    await h.store.transaction((tx) => insertIgnores(tx, tenantId(), [problem(4).key], { associateId: KARI, associateName: 'Kari' }, new Date('2030-01-14T00:00:00.000Z')));
    assert.deepEqual(await runAlertDigests(digestDeps(new Date('2030-01-14T06:30:00.000Z'))), { claimed: 1, sent: 0, failed: 0 });
    await h.store.transaction((tx) => deleteIgnores(tx, tenantId(), [problem(4).key]));
    assert.equal((await runAlertDigests(digestDeps(new Date('2030-01-15T06:30:00.000Z')))).sent, 3);
    assert.ok(mailsTo().slice(-1)[0]!.body.includes('user4@') && !mailsTo().slice(-1)[0]!.body.includes('user1@'));
    // Recipients are addressed by their contact cards as they are on the day: Ola's new address;
    // Kari, retired since, gets nothing. The webhook still goes.
    cards = new Map([
      [KARI, { active: false, email: kari().personEmail }],
      [OLA, { active: true, email: 'ola.new@nordlys.example' }],
    ]);
    problems = [problem(2), problem(3), problem(4), problem(5)];
    const mails5 = mailsTo().length;
    assert.deepEqual(await runAlertDigests(digestDeps(new Date('2030-01-16T06:30:00.000Z'))), { claimed: 1, sent: 2, failed: 0 });
    assert.deepEqual(mailsTo().slice(mails5).map((m) => m.to), [['ola.new@nordlys.example']]);
    cards = new Map();
  });

  test('the process dies after claiming: the next sweep sends the day once; one that died while sending is not sent again', async () => {
    problems = [problem(10)];
    const at = new Date('2030-02-01T07:00:00.000Z');
    const mails0 = mailsTo().length;
    assert.equal(await claimDueDigests(digestDeps(at)), 1);
    // (the process stops here)
    const later = new Date('2030-02-01T07:05:00.000Z');
    assert.deepEqual(await runAlertDigests(digestDeps(later)), { claimed: 0, sent: 3, failed: 0 });
    assert.deepEqual(await runAlertDigests(digestDeps(new Date('2030-02-01T09:00:00.000Z'))), { claimed: 0, sent: 0, failed: 0 });
    assert.equal(mailsTo().length - mails0, 2);

    // Died while sending: the deliveries are left `sending` and the lease runs out.
    problems = [problem(11)];
    assert.equal(await claimDueDigests(digestDeps(new Date('2030-02-02T07:00:00.000Z'))), 1);
    await h.store.db.updateTable('alert_delivery').set({ state: 'sending', attempts: 1 }).where('day', '=', '2030-02-02').execute();
    await h.store.db.updateTable('alert_digest').set({ lease_owner: 'dead', lease_until: '2030-02-02T07:10:00.000Z' }).where('day', '=', '2030-02-02').execute();
    const mails1 = mailsTo().length;
    assert.deepEqual(await runAlertDigests(digestDeps(new Date('2030-02-02T07:05:00.000Z'))), { claimed: 0, sent: 0, failed: 0 }, 'the lease is still held');
    assert.deepEqual(await runAlertDigests(digestDeps(new Date('2030-02-02T07:11:00.000Z'))), { claimed: 0, sent: 0, failed: 0 });
    assert.equal(mailsTo().length, mails1);
    const s = await settings();
    assert.equal(s.lastDigest.day, '2030-02-02');
    assert.ok(s.lastDigest.deliveries.every((d: { state: string }) => d.state === 'lost'));
  });

  test('a health report that cannot be read: tried again after 10, 20, 40 … minutes (at most 2 hours), not at every sweep; then the day goes once', async () => {
    const backoff = new ClaimBackoff();
    let reads = 0;
    let failing = true;
    problems = [problem(30)];
    const deps = (at: string) =>
      digestDeps(new Date(at), {
        backoff,
        healthSource: async (t) => {
          if (t !== tenantId()) return { problems: [], associates: new Map() };
          reads += 1;
          if (failing) throw new Error('SuperOffice is down');
          return { problems, associates: new Map() };
        },
      });
    const sweepsAt = ['07:00', '07:10', '07:20', '07:30', '07:40', '07:50', '08:00', '08:10', '08:20', '08:30', '08:40', '08:50', '09:00', '09:10', '09:20', '09:30', '09:40', '09:50', '10:00'];
    const triedAt: string[] = [];
    for (const t of sweepsAt) {
      const before = reads;
      assert.equal(await claimDueDigests(deps(`2030-02-20T${t}:00.000Z`)), 0);
      if (reads > before) triedAt.push(t);
    }
    assert.deepEqual(triedAt, ['07:00', '07:10', '07:30', '08:10', '09:30'], 'waits of 10, 20, 40 and 80 minutes');
    failing = false;
    assert.equal(await claimDueDigests(deps('2030-02-20T10:40:00.000Z')), 0, 'still waiting (at most 2 hours after 09:30)');
    assert.equal(await claimDueDigests(deps('2030-02-20T11:30:00.000Z')), 1, 'read again, and the day claimed once');
    assert.equal(await claimDueDigests(deps('2030-02-20T11:40:00.000Z')), 0);
    assert.deepEqual(await runAlertDigests(deps('2030-02-20T11:41:00.000Z')), { claimed: 0, sent: 3, failed: 0 }, 'the claimed day delivered');
  });

  test('a failing webhook does not stop the e-mail; it is retried by a later sweep, and what was sent is not sent again', async () => {
    problems = [problem(20)];
    hook.status.value = 500;
    const mails0 = mailsTo().length;
    const first = await runAlertDigests(digestDeps(new Date('2030-03-01T06:00:00.000Z')));
    assert.deepEqual(first, { claimed: 1, sent: 2, failed: 1 });
    assert.equal(mailsTo().length - mails0, 2);
    hook.status.value = 204;
    // Too soon for the retry (5 minutes per attempt).
    assert.deepEqual(await runAlertDigests(digestDeps(new Date('2030-03-01T06:02:00.000Z'))), { claimed: 0, sent: 0, failed: 0 });
    const retried = await runAlertDigests(digestDeps(new Date('2030-03-01T06:06:00.000Z')));
    assert.deepEqual(retried, { claimed: 0, sent: 1, failed: 0 });
    assert.equal(mailsTo().length - mails0, 2, 'the e-mails are not sent again');
    // A redirect is a failure, not followed.
    hook.status.value = 302;
    problems = [problem(21)];
    const redirected = await runAlertDigests(digestDeps(new Date('2030-03-02T06:00:00.000Z')));
    assert.deepEqual(redirected, { claimed: 1, sent: 2, failed: 1 });
    hook.status.value = 204;
  });

  test('nothing is sent when alerts are off', async () => {
    const s = await settings();
    const off = await h.request('PUT', '/api/v1/alerts/settings', { token: admin, body: { expectedVersion: s.version, enabled: false, recipients: [KARI], hourUtc: 6, webhookUrl: null } });
    assert.equal(off.status, 200, off.text);
    problems = [problem(30)];
    const mails0 = mailsTo().length;
    assert.deepEqual(await runAlertDigests(digestDeps(new Date('2030-04-01T06:00:00.000Z'))), { claimed: 0, sent: 0, failed: 0 });
    assert.equal(mailsTo().length, mails0);
  });

  test('private and loopback webhook addresses are refused unless the configuration allows them', async () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '0.0.0.0']) assert.ok(isPrivateAddress(a), a);
    for (const a of ['8.8.8.8', '2001:4860:4860::8888', '140.82.112.3']) assert.ok(!isPrivateAddress(a), a);
    const refused = await postWebhook(`${hook.server.url}/hook`, 'whsec_x', '{}', { allowPrivate: false, extraCa: h.integration.extraCa });
    assert.equal(refused.ok, false);
    assert.match(refused.message, /private or loopback/);
    const byName = await postWebhook(hook.server.url.replace('127.0.0.1', 'localhost') + '/hook', 'whsec_x', '{}', { allowPrivate: false, extraCa: h.integration.extraCa });
    assert.equal(byName.ok, false);
    assert.match(byName.message, /private or loopback/);
  });
});
