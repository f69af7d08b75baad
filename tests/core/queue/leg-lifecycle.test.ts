import { describe, expect, it } from 'vitest';
import { defaultCallingSettings } from '../../../core/queue/calling-settings.ts';
import { applyLegAction, legRefusal, noShowAllowedAt, recycledOrder } from '../../../core/queue/leg-actions.ts';
import type { LegCommand, LegContext } from '../../../core/queue/leg-actions.ts';
import { compareLegOrder, legStates } from '../../../core/queue/leg.ts';
import type { Leg, LegState } from '../../../core/queue/leg.ts';
import { legActions, legStatesAllowing, legStep } from '../../../core/queue/leg-lifecycle.ts';
import type { LegAction } from '../../../core/queue/leg-lifecycle.ts';
import { leg, minute, opening, second, today } from './fixtures.ts';

const settings = defaultCallingSettings; // 2 calls and 60 s before 过号, 10 s between 重呼, 3 places back
const ctx = (now: number, window: number | null = 3, day = today): LegContext => ({ now, today: day, window, settings });

/** A leg in any state, held by window 3 where a window holds it, called once at `opening`. */
function legIn(state: LegState, extra: Partial<Leg> = {}): Leg {
  const calledOnce = { window: 3, calls: 1, firstCalledAt: opening, lastCalledAt: opening };
  const byState: Record<LegState, Partial<Leg>> = {
    waiting: {},
    called: calledOnce,
    serving: { ...calledOnce, startedAt: opening + 30 * second },
    suspended: { ...calledOnce, startedAt: opening + 30 * second },
    'no-show': { ...calledOnce, calls: 2, endedAt: opening + minute },
    done: { ...calledOnce, endedAt: opening + 5 * minute },
    transferred: { ...calledOnce, endedAt: opening + 5 * minute },
    voided: { endedAt: opening },
  };
  return leg({ ticketId: 't1', label: 'A001' }, { state, ...byState[state], ...extra });
}

function command(action: LegAction): LegCommand {
  switch (action) {
    case 'recycle': return { action, queue: [] };
    case 'transfer': return { action, to: { serviceId: 'svc-b', window: null }, newLegId: 'leg-new' };
    case 'call': case 'recall': case 'start': case 'finish': case 'no-show': case 'suspend': case 'call-back': case 'reactivate': case 'void':
      return { action } as LegCommand;
  }
}

describe('leg lifecycle: the (state, action) table', () => {
  // Every cell, written out: →state is a move, `already` changes nothing, anything else is the refusal.
  const table: Record<LegState, string[]> = {
    //          call           recall         start          finish           no-show        recycle                 suspend        call-back        transfer             reactivate     void
    waiting:   ['→called',     'not-called',  'not-called',  'not-serving',   'not-called',  'recycle-not-allowed',  'not-serving', 'not-suspended', 'transfer-not-held', 'not-no-show', '→voided'],
    called:    ['not-waiting', '→called',     '→serving',    'start-first',   '→no-show',    '→waiting',             'not-serving', 'not-suspended', '→transferred',      'not-no-show', '→voided'],
    serving:   ['not-waiting', 'not-called',  'not-called',  '→done',         'not-called',  'recycle-not-allowed',  '→suspended',  'not-suspended', '→transferred',      'not-no-show', 'void-in-service'],
    suspended: ['not-waiting', 'not-called',  'not-called',  'not-serving',   'not-called',  'recycle-not-allowed',  'not-serving', '→called',       'transfer-not-held', 'not-no-show', '→voided'],
    'no-show': ['not-waiting', 'not-called',  'not-called',  'not-serving',   'not-called',  '→waiting',             'not-serving', 'not-suspended', 'transfer-not-held', '→waiting',    '→voided'],
    done:        Array<string>(11).fill('closed'),
    transferred: Array<string>(11).fill('closed'),
    voided:      [...Array<string>(10).fill('closed'), 'already'],
  };

  it.each(legStates)('from %s, every action goes where the table says', (state) => {
    const got = legActions.map((action) => {
      const step = legStep(state, action);
      return 'to' in step ? `→${step.to}` : 'already' in step ? 'already' : step.refused;
    });
    expect(got).toEqual(table[state]);
  });

  it('lists which states allow each action', () => {
    expect(legStatesAllowing('call')).toEqual(['waiting']);
    expect(legStatesAllowing('transfer')).toEqual(['called', 'serving']);
    expect(legStatesAllowing('void')).toEqual(['waiting', 'called', 'no-show', 'suspended', 'voided']);
  });

  it.each(legStates.flatMap((s) => legActions.map((a) => [s, a] as const)))('refuses %s + %s in both languages naming the ticket, or moves as the table says', (state, action) => {
    // Far enough in the day that no time guard applies; from window 3, which holds the leg.
    const l = legIn(state, { calls: 2 });
    const move = applyLegAction(l, command(action), ctx(opening + 10 * minute));
    const step = legStep(state, action);
    if ('refused' in step) {
      expect(move).toMatchObject({ ok: false, refusal: step.refused });
      if (!move.ok) {
        expect(move.reason.zh).toContain('A001');
        expect(move.reason.en).toContain('A001');
        expect(move.reason.zh).toMatch(/[\u4e00-\u9fff]/);
      }
    } else {
      expect(move.ok).toBe(true);
      if (move.ok) expect(move.leg.state).toBe('to' in step ? step.to : state);
    }
  });
});

