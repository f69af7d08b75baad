import { describe, expect, it } from 'vitest';
import { defaultCallingSettings } from '../../../core/queue/calling-settings.ts';
import { legActions, legStep } from '../../../core/queue/leg-lifecycle.ts';
import { legStates } from '../../../core/queue/leg.ts';
import type { LegState } from '../../../core/queue/leg.ts';
import {
  applyWindowAction, closedWindow, counterWindowSchema, profileServices, windowActionOfLeg, windowActions, windowStates, windowStatesAllowing, windowStep,
} from '../../../core/queue/window.ts';
import type { CounterWindow, WindowCommand, WindowState, WindowStatus } from '../../../core/queue/window.ts';
import { minute, opening } from './fixtures.ts';

const window3: CounterWindow = counterWindowSchema.parse({ number: 3, name: '3号窗口 不动产登记', departmentId: 'dept-land', profile: { main: ['svc-a'], extra: ['svc-b'] } });
const ctx = (now: number) => ({ now, settings: defaultCallingSettings });

/** Press a series of commands; stop at the first refusal and report it. */
function press(status: WindowStatus, commands: WindowCommand[], window = window3): WindowStatus {
  let s = status;
  commands.forEach((c, i) => {
    const move = applyWindowAction(window, s, c, ctx(opening + i * minute));
    if (!move.ok) throw new Error(`${c.action} refused: ${move.reason.en}`);
    s = move.status;
  });
  return s;
}

describe('window: the (state, action) table', () => {
  const table: Record<WindowState, string[]> = {
    //           sign-in    call              recall            start             finish            release           evaluated   pause        resume        close
    closed:     ['→idle',   'window-closed',  'window-closed',  'window-closed',  'window-closed',  'window-closed',  'already',  'window-closed', 'window-closed', 'already'],
    idle:       ['already', '→calling',       'nothing-called', 'nothing-called', 'nothing-called', 'nothing-called', 'already',  '→paused',   'not-paused', '→closed'],
    calling:    ['already', 'busy',           '→calling',       '→serving',       'start-first',    '→idle',          'already',  'busy',      'not-paused', 'busy'],
    serving:    ['already', 'busy',           'busy',           'already',        '→evaluating',    '→idle',          'already',  'busy',      'not-paused', 'busy'],
    paused:     ['already', 'paused',         'paused',         'paused',         'paused',         'paused',         'already',  '→paused',   '→idle',      '→closed'],
    evaluating: ['already', '→calling',       'nothing-called', 'nothing-called', 'already',        'nothing-called', '→idle',    '→paused',   'not-paused', '→closed'],
  };

  it.each(windowStates)('from %s, every action goes where the table says', (state) => {
    const got = windowActions.map((action) => {
      const step = windowStep(state, action);
      return 'to' in step ? `→${step.to}` : 'already' in step ? 'already' : step.refused;
    });
    expect(got).toEqual(table[state]);
  });

  it('holds at most one called or serving ticket (novosga#213): 叫号 only from idle or evaluating', () => {
    expect(windowStatesAllowing('call')).toEqual(['idle', 'evaluating']);
    const calling = press(closedWindow(opening), [{ action: 'sign-in', staffId: 's-07' }, { action: 'call', legId: 'leg-1' }]);
    const second = applyWindowAction(window3, calling, { action: 'call', legId: 'leg-2' }, ctx(opening + minute));
    expect(second).toMatchObject({ ok: false, refusal: 'busy', reason: { zh: '3号窗口已呼叫一个号：请先开始、办结、过号、挂起或转移它' } });
    expect(calling.legId).toBe('leg-1');
  });

  it('goes with the leg table: every leg action a held leg allows, its window allows too', () => {
    // The window state each leg state implies for the window that holds it (or would call it).
    const windowOf: Record<LegState, WindowState> = {
      waiting: 'idle', called: 'calling', serving: 'serving', suspended: 'idle', 'no-show': 'idle', done: 'idle', transferred: 'idle', voided: 'idle',
    };
    let checked = 0;
    for (const legState of legStates) {
      for (const action of legActions) {
        const windowAction = windowActionOfLeg(legState, action);
        if ('refused' in legStep(legState, action) || windowAction === null) continue;
        expect(windowStatesAllowing(windowAction), `${legState} + ${action}`).toContain(windowOf[legState]);
        checked++;
      }
    }
    expect(checked).toBe(11);
    expect(windowActionOfLeg('called', 'void')).toBe('release');
    expect(windowActionOfLeg('suspended', 'void')).toBeNull();
  });
});

