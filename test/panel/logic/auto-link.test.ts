import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  autoLink,
  linkOne,
  mailboxRefusal,
  normalizeEmail,
  REPORT_CATEGORIES,
  type AutoLinkReport,
  type AutoLinkResult,
  type Candidate,
  type MatchedBy,
} from '../../../panel/src/logic/auto-link.js';
import type { Associate, LinkedUser, LinkRef, Mailbox, MailboxKind, NewLink } from '../../../panel/src/logic/types.js';
import { NO_KINDS } from '../../../panel/src/logic/sync-status.js';

function associate(id: number, email: string | null, extra: Partial<Associate> = {}): Associate {
  return {
    associateId: id,
    name: `Associate ${id}`,
    loginName: `A${id}`,
    personId: id + 1000,
    userGroupId: 1,
    userGroup: 'Sales',
    active: true,
    email,
    ...extra,
  };
}

const guid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** A member mailbox; `addresses` is built as the API builds it: every SMTP address, lower-case. */
function mailbox(n: number, primary: string | null, aliases: string[] = [], extra: Partial<Mailbox> = {}): Mailbox {
  const addresses = [...new Set([primary, ...aliases].filter((a): a is string => !!a).map((a) => a.toLowerCase()))];
  return {
    id: guid(n),
    displayName: `Mailbox ${n}`,
    primaryAddress: primary,
    addresses,
    userPrincipalName: `${n}@contoso.onmicrosoft.com`,
    accountEnabled: true,
    guest: false,
    ...extra,
  };
}

function saved(a: Associate, m: Mailbox): LinkedUser {
  return {
    id: `10000000-0000-4000-8000-${String(a.associateId).padStart(12, '0')}`,
    associateId: a.associateId,
    associateName: a.name,
    mailboxId: m.id,
    mailboxAddress: m.primaryAddress ?? '',
    diary: true,
    task: true,
    contact: true,
    rank: 1,
    state: 'active',
    authorization: null,
    version: 1,
    createdBy: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedBy: 1,
    updatedAt: '2026-01-01T00:00:00.000Z',
    historyCount: 0,
    sync: { state: 'in_sync', lastSuccessAt: null, nextDueAt: null, itemsInSync: 0, lastPass: null, message: null, kinds: NO_KINDS },
  };
}

function unsaved(a: Associate, m: Mailbox): NewLink {
  return { associateId: a.associateId, associateName: a.name, mailboxId: m.id, mailboxAddress: m.primaryAddress ?? '', diary: true, task: true, contact: true, rank: 1 };
}

/** Which report list each associate landed in. */
function categoryOf(report: AutoLinkReport): Map<number, string> {
  const out = new Map<number, string>();
  for (const key of REPORT_CATEGORIES) {
    for (const entry of report[key]) {
      assert.ok(!out.has(entry.associate.associateId), `associate ${entry.associate.associateId} is in ${out.get(entry.associate.associateId)} and ${key}`);
      out.set(entry.associate.associateId, key);
    }
  }
  return out;
}

const ids = (list: { associate: Associate }[]) => list.map((e) => e.associate.associateId);

