import type { Lang } from '../i18n/locale.js';

/** Every visible and aria string of `so-rank-balance`. */
export interface RankBalanceStrings {
  title: string;
  intro: string;
  loading: string;
  rank: string;
  users: string;
  items: string;
  requests: string;
  throttled: string;
  choose: string;
  propose: string;
  apply: string;
  proposeAgain: string;
  noMoves: string;
  moves: string;
  user: string;
  from: string;
  to: string;
  load: string;
  spread: (before: number, after: number) => string;
  applied: (n: number) => string;
  conflict: string;
  chooseOne: string;
}

export const rankBalanceStrings: Readonly<Record<Lang, RankBalanceStrings>> = {
  en: {
    title: 'Server Ranks',
    intro: 'What each Server Rank costs the sync in the last 24 hours. Load = Graph requests + items in sync. Choose the ranks to even the load across and propose; nothing changes until you apply.',
    loading: 'Loading…',
    rank: 'Server Rank',
    users: 'Users',
    items: 'Items in sync',
    requests: 'Graph requests',
    throttled: 'Throttled (429)',
    choose: 'Even the load across these ranks',
    propose: 'Propose',
    apply: 'Apply',
    proposeAgain: 'Propose again',
    noMoves: 'The load is as even as moving users can make it: nothing to change.',
    moves: 'Proposed moves',
    user: 'User',
    from: 'From rank',
    to: 'To rank',
    load: 'Load',
    spread: (before, after) => `Spread (most loaded − least loaded rank): ${before} before, ${after} after.`,
    applied: (n) => `${n} users moved.`,
    conflict: 'Someone changed some of these users since the proposal; nothing was saved. Propose again.',
    chooseOne: 'Choose at least one rank.',
  },
  nb: {
    title: 'Serverrangering',
    intro: 'Hva hver serverrangering koster synkroniseringen de siste 24 timene. Last = Graph-forespørsler + elementer i synk. Velg rangeringene lasten skal jevnes ut over og foreslå; ingenting endres før du bruker forslaget.',
    loading: 'Laster …',
    rank: 'Serverrangering',
    users: 'Brukere',
    items: 'Elementer i synk',
    requests: 'Graph-forespørsler',
    throttled: 'Strupet (429)',
    choose: 'Jevn ut lasten over disse rangeringene',
    propose: 'Foreslå',
    apply: 'Bruk',
    proposeAgain: 'Foreslå på nytt',
    noMoves: 'Lasten er så jevn som flytting av brukere kan gjøre den: ingenting å endre.',
    moves: 'Foreslåtte flyttinger',
    user: 'Bruker',
    from: 'Fra rangering',
    to: 'Til rangering',
    load: 'Last',
    spread: (before, after) => `Spredning (mest belastet − minst belastet rangering): ${before} før, ${after} etter.`,
    applied: (n) => `${n} brukere flyttet.`,
    conflict: 'Noen har endret noen av disse brukerne siden forslaget; ingenting ble lagret. Foreslå på nytt.',
    chooseOne: 'Velg minst én rangering.',
  },
};
