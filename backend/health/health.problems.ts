import { readTime } from '../db/dialect.js';
import type { TenantMode } from '../db/database.js';
import type { MailboxKind } from '../microsoft/mailbox-check.js';
import type { Associate } from '../superoffice/associates.js';
import type { DirectoryUser } from './health.graph.js';
import type { GrantRow, LinkHealthRow } from './health.repository.js';
import type { HealthProblem, HealthProblemKind } from './health.types.js';

/** "In error for more than a day". */
export const ERROR_GRACE_MS = 24 * 3600_000;

export interface HealthFacts {
  mode: TenantMode;
  associates: readonly Associate[];
  /** Application mode: every user of the organisation; OAuth mode: null (Graph is not read, as Load External Users does not). */
  directory: readonly DirectoryUser[] | null;
  /** The mailbox check for the linked users the list could not classify (see health.graph.ts kindsOf). */
  kinds: ReadonlyMap<string, MailboxKind>;
  links: readonly LinkHealthRow[];
  /** OAuth mode: the tenant's authorizations. */
  grants: readonly GrantRow[];
  now: Date;
}

const lower = (s: string | null | undefined) => s?.trim().toLowerCase() ?? null;
const NOT_USER: ReadonlySet<MailboxKind> = new Set(['shared', 'room', 'equipment']);

/** A mailbox that can be linked: a member's, enabled, with Exchange Online (the list says so, or the check). */
function usable(m: DirectoryUser): boolean {
  return !m.guest && m.accountEnabled && m.exchangeLicensed && m.primaryAddress !== null;
}

/** The linked mailbox's own problem, if any; the most telling one (a shared mailbox is disabled and unlicensed too). */
export function mailboxProblem(m: DirectoryUser | undefined, kind: MailboxKind | undefined): HealthProblemKind | null {
  if (!m || kind === 'notFound') return 'mailbox_deleted';
  if (m.guest || (kind !== undefined && NOT_USER.has(kind))) return 'mailbox_not_user';
  if (!m.accountEnabled) return 'mailbox_disabled';
  if (!m.exchangeLicensed || kind === 'noMailbox') return 'mailbox_unlicensed';
  return null;
}

/** The linked mailboxes the users list alone cannot classify: disabled or without an Exchange plan (maybe shared or a room). */
export function suspects(links: readonly LinkHealthRow[], directory: readonly DirectoryUser[]): string[] {
  const byId = new Map(directory.map((m) => [m.id, m]));
  const ids = new Set<string>();
  for (const l of links) {
    const m = byId.get(l.mailbox_id);
    if (m && !m.guest && (!m.accountEnabled || !m.exchangeLicensed)) ids.add(l.mailbox_id);
  }
  return [...ids];
}

function grantMailbox(g: GrantRow): DirectoryUser {
  const addresses = g.addresses_json ? (JSON.parse(g.addresses_json) as string[]) : [g.mailbox_address.toLowerCase()];
  return {
    id: g.mailbox_id,
    displayName: g.display_name ?? g.mailbox_address,
    primaryAddress: g.mailbox_address,
    addresses,
    userPrincipalName: g.mailbox_address,
    accountEnabled: true,
    guest: false,
    exchangeLicensed: true,
  };
}

/**
 * Every problem of one tenant, from what SuperOffice, Microsoft 365 and our database say now.
 * Pure: no I/O, so each rule is tested on its own and the report and the digest agree. A linked
 * user's associate problem and mailbox problem are both reported (both need fixing); an email
 * mismatch only when neither side has a problem of its own (fixing those first may settle it).
 */
