import { describe, expect, it } from 'vitest';
import type { CounterPressAction, LegView, WindowQueue } from '../../../../core/queue/counter-api.ts';
import type { WindowState } from '../../../../core/queue/window.ts';
import { ServerClock, minutesBetween, pressAllowed } from '../../../../server/calling/web/counter-model.ts';

const leg = { id: 'l1', label: 'A001' } as LegView;
const queueIn = (state: WindowState, { waiting = 1, suspended = 0 } = {}): WindowQueue =>
  ({ window: { state }, waiting: Array.from({ length: waiting }, () => leg), suspended: Array.from({ length: suspended }, () => leg) }) as unknown as WindowQueue;

const actions: CounterPressAction[] = ['call', 'recall', 'start', 'finish', 'no-show', 'recycle', 'suspend', 'transfer', 'pause', 'resume', 'close'];
const allowedIn = (state: WindowState, shape?: { waiting?: number; suspended?: number }) => actions.filter((a) => pressAllowed(queueIn(state, shape), a));

describe('the desk’s buttons follow the window table', () => {
  it('offers, in each state, what the window may do', () => {
    expect(allowedIn('idle')).toEqual(['call', 'pause', 'close']);
    expect(allowedIn('calling')).toEqual(['recall', 'start', 'no-show', 'recycle', 'suspend', 'transfer']);
    expect(allowedIn('serving')).toEqual(['finish', 'no-show', 'recycle', 'suspend', 'transfer']);
    expect(allowedIn('paused')).toEqual(['resume', 'close']);
    expect(allowedIn('evaluating')).toEqual(['call', 'pause', 'close']);
    expect(allowedIn('closed')).toEqual([]);
  });

  it('leaves 叫号 off with nobody waiting, 回呼 off with nothing suspended, 评价完成 on only while evaluating', () => {
    expect(pressAllowed(queueIn('idle', { waiting: 0 }), 'call')).toBe(false);
    expect(pressAllowed(queueIn('idle', { suspended: 0 }), 'call-back')).toBe(false);
    expect(pressAllowed(queueIn('idle', { suspended: 2 }), 'call-back')).toBe(true);
    expect(pressAllowed(queueIn('calling', { suspended: 2 }), 'call-back')).toBe(false);
    expect(pressAllowed(queueIn('evaluating'), 'evaluated')).toBe(true);
    expect(pressAllowed(queueIn('idle'), 'evaluated')).toBe(false);
  });
});

describe('waited so far', () => {
  it('counts whole minutes on the server’s clock, never below zero', () => {
    expect(minutesBetween(0, 59_999)).toBe(0);
    expect(minutesBetween(0, 60_000)).toBe(1);
    expect(minutesBetween(10_000, 0)).toBe(0);
    let local = 1_000;
    const clock = new ServerClock(() => local);
    expect(clock.now()).toBe(1_000);
    clock.heard(91_000, 1_000);
    local = 2_000;
    expect(clock.now()).toBe(92_000);
    clock.heard(null);
    expect(clock.now()).toBe(92_000);
  });
});
