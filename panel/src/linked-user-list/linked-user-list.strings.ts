import { numberRange, type Lang } from '../i18n/locale.js';
import type { KindState, SyncState } from '../logic/types.js';

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
  /** The Status column: where synchronization of each user stands. */
  status: string;
  statuses: Readonly<Record<SyncState | 'notSaved', string>>;
  /** The status cell's title: when the user was last synchronized, and how many items are in sync. */
  lastSuccess: (when: string) => string;
  neverSynchronized: string;
  itemsInSync: (n: string) => string;
  /** After an error or throttling: when the synchronizer tries again. */
  nextAttempt: (when: string) => string;
  /** The Status filter: its label, "All (12)", and each state as a filter ("Errors"). */
  filterLabel: string;
  filterAll: (n: string) => string;
  filterStates: Readonly<Record<SyncState | 'notSaved', string>>;
  /** Each kind on its own (Diary, Task, Contact): its state in words, as "Task: Error". */
  kindStates: Readonly<Record<KindState, string>>;
  kindLine: (kind: string, state: string) => string;
  /** What a kind's last good pass did. */
  lastPassCounts: (created: string, updated: string, deleted: string, conflicts: string) => string;
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
    rankInvalid: `Whole number ${numberRange(1, 99)}.`,
    empty: 'No linked users yet.',
    status: 'Status',
    statuses: {
      in_sync: 'In sync',
      syncing: 'Synchronizing',
      pending: 'Waiting',
      throttled: 'Throttled',
      error: 'Error',
      breaker: 'Stopped (breaker)',
      disabled: 'Disabled',
      waiting_authorization: 'Awaiting authorization',
      notSaved: 'Not saved',
    },
    lastSuccess: (when) => `Last synchronized ${when}.`,
    neverSynchronized: 'Not synchronized yet.',
    itemsInSync: (n) => `${n} ${n === '1' ? 'item' : 'items'} in sync.`,
    nextAttempt: (when) => `Next attempt ${when}.`,
    filterLabel: 'Show',
    filterAll: (n) => `All (${n})`,
    filterStates: {
      breaker: 'Stopped by the breaker',
      error: 'Errors',
      throttled: 'Throttled',
      waiting_authorization: 'Awaiting authorization',
      pending: 'Waiting',
      syncing: 'Synchronizing',
      in_sync: 'In sync',
      disabled: 'Disabled',
      notSaved: 'Not saved',
    },
    kindStates: {
      off: 'Off',
      pending: 'Waiting',
      in_sync: 'In sync',
      throttled: 'Throttled',
      error: 'Error',
      breaker: 'Stopped',
      waiting_authorization: 'Awaiting authorization',
    },
    kindLine: (kind, state) => `${kind}: ${state}`,
    lastPassCounts: (c, u, d, x) => `Last pass: ${c} created, ${u} updated, ${d} deleted, ${x} ${x === '1' ? 'conflict' : 'conflicts'}.`,
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
    rankInvalid: `Heltall ${numberRange(1, 99)}.`,
    empty: 'Ingen koblede brukere ennå.',
    status: 'Status',
    statuses: {
      in_sync: 'Synkronisert',
      syncing: 'Synkroniserer',
      pending: 'Venter',
      throttled: 'Strupet',
      error: 'Feil',
      breaker: 'Stoppet (sikring)',
      disabled: 'Deaktivert',
      waiting_authorization: 'Venter på autorisasjon',
      notSaved: 'Ikke lagret',
    },
    lastSuccess: (when) => `Sist synkronisert ${when}.`,
    neverSynchronized: 'Ikke synkronisert ennå.',
    itemsInSync: (n) => `${n} ${n === '1' ? 'element' : 'elementer'} synkronisert.`,
    nextAttempt: (when) => `Neste forsøk ${when}.`,
    filterLabel: 'Vis',
    filterAll: (n) => `Alle (${n})`,
    filterStates: {
      breaker: 'Stoppet av sikringen',
      error: 'Feil',
      throttled: 'Strupet',
      waiting_authorization: 'Venter på autorisasjon',
      pending: 'Venter',
      syncing: 'Synkroniserer',
      in_sync: 'Synkronisert',
      disabled: 'Deaktivert',
      notSaved: 'Ikke lagret',
    },
    kindStates: {
      off: 'Av',
      pending: 'Venter',
      in_sync: 'Synkronisert',
      throttled: 'Strupet',
      error: 'Feil',
      breaker: 'Stoppet',
      waiting_authorization: 'Venter på autorisasjon',
    },
    kindLine: (kind, state) => `${kind}: ${state}`,
    lastPassCounts: (c, u, d, x) => `Siste kjøring: ${c} opprettet, ${u} endret, ${d} slettet, ${x} ${x === '1' ? 'konflikt' : 'konflikter'}.`,
  },
};
