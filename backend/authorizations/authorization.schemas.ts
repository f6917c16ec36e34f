import { z } from 'zod';

/** POST /api/v1/authorizations/revoke `{ mailboxIds }`. */
export const RevokeAuthorizationsBody = z.strictObject({
  mailboxIds: z.array(z.guid().transform((s) => s.toLowerCase())).min(1).max(1000),
});

// ---- Answers ------------------------------------------------------------------------------------

/** GET /api/v1/authorizations → `{ authorizations: Authorization[] }`: mailboxes whose owner accepted. */
export const Authorization = z.strictObject({
  mailboxId: z.guid(),
  mailboxAddress: z.string(),
  displayName: z.string(),
  /** The Microsoft account (UPN) that signed in and accepted. */
  account: z.string(),
  /** The invited associate, when the authorization came from an invite. */
  associateId: z.number().int().nullable(),
  associateName: z.string().nullable(),
  authorizedAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().nullable(),
});
export type Authorization = z.output<typeof Authorization>;

export const AuthorizationList = z.strictObject({ authorizations: z.array(Authorization) });

/**
 * POST /api/v1/authorizations/revoke → `{ revoked, disabledLinks }`: the links of those mailboxes
 * stay (options and history kept) but are not synchronized until the owner accepts a new invite.
 */
export const AuthorizationRevokeResult = z.strictObject({
  revoked: z.array(Authorization),
  disabledLinks: z.number().int().min(0),
});
export type AuthorizationRevokeResult = z.output<typeof AuthorizationRevokeResult>;
