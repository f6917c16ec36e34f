import type { Verdict } from '../../../backend/contract.js';
import type { Lang } from '../i18n/locale.js';

export interface WhySyncStrings {
  title: string;
  intro: string;
  user: string;
  chooseUser: string;
  kind: string;
  anyKind: string;
  diary: string;
  task: string;
  contact: string;
  date: string;
  subject: string;
  explain: string;
  explaining: string;
  needSearch: string;
  needName: string;
  needUser: string;
  nothingFound: string;
  truncated: string;
  item: string;
  side: string;
  start: string;
  verdictHead: string;
  todo: string;
  superoffice: string;
  outlook: string;
  resume: string;
  resumed: string;
  verdicts: Record<Verdict, string>;
  advice: Partial<Record<Verdict, string>>;
}

/** The tool's words, en and nb (the engine's detail comes from the API, in English). */
export const whySyncStrings: Readonly<Record<Lang, WhySyncStrings>> = {
  en: {
    title: "Why didn't this sync?",
    intro: 'Pick a linked user and a day or a subject: each item found on both sides, with what the sync engine decides about it.',
    user: 'Linked user',
    chooseUser: 'Choose a user',
    kind: 'Kind',
    anyKind: 'Any (a subject also finds contacts by name)',
    diary: 'Diary',
    task: 'Task',
    contact: 'Contact',
    date: 'Date',
    subject: 'Subject',
    explain: 'Explain',
    explaining: 'Reading both sides…',
    needSearch: 'Give a date, a subject, or both.',
    needName: "Contacts are found by name: give the person's name as the subject.",
    needUser: 'Choose a linked user.',
    nothingFound: 'No items found on that day or with that subject.',
    truncated: 'More items matched than are shown: narrow the search.',
    item: 'Item',
    side: 'Where',
    start: 'When',
    verdictHead: 'Answer',
    todo: 'What to do',
    superoffice: 'SuperOffice',
    outlook: 'Outlook',
    resume: 'Resume synchronization',
    resumed: 'Resumed: the next pass runs soon.',
    verdicts: {
      synced: 'In sync',
      pending: 'Syncs on the next pass',
      out_of_window: 'Outside the sync window',
      kind_disabled: 'Kind turned off',
      filtered_type: 'A type that does not sync',
      not_tagged: 'Not one of ours',
      deleted: 'Deleted',
      conflict: 'Conflict decided',
      error: 'Error',
      breaker: 'Stopped by the circuit breaker',
      detached: 'No longer linked to its copy',
    },
    advice: {
      out_of_window: 'Widen the sync window in the sync settings, or nothing: it syncs once it is inside.',
      kind_disabled: "Turn the kind on in the user's options and save.",
      filtered_type: 'Nothing: items of this type are not synchronized. For a contact: make this user its "Our contact" in SuperOffice.',
      not_tagged: 'Move it where the sync reads (our list), or create it in SuperOffice.',
      conflict: 'Check the kept value; change it again if the other one was right.',
      error: 'Fix the cause named here; the next pass tries again.',
      breaker: 'Check what would be deleted, then resume.',
      pending: 'Nothing, or Sync now to run the pass at once.',
    },
  },
  nb: {
    title: 'Hvorfor ble dette ikke synkronisert?',
    intro: 'Velg en koblet bruker og en dag eller et emne: hvert element som finnes på begge sider, med hva synkroniseringsmotoren avgjør om det.',
    user: 'Koblet bruker',
    chooseUser: 'Velg en bruker',
    kind: 'Type',
    anyKind: 'Alle (et emne finner også kontakter etter navn)',
    diary: 'Dagbok',
    task: 'Oppgave',
    contact: 'Kontakt',
    date: 'Dato',
    subject: 'Emne',
    explain: 'Forklar',
    explaining: 'Leser begge sider…',
    needSearch: 'Oppgi en dato, et emne eller begge.',
    needName: 'Kontakter finnes etter navn: oppgi personens navn som emne.',
    needUser: 'Velg en koblet bruker.',
    nothingFound: 'Fant ingen elementer den dagen eller med det emnet.',
    truncated: 'Flere elementer passet enn det som vises: snevre inn søket.',
    item: 'Element',
    side: 'Hvor',
    start: 'Når',
    verdictHead: 'Svar',
    todo: 'Hva du kan gjøre',
    superoffice: 'SuperOffice',
    outlook: 'Outlook',
    resume: 'Gjenoppta synkroniseringen',
    resumed: 'Gjenopptatt: neste kjøring starter snart.',
    verdicts: {
      synced: 'Synkronisert',
      pending: 'Synkroniseres ved neste kjøring',
      out_of_window: 'Utenfor synkroniseringsvinduet',
      kind_disabled: 'Typen er slått av',
      filtered_type: 'En type som ikke synkroniseres',
      not_tagged: 'Ikke et av våre',
      deleted: 'Slettet',
      conflict: 'Konflikt avgjort',
      error: 'Feil',
      breaker: 'Stoppet av sikringen',
      detached: 'Ikke lenger koblet til kopien',
    },
    advice: {
      out_of_window: 'Utvid synkroniseringsvinduet i innstillingene, eller ingenting: det synkroniseres når det er innenfor.',
      kind_disabled: 'Slå på typen i brukerens valg og lagre.',
      filtered_type: 'Ingenting: elementer av denne typen synkroniseres ikke. For en kontakt: gjør denne brukeren til «Vår kontakt» i SuperOffice.',
      not_tagged: 'Flytt det dit synkroniseringen leser (vår liste), eller opprett det i SuperOffice.',
      conflict: 'Sjekk verdien som ble beholdt; endre den igjen hvis den andre var riktig.',
      error: 'Rett årsaken som er nevnt; neste kjøring prøver igjen.',
      breaker: 'Sjekk hva som ville blitt slettet, og gjenoppta.',
      pending: 'Ingenting, eller Synkroniser nå for å kjøre med en gang.',
    },
  },
};
