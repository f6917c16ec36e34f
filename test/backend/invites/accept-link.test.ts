import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_CASES } from '../../../simulators/demo-tenant.js';
import type { DemoAssociate, DemoMailbox } from '../../../simulators/demo-tenant.types.js';
import { dumpDatabase } from '../../helpers/harness.js';
import type { IntegrationHarness } from '../../helpers/integration.js';
import { inviteFlow, inviteWorld } from './invite-flow.js';

const KARI = DEMO_CASES.adminAssociateIds[0]!;

/*
 * What an accepted invite does about the link: proposed for Save Added Users, or (Link when
 * accepted) linked at once through the same checks and audit as POST /links; an associate or
 * mailbox linked elsewhere stays as it is and the invite says to what. A revoked authorization
 * reads Revoked; an invite accepted with another mailbox says so.
 */
describe('accepted invites: proposed or linked at once', () => {
  let h: IntegrationHarness;
  let admin: string;
  let user: string;
  let sender: DemoMailbox;
  let invitable: { a: DemoAssociate; m: DemoMailbox }[];

  before(async () => {
    ({ h, admin, user, sender, invitable } = await inviteWorld());
  });
  after(() => h.closeAll());

  const { setMode, invite, mailedToken, acceptAs } = inviteFlow(() => ({ h, admin, sender }));

  async function inviteOf(associateId: number) {
    const res = await h.request('GET', '/api/v1/invites', { token: admin });
    assert.equal(res.status, 200, res.text);
    return res.body.invites.find((i: any) => i.associateId === associateId);
  }
  async function linksOf(pred: (l: any) => boolean) {
    return (await h.request('GET', '/api/v1/links', { token: admin })).body.links.filter(pred);
  }
  const linkBody = (a: DemoAssociate, m: DemoMailbox) => ({ links: [{ associateId: a.associateId, associateName: a.fullName, mailboxId: m.id, mailboxAddress: m.mail }] });

  test('without Link when accepted: the acceptance is proposed, nothing linked; once saved it reads linked', async () => {
    await setMode('oauth');
    const { a, m } = invitable[0]!;
    const sent = await invite([a.associateId]);
    assert.equal(sent.invites[0]!.linkOnAccept, false);
    assert.equal(sent.invites[0]!.outcome, null);
    await acceptAs(mailedToken(a.personEmail!), m);
    const accepted = await inviteOf(a.associateId);
    assert.deepEqual([accepted.state, accepted.outcome, accepted.acceptedOtherMailbox], ['accepted', { kind: 'proposed', detail: null }, false]);
    assert.deepEqual(await linksOf((l) => l.associateId === a.associateId), [], 'nothing linked until the administrator saves');
    const saved = await h.request('POST', '/api/v1/links', { token: admin, body: linkBody(a, m) });
    assert.equal(saved.status, 201, saved.text);
    assert.deepEqual((await inviteOf(a.associateId)).outcome, { kind: 'linked', detail: null });
  });

  test('with Link when accepted: linked at once, audited as the inviting administrator, authorized and active', async () => {
    await setMode('oauth');
    const { a, m } = invitable[1]!;
    const sent = await invite([a.associateId], { linkOnAccept: true });
    assert.equal(sent.invites[0]!.linkOnAccept, true);
    await acceptAs(mailedToken(a.personEmail!), m);
    const [link] = await linksOf((l) => l.associateId === a.associateId);
    assert.ok(link, 'linked at once');
    assert.deepEqual([link.mailboxId, link.mailboxAddress, link.authorization, link.state, link.diary, link.task, link.contact, link.rank, link.createdBy],
      [m.id, m.mail!.toLowerCase(), 'authorized', 'active', true, true, true, 1, KARI]);
    assert.deepEqual((await inviteOf(a.associateId)).outcome, { kind: 'linked', detail: null });
    const audit = await h.request('GET', `/api/v1/audit?limit=5&entityId=${link.id}`, { token: admin });
    assert.deepEqual(audit.body.entries.map((e: any) => [e.action, e.actor.associateId]), [['link.created', KARI]]);
  });

  test('Link when accepted respects existing links: associate or mailbox linked elsewhere is left alone and named', async () => {
    await setMode('oauth');
    const [x, y, z] = [invitable[2]!, invitable[3]!, invitable[4]!];
    // x is linked (in application mode) to z's mailbox already; z's own mailbox is taken.
    await setMode('application');
    assert.equal((await h.request('POST', '/api/v1/links', { token: admin, body: linkBody(x.a, z.m) })).status, 201);
    await setMode('oauth');
    await invite([x.a.associateId, y.a.associateId], { linkOnAccept: true, allowOtherMailbox: true });
    await acceptAs(mailedToken(x.a.personEmail!), x.m);
    assert.deepEqual((await inviteOf(x.a.associateId)).outcome, { kind: 'associate_linked', detail: z.m.mail!.toLowerCase() });
    // y accepts with z's mailbox (allowed), which x holds.
    await acceptAs(mailedToken(y.a.personEmail!), z.m);
    const yi = await inviteOf(y.a.associateId);
    assert.deepEqual([yi.outcome, yi.acceptedOtherMailbox, yi.acceptedMailbox.address], [{ kind: 'mailbox_linked', detail: x.a.fullName }, true, z.m.mail!.toLowerCase()]);
    const links = await linksOf((l) => [x.a.associateId, y.a.associateId].includes(l.associateId));
    assert.deepEqual(links.map((l: any) => [l.associateId, l.mailboxId]), [[x.a.associateId, z.m.id]], 'no new or duplicate link');
  });

  test('after Revoke authorization the accepted invite reads revoked, with when', async () => {
    await setMode('oauth');
    const { a, m } = invitable[1]!; // linked at once above
    const revoked = await h.request('POST', '/api/v1/authorizations/revoke', { token: admin, body: { mailboxIds: [m.id] } });
    assert.equal(revoked.status, 200, revoked.text);
    const i = await inviteOf(a.associateId);
    assert.deepEqual([i.state, i.revokedAt, i.acceptedAt !== null], ['revoked', revoked.body.revoked[0].revokedAt, true]);
    // A new invite, accepted: the new one reads accepted, the link (already there) linked.
    await invite([a.associateId], { linkOnAccept: true });
    await acceptAs(mailedToken(a.personEmail!), m);
    const again = await inviteOf(a.associateId);
    assert.deepEqual([again.state, again.revokedAt, again.outcome], ['accepted', null, { kind: 'linked', detail: null }]);
    assert.equal((await linksOf((l) => l.associateId === a.associateId)).length, 1);
  });

  test('bad input is refused with 4xx and changes nothing', async () => {
    await setMode('oauth');
    const { a } = invitable[5]!;
    const before = await dumpDatabase(h.store);
    for (const body of [
      { associateIds: [a.associateId], delivery: 'link', linkOnAccept: 'yes' },
      { associateIds: [a.associateId], delivery: 'link', linkOnAccept: null },
      { associateIds: [a.associateId], delivery: 'link', linkOnAccept: true, extra: 1 },
    ]) {
      const res = await h.request('POST', '/api/v1/invites', { token: admin, body });
      assert.equal(res.status, 400, JSON.stringify(body));
    }
    const denied = await h.request('POST', '/api/v1/invites', { token: user, body: { associateIds: [a.associateId], delivery: 'link', linkOnAccept: true } });
    assert.equal(denied.status, 403);
    assert.equal(await dumpDatabase(h.store), before);
  });
});
