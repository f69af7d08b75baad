import { isPriority } from '../ticket/ticket.ts';
import type { CallingSettings } from './calling-settings.ts';
import type { Leg } from './leg.ts';
import { compareLegOrder } from './leg.ts';
import { isLongWait } from './next-ticket.ts';

/**
 * 前面还有N人: how many waiting legs the next rule would call before this one at a window serving
 * only its service (and, for a leg transferred to a window, at that window), as of now, with
 * nobody arriving meanwhile. Only legs exist for issued (printed) tickets, so a ticket still
 * printing, unprinted or voided is never counted. Windows serving several services interleave
 * them, so with several windows this is the count of the service's own queue, not a promise.
 */
export interface PeopleAheadInput {
  /** the leg asked about; it need not be in `legs` (a ticket about to be issued) */
  leg: Leg;
  /** the hall's legs of the day; only waiting ones of the same queue count */
  legs: readonly Leg[];
  settings: Pick<CallingSettings, 'maxPriorityInRow' | 'longWaitMinutes'>;
  now: number;
  /** priority calls in a row the window has just made; 0 when no window is meant */
  priorityStreak?: number;
}

/** Null when the leg is not waiting (called, served, gone): there is nobody ahead to count. */
export function peopleAhead(input: PeopleAheadInput): number | null {
  const { leg, settings, now } = input;
  if (leg.state !== 'waiting') return null;
  const queue = input.legs
    .filter((l) => l.id !== leg.id && l.state === 'waiting' && l.serviceId === leg.serviceId && l.businessDay === leg.businessDay
      && (l.pinnedWindow === null || l.pinnedWindow === leg.pinnedWindow))
    .concat([leg])
    .sort(compareLegOrder);

  // The legs past the long-wait limit are the oldest ones, a prefix of the queue, called in order.
  let ahead = 0;
  let streak = input.priorityStreak ?? 0;
  let i = 0;
  for (; i < queue.length && isLongWait(queue[i]!, now, settings); i++) {
    if (queue[i] === leg) return ahead;
    ahead++;
    streak = isPriority(queue[i]!.priority) ? streak + 1 : 0;
  }
  // Then the two classes merge: priority first, a normal one after each run of maxPriorityInRow.
  const rest = queue.slice(i);
  const priority = rest.filter((l) => isPriority(l.priority));
  const normal = rest.filter((l) => !isPriority(l.priority));
  let p = 0;
  let n = 0;
  for (;;) {
    const takePriority = p < priority.length && (n >= normal.length || streak < settings.maxPriorityInRow);
    const next = takePriority ? priority[p++]! : normal[n++]!;
    if (next === leg) return ahead;
    ahead++;
    streak = takePriority ? streak + 1 : 0;
  }
}
