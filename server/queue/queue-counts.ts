import type { Kysely } from 'kysely';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import type { QueueState, ServiceQueue } from '../../core/ticket/queue-state.ts';
import { readCallingSettings } from '../calling/calling-settings-store.ts';
import { readDayLegs } from '../calling/leg-rows.ts';
import { readQueuePace, serviceQueueOf } from '../calling/service-queues.ts';
import type { Database } from '../db/schema.ts';
import { readHallState } from '../hall/hall-settings.ts';

/**
 * Today's queue of every service, counted afresh (core/queue/service-queue.ts says who waits, how
 * many a new ticket has ahead and how long it may wait). Between counts the hall event stream's queue events carry the
 * same figures, written by the transaction that changed them (server/queue/queue-feed.ts).
 */
export async function readQueueState(db: Kysely<Database>, clock: Clock): Promise<QueueState> {
  const hall = await readHallState(db);
  const now = clock.now();
  const businessDay = businessDayOf(now, hall.timeZone);
  const settings = await readCallingSettings(db, hall.hallId);
  const pace = await readQueuePace(db, hall.hallId, businessDay, settings, now);
  const legs = await readDayLegs(db, hall.hallId, businessDay, ['waiting']);
  const serviceIds = [...new Set(legs.filter((l) => l.pinnedWindow === null).map((l) => l.serviceId))].sort();
  const services: ServiceQueue[] = serviceIds.map((serviceId) => {
    const { waiting, waitingPriority, aheadOfNew, estimateMinutes } = serviceQueueOf(legs, pace, serviceId, businessDay, settings, now);
    return { serviceId, waiting, waitingPriority, aheadOfNew, estimateMinutes };
  });
  return { businessDay, asOf: now, services };
}
