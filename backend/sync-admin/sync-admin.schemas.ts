import { z } from 'zod';
import { LinkIds } from '../links/link.schemas.js';

/** The most linked users one Sync now or Resume may name (one request per screenful of selection). */
export const MAX_SYNC_BATCH = 1000;

/** POST /api/v1/sync/run and POST /api/v1/sync/release: the selected linked users. */
export const SyncLinksBody = z.strictObject({ linkIds: LinkIds(MAX_SYNC_BATCH) });
export type SyncLinksRequest = z.input<typeof SyncLinksBody>;

// ---- Answers ------------------------------------------------------------------------------------

/** POST /api/v1/sync/run: how many linked users are due now. */
export const SyncRunAnswer = z.strictObject({ requested: z.number().int().min(1) });
/** POST /api/v1/sync/release: how many linked users the breaker let go. */
export const SyncReleaseAnswer = z.strictObject({ released: z.number().int().min(1) });
