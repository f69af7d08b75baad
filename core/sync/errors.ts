import { z } from 'zod';
import { closedReasons } from '../calendar/hall-calendar.ts';
import { localizedTextSchema } from '../text/localized.ts';

/**
 * Every answer of the hall's server, success or error, carries the server's clock: the kiosk
 * estimates its own clock's offset from it, and calling order is corrected by that offset.
 */
export const serverTimeHeader = 'x-server-time';
/** Sent by kiosks so the admin can see which version each runs; never used for decisions. */
export const kioskVersionHeader = 'x-kiosk-version';

export const apiErrorCodes = [
  'invalid-body',
  'invalid-json',
  'body-too-large',
  'unsupported-media-type',
  'token-missing',
  'token-invalid',
  'device-revoked',
  'enrollment-code-invalid',
  'admin-credentials-invalid',
  /** too many failed logins for this admin user name: locked until `lockedUntil` */
  'admin-locked',
  /** a state-changing admin request from another origin than the server's own pages (CSRF) */
  'cross-origin-refused',
  /** an admin page's form without its session's CSRF token */
  'csrf-token-invalid',
  'rate-limited',
  /** 503: the server works on as many requests as it can answer in time; retry after retryAfterSeconds */
  'overloaded',
  'seq-gap',
  'seq-conflict',
  'quota-reached',
  /** the hall calendar: this session's 限号 is used up, numbers are not issued now, the service is closed today */
  'session-quota-reached',
  'outside-issue-window',
  'service-closed',
  'unknown-service',
  'day-not-open',
  /** a lease asked for while this device holds as many unused leased numbers as it may (they bound the offline overshoot) */
  'lease-limit',
  /** the day's band of leasable numbers above the quota is used up; online issue goes on */
  'lease-band-used-up',
  'cursor-invalid',
  'not-found',
  'conflict',
  /** fingerprint template routes on a server started without its template key */
  'templates-disabled',
  /** a template upload authorised by a finger that is not an active admin's */
  'not-an-admin',
  /** a template upload of a finger the hall already holds for another staff member */
  'duplicate-finger',
  /** a template upload from a kiosk no admin gave leave to enrol this staff member's fingers at (an enrolment grant) */
  'enrolment-not-granted',
  /** counter calling: the press is refused by the lifecycle or the window's state; `refusal` and `localized` say why */
  'counter-refused',
  /** counter sign-in: wrong staff number or PIN */
  'counter-credentials-invalid',
  /** counter sign-in: too many failed PINs for this staff member, locked until `lockedUntil` */
  'counter-locked',
  /** an idempotency key already used for a different press */
  'idempotency-key-reused',
  'internal',
] as const;
export type ApiErrorCode = (typeof apiErrorCodes)[number];

export const apiErrorSchema = z.object({
  error: z.object({
    code: z.enum(apiErrorCodes),
    message: z.string(),
    /** for invalid bodies: the first offending field, e.g. `events[2].payload.ticket.sequence` */
    field: z.string().optional(),
    /** for seq-gap and seq-conflict: what the server holds for this device */
    lastAppliedSeq: z.int().nonnegative().optional(),
    /** for rate-limited and overloaded */
    retryAfterSeconds: z.number().positive().optional(),
    /** for the calendar's refusals (and quota-reached): why, and when numbers can next be taken */
    reason: z.enum(closedReasons).optional(),
    nextOpening: z.int().nullable().optional(),
    holiday: localizedTextSchema.optional(),
    /** for counter-refused: the refusal's code (core/queue) and its text in both languages */
    refusal: z.string().optional(),
    localized: localizedTextSchema.optional(),
    lockedUntil: z.int().optional(),
  }),
  serverTime: z.int(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;
