import type { Lang } from '../i18n/locale.js';

/** Every visible and aria string of so-alerts. */
export interface AlertsStrings {
  title: string;
  intro: string;
  enabled: string;
  recipients: string;
  noAdmins: string;
  noEmail: string;
  hour: string;
  hourNote: string;
  webhookUrl: string;
  webhookHelp: string;
  secretSet: string;
  secretNotSet: string;
  generateSecret: string;
  secretOnce: string;
  copy: string;
  copied: string;
  sendTest: string;
  save: string;
  saved: string;
  loading: string;
  testResult: string;
  ok: string;
  failed: string;
  lastDigest: (day: string, n: number) => string;
  /** What the test carried: the health report's problems now, or why it could not be read. */
  testCarried: (n: number | null, unreadable?: string) => string;
}

export const ALERTS_STRINGS: Readonly<Record<Lang, AlertsStrings>> = {
  en: {
    title: 'Alerts',
    intro: 'A daily e-mail to the administrators you choose, listing new health problems once. It is sent from the Token Authentication Manager’s sender mailbox.',
    enabled: 'Send the daily digest',
    recipients: 'Recipients',
    noAdmins: 'No administrators have signed in here yet.',
    noEmail: 'no e-mail on the contact card',
    hour: 'Hour of day (UTC)',
    hourNote: 'The digest goes out at the first check after this hour.',
    webhookUrl: 'Webhook URL (optional, https)',
    webhookHelp: 'Each digest is also posted here as JSON, signed in the X-Signature-256 header.',
    secretSet: 'A signing secret is set.',
    secretNotSet: 'No signing secret yet.',
    generateSecret: 'Generate secret',
    secretOnce: 'Copy this secret now; it is not shown again:',
    copy: 'Copy',
    copied: 'Copied',
    sendTest: 'Send test',
    save: 'Save',
    saved: 'Saved.',
    loading: 'Loading…',
    testResult: 'Test result',
    ok: 'sent',
    failed: 'failed',
    lastDigest: (day, n) => `Last digest: ${day}, ${n} new problem${n === 1 ? '' : 's'}.`,
    testCarried: (n, unreadable) =>
      n === null ? `The health report could not be read, and the test said so: ${unreadable ?? ''}` : `The test listed the ${n} problem${n === 1 ? '' : 's'} the health report shows now (ignored ones left out).`,
  },
  nb: {
    title: 'Varsler',
    intro: 'En daglig e-post til administratorene du velger, med nye helseproblemer én gang. Den sendes fra avsenderpostkassen til Token Authentication Manager.',
    enabled: 'Send daglig oppsummering',
    recipients: 'Mottakere',
    noAdmins: 'Ingen administratorer har logget inn her ennå.',
    noEmail: 'ingen e-post på kontaktkortet',
    hour: 'Time på døgnet (UTC)',
    hourNote: 'Oppsummeringen sendes ved første kontroll etter denne timen.',
    webhookUrl: 'Webhook-adresse (valgfri, https)',
    webhookHelp: 'Hver oppsummering sendes også hit som JSON, signert i X-Signature-256-headeren.',
    secretSet: 'En signeringsnøkkel er satt.',
    secretNotSet: 'Ingen signeringsnøkkel ennå.',
    generateSecret: 'Lag nøkkel',
    secretOnce: 'Kopier nøkkelen nå; den vises ikke igjen:',
    copy: 'Kopier',
    copied: 'Kopiert',
    sendTest: 'Send test',
    save: 'Lagre',
    saved: 'Lagret.',
    loading: 'Laster …',
    testResult: 'Testresultat',
    ok: 'sendt',
    failed: 'feilet',
    lastDigest: (day, n) => `Siste oppsummering: ${day}, ${n} nye problem${n === 1 ? '' : 'er'}.`,
    testCarried: (n, unreadable) =>
      n === null ? `Helserapporten kunne ikke leses, og testen sa det: ${unreadable ?? ''}` : `Testen listet de ${n} problemene helserapporten viser nå (ignorerte utelatt).`,
  },
};
