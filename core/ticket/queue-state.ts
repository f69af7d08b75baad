import { z } from 'zod';
import type { BusinessDay } from '../calendar/business-day.ts';
import { businessDaySchema } from '../sync/events.ts';
import type { PriorityClass } from './ticket.ts';
import { isPriority } from './ticket.ts';

/**
 * Who counts as waiting in a service's queue, as the hall server publishes it to the kiosks:
 * counter calling's waiting legs (core/queue/service-queue.ts) — printed, not yet called, not
 * voided, for the service today. A ticket still printing or whose print failed never waits:
 * nobody holds it. A called, served or finished ticket no longer does.
 *
 * The server counts only what kiosks have pushed: a ticket issued offline joins the count when
 * its kiosk catches up.
 */
export const serviceQueueSchema = z.object({
  serviceId: z.string().min(1).max(64),
  /** waiting tickets of every class */
  waiting: z.int().nonnegative(),
  /** of those, the priority classes (特殊人群), which are called first within the hall's quota */
  waitingPriority: z.int().nonnegative(),
  /**
   * 前面还有N人 for a ticket issued now, of a normal and of a priority class, by the next rule
   * (core/queue/people-ahead.ts); absent from a server older than counter calling
   */
  aheadOfNew: z.object({ normal: z.int().nonnegative(), priority: z.int().nonnegative() }).optional(),
  /** 预计等候约N分钟 for a ticket issued now, each null when the server has too few measurements today to say */
  estimateMinutes: z.object({ normal: z.int().positive().nullable(), priority: z.int().positive().nullable() }).optional(),
});
export type ServiceQueue = z.infer<typeof serviceQueueSchema>;

export const queueStateSchema = z.object({
  /** the hall's today when counted; a ticket of another day learns nothing from it */
  businessDay: businessDaySchema,
  /** server clock when the server last confirmed these counts */
  asOf: z.int(),
  /** every service with at least one waiting ticket; a service not listed has none */
  services: z.array(serviceQueueSchema).max(5000),
});
export type QueueState = z.infer<typeof queueStateSchema>;

/** The SSE event name; its data is one QueueState as JSON. */
export const queueStateEventName = 'queue-state';
/**
 * The server re-sends the state at least this often, so a kiosk that hears nothing for
 * `queueStateStaleAfterMs` knows the stream is dead even when TCP does not say so.
 */
export const queueStateResendMs = 15_000;
export const queueStateStaleAfterMs = 45_000;

/**
 * How many people are ahead of a ticket about to be issued, from the last state the kiosk saw
 * (which cannot yet hold the ticket itself): the server's figure by the next rule, or from an older
 * server every priority ticket before a new priority one, everyone before a new normal one. Null —
 * say nothing — when the state is unknown (offline) or of another day: a guess printed on a ticket
 * would mislead.
 */
export function peopleAhead(
  state: QueueState | null,
  ticket: { serviceId: string; businessDay: BusinessDay; priority: PriorityClass },
): number | null {
  if (!state || state.businessDay !== ticket.businessDay) return null;
  const service = state.services.find((s) => s.serviceId === ticket.serviceId);
  if (!service) return 0;
  if (service.aheadOfNew) return isPriority(ticket.priority) ? service.aheadOfNew.priority : service.aheadOfNew.normal;
  return isPriority(ticket.priority) ? service.waitingPriority : service.waiting;
}

/**
 * 预计等候 for a ticket about to be issued, in minutes, from the last state the kiosk saw; null —
 * print nothing — when unknown, of another day, or the server had too few measurements to say.
 */
export function waitEstimateMinutes(
  state: QueueState | null,
  ticket: { serviceId: string; businessDay: BusinessDay; priority: PriorityClass },
): number | null {
  if (!state || state.businessDay !== ticket.businessDay) return null;
  const estimate = state.services.find((s) => s.serviceId === ticket.serviceId)?.estimateMinutes;
  if (!estimate) return null;
  return isPriority(ticket.priority) ? estimate.priority : estimate.normal;
}

/** Two states that tell a kiosk the same thing (only `asOf` differs). */
export function sameQueueCounts(a: QueueState | null, b: QueueState | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.businessDay !== b.businessDay || a.services.length !== b.services.length) return false;
  return a.services.every((s, i) => {
    const o = b.services[i]!;
    return s.serviceId === o.serviceId && s.waiting === o.waiting && s.waitingPriority === o.waitingPriority
      && s.aheadOfNew?.normal === o.aheadOfNew?.normal && s.aheadOfNew?.priority === o.aheadOfNew?.priority
      && s.estimateMinutes?.normal === o.estimateMinutes?.normal && s.estimateMinutes?.priority === o.estimateMinutes?.priority;
  });
}