describe('leg lifecycle: what each move records', () => {
  it('叫号 holds the leg at the calling window and starts a round of calls', () => {
    const move = applyLegAction(legIn('waiting'), { action: 'call' }, ctx(opening + minute, 7));
    expect(move).toMatchObject({ ok: true, changes: true, created: null, leg: { state: 'called', window: 7, calls: 1, firstCalledAt: opening + minute, lastCalledAt: opening + minute } });
  });

  it('开始 and 办结 record when service started and ended', () => {
    const serving = applyLegAction(legIn('called'), { action: 'start' }, ctx(opening + 40 * second));
    expect(serving).toMatchObject({ ok: true, leg: { state: 'serving', startedAt: opening + 40 * second } });
    const done = applyLegAction(legIn('serving'), { action: 'finish' }, ctx(opening + 6 * minute));
    expect(done).toMatchObject({ ok: true, leg: { state: 'done', endedAt: opening + 6 * minute } });
  });

  it('作废 of a voided leg changes nothing and records nothing', () => {
    const l = legIn('voided');
    expect(applyLegAction(l, { action: 'void' }, ctx(opening + minute))).toEqual({ ok: true, leg: l, created: null, changes: false });
  });

  it('恢复 puts a no-show back in its own place with a fresh round of calls', () => {
    const l = legIn('no-show');
    const move = applyLegAction(l, { action: 'reactivate' }, ctx(opening + 20 * minute, null));
    expect(move).toMatchObject({ ok: true, leg: { state: 'waiting', order: l.order, window: null, calls: 0, firstCalledAt: null, endedAt: null, recycled: false } });
  });

  it('挂起 keeps the leg at its window; 回呼 the same day calls it again as a new round', () => {
    const suspended = applyLegAction(legIn('serving', { calls: 3 }), { action: 'suspend' }, ctx(opening + 3 * minute));
    expect(suspended).toMatchObject({ ok: true, leg: { state: 'suspended', window: 3 } });
    const back = applyLegAction(legIn('suspended', { calls: 3 }), { action: 'call-back' }, ctx(opening + 30 * minute));
    expect(back).toMatchObject({ ok: true, leg: { state: 'called', window: 3, calls: 1, firstCalledAt: opening + 30 * minute } });
  });
});

