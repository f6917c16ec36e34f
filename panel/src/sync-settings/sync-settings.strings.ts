import { numberRange, type Lang } from '../i18n/locale.js';
import type { TenantMode } from '../logic/types.js';

/** Every visible and aria string of `so-sync-settings`. */
export interface SyncSettingsStrings {
  title: string;
  notSignedIn: string;
  signIn: string;
  sessionEnded: string;
  signingIn: string;
  signOut: string;
  /** After Sign out; `discarded`: unsaved links and edits forgotten with the session. */
  signedOut: (discarded: number) => string;
  signInWindow: string;
  signedInAdmin: (name: string) => string;
  signedInReadOnly: (name: string) => string;
  readOnly: string;
  loading: string;
  /** The organisation's name when known, else its id. */
  msConnected: (name: string | null, id: string | null) => string;
  msNotConnected: string;
  msNotConnectedReadOnly: string;
  approve: string;
  oauthNote: string;
  openTam: string;
  backToSettings: string;
  /** Opens the administrator tools (health report, undo, CSV, ranks, audit, why didn't this sync). */
  adminTools: string;
  modeHeading: string;
  modeNames: Readonly<Record<TenantMode, string>>;
  modeDescriptions: Readonly<Record<TenantMode, string>>;
  /** The button that opens the confirmation, by the mode it switches to. */
  switchTo: Readonly<Record<TenantMode, string>>;
  modeDialogTitle: Readonly<Record<TenantMode, string>>;
  /** What changes, by the mode switched to. */
  modeDialogBody: Readonly<Record<TenantMode, readonly string[]>>;
  modeDialogKept: string;
  modeConfirm: Readonly<Record<TenantMode, string>>;
  modeChanged: (mode: TenantMode, reloadMailboxes: boolean) => string;
  settingsConflict: string;
  ttlLabel: string;
  ttlInvalid: string;
  ttlSave: string;
  ttlSaved: (days: number) => string;
  ttlReadOnly: (days: number) => string;
  syncHeading: string;
  pastDaysLabel: string;
  pastDaysInvalid: string;
  futureDaysLabel: string;
  futureDaysInvalid: string;
  winnerLabel: string;
  winners: Readonly<Record<'superoffice' | 'outlook', string>>;
  timeZoneLabel: string;
  timeZoneInvalid: string;
  syncSettingsSave: string;
  syncSettingsSaved: string;
  syncReadOnly: (past: number, future: number, winner: string, zone: string) => string;
  actions: string;
  loadExternal: string;
  cancel: string;
  loadProgress: (loaded: string, total: string | null) => string;
  loaded: (n: string) => string;
  loadCancelled: (n: string) => string;
  checking: (done: string, total: string) => string;
  autoLink: string;
  linkUser: string;
  saveAdded: string;
  saveOptions: string;
  removeSelected: string;
  syncNow: string;
  resume: string;
  reinvite: string;
  selectWaiting: string;
  /** Sync now: how many users were asked for, and how many of the selected were left out. */
  syncRequested: (n: number, disabled: number, waiting: number, unsaved: number) => string;
  syncNothing: (disabled: number, waiting: number, unsaved: number) => string;
  selectSyncLinks: string;
  resumed: (n: number) => string;
  /** After Sync now or Resume: the synchronizer has worked every user asked for, or not all yet. */
  syncSettled: (n: number) => string;
  syncNotYet: (n: number) => string;
  selectStopped: string;
  reload: string;
  unsaved: (added: number, edits: number) => string;
  selectAssociates: string;
  loadMailboxesFirst: string;
  selectOnePair: string;
  selectSavedLinks: string;
  selectLinks: string;
  nothingToSave: string;
  /** After the Auto Link review: the links added (unsaved) and the proposals left out. */
  autoLinkAdded: (added: number, left: number) => string;
  linkedOne: (associate: string, mailbox: string) => string;
  refusal: {
    associateAlreadyLinked: (associate: string, mailbox: string) => string;
    mailboxAlreadyLinked: (mailbox: string, associate: string) => string;
    retired: (associate: string) => string;
    guest: (mailbox: string) => string;
    disabled: (mailbox: string) => string;
    noExchangeMailbox: (mailbox: string) => string;
    notUserMailbox: (mailbox: string) => string;
    noAddress: (mailbox: string) => string;
  };
  savedAdded: (n: number) => string;
  savedOptions: (n: number) => string;
  /** A save refused: the Server Rank of these rows (names, already listed) is not valid. */
  fixRanks: (names: string, n: number) => string;
  reloaded: string;
  discarded: (n: number) => string;
  removed: (users: number, history: number) => string;
  historyRows: (n: number) => string;
  andMore: (n: number) => string;
  dialogTitle: (n: number) => string;
  dialogBody: (users: number, history: number) => string;
  /** What removing really does to the synchronized items (several paragraphs). */
  dialogWarning: readonly string[];
  dialogConfirm: string;
  dialogDiscard: (n: number) => string;
  lists: string;
  /** The titles of the three lists. */
  sections: Readonly<Record<'associates' | 'mailboxes' | 'linked', string>>;
  /** The accessible name of a list's count, e.g. "60 rows". */
  count: (n: string) => string;
  /** The feedback area below the toolbar. */
  feedback: string;
  tenantSettings: string;
  /** The closed tenant settings in one line. */
  tenantSummary: (mode: TenantMode, connected: boolean, past: number, future: number) => string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The selected users Sync now left out, and why. */
function skippedEn(disabled: number, waiting: number, unsaved: number): string {
  const parts = [
    disabled > 0 ? `${plural(disabled, 'is', 'are')} disabled (Diary, Task and Contact off)` : '',
    waiting > 0 ? `${plural(waiting, 'waits', 'wait')} for authorization (OAuth mode is not synchronized yet)` : '',
    unsaved > 0 ? `${plural(unsaved, 'is', 'are')} not saved yet` : '',
  ].filter(Boolean);
  return parts.length > 0 ? ` Left out: ${parts.join('; ')}.` : '';
}

function skippedNb(disabled: number, waiting: number, unsaved: number): string {
  const parts = [
    disabled > 0 ? `${disabled} er deaktivert (Diary, Task og Contact av)` : '',
    waiting > 0 ? `${waiting} venter på autorisasjon (OAuth-modus synkroniseres ikke ennå)` : '',
    unsaved > 0 ? `${unsaved} er ikke lagret ennå` : '',
  ].filter(Boolean);
  return parts.length > 0 ? ` Utelatt: ${parts.join('; ')}.` : '';
}

export const syncSettingsStrings: Readonly<Record<Lang, SyncSettingsStrings>> = {
  en: {
    title: 'User Synchronization Settings',
    notSignedIn: 'Not signed in.',
    signIn: 'Sign in with SuperOffice',
    sessionEnded: 'Your session has ended. Sign in again; links you added and did not save are kept.',
    signingIn: 'Signing in…',
    signOut: 'Sign out',
    signedOut: (n) => `You are signed out.${n > 0 ? ` ${n === 1 ? '1 unsaved change was' : `${n} unsaved changes were`} discarded.` : ''}`,
    signInWindow: 'SuperOffice wants you to sign in. Press Sign in with SuperOffice again to open its window.',
    signedInAdmin: (name) => `Signed in as ${name} (administrator).`,
    signedInReadOnly: (name) => `Signed in as ${name}.`,
    readOnly: 'Read only: only SuperOffice administrators can change these settings. You can see the linked users, but not change them.',
    loading: 'Loading…',
    msConnected: (name, id) => `Connected to Microsoft 365${name ? ` (${name})` : id ? ` (organisation ${id})` : ''}.`,
    msNotConnected: 'Microsoft 365 is not connected yet: a Microsoft 365 administrator must approve the app.',
    msNotConnectedReadOnly: 'Microsoft 365 is not connected yet. An administrator must approve the app.',
    approve: 'Approve in Microsoft 365',
    oauthNote:
      'NOTE: This tenant uses OAuth mode: only mailboxes whose owners accepted an invite from the Token Authentication Manager are listed and can be linked. Link them here with Link User, Auto Link or the proposals accepted invites make; or choose Link when accepted when inviting.',
    openTam: 'Token Authentication Manager',
    backToSettings: 'Back to User Synchronization Settings',
    adminTools: 'Administrator tools',
    modeHeading: 'Mailbox authorization',
    modeNames: { application: 'Application mode', oauth: 'OAuth mode' },
    modeDescriptions: {
      application: 'a Microsoft 365 administrator approves the app once for all mailboxes.',
      oauth: 'each user authorizes their own mailbox through an invite.',
    },
    switchTo: { application: 'Switch to Application mode…', oauth: 'Switch to OAuth mode…' },
    modeDialogTitle: { application: 'Switch to Application mode?', oauth: 'Switch to OAuth mode?' },
    modeDialogBody: {
      oauth: [
        'Each user then authorizes their own mailbox through an invite from the Token Authentication Manager.',
        'Load External Users will list only the mailboxes whose owners accepted an invite.',
        'Existing links whose mailbox is not authorized stay, with their options and sync history, but are not synchronized until their owner accepts an invite.',
      ],
      application: [
        'A Microsoft 365 administrator approves the app once for all mailboxes.',
        'Load External Users will list all mailboxes again, and every link is synchronized according to its options.',
      ],
    },
    modeDialogKept: 'No link and no sync history is deleted.',
    modeConfirm: { application: 'Switch to Application mode', oauth: 'Switch to OAuth mode' },
    modeChanged: (mode, reload) =>
      `Switched to ${mode === 'oauth' ? 'OAuth' : 'Application'} mode.${reload ? ' Load External Users again to list the mailboxes for this mode.' : ''}`,
    settingsConflict: 'Someone else changed these settings meanwhile. They are reloaded: check them and try again.',
    ttlLabel: 'Invite lifetime (days)',
    ttlInvalid: `Whole number of days, ${numberRange(1, 365)}.`,
    ttlSave: 'Save lifetime',
    ttlSaved: (days) => `New invites are valid for ${plural(days, 'day', 'days')}.`,
    ttlReadOnly: (days) => `Invites are valid for ${plural(days, 'day', 'days')}.`,
    syncHeading: 'Synchronization',
    pastDaysLabel: 'Days back',
    pastDaysInvalid: `Whole number of days, ${numberRange(0, 365)}.`,
    futureDaysLabel: 'Days ahead',
    futureDaysInvalid: `Whole number of days, ${numberRange(1, 730)}.`,
    winnerLabel: 'When both sides changed a field',
    winners: { superoffice: 'SuperOffice wins', outlook: 'Outlook wins' },
    timeZoneLabel: 'Time zone (IANA)',
    timeZoneInvalid: 'An IANA time zone, such as Europe/Oslo.',
    syncSettingsSave: 'Save synchronization settings',
    syncSettingsSaved: "Saved. Each user's next synchronization uses these settings.",
    syncReadOnly: (past, future, winner, zone) =>
      `${plural(past, 'day', 'days')} back and ${plural(future, 'day', 'days')} ahead are synchronized; ${winner} when both sides changed a field; dates are read in ${zone}.`,
    actions: 'Actions',
    loadExternal: 'Load External Users',
    cancel: 'Cancel',
    loadProgress: (loaded, total) => (total ? `Loaded ${loaded} of ${total} users…` : `Loaded ${loaded} users…`),
    loaded: (n) => `Loaded ${n} ${n === '1' ? 'user' : 'users'}.`,
    loadCancelled: (n) => `Cancelled after ${n} users.`,
    checking: (done, total) => `Checking mailboxes: ${done} of ${total}…`,
    autoLink: 'Auto Link Users',
    linkUser: 'Link User',
    saveAdded: 'Save Added Users',
    saveOptions: 'Save Users Options',
    removeSelected: 'Remove Selected Users',
    syncNow: 'Sync now',
    resume: 'Resume synchronization',
    reinvite: 'Invite again',
    selectWaiting: 'Select linked users awaiting authorization to invite them again.',
    syncRequested: (n, disabled, waiting, unsaved) =>
      `Asked to synchronize ${plural(n, 'linked user', 'linked users')} now.${skippedEn(disabled, waiting, unsaved)}`,
    syncNothing: (disabled, waiting, unsaved) => `Nothing to synchronize.${skippedEn(disabled, waiting, unsaved)}`,
    selectSyncLinks: 'Select the linked users to synchronize first.',
    resumed: (n) => `Resumed synchronization of ${plural(n, 'linked user', 'linked users')}.`,
    syncSettled: (n) => `The synchronizer has worked ${n === 1 ? 'it' : `all ${n}`}: see the Status column.`,
    syncNotYet: (n) => `${plural(n, 'user was', 'users were')} not synchronized within two minutes; the synchronizer may be busy or stopped.`,
    selectStopped: 'Select linked users the circuit breaker stopped (Status: Stopped).',
    reload: 'Reload',
    unsaved: (added, edits) =>
      `${plural(added, 'unsaved link', 'unsaved links')}${edits > 0 ? `, ${plural(edits, 'unsaved option change', 'unsaved option changes')}` : ''}`,
    selectAssociates: 'Select one or more associates first.',
    loadMailboxesFirst: 'Load External Users first.',
    selectOnePair: 'Select exactly one associate and one mailbox.',
    selectSavedLinks: 'Select saved linked users whose options to save.',
    selectLinks: 'Select linked users to remove.',
    nothingToSave: 'There are no added users to save.',
    autoLinkAdded: (n, left) => `Auto Link Users: ${plural(n, 'link', 'links')} added (unsaved until Save Added Users)${left > 0 ? `; ${left} left out` : ''}.`,
    linkedOne: (a, m) => `Linked ${a} to ${m} (unsaved until Save Added Users).`,
    refusal: {
      associateAlreadyLinked: (a, m) => `${a} is already linked to ${m}.`,
      mailboxAlreadyLinked: (m, a) => `${m} is already linked to ${a}.`,
      retired: (a) => `${a} is retired.`,
      guest: (m) => `${m} is a guest account.`,
      disabled: (m) => `${m} is a disabled account.`,
      noExchangeMailbox: (m) => `${m} has no Exchange Online mailbox.`,
      notUserMailbox: (m) => `${m} is not a user mailbox (shared, room or equipment).`,
      noAddress: (m) => `${m} has no email address.`,
    },
    savedAdded: (n) => `Saved ${plural(n, 'linked user', 'linked users')}.`,
    savedOptions: (n) => `Saved the options of ${plural(n, 'linked user', 'linked users')}.`,
    fixRanks: (names, n) => `Nothing was saved: the Server Rank of ${names} is not a whole number ${numberRange(1, 99)}. Correct ${n === 1 ? 'it' : 'them'} and save again.`,
    reloaded: 'Reloaded the linked users.',
    discarded: (n) => `Discarded ${plural(n, 'unsaved link', 'unsaved links')}.`,
    removed: (u, h) => `Removed ${plural(u, 'linked user', 'linked users')} and the mapping of ${plural(h, 'synchronized item', 'synchronized items')}; restorable for 30 days from Tools → Undo.`,
    historyRows: (n) => plural(n, 'synchronized item', 'synchronized items'),
    andMore: (n) => `and ${n} more`,
    dialogTitle: (n) => `Remove ${plural(n, 'linked user', 'linked users')}?`,
    dialogBody: (u, h) =>
      `This removes ${plural(u, 'linked user', 'linked users')} and the synchronizer's mapping of ${plural(h, 'item', 'items')} (which SuperOffice item is which Outlook item). For 30 days they can be restored exactly, with their options, rank and mappings, from Tools → Undo; after that they are purged for good.`,
    dialogWarning: [
      'The appointments, tasks and contacts themselves stay in SuperOffice and in Outlook.',
      'Items the synchronizer created carry its tag, so adding a user again finds them and creates no duplicates.',
      'Items it never tagged (for example ones the old EWS synchronizer made) are not its to find.',
    ],
    dialogConfirm: 'Remove',
    dialogDiscard: (n) => `${plural(n, 'unsaved link', 'unsaved links')} will be discarded as well.`,
    lists: 'Associates, mailboxes and linked users',
    sections: { associates: 'SuperOffice associates', mailboxes: 'Exchange mailboxes', linked: 'Linked Users for Synchronization' },
    count: (n) => `${n} ${n === '1' ? 'row' : 'rows'}`,
    feedback: 'Messages',
    tenantSettings: 'Tenant settings',
    tenantSummary: (mode, connected, past, future) =>
      `${mode === 'oauth' ? 'OAuth mode' : 'Application mode'} · ${connected ? 'Microsoft 365 connected' : 'Microsoft 365 not connected'} · ${plural(past, 'day', 'days')} back, ${plural(future, 'day', 'days')} ahead`,
  },
  nb: {
    title: 'Innstillinger for brukersynkronisering',
    notSignedIn: 'Ikke logget på.',
    signIn: 'Logg på med SuperOffice',
    sessionEnded: 'Økten er avsluttet. Logg på igjen; koblinger du har lagt til og ikke lagret, beholdes.',
    signingIn: 'Logger på…',
    signOut: 'Logg av',
    signedOut: (n) => `Du er logget av.${n > 0 ? ` ${n} ${n === 1 ? 'endring som ikke var lagret, ble' : 'endringer som ikke var lagret, ble'} forkastet.` : ''}`,
    signInWindow: 'SuperOffice vil at du logger på. Trykk Logg på med SuperOffice igjen for å åpne vinduet.',
    signedInAdmin: (name) => `Logget på som ${name} (administrator).`,
    signedInReadOnly: (name) => `Logget på som ${name}.`,
    readOnly: 'Skrivebeskyttet: bare SuperOffice-administratorer kan endre disse innstillingene. Du kan se de koblede brukerne, men ikke endre dem.',
    loading: 'Laster…',
    msConnected: (name, id) => `Koblet til Microsoft 365${name ? ` (${name})` : id ? ` (organisasjon ${id})` : ''}.`,
    msNotConnected: 'Microsoft 365 er ikke koblet til ennå: en Microsoft 365-administrator må godkjenne appen.',
    msNotConnectedReadOnly: 'Microsoft 365 er ikke koblet til ennå. En administrator må godkjenne appen.',
    approve: 'Godkjenn i Microsoft 365',
    oauthNote:
      'MERK: Denne kunden bruker OAuth-modus: bare postbokser der eieren har godtatt en invitasjon fra Token Authentication Manager, vises og kan kobles. Koble dem her med Link User, Auto Link eller forslagene godtatte invitasjoner gir; eller velg Koble ved godkjenning når du inviterer.',
    // A product name: kept as admins know it, in every language.
    openTam: 'Token Authentication Manager',
    backToSettings: 'Tilbake til Innstillinger for brukersynkronisering',
    adminTools: 'Administratorverktøy',
    modeHeading: 'Autorisasjon av postbokser',
    modeNames: { application: 'Applikasjonsmodus', oauth: 'OAuth-modus' },
    modeDescriptions: {
      application: 'en Microsoft 365-administrator godkjenner appen én gang for alle postbokser.',
      oauth: 'hver bruker autoriserer sin egen postboks gjennom en invitasjon.',
    },
    switchTo: { application: 'Bytt til applikasjonsmodus…', oauth: 'Bytt til OAuth-modus…' },
    modeDialogTitle: { application: 'Bytte til applikasjonsmodus?', oauth: 'Bytte til OAuth-modus?' },
    modeDialogBody: {
      oauth: [
        'Hver bruker autoriserer da sin egen postboks gjennom en invitasjon fra Token Authentication Manager.',
        'Load External Users vil bare vise postboksene der eieren har godtatt en invitasjon.',
        'Eksisterende koblinger der postboksen ikke er autorisert, blir stående med valg og synkroniseringshistorikk, men synkroniseres ikke før eieren godtar en invitasjon.',
      ],
      application: [
        'En Microsoft 365-administrator godkjenner appen én gang for alle postbokser.',
        'Load External Users vil igjen vise alle postbokser, og hver kobling synkroniseres etter sine valg.',
      ],
    },
    modeDialogKept: 'Ingen koblinger og ingen synkroniseringshistorikk slettes.',
    modeConfirm: { application: 'Bytt til applikasjonsmodus', oauth: 'Bytt til OAuth-modus' },
    modeChanged: (mode, reload) =>
      `Byttet til ${mode === 'oauth' ? 'OAuth-modus' : 'applikasjonsmodus'}.${reload ? ' Kjør Load External Users igjen for å vise postboksene for denne modusen.' : ''}`,
    settingsConflict: 'Noen andre har endret disse innstillingene i mellomtiden. De er lastet inn på nytt: kontroller dem og prøv igjen.',
    ttlLabel: 'Invitasjonens levetid (dager)',
    ttlInvalid: `Helt antall dager, ${numberRange(1, 365)}.`,
    ttlSave: 'Lagre levetid',
    ttlSaved: (days) => `Nye invitasjoner gjelder i ${days} ${days === 1 ? 'dag' : 'dager'}.`,
    ttlReadOnly: (days) => `Invitasjoner gjelder i ${days} ${days === 1 ? 'dag' : 'dager'}.`,
    syncHeading: 'Synkronisering',
    pastDaysLabel: 'Dager bakover',
    pastDaysInvalid: `Helt antall dager, ${numberRange(0, 365)}.`,
    futureDaysLabel: 'Dager fremover',
    futureDaysInvalid: `Helt antall dager, ${numberRange(1, 730)}.`,
    winnerLabel: 'Når begge sider har endret et felt',
    winners: { superoffice: 'SuperOffice vinner', outlook: 'Outlook vinner' },
    timeZoneLabel: 'Tidssone (IANA)',
    timeZoneInvalid: 'En IANA-tidssone, for eksempel Europe/Oslo.',
    syncSettingsSave: 'Lagre synkroniseringsinnstillinger',
    syncSettingsSaved: 'Lagret. Neste synkronisering av hver bruker bruker disse innstillingene.',
    syncReadOnly: (past, future, winner, zone) =>
      `${past} ${past === 1 ? 'dag' : 'dager'} bakover og ${future} ${future === 1 ? 'dag' : 'dager'} fremover synkroniseres; ${winner} når begge sider har endret et felt; datoer leses i ${zone}.`,
    actions: 'Handlinger',
    // The six action labels stay as admins know them from the product, in every language.
    loadExternal: 'Load External Users',
    cancel: 'Avbryt',
    loadProgress: (loaded, total) => (total ? `Lastet ${loaded} av ${total} brukere…` : `Lastet ${loaded} brukere…`),
    loaded: (n) => `Lastet ${n} ${n === '1' ? 'bruker' : 'brukere'}.`,
    loadCancelled: (n) => `Avbrutt etter ${n} brukere.`,
    checking: (done, total) => `Kontrollerer postbokser: ${done} av ${total}…`,
    autoLink: 'Auto Link Users',
    linkUser: 'Link User',
    saveAdded: 'Save Added Users',
    saveOptions: 'Save Users Options',
    removeSelected: 'Remove Selected Users',
    syncNow: 'Synkroniser nå',
    resume: 'Gjenoppta synkronisering',
    reinvite: 'Inviter på nytt',
    selectWaiting: 'Velg koblede brukere som venter på autorisasjon for å invitere dem på nytt.',
    syncRequested: (n, disabled, waiting, unsaved) =>
      `Ba om synkronisering av ${n} ${n === 1 ? 'koblet bruker' : 'koblede brukere'} nå.${skippedNb(disabled, waiting, unsaved)}`,
    syncNothing: (disabled, waiting, unsaved) => `Ingenting å synkronisere.${skippedNb(disabled, waiting, unsaved)}`,
    selectSyncLinks: 'Velg de koblede brukerne som skal synkroniseres, først.',
    resumed: (n) => `Gjenopptok synkroniseringen av ${n} ${n === 1 ? 'koblet bruker' : 'koblede brukere'}.`,
    syncSettled: (n) => `Synkroniseringen har behandlet ${n === 1 ? 'den' : `alle ${n}`}: se Status-kolonnen.`,
    syncNotYet: (n) => `${n} ${n === 1 ? 'bruker' : 'brukere'} ble ikke synkronisert innen to minutter; synkroniseringen kan være opptatt eller stoppet.`,
    selectStopped: 'Velg koblede brukere som sikringen har stoppet (Status: Stoppet).',
    reload: 'Last inn på nytt',
    unsaved: (added, edits) =>
      `${added} ${added === 1 ? 'ulagret kobling' : 'ulagrede koblinger'}${edits > 0 ? `, ${edits} ${edits === 1 ? 'ulagret endring' : 'ulagrede endringer'}` : ''}`,
    selectAssociates: 'Velg én eller flere brukere først.',
    loadMailboxesFirst: 'Last inn eksterne brukere først.',
    selectOnePair: 'Velg nøyaktig én bruker og én postboks.',
    selectSavedLinks: 'Velg lagrede koblede brukere som skal lagres.',
    selectLinks: 'Velg koblede brukere som skal fjernes.',
    nothingToSave: 'Det er ingen tilføyde brukere å lagre.',
    autoLinkAdded: (n, left) => `Koble brukere automatisk: ${n} ${n === 1 ? 'kobling' : 'koblinger'} lagt til (ikke lagret før Lagre tilføyde brukere)${left > 0 ? `; ${left} utelatt` : ''}.`,
    linkedOne: (a, m) => `Koblet ${a} til ${m} (ikke lagret før Lagre tilføyde brukere).`,
    refusal: {
      associateAlreadyLinked: (a, m) => `${a} er allerede koblet til ${m}.`,
      mailboxAlreadyLinked: (m, a) => `${m} er allerede koblet til ${a}.`,
      retired: (a) => `${a} har sluttet.`,
      guest: (m) => `${m} er en gjestekonto.`,
      disabled: (m) => `${m} er en deaktivert konto.`,
      noExchangeMailbox: (m) => `${m} har ingen Exchange Online-postboks.`,
      notUserMailbox: (m) => `${m} er ikke en brukerpostboks (delt, rom eller utstyr).`,
      noAddress: (m) => `${m} har ingen e-postadresse.`,
    },
    savedAdded: (n) => `Lagret ${n} ${n === 1 ? 'koblet bruker' : 'koblede brukere'}.`,
    savedOptions: (n) => `Lagret valgene for ${n} ${n === 1 ? 'koblet bruker' : 'koblede brukere'}.`,
    fixRanks: (names, n) => `Ingenting ble lagret: Server Rank for ${names} er ikke et heltall ${numberRange(1, 99)}. Rett ${n === 1 ? 'den' : 'dem'} og lagre på nytt.`,
    reloaded: 'De koblede brukerne er lastet inn på nytt.',
    discarded: (n) => `Forkastet ${n} ${n === 1 ? 'ulagret kobling' : 'ulagrede koblinger'}.`,
    removed: (u, h) => `Fjernet ${u} ${u === 1 ? 'koblet bruker' : 'koblede brukere'} og koblingen for ${h} ${h === 1 ? 'synkronisert element' : 'synkroniserte elementer'}; kan gjenopprettes i 30 dager fra Verktøy → Angre.`,
    historyRows: (n) => `${n} ${n === 1 ? 'synkronisert element' : 'synkroniserte elementer'}`,
    andMore: (n) => `og ${n} til`,
    dialogTitle: (n) => `Fjerne ${n} ${n === 1 ? 'koblet bruker' : 'koblede brukere'}?`,
    dialogBody: (u, h) =>
      `Dette fjerner ${u} ${u === 1 ? 'koblet bruker' : 'koblede brukere'} og synkroniseringens kobling for ${h} ${h === 1 ? 'element' : 'elementer'} (hvilket SuperOffice-element som er hvilket Outlook-element). I 30 dager kan de gjenopprettes nøyaktig, med valg, rang og koblinger, fra Verktøy → Angre; etter det slettes de for godt.`,
    dialogWarning: [
      'Selve avtalene, oppgavene og kontaktene blir værende i SuperOffice og i Outlook.',
      'Elementer synkroniseringen har opprettet, er merket av den, så når en bruker legges til igjen, finner den dem og lager ingen duplikater.',
      'Elementer den aldri har merket (for eksempel slike den gamle EWS-synkroniseringen laget), er ikke dens å finne.',
    ],
    dialogConfirm: 'Fjern',
    dialogDiscard: (n) => `${n} ${n === 1 ? 'ulagret kobling' : 'ulagrede koblinger'} forkastes også.`,
    lists: 'Brukere, postbokser og koblede brukere',
    sections: { associates: 'SuperOffice-brukere', mailboxes: 'Exchange-postbokser', linked: 'Koblede brukere for synkronisering' },
    count: (n) => `${n} ${n === '1' ? 'rad' : 'rader'}`,
    feedback: 'Meldinger',
    tenantSettings: 'Innstillinger for kunden',
    tenantSummary: (mode, connected, past, future) =>
      `${mode === 'oauth' ? 'OAuth-modus' : 'Applikasjonsmodus'} · ${connected ? 'Microsoft 365 tilkoblet' : 'Microsoft 365 ikke tilkoblet'} · ${past} ${past === 1 ? 'dag' : 'dager'} bakover, ${future} ${future === 1 ? 'dag' : 'dager'} fremover`,
  },
};
