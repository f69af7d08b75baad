import type { Kysely } from 'kysely';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import { currentLeg, liveTicketStatus, showsWindow, type LiveTicketView } from '../../core/queue/live-ticket-view.ts';
import { peopleAhead } from '../../core/queue/people-ahead.ts';
import { estimateWait } from '../../core/queue/wait-estimate.ts';
import type { Language } from '../../core/text/localized.ts';
import { isTicketState } from '../../core/ticket/ticket.ts';
import type { CatalogStore } from '../catalog/catalog-store.ts';
import { readHallForCalling } from '../calling/calling-settings-store.ts';
import { legOfRow } from '../calling/leg-rows.ts';
import { readQueuePace } from '../calling/service-queues.ts';
import { readWindow } from '../calling/window-rows.ts';
import type { Database } from '../db/schema.ts';
import { liveTokenHash } from './live-token-hash.ts';

/** The ticket a token opens, as far as the live page needs it. */
export interface LiveTicketKey {
  hallId: string;
  ticketId: string;
}

/** The ticket whose QR carries `token`; null for a token no pushed ticket has. */
export async function findLiveTicket(db: Kysely<Database>, token: string): Promise<LiveTicketKey | null> {
  const row = await db
    .selectFrom('tickets')
    .innerJoin('hall_settings', 'hall_settings.hall_id', 'tickets.hall_id')
    .select(['tickets.id', 'tickets.hall_id'])
    .where('hall_settings.id', '=', 1)
    .where('tickets.live_token_hash', '=', liveTokenHash(token))
    // A token is 128 random bits: two tickets share one only if a kiosk sent it twice; the first stands.
    .orderBy('tickets.received_at')
    .limit(1)
    .executeTakeFirst();
  return row ? { hallId: row.hall_id, ticketId: row.id } : null;
}

/**
 * Where the ticket stands now (core/queue/live-ticket-view.ts): its current leg, 前面还有N人 by the
 * next rule over the day's waiting legs, 预计等候 from the day's measured services and the windows
 * open, the window that called it. Read without locks: a view a moment old is corrected by the next
 * hall event.
 */
export interface LiveTicketRead {
  view: LiveTicketView;
  /** the service of its current leg: whose queue events can move it */
  serviceId: string;
}

export async function readLiveTicketView(db: Kysely<Database>, catalogs: CatalogStore, key: LiveTicketKey, now: number): Promise<LiveTicketRead | null> {
  const ticket = await db
    .selectFrom('tickets')
    .select(['id', 'label', 'service_id', 'business_day', 'state', 'language'])
    .where('hall_id', '=', key.hallId)
    .where('id', '=', key.ticketId)
    .executeTakeFirst();
  if (!ticket) return null;
  const hall = await readHallForCalling(db);
  const today = businessDayOf(now, hall.timeZone);
  const legs = (await db.selectFrom('ticket_legs').selectAll().where('hall_id', '=', key.hallId).where('ticket_id', '=', ticket.id).orderBy('created_at').orderBy('id').execute()).map(legOfRow);
  const leg = currentLeg(legs);
  const status = liveTicketStatus(isTicketState(ticket.state) ? ticket.state : 'issued', leg);
  const serviceId = leg?.serviceId ?? ticket.service_id;
  const service = await catalogs.service(serviceId);
  const past = ticket.business_day < today;

  let ahead: number | null = null;
  let estimateMinutes: number | null = null;
  if (status === 'waiting' && leg && !past) {
    const waiting = (await db
      .selectFrom('ticket_legs')
      .selectAll()
      .where('hall_id', '=', key.hallId)
      .where('business_day', '=', leg.businessDay)
      .where('state', '=', 'waiting')
      .execute()).map(legOfRow);
    ahead = peopleAhead({ leg, legs: waiting, settings: hall.settings, now });
    if (ahead !== null) {
      const pace = await readQueuePace(db, key.hallId, today, hall.settings, now, [serviceId]);
      estimateMinutes = estimateWait({ serviceId, ahead, windowsOpen: pace.windowsOpen(serviceId), samples: pace.samples, today, now, settings: hall.settings.waitEstimate })?.minutes ?? null;
    }
  }

  let window: LiveTicketView['window'] = null;
  if (leg?.window != null && showsWindow(status)) {
    const stored = await readWindow(db, key.hallId, leg.window);
    window = { number: leg.window, name: stored?.window.name ?? '' };
  }

  const view: LiveTicketView = {
    label: ticket.label,
    // A service a newer catalog dropped is still the one on the paper: its id stands in for its name.
    service: service?.name ?? { zh: serviceId, en: serviceId },
    language: languageOf(ticket.language),
    businessDay: ticket.business_day,
    status,
    ahead,
    estimateMinutes,
    window,
    past,
    asOf: now,
  };
  return { view, serviceId };
}

function languageOf(text: string | null): Language {
  return text === 'en' ? 'en' : 'zh';
}