describe('leg lifecycle: guards a clerk meets', () => {
  it.each([
    // calls, seconds since the first call, allowed
    [1, 0, false], // never on the first press
    [1, 120, false], // one call is never enough, however long ago
    [2, 10, false], // recalled, but too soon
    [2, 59.999, false],
    [2, 60, true],
    [3, 300, true],
  ])('过号 after %i calls and %f s: allowed %s', (calls, seconds, allowed) => {
    const l = legIn('called', { calls });
    const move = applyLegAction(l, { action: 'no-show' }, ctx(opening + seconds * 1000));
    expect(move.ok).toBe(allowed);
    if (!move.ok) expect(move.refusal).toBe('no-show-too-soon');
  });

  it('says what 过号 still needs, in both languages', () => {
    const refused = legRefusal(legIn('called'), { action: 'no-show' }, ctx(opening + 15 * second));
    expect(refused?.reason).toEqual({
      zh: 'A001暂不能过号：须至少呼叫2次（已呼叫1次），且首次呼叫后满60秒（还差45秒）',
      en: 'A001 cannot be a no-show yet: it needs at least 2 calls (1 so far) and 60 s since the first call (45 s to go)',
    });
    expect(noShowAllowedAt(legIn('called'), settings)).toBeNull();
    expect(noShowAllowedAt(legIn('called', { calls: 2 }), settings)).toBe(opening + 60 * second);
  });

  it('重呼 waits out the cooldown, then counts the call', () => {
    const l = legIn('called');
    const early = applyLegAction(l, { action: 'recall' }, ctx(opening + 9_999));
    expect(early).toMatchObject({ ok: false, refusal: 'recall-cooldown', reason: { zh: 'A001刚刚呼叫过，请1秒后再重呼' } });
    const move = applyLegAction(l, { action: 'recall' }, ctx(opening + 10 * second));
    expect(move).toMatchObject({ ok: true, leg: { state: 'called', calls: 2, firstCalledAt: opening, lastCalledAt: opening + 10 * second } });
  });

  it('a window cannot act on a leg another window holds, nor call a leg transferred to another window', () => {
    expect(applyLegAction(legIn('called'), { action: 'start' }, ctx(opening + minute, 4))).toMatchObject({
      ok: false, refusal: 'other-window', reason: { zh: 'A001由3号窗口办理，本窗口不能开始' },
    });
    const pinned = legIn('waiting', { pinnedWindow: 5 });
    expect(applyLegAction(pinned, { action: 'call' }, ctx(opening, 3))).toMatchObject({ ok: false, refusal: 'pinned-elsewhere' });
    expect(applyLegAction(pinned, { action: 'call' }, ctx(opening, 5))).toMatchObject({ ok: true, leg: { state: 'called', window: 5 } });
  });

  it('an administrator (no window) may void, reactivate and recycle, but not call or serve', () => {
    expect(applyLegAction(legIn('waiting'), { action: 'call' }, ctx(opening, null))).toMatchObject({ ok: false, refusal: 'no-window' });
    expect(applyLegAction(legIn('serving'), { action: 'finish' }, ctx(opening, null))).toMatchObject({ ok: false, refusal: 'no-window' });
    expect(applyLegAction(legIn('called'), { action: 'void' }, ctx(opening, null))).toMatchObject({ ok: true, leg: { state: 'voided' } });
  });

  it('回呼 only on the business day the leg belongs to', () => {
    const move = applyLegAction(legIn('suspended'), { action: 'call-back' }, ctx(opening + 24 * 60 * minute, 3, '2026-03-03'));
    expect(move).toMatchObject({ ok: false, refusal: 'call-back-other-day', reason: { zh: 'A001是2026-03-02挂起的号，挂起的号只能当天回呼' } });
  });

  it('each guard refuses with its own code and a text in both languages', () => {
    const l = legIn('called', { pinnedWindow: 2 });
    // The table test above reaches the table's refusals; these reach the guards'.
    const guardRefusals = new Set<string>();
    const tries: [Leg, LegCommand, LegContext][] = [
      [l, { action: 'no-show' }, ctx(opening)],
      [l, { action: 'recall' }, ctx(opening)],
      [legIn('called', { recycled: true }), { action: 'recycle', queue: [] }, ctx(opening)],
      [legIn('suspended'), { action: 'call-back' }, ctx(opening, 3, '2026-03-03')],
      [l, { action: 'transfer', to: { serviceId: 'svc-a', window: null }, newLegId: 'n' }, ctx(opening)],
      [l, { action: 'start' }, ctx(opening, 9)],
      [legIn('waiting', { pinnedWindow: 2 }), { action: 'call' }, ctx(opening)],
      [legIn('waiting'), { action: 'call' }, ctx(opening, null)],
    ];
    for (const [leg_, cmd, c] of tries) {
      const r = legRefusal(leg_, cmd, c);
      expect(r).not.toBeNull();
      guardRefusals.add(r!.refusal);
      expect(r!.reason.zh.length).toBeGreaterThan(4);
      expect(r!.reason.en.length).toBeGreaterThan(10);
    }
    expect([...guardRefusals].sort()).toEqual(['call-back-other-day', 'no-show-too-soon', 'no-window', 'other-window', 'pinned-elsewhere', 'recall-cooldown', 'recycled-already', 'transfer-same-target']);
  });
});

