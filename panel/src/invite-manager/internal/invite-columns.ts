import { html, nothing } from 'lit';
import type { Column, SortState } from '../../data-list/data-list.js';
import { formatDate, formatDateTime, type Lang } from '../../i18n/locale.js';
import type { InviteManagerStrings } from '../invite-manager.strings.js';
import type { InviteRow, InviteRowState } from './invite-rows.js';

const STATE_TONE: Readonly<Record<InviteRowState, string>> = {
  notInvited: 'neutral',
  invited: 'info',
  accepted: 'ok',
  expired: 'warn',
  revoked: 'neutral',
  failed: 'danger',
};
const STATE_ORDER: Readonly<Record<InviteRowState, number>> = { notInvited: 0, failed: 1, expired: 2, revoked: 3, invited: 4, accepted: 5 };
/** The list opens sorted by name. */
export const BY_NAME: SortState = { column: 'name', direction: 'ascending' };

/** Retired associates are dimmed. */
export const rowClass = (r: InviteRow): string => (r.associate.active ? '' : 'muted');

/** The date the "Expires / Accepted at" column shows for a row, and how it says it. */
function whenOf(r: InviteRow): { kind: 'expires' | 'expired' | 'accepted' | 'revoked'; at: string } | null {
  const i = r.invite;
  if (!i) return null;
  if (r.state === 'invited') return { kind: 'expires', at: i.expiresAt };
  if (r.state === 'expired') return { kind: 'expired', at: i.expiresAt };
  if (r.state === 'accepted' && i.acceptedAt) return { kind: 'accepted', at: i.acceptedAt };
  const revokedAt = r.authorization?.revokedAt ?? i.revokedAt;
  if (r.state === 'revoked' && revokedAt) return { kind: 'revoked', at: revokedAt };
  return null;
}

/** What the state cell says after its badge: why sending failed, or what accepting did about the link. */
function stateNote(r: InviteRow, s: InviteManagerStrings): string {
  const i = r.invite;
  if (!i) return '';
  if (r.state === 'failed') return i.sendError ?? '';
  if (r.state !== 'accepted' || !i.outcome) return '';
  const o = i.outcome;
  if (o.kind === 'associate_linked' || o.kind === 'mailbox_linked') return s.outcome[o.kind](o.detail ?? '');
  return s.outcome[o.kind];
}

/** A badge that is never cut, then text that is (with the whole text as its title). */
const badged = (badge: { text: string; tone: string } | null, text: string, dim = false) =>
  html`<span class="pair">${badge ? html`<span class="badge" data-tone=${badge.tone}>${badge.text}</span> ` : nothing}${text
    ? html`<span class=${dim ? 'text dim' : 'text'} title=${text}>${text}</span>`
    : nothing}</span>`;

/** The list's columns: name, email, invite state, when it expires or was accepted, the authorized mailbox. */
export function inviteColumns(s: InviteManagerStrings, lang: Lang): Column<InviteRow>[] {
  const stateText = (r: InviteRow) => {
    const note = stateNote(r, s);
    return note ? `${s.states[r.state]}: ${note}` : s.states[r.state];
  };
  const whenText = (r: InviteRow) => {
    const w = whenOf(r);
    return w ? s.whenText[w.kind](formatDate(w.at, lang)) : '';
  };
  const mailboxOf = (r: InviteRow) => r.authorization?.mailboxAddress ?? r.invite?.acceptedMailbox?.address ?? '';
  const revokedMailbox = (r: InviteRow) => r.authorization !== null && r.authorization.revokedAt !== null;
  const otherMailbox = (r: InviteRow) => r.invite?.acceptedOtherMailbox === true && r.invite.acceptedMailbox !== null;
  const mailboxNote = (r: InviteRow) => (otherMailbox(r) ? s.otherMailbox(r.invite!.acceptedMailbox!.address, r.invite!.email) : mailboxOf(r));
  const mailboxText = (r: InviteRow) => [revokedMailbox(r) ? s.revoked : '', otherMailbox(r) ? s.otherMailboxBadge : '', mailboxNote(r)].filter(Boolean).join(' ');
  return [
    {
      id: 'name',
      label: s.name,
      width: 'minmax(0, 1.3fr)',
      text: (r) => (r.associate.loginName ? `${r.associate.name} ${r.associate.loginName}` : r.associate.name),
      sortValue: (r) => r.associate.name,
      render: (r) =>
        html`<span title=${r.associate.name}>${r.associate.name}</span>${r.associate.active
            ? nothing
            : html` <span class="badge" data-tone="warn">${s.retired}</span>`}`,
    },
    {
      id: 'email',
      label: s.email,
      width: 'minmax(0, 1.4fr)',
      text: (r) => r.associate.email ?? s.noEmail,
      sortValue: (r) => r.associate.email ?? '',
      render: (r) =>
        r.associate.email
          ? html`<span title=${r.associate.email}>${r.associate.email}</span>`
          : html`<span class="badge" data-tone="warn">${s.noEmail}</span>`,
    },
    {
      id: 'state',
      label: s.state,
      width: 'minmax(6.5rem, 0.9fr)',
      text: stateText,
      sortValue: (r) => STATE_ORDER[r.state],
      render: (r) => badged({ text: s.states[r.state], tone: STATE_TONE[r.state] }, stateNote(r, s), true),
    },
    {
      id: 'when',
      label: s.when,
      width: 'minmax(9rem, 1fr)',
      searchable: false,
      text: whenText,
      sortValue: (r) => whenOf(r)?.at ?? null,
      render: (r) => {
        const w = whenOf(r);
        return w ? html`<span title=${s.whenText[w.kind](formatDateTime(w.at, lang))}>${whenText(r)}</span>` : '';
      },
    },
    {
      id: 'mailbox',
      label: s.mailbox,
      width: 'minmax(0, 1.3fr)',
      text: mailboxText,
      render: (r) => {
        if (revokedMailbox(r)) return badged({ text: s.revoked, tone: 'neutral' }, mailboxOf(r), true);
        if (otherMailbox(r)) return badged({ text: s.otherMailboxBadge, tone: 'info' }, mailboxNote(r));
        return badged(null, mailboxOf(r));
      },
    },
  ];
}
