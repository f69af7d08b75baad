import type { Kysely } from 'kysely';
import type { BusinessDay } from '../../core/calendar/business-day.ts';
import type { CallingSettings } from '../../core/queue/calling-settings.ts';
import type { CallEventData, HallEvent, LegEventData, NewHallEvent } from '../../core/queue/hall-events.ts';
import type { LegState } from '../../core/queue/leg.ts';
import type { CounterWindow, WindowStatus } from '../../core/queue/window.ts';
import type { Database } from '../db/schema.ts';
import { reserveHallEventIds, writeHallEvents } from '../events/hall-event-log.ts';
import type { StoredLeg } from './leg-rows.ts';
import { readWaitingLegs } from './leg-rows.ts';
import { readQueuePace, serviceQueueOf } from './service-queues.ts';

/**
 * The hall events one calling transaction writes, gathered as it goes and appended at its end
 * (hall-event-log.ts: events last). A leg that entered or left the waiting state marks its
 * service's queue, whose counts are read once at the end (see write).
 */
export class CallingEvents {
  private readonly events: NewHallEvent[] = [];
  /** `${day}\u0000${service}` → the service's department */
  private readonly queues = new Map<string, { day: BusinessDay; serviceId: string; departmentId: string }>();

  constructor(private readonly at: number) {}

  leg(leg: StoredLeg, action: LegEventData['action'], from: LegState | null): void {
    this.events.push({
      kind: 'leg',
      at: this.at,
      department: leg.departmentId,
      data: {
        legId: leg.id,
        ticketId: leg.ticketId,
        label: leg.label,
        serviceId: leg.serviceId,
        priority: leg.priority,
        action,
        state: leg.state,
        window: leg.window ?? leg.pinnedWindow,
        parentLegId: leg.parentLegId,
      },
    });
    this.touched(leg, from);
  }

  /** A leg that entered or left the waiting state changed its service's queue. */
  private touched(leg: StoredLeg, from: LegState | null): void {
    if (from === 'waiting' || leg.state === 'waiting') this.queues.set(`${leg.businessDay}\u0000${leg.serviceId}`, { day: leg.businessDay, serviceId: leg.serviceId, departmentId: leg.departmentId });
  }

  call(leg: StoredLeg, window: CounterWindow, call: CallEventData['call'], from: LegState): void {
    this.touched(leg, from);
    this.events.push({
      kind: 'call',
      at: this.at,
      department: window.departmentId,
      data: { legId: leg.id, ticketId: leg.ticketId, label: leg.label, serviceId: leg.serviceId, window: window.number, windowName: window.name, call, calls: leg.calls },
    });
  }

  window(window: CounterWindow, status: WindowStatus, label: string | null): void {
    this.events.push({
      kind: 'window',
      at: this.at,
      department: window.departmentId,
      data: { window: window.number, state: status.state, pauseReason: status.pause?.reason ?? null, legId: status.legId, label: status.legId === null ? null : label },
    });
  }

  get size(): number {
    return this.events.length;
  }

  /**
   * Appends the gathered events, with the counts of every queue they touched, inside `trx`. The
   * counts are read once the hall's event ids are reserved: every transaction that moves a waiting
   * leg writes a queue event, so it waits for this one or has committed already, and the counts
   * are exactly those this transaction commits.
   */
  async write(trx: Kysely<Database>, hallId: string, today: BusinessDay, settings: Pick<CallingSettings, 'maxPriorityInRow' | 'longWaitMinutes' | 'waitEstimate'>): Promise<HallEvent[]> {
    if (this.events.length === 0 && this.queues.size === 0) return [];
    const queues = [...this.queues.values()];
    // The pace changes slowly: read before the hall's event lock, which the counts are read under.
    const pace = queues.length ? await readQueuePace(trx, hallId, today, settings, this.at, [...new Set(queues.map((q) => q.serviceId))]) : null;
    const first = await reserveHallEventIds(trx, hallId, this.events.length + queues.length);
    const queued: NewHallEvent[] = [];
    for (const { day, serviceId, departmentId } of queues) {
      const legs = await readWaitingLegs(trx, hallId, day, [serviceId]);
      queued.push({ kind: 'queue', at: this.at, department: departmentId, data: serviceQueueOf(legs, pace!, serviceId, day, settings, this.at) });
    }
    return writeHallEvents(trx, hallId, today, first, [...this.events, ...queued]);
  }
}
