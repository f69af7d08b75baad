import { isPriority } from '../ticket/ticket.ts';
import type { CallingSettings } from './calling-settings.ts';
import type { Leg } from './leg.ts';
import { compareLegOrder } from './leg.ts';
import { isLongWait } from './next-ticket.ts';

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

/**
 * 前面还有N人: how many waiting legs the next rule would call before this one at a window serving
 * only its service (for a leg transferred to a window: that window, which also calls the other
 * legs transferred to it), as of now, with nobody arriving meanwhile. Legs exist only for issued
 * (printed) tickets, so a ticket printing, unprinted or voided is never counted. Windows serving
 * several services interleave them, so with several windows this is the count of the service's
 * own queue, not a promise. Null when the leg is not waiting (called, served, gone).
 */
export function peopleAhead(input: PeopleAheadInput): number | null {
  const { leg, settings, now } = input;
  if (leg.state !== 'waiting') return null;
  // A leg transferred to a window also waits behind the other legs transferred to that window,
  // which the window calls after its own service's legs (next-ticket's profile rank).
  const sameQueue = (l: Leg) => l.serviceId === leg.serviceId ? l.pinnedWindow === null || l.pinnedWindow === leg.pinnedWindow
    : leg.pinnedWindow !== null && l.pinnedWindow === leg.pinnedWindow;
  const queue = input.legs
    .filter((l) => l.id !== leg.id && l.state === 'waiting' && l.businessDay === leg.businessDay && sameQueue(l))
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
  // Then the two classes merge: priority first, a normal one after each run of maxPriorityInRow;
  // within a class the leg's own service first.
  const rank = (l: Leg) => (l.serviceId === leg.serviceId ? 0 : 1);
  const rest = queue.slice(i).sort((a, b) => rank(a) - rank(b) || compareLegOrder(a, b));
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
