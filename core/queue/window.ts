import { z } from 'zod';
import type { LocalizedText } from '../text/localized.ts';
import type { CallingSettings } from './calling-settings.ts';
import { pauseReasonName } from './calling-settings.ts';
import type { LegState } from './leg.ts';
import type { LegAction } from './leg-lifecycle.ts';

/**
 * A window (窗口) of the hall: what an administrator sets (number, department, work profile) and
 * what happens at it through the day (who is signed in, its state, the leg it holds). Its own
 * transition table, the same shape as the legs': the server moves the window and the leg in one
 * transaction, and the window table is what keeps one window from holding two calls (novosga#213):
 * 叫号 is refused while a leg is called or being served.
 */

export const windowProfileSchema = z.object({
  /** 主办: the services the window exists for, in the order it prefers them */
  main: z.array(z.string().min(1).max(64)).min(1).max(50),
  /** 兼办: services it also serves, after every main one */
  extra: z.array(z.string().min(1).max(64)).max(200).default([]),
}).refine((p) => new Set([...p.main, ...p.extra]).size === p.main.length + p.extra.length, { message: 'a service appears once in a work profile' });
export type WindowProfile = z.infer<typeof windowProfileSchema>;

export const counterWindowSchema = z.object({
  number: z.int().min(1).max(9999),
  name: z.string().min(1).max(60),
  departmentId: z.string().min(1).max(64),
  profile: windowProfileSchema,
  /** an evaluator (评价器) faces the citizen: 办结 leaves the window evaluating until the rating */
  hasEvaluator: z.boolean().default(true),
});
export type CounterWindow = z.infer<typeof counterWindowSchema>;

/** The services of a profile in calling order: every 主办 service, then every 兼办 one. */
export function profileServices(profile: WindowProfile): string[] {
  return [...profile.main, ...profile.extra];
}

export const windowStates = ['closed', 'idle', 'calling', 'serving', 'paused', 'evaluating'] as const;
export const windowStateSchema = z.enum(windowStates);
export type WindowState = z.infer<typeof windowStateSchema>;

export const windowStateNames: { readonly [S in WindowState]: LocalizedText } = {
  closed: { zh: '未开窗', en: 'closed' },
  idle: { zh: '空闲', en: 'idle' },
  calling: { zh: '呼叫中', en: 'calling' },
  serving: { zh: '办理中', en: 'serving' },
  paused: { zh: '暂停', en: 'paused' },
  evaluating: { zh: '评价中', en: 'awaiting the rating' },
};

export const windowStatusSchema = z.object({
  state: windowStateSchema,
  staffId: z.string().min(1).max(64).nullable(),
  /** the leg called or being served; null in every other state */
  legId: z.string().min(1).max(64).nullable(),
  pause: z.object({ reason: z.string().min(1).max(32), since: z.int().nonnegative(), note: z.string().max(200).nullable() }).nullable(),
  /** when the window entered its state */
  since: z.int().nonnegative(),
});
export type WindowStatus = z.infer<typeof windowStatusSchema>;

export function closedWindow(since: number): WindowStatus {
  return { state: 'closed', staffId: null, legId: null, pause: null, since };
}

export const windowActions = [
  'sign-in',
  /** 叫号 or 回呼: the window now holds a called leg */
  'call',
  'recall',
  'start',
  'finish',
  /** the held leg left without 办结: 过号, 过号重排, 挂起, 转移 or 作废 */
  'release',
  /** the citizen rated, or the evaluator gave up waiting */
  'evaluated',
  'pause',
  'resume',
  /** 签退: the window closes */
  'close',
] as const;
export type WindowAction = (typeof windowActions)[number];

export const windowRefusals = ['window-closed', 'busy', 'nothing-called', 'start-first', 'paused', 'not-paused', 'signed-in-by-other', 'unknown-pause-reason'] as const;
export type WindowRefusal = (typeof windowRefusals)[number];

