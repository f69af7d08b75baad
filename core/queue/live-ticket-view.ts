import { z } from 'zod';
import { businessDaySchema } from '../sync/events.ts';
import { languages, localizedTextSchema } from '../text/localized.ts';
import type { TicketState } from '../ticket/ticket.ts';
import type { Leg } from './leg.ts';

/**
 * What the live ticket page (`/t/<token>`, core/ticket/live-ticket.ts) shows of one ticket: its
 * number, its service and where it stands. Nothing personal — no priority class (特殊人群 says
 * something about the holder), no kiosk, no staff member: only what the paper ticket itself says,
 * and the queue.
 */
export const liveTicketStatuses = [
  /** issued, but not in a queue: the print failed or is still going (staff reprint or void it) */
  'not-queued',
  /** waiting for a window */
  'waiting',
  /** called to a window: 请到N号窗口 */
  'called',
  /** 办理中 */
  'serving',
  /** 挂起: the window will call it back */
  'suspended',
  /** 已办结 */
  'done',
  /** 过号 */
  'no-show',
  /** voided by the kiosk or the hall office */
  'voided',
] as const;
export const liveTicketStatusSchema = z.enum(liveTicketStatuses);
export type LiveTicketStatus = z.infer<typeof liveTicketStatusSchema>;

export const liveTicketViewSchema = z.object({
  label: z.string().min(1).max(16),
  service: localizedTextSchema,
  /** the language the citizen used at the kiosk: the page's, whatever the phone's */
  language: z.enum(languages),
  businessDay: businessDaySchema,
  status: liveTicketStatusSchema,
  /** 前面还有N人 while waiting; null otherwise */
  ahead: z.int().nonnegative().nullable(),
  /** 预计等候约N分钟 while waiting, when the hall has enough measurements today; null otherwise */
  estimateMinutes: z.int().positive().nullable(),
  /** the window that called it, while called, served or suspended there */
  window: z.object({ number: z.int().positive(), name: z.string().max(60) }).nullable(),
  /** the ticket's day is over: the page stops following it */
  past: z.boolean(),
  /** server clock when the view was read */
  asOf: z.int(),
});
export type LiveTicketView = z.infer<typeof liveTicketViewSchema>;

/** The SSE event name of the live ticket stream; its data is one LiveTicketView. */
export const liveTicketEventName = 'ticket';

/**
 * The leg the live ticket follows: the newest open one (a transfer opens a new leg and closes the
 * old), else the newest leg — its end is the ticket's end.
 */
export function currentLeg<L extends Pick<Leg, 'id' | 'state' | 'parentLegId'>>(legs: readonly L[]): L | null {
  if (legs.length === 0) return null;
  const parents = new Set(legs.map((l) => l.parentLegId).filter((id): id is string => id !== null));
  // The newest leg is the one no other leg came from; with a transfer chain that is its end.
  const tips = legs.filter((l) => !parents.has(l.id));
  const open = tips.find((l) => l.state !== 'done' && l.state !== 'transferred' && l.state !== 'voided');
  return open ?? tips[tips.length - 1] ?? legs[legs.length - 1]!;
}

/** A ticket's status from its own state (the kiosk's) and its current leg (the windows'). */
export function liveTicketStatus(ticketState: TicketState, leg: Pick<Leg, 'state'> | null): LiveTicketStatus {
  if (ticketState === 'voided') return 'voided';
  if (!leg) return 'not-queued';
  switch (leg.state) {
    case 'waiting':
      return 'waiting';
    case 'called':
      return 'called';
    case 'serving':
      return 'serving';
    case 'suspended':
      return 'suspended';
    case 'done':
    case 'transferred':
      return 'done';
    case 'no-show':
      return 'no-show';
    case 'voided':
      return 'voided';
  }
}

/** Whether the window matters to the citizen: it called them, serves them, or holds them. */
export function showsWindow(status: LiveTicketStatus): boolean {
  return status === 'called' || status === 'serving' || status === 'suspended';
}
