import type { BusinessDay } from '../calendar/business-day.ts';
import type { LocalizedText } from '../text/localized.ts';
import { isPriority } from '../ticket/ticket.ts';
import type { CallingSettings } from './calling-settings.ts';
import type { Leg, LegOrder } from './leg.ts';
import { compareLegOrder, waitingLeg } from './leg.ts';
import type { LegAction, LegRefusal } from './leg-lifecycle.ts';
import { legStep } from './leg-lifecycle.ts';
import { legRefusalText } from './leg-refusals.ts';

/**
 * Doing an action to a leg: the lifecycle table first, then the guards that need more than the
 * state, then the leg as it is afterwards. Pure: the server applies the result in one
 * transaction, with the window's own move (window.ts), and audits it.
 */

export interface TransferTarget {
  serviceId: string;
  /** pin the new leg to one window; null for any window serving the service */
  window: number | null;
}

export type LegCommand =
  | { action: 'call' }
  | { action: 'recall' }
  | { action: 'start' }
  | { action: 'finish' }
  | { action: 'no-show' }
  /** `queue`: the legs of the day (any state) among which the leg is put back */
  | { action: 'recycle'; queue: readonly Leg[] }
  | { action: 'suspend' }
  | { action: 'call-back' }
  /** `newLegId`: a UUIDv7 for the waiting leg the transfer opens */
  | { action: 'transfer'; to: TransferTarget; newLegId: string }
  | { action: 'reactivate' }
  | { action: 'void' };

export interface LegContext {
  now: number;
  /** the hall's business day at `now` */
  today: BusinessDay;
  /** the window pressing; null for an administrator or the server itself */
  window: number | null;
  settings: Pick<CallingSettings, 'noShowAfterCalls' | 'noShowAfterSeconds' | 'recallCooldownSeconds' | 'recycleBackPlaces'>;
}

export type LegMove =
  | { ok: true; leg: Leg; created: Leg | null; changes: boolean }
  | { ok: false; refusal: LegRefusal; reason: LocalizedText };

/** States in which a window holds the leg: no other window may act on it. */
const held: ReadonlySet<Leg['state']> = new Set(['called', 'serving', 'suspended']);
/** What an administrator (no window) may do to a leg. */
const withoutWindow: ReadonlySet<LegAction> = new Set(['void', 'reactivate', 'recycle']);

/** When 过号 becomes allowed for a called leg; null until it has been called often enough. */
export function noShowAllowedAt(leg: Pick<Leg, 'calls' | 'firstCalledAt'>, settings: LegContext['settings']): number | null {
  if (leg.firstCalledAt === null || leg.calls < settings.noShowAfterCalls) return null;
  return leg.firstCalledAt + settings.noShowAfterSeconds * 1000;
}

/** When 重呼 becomes allowed for a called leg. */
export function recallAllowedAt(leg: Pick<Leg, 'lastCalledAt'>, settings: LegContext['settings']): number {
  return (leg.lastCalledAt ?? 0) + settings.recallCooldownSeconds * 1000;
}

function guard(leg: Leg, command: LegCommand, ctx: LegContext): LegRefusal | null {
  if (ctx.window === null && !withoutWindow.has(command.action)) return 'no-window';
  if (held.has(leg.state) && ctx.window !== null && ctx.window !== leg.window) return 'other-window';
  switch (command.action) {
    case 'call':
      return leg.pinnedWindow !== null && leg.pinnedWindow !== ctx.window ? 'pinned-elsewhere' : null;
    case 'recall':
      return ctx.now < recallAllowedAt(leg, ctx.settings) ? 'recall-cooldown' : null;
    case 'no-show': {
      const at = noShowAllowedAt(leg, ctx.settings);
      return at === null || ctx.now < at ? 'no-show-too-soon' : null;
    }
    case 'recycle':
      return leg.recycled ? 'recycled-already' : null;
    case 'call-back':
      return leg.businessDay !== ctx.today ? 'call-back-other-day' : null;
    case 'transfer': {
      const { serviceId, window } = command.to;
      return serviceId === leg.serviceId && (window === null || window === leg.window) ? 'transfer-same-target' : null;
    }
    case 'start':
    case 'finish':
    case 'suspend':
    case 'reactivate':
    case 'void':
      return null;
  }
}