export type WindowStep = { to: WindowState } | { already: true } | { refused: WindowRefusal };
type Row = { readonly [A in WindowAction]?: WindowStep };

const transitions: { readonly [S in WindowState]: Row } = {
  closed: { 'sign-in': { to: 'idle' }, close: { already: true }, evaluated: { already: true } },
  idle: { 'sign-in': { already: true }, call: { to: 'calling' }, pause: { to: 'paused' }, close: { to: 'closed' }, evaluated: { already: true } },
  calling: {
    'sign-in': { already: true }, recall: { to: 'calling' }, start: { to: 'serving' }, release: { to: 'idle' },
    call: { refused: 'busy' }, pause: { refused: 'busy' }, close: { refused: 'busy' }, finish: { refused: 'start-first' }, evaluated: { already: true },
  },
  serving: {
    'sign-in': { already: true }, start: { already: true }, finish: { to: 'evaluating' }, release: { to: 'idle' },
    call: { refused: 'busy' }, recall: { refused: 'busy' }, pause: { refused: 'busy' }, close: { refused: 'busy' }, evaluated: { already: true },
  },
  // The rating pad waits for the citizen; the clerk may call the next one meanwhile.
  evaluating: {
    'sign-in': { already: true }, call: { to: 'calling' }, evaluated: { to: 'idle' }, finish: { already: true },
    pause: { to: 'paused' }, close: { to: 'closed' },
  },
  paused: {
    'sign-in': { already: true }, resume: { to: 'idle' }, pause: { to: 'paused' }, close: { to: 'closed' }, evaluated: { already: true },
  },
};

const otherwise: { readonly [A in WindowAction]: WindowRefusal } = {
  'sign-in': 'busy',
  call: 'busy',
  recall: 'nothing-called',
  start: 'nothing-called',
  finish: 'nothing-called',
  release: 'nothing-called',
  evaluated: 'nothing-called',
  pause: 'busy',
  resume: 'not-paused',
  close: 'busy',
};

/** The step `action` takes from `state`, by the table alone; a closed or paused window says so first. */
export function windowStep(state: WindowState, action: WindowAction): WindowStep {
  const listed = transitions[state][action];
  if (listed) return listed;
  if (state === 'closed') return { refused: 'window-closed' };
  if (state === 'paused') return { refused: 'paused' };
  return { refused: otherwise[action] };
}

const legWindowActions: { readonly [A in LegAction]: WindowAction | 'release' | null } = {
  call: 'call',
  'call-back': 'call',
  recall: 'recall',
  start: 'start',
  finish: 'finish',
  'no-show': 'release',
  recycle: 'release',
  suspend: 'release',
  transfer: 'release',
  void: 'release',
  reactivate: null,
};

/**
 * The window action that goes with a leg action, done in the same transaction; null when no
 * window holds the leg (voiding a waiting or suspended leg, recycling a no-show).
 */
export function windowActionOfLeg(legState: LegState, action: LegAction): WindowAction | null {
  const a = legWindowActions[action];
  return a === 'release' && legState !== 'called' && legState !== 'serving' ? null : a;
}

export type WindowCommand =
  | { action: 'sign-in'; staffId: string }
  | { action: 'call'; legId: string }
  | { action: 'recall' | 'start' | 'finish' | 'release' | 'evaluated' | 'resume' | 'close' }
  | { action: 'pause'; reason: string; note?: string | null };

export interface WindowContext {
  now: number;
  settings: Pick<CallingSettings, 'pauseReasons'>;
}

export type WindowMove =
  | { ok: true; status: WindowStatus; changes: boolean }
  | { ok: false; refusal: WindowRefusal; reason: LocalizedText };

function guard(status: WindowStatus, command: WindowCommand, ctx: WindowContext): WindowRefusal | null {
  if (command.action === 'sign-in' && status.staffId !== null && status.staffId !== command.staffId) return 'signed-in-by-other';
  if (command.action === 'pause' && pauseReasonName(ctx.settings, command.reason) === null) return 'unknown-pause-reason';
  return null;
}

