import { z } from 'zod';
import { businessDaySchema } from '../sync/events.ts';
import { priorityClassSchema } from '../ticket/ticket.ts';
import { legStateSchema } from './leg.ts';
import { legActions } from './leg-lifecycle.ts';
import { windowStateSchema } from './window.ts';

/**
 * The hall event stream (DESIGN.md §7): every call, recall and state change at the hall's windows,
 * and every change of a service's waiting count, as one event with an id. Ids grow by one per
 * hall in the order the changes were committed, so a client that saw id N and asks for what came
 * after gets exactly what it missed. Events carry numbers, states and ids — never a person's
 * name, staff number or anything a citizen typed.
 */

export const hallEventKinds = [
  /** a window called a ticket (叫号, 重呼, 回呼): what the hall's screens show and announce */
  'call',
  /** a leg changed state any other way: waiting (printed, put back), started, finished, no-show… */
  'leg',
  /** a window changed state: signed in, calling, serving, paused (with the reason's code), closed */
  'window',
  /** a service's waiting count changed: what the kiosks' 前面还有N人 reads */
  'queue',
] as const;
export const hallEventKindSchema = z.enum(hallEventKinds);
export type HallEventKind = z.infer<typeof hallEventKindSchema>;

const id = z.string().min(1).max(64);

export const callEventDataSchema = z.object({
  legId: id,
  ticketId: id,
  label: z.string().min(1).max(16),
  serviceId: id,
  window: z.int().positive(),
  windowName: z.string().max(60),
  /** 叫号 the first call, 重呼 a repeat, 回呼 a suspended ticket called back */
  call: z.enum(['call', 'recall', 'call-back']),
  /** calls of this round, the first included */
  calls: z.int().positive(),
});
export type CallEventData = z.infer<typeof callEventDataSchema>;

export const legEventDataSchema = z.object({
  legId: id,
  ticketId: id,
  label: z.string().min(1).max(16),
  serviceId: id,
  priority: priorityClassSchema,
  /** what moved it: a window's action, or `issued` for a ticket whose print was confirmed */
  action: z.enum([...legActions, 'issued']),
  state: legStateSchema,
  /** the window holding it, or that last held it; for a waiting leg pinned by a transfer, the window it waits for */
  window: z.int().positive().nullable(),
  /** a transfer: the leg it came from */
  parentLegId: id.nullable(),
});
export type LegEventData = z.infer<typeof legEventDataSchema>;

export const windowEventDataSchema = z.object({
  window: z.int().positive(),
  state: windowStateSchema,
  /** the code of the hall's pause reason (calling-settings.ts) while paused */
  pauseReason: z.string().max(32).nullable(),
  /** the leg called or being served, and its number */
  legId: id.nullable(),
  label: z.string().max(16).nullable(),
});
export type WindowEventData = z.infer<typeof windowEventDataSchema>;

export const queueEventDataSchema = z.object({
  serviceId: id,
  businessDay: businessDaySchema,
  /** waiting legs of the service open to any of its windows (a leg pinned to one window by a transfer is not) */
  waiting: z.int().nonnegative(),
  waitingPriority: z.int().nonnegative(),
  /** 前面还有N人 for a ticket issued now, by the next rule (core/queue/people-ahead.ts): normal, and priority */
  aheadOfNew: z.object({ normal: z.int().nonnegative(), priority: z.int().nonnegative() }),
  /** 预计等候约N分钟 for a ticket issued now (core/queue/wait-estimate.ts); null without enough measurements today */
  estimateMinutes: z.object({ normal: z.int().positive().nullable(), priority: z.int().positive().nullable() }),
});
export type QueueEventData = z.infer<typeof queueEventDataSchema>;

const envelope = {
  /** the hall's event id: 1, 2, 3… in commit order */
  id: z.int().positive(),
  /** server clock */
  at: z.int().nonnegative(),
  /** the department the event belongs to (a window's, or a service's): a screen's zone */
  department: id.nullable(),
};

export const hallEventSchema = z.discriminatedUnion('kind', [
  z.object({ ...envelope, kind: z.literal('call'), data: callEventDataSchema }),
  z.object({ ...envelope, kind: z.literal('leg'), data: legEventDataSchema }),
  z.object({ ...envelope, kind: z.literal('window'), data: windowEventDataSchema }),
  z.object({ ...envelope, kind: z.literal('queue'), data: queueEventDataSchema }),
]);
export type HallEvent = z.infer<typeof hallEventSchema>;
/** An event as written, before the log gives it an id. */
export type NewHallEvent = HallEvent extends infer E ? (E extends HallEvent ? Omit<E, 'id'> : never) : never;

/**
 * The SSE event name of a marker the server sends when it no longer holds the events after the
 * client's Last-Event-ID (pruned, or a restored database): the client reloads what it shows, then
 * carries on from the marker's id.
 */
export const hallEventsResetName = 'reset';
/** The server sends a comment at least this often, so a client hearing nothing knows the stream is dead. */
export const hallEventsHeartbeatMs = 15_000;

/**
 * The stream's query: comma-separated kinds (call,leg,window,queue), department ids (a screen's
 * zone) and window numbers; and, for a client that cannot set the Last-Event-ID header on its
 * first request, `lastEventId`.
 */
export const hallEventsQuerySchema = z.object({
  kinds: z.string().max(200).optional(),
  departments: z.string().max(2000).optional(),
  windows: z.string().max(3000).optional(),
  lastEventId: z.string().max(20).optional(),
});
export type HallEventsQuery = z.infer<typeof hallEventsQuerySchema>;

/** Which events a client wants: some kinds, some departments, some windows; empty lists mean all. */
export const hallEventFilterSchema = z.object({
  kinds: z.array(hallEventKindSchema).max(hallEventKinds.length).default([]),
  departments: z.array(id).max(100).default([]),
  windows: z.array(z.int().positive()).max(500).default([]),
});
export type HallEventFilter = z.infer<typeof hallEventFilterSchema>;

function windowOf(event: HallEvent): number | null {
  switch (event.kind) {
    case 'call':
    case 'window':
      return event.data.window;
    case 'leg':
      return event.data.window;
    case 'queue':
      return null;
  }
}

/** Whether `event` passes `filter`. A window filter lets queue counts through: they belong to no window. */
export function matchesHallEventFilter(event: HallEvent, filter: HallEventFilter): boolean {
  if (filter.kinds.length && !filter.kinds.includes(event.kind)) return false;
  if (filter.departments.length && (event.department === null || !filter.departments.includes(event.department))) return false;
  if (filter.windows.length) {
    const window = windowOf(event);
    if (window !== null && !filter.windows.includes(window)) return false;
  }
  return true;
}
