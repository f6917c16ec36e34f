import type { Lang } from '../i18n/locale.js';
import type { MailboxKind } from '../logic/types.js';

/** What the panel shows for a mailbox: a checked kind, or not checked yet. */
export type MailboxState = MailboxKind | 'notChecked';

/** Every visible and aria string of `so-mailbox-list`. */
export interface MailboxListStrings {
  label: string;
  displayName: string;
  primaryAddress: string;
  state: string;
  account: string;
  linkedTo: string;
  states: Readonly<Record<MailboxState, string>>;
  guest: string;
  disabled: string;
  noAddress: string;
  empty: string;
}

export const mailboxListStrings: Readonly<Record<Lang, MailboxListStrings>> = {
  en: {
    label: 'Exchange mailboxes',
    displayName: 'Display name',
    primaryAddress: 'Primary address',
    state: 'State',
    account: 'Account',
    linkedTo: 'Linked to',
    states: {
      user: 'Mailbox',
      shared: 'Shared',
      room: 'Room',
      equipment: 'Equipment',
      linked: 'Linked mailbox',
      others: 'Other mailbox',
      noMailbox: 'No mailbox',
      notFound: 'Not found',
      unknown: 'Unknown',
      notChecked: 'Not checked',
    },
    guest: 'Guest',
    disabled: 'Disabled',
    noAddress: 'No address',
    empty: 'No mailboxes loaded.',
  },
  nb: {
    label: 'Exchange-postbokser',
    displayName: 'Visningsnavn',
    primaryAddress: 'Primæradresse',
    state: 'Tilstand',
    account: 'Konto',
    linkedTo: 'Koblet til',
    states: {
      user: 'Postboks',
      shared: 'Delt',
      room: 'Rom',
      equipment: 'Utstyr',
      linked: 'Koblet postboks',
      others: 'Annen postboks',
      noMailbox: 'Ingen postboks',
      notFound: 'Ikke funnet',
      unknown: 'Ukjent',
      notChecked: 'Ikke sjekket',
    },
    guest: 'Gjest',
    disabled: 'Deaktivert',
    noAddress: 'Ingen adresse',
    empty: 'Ingen postbokser er lastet.',
  },
};
