// A kiosk's outage as the sync bench replays it: the events it synced while online, then the
// ones it holds when the server comes back. No Node APIs: the browser bench's pages bundle this.
import { v7 as uuidv7 } from 'uuid';
import { businessDayOf, defaultHallTimeZone } from '../../core/calendar/business-day.ts';
import type { Catalog } from '../../core/catalog/catalog.ts';
import type { SyncEvent, SyncPayload } from '../../core/sync/events.ts';
import type { Ticket } from '../../core/ticket/ticket.ts';
import { ticketLabel } from '../../core/ticket/ticket.ts';

const dayMs = 24 * 60 * 60 * 1000;

/**
 * A kiosk's event history: for each ticket a `ticket.issued` then a `ticket.printed`, seq 1, 2,
 * 3…, business day after business day within opening hours, each service up to its daily quota
 * (限号), ending `endDaysAgo` days before today (yesterday by default). Events as
 * core/sync/events.ts has them and the renderer's ticket issuer records them (the ticket as issued:
 * printing, 0 attempts).
 */
export function kioskHistory(options: { kioskId: string; catalog: Catalog; events: number; now: number; endDaysAgo?: number }): SyncEvent[] {
  if (options.events % 2 !== 0) throw new Error('an even number of events: one issued and one printed per ticket');
  // Hall hours as epoch milliseconds; the demo hall is in Asia/Shanghai (UTC+8, no summer time).
  if (defaultHallTimeZone !== 'Asia/Shanghai') throw new Error('kioskHistory assumes the hall is on UTC+8');
  const endDaysAgo = options.endDaysAgo ?? 1;
  const hallTime = (day: string, minutes: number) => Date.parse(`${day}T00:00:00+08:00`) + minutes * 60_000;
  const { services } = options.catalog;
  const perDay = services.reduce((n, s) => n + s.dailyQuota, 0);
  const tickets = options.events / 2;
  const days = Math.ceil(tickets / perDay);
  const today = businessDayOf(options.now, defaultHallTimeZone);

  const events: SyncEvent[] = [];
  let seq = 0;
  const record = <T extends 'ticket.issued' | 'ticket.printed'>(type: T, payload: SyncPayload<T>, at: number) =>
    events.push({ seq: ++seq, id: uuidv7({ msecs: at }), type, at, payload });
  for (let d = days + endDaysAgo - 1; d >= endDaysAgo && events.length < options.events; d--) {
    const day = new Date(Date.parse(`${today}T00:00:00Z`) - d * dayMs).toISOString().slice(0, 10);
    const todays = Math.min(perDay, tickets - events.length / 2);
    const issued = new Map<string, number>();
    // 08:30 to 17:30, evenly; the services take turns while their quotas last.
    const spacingMs = (9 * 60 * 60_000) / todays;
    for (let i = 0, s = 0; i < todays; s++) {
      const service = services[s % services.length]!;
      const sequence = (issued.get(service.id) ?? 0) + 1;
      if (sequence > service.dailyQuota) continue;
      issued.set(service.id, sequence);
      const at = Math.round(hallTime(day, 8 * 60 + 30) + i * spacingMs);
      const ticket: Ticket = {
        id: uuidv7({ msecs: at }),
        kioskId: options.kioskId,
        serviceId: service.id,
        departmentId: service.departmentId,
        businessDay: day,
        sequence,
        label: ticketLabel(service.prefix, sequence),
        priority: i % 7 === 0 ? 'elderly' : 'normal',
        issuedAt: at,
        state: 'printing',
        printAttempts: 0,
      };
      record('ticket.issued', { ticket }, at);
      record('ticket.printed', { ticketId: ticket.id, printAttempts: 1 }, at + 900);
      i++;
    }
  }
  return events;
}

/** Events a kiosk pushed while it was online, then the ones it holds after an outage. */
export interface OutageHistory {
  synced: readonly SyncEvent[];
  pending: readonly SyncEvent[];
}

/** While online, the kiosk pushes its events a few at a time, as it issues tickets. */
export const onlinePushSize = 10;