describe('Auto Link Users', () => {
  test('a primary email matching a primary SMTP address is proposed, with the primary address', () => {
    const a = associate(1, 'alex@contoso.com');
    const m = mailbox(1, 'Alex@contoso.com', ['alex.wilber@contoso.com']);
    const { proposals, report } = autoLink([a], [mailbox(2, 'other@contoso.com'), m], []);
    assert.deepEqual(proposals, [
      { associate: a, mailbox: m, matchedBy: 'primary', link: { associateId: 1, associateName: 'Associate 1', mailboxId: m.id, mailboxAddress: 'Alex@contoso.com' } },
    ]);
    assert.deepEqual(report.linked, [{ associate: a, mailbox: m, matchedBy: 'primary' }]);
    assert.deepEqual([...categoryOf(report)], [[1, 'linked']]);
  });

  test('matching ignores case and surrounding whitespace on both sides', () => {
    const a1 = associate(1, '  ALEX@Contoso.com\t');
    const a2 = associate(2, 'megan@contoso.com');
    const m1 = mailbox(1, 'alex@CONTOSO.COM');
    // An address as a client may hold it, not yet normalized: still found.
    const m2 = { ...mailbox(2, ' MeganB@contoso.com '), addresses: [' MEGAN@contoso.com '] };
    const { proposals, report } = autoLink([a1, a2], [m1, m2], []);
    assert.deepEqual(
      proposals.map((p) => [p.associate.associateId, p.mailbox.id, p.matchedBy, p.link.mailboxAddress]),
      [
        [1, m1.id, 'primary', 'alex@CONTOSO.COM'],
        [2, m2.id, 'alias', 'MeganB@contoso.com'],
      ],
    );
    assert.equal(report.linked.length, 2);
    assert.equal(normalizeEmail('  A@B.c '), 'a@b.c');
    assert.equal(normalizeEmail(null), '');
  });

  test('no email on the contact card: null, empty or blank', () => {
    const list = [associate(1, null), associate(2, ''), associate(3, '   ')];
    const { proposals, report } = autoLink(list, [mailbox(1, 'a@contoso.com')], []);
    assert.deepEqual(proposals, []);
    assert.deepEqual(ids(report.noEmail), [1, 2, 3]);
  });

  test('no mailbox has the email: no match, with the normalized email', () => {
    const a = associate(1, ' Nobody@Contoso.com');
    const { proposals, report } = autoLink([a], [mailbox(1, 'alex@contoso.com', ['alexw@contoso.com'])], []);
    assert.deepEqual(proposals, []);
    assert.deepEqual(report.noMatch, [{ associate: a, email: 'nobody@contoso.com' }]);
  });

  describe('aliases', () => {
    test('a unique alias match is proposed, marked as matched by alias, with the primary address', () => {
      const a = associate(1, 'Old.Name@contoso.com');
      const m = mailbox(1, 'New.Name@contoso.com', ['old.name@contoso.com']);
      const { proposals, report } = autoLink([a], [m], []);
      assert.equal(proposals.length, 1);
      assert.equal(proposals[0]!.matchedBy, 'alias');
      assert.equal(proposals[0]!.link.mailboxAddress, 'New.Name@contoso.com');
      assert.deepEqual(report.linked, [{ associate: a, mailbox: m, matchedBy: 'alias' }]);
    });

    test('a primary match wins over an alias match on another mailbox', () => {
      const a = associate(1, 'sales@contoso.com');
      const byAlias = mailbox(1, 'bob@contoso.com', ['sales@contoso.com']);
      const byPrimary = mailbox(2, 'sales@contoso.com');
      const { proposals, report } = autoLink([a], [byAlias, byPrimary], []);
      assert.deepEqual(proposals.map((p) => [p.mailbox.id, p.matchedBy]), [[byPrimary.id, 'primary']]);
      assert.equal(report.severalMatches.length, 0);
    });

    test('an alias is used when the only primary match is unusable', () => {
      const a = associate(1, 'bob@contoso.com');
      const oldAccount = mailbox(1, 'bob@contoso.com', [], { accountEnabled: false });
      const current = mailbox(2, 'robert@contoso.com', ['bob@contoso.com']);
      const { proposals } = autoLink([a], [oldAccount, current], []);
      assert.deepEqual(proposals.map((p) => [p.mailbox.id, p.matchedBy]), [[current.id, 'alias']]);
    });

    test('an address listed twice on one mailbox is one candidate, not several', () => {
      const a = associate(1, 'bob@contoso.com');
      const m = { ...mailbox(1, 'Bob@contoso.com'), addresses: ['bob@contoso.com', 'BOB@contoso.com', 'x@contoso.com', 'x@contoso.com'] };
      const b = associate(2, 'x@contoso.com');
      const { proposals, report } = autoLink([a], [m], []);
      assert.deepEqual(proposals.map((p) => p.matchedBy), ['primary']);
      assert.equal(report.severalMatches.length, 0);
      assert.deepEqual(autoLink([b], [m], []).proposals.map((p) => p.matchedBy), ['alias']);
    });

    test('a mailbox that lists no addresses is matched by its primary address', () => {
      const a = associate(1, 'ann@contoso.com');
      const m = { ...mailbox(1, ' Ann@Contoso.com'), addresses: [] };
      assert.deepEqual(autoLink([a], [m], []).proposals.map((p) => [p.matchedBy, p.link.mailboxAddress]), [['primary', 'Ann@Contoso.com']]);
    });

    test('a mailbox without a primary address is matched through its addresses', () => {
      const a = associate(1, 'Ann@contoso.com');
      const m = { ...mailbox(1, null), addresses: ['ann@contoso.com'] };
      const { proposals } = autoLink([a], [m], []);
      assert.deepEqual(proposals.map((p) => [p.matchedBy, p.link.mailboxAddress]), [['alias', 'ann@contoso.com']]);
    });
  });

  describe('user principal names, as the last fallback', () => {
    test('an email that is only a UPN is proposed, marked as matched by UPN, with the primary address', () => {
      const a = associate(1, 'Kari@Nordlys.onmicrosoft.com');
      const m = mailbox(1, 'kari.nordmann@nordlys.no', [], { userPrincipalName: 'kari@nordlys.onmicrosoft.com' });
      const { proposals, report } = autoLink([a], [mailbox(2, 'x@nordlys.no'), m], []);
      assert.deepEqual(proposals.map((p) => [p.mailbox.id, p.matchedBy, p.link.mailboxAddress]), [[m.id, 'upn', 'kari.nordmann@nordlys.no']]);
      assert.deepEqual(report.linked, [{ associate: a, mailbox: m, matchedBy: 'upn' }]);
    });

    test('an SMTP address (primary or alias) wins over a UPN on another mailbox', () => {
      const a = associate(1, 'per@nordlys.no');
      const byUpn = mailbox(1, 'p.olsen@nordlys.no', [], { userPrincipalName: 'per@nordlys.no' });
      const byAlias = mailbox(2, 'per.olsen@nordlys.no', ['per@nordlys.no']);
      assert.deepEqual(autoLink([a], [byUpn, byAlias], []).proposals.map((p) => [p.mailbox.id, p.matchedBy]), [[byAlias.id, 'alias']]);
    });

    test('a UPN is used when the only SMTP match is unusable; an unusable UPN match is no match', () => {
      const a = associate(1, 'ola@nordlys.no');
      const disabled = mailbox(1, 'ola@nordlys.no', [], { accountEnabled: false });
      const current = mailbox(2, 'ola.n@nordlys.no', [], { userPrincipalName: 'OLA@nordlys.no' });
      assert.deepEqual(autoLink([a], [disabled, current], []).proposals.map((p) => [p.mailbox.id, p.matchedBy]), [[current.id, 'upn']]);
      const guest = mailbox(3, 'g@fabrikam.com', [], { guest: true, userPrincipalName: 'ola@nordlys.no' });
      assert.deepEqual(autoLink([a], [guest], []).report.noMatch, [{ associate: a, email: 'ola@nordlys.no' }]);
    });

    test('two usable mailboxes with the UPN: several matches by UPN', () => {
      const a = associate(1, 'sam@nordlys.no');
      const m1 = mailbox(1, 'a@nordlys.no', [], { userPrincipalName: 'sam@nordlys.no' });
      const m2 = mailbox(2, 'b@nordlys.no', [], { userPrincipalName: 'Sam@Nordlys.no' });
      assert.deepEqual(autoLink([a], [m1, m2], []).report.severalMatches, [{ associate: a, email: 'sam@nordlys.no', matchedBy: 'upn', mailboxes: [m1, m2] }]);
    });
  });

  describe('several matches', () => {
    test('two usable mailboxes with the same primary address: reported with both, nothing proposed', () => {
      const a = associate(1, 'dup@contoso.com');
      const m1 = mailbox(1, 'dup@contoso.com');
      const m2 = mailbox(2, 'DUP@contoso.com');
      const { proposals, report } = autoLink([a], [m1, mailbox(3, 'x@contoso.com'), m2], []);
      assert.deepEqual(proposals, []);
      assert.deepEqual(report.severalMatches, [{ associate: a, email: 'dup@contoso.com', matchedBy: 'primary', mailboxes: [m1, m2] }]);
    });

    test('two usable mailboxes with the same alias and no primary match', () => {
      const a = associate(1, 'team@contoso.com');
      const m1 = mailbox(1, 'a@contoso.com', ['team@contoso.com']);
      const m2 = mailbox(2, 'b@contoso.com', ['team@contoso.com']);
      const { report } = autoLink([a], [m2, m1], []);
      assert.deepEqual(report.severalMatches, [{ associate: a, email: 'team@contoso.com', matchedBy: 'alias', mailboxes: [m2, m1] }]);
    });

    test('an unusable duplicate does not make the match ambiguous', () => {
      const a = associate(1, 'dup@contoso.com');
      const guest = mailbox(1, 'dup@contoso.com', [], { guest: true, userPrincipalName: 'dup_contoso.com#EXT#@contoso.onmicrosoft.com' });
      const member = mailbox(2, 'dup@contoso.com');
      const { proposals } = autoLink([a], [guest, member], []);
      assert.deepEqual(proposals.map((p) => p.mailbox.id), [member.id]);
    });
  });

  describe('guests and disabled accounts are never proposed', () => {
    test('only a guest matches', () => {
      const a = associate(1, 'partner@fabrikam.com');
      const g = mailbox(1, 'partner@fabrikam.com', [], { guest: true });
      const { proposals, report } = autoLink([a], [g], []);
      assert.deepEqual(proposals, []);
      assert.deepEqual(report.guestOrDisabled, [{ associate: a, email: 'partner@fabrikam.com', candidates: [{ mailbox: g, reason: 'guest' }] }]);
    });

    test('only a disabled account matches (by primary address or by alias)', () => {
      const a1 = associate(1, 'gone@contoso.com');
      const a2 = associate(2, 'gone.alias@contoso.com');
      const d = mailbox(1, 'gone@contoso.com', ['gone.alias@contoso.com'], { accountEnabled: false });
      const { proposals, report } = autoLink([a1, a2], [d], []);
      assert.deepEqual(proposals, []);
      assert.deepEqual(ids(report.guestOrDisabled), [1, 2]);
      assert.deepEqual(report.guestOrDisabled[0]!.candidates, [{ mailbox: d, reason: 'disabled' }]);
    });

    test('a guest and a disabled account together', () => {
      const a = associate(1, 'x@contoso.com');
      const g = mailbox(1, 'x@contoso.com', [], { guest: true });
      const d = mailbox(2, 'y@contoso.com', ['x@contoso.com'], { accountEnabled: false });
      const { report } = autoLink([a], [g, d], []);
      assert.deepEqual(report.guestOrDisabled[0]!.candidates, [
        { mailbox: g, reason: 'guest' },
        { mailbox: d, reason: 'disabled' },
      ]);
    });
  });

  describe('mailbox check kinds', () => {
    const a = associate(1, 'x@contoso.com');
    const m = mailbox(1, 'x@contoso.com');
    const run = (kind: MailboxKind | undefined, extra: Partial<Mailbox> = {}) => {
      const box = { ...m, ...extra };
      const kinds = kind ? new Map([[box.id, kind]]) : undefined;
      return { box, result: autoLink([a], [box], [], kinds) };
    };

    for (const kind of ['noMailbox', 'notFound'] as const) {
      test(`${kind}: target has no Exchange Online mailbox`, () => {
        const { box, result } = run(kind);
        assert.deepEqual(result.proposals, []);
        assert.deepEqual(result.report.noExchangeMailbox, [{ associate: a, email: 'x@contoso.com', candidates: [{ mailbox: box, reason: 'noExchangeMailbox' }] }]);
      });
    }

    for (const kind of ['shared', 'room', 'equipment'] as const) {
      test(`${kind}: not a user mailbox, also when the account is disabled (as shared mailboxes are)`, () => {
        const { box, result } = run(kind, { accountEnabled: false });
        assert.deepEqual(result.proposals, []);
        assert.deepEqual(result.report.notUserMailbox, [{ associate: a, email: 'x@contoso.com', candidates: [{ mailbox: box, reason: 'notUserMailbox' }] }]);
      });
    }

    for (const kind of ['user', 'linked', 'others', 'unknown', undefined] as const) {
      test(`${kind ?? 'not checked'}: proposed`, () => {
        assert.equal(run(kind).result.proposals.length, 1);
      });
    }

    test('a guest is reported as a guest whatever its kind', () => {
      assert.equal(mailboxRefusal({ ...m, guest: true }, new Map([[m.id, 'noMailbox']])), 'guest');
    });

    test('with unusable candidates of several kinds, no Exchange mailbox comes first, then not a user mailbox', () => {
      const noMbx = mailbox(2, 'x@contoso.com');
      const shared = mailbox(3, 'x@contoso.com');
      const guest = mailbox(4, 'x@contoso.com', [], { guest: true });
      const kinds = new Map<string, MailboxKind>([
        [noMbx.id, 'noMailbox'],
        [shared.id, 'shared'],
      ]);
      assert.deepEqual(ids(autoLink([a], [guest, shared, noMbx], [], kinds).report.noExchangeMailbox), [1]);
      assert.deepEqual(ids(autoLink([a], [guest, shared], [], kinds).report.notUserMailbox), [1]);
      assert.deepEqual(
        autoLink([a], [guest, shared, noMbx], [], kinds).report.noExchangeMailbox[0]!.candidates.map((c: Candidate) => c.reason),
        ['guest', 'notUserMailbox', 'noExchangeMailbox'],
      );
    });
  });

  describe('already linked', () => {
    const a = associate(1, 'alex@contoso.com');
    const b = associate(2, 'megan@contoso.com');
    const ma = mailbox(1, 'alex@contoso.com');
    const mb = mailbox(2, 'megan@contoso.com');

    for (const [label, make] of [
      ['saved', saved],
      ['unsaved', unsaved],
    ] as const) {
      test(`an associate with a ${label} link is reported with that link`, () => {
        const link = make(a, mb);
        const { proposals, report } = autoLink([a], [ma, mb], [link]);
        assert.deepEqual(proposals, []);
        assert.deepEqual(report.alreadyLinked, [{ associate: a, by: 'associate', link, mailbox: null }]);
      });

      test(`an associate whose match has a ${label} link to someone else is reported with that link`, () => {
        const link = make(b, ma);
        const { proposals, report } = autoLink([a], [ma, mb], [link]);
        assert.deepEqual(proposals, []);
        assert.deepEqual(report.alreadyLinked, [{ associate: a, by: 'mailbox', link, mailbox: ma }]);
      });
    }

    test('an associate already linked to its own match is reported, not proposed again', () => {
      const link = saved(a, ma);
      assert.deepEqual(autoLink([a], [ma], [link]).report.alreadyLinked, [{ associate: a, by: 'associate', link, mailbox: null }]);
    });

    test('mailbox ids compare case-insensitively', () => {
      const link = { ...unsaved(b, ma), mailboxId: ma.id.toUpperCase() };
      assert.deepEqual(ids(autoLink([a], [ma], [link]).report.alreadyLinked), [1]);
    });

    test('the already-linked check comes before retired and no email', () => {
      const retiredNoEmail = associate(3, null, { active: false });
      assert.deepEqual(ids(autoLink([retiredNoEmail], [], [unsaved(retiredNoEmail, ma)]).report.alreadyLinked), [3]);
    });
  });

  describe('several associates, one mailbox', () => {
    test('two selected associates sharing an email: both reported, neither proposed, others unaffected', () => {
      const a1 = associate(1, 'shared@contoso.com');
      const a2 = associate(2, 'other@contoso.com');
      const a3 = associate(3, ' SHARED@contoso.com ');
      const m = mailbox(1, 'shared@contoso.com');
      const o = mailbox(2, 'other@contoso.com');
      const { proposals, report } = autoLink([a1, a2, a3], [m, o], []);
      assert.deepEqual(proposals.map((p) => p.associate.associateId), [2]);
      assert.deepEqual(report.sharedMailbox, [
        { associate: a1, email: 'shared@contoso.com', mailbox: m, others: [a3] },
        { associate: a3, email: 'shared@contoso.com', mailbox: m, others: [a1] },
      ]);
    });

    test("one associate's email is the other's mailbox alias: neither gets the mailbox", () => {
      const a1 = associate(1, 'robert@contoso.com');
      const a2 = associate(2, 'bob@contoso.com');
      const m = mailbox(1, 'robert@contoso.com', ['bob@contoso.com']);
      const { proposals, report } = autoLink([a2, a1], [m], []);
      assert.deepEqual(proposals, []);
      assert.deepEqual(ids(report.sharedMailbox), [2, 1]);
    });

    test('three associates on one mailbox each list the other two', () => {
      const list = [associate(1, 'x@contoso.com'), associate(2, 'x@contoso.com'), associate(3, 'X@contoso.com')];
      const { report } = autoLink(list, [mailbox(1, 'x@contoso.com')], []);
      assert.deepEqual(
        report.sharedMailbox.map((e) => [e.associate.associateId, e.others.map((o) => o.associateId)]),
        [
          [1, [2, 3]],
          [2, [1, 3]],
          [3, [1, 2]],
        ],
      );
    });

    test('a retired or already linked associate with the same email does not block the other', () => {
      const active = associate(1, 'x@contoso.com');
      const retired = associate(2, 'x@contoso.com', { active: false });
      const linked = associate(3, 'x@contoso.com');
      const m = mailbox(1, 'x@contoso.com');
      const { proposals, report } = autoLink([retired, linked, active], [m, mailbox(2, 'y@contoso.com')], [saved(linked, mailbox(2, 'y@contoso.com'))]);
      assert.deepEqual(proposals.map((p) => p.associate.associateId), [1]);
      assert.deepEqual(ids(report.retired), [2]);
      assert.deepEqual(ids(report.alreadyLinked), [3]);
    });

    test('two associates with one email matching several mailboxes are reported as several matches', () => {
      const list = [associate(1, 'x@contoso.com'), associate(2, 'x@contoso.com')];
      const { report } = autoLink(list, [mailbox(1, 'x@contoso.com'), mailbox(2, 'x@contoso.com')], []);
      assert.deepEqual(ids(report.severalMatches), [1, 2]);
    });
  });

  test('a retired associate is reported and not proposed, even with a matching mailbox', () => {
    const r = associate(1, 'alex@contoso.com', { active: false });
    const { proposals, report } = autoLink([r], [mailbox(1, 'alex@contoso.com')], []);
    assert.deepEqual(proposals, []);
    assert.deepEqual(report.retired, [{ associate: r }]);
  });

  test('an associate selected twice is considered once', () => {
    const a = associate(1, 'alex@contoso.com');
    const { proposals, report } = autoLink([a, a, { ...a }], [mailbox(1, 'alex@contoso.com')], []);
    assert.equal(proposals.length, 1);
    assert.equal(report.sharedMailbox.length, 0);
    assert.deepEqual([...categoryOf(report)], [[1, 'linked']]);
  });

  test('every category at once; each list in selection order; the same input gives the same output', () => {
    const mailboxes = [
      mailbox(1, 'p1@contoso.com'),
      mailbox(2, 'p2@contoso.com', ['alias2@contoso.com']),
      mailbox(3, 'dup@contoso.com'),
      mailbox(4, 'dup@contoso.com'),
      mailbox(5, 'guest@fabrikam.com', [], { guest: true }),
      mailbox(6, 'nombx@contoso.com'),
      mailbox(7, 'room@contoso.com', [], { accountEnabled: false }),
      mailbox(8, 'shared@contoso.com'),
      mailbox(9, 'taken@contoso.com'),
      mailbox(10, 'p10@contoso.com'),
    ];
    const kinds = new Map<string, MailboxKind>([
      [guid(6), 'noMailbox'],
      [guid(7), 'room'],
    ]);
    const selection = [
      associate(20, 'p10@contoso.com'), // linked
      associate(11, 'alias2@contoso.com'), // linked, by alias
      associate(12, null), // noEmail
      associate(13, 'nobody@contoso.com'), // noMatch
      associate(14, 'dup@contoso.com'), // severalMatches
      associate(15, 'shared@contoso.com'), // sharedMailbox
      associate(16, 'nombx@contoso.com'), // noExchangeMailbox
      associate(17, 'room@contoso.com'), // notUserMailbox
      associate(18, 'guest@fabrikam.com'), // guestOrDisabled
      associate(19, 'p1@contoso.com', { active: false }), // retired
      associate(21, 'taken@contoso.com'), // alreadyLinked (mailbox)
      associate(22, 'Shared@Contoso.com'), // sharedMailbox
      associate(23, 'p1@contoso.com'), // linked
      associate(24, ''), // noEmail
      associate(25, 'x@contoso.com'), // alreadyLinked (associate)
    ];
    const links: LinkRef[] = [saved(associate(99, null), mailboxes[8]!), unsaved(selection[14]!, mailboxes[0]!)];
    // 25 holds an unsaved link to mailbox 1, so 23 (and retired 19) cannot have it.
    const first = autoLink(selection, mailboxes, links, kinds);
    const expected: Record<keyof AutoLinkReport, number[]> = {
      linked: [20, 11],
      alreadyLinked: [21, 23, 25],
      noEmail: [12, 24],
      noMatch: [13],
      severalMatches: [14],
      sharedMailbox: [15, 22],
      noExchangeMailbox: [16],
      notUserMailbox: [17],
      guestOrDisabled: [18],
      retired: [19],
    };
    for (const key of REPORT_CATEGORIES) assert.deepEqual(ids(first.report[key]), expected[key], key);
    assert.deepEqual(first.report.alreadyLinked.map((e) => e.by), ['mailbox', 'mailbox', 'associate']);
    assert.deepEqual(first.report.linked.map((e) => e.matchedBy), ['primary', 'alias'] satisfies MatchedBy[]);
    assert.deepEqual(first.proposals.map((p) => p.associate.associateId), [20, 11]);
    assert.equal(categoryOf(first.report).size, selection.length);

    const second = autoLink(selection, mailboxes, links, kinds);
    assert.deepEqual(second, first);

    // Reversing the selection reverses every list.
    const reversed = autoLink([...selection].reverse(), mailboxes, links, kinds);
    for (const key of REPORT_CATEGORIES) assert.deepEqual(ids(reversed.report[key]), ids(first.report[key]).reverse(), key);
  });

  test('empty inputs', () => {
    const { proposals, report } = autoLink([], [], []);
    assert.deepEqual(proposals, []);
    for (const key of REPORT_CATEGORIES) assert.deepEqual(report[key], []);
    assert.deepEqual(ids(autoLink([associate(1, 'a@b.c')], [], []).report.noMatch), [1]);
  });

  describe('against a nested-loop reference, on random tenants', () => {
    /** The rules, spelled out the slow and obvious way (associate × mailbox). */
    function reference(selected: Associate[], mailboxes: Mailbox[], links: LinkRef[], kinds: Map<string, MailboxKind>): AutoLinkResult {
      const report: AutoLinkReport = {
        linked: [], alreadyLinked: [], noEmail: [], noMatch: [], severalMatches: [], sharedMailbox: [],
        noExchangeMailbox: [], notUserMailbox: [], guestOrDisabled: [], retired: [],
      };
      const norm = (s: string | null) => (s ?? '').trim().toLowerCase();
      const pending: { associate: Associate; email: string; mailbox: Mailbox; matchedBy: MatchedBy }[] = [];
      const done: number[] = [];
      for (const a of selected) {
        if (done.includes(a.associateId)) continue;
        done.push(a.associateId);
        const own = links.find((l) => l.associateId === a.associateId);
        if (own) { report.alreadyLinked.push({ associate: a, by: 'associate', link: own, mailbox: null }); continue; }
        if (!a.active) { report.retired.push({ associate: a }); continue; }
        const email = norm(a.email);
        if (!email) { report.noEmail.push({ associate: a }); continue; }
        const hits = mailboxes.filter((m) => norm(m.primaryAddress) === email || m.addresses.some((x) => norm(x) === email));
        const usable = hits.filter((m) => !mailboxRefusal(m, kinds));
        const byUpn = usable.length > 0 ? [] : mailboxes.filter((m) => norm(m.userPrincipalName) === email && !mailboxRefusal(m, kinds));
        if (hits.length === 0 && byUpn.length === 0) { report.noMatch.push({ associate: a, email }); continue; }
        const refused = hits.filter((m) => mailboxRefusal(m, kinds)).map((m) => ({ mailbox: m, reason: mailboxRefusal(m, kinds)! }));
        const primary = usable.filter((m) => norm(m.primaryAddress) === email);
        const tier = primary.length > 0 ? primary : usable.length > 0 ? usable : byUpn;
        const matchedBy: MatchedBy = primary.length > 0 ? 'primary' : usable.length > 0 || byUpn.length === 0 ? 'alias' : 'upn';
        if (tier.length === 0) {
          const entry = { associate: a, email, candidates: refused };
          if (refused.some((c) => c.reason === 'noExchangeMailbox')) report.noExchangeMailbox.push(entry);
          else if (refused.some((c) => c.reason === 'notUserMailbox')) report.notUserMailbox.push(entry);
          else report.guestOrDisabled.push(entry);
        } else if (tier.length > 1) {
          report.severalMatches.push({ associate: a, email, matchedBy, mailboxes: tier });
        } else {
          const taken = links.find((l) => l.mailboxId.toLowerCase() === tier[0]!.id.toLowerCase());
          if (taken) report.alreadyLinked.push({ associate: a, by: 'mailbox', link: taken, mailbox: tier[0]! });
          else pending.push({ associate: a, email, mailbox: tier[0]!, matchedBy });
        }
      }
      const proposals = [];
      for (const p of pending) {
        const rivals = pending.filter((q) => q.mailbox === p.mailbox && q !== p).map((q) => q.associate);
        if (rivals.length > 0) report.sharedMailbox.push({ associate: p.associate, email: p.email, mailbox: p.mailbox, others: rivals });
        else {
          report.linked.push({ associate: p.associate, mailbox: p.mailbox, matchedBy: p.matchedBy });
          proposals.push({
            associate: p.associate,
            mailbox: p.mailbox,
            matchedBy: p.matchedBy,
            link: { associateId: p.associate.associateId, associateName: p.associate.name, mailboxId: p.mailbox.id, mailboxAddress: p.mailbox.primaryAddress?.trim() || p.email },
          });
        }
      }
      return { proposals, report };
    }

    /** mulberry32: a small seeded generator, so a failure names a reproducible seed. */
    function rng(seed: number) {
      return () => {
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    }

    function tenant(seed: number) {
      const r = rng(seed);
      const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)]!;
      const pool = Array.from({ length: 10 }, (_, i) => `user${i}@contoso.com`);
      const vary = (s: string) => (r() < 0.3 ? s.toUpperCase() : r() < 0.3 ? ` ${s}\t` : s);
      const mailboxes = Array.from({ length: 12 }, (_, i) => {
        const primary = r() < 0.9 ? vary(pick(pool)) : null;
        const aliases = Array.from({ length: Math.floor(r() * 3) }, () => pick(pool));
        // Now and then a sign-in name that is one of the pool's addresses (the UPN fallback).
        const upn = r() < 0.2 ? pick(pool) : `${i + 1}@contoso.onmicrosoft.com`;
        const m = mailbox(i + 1, primary, aliases, { guest: r() < 0.1, accountEnabled: r() > 0.1, userPrincipalName: upn });
        return r() < 0.1 ? { ...m, addresses: [] } : m;
      });
      const kinds = new Map<string, MailboxKind>();
      for (const m of mailboxes) if (r() < 0.4) kinds.set(m.id, pick(['user', 'shared', 'room', 'equipment', 'linked', 'others', 'noMailbox', 'notFound', 'unknown'] as const));
      const associates = Array.from({ length: 12 }, (_, i) =>
        associate(i + 1, r() < 0.1 ? null : r() < 0.1 ? 'stranger@contoso.com' : vary(pick(pool)), { active: r() > 0.1 }),
      );
      const links: LinkRef[] = [];
      const usedA = new Set<number>();
      const usedM = new Set<string>();
      for (let i = 0; i < 3; i++) {
        const a = r() < 0.5 ? pick(associates) : associate(100 + i, null);
        const m = pick(mailboxes);
        if (usedA.has(a.associateId) || usedM.has(m.id)) continue;
        usedA.add(a.associateId);
        usedM.add(m.id);
        links.push(r() < 0.5 ? saved(a, m) : unsaved(a, m));
      }
      const selected = associates.filter(() => r() < 0.8);
      if (r() < 0.2 && selected.length > 0) selected.push(pick(selected));
      return { selected, mailboxes, links, kinds };
    }

    test('2,000 random tenants: same result as the reference; one-to-one proposals; one category per associate', () => {
      const seen = new Set<string>();
      for (let seed = 1; seed <= 2000; seed++) {
        const { selected, mailboxes, links, kinds } = tenant(seed);
        const result = autoLink(selected, mailboxes, links, kinds);
        assert.deepEqual(result, reference(selected, mailboxes, links, kinds), `seed ${seed}`);

        const mailboxIds = new Set(result.proposals.map((p) => p.mailbox.id));
        const associateIds = new Set(result.proposals.map((p) => p.associate.associateId));
        assert.equal(mailboxIds.size, result.proposals.length, `seed ${seed}: a mailbox in two proposals`);
        assert.equal(associateIds.size, result.proposals.length, `seed ${seed}: an associate in two proposals`);
        for (const p of result.proposals) {
          assert.equal(mailboxRefusal(p.mailbox, kinds), null, `seed ${seed}: unusable mailbox proposed`);
          assert.ok(p.associate.active, `seed ${seed}: retired associate proposed`);
          assert.ok(!links.some((l) => l.associateId === p.associate.associateId || l.mailboxId === p.mailbox.id), `seed ${seed}: linked pair proposed`);
        }
        const categories = categoryOf(result.report);
        assert.deepEqual([...categories.keys()].sort((x, y) => x - y), [...new Set(selected.map((a) => a.associateId))].sort((x, y) => x - y));
        for (const c of categories.values()) seen.add(c);
      }
      // The generator reaches every category, so the comparison above covers them all.
      assert.deepEqual([...seen].sort(), [...REPORT_CATEGORIES].sort());
    });
  });
});