describe('window: a day at the counter', () => {
  it('signs in, calls, serves, waits for the rating, pauses for a meeting, closes', () => {
    let s = press(closedWindow(opening), [
      { action: 'sign-in', staffId: 's-07' },
      { action: 'call', legId: 'leg-1' },
      { action: 'recall' },
      { action: 'start' },
      { action: 'finish' },
    ]);
    expect(s).toEqual({ state: 'evaluating', staffId: 's-07', legId: null, pause: null, since: opening + 4 * minute });
    s = press(s, [{ action: 'evaluated' }, { action: 'pause', reason: 'meeting' }]);
    expect(s).toMatchObject({ state: 'paused', pause: { reason: 'meeting', since: opening + minute, note: null } });

    const refused = applyWindowAction(window3, s, { action: 'call', legId: 'leg-2' }, ctx(opening + 5 * minute));
    expect(refused).toMatchObject({ ok: false, refusal: 'paused', reason: { zh: '3号窗口暂停中（会议）：请先恢复', en: 'Window 3 is paused (In a meeting): resume first' } });

    s = press(s, [{ action: 'resume' }, { action: 'call', legId: 'leg-2' }, { action: 'release' }, { action: 'close' }]);
    expect(s).toEqual({ state: 'closed', staffId: null, legId: null, pause: null, since: opening + 3 * minute });
  });

  it('without an evaluator, 办结 leaves the window idle', () => {
    const noPad = { ...window3, hasEvaluator: false };
    const s = press(closedWindow(opening), [{ action: 'sign-in', staffId: 's-07' }, { action: 'call', legId: 'leg-1' }, { action: 'start' }, { action: 'finish' }], noPad);
    expect(s).toMatchObject({ state: 'idle', legId: null });
  });

  it('a repeated press changes nothing', () => {
    const serving = press(closedWindow(opening), [{ action: 'sign-in', staffId: 's-07' }, { action: 'call', legId: 'leg-1' }, { action: 'start' }]);
    expect(applyWindowAction(window3, serving, { action: 'start' }, ctx(opening + 9 * minute))).toEqual({ ok: true, status: serving, changes: false });
  });

  it('refuses a second staff member at a signed-in window, and a pause reason the hall does not list', () => {
    const idle = press(closedWindow(opening), [{ action: 'sign-in', staffId: 's-07' }]);
    expect(applyWindowAction(window3, idle, { action: 'sign-in', staffId: 's-08' }, ctx(opening))).toMatchObject({ ok: false, refusal: 'signed-in-by-other' });
    expect(applyWindowAction(window3, idle, { action: 'sign-in', staffId: 's-07' }, ctx(opening))).toMatchObject({ ok: true, changes: false });
    expect(applyWindowAction(window3, idle, { action: 'pause', reason: 'lunch' }, ctx(opening))).toMatchObject({
      ok: false, refusal: 'unknown-pause-reason', reason: { zh: '暂停原因“lunch”不在本大厅的原因列表中' },
    });
    expect(applyWindowAction(window3, idle, { action: 'pause', reason: 'outing', note: '送件至规划局' }, ctx(opening))).toMatchObject({
      ok: true, status: { state: 'paused', pause: { reason: 'outing', note: '送件至规划局' } },
    });
  });

  it('refuses every action but sign-in on a closed window, saying so', () => {
    const move = applyWindowAction(window3, closedWindow(opening), { action: 'call', legId: 'leg-1' }, ctx(opening));
    expect(move).toMatchObject({ ok: false, refusal: 'window-closed', reason: { zh: '3号窗口未签到，请先签到', en: 'Window 3 is closed: sign in first' } });
  });
});

describe('window: configuration', () => {
  it('orders the profile 主办 first, then 兼办', () => {
    expect(profileServices({ main: ['svc-c', 'svc-a'], extra: ['svc-b'] })).toEqual(['svc-c', 'svc-a', 'svc-b']);
  });

  it.each([
    ['no 主办 service', { profile: { main: [], extra: ['svc-b'] } }],
    ['a service twice', { profile: { main: ['svc-a'], extra: ['svc-a'] } }],
    ['window number 0', { number: 0 }],
  ])('refuses %s', (_why, change) => {
    expect(counterWindowSchema.safeParse({ ...window3, ...change }).success).toBe(false);
  });
});
