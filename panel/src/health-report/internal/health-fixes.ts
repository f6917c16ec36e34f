import type { HealthProblem, HealthProblemKind } from '../../../../backend/contract.js';

/** The kinds in the report's order (backend/health/health.types.ts; the type checks none is missing). */
const KIND_ORDER = Object.keys({
  associate_retired: 0,
  associate_email_missing: 0,
  mailbox_deleted: 0,
  mailbox_disabled: 0,
  mailbox_not_user: 0,
  mailbox_unlicensed: 0,
  email_mismatch: 0,
  unlinked_match: 0,
  grant_lost: 0,
  sync_breaker: 0,
  sync_error: 0,
} satisfies Record<HealthProblemKind, 0>) as HealthProblemKind[];

/** The fix a row offers besides Ignore, by kind (each is an existing endpoint, or Update the link). */
export type HealthFix = 'remove' | 'update' | 'link' | 'inviteAgain' | 'resume' | 'syncNow';

export const FIX_OF: Readonly<Record<HealthProblemKind, HealthFix>> = {
  associate_retired: 'remove',
  associate_email_missing: 'remove',
  mailbox_deleted: 'remove',
  mailbox_disabled: 'remove',
  mailbox_not_user: 'remove',
  mailbox_unlicensed: 'remove',
  email_mismatch: 'update',
  unlinked_match: 'link',
  grant_lost: 'inviteAgain',
  sync_breaker: 'resume',
  sync_error: 'syncNow',
};

/** Fixes after which the linked-user lists behind the tools are stale. */
export const CHANGES_LINKS: ReadonlySet<HealthFix> = new Set(['remove', 'update', 'link']);

/** The problems grouped by kind, in the kinds' own order, empty groups left out. Pure. */
export function groupByKind(problems: readonly HealthProblem[]): { kind: HealthProblemKind; problems: HealthProblem[] }[] {
  return KIND_ORDER.map((kind) => ({ kind, problems: problems.filter((p) => p.kind === kind) })).filter((g) => g.problems.length > 0);
}

/** The request each fix makes (method, path below /api/v1, body). Removal is previewed first (see the element). */
export function fixRequest(fix: HealthFix, p: HealthProblem): { method: string; path: string; body: unknown } {
  switch (fix) {
    case 'remove':
      return { method: 'POST', path: '/links/removal', body: { ids: [p.linkId] } };
    case 'update':
      return { method: 'POST', path: '/health/repoint', body: { linkId: p.linkId } };
    case 'link':
      return { method: 'POST', path: '/links', body: { links: [{ associateId: p.associateId, associateName: p.associateName, mailboxId: p.mailboxId, mailboxAddress: p.mailboxAddress }] } };
    case 'inviteAgain':
      return { method: 'POST', path: '/invites', body: { associateIds: [p.associateId], delivery: 'email' } };
    case 'resume':
      return { method: 'POST', path: '/sync/release', body: { linkIds: [p.linkId] } };
    case 'syncNow':
      return { method: 'POST', path: '/sync/run', body: { linkIds: [p.linkId] } };
  }
}