describe('Link User', () => {
  const a = associate(1, 'alex@contoso.com');
  const b = associate(2, 'megan@contoso.com');
  const ma = mailbox(1, 'Alex@contoso.com');
  const mb = mailbox(2, 'megan@contoso.com');

  test('links the chosen pair, whatever the emails say, with the primary address', () => {
    assert.deepEqual(linkOne(a, mb, [saved(associate(3, null), ma)]), {
      ok: true,
      link: { associateId: 1, associateName: 'Associate 1', mailboxId: mb.id, mailboxAddress: 'megan@contoso.com' },
    });
  });

  for (const [label, make] of [
    ['saved', saved],
    ['unsaved', unsaved],
  ] as const) {
    test(`refuses an associate with a ${label} link, saying to which mailbox`, () => {
      const link = make(a, mb);
      assert.deepEqual(linkOne(a, ma, [link]), { ok: false, reason: 'associateAlreadyLinked', link });
      // Also the very same pair.
      assert.deepEqual(linkOne(a, mb, [link]), { ok: false, reason: 'associateAlreadyLinked', link });
    });

    test(`refuses a mailbox with a ${label} link, saying to whom`, () => {
      const link = make(b, ma);
      assert.deepEqual(linkOne(a, ma, [link]), { ok: false, reason: 'mailboxAlreadyLinked', link });
      assert.deepEqual(linkOne(a, ma, [{ ...link, mailboxId: link.mailboxId.toUpperCase() }]).ok, false);
    });
  }

  test('refuses a retired associate', () => {
    assert.deepEqual(linkOne({ ...a, active: false }, ma, []), { ok: false, reason: 'retired' });
  });

  test('refuses a guest and a disabled account', () => {
    assert.deepEqual(linkOne(a, { ...ma, guest: true }, []), { ok: false, reason: 'guest', kind: null });
    assert.deepEqual(linkOne(a, { ...ma, accountEnabled: false }, []), { ok: false, reason: 'disabled', kind: null });
  });

  test('refuses a target the mailbox check found without an Exchange Online mailbox, or not a user mailbox', () => {
    for (const kind of ['noMailbox', 'notFound'] as const) {
      assert.deepEqual(linkOne(a, ma, [], new Map([[ma.id, kind]])), { ok: false, reason: 'noExchangeMailbox', kind });
    }
    for (const kind of ['shared', 'room', 'equipment'] as const) {
      assert.deepEqual(linkOne(a, { ...ma, accountEnabled: false }, [], new Map([[ma.id, kind]])), { ok: false, reason: 'notUserMailbox', kind });
    }
    for (const kind of ['user', 'linked', 'others', 'unknown'] as const) {
      assert.equal(linkOne(a, ma, [], new Map([[ma.id, kind]])).ok, true, kind);
    }
  });

  test('refuses a mailbox with no SMTP address; uses an address when there is no primary one', () => {
    assert.deepEqual(linkOne(a, mailbox(3, null), []), { ok: false, reason: 'noAddress' });
    const noPrimary = { ...mailbox(4, null), addresses: ['x@contoso.com'] };
    assert.deepEqual(linkOne(a, noPrimary, []), { ok: true, link: { associateId: 1, associateName: 'Associate 1', mailboxId: noPrimary.id, mailboxAddress: 'x@contoso.com' } });
  });

  test('reasons come in a fixed order: associate linked, mailbox linked, retired, then the mailbox', () => {
    const retired = { ...a, active: false };
    const guest = { ...ma, guest: true };
    const reason = (links: LinkRef[], who = retired, box = guest) => {
      const r = linkOne(who, box, links);
      return r.ok ? 'ok' : r.reason;
    };
    assert.equal(reason([unsaved(b, ma), unsaved(a, mb)]), 'associateAlreadyLinked');
    assert.equal(reason([unsaved(b, ma)]), 'mailboxAlreadyLinked');
    assert.equal(reason([]), 'retired');
    assert.equal(reason([], a), 'guest');
  });
});
