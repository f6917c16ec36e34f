import { z } from 'zod';

/** GET /api/v1/associates → `{ associates: Associate[] }`: one SuperOffice user. */
export const Associate = z.strictObject({
  associateId: z.number().int(),
  name: z.string(),
  loginName: z.string(),
  personId: z.number().int().nullable(),
  userGroupId: z.number().int().nullable(),
  userGroup: z.string().nullable(),
  /** False for a retired associate. */
  active: z.boolean(),
  /** The primary email on the associate's contact-person card, trimmed; null when there is none. */
  email: z.string().nullable(),
});
export type Associate = z.output<typeof Associate>;

export const AssociateList = z.strictObject({ associates: z.array(Associate) });
