import type { Kysely } from 'kysely';
import type { BusinessDay } from '../../core/calendar/business-day.ts';
import type { Leg } from '../../core/queue/leg.ts';
import { nextLeg } from '../../core/queue/next-ticket.ts';
import type { QueueEntry } from '../../core/ticket/calling-order.ts';
import { readCallingSettings } from '../calling/calling-settings-store.ts';
import { readWaitingLegs } from '../calling/leg-rows.ts';
import type { Database } from '../db/schema.ts';

/**
 * Who is called next in one service's queue today: its waiting legs (printed, not yet called, not
 * voided) in the order a window serving only this service would call them by the next rule
 * (core/queue/next-ticket.ts) — long waits, then priority classes within the hall's quota, then
 * corrected issue time, never the label. A leg a transfer pinned to one window waits there instead.
 */
export async function callingOrder(db: Kysely<Database>, hallId: string, serviceId: string, day: BusinessDay, now: number): Promise<QueueEntry[]> {
  const settings = await readCallingSettings(db, hallId);
  let legs: Leg[] = (await readWaitingLegs(db, hallId, day, [serviceId])).filter((l) => l.pinnedWindow === null);
  // No window has number 0: the one serving only this service, with no calls behind it yet.
  const window = { number: 0, profile: { main: [serviceId], extra: [] } };
  const order: QueueEntry[] = [];
  for (;;) {
    const choice = nextLeg({ window, legs, recentCalls: order.map((e) => e.priority), settings, today: day, now });
    if (!choice) return order;
    order.push({ ticketId: choice.leg.ticketId, label: choice.leg.label, priority: choice.leg.priority, correctedIssuedAt: choice.leg.issuedAt });
    legs = legs.filter((l) => l.id !== choice.leg.id);
  }
}
