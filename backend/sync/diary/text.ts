import type { SoAppointment } from './ports.js';

/**
 * Text fields: how subject, location and body are normalised so that equal means "no change",
 * SuperOffice's length limits, and the participants block an event's body carries instead of
 * attendees (Graph e-mails invitations to attendees, and that cannot be turned off).
 */

/**
 * SuperOffice's limits: `appointment.location` is String(254) (SuperOffice docs,
 * database/tables/appointment.md); the title is refused above 240 characters by the Web API.
 */
export const SO_TITLE_MAX = 240;
export const SO_LOCATION_MAX = 254;

/** The line that opens the participants block in an event's body; everything after it is ours. */
export const PARTICIPANTS_MARKER = '— Participants (from SuperOffice) —';

/** At most `max` characters (UTF-16 units, as SuperOffice counts), never splitting a surrogate pair; then trimmed. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out.trim();
}

/** Subject and location: trimmed; line breaks (which neither side shows) become spaces. */
export function normaliseLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** Plain text with LF line ends, no trailing whitespace on a line, no blank lines before or after. */
export function normaliseBody(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/\s+$/, ''));
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines.join('\n');
}

/** The body without our participants block (the last marker line and everything after it). */
export function stripParticipants(body: string): string {
  const lines = normaliseBody(body).split('\n');
  const at = lines.map((l) => l.trim()).lastIndexOf(PARTICIPANTS_MARKER);
  return at < 0 ? lines.join('\n') : normaliseBody(lines.slice(0, at).join('\n'));
}

/** An event's body: the text, a blank line, then the block (one `Name <email>` per participant). */
export function withParticipants(body: string, participants: SoAppointment['participants']): string {
  if (participants.length === 0) return body;
  const lines = participants.map((p) => {
    const name = normaliseLine(p.name);
    return p.email ? `${name} <${p.email.trim()}>`.trim() : name;
  });
  const block = [PARTICIPANTS_MARKER, ...lines].join('\n');
  return body === '' ? block : `${body}\n\n${block}`;
}
