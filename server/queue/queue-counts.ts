import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import type { QueueState, ServiceQueue } from '../../core/ticket/queue-state.ts';
import { waitingTicketStates } from '../../core/ticket/queue-state.ts';
import type { Database } from '../db/schema.ts';
import { readHallState } from '../hall/hall-settings.ts';

/**
 * Today's waiting counts of every service (core/ticket/queue-state.ts says who waits). One grouped
 * query over the day's tickets — a hall issues hundreds a day, not millions — served by the
 * (hall_id, business_day, label) index; cheap enough for every server process to run each second.
 */
export async function readQueueState(db: Kysely<Database>, clock: Clock): Promise<QueueState> {
  const hall = await readHallState(db);
  const now = clock.now();
  const businessDay = businessDayOf(now, hall.timeZone);
  const rows = await db
    .selectFrom('tickets')
    .select((eb) => [
      'service_id',
      eb.fn.countAll<number | string>().as('waiting'),
      sql<number | string>`sum(case when priority = 'normal' then 0 else 1 end)`.as('waiting_priority'),
    ])
    .where('hall_id', '=', hall.hallId)
    .where('business_day', '=', businessDay)
    .where('state', 'in', [...waitingTicketStates])
    .groupBy('service_id')
    .orderBy('service_id')
    .execute();
  // PostgreSQL's numeric sum may arrive as text; both engines agree once it is a number.
  const services: ServiceQueue[] = rows.map((r) => ({ serviceId: r.service_id, waiting: Number(r.waiting), waitingPriority: Number(r.waiting_priority) }));
  return { businessDay, asOf: now, services };
}
