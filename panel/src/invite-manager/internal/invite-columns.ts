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
function whenOf(r: InviteRow): { kind: 'expires' | 'expired' | 'accepted'; at: string } | null {
  const i = r.invite;
  if (!i) return null;
  if (r.state === 'invited') return { kind: 'expires', at: i.expiresAt };
  if (r.state === 'expired') return { kind: 'expired', at: i.expiresAt };
  if (r.state === 'accepted' && i.acceptedAt) return { kind: 'accepted', at: i.acceptedAt };
  return null;
}

/** The list's columns: name, email, invite state, when it expires or was accepted, the authorized mailbox. */
export function inviteColumns(s: InviteManagerStrings, lang: Lang): Column<InviteRow>[] {
  const stateText = (r: InviteRow) => (r.state === 'failed' && r.invite?.sendError ? `${s.states.failed}: ${r.invite.sendError}` : s.states[r.state]);
  const whenText = (r: InviteRow) => {
    const w = whenOf(r);
    return w ? s.whenText[w.kind](formatDate(w.at, lang)) : '';
  };
  const mailboxText = (r: InviteRow) => {
    const a = r.authorization;
    if (!a) return r.invite?.acceptedMailbox?.address ?? '';
    return a.revokedAt === null ? a.mailboxAddress : `${a.mailboxAddress} ${s.revoked}`;
  };
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
      render: (r) =>
        html`<span class="badge" data-tone=${STATE_TONE[r.state]}>${s.states[r.state]}</span>${r.state === 'failed' && r.invite?.sendError
            ? html` <span class="dim" title=${r.invite.sendError}>${r.invite.sendError}</span>`
            : nothing}`,
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
        const a = r.authorization;
        if (!a || a.revokedAt === null) return mailboxText(r);
        return html`<span class="dim" title=${a.mailboxAddress}>${a.mailboxAddress}</span> <span class="badge" data-tone="neutral">${s.revoked}</span>`;
      },
    },
  ];
}
