import type { Next } from 'koa';
import { ApiError } from './errors.js';
import type { ApiContext } from './types.js';

/** Only SuperOffice administrators of the session's tenant may change anything. */
export async function requireAdmin(ctx: ApiContext, next: Next): Promise<void> {
  if (!ctx.state.session?.isAdmin) {
    throw new ApiError(403, 'AdminRequired', 'Only SuperOffice administrators can make this change.');
  }
  await next();
}
