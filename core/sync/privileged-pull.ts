import { z } from 'zod';
import { rosterPullSchema } from '../attendance/roster.ts';
import { hallRulesSchema } from '../calendar/calendar-rules.ts';

/**
 * The kiosk privileged side's own pull (GET /api/v1/sync/privileged-pull): what decides trust or
 * drives a device, which the privileged side owns and the page never holds — the staff roster,
 * which fingerprint templates exist, and the hall rules. The page's pull (core/sync/pull.ts,
 * `for=page`) carries the rest. One opaque cursor covers both parts.
 */
export const privilegedPullQuerySchema = z.object({
  /** exactly as the previous answer gave it; absent (or not one this server made): everything */
  cursor: z.string().min(1).max(1024).optional(),
});

export const privilegedPullResponseSchema = z.object({
  serverTime: z.int(),
  /**
   * The roster: with `full` the whole of it (a template the kiosk holds that is not listed must go
   * from its reader), else the changes since the cursor. Its own `cursor` field is the same as the
   * answer's.
   */
  staff: rosterPullSchema,
  /** the hall calendar when it changed since the cursor (all of it on a full answer); null when unchanged or never saved */
  hallRules: hallRulesSchema.nullable(),
  /** opaque: pass it back unchanged on the next pull */
  cursor: z.string(),
});
export type PrivilegedPullResponse = z.infer<typeof privilegedPullResponseSchema>;
