/** Fills the invite text's placeholders; a text without `{link}` gets the link appended. */
export function composeInvite(
  template: { subject: string; message: string },
  values: { name: string; link: string; expires: string; organisation: string },
): { subject: string; body: string } {
  const fill = (text: string) =>
    text.replace(/\{(name|link|expires|organisation)\}/g, (_, key: keyof typeof values) => values[key]);
  let body = fill(template.message);
  if (!template.message.includes('{link}')) body = `${body.trimEnd()}\n\n${values.link}\n`;
  // Subjects are one line: a template cannot smuggle extra header-like lines in.
  return { subject: fill(template.subject).replace(/[\r\n]+/g, ' ').slice(0, 300), body };
}

/** The Graph `sendMail` body: plain text (an admin's text is never interpreted as HTML). */
export function sendMailBody(
  from: { address: string; name: string },
  to: { address: string; name: string },
  mail: { subject: string; body: string },
): unknown {
  return {
    message: {
      subject: mail.subject,
      body: { contentType: 'Text', content: mail.body },
      from: { emailAddress: { address: from.address, name: from.name } },
      toRecipients: [{ emailAddress: { address: to.address, name: to.name } }],
    },
    saveToSentItems: true,
  };
}

/** A date an invited user reads, e.g. "9 December 2026". */
export function readableDate(at: Date): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(at);
}
