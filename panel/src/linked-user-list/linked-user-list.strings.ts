import type { Lang } from '../i18n/locale.js';

/** Every visible and aria string of `so-linked-user-list`. */
export interface LinkedUserListStrings {
  label: string;
  associate: string;
  mailbox: string;
  diary: string;
  task: string;
  contact: string;
  rank: string;
  state: string;
  /** Accessible name of a row's control, e.g. "Diary for Ada Lovelace". */
  optionFor: (option: string, associate: string) => string;
  saved: string;
  added: string;
  modified: string;
  disabled: string;
  /** OAuth mode: a saved link whose mailbox is not authorized. */
  notSynchronized: string;
  authorization: string;
  authorizations: { authorized: string; revoked: string; missing: string; notSaved: string };
  rankInvalid: string;
  empty: string;
}

export const linkedUserListStrings: Readonly<Record<Lang, LinkedUserListStrings>> = {
  en: {
    label: 'Linked Users for Synchronization',
    associate: 'Associate',
    mailbox: 'Mailbox',
    diary: 'Diary',
    task: 'Task',
    contact: 'Contact',
    rank: 'Server Rank',
    state: 'State',
    optionFor: (option, associate) => `${option} for ${associate}`,
    saved: 'Saved',
    added: 'Unsaved (added)',
    modified: 'Modified',
    disabled: 'Disabled',
    notSynchronized: 'Not synchronized',
    authorization: 'Authorization',
    authorizations: { authorized: 'Authorized', revoked: 'Revoked', missing: 'Not authorized', notSaved: 'Not saved' },
    rankInvalid: 'Whole number 1–99.',
    empty: 'No linked users yet.',
  },
  nb: {
    label: 'Koblede brukere for synkronisering',
    associate: 'Bruker',
    mailbox: 'Postboks',
    // Option labels stay as admins know them from the product, in every language.
    diary: 'Diary',
    task: 'Task',
    contact: 'Contact',
    rank: 'Server Rank',
    state: 'Tilstand',
    optionFor: (option, associate) => `${option} for ${associate}`,
    saved: 'Lagret',
    added: 'Ikke lagret (lagt til)',
    modified: 'Endret',
    disabled: 'Deaktivert',
    notSynchronized: 'Synkroniseres ikke',
    authorization: 'Autorisasjon',
    authorizations: { authorized: 'Autorisert', revoked: 'Tilbakekalt', missing: 'Ikke autorisert', notSaved: 'Ikke lagret' },
    rankInvalid: 'Heltall 1–99.',
    empty: 'Ingen koblede brukere ennå.',
  },
};
