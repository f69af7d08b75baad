import type { CounterPressAction, WindowQueue } from '../../../core/queue/counter-api.ts';
import type { WindowAction } from '../../../core/queue/window.ts';
import { windowStep } from '../../../core/queue/window.ts';

/**
 * What the desk of the counter app offers, decided by core's window table (core/queue/window.ts):
 * a button is live when the window's state allows its move. The leg's own guards (过号 after N
 * calls, 重呼's cooldown…) are the server's to apply: a press it refuses comes back with the reason.
 */

/** The window move that goes with each press (windowActionOfLeg, for the window's held leg). */
const windowActionOfPress: { readonly [A in CounterPressAction]: WindowAction } = {
  call: 'call',
  'call-back': 'call',
  recall: 'recall',
  start: 'start',
  finish: 'finish',
  'no-show': 'release',
  recycle: 'release',
  suspend: 'release',
  transfer: 'release',
  pause: 'pause',
  resume: 'resume',
  evaluated: 'evaluated',
  close: 'close',
};

/** Whether the window, as the queue view last showed it, may do `action`. */
export function pressAllowed(queue: Pick<WindowQueue, 'window' | 'suspended' | 'waiting'>, action: CounterPressAction): boolean {
  const state = queue.window.state;
  // Each of these is "already so" in some states: a button that does nothing stays off.
  if (action === 'pause' && state === 'paused') return false;
  if (action === 'evaluated' && state !== 'evaluating') return false;
  if (action === 'call-back' && queue.suspended.length === 0) return false;
  if (action === 'call' && queue.waiting.length === 0) return false;
  const step = windowStep(state, windowActionOfPress[action]);
  return !('refused' in step) && !('already' in step);
}

/** The desk's big buttons, in their order on the screen (暂停 and 恢复 share a place). */
export const deskActions = ['call', 'recall', 'start', 'finish', 'no-show', 'recycle', 'suspend', 'transfer', 'pause-resume'] as const;
export type DeskAction = (typeof deskActions)[number];

/** Whole minutes from `since` to `now`, never negative (clocks of two machines). */
export function minutesBetween(since: number, now: number): number {
  return Math.max(0, Math.floor((now - since) / 60_000));
}

/**
 * The server's clock as this browser estimates it: its answers carry `x-server-time`, so "waited
 * so far" counts from the server's issue time with the server's clock, whatever this PC's says.
 */
export class ServerClock {
  private offset = 0;

  constructor(private readonly local: () => number) {}

  /** A server time read from an answer that arrived at local time `receivedAt`. */
  heard(serverTime: number | null, receivedAt = this.local()): void {
    if (serverTime !== null) this.offset = serverTime - receivedAt;
  }

  now(): number {
    return this.local() + this.offset;
  }
}