describe('转移: a new linked leg that keeps the number and the original issue time', () => {
  const serving = legIn('serving', { recycled: true, order: { at: opening + 9 * minute, tie: ['t0', 't1'] } });

  it('closes this leg and opens a waiting one for the other service, in the original place', () => {
    const move = applyLegAction(serving, { action: 'transfer', to: { serviceId: 'svc-b', window: null }, newLegId: 'leg-2' }, ctx(opening + 8 * minute));
    expect(move.ok).toBe(true);
    if (!move.ok) return;
    expect(move.leg).toMatchObject({ state: 'transferred', endedAt: opening + 8 * minute });
    expect(move.created).toEqual({
      id: 'leg-2', ticketId: 't1', parentLegId: 'leg-t1', label: 'A001', serviceId: 'svc-b', priority: 'normal', businessDay: today,
      issuedAt: opening, order: { at: opening, tie: ['t1'] }, state: 'waiting', pinnedWindow: null, window: null,
      calls: 0, firstCalledAt: null, lastCalledAt: null, startedAt: null, endedAt: null, recycled: false,
    });
  });

  it('to another window of the same service pins the new leg there; to the same place is refused', () => {
    const move = applyLegAction(serving, { action: 'transfer', to: { serviceId: 'svc-a', window: 8 }, newLegId: 'leg-2' }, ctx(opening));
    expect(move).toMatchObject({ ok: true, created: { serviceId: 'svc-a', pinnedWindow: 8 } });
    for (const window of [null, 3]) {
      expect(applyLegAction(serving, { action: 'transfer', to: { serviceId: 'svc-a', window }, newLegId: 'leg-2' }, ctx(opening))).toMatchObject({ ok: false, refusal: 'transfer-same-target' });
    }
  });
});

describe('过号重排: put back k places, once per leg', () => {
  // A001…A006 waiting for svc-a a minute apart; P001 a priority ticket among them; B001 another service.
  const queue = [1, 2, 3, 4, 5, 6].map((i) => leg({ ticketId: `a${i}`, at: i * minute }));
  const others = [leg({ ticketId: 'p1', at: 2.5 * minute, priority: 'elderly' }), leg({ ticketId: 'b1', at: 3.5 * minute, serviceId: 'svc-b' })];
  const called = { ...queue[0]!, state: 'called' as const, window: 3, calls: 2, firstCalledAt: opening + 7 * minute, lastCalledAt: opening + 8 * minute };
  const all = [called, ...queue.slice(1), ...others];
  const orderAfter = (l: Leg) => [...all.filter((x) => x.id !== l.id), l].filter((x) => x.serviceId === 'svc-a' && x.priority === 'normal' && x.state === 'waiting').sort(compareLegOrder).map((x) => x.ticketId);

  it('sits right behind the third leg of its own standing, before the fourth', () => {
    const move = applyLegAction(called, { action: 'recycle', queue: all }, ctx(opening + 9 * minute));
    expect(move.ok).toBe(true);
    if (!move.ok) return;
    expect(move.leg).toMatchObject({ state: 'waiting', recycled: true, calls: 0, window: null, issuedAt: opening + minute });
    expect(orderAfter(move.leg)).toEqual(['a2', 'a3', 'a4', 'a1', 'a5', 'a6']);
    // Once only.
    const calledAgain = { ...move.leg, state: 'called' as const, window: 3, calls: 2, firstCalledAt: opening, lastCalledAt: opening };
    expect(applyLegAction(calledAgain, { action: 'recycle', queue: all }, ctx(opening + 20 * minute))).toMatchObject({ ok: false, refusal: 'recycled-already' });
  });

  it('goes last when fewer than k wait behind it, and stays put when none do', () => {
    const nearEnd = { ...queue[4]!, state: 'no-show' as const };
    expect(orderAfter({ ...nearEnd, state: 'waiting', order: recycledOrder(nearEnd, all, 3) })).toEqual(['a2', 'a3', 'a4', 'a6', 'a5']);
    const lastOne = queue[5]!;
    expect(recycledOrder(lastOne, all, 3)).toEqual(lastOne.order);
  });

  it('lands between two legs whatever their ids look like (one id a prefix of the next)', () => {
    // t0 goes one place back, behind t1 and before t10 (which sorts after t1 at the same time).
    // Appending a character to t1 ('t1~') would have sorted it after t10 instead.
    const legs = [leg({ ticketId: 't0', at: 0 }), leg({ ticketId: 't1', at: minute }), leg({ ticketId: 't10', at: minute }), leg({ ticketId: 't3', at: 2 * minute })];
    const placed = { ...legs[0]!, order: recycledOrder(legs[0]!, legs, 1) };
    expect([placed, ...legs.slice(1)].sort(compareLegOrder).map((l) => l.ticketId)).toEqual(['t1', 't0', 't10', 't3']);
  });
});
