import type { Lang } from '../i18n/locale.js';
import type { MailboxRefusal } from '../logic/auto-link.js';

/** The report's categories other than the proposals, in the order the review shows them. */
export type ReviewCategory =
  | 'alreadyLinked'
  | 'severalMatches'
  | 'sharedMailbox'
  | 'noExchangeMailbox'
  | 'notUserMailbox'
  | 'guestOrDisabled'
  | 'noMatch'
  | 'noEmail'
  | 'retired';

/** Every visible and aria string of `so-auto-link-review`. */
export interface AutoLinkReviewStrings {
  title: string;
  /** The line above the counts: proposals, how many are ticked, how many to check. */
  proposed: (proposals: number, ticked: number, toCheck: number) => string;
  /** Accessible name of the scrolling list of proposals and reasons. */
  body: string;
  proposals: string;
  categories: Readonly<Record<ReviewCategory, string>>;
  /** A category that needs the administrator's attention (not linked for a reason they can fix). */
  attention: string;
  /** How a proposal matched. */
  byPrimary: string;
  byAlias: (email: string) => string;
  byUpn: (email: string) => string;
  /** "Ada → ada@m365.example" as a checkbox label. */
  pair: (associate: string, mailbox: string) => string;
  tickAll: string;
  untickAll: string;
  showAll: (more: number) => string;
  /** Already linked: the associate has a link. */
  associateLinked: (address: string) => string;
  /** Already linked: their one match is another associate's mailbox. */
  mailboxLinked: (address: string, associate: string, associateId: number) => string;
  severalMatches: (email: string, candidates: string) => string;
  sharedMailbox: (address: string, others: string) => string;
  candidates: (list: string) => string;
  refusals: Readonly<Record<MailboxRefusal, string>>;
  noMatch: (email: string) => string;
  cancel: string;
  add: (n: number) => string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export const autoLinkReviewStrings: Readonly<Record<Lang, AutoLinkReviewStrings>> = {
  en: {
    title: 'Auto Link Users: review the proposals',
    proposed: (n, ticked, toCheck) =>
      `${plural(n, 'link', 'links')} proposed, ${ticked} ticked.${toCheck > 0 ? ` ${plural(toCheck, 'was', 'were')} matched by alias or UPN: check ${toCheck === 1 ? 'it' : 'them'}.` : ''}`,
    body: 'Proposals and associates not linked',
    proposals: 'Proposed links',
    categories: {
      alreadyLinked: 'Already linked',
      severalMatches: 'Several matching mailboxes',
      sharedMailbox: 'Several associates match the same mailbox',
      noExchangeMailbox: 'No Exchange Online mailbox',
      notUserMailbox: 'Not a user mailbox (shared, room or equipment)',
      guestOrDisabled: 'Only a guest or disabled account matches',
      noMatch: 'No matching mailbox',
      noEmail: 'No email on the contact card',
      retired: 'Retired',
    },
    attention: 'needs attention',
    byPrimary: 'Primary address',
    byAlias: (email) => `Alias ${email}: check`,
    byUpn: (email) => `Sign-in name (UPN) ${email}: check`,
    pair: (a, m) => `${a} → ${m}`,
    tickAll: 'Tick all',
    untickAll: 'Untick all',
    showAll: (more) => `Show ${more} more`,
    associateLinked: (address) => `already linked to ${address}`,
    mailboxLinked: (address, associate, id) => `mailbox ${address} is linked to ${associate} (#${id})`,
    severalMatches: (email, candidates) => `${email} matches ${candidates}`,
    sharedMailbox: (address, others) => `${address} also matches ${others}`,
    candidates: (list) => `only ${list}`,
    refusals: { guest: 'guest', disabled: 'disabled', noExchangeMailbox: 'no Exchange Online mailbox', notUserMailbox: 'not a user mailbox' },
    noMatch: (email) => `no mailbox has ${email}`,
    cancel: 'Cancel',
    add: (n) => `Add ${plural(n, 'link', 'links')}`,
  },
  nb: {
    title: 'Koble brukere automatisk: gå gjennom forslagene',
    proposed: (n, ticked, toCheck) =>
      `${n} ${n === 1 ? 'kobling' : 'koblinger'} foreslått, ${ticked} avkrysset.${toCheck > 0 ? ` ${toCheck} ble funnet via alias eller UPN: kontroller ${toCheck === 1 ? 'den' : 'dem'}.` : ''}`,
    body: 'Forslag og brukere som ikke ble koblet',
    proposals: 'Foreslåtte koblinger',
    categories: {
      alreadyLinked: 'Allerede koblet',
      severalMatches: 'Flere samsvarende postbokser',
      sharedMailbox: 'Flere brukere samsvarer med samme postboks',
      noExchangeMailbox: 'Ingen Exchange Online-postboks',
      notUserMailbox: 'Ikke en brukerpostboks (delt, rom eller utstyr)',
      guestOrDisabled: 'Bare en gjest eller deaktivert konto samsvarer',
      noMatch: 'Ingen samsvarende postboks',
      noEmail: 'Ingen e-post på kontaktkortet',
      retired: 'Sluttet',
    },
    attention: 'trenger oppmerksomhet',
    byPrimary: 'Primæradresse',
    byAlias: (email) => `Alias ${email}: kontroller`,
    byUpn: (email) => `Påloggingsnavn (UPN) ${email}: kontroller`,
    pair: (a, m) => `${a} → ${m}`,
    tickAll: 'Kryss av alle',
    untickAll: 'Fjern alle kryss',
    showAll: (more) => `Vis ${more} til`,
    associateLinked: (address) => `allerede koblet til ${address}`,
    mailboxLinked: (address, associate, id) => `postboksen ${address} er koblet til ${associate} (#${id})`,
    severalMatches: (email, candidates) => `${email} samsvarer med ${candidates}`,
    sharedMailbox: (address, others) => `${address} samsvarer også med ${others}`,
    candidates: (list) => `bare ${list}`,
    refusals: { guest: 'gjest', disabled: 'deaktivert', noExchangeMailbox: 'ingen Exchange Online-postboks', notUserMailbox: 'ikke en brukerpostboks' },
    noMatch: (email) => `ingen postboks har ${email}`,
    cancel: 'Avbryt',
    add: (n) => `Legg til ${n} ${n === 1 ? 'kobling' : 'koblinger'}`,
  },
};