export function findProblems(f: HealthFacts): HealthProblem[] {
  const problems: HealthProblem[] = [];
  const associates = new Map(f.associates.map((a) => [a.associateId, a]));
  // OAuth mode: the mailboxes are those whose owners accepted (and were not revoked), as Load External Users lists them.
  const mailboxes = f.directory ?? f.grants.filter((g) => g.revoked_at === null).map(grantMailbox);
  const byId = new Map(mailboxes.map((m) => [m.id, m]));
  const grants = new Map(f.grants.map((g) => [g.mailbox_id, g]));
  const add = (kind: HealthProblemKind, p: Omit<HealthProblem, 'key' | 'kind'>) => {
    const subject = p.linkId ?? `a${p.associateId}`;
    problems.push({ key: `${kind}:${subject}`, kind, ...p });
  };

  for (const l of f.links) {
    const a = associates.get(l.associate_id);
    const who = { linkId: l.id, associateId: l.associate_id, associateName: a?.name ?? l.associate_name, mailboxId: l.mailbox_id, mailboxAddress: l.mailbox_address };
    const name = `${who.associateName} (${l.mailbox_address})`;
    let associateFine = false;
    if (!a || !a.active) {
      add('associate_retired', { ...who, message: `${name}: the associate is retired or no longer in SuperOffice.`, since: null });
    } else if (a.email === null) {
      add('associate_email_missing', { ...who, message: `${name}: the associate's contact card has no email address.`, since: null });
    } else associateFine = true;

    const m = byId.get(l.mailbox_id);
    let mailboxFine = true;
    if (f.directory !== null) {
      const kind = mailboxProblem(m, f.kinds.get(l.mailbox_id));
      if (kind !== null) {
        mailboxFine = false;
        const why: Record<string, string> = {
          mailbox_deleted: 'the mailbox no longer exists in Microsoft 365',
          mailbox_not_user: 'the mailbox is not a user mailbox (shared, room, equipment or a guest)',
          mailbox_disabled: 'the Microsoft 365 account is disabled',
          mailbox_unlicensed: 'the user has no Exchange Online licence',
        };
        add(kind, { ...who, message: `${name}: ${why[kind]}.`, since: null });
      }
    }

    if (associateFine && mailboxFine && m && lower(a!.email) !== lower(m.primaryAddress)) {
      add('email_mismatch', {
        ...who,
        mailboxAddress: m.primaryAddress,
        message: `${name}: the contact-card email ${a!.email} is not the mailbox's primary address ${m.primaryAddress ?? '(none)'}.`,
        since: null,
      });
    }

    if (f.mode === 'oauth') {
      const g = grants.get(l.mailbox_id);
      if (g && (g.revoked_at !== null || !g.has_grant)) {
        add('grant_lost', {
          ...who,
          message: `${name}: the mailbox owner's authorization ${g.revoked_at !== null ? 'was revoked' : 'expired or was withdrawn in Microsoft 365'}.`,
          since: g.revoked_at !== null ? readTime(g.revoked_at) : null,
        });
      }
    }

    if (l.state === 'breaker') {
      add('sync_breaker', {
        ...who,
        message: `${name}: the circuit breaker stopped the synchronization${l.breaker_detail ? ` (${l.breaker_detail})` : ''}.`,
        since: l.last_pass_at === null ? null : readTime(l.last_pass_at),
      });
    } else if (l.state === 'error') {
      // In error since the last pass that worked (or since it was enrolled, if none did).
      const from = l.last_success_at ?? l.sync_created_at;
      const since = from === null ? null : readTime(from);
      if (since !== null && f.now.getTime() - new Date(since).getTime() > ERROR_GRACE_MS) {
        add('sync_error', { ...who, message: `${name}: the synchronization has failed for more than a day${l.last_error ? ` (${l.last_error})` : ''}.`, since });
      }
    }
  }

  // Active associates who are not linked, whose email is the primary address of exactly one free,
  // usable mailbox that no other such associate claims (two claimants: a guess, left to the admin).
  const linkedAssociates = new Set(f.links.map((l) => l.associate_id));
  const linkedMailboxes = new Set(f.links.map((l) => l.mailbox_id));
  const byPrimary = new Map<string, DirectoryUser[]>();
  for (const m of mailboxes) {
    const p = lower(m.primaryAddress);
    if (p === null || !usable(m)) continue;
    const list = byPrimary.get(p);
    if (list) list.push(m);
    else byPrimary.set(p, [m]);
  }
  const candidates = f.associates.filter((a) => a.active && a.email !== null && !linkedAssociates.has(a.associateId));
  const claims = new Map<string, number>();
  for (const a of candidates) {
    const e = lower(a.email)!;
    claims.set(e, (claims.get(e) ?? 0) + 1);
  }
  for (const a of candidates) {
    const e = lower(a.email)!;
    const found = byPrimary.get(e);
    if (!found || found.length !== 1 || claims.get(e) !== 1) continue;
    const m = found[0]!;
    if (linkedMailboxes.has(m.id)) continue;
    add('unlinked_match', {
      linkId: null,
      associateId: a.associateId,
      associateName: a.name,
      mailboxId: m.id,
      mailboxAddress: m.primaryAddress,
      message: `${a.name} is active in SuperOffice and ${m.primaryAddress} matches the contact-card email, but they are not linked.`,
      since: null,
    });
  }
  return problems;
}
