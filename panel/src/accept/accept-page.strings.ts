import type { Lang } from '../i18n/locale.js';
import type { InviteErrorCode } from './invite-api.js';

/** Every visible and aria string of `so-invite-accept`. */
export interface AcceptPageStrings {
  title: string;
  loading: string;
  noInvite: string;
  malformed: string;
  invitedYou: (invitedBy: string, associateName: string, email: string) => string;
  organisation: string;
  syncTitle: string;
  diary: string;
  task: string;
  contact: string;
  on: string;
  off: string;
  adminChooses: string;
  syncBySettings: string;
  expires: (date: string) => string;
  mustSignInAs: (email: string) => string;
  mayUseOther: (email: string) => string;
  signIn: string;
  redirecting: string;
  signInFailed: (detail: string) => string;
  /** Microsoft refused the sign-in because nobody approved the app for the organisation (AADSTS65001). */
  needsAdminApproval: string;
  signedInAs: (name: string, username: string) => string;
  accept: string;
  accepting: string;
  useAnother: string;
  signInAnother: string;
  tryAgain: string;
  accepted: (address: string) => string;
  acceptedDetail: string;
  acceptedAccount: (account: string) => string;
  /** Known error codes of the invite endpoints; others show the server's message. */
  errors: Readonly<Partial<Record<InviteErrorCode, string>>>;
  mailboxMismatch: (username: string, email: string) => string;
  genericError: string;
}