/**
 * Where 过号重排 puts a leg: `places` behind where it stood, counted among the waiting legs it
 * competes with (same service and day, same standing — priority or normal — and the same pin).
 * With fewer behind it, it goes last; with none, it keeps its place.
 */
export function recycledOrder(leg: Leg, queue: readonly Leg[], places: number): LegOrder {
  const behind = queue
    .filter((l) => l.id !== leg.id && l.state === 'waiting' && l.serviceId === leg.serviceId && l.businessDay === leg.businessDay
      && isPriority(l.priority) === isPriority(leg.priority) && l.pinnedWindow === leg.pinnedWindow && compareLegOrder(l, leg) > 0)
    .sort(compareLegOrder);
  const after = behind[Math.min(places, behind.length) - 1];
  return after ? { at: after.order.at, tie: [...after.order.tie, leg.ticketId] } : leg.order;
}

/** A leg back in the queue starts a new round of calls. */
function backToWaiting(leg: Leg): Leg {
  return { ...leg, state: 'waiting', window: null, calls: 0, firstCalledAt: null, lastCalledAt: null, startedAt: null, endedAt: null };
}

function called(leg: Leg, window: number | null, now: number): Leg {
  return { ...leg, state: 'called', window, calls: 1, firstCalledAt: now, lastCalledAt: now };
}

function after(leg: Leg, command: LegCommand, ctx: LegContext): { leg: Leg; created: Leg | null } {
  const { now } = ctx;
  switch (command.action) {
    case 'call':
    case 'call-back':
      return { leg: called(leg, ctx.window, now), created: null };
    case 'recall':
      return { leg: { ...leg, calls: leg.calls + 1, lastCalledAt: now }, created: null };
    case 'start':
      return { leg: { ...leg, state: 'serving', startedAt: now }, created: null };
    case 'finish':
      return { leg: { ...leg, state: 'done', endedAt: now }, created: null };
    case 'no-show':
      return { leg: { ...leg, state: 'no-show', endedAt: now }, created: null };
    case 'recycle':
      return { leg: { ...backToWaiting(leg), order: recycledOrder(leg, command.queue, ctx.settings.recycleBackPlaces), recycled: true }, created: null };
    case 'suspend':
      return { leg: { ...leg, state: 'suspended' }, created: null };
    case 'reactivate':
      return { leg: backToWaiting(leg), created: null };
    case 'void':
      return { leg: { ...leg, state: 'voided', endedAt: now }, created: null };
    case 'transfer': {
      const created = waitingLeg({
        id: command.newLegId,
        ticketId: leg.ticketId,
        parentLegId: leg.id,
        label: leg.label,
        serviceId: command.to.serviceId,
        priority: leg.priority,
        businessDay: leg.businessDay,
        issuedAt: leg.issuedAt,
        pinnedWindow: command.to.window,
      });
      return { leg: { ...leg, state: 'transferred', endedAt: now }, created };
    }
  }
}

/** Whether `command` may be done to `leg` now; null when it may, else the refusal and its text. */
export function legRefusal(leg: Leg, command: LegCommand, ctx: LegContext): { refusal: LegRefusal; reason: LocalizedText } | null {
  const step = legStep(leg.state, command.action);
  const refusal = 'refused' in step ? step.refused : 'already' in step ? null : guard(leg, command, ctx);
  return refusal === null ? null : { refusal, reason: legRefusalText(refusal, leg, command.action, ctx) };
}

/** Do `command` to `leg`: the leg afterwards (and the new leg of a transfer), or why not. */
export function applyLegAction(leg: Leg, command: LegCommand, ctx: LegContext): LegMove {
  const refused = legRefusal(leg, command, ctx);
  if (refused) return { ok: false, ...refused };
  if ('already' in legStep(leg.state, command.action)) return { ok: true, leg, created: null, changes: false };
  return { ok: true, ...after(leg, command, ctx), changes: true };
}
