import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEMO_CASES,
  DEMO_CONTEXT_ID,
  DEMO_DOMAIN,
  DEMO_ENTRA_TENANT_ID,
  demoTenant,
} from '../../simulators/demo-tenant.js';
import type { DemoAssociate, DemoMailbox, DemoTenant } from '../../simulators/demo-tenant.types.js';

const demo = demoTenant();
const associate = (t: DemoTenant, id: number): DemoAssociate => {
  const a = t.associates.find((x) => x.associateId === id);
  assert.ok(a, `associate ${id} exists`);
  return a;
};
const mailbox = (t: DemoTenant, id: string): DemoMailbox => {
  const m = t.mailboxes.find((x) => x.id === id);
  assert.ok(m, `mailbox ${id} exists`);
  return m;
};
const primary = (m: DemoMailbox): string | undefined => m.proxyAddresses.find((p) => p.startsWith('SMTP:'))?.slice(5);
const aliases = (m: DemoMailbox): string[] => m.proxyAddresses.filter((p) => p.startsWith('smtp:')).map((p) => p.slice(5));
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('demo tenant', () => {
  it('is a fixed, plausible company', () => {
    assert.equal(demo.contextId, 'Cust12345');
    assert.equal(demo.contextId, DEMO_CONTEXT_ID);
    assert.equal(demo.entraTenantId, DEMO_ENTRA_TENANT_ID);
    assert.match(demo.entraTenantId, GUID);
    assert.equal(demo.domain, DEMO_DOMAIN);
    assert.match(demo.domain, /\.example$/);
    assert.ok(demo.companyName.length > 0);
    assert.ok(demo.associates.length >= 50 && demo.associates.length <= 70, `${demo.associates.length} associates`);
    assert.ok(demo.mailboxes.length >= 70 && demo.mailboxes.length <= 90, `${demo.mailboxes.length} mailboxes`);
  });

  it('is deterministic', () => {
    assert.equal(JSON.stringify(demoTenant()), JSON.stringify(demo));
    assert.equal(JSON.stringify(demoTenant('demo')), JSON.stringify(demo));
  });

  it('has unique ids, lower-case GUIDs and SMTP proxies without a space', () => {
    assert.equal(new Set(demo.associates.map((a) => a.associateId)).size, demo.associates.length);
    assert.equal(new Set(demo.associates.map((a) => a.assocName)).size, demo.associates.length);
    assert.equal(new Set(demo.mailboxes.map((m) => m.id)).size, demo.mailboxes.length);
    assert.equal(new Set(demo.mailboxes.map((m) => m.userPrincipalName.toLowerCase())).size, demo.mailboxes.length);
    for (const m of demo.mailboxes) {
      assert.match(m.id, GUID);
      for (const p of m.proxyAddresses) assert.match(p, /^(SMTP|smtp|SIP):[^\s:]+@[^\s]+$/, p);
      if (m.mail) {
        assert.equal(m.proxyAddresses.filter((p) => p.startsWith('SMTP:')).length, 1, `${m.userPrincipalName} has one primary`);
        assert.equal(primary(m), m.mail, 'mail equals the primary SMTP address');
      } else {
        assert.deepEqual(m.proxyAddresses, []);
      }
    }
  });

  it('has the awkward associates', () => {
    const retired = associate(demo, DEMO_CASES.retiredAssociateId);
    assert.equal(retired.isActive, false);
    assert.equal(demo.associates.filter((a) => !a.isActive).length, 1, 'exactly one retired in the demo');
    assert.equal(mailbox(demo, DEMO_CASES.retiredMailboxId).accountEnabled, false);

    for (const id of DEMO_CASES.noEmailAssociateIds) assert.equal(associate(demo, id).personEmail, null);
    assert.ok(DEMO_CASES.noEmailAssociateIds.length >= 2);
    assert.deepEqual(
      demo.associates.filter((a) => a.personEmail === null).map((a) => a.associateId),
      [...DEMO_CASES.noEmailAssociateIds],
    );

    // A card with two addresses: the primary (rank 1, personEmail) is stored after the other one.
    const two = associate(demo, DEMO_CASES.twoEmailsAssociateId);
    assert.deepEqual(two.cardEmails?.map((e) => e.rank), [2, 1]);
    assert.equal(two.cardEmails?.find((e) => e.rank === 1)?.address, two.personEmail);
    for (const a of demo.associates.filter((x) => x.cardEmails)) assert.equal(a.cardEmails!.find((e) => e.rank === 1)?.address, a.personEmail);

    const caseOnly = associate(demo, DEMO_CASES.caseOnlyAssociateId);
    const caseBox = mailbox(demo, DEMO_CASES.caseOnlyMailboxId);
    assert.notEqual(caseOnly.personEmail, caseBox.mail);
    assert.equal(caseOnly.personEmail!.toLowerCase(), caseBox.mail!.toLowerCase());

    const aliasOnly = associate(demo, DEMO_CASES.aliasOnlyAssociateId);
    const aliasBox = mailbox(demo, DEMO_CASES.aliasOnlyMailboxId);
    assert.notEqual(aliasOnly.personEmail!.toLowerCase(), aliasBox.mail!.toLowerCase());
    assert.ok(aliasOnly.personEmail);
    assert.ok(aliasBox.proxyAddresses.includes(`smtp:${aliasOnly.personEmail}`), 'matches an smtp: alias');
    const primaries = demo.mailboxes.map((m) => m.mail?.toLowerCase());
    assert.ok(!primaries.includes(aliasOnly.personEmail.toLowerCase()), 'and no primary address');

    const [a, b] = DEMO_CASES.sharedEmailAssociateIds.map((id) => associate(demo, id));
    assert.ok(a!.personEmail);
    assert.equal(a!.personEmail, b!.personEmail);
    assert.equal(mailbox(demo, DEMO_CASES.sharedEmailMailboxId).mail, a!.personEmail);

    assert.ok(DEMO_CASES.adminAssociateIds.length >= 2);
    for (const id of DEMO_CASES.adminAssociateIds) {
      const admin = associate(demo, id);
      assert.ok(admin.functionRights.includes('admin-all') && admin.functionRights.includes('admin-users'));
    }
    const admins = demo.associates.filter((x) => x.functionRights.includes('admin-all')).map((x) => x.associateId);
    assert.deepEqual(admins, [...DEMO_CASES.adminAssociateIds], 'everyone else is a non-admin');
    assert.ok(!associate(demo, DEMO_CASES.nonAdminAssociateId).functionRights.includes('admin-all'));

    const guestMail = associate(demo, DEMO_CASES.guestEmailAssociateId).personEmail!.toLowerCase();
    const withThatMail = demo.mailboxes.filter((m) => m.mail?.toLowerCase() === guestMail);
    assert.deepEqual(withThatMail.map((m) => m.userType), ['Guest']);

    const unlicensedMail = associate(demo, DEMO_CASES.unlicensedEmailAssociateId).personEmail!.toLowerCase();
    const unlicensed = demo.mailboxes.filter((m) => m.mail?.toLowerCase() === unlicensedMail);
    assert.deepEqual(unlicensed.map((m) => m.userPurpose), [null]);

    const noMatch = associate(demo, DEMO_CASES.noMatchAssociateId).personEmail!.toLowerCase();
    assert.ok(!demo.mailboxes.some((m) => m.proxyAddresses.some((p) => p.toLowerCase().endsWith(`:${noMatch}`))));
  });

  it('has the awkward mailboxes', () => {
    assert.equal(mailbox(demo, DEMO_CASES.sharedMailboxId).userPurpose, 'shared');
    assert.equal(mailbox(demo, DEMO_CASES.roomMailboxId).userPurpose, 'room');
    assert.deepEqual(demo.mailboxes.filter((m) => m.userPurpose === 'shared').map((m) => m.id), [DEMO_CASES.sharedMailboxId]);
    assert.deepEqual(demo.mailboxes.filter((m) => m.userPurpose === 'room').map((m) => m.id), [DEMO_CASES.roomMailboxId]);

    assert.ok(DEMO_CASES.guestIds.length >= 2);
    for (const id of DEMO_CASES.guestIds) {
      const g = mailbox(demo, id);
      assert.equal(g.userType, 'Guest');
      assert.match(g.userPrincipalName, /#EXT#@/);
      assert.ok(g.mail && !g.mail.endsWith(`@${demo.domain}`), 'mail at another domain');
    }
    assert.deepEqual(
      demo.mailboxes.filter((m) => m.userType === 'Guest').map((m) => m.id).sort(),
      [...DEMO_CASES.guestIds].sort(),
    );

    assert.ok(DEMO_CASES.disabledIds.length >= 2);
    for (const id of DEMO_CASES.disabledIds) assert.equal(mailbox(demo, id).accountEnabled, false);

    assert.ok(DEMO_CASES.noMailboxIds.length >= 2);
    for (const id of DEMO_CASES.noMailboxIds) {
      const m = mailbox(demo, id);
      assert.equal(m.userPurpose, null);
      assert.equal(m.userType, 'Member');
    }
    assert.ok(DEMO_CASES.noMailboxIds.some((id) => mailbox(demo, id).mail === null), 'one has no mail at all');
    assert.ok(DEMO_CASES.noMailboxIds.some((id) => mailbox(demo, id).mail !== null), 'one has mail but no mailbox');

    const kari = mailbox(demo, DEMO_CASES.adminMailboxId);
    assert.equal(primary(kari), kari.mail);
    assert.ok(aliases(kari).length >= 1);
  });

  // Its speed is a bench figure, not a test: timed assertions fail on a busy machine.
  it('generates the large tenant with the exact counts and the same cases', () => {
    const large = demoTenant('large');
    assert.equal(large.associates.length, 10_000);
    assert.equal(large.mailboxes.length, 50_000);
    assert.equal(new Set(large.mailboxes.map((m) => m.id)).size, 50_000);
    assert.equal(new Set(large.mailboxes.map((m) => m.userPrincipalName.toLowerCase())).size, 50_000);
    assert.deepEqual(large.associates.slice(0, demo.associates.length), demo.associates, 'demo is a prefix of large');
    for (const id of [DEMO_CASES.sharedMailboxId, DEMO_CASES.roomMailboxId, ...DEMO_CASES.guestIds, ...DEMO_CASES.noMailboxIds]) {
      mailbox(large, id);
    }
    assert.ok(large.mailboxes.filter((m) => m.userType === 'Guest').length > 100);
    assert.ok(large.associates.filter((a) => a.personEmail === null).length > 50);
  });
});
