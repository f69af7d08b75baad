import { z } from 'zod';
import { settledCheckinSchema } from '../attendance/checkin.ts';
import { epochMsSchema, syncEventSchema } from './events.ts';

/** More than this per request and the kiosk must split its outbox into several pushes. */
export const maxEventsPerPush = 1000;
/** The server refuses larger bodies with 413 before reading them. */
export const maxRequestBytes = 1024 * 1024;

export const pushRequestSchema = z
  .object({
    /** device clock when the batch was sent: the server's fallback for the clock offset */
    sentAt: epochMsSchema,
    /** the kiosk's current estimate of (server − device) clock, for events that carry none */
    clockOffsetMs: z.int().optional(),
    /**
     * The kiosk no longer holds events up to this seq (it pruned acknowledged ones). Only matters
     * after the server was restored from a backup older than that: the server records the lost
     * range as a dead letter and moves on instead of waiting forever for events that are gone.
     */
    prunedThrough: z.int().nonnegative().optional(),
    events: z.array(syncEventSchema).min(1).max(maxEventsPerPush),
  })
  .superRefine((batch, ctx) => {
    batch.events.forEach((event, i) => {
      const previous = batch.events[i - 1];
      if (previous && event.seq !== previous.seq + 1) {
        ctx.addIssue({ code: 'custom', path: ['events', i, 'seq'], message: `seq must follow ${previous.seq} without a gap, got ${event.seq}` });
      }
    });
  });
export type PushRequest = z.infer<typeof pushRequestSchema>;

/**
 * - applied: its effects are stored, exactly once.
 * - duplicate: the server already holds this event (a replay); nothing changed.
 * - dead-lettered: it can never apply (unknown type, a number already taken…); recorded for the
 *   admin and acknowledged so later events are not blocked.
 * The kiosk may delete an entry from its outbox for any of the three.
 */
export const pushStatuses = ['applied', 'duplicate', 'dead-lettered'] as const;
export type PushStatus = (typeof pushStatuses)[number];

export const pushResultSchema = z.object({
  seq: z.int().min(1),
  id: z.string(),
  status: z.enum(pushStatuses),
  reason: z.string().optional(),
  /**
   * For an applied checkin.recorded: the kind and session the server decided from every kiosk's
   * check-ins. The kiosk's own guess (made offline) is corrected to it. Absent from older servers.
   */
  checkin: settledCheckinSchema.optional(),
});
export type PushResult = z.infer<typeof pushResultSchema>;

export const pushResponseSchema = z.object({
  serverTime: z.int(),
  epoch: z.string(),
  /**
   * The highest seq the server holds for this device. If it is lower than what the kiosk saw
   * acknowledged before, the server lost events (restored backup): re-send from here + 1.
   */
  lastAppliedSeq: z.int().nonnegative(),
  /**
   * One per event, in order, for a prefix of the batch: normally all of it, fewer when another
   * push of the same device raced this one. Events without a result must be sent again.
   */
  results: z.array(pushResultSchema),
});
export type PushResponse = z.infer<typeof pushResponseSchema>;
