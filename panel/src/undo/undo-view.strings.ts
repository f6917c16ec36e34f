import type { Lang } from '../i18n/locale.js';
import type { UndoKind } from '../../../backend/contract.js';

/** Every visible and aria string of `so-undo-view`. */
export interface UndoStrings {
  actionsTitle: string;
  removedTitle: string;
  loading: string;
  noActions: string;
  noRemoved: string;
  kind: Record<UndoKind, string>;
  when: string;
  who: string;
  what: string;
  until: string;
  users: (n: number) => string;
  andMore: (n: number) => string;
  undo: string;
  undoLabel: (what: string, when: string) => string;
  name: string;
  mailbox: string;
  options: string;
  rank: string;
  removed: string;
  mappings: string;
  select: (name: string) => string;
  selectAll: string;
  restore: (n: number) => string;
  purge: (n: number) => string;
  removedBy: (when: string, who: string) => string;
  optionNames: { diary: string; task: string; contact: string; none: string };
  purgeTitle: (n: number) => string;
  purgeBody: (users: number, mappings: number) => string;
  purgeConfirm: string;
  cancel: string;
  undone: (what: string) => string;
  restored: (n: number) => string;
  purged: (n: number, mappings: number) => string;
  intro: string;
}

const en = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export const strings: Readonly<Record<Lang, UndoStrings>> = {
  en: {
    actionsTitle: 'Recent actions',
    removedTitle: 'Removed users',
    loading: 'Loading…',
    noActions: 'Nothing to undo from the last 30 days.',
    noRemoved: 'No removed users to restore.',
    kind: { 'links.added': 'Save Added Users', 'links.options_saved': 'Save Users Options', 'links.removed': 'Remove Selected Users' },
    when: 'When',
    who: 'Who',
    what: 'What',
    until: 'Until',
    users: (n) => en(n, 'user', 'users'),
    andMore: (n) => `and ${n} more`,
    undo: 'Undo',
    undoLabel: (what, when) => `Undo ${what} of ${when}`,
    name: 'Name',
    mailbox: 'Mailbox',
    options: 'Options',
    rank: 'Server Rank',
    removed: 'Removed',
    mappings: 'Mappings',
    select: (name) => `Select ${name}`,
    selectAll: 'Select all removed users',
    restore: (n) => (n > 0 ? `Restore ${en(n, 'user', 'users')}` : 'Restore'),
    purge: (n) => (n > 0 ? `Purge ${en(n, 'user', 'users')}` : 'Purge'),
    removedBy: (when, who) => `${when} by ${who}`,
    optionNames: { diary: 'Diary', task: 'Task', contact: 'Contact', none: 'none' },
    purgeTitle: (n) => `Purge ${en(n, 'removed user', 'removed users')} for good?`,
    purgeBody: (u, m) =>
      `This deletes ${en(u, 'removed user', 'removed users')} and ${en(m, 'mapping', 'mappings')} (which SuperOffice item is which Outlook item) for good. They cannot be restored afterwards. The items themselves stay in SuperOffice and Outlook.`,
    purgeConfirm: 'Purge for good',
    cancel: 'Cancel',
    undone: (what) => `Undid ${what}.`,
    restored: (n) => `Restored ${en(n, 'user', 'users')}, with their options, rank and mappings.`,
    purged: (n, m) => `Purged ${en(n, 'user', 'users')} and ${en(m, 'mapping', 'mappings')} for good.`,
    intro: 'Save Added Users, Save Users Options and Remove Selected Users can be undone for 30 days; removed users can be restored exactly for 30 days, then they are purged.',
  },
  nb: {
    actionsTitle: 'Siste handlinger',
    removedTitle: 'Fjernede brukere',
    loading: 'Laster …',
    noActions: 'Ingenting å angre fra de siste 30 dagene.',
    noRemoved: 'Ingen fjernede brukere å gjenopprette.',
    kind: { 'links.added': 'Save Added Users', 'links.options_saved': 'Save Users Options', 'links.removed': 'Remove Selected Users' },
    when: 'Når',
    who: 'Hvem',
    what: 'Hva',
    until: 'Til',
    users: (n) => `${n} ${n === 1 ? 'bruker' : 'brukere'}`,
    andMore: (n) => `og ${n} til`,
    undo: 'Angre',
    undoLabel: (what, when) => `Angre ${what} fra ${when}`,
    name: 'Navn',
    mailbox: 'Postboks',
    options: 'Valg',
    rank: 'Server Rank',
    removed: 'Fjernet',
    mappings: 'Koblinger',
    select: (name) => `Velg ${name}`,
    selectAll: 'Velg alle fjernede brukere',
    restore: (n) => (n > 0 ? `Gjenopprett ${n} ${n === 1 ? 'bruker' : 'brukere'}` : 'Gjenopprett'),
    purge: (n) => (n > 0 ? `Slett ${n} ${n === 1 ? 'bruker' : 'brukere'} for godt` : 'Slett for godt'),
    removedBy: (when, who) => `${when} av ${who}`,
    optionNames: { diary: 'Diary', task: 'Task', contact: 'Contact', none: 'ingen' },
    purgeTitle: (n) => `Slette ${n} ${n === 1 ? 'fjernet bruker' : 'fjernede brukere'} for godt?`,
    purgeBody: (u, m) =>
      `Dette sletter ${u} ${u === 1 ? 'fjernet bruker' : 'fjernede brukere'} og ${m} ${m === 1 ? 'kobling' : 'koblinger'} (hvilket SuperOffice-element som er hvilket Outlook-element) for godt. De kan ikke gjenopprettes etterpå. Selve elementene blir værende i SuperOffice og Outlook.`,
    purgeConfirm: 'Slett for godt',
    cancel: 'Avbryt',
    undone: (what) => `Angret ${what}.`,
    restored: (n) => `Gjenopprettet ${n} ${n === 1 ? 'bruker' : 'brukere'}, med valg, rang og koblinger.`,
    purged: (n, m) => `Slettet ${n} ${n === 1 ? 'bruker' : 'brukere'} og ${m} ${m === 1 ? 'kobling' : 'koblinger'} for godt.`,
    intro: 'Save Added Users, Save Users Options og Remove Selected Users kan angres i 30 dager; fjernede brukere kan gjenopprettes nøyaktig i 30 dager, deretter slettes de.',
  },
};
