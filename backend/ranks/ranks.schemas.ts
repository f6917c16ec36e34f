import { z } from 'zod';
import { LinkIds, MAX_BATCH, Rank } from '../links/link.schemas.js';

/** Hours of engine load the ranks view and the proposal measure. */
export const LOAD_WINDOW_HOURS = 24;

/** POST /api/v1/ranks/proposal: the ranks to even the load across and, optionally, the users to move (default: every user on those ranks). */
export const ProposalBody = z.strictObject({
  ranks: z
    .array(Rank)
    .min(1)
    .max(99)
    .superRefine((ranks, ctx) => {
      const seen = new Set<number>();
      ranks.forEach((r, i) => {
        if (seen.has(r)) ctx.addIssue({ code: 'custom', path: [i], message: 'this rank appears twice' });
        seen.add(r);
      });
    }),
  linkIds: LinkIds(MAX_BATCH).optional(),
});
export type ProposalRequest = z.input<typeof ProposalBody>;

// ---- Answers ------------------------------------------------------------------------------------

const Count = z.number().int().min(0);
const RankNumber = z.number().int().min(1).max(99);

/** GET /api/v1/ranks: per Server Rank with users, what its users cost the engine in the last day. */
export const RanksAnswer = z.strictObject({
  ranks: z.array(z.strictObject({ rank: RankNumber, users: Count, itemsInSync: Count, graphRequests: Count, throttled: Count })),
  windowHours: z.literal(LOAD_WINDOW_HOURS),
});
export type RanksAnswer = z.output<typeof RanksAnswer>;

export const SpreadAnswer = z.strictObject({
  perRank: z.array(z.strictObject({ rank: RankNumber, users: Count, load: Count })),
  max: Count,
  min: Count,
  spread: Count,
});

/**
 * POST /api/v1/ranks/proposal: the moves (applied as one Save Users Options: PATCH /api/v1/links
 * with each move's options, `toRank` and `expectedVersion`) and the load per chosen rank before
 * and after. Load = Graph requests in the last day + items in sync; a disabled user has none.
 */
export const ProposalAnswer = z.strictObject({
  moves: z.array(
    z.strictObject({
      id: z.uuid(),
      associateName: z.string(),
      fromRank: RankNumber,
      toRank: RankNumber,
      expectedVersion: z.number().int().min(1),
      load: Count,
      diary: z.boolean(),
      task: z.boolean(),
      contact: z.boolean(),
    }),
  ),
  before: SpreadAnswer,
  after: SpreadAnswer,
  windowHours: z.literal(LOAD_WINDOW_HOURS),
});
export type ProposalAnswer = z.output<typeof ProposalAnswer>;
