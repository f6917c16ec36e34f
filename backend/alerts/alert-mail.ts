import type { HealthProblem, HealthReading } from '../health/health.types.js';
import type { AlertRecipient } from './alert.schemas.js';
import { sendBatched } from '../microsoft/batch.js';
import type { Graph } from '../microsoft/graph.client.js';
import { resolveSender, sendFailure } from '../invites/invite.service.js';
import { sendMailBody } from '../invites/invite-mail.js';
import { DomainError } from '../domain-error.js';
import { ApiError } from '../http/errors.js';

/** Problems listed in one e-mail; the rest are counted (the health report has them all). */
const LISTED = 200;

/** The digest's text: plain, one line per problem (names from SuperOffice are never read as HTML). */
export function composeDigest(
  problems: readonly HealthProblem[],
  c: { organisation: string; day: string; test?: boolean; unreadable?: string },
): { subject: string; body: string } {
  const n = problems.length;
  const lines = problems.slice(0, LISTED).map((p) => `- ${p.message.replace(/[\r\n]+/g, ' ')}`);
  if (n > LISTED) lines.push(`- … and ${n - LISTED} more`);
  if (c.test) {
    // What the health report shows now: a daily digest lists only the problems new since the last.
    const now =
      c.unreadable !== undefined
        ? [`The health report could not be read just now: ${c.unreadable.replace(/[\r\n]+/g, ' ')}`]
        : n === 0
          ? ['The health report shows no problems now. When new ones appear, a digest like this lists them once a day.']
          : [`The health report shows ${n} problem${n === 1 ? '' : 's'} now (a daily digest lists only those new since the last one):`, '', ...lines];
    return {
      subject: `Test: mailbox synchronization alerts for ${c.organisation}`.replace(/[\r\n]+/g, ' ').slice(0, 300),
      body: [`This is a test of the daily alerts digest of ${c.organisation}.`, '', ...now, '', 'Open the health report in SuperOffice (Mailbox synchronization, Tools) for the fixes.', ''].join('\n'),
    };
  }
  return {
    subject: `${n} new mailbox synchronization problem${n === 1 ? '' : 's'} for ${c.organisation} (${c.day})`.replace(/[\r\n]+/g, ' ').slice(0, 300),
    body: [
      `New since the last digest (${c.day}, UTC):`,
      '',
      ...lines,
      '',
      'Open the health report in SuperOffice (Mailbox synchronization, Tools) for the fixes.',
      '',
    ].join('\n'),
  };
}

export interface MailTarget {
  address: string;
  name: string;
}

export interface MailOutcome {
  ok: boolean;
  status: number;
  message: string;
}

/** Where the digest is sent from: the Token Authentication Manager's invite sender. */
export interface MailSender {
  id: string;
  address: string;
  name: string;
}

/** The invite sender's mailbox, found by address and addressed by object id (as invites are sent); null with why when there is none. */
export async function alertSender(graph: Graph, tenant: { invite_sender_address: string | null; invite_sender_name: string | null }): Promise<MailSender | { error: string }> {
  if (!tenant.invite_sender_address) {
    return { error: 'No sender mailbox is set: choose one in the Token Authentication Manager (the invites are sent from it).' };
  }
  try {
    const s = await resolveSender(graph, tenant.invite_sender_address);
    return { ...s, name: tenant.invite_sender_name ?? 'SuperOffice mailbox synchronization' };
  } catch (err) {
    if (err instanceof ApiError || err instanceof DomainError) return { error: err.message };
    throw err;
  }
}

/** One `sendMail` per recipient, 20 per `$batch` (throttled items retried); one outcome each, in order. */
export async function sendDigestMails(graph: Graph, sender: MailSender, to: readonly MailTarget[], mail: { subject: string; body: string }): Promise<MailOutcome[]> {
  if (to.length === 0) return [];
  const { outcomes } = await sendBatched(
    graph,
    to.map((t) => ({
      method: 'POST' as const,
      url: `/users/${encodeURIComponent(sender.id)}/sendMail`,
      body: sendMailBody({ address: sender.address, name: sender.name }, t, mail),
    })),
    { envelopeError: 'record' },
  );
  return outcomes.map((o) => {
    if (o.status >= 200 && o.status < 300) return { ok: true, status: o.status, message: 'Sent.' };
    const code = o.body?.error?.code ?? (o.status === 0 ? 'NoAnswer' : `Http${o.status}`);
    return { ok: false, status: o.status, message: `${code}: ${sendFailure(o.status, code)}`.slice(0, 400) };
  });
}

/**
 * The chosen recipients as SuperOffice has them today (the health report's reading of the
 * associates): a changed contact-card e-mail is used, not the one saved with the settings; a
 * retired associate or one whose card has no e-mail any more gets nothing (logged). One the
 * reading does not list keeps the saved address.
 */
export function addressedNow(saved: readonly AlertRecipient[], reading: Pick<HealthReading, 'associates'>, skipped: (message: string, associateId: number) => void = () => {}): AlertRecipient[] {
  const out: AlertRecipient[] = [];
  for (const r of saved) {
    const now = reading.associates.get(r.associateId);
    if (!now) out.push(r);
    else if (!now.active) skipped('alerts: a recipient is retired in SuperOffice; not sent', r.associateId);
    else if (!now.email) skipped('alerts: a recipient has no e-mail on the contact card any more; not sent', r.associateId);
    else out.push({ ...r, email: now.email });
  }
  return out;
}