function after(window: CounterWindow, status: WindowStatus, to: WindowState, command: WindowCommand, now: number): WindowStatus {
  // Without an evaluator there is no rating to wait for.
  const state = to === 'evaluating' && !window.hasEvaluator ? 'idle' : to;
  const next: WindowStatus = { ...status, state, since: state === status.state ? status.since : now };
  switch (command.action) {
    case 'sign-in': return { ...next, staffId: command.staffId };
    case 'call': return { ...next, legId: command.legId };
    case 'pause': return { ...next, pause: { reason: command.reason, since: now, note: command.note ?? null } };
    case 'resume': return { ...next, pause: null };
    case 'close': return { ...next, staffId: null, legId: null, pause: null };
    case 'finish': case 'release': return { ...next, legId: null };
    case 'recall': case 'start': case 'evaluated': return next;
  }
}

const texts: { readonly [R in WindowRefusal]: (w: CounterWindow, s: WindowStatus, c: WindowCommand, ctx: WindowContext) => LocalizedText } = {
  'window-closed': (w) => ({ zh: `${w.number}号窗口未签到，请先签到`, en: `Window ${w.number} is closed: sign in first` }),
  busy: (w, s) => ({
    zh: `${w.number}号窗口${s.state === 'serving' ? '正在办理' : '已呼叫'}一个号：请先开始、办结、过号、挂起或转移它`,
    en: `Window ${w.number} is ${s.state === 'serving' ? 'serving' : 'calling'} a ticket: start, finish, mark a no-show, suspend or transfer it first`,
  }),
  'nothing-called': (w) => ({ zh: `${w.number}号窗口当前没有呼叫中的号`, en: `Window ${w.number} has no ticket called` }),
  'start-first': (w) => ({ zh: `${w.number}号窗口的号还未开始办理：请先按“开始”`, en: `The ticket at window ${w.number} has not been started: press Start first` }),
  paused: (w, s, _c, ctx) => {
    const name = s.pause ? pauseReasonName(ctx.settings, s.pause.reason) : null;
    return {
      zh: `${w.number}号窗口暂停中${name ? `（${name.zh}）` : ''}：请先恢复`,
      en: `Window ${w.number} is paused${name ? ` (${name.en})` : ''}: resume first`,
    };
  },
  'not-paused': (w) => ({ zh: `${w.number}号窗口没有暂停`, en: `Window ${w.number} is not paused` }),
  'signed-in-by-other': (w) => ({ zh: `${w.number}号窗口已由其他工作人员签到：请对方先签退`, en: `Another staff member is signed in at window ${w.number}: they must sign out first` }),
  'unknown-pause-reason': (_w, _s, c) => ({
    zh: `暂停原因“${c.action === 'pause' ? c.reason : ''}”不在本大厅的原因列表中`,
    en: `"${c.action === 'pause' ? c.reason : ''}" is not one of the hall's pause reasons`,
  }),
};

/** Do `command` at a window: its status afterwards, or why not. */
export function applyWindowAction(window: CounterWindow, status: WindowStatus, command: WindowCommand, ctx: WindowContext): WindowMove {
  const step = windowStep(status.state, command.action);
  const refusal = 'refused' in step ? step.refused : guard(status, command, ctx);
  if (refusal !== null) return { ok: false, refusal, reason: texts[refusal](window, status, command, ctx) };
  if (!('to' in step)) return { ok: true, status, changes: false };
  return { ok: true, status: after(window, status, step.to, command, ctx.now), changes: true };
}

/** The states from which the table does not refuse `action`. */
export function windowStatesAllowing(action: WindowAction): WindowState[] {
  return windowStates.filter((state) => !('refused' in windowStep(state, action)));
}

/** Whether the window calls at all now: signed in and neither paused nor closed. */
export function isWindowOpen(status: Pick<WindowStatus, 'state'>): boolean {
  return status.state !== 'closed' && status.state !== 'paused';
}
