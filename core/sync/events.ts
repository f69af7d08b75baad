import { z } from 'zod';
import { checkinRecordSchema } from '../attendance/checkin.ts';
import { disclosurePrintedSchema } from '../guide/disclosure-slip.ts';
import { boundedJsonSchema } from '../http/json-bounds.ts';
import { printOutcomes } from '../printing/printing.ts';
import { liveTokenSchema } from '../ticket/live-ticket.ts';
import { languages } from '../text/localized.ts';
import type { Ticket } from '../ticket/ticket.ts';
import { priorityClassSchema, reprintOutcomes, ticketStates } from '../ticket/ticket.ts';

/** Every synced record and event id is a UUIDv7 made on the device. */
export const uuidV7Schema = z.uuid({ version: 'v7' });

export const businessDaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'business day must be YYYY-MM-DD');
export const epochMsSchema = z.int().nonnegative();

export const wireTicketSchema = z.object({
  id: uuidV7Schema,
  /** the kiosk's own id from its config; the server files tickets under the authenticated device */
  kioskId: z.string().min(1).max(64),
  serviceId: z.string().min(1).max(64),
  departmentId: z.string().min(1).max(64),
  businessDay: businessDaySchema,
  sequence: z.int().min(1).max(99_999),
  label: z.string().min(1).max(16),
  priority: priorityClassSchema,
  issuedAt: epochMsSchema,
  state: z.enum(ticketStates),
  printAttempts: z.int().nonnegative().max(1000),
  lastPrintError: z.string().max(500).optional(),
  liveToken: liveTokenSchema.optional(),
  language: z.enum(languages).optional(),
});
// The wire form must carry every field of the kiosk's Ticket, and nothing the Ticket lacks.
type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _ticketShapeMatches: SameShape<z.infer<typeof wireTicketSchema>, Ticket> = true;
void _ticketShapeMatches;

/**
 * The payload of each event type, mirroring the kiosk's outbox entries without their envelope
 * (id, seq, kioskId, at). A kiosk sends `{ seq, id, type, at, payload }`.
 */
export const syncPayloadSchemas = {
  'ticket.issued': z.object({ ticket: wireTicketSchema }),
  'ticket.printed': z.object({ ticketId: uuidV7Schema, printAttempts: z.int().min(1).max(1000) }),
  'ticket.print-failed': z.object({
    ticketId: uuidV7Schema,
    outcome: z.enum([...printOutcomes, 'interrupted']),
    detail: z.string().max(500).optional(),
    printAttempts: z.int().min(1).max(1000),
  }),
  'ticket.voided': z.object({ ticketId: uuidV7Schema, reason: z.string().min(1).max(200) }),
  /**
   * out of paper, the kiosk showed the ticket's live QR (core/ticket/live-ticket.ts) as an
   * electronic ticket: the unprinted ticket is issued, and joins the queue, without paper
   */
  'ticket.held-electronically': z.object({ ticketId: uuidV7Schema }),
  /**
   * staff reprinted (补打) a ticket the citizen held and lost; its number and state stay as they
   * were. printAttempts counts every print of the ticket, this one included, so it is at least 2.
   */
  'ticket.reprinted': z.object({ ticketId: uuidV7Schema, printAttempts: z.int().min(2).max(1000), outcome: z.enum(reprintOutcomes) }),
  /** a fingerprint sign-in, sign-out or spot-check answer (core/attendance/checkin.ts) */
  'checkin.recorded': checkinRecordSchema,
  /** a one-time disclosure slip the kiosk printed (core/guide/disclosure-slip.ts); no personal data */
  'disclosure.printed': disclosurePrintedSchema,
} as const;

export type SyncEventType = keyof typeof syncPayloadSchemas;
export const syncEventTypes = Object.keys(syncPayloadSchemas) as SyncEventType[];
export type SyncPayload<T extends SyncEventType> = z.infer<(typeof syncPayloadSchemas)[T]>;

export function isKnownEventType(type: string): type is SyncEventType {
  return Object.hasOwn(syncPayloadSchemas, type);
}

/**
 * One event on the wire. A type this server does not know is accepted here and dead-lettered on
 * apply (a newer kiosk must not block its own queue); a known type must carry a valid payload,
 * because kiosk and server validate with this same schema and anything else is corruption.
 */
export const syncEventSchema = z
  .object({
    /** this device's sequence number: 1, 2, 3… with no gaps, never reused */
    seq: z.int().min(1),
    id: uuidV7Schema,
    type: z.string().min(1).max(64).regex(/^[a-z][a-z0-9.-]*$/, 'event type: lower-case letters, digits, dots and dashes'),
    /** device clock when the event happened */
    at: epochMsSchema,
    /** the kiosk's estimate of (server clock − device clock) when the event happened */
    clockOffsetMs: z.int().optional(),
    /**
     * Bounded for every type, known ones too: the server stores the payload as sent (a dead
     * letter keeps keys the schema does not know), so its depth and size must be safe to store.
     */
    payload: boundedJsonSchema(),
  })
  .superRefine((event, ctx) => {
    if (!isKnownEventType(event.type)) return;
    const parsed = syncPayloadSchemas[event.type].safeParse(event.payload);
    if (parsed.success) return;
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ code: 'custom', path: ['payload', ...issue.path], message: issue.message });
    }
  });
export type SyncEvent = z.infer<typeof syncEventSchema>;
