import { z } from 'zod';
import { departmentIdSchema, staffIdSchema } from './roster.ts';

/**
 * A fingerprint check-in as the kiosk records it (指纹签到/签退, 抽查). It is made offline as
 * readily as online, so it carries the device's own time and its estimate of how far that clock
 * is off; the server judges lateness by the corrected time, never by when the event arrived.
 */

export const checkinKinds = ['sign-in', 'sign-out', 'spot-check'] as const;
export type CheckinKind = (typeof checkinKinds)[number];

// Written out rather than imported from sync-events.ts, which imports this module.
const uuidV7 = z.uuid({ version: 'v7' });

export const checkinRecordSchema = z.object({
  /** UUIDv7 made on the kiosk; the server stores each record once under it */
  id: uuidV7,
  staffId: staffIdSchema,
  kind: z.enum(checkinKinds),
  /** device clock, epoch ms */
  at: z.int().nonnegative(),
  /** the kiosk's estimate of (server − device) clock when recording; absent: the event's or the batch's */
  clockOffsetMs: z.int().optional(),
  /** the session the kiosk believed it was (morning/afternoon); a hint, the server re-derives it */
  session: z.string().min(1).max(32).optional(),
  /** the open spot check the kiosk answered */
  spotCheckId: uuidV7.optional(),
});
export type CheckinRecord = z.infer<typeof checkinRecordSchema>;

/**
 * A check-in asked of the hall server as it happens: the kiosk's record with its own guess of the
 * kind and session. The server, which holds every kiosk's check-ins, decides both
 * (core/attendance/checkin-decision.ts) and stores the record, or says it repeats an earlier one.
 */
export const checkinRequestSchema = z.object({ checkin: checkinRecordSchema });
export type CheckinRequest = z.infer<typeof checkinRequestSchema>;

export const checkinAnswerSchema = z.object({
  /** recorded: `checkin` is the record as stored, with the server's kind and session; repeat: the earlier record this touch repeats */
  outcome: z.enum(['recorded', 'repeat']),
  checkin: checkinRecordSchema,
});
export type CheckinAnswer = z.infer<typeof checkinAnswerSchema>;

/** What the hall server decided for a pushed check-in: the kiosk corrects its own record to it. */
export const settledCheckinSchema = z.object({
  kind: z.enum(checkinKinds),
  session: z.string().min(1).max(32).nullable(),
});

/** A spot check (不定期抽查) a supervisor opened; kiosks switch to spot-check mode while one is open. */
export const openSpotCheckSchema = z.object({
  id: uuidV7,
  /** null: every department */
  departmentId: departmentIdSchema.nullable(),
  /** server clock, epoch ms */
  startedAt: z.int(),
  /** when it closes by itself unless a supervisor ends it sooner */
  endsAt: z.int(),
});
export type OpenSpotCheck = z.infer<typeof openSpotCheckSchema>;
