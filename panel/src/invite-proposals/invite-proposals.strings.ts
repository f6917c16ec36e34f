import type { Lang } from '../i18n/locale.js';

/** Every visible and aria string of `so-invite-proposals`. */
export interface InviteProposalsStrings {
  title: (n: number) => string;
  intro: string;
  pair: (name: string, mailbox: string) => string;
  other: string;
  add: string;
  added: (n: number) => string;
  selectSome: string;
}

export const inviteProposalsStrings: Readonly<Record<Lang, InviteProposalsStrings>> = {
  en: {
    title: (n) => `Accepted invites: ${n} ${n === 1 ? 'link' : 'links'} proposed`,
    intro: 'These users accepted an invite with the mailbox shown. Add the ones you want as links, then press Save Added Users.',
    pair: (name, mailbox) => `${name} → ${mailbox}`,
    other: 'another mailbox than invited',
    add: 'Add as unsaved links',
    added: (n) => `Added ${n} ${n === 1 ? 'link' : 'links'} (unsaved until Save Added Users).`,
    selectSome: 'Tick at least one proposal.',
  },
  nb: {
    title: (n) => `Godtatte invitasjoner: ${n} ${n === 1 ? 'kobling' : 'koblinger'} foreslått`,
    intro: 'Disse brukerne godtok en invitasjon med postboksen som vises. Legg til dem du vil koble, og trykk Save Added Users.',
    pair: (name, mailbox) => `${name} → ${mailbox}`,
    other: 'en annen postboks enn den inviterte',
    add: 'Legg til som ulagrede koblinger',
    added: (n) => `La til ${n} ${n === 1 ? 'kobling' : 'koblinger'} (ulagret til Save Added Users).`,
    selectSome: 'Kryss av minst ett forslag.',
  },
};