export const acceptPageStrings: Readonly<Record<Lang, AcceptPageStrings>> = {
  en: {
    title: 'Connect your mailbox to SuperOffice',
    loading: 'Loading your invitation…',
    noInvite: 'This page needs the link from your invitation email. Open the link again, or ask your administrator for a new invitation.',
    malformed: 'The invitation link is incomplete. Copy the whole link from the email, or ask your administrator for a new invitation.',
    invitedYou: (by, name, email) => `${by} invited you (${name}, ${email}) to connect your Microsoft 365 mailbox to SuperOffice.`,
    organisation: 'Organisation',
    syncTitle: 'What will be synchronized',
    diary: 'SuperOffice Diary ↔ Outlook calendar',
    task: 'SuperOffice Tasks ↔ Microsoft To Do tasks',
    contact: 'SuperOffice Contacts ↔ Outlook contacts',
    on: 'On',
    off: 'Off',
    adminChooses: 'Your administrator chooses which of these are synchronized.',
    syncBySettings: 'Your administrator has chosen:',
    expires: (date) => `This invitation expires ${date}.`,
    mustSignInAs: (email) => `Sign in with the Microsoft account of ${email}.`,
    mayUseOther: (email) => `Sign in with the Microsoft account of ${email}, or of another mailbox you use.`,
    signIn: 'Sign in with Microsoft',
    redirecting: 'Opening Microsoft sign-in…',
    signInFailed: (detail) => `Signing in with Microsoft did not complete (${detail}). Try again.`,
    needsAdminApproval:
      'Your organisation requires an administrator to approve this app before you can sign in. Ask your SuperOffice administrator to approve it in Microsoft 365, then open the invitation again.',
    signedInAs: (name, username) => `Signed in as ${name} (${username}).`,
    accept: 'Accept',
    accepting: 'Authorizing your mailbox…',
    useAnother: 'Use another account',
    signInAnother: 'Sign in with another account',
    tryAgain: 'Try again',
    accepted: (address) => `Your mailbox ${address} is authorized.`,
    acceptedDetail: 'You can close this window.',
    acceptedAccount: (account) => `Signed in as ${account}.`,
    errors: {
      InviteNotFound: 'This invitation link is not valid. Ask your administrator for a new invitation.',
      InviteExpired: 'This invitation has expired. Ask your administrator to send a new one.',
      InviteRevoked: 'This invitation was withdrawn by your administrator. Ask them for a new one if you still need it.',
      InviteAlreadyUsed: 'This invitation has already been accepted. If your mailbox should be connected again, ask your administrator for a new invitation.',
      InvalidIdToken: 'Microsoft’s sign-in could not be verified. Sign in again.',
      WrongOrganisation: 'That Microsoft account belongs to another organisation. Sign in with your work account in this organisation.',
      SignInAgain: 'Your sign-in is no longer valid for this invitation. Sign in again.',
      MicrosoftUnavailable: 'Microsoft 365 could not be reached just now. Try again in a minute.',
      NetworkError: 'The server could not be reached. Check your connection and try again.',
    },
    mailboxMismatch: (username, email) => `You signed in as ${username}, but this invitation is for ${email}. Sign in with that account.`,
    genericError: 'Something went wrong. Try again.',
  },
  nb: {
    title: 'Koble postkassen din til SuperOffice',
    loading: 'Henter invitasjonen…',
    noInvite: 'Denne siden trenger lenken fra invitasjonen din på e-post. Åpne lenken på nytt, eller be administratoren om en ny invitasjon.',
    malformed: 'Invitasjonslenken er ufullstendig. Kopier hele lenken fra e-posten, eller be administratoren om en ny invitasjon.',
    invitedYou: (by, name, email) => `${by} har invitert deg (${name}, ${email}) til å koble Microsoft 365-postkassen din til SuperOffice.`,
    organisation: 'Organisasjon',
    syncTitle: 'Hva som synkroniseres',
    diary: 'SuperOffice-dagbok ↔ Outlook-kalender',
    task: 'SuperOffice-oppgaver ↔ Microsoft To Do-oppgaver',
    contact: 'SuperOffice-kontakter ↔ Outlook-kontakter',
    on: 'På',
    off: 'Av',
    adminChooses: 'Administratoren velger hva av dette som synkroniseres.',
    syncBySettings: 'Administratoren har valgt:',
    expires: (date) => `Invitasjonen utløper ${date}.`,
    mustSignInAs: (email) => `Logg på med Microsoft-kontoen til ${email}.`,
    mayUseOther: (email) => `Logg på med Microsoft-kontoen til ${email}, eller til en annen postkasse du bruker.`,
    signIn: 'Logg på med Microsoft',
    redirecting: 'Åpner pålogging hos Microsoft…',
    signInFailed: (detail) => `Påloggingen hos Microsoft ble ikke fullført (${detail}). Prøv igjen.`,
    needsAdminApproval:
      'Organisasjonen din krever at en administrator godkjenner denne appen før du kan logge på. Be SuperOffice-administratoren om å godkjenne den i Microsoft 365, og åpne invitasjonen på nytt.',
    signedInAs: (name, username) => `Logget på som ${name} (${username}).`,
    accept: 'Godta',
    accepting: 'Godkjenner postkassen…',
    useAnother: 'Bruk en annen konto',
    signInAnother: 'Logg på med en annen konto',
    tryAgain: 'Prøv igjen',
    accepted: (address) => `Postkassen ${address} er godkjent.`,
    acceptedDetail: 'Du kan lukke dette vinduet.',
    acceptedAccount: (account) => `Logget på som ${account}.`,
    errors: {
      InviteNotFound: 'Invitasjonslenken er ikke gyldig. Be administratoren om en ny invitasjon.',
      InviteExpired: 'Invitasjonen har utløpt. Be administratoren sende en ny.',
      InviteRevoked: 'Administratoren har trukket tilbake invitasjonen. Be om en ny hvis du fortsatt trenger den.',
      InviteAlreadyUsed: 'Invitasjonen er allerede godtatt. Hvis postkassen skal kobles på nytt, be administratoren om en ny invitasjon.',
      InvalidIdToken: 'Påloggingen hos Microsoft kunne ikke bekreftes. Logg på igjen.',
      WrongOrganisation: 'Den Microsoft-kontoen tilhører en annen organisasjon. Logg på med jobbkontoen din i denne organisasjonen.',
      SignInAgain: 'Påloggingen gjelder ikke lenger for denne invitasjonen. Logg på igjen.',
      MicrosoftUnavailable: 'Microsoft 365 svarer ikke akkurat nå. Prøv igjen om et minutt.',
      NetworkError: 'Fikk ikke kontakt med serveren. Sjekk tilkoblingen og prøv igjen.',
    },
    mailboxMismatch: (username, email) => `Du logget på som ${username}, men invitasjonen gjelder ${email}. Logg på med den kontoen.`,
    genericError: 'Noe gikk galt. Prøv igjen.',
  },
};
