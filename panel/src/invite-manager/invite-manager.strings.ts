import type { Lang } from '../i18n/locale.js';
import type { InviteSkipReason } from '../logic/types.js';
import type { InviteRowState } from './internal/invite-rows.js';

/** Every visible and aria string of `so-invite-manager`. */
export interface InviteManagerStrings {
  title: string;
  intro: string;
  actions: string;
  send: string;
  copyLink: string;
  revokeInvites: string;
  revokeAuthorization: string;
  cancel: string;
  resendHint: string;
  loading: string;
  // The list
  label: string;
  name: string;
  email: string;
  state: string;
  when: string;
  mailbox: string;
  noEmail: string;
  retired: string;
  revoked: string;
  states: Readonly<Record<InviteRowState, string>>;
  /** The "Expires / Accepted at" cell, per state that has a date. */
  whenText: { expires: (date: string) => string; expired: (date: string) => string; accepted: (date: string) => string; revoked: (date: string) => string };
  /** An accepted invite's mailbox that is not the invited address. */
  otherMailboxBadge: string;
  otherMailbox: (address: string, invited: string) => string;
  /** What accepting did about the link (the state cell, after the badge). */
  outcome: { proposed: string; linked: string; associate_linked: (mailbox: string) => string; mailbox_linked: (associate: string) => string };
  empty: string;
  // The form
  formTitle: string;
  sender: string;
  senderHint: string;
  senderInvalid: string;
  senderName: string;
  subject: string;
  message: string;
  placeholders: string;
  allowOther: string;
  linkOnAccept: string;
  linkOnAcceptHint: string;
  senderDefault: string;
  lifetime: (days: number) => string;
  // Sending
  selectUsers: string;
  progress: (done: string, total: string) => string;
  stopping: string;
  reportTitle: (sent: number, processed: number, total: number) => string;
  skippedTitle: (n: number) => string;
  failedTitle: (n: number) => string;
  skipReasons: Readonly<Record<InviteSkipReason, string>>;
  failure: (name: string, email: string, message: string) => string;
  // Copy invite link
  selectOne: string;
  linkLabel: (name: string) => string;
  linkNote: string;
  linkCopied: (name: string) => string;
  linkNotCopied: string;
  linkSkipped: (name: string, reason: string) => string;
  // Revoking
  noOpenInvites: string;
  noAuthorizations: string;
  onlySome: (affected: number, selected: number) => string;
  revokeInvitesTitle: (n: number) => string;
  revokeInvitesBody: string;
  revokeInvitesConfirm: string;
  revokedInvites: (n: number) => string;
  revokeAuthTitle: (n: number) => string;
  revokeAuthBody: string;
  revokeAuthKept: string;
  revokeAuthConfirm: string;
  revokedAuthorizations: (n: number, disabledLinks: number) => string;
  andMore: (n: number) => string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export const inviteManagerStrings: Readonly<Record<Lang, InviteManagerStrings>> = {
  en: {
    title: 'Token Authentication Manager',
    intro:
      'Invite users to authorize their own mailbox. The invite goes to the email on their SuperOffice contact card; they open it, sign in with Microsoft 365 and accept. Load External Users lists only authorized mailboxes, and only those are synchronized.',
    actions: 'Invite actions',
    send: 'Send invites to selected users',
    copyLink: 'Copy invite link',
    revokeInvites: 'Revoke invites',
    revokeAuthorization: 'Revoke authorization',
    cancel: 'Cancel',
    resendHint:
      'To re-send an invite, select the user and send again: the new invite replaces the old one, whose link stops working.',
    loading: 'Loading invites…',
    label: 'Users and their invites',
    name: 'Name',
    email: 'Email',
    state: 'Invite state',
    when: 'Expires / Accepted at',
    mailbox: 'Authorized mailbox',
    noEmail: 'No email',
    retired: 'Retired',
    revoked: 'Revoked',
    states: {
      notInvited: 'Not invited',
      invited: 'Invited',
      accepted: 'Accepted',
      expired: 'Expired',
      revoked: 'Revoked',
      failed: 'Not sent',
    },
    whenText: {
      expires: (d) => `Expires ${d}`,
      expired: (d) => `Expired ${d}`,
      accepted: (d) => `Accepted ${d}`,
      revoked: (d) => `Revoked ${d}`,
    },
    otherMailboxBadge: 'Other mailbox',
    otherMailbox: (address, invited) => `accepted with another mailbox: ${address} — the invite allowed it (invited: ${invited})`,
    outcome: {
      proposed: 'link proposed: add it in the main view and Save Added Users',
      linked: 'linked',
      associate_linked: (mailbox) => `not linked: already linked to ${mailbox}`,
      mailbox_linked: (associate) => `not linked: the mailbox is already linked to ${associate}`,
    },
    empty: 'No associates loaded.',
    formTitle: 'Invite email',
    sender: 'Sender mailbox',
    senderHint: 'The Microsoft 365 mailbox the invites are sent from. Required to send invites.',
    senderInvalid: 'Enter the email address of the sender mailbox, e.g. crm-admin@contoso.com.',
    senderName: 'Sender name',
    subject: 'Subject',
    message: 'Message',
    placeholders:
      "Placeholders: {name} becomes the user's name, {link} their personal invite link, {expires} the date the link expires, and {organisation} your organisation's name.",
    allowOther: 'Let users authorize a different mailbox than the invited address',
    linkOnAccept: 'Link when accepted',
    linkOnAcceptHint:
      'Links the user to the mailbox they accept with, at once (unless either is linked already). Otherwise the link is proposed in the main view for you to save.',
    senderDefault: 'Starts as the sender used last, else your own mailbox.',
    lifetime: (days) => `Invites are valid for ${plural(days, 'day', 'days')} (set under Mailbox authorization).`,
    selectUsers: 'Select one or more users first.',
    progress: (done, total) => `Sent ${done} of ${total}…`,
    stopping: 'Stopping after the current batch…',
    reportTitle: (sent, processed, total) =>
      processed < total
        ? `Stopped after ${processed} of ${total} users: ${plural(sent, 'invite', 'invites')} sent.`
        : `${plural(sent, 'invite', 'invites')} sent to ${plural(total, 'selected user', 'selected users')}.`,
    skippedTitle: (n) => `Not invited: ${n}`,
    failedTitle: (n) => `Not sent: ${n}`,
    skipReasons: {
      NoEmail: 'no email on the contact card',
      Retired: 'retired',
      UnknownAssociate: 'not found in SuperOffice',
    },
    failure: (name, email, message) => `${name} (${email}): ${message}`,
    selectOne: 'Select exactly one user to copy an invite link for.',
    linkLabel: (name) => `Invite link for ${name}`,
    linkNote:
      'The link is shown only this once: hand it to the user now. Copying a new link or sending an invite to this user replaces it.',
    linkCopied: (name) => `Copied the invite link for ${name} to the clipboard.`,
    linkNotCopied: 'The browser did not allow copying to the clipboard: select the link below and copy it.',
    linkSkipped: (name, reason) => `${name} was not invited: ${reason}.`,
    noOpenInvites: 'None of the selected users has an open invite.',
    noAuthorizations: 'None of the selected users has authorized a mailbox.',
    onlySome: (affected, selected) => `Only ${affected} of the ${selected} selected users are affected.`,
    revokeInvitesTitle: (n) => `Revoke ${plural(n, 'invite', 'invites')}?`,
    revokeInvitesBody: 'The invite links stop working. You can invite these users again later.',
    revokeInvitesConfirm: 'Revoke invites',
    revokedInvites: (n) => `Revoked ${plural(n, 'invite', 'invites')}.`,
    revokeAuthTitle: (n) => `Revoke the authorization of ${plural(n, 'user', 'users')}?`,
    revokeAuthBody: 'Synchronization stops for their mailboxes, and Load External Users no longer lists them.',
    revokeAuthKept: 'Their links, options and sync history are kept, and they can be invited again.',
    revokeAuthConfirm: 'Revoke authorization',
    revokedAuthorizations: (n, links) =>
      `Revoked ${plural(n, 'authorization', 'authorizations')}; ${plural(links, 'linked user is', 'linked users are')} no longer synchronized.`,
    andMore: (n) => `and ${n} more`,
  },
  nb: {
    title: 'Token Authentication Manager',
    intro:
      'Inviter brukere til å autorisere sin egen postboks. Invitasjonen går til e-posten på kontaktkortet deres i SuperOffice; de åpner den, logger på med Microsoft 365 og godtar. Load External Users viser bare autoriserte postbokser, og bare de synkroniseres.',
    actions: 'Invitasjonshandlinger',
    // Product labels stay as admins know them, in every language.
    send: 'Send invites to selected users',
    copyLink: 'Copy invite link',
    revokeInvites: 'Trekk tilbake invitasjoner',
    revokeAuthorization: 'Trekk tilbake autorisasjon',
    cancel: 'Avbryt',
    resendHint:
      'For å sende en invitasjon på nytt, velg brukeren og send igjen: den nye invitasjonen erstatter den gamle, og den gamle lenken slutter å virke.',
    loading: 'Laster invitasjoner…',
    label: 'Brukere og invitasjonene deres',
    name: 'Navn',
    email: 'E-post',
    state: 'Invitasjon',
    when: 'Utløper / godtatt',
    mailbox: 'Autorisert postboks',
    noEmail: 'Ingen e-post',
    retired: 'Sluttet',
    revoked: 'Tilbakekalt',
    states: {
      notInvited: 'Ikke invitert',
      invited: 'Invitert',
      accepted: 'Godtatt',
      expired: 'Utløpt',
      revoked: 'Tilbakekalt',
      failed: 'Ikke sendt',
    },
    whenText: {
      expires: (d) => `Utløper ${d}`,
      expired: (d) => `Utløp ${d}`,
      accepted: (d) => `Godtatt ${d}`,
      revoked: (d) => `Tilbakekalt ${d}`,
    },
    otherMailboxBadge: 'Annen postboks',
    otherMailbox: (address, invited) => `godtatt med en annen postboks: ${address} — invitasjonen tillot det (invitert: ${invited})`,
    outcome: {
      proposed: 'kobling foreslått: legg den til i hovedvisningen og Save Added Users',
      linked: 'koblet',
      associate_linked: (mailbox) => `ikke koblet: allerede koblet til ${mailbox}`,
      mailbox_linked: (associate) => `ikke koblet: postboksen er allerede koblet til ${associate}`,
    },
    empty: 'Ingen brukere er lastet.',
    formTitle: 'Invitasjons-e-post',
    sender: 'Avsenderpostboks',
    senderHint: 'Microsoft 365-postboksen invitasjonene sendes fra. Må fylles ut for å sende invitasjoner.',
    senderInvalid: 'Skriv inn e-postadressen til avsenderpostboksen, for eksempel crm-admin@contoso.com.',
    senderName: 'Avsendernavn',
    subject: 'Emne',
    message: 'Melding',
    placeholders:
      'Plassholdere: {name} blir brukerens navn, {link} den personlige invitasjonslenken, {expires} datoen lenken utløper, og {organisation} navnet på organisasjonen.',
    allowOther: 'La brukere autorisere en annen postboks enn adressen som ble invitert',
    linkOnAccept: 'Koble ved godkjenning',
    linkOnAcceptHint:
      'Kobler brukeren til postboksen de godtar med, med en gang (med mindre en av dem allerede er koblet). Ellers foreslås koblingen i hovedvisningen, og du lagrer den.',
    senderDefault: 'Starter med avsenderen som ble brukt sist, ellers din egen postboks.',
    lifetime: (days) => `Invitasjoner gjelder i ${days} ${days === 1 ? 'dag' : 'dager'} (angis under Autorisasjon av postbokser).`,
    selectUsers: 'Velg én eller flere brukere først.',
    progress: (done, total) => `Sendt ${done} av ${total}…`,
    stopping: 'Stopper etter gjeldende bunke…',
    reportTitle: (sent, processed, total) =>
      processed < total
        ? `Stoppet etter ${processed} av ${total} brukere: ${sent} ${sent === 1 ? 'invitasjon' : 'invitasjoner'} sendt.`
        : `${sent} ${sent === 1 ? 'invitasjon' : 'invitasjoner'} sendt til ${total} ${total === 1 ? 'valgt bruker' : 'valgte brukere'}.`,
    skippedTitle: (n) => `Ikke invitert: ${n}`,
    failedTitle: (n) => `Ikke sendt: ${n}`,
    skipReasons: {
      NoEmail: 'ingen e-post på kontaktkortet',
      Retired: 'har sluttet',
      UnknownAssociate: 'finnes ikke i SuperOffice',
    },
    failure: (name, email, message) => `${name} (${email}): ${message}`,
    selectOne: 'Velg nøyaktig én bruker for å kopiere en invitasjonslenke.',
    linkLabel: (name) => `Invitasjonslenke for ${name}`,
    linkNote:
      'Lenken vises bare denne ene gangen: gi den til brukeren nå. En ny lenke eller en ny invitasjon til denne brukeren erstatter den.',
    linkCopied: (name) => `Invitasjonslenken for ${name} er kopiert til utklippstavlen.`,
    linkNotCopied: 'Nettleseren tillot ikke kopiering til utklippstavlen: merk lenken nedenfor og kopier den.',
    linkSkipped: (name, reason) => `${name} ble ikke invitert: ${reason}.`,
    noOpenInvites: 'Ingen av de valgte brukerne har en åpen invitasjon.',
    noAuthorizations: 'Ingen av de valgte brukerne har autorisert en postboks.',
    onlySome: (affected, selected) => `Bare ${affected} av de ${selected} valgte brukerne berøres.`,
    revokeInvitesTitle: (n) => `Trekke tilbake ${n} ${n === 1 ? 'invitasjon' : 'invitasjoner'}?`,
    revokeInvitesBody: 'Invitasjonslenkene slutter å virke. Du kan invitere disse brukerne igjen senere.',
    revokeInvitesConfirm: 'Trekk tilbake invitasjoner',
    revokedInvites: (n) => `Trakk tilbake ${n} ${n === 1 ? 'invitasjon' : 'invitasjoner'}.`,
    revokeAuthTitle: (n) => `Trekke tilbake autorisasjonen for ${n} ${n === 1 ? 'bruker' : 'brukere'}?`,
    revokeAuthBody: 'Synkroniseringen stopper for postboksene deres, og Load External Users viser dem ikke lenger.',
    revokeAuthKept: 'Koblingene, valgene og synkroniseringshistorikken beholdes, og brukerne kan inviteres på nytt.',
    revokeAuthConfirm: 'Trekk tilbake autorisasjon',
    revokedAuthorizations: (n, links) =>
      `Trakk tilbake ${n} ${n === 1 ? 'autorisasjon' : 'autorisasjoner'}; ${links} ${links === 1 ? 'koblet bruker' : 'koblede brukere'} synkroniseres ikke lenger.`,
    andMore: (n) => `og ${n} til`,
  },
};
