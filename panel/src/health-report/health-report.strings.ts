import type { Lang } from '../i18n/locale.js';
import type { HealthProblemKind } from '../../../backend/contract.js';

/** Every visible and aria string of `so-health-report`. */
export interface HealthReportStrings {
  title: string;
  intro: string;
  refresh: string;
  loading: string;
  computedAt: (when: string) => string;
  none: string;
  ignoredCount: (n: number) => string;
  /** Per kind: the group's heading and what it means. */
  kinds: Readonly<Record<HealthProblemKind, { title: string; hint: string }>>;
  since: (when: string) => string;
  remove: string;
  update: string;
  link: string;
  inviteAgain: string;
  resume: string;
  syncNow: string;
  ignore: string;
  confirmRemoveTitle: (name: string) => string;
  confirmRemoveBody: (items: number) => string;
  confirmRemove: string;
  cancel: string;
  done: (name: string) => string;
  actionsFor: (name: string) => string;
}

export const healthReportStrings: Readonly<Record<Lang, HealthReportStrings>> = {
  en: {
    title: 'Health',
    intro: 'What needs attention: linked users whose SuperOffice or Microsoft 365 side changed, users who could be linked, and synchronization that stopped. Each row has its fix.',
    refresh: 'Refresh',
    loading: 'Checking SuperOffice and Microsoft 365…',
    computedAt: (when) => `Checked ${when}.`,
    none: 'Nothing needs attention.',
    ignoredCount: (n) => `${n} ignored ${n === 1 ? 'problem is' : 'problems are'} not shown.`,
    kinds: {
      associate_retired: { title: 'Retired associates', hint: 'The associate is retired or no longer in SuperOffice.' },
      associate_email_missing: { title: 'No email on the contact card', hint: 'The contact card of the associate has no email address.' },
      mailbox_deleted: { title: 'Deleted mailboxes', hint: 'The mailbox no longer exists in Microsoft 365.' },
      mailbox_disabled: { title: 'Disabled accounts', hint: 'Sign-in is blocked for the Microsoft 365 account.' },
      mailbox_not_user: { title: 'Not a user mailbox', hint: 'The mailbox became a shared, room or equipment mailbox, or is a guest.' },
      mailbox_unlicensed: { title: 'No Exchange Online licence', hint: 'The user lost the Exchange Online licence.' },
      email_mismatch: { title: 'Email differs from the mailbox', hint: "The contact-card email is not the mailbox's primary address." },
      unlinked_match: { title: 'Could be linked', hint: 'An active associate whose email matches a free user mailbox.' },
      grant_lost: { title: 'Authorization lost', hint: "The mailbox owner's authorization expired or was revoked (OAuth mode)." },
      sync_breaker: { title: 'Stopped by the circuit breaker', hint: 'Synchronization stopped before deleting many items.' },
      sync_error: { title: 'In error for more than a day', hint: 'Synchronization has failed since the date shown.' },
    },
    since: (when) => `since ${when}`,
    remove: 'Remove',
    update: 'Update the link',
    link: 'Link',
    inviteAgain: 'Invite again',
    resume: 'Resume',
    syncNow: 'Sync now',
    ignore: 'Ignore',
    confirmRemoveTitle: (name) => `Remove ${name}?`,
    confirmRemoveBody: (items) => `The link and its synchronization history (${items} items) are removed. The items stay in SuperOffice and Outlook.`,
    confirmRemove: 'Remove',
    cancel: 'Cancel',
    done: (name) => `Done: ${name}.`,
    actionsFor: (name) => `Fixes for ${name}`,
  },
  nb: {
    title: 'Helse',
    intro: 'Det som trenger oppmerksomhet: koblede brukere der SuperOffice- eller Microsoft 365-siden er endret, brukere som kan kobles, og synkronisering som har stoppet. Hver rad har sin løsning.',
    refresh: 'Oppdater',
    loading: 'Sjekker SuperOffice og Microsoft 365…',
    computedAt: (when) => `Sjekket ${when}.`,
    none: 'Ingenting trenger oppmerksomhet.',
    ignoredCount: (n) => `${n} ${n === 1 ? 'ignorert problem' : 'ignorerte problemer'} vises ikke.`,
    kinds: {
      associate_retired: { title: 'Medarbeidere som har sluttet', hint: 'Medarbeideren har sluttet eller finnes ikke lenger i SuperOffice.' },
      associate_email_missing: { title: 'Ingen e-post på kontaktkortet', hint: 'Kontaktkortet til medarbeideren har ingen e-postadresse.' },
      mailbox_deleted: { title: 'Slettede postbokser', hint: 'Postboksen finnes ikke lenger i Microsoft 365.' },
      mailbox_disabled: { title: 'Deaktiverte kontoer', hint: 'Pålogging er blokkert for Microsoft 365-kontoen.' },
      mailbox_not_user: { title: 'Ikke en brukerpostboks', hint: 'Postboksen er blitt en delt postboks, et rom eller utstyr, eller er en gjest.' },
      mailbox_unlicensed: { title: 'Ingen Exchange Online-lisens', hint: 'Brukeren har mistet Exchange Online-lisensen.' },
      email_mismatch: { title: 'E-posten er ikke postboksens', hint: 'E-posten på kontaktkortet er ikke postboksens primæradresse.' },
      unlinked_match: { title: 'Kan kobles', hint: 'En aktiv medarbeider med e-post som passer til en ledig brukerpostboks.' },
      grant_lost: { title: 'Autorisasjon tapt', hint: 'Postbokseierens autorisasjon er utløpt eller trukket tilbake (OAuth-modus).' },
      sync_breaker: { title: 'Stoppet av sikringen', hint: 'Synkroniseringen stoppet før den ville slettet mange elementer.' },
      sync_error: { title: 'Feil i mer enn ett døgn', hint: 'Synkroniseringen har feilet siden datoen som vises.' },
    },
    since: (when) => `siden ${when}`,
    remove: 'Fjern',
    update: 'Oppdater koblingen',
    link: 'Koble',
    inviteAgain: 'Inviter på nytt',
    resume: 'Gjenoppta',
    syncNow: 'Synkroniser nå',
    ignore: 'Ignorer',
    confirmRemoveTitle: (name) => `Fjerne ${name}?`,
    confirmRemoveBody: (items) => `Koblingen og synkroniseringshistorikken (${items} elementer) fjernes. Elementene blir værende i SuperOffice og Outlook.`,
    confirmRemove: 'Fjern',
    cancel: 'Avbryt',
    done: (name) => `Utført: ${name}.`,
    actionsFor: (name) => `Løsninger for ${name}`,
  },
};
