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
  /** What signing in does: it is the acceptance (there is no second step). */
  signInAccepts: string;
  signIn: string;
  redirecting: string;
  useAnother: string;
  signInAnother: string;
  tryAgain: string;
  accepted: (address: string) => string;
  acceptedDetail: string;
  acceptedAccount: (account: string) => string;
  /** Known error codes of the invite endpoints; others show the server's message. */
  errors: Readonly<Partial<Record<InviteErrorCode, string>>>;
  /** MailboxMismatch, with the invited address the page knows. */
  mailboxMismatch: (email: string) => string;
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
    signInAccepts: 'Signing in accepts the invitation: Microsoft asks you to allow the synchronization to use your mailbox, and you come back here.',
    signIn: 'Sign in with Microsoft',
    redirecting: 'Opening Microsoft sign-in…',
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
      SignInAgain: 'This sign-in belongs to an older opening of the invitation (was it opened in another window?). Sign in again.',
      SignInCancelled: 'The sign-in was cancelled at Microsoft, so your mailbox is not connected. Sign in again when you are ready.',
      InvalidCallback: 'Microsoft’s answer came back incomplete. Sign in again.',
      TokenRequestRefused: 'Microsoft did not complete the sign-in (it may have taken too long). Sign in again.',
      AdminApprovalRequired:
        'Your organisation requires an administrator to approve this app before you can sign in. Ask your SuperOffice administrator to approve it in Microsoft 365, then open the invitation again.',
      MicrosoftNotConnected: 'Your organisation has not connected Microsoft 365 to SuperOffice yet. Ask your administrator.',
      MicrosoftUnavailable: 'Microsoft 365 could not be reached just now. Try again in a minute.',
      MicrosoftThrottled: 'Microsoft 365 is busy just now. Try again in a minute.',
      NetworkError: 'The server could not be reached. Check your connection and try again.',
    },
    mailboxMismatch: (email) => `The account you signed in with is not the one this invitation is for (${email}). Sign in with that account.`,
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
    signInAccepts: 'Når du logger på, godtar du invitasjonen: Microsoft ber deg tillate at synkroniseringen bruker postkassen din, og du kommer tilbake hit.',
    signIn: 'Logg på med Microsoft',
    redirecting: 'Åpner pålogging hos Microsoft…',
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
      SignInAgain: 'Denne påloggingen hører til en eldre åpning av invitasjonen (ble den åpnet i et annet vindu?). Logg på igjen.',
      SignInCancelled: 'Påloggingen ble avbrutt hos Microsoft, så postkassen er ikke koblet til. Logg på igjen når du er klar.',
      InvalidCallback: 'Svaret fra Microsoft var ufullstendig. Logg på igjen.',
      TokenRequestRefused: 'Microsoft fullførte ikke påloggingen (kanskje tok den for lang tid). Logg på igjen.',
      AdminApprovalRequired:
        'Organisasjonen din krever at en administrator godkjenner denne appen før du kan logge på. Be SuperOffice-administratoren om å godkjenne den i Microsoft 365, og åpne invitasjonen på nytt.',
      MicrosoftNotConnected: 'Organisasjonen din har ikke koblet Microsoft 365 til SuperOffice ennå. Spør administratoren.',
      MicrosoftUnavailable: 'Microsoft 365 svarer ikke akkurat nå. Prøv igjen om et minutt.',
      MicrosoftThrottled: 'Microsoft 365 har mye å gjøre akkurat nå. Prøv igjen om et minutt.',
      NetworkError: 'Fikk ikke kontakt med serveren. Sjekk tilkoblingen og prøv igjen.',
    },
    mailboxMismatch: (email) => `Kontoen du logget på med er ikke den invitasjonen gjelder (${email}). Logg på med den kontoen.`,
    genericError: 'Noe gikk galt. Prøv igjen.',
  },
};
