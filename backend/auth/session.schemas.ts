import { z } from 'zod';
import { opaqueText } from '../http/text.js';

/** POST /auth/superoffice/ticket (Onsite): the ticket SuperOffice put in the panel URL (`<usec>`). */
export const TicketBody = z.strictObject({
  ticket: opaqueText(2000).min(4).regex(/^\S+$/, 'a SuperOffice ticket has no spaces'),
  tenant: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
});
export type TicketRequest = z.input<typeof TicketBody>;

// ---- Answers ------------------------------------------------------------------------------------

/** POST /auth/superoffice/ticket: the session, as the sign-in popup posts it in Online. */
export const TicketSignIn = z.strictObject({ token: z.string(), expiresAt: z.iso.datetime(), isAdmin: z.boolean(), name: z.string() });
export type TicketSignIn = z.output<typeof TicketSignIn>;

/** GET /api/v1/session: who is signed in. */
export const SessionInfo = z.strictObject({
  tenantId: z.string(),
  associateId: z.number().int(),
  associateName: z.string(),
  isAdmin: z.boolean(),
  expiresAt: z.iso.datetime(),
});
export type SessionInfo = z.output<typeof SessionInfo>;
