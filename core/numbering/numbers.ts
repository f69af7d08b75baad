import { z } from 'zod';
import type { NumberReserve } from './number-reserve.ts';
import { priorityClassSchema } from '../ticket/ticket.ts';
import { businessDaySchema } from '../sync/events.ts';

const serviceIdSchema = z.string().min(1).max(64);

/** Online issue: the server hands out the next number of the service for the hall's today. */
export const nextNumberRequestSchema = z.object({
  serviceId: serviceIdSchema,
  priority: priorityClassSchema,
});
export type NextNumberRequest = z.infer<typeof nextNumberRequestSchema>;

export const nextNumberResponseSchema = z.object({
  serviceId: z.string(),
  businessDay: businessDaySchema,
  sequence: z.int().min(1),
  label: z.string(),
  priority: priorityClassSchema,
  dailyQuota: z.int().positive(),
  serverTime: z.int(),
});
export type NextNumberResponse = z.infer<typeof nextNumberResponseSchema>;

export const maxLeaseCount = 200;

/** Offline issue: a block of numbers reserved for this kiosk; /next never hands them out. */
export const leaseRequestSchema = z.object({
  serviceId: serviceIdSchema,
  day: businessDaySchema,
  count: z.int().min(1).max(maxLeaseCount),
});
export type LeaseRequest = z.infer<typeof leaseRequestSchema>;

export const numberLeaseSchema = z.object({
  id: z.string(),
  serviceId: z.string(),
  businessDay: businessDaySchema,
  first: z.int().min(1),
  /** inclusive; fewer than asked for when the daily quota (限号) ran short */
  last: z.int().min(1),
});
export type NumberLease = z.infer<typeof numberLeaseSchema>;

export const leaseResponseSchema = z.object({
  lease: numberLeaseSchema,
  serverTime: z.int(),
});
export type LeaseResponse = z.infer<typeof leaseResponseSchema>;

/**
 * The hall server's live count of one service's tickets today: what the kiosks show as 余N号, the
 * same figure the server's /next decides by (a quota counts tickets issued, not numbers reserved).
 * `issued` may pass `quota` by the bounded overshoot of offline tickets (core/numbering/lease-band.ts).
 */
export const dayCountSchema = z.object({
  serviceId: z.string().min(1).max(64),
  issued: z.int().nonnegative(),
  quota: z.int().nonnegative(),
});
export type DayCount = z.infer<typeof dayCountSchema>;

/** A fresh lease as the kiosk's reserve, ready to hand out its first number. */
export function reserveFromLease(lease: NumberLease): NumberReserve {
  return { id: lease.id, serviceId: lease.serviceId, businessDay: lease.businessDay, next: lease.first, last: lease.last };
}
