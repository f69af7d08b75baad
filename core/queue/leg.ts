import { z } from 'zod';
import type { BusinessDay } from '../calendar/business-day.ts';
import { businessDaySchema } from '../sync/events.ts';
import type { LocalizedText } from '../text/localized.ts';
import { priorityClassSchema } from '../ticket/ticket.ts';
import type { PriorityClass } from '../ticket/ticket.ts';

/**
 * A leg is one pass of a ticket through the calling system: waiting for a window, called, served,
 * finished. A transfer (转移) closes the leg and opens a new one with the same number, linked to
 * its parent, so each leg has one service and one window and its times measure one service.
 * A ticket gets its first leg when it is issued (printed): a ticket printing, unprinted or
 * voided has no leg, so nothing here can call it.
 */
export const legStates = ['waiting', 'called', 'serving', 'done', 'no-show', 'suspended', 'transferred', 'voided'] as const;
export const legStateSchema = z.enum(legStates);
export type LegState = z.infer<typeof legStateSchema>;

/** Legs in these states will never move again. */
export const finalLegStates = ['done', 'transferred', 'voided'] as const satisfies readonly LegState[];

export const legStateNames: { readonly [S in LegState]: LocalizedText } = {
  waiting: { zh: '等候中', en: 'waiting' },
  called: { zh: '已呼叫', en: 'called' },
  serving: { zh: '办理中', en: 'being served' },
  done: { zh: '已办结', en: 'finished' },
  'no-show': { zh: '已过号', en: 'a no-show' },
  suspended: { zh: '已挂起', en: 'suspended' },
  transferred: { zh: '已转移', en: 'transferred' },
  voided: { zh: '已作废', en: 'voided' },
};

/**
 * Where a leg stands in its queue: the ticket's corrected issue time (server clock), then `tie`.
 * `tie` is [ticketId] for a leg in its own place; a recycled leg (过号重排) takes the key of the
 * leg it now waits behind and appends its own ticket id, which sorts it right after that leg
 * and before anything that was behind it, whatever the ids look like.
 */
export const legOrderSchema = z.object({
  at: z.int().nonnegative(),
  tie: z.array(z.string().min(1).max(64)).min(1).max(200),
});
export type LegOrder = z.infer<typeof legOrderSchema>;

export const legSchema = z.object({
  /** UUIDv7 of the leg */
  id: z.string().min(1).max(64),
  /** the ticket (UUIDv7): every leg of a transferred ticket shares it */
  ticketId: z.string().min(1).max(64),
  parentLegId: z.string().min(1).max(64).nullable(),
  /** the printed number, e.g. A007; shown and spoken, never used to order */
  label: z.string().min(1).max(16),
  serviceId: z.string().min(1).max(64),
  priority: priorityClassSchema,
  businessDay: businessDaySchema,
  /** the ticket's issue time corrected for its kiosk's clock offset; a transfer keeps it */
  issuedAt: z.int().nonnegative(),
  order: legOrderSchema,
  state: legStateSchema,
  /** only this window may call the leg (a transfer to a window) */
  pinnedWindow: z.int().positive().nullable(),
  /** the window that last called the leg; it holds the leg while called, serving or suspended */
  window: z.int().positive().nullable(),
  /** calls in the current round (call + 重呼); back to 0 when the leg waits again */
  calls: z.int().nonnegative(),
  firstCalledAt: z.int().nonnegative().nullable(),
  lastCalledAt: z.int().nonnegative().nullable(),
  startedAt: z.int().nonnegative().nullable(),
  /** when the leg reached done, no-show, transferred or voided */
  endedAt: z.int().nonnegative().nullable(),
  /** 过号重排 happens once per leg */
  recycled: z.boolean(),
});
export type Leg = z.infer<typeof legSchema>;

export interface NewLeg {
  id: string;
  ticketId: string;
  label: string;
  serviceId: string;
  priority: PriorityClass;
  businessDay: BusinessDay;
  /** corrected issue time */
  issuedAt: number;
  pinnedWindow?: number | null;
  parentLegId?: string | null;
}

/** A waiting leg in its own place: the first leg of an issued ticket, or a transfer's new leg. */
export function waitingLeg(l: NewLeg): Leg {
  return {
    id: l.id,
    ticketId: l.ticketId,
    parentLegId: l.parentLegId ?? null,
    label: l.label,
    serviceId: l.serviceId,
    priority: l.priority,
    businessDay: l.businessDay,
    issuedAt: l.issuedAt,
    order: { at: l.issuedAt, tie: [l.ticketId] },
    state: 'waiting',
    pinnedWindow: l.pinnedWindow ?? null,
    window: null,
    calls: 0,
    firstCalledAt: null,
    lastCalledAt: null,
    startedAt: null,
    endedAt: null,
    recycled: false,
  };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Queue order: earlier corrected issue time first, then the tie key (a prefix sorts first), then
 * the leg id so the order is total. Code-unit comparison, never locale: every server and browser
 * must agree.
 */
export function compareLegOrder(a: Pick<Leg, 'order' | 'id'>, b: Pick<Leg, 'order' | 'id'>): number {
  if (a.order.at !== b.order.at) return a.order.at - b.order.at;
  const n = Math.min(a.order.tie.length, b.order.tie.length);
  for (let i = 0; i < n; i++) {
    const c = compareStrings(a.order.tie[i]!, b.order.tie[i]!);
    if (c !== 0) return c;
  }
  if (a.order.tie.length !== b.order.tie.length) return a.order.tie.length - b.order.tie.length;
  return compareStrings(a.id, b.id);
}
