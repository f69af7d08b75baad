import { z } from 'zod';
import { localizedTextSchema } from '../text/localized.ts';
import { readerFailureSchema, type ReaderFailure } from './fingerprint-reader-api.ts';
import { staffIdSchema, staffMemberSchema } from './roster.ts';

/**
 * The staff roster and the fingers in this kiosk's reader, as the page meets them (staff.* kiosk
 * methods). The privileged side pulls the roster and the templates, keeps the reader's slot map
 * and identifies fingers against it; the page learns who touched, lists names for the staff
 * screen, and asks for an enrolment — it never holds a template, a reader page or the slot map.
 */

/** One press on the reader as the page hears it: who it was, or why nobody. */
export const staffTouchSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), staff: staffMemberSchema, score: z.number().int().min(0) }),
  readerFailureSchema,
]);
export type StaffTouch = z.infer<typeof staffTouchSchema>;

export const enrolFingerRequestSchema = z.object({
  staffId: staffIdSchema,
  /** 0–9, thumb to little finger, right hand first (as the roster numbers them) */
  finger: z.int().min(0).max(9),
  /** the finger already has a template here and staff said to enrol it again */
  replace: z.boolean().default(false),
});
export type EnrolFingerRequest = z.input<typeof enrolFingerRequestSchema>;

export const enrolmentFailureKinds = [
  /** the reader holds it, but the server did not take it: other kiosks would not know the finger */
  'upload-failed',
  /** the finger already has a template and `replace` was not set: nothing was touched */
  'already-enrolled',
  /** not an active member of the roster this kiosk holds */
  'unknown-staff',
] as const;

export const enrolFingerOutcomeSchema = z.union([
  z.object({ ok: z.literal(true), revision: z.int().positive(), replaced: z.boolean() }),
  readerFailureSchema,
  /** the finger is already another staff member's: `ownerStaffId` when this kiosk knows whose (for the admin screen only) */
  z.object({ ok: z.literal(false), kind: z.literal('duplicate'), ownerStaffId: staffIdSchema.nullable(), text: localizedTextSchema }),
  z.object({ ok: z.literal(false), kind: z.enum(enrolmentFailureKinds), text: localizedTextSchema }),
]);
export type EnrolFingerOutcome = z.infer<typeof enrolFingerOutcomeSchema>;
export type EnrolmentFailure = Exclude<EnrolFingerOutcome, { ok: true } | ReaderFailure>;

/** Active members of the roster the privileged side last pulled. */
export const staffRosterSchema = z.object({ members: z.array(staffMemberSchema) });

export const staffMethods = {
  /** the roster's active members, for the staff screen and a demo kiosk's finger buttons */
  'staff.roster': { args: z.tuple([]), result: staffRosterSchema },
  /** a guided enrolment into this kiosk's reader, uploaded to the hall server (needs a staff sign-in) */
  'staff.enrolFinger': { args: z.tuple([enrolFingerRequestSchema]), result: enrolFingerOutcomeSchema },
} as const;
