import type { Kysely } from 'kysely';
import type { BusinessDay } from '../../core/calendar/business-day.ts';
import type { CallingSettings } from '../../core/queue/calling-settings.ts';
import type { QueueEventData } from '../../core/queue/hall-events.ts';
import type { Leg } from '../../core/queue/leg.ts';
import { newTicketEstimate, serviceQueueCounts } from '../../core/queue/service-queue.ts';
import type { ServiceSample } from '../../core/queue/wait-estimate.ts';
import { serviceSampleOf, windowsOpenFor } from '../../core/queue/wait-estimate.ts';
import type { Database } from '../db/schema.ts';
import { legOfRow } from './leg-rows.ts';
import { readWindows } from './window-rows.ts';

/**
 * What the kiosks are told of a service's queue (core/queue/service-queue.ts): the waiting counts,
 * 前面还有N人 and 预计等候 for a ticket issued now. The pace (services finished lately) and the open
 * windows change slowly and may be read first; the waiting legs are read last, so that a caller
 * holding the hall's event lock gets counts exactly as it commits them.
 */

export interface QueuePace {
  samples: ServiceSample[];
  /** windows open now, per service */
  windowsOpen: (serviceId: string) => number;
}

/** The services measured lately today (of `serviceIds`, or all) and the windows open now. */
export async function readQueuePace(db: Kysely<Database>, hallId: string, day: BusinessDay, settings: Pick<CallingSettings, 'waitEstimate'>, now: number, serviceIds?: readonly string[]): Promise<QueuePace> {
  let query = db
    .selectFrom('ticket_legs')
    .selectAll()
    .where('hall_id', '=', hallId)
    .where('business_day', '=', day)
    .where('state', 'in', ['done', 'no-show', 'transferred'])
    .where('ended_at', '>', now - settings.waitEstimate.bandMinutes * 60_000);
  if (serviceIds) query = query.where('service_id', 'in', [...serviceIds]);
  const samples = (await query.execute()).map((r) => serviceSampleOf(legOfRow(r))).filter((s): s is ServiceSample => s !== null);
  const windows = (await readWindows(db, hallId)).map((w) => ({ window: w.window, status: w.status }));
  return { samples, windowsOpen: (serviceId) => windowsOpenFor(serviceId, windows) };
}

/** A service's queue as a queue event carries it, from the day's waiting legs and the pace. */
export function serviceQueueOf(
  legs: readonly Leg[],
  pace: QueuePace,
  serviceId: string,
  day: BusinessDay,
  settings: Pick<CallingSettings, 'maxPriorityInRow' | 'longWaitMinutes' | 'waitEstimate'>,
  now: number,
): QueueEventData {
  const counts = serviceQueueCounts(legs, serviceId, day, settings, now);
  const estimateMinutes = newTicketEstimate(counts, { serviceId, samples: pace.samples, windowsOpen: pace.windowsOpen(serviceId), today: day, now, settings });
  return { serviceId, businessDay: day, ...counts, estimateMinutes };
}
