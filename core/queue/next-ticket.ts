import type { BusinessDay } from '../calendar/business-day.ts';
import { isPriority } from '../ticket/ticket.ts';
import type { PriorityClass } from '../ticket/ticket.ts';
import type { CallingSettings } from './calling-settings.ts';
import type { Leg } from './leg.ts';
import { compareLegOrder } from './leg.ts';
import type { CounterWindow } from './window.ts';
import { profileServices } from './window.ts';

/**
 * 叫号: which waiting leg a window gets. Pure and total: the same legs in any order give the same
 * answer. In order of precedence:
 *  (a) a leg that has waited `longWaitMinutes` or more (since its ordering time) is called
 *      first, the longest-waiting of those;
 *  (b) priority legs (特殊人群) before normal ones, but after `maxPriorityInRow` priority calls in
 *      a row at this window a waiting normal leg goes next;
 *  (c) the window's 主办 services before its 兼办 ones, in profile order;
 *  (d) the leg's ordering time: the corrected issue time (a transfer keeps it, 过号重排 moves it
 *      back), never the label, oldest first;
 *  (e) the tie key, then the leg id.
 */

export type NextRule =
  /** (a) waited past the hall's limit */
  | 'long-wait'
  /** (b) a priority leg ahead of waiting normal ones */
  | 'priority'
  /** (b) a normal leg, because the window called its quota of priority legs in a row */
  | 'ratio'
  /** (c–e) nothing to arbitrate between classes: profile order, then time */
  | 'in-turn';

export interface NextLegChoice {
  leg: Leg;
  rule: NextRule;
}

export interface NextLegInput {
  window: Pick<CounterWindow, 'number' | 'profile'>;
  /** the hall's legs; those not waiting, of another day or not for this window are ignored */
  legs: readonly Leg[];
  /** the priority class of each leg this window called with 叫号 today, oldest first (only the tail matters) */
  recentCalls: readonly PriorityClass[];
  settings: Pick<CallingSettings, 'maxPriorityInRow' | 'longWaitMinutes'>;
  today: BusinessDay;
  now: number;
}

/** How many of the window's latest calls in a row were priority legs. */
export function priorityStreak(recentCalls: readonly PriorityClass[]): number {
  let n = 0;
  for (let i = recentCalls.length - 1; i >= 0 && isPriority(recentCalls[i]!); i--) n++;
  return n;
}

/**
 * A leg's place in the window's profile: its service's index, 主办 first. A leg transferred to
 * this window for a service outside its profile comes after every profile service.
 */
export function profileRank(services: readonly string[], leg: Pick<Leg, 'serviceId'>): number {
  const i = services.indexOf(leg.serviceId);
  return i === -1 ? services.length : i;
}

/** Whether the window may call the leg at all: waiting, today, for its profile or pinned to it, not pinned elsewhere. */
export function callableBy(window: Pick<CounterWindow, 'number' | 'profile'>, leg: Leg, today: BusinessDay, services = profileServices(window.profile)): boolean {
  if (leg.state !== 'waiting' || leg.businessDay !== today) return false;
  if (leg.pinnedWindow !== null) return leg.pinnedWindow === window.number;
  return services.includes(leg.serviceId);
}

export function isLongWait(leg: Pick<Leg, 'order'>, now: number, settings: Pick<CallingSettings, 'longWaitMinutes'>): boolean {
  return now - leg.order.at >= settings.longWaitMinutes * 60_000;
}

function first(legs: readonly Leg[], compare: (a: Leg, b: Leg) => number): Leg | null {
  let best: Leg | null = null;
  for (const l of legs) if (best === null || compare(l, best) < 0) best = l;
  return best;
}

export function nextLeg(input: NextLegInput): NextLegChoice | null {
  const services = profileServices(input.window.profile);
  const callable = input.legs.filter((l) => callableBy(input.window, l, input.today, services));
  if (callable.length === 0) return null;

  const longest = first(callable.filter((l) => isLongWait(l, input.now, input.settings)), compareLegOrder);
  if (longest) return { leg: longest, rule: 'long-wait' };

  const inTurn = (a: Leg, b: Leg) => profileRank(services, a) - profileRank(services, b) || compareLegOrder(a, b);
  const priority = callable.filter((l) => isPriority(l.priority));
  const normal = callable.filter((l) => !isPriority(l.priority));
  if (priority.length === 0) return { leg: first(normal, inTurn)!, rule: 'in-turn' };
  if (normal.length === 0) return { leg: first(priority, inTurn)!, rule: 'in-turn' };
  return priorityStreak(input.recentCalls) < input.settings.maxPriorityInRow
    ? { leg: first(priority, inTurn)!, rule: 'priority' }
    : { leg: first(normal, inTurn)!, rule: 'ratio' };
}
