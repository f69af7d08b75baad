import type { LocalizedText } from '../text/localized.ts';
import { legStates } from './leg.ts';
import type { LegState } from './leg.ts';

/**
 * The calling half of the ticket lifecycle: which action moves a leg from which state, and which
 * refusal the others get. A table keyed by (state, action), the same shape as the issuing half in
 * core/ticket/lifecycle.ts, so the two fold into one table. Rules that depend on more than the
 * state (how many calls, how long since, which window) are guards in leg-actions.ts, checked
 * only once the table allows the move.
 */

export const legActions = [
  /** 叫号: a window calls a waiting leg */
  'call',
  /** 重呼: call the same leg again */
  'recall',
  /** 开始: the citizen is at the window */
  'start',
  /** 办结 */
  'finish',
  /** 过号: the citizen did not come */
  'no-show',
  /** 过号重排: put a called or no-show leg back a few places, once */
  'recycle',
  /** 挂起: the citizen steps away mid-service (fetching a paper) */
  'suspend',
  /** 回呼: the window calls its suspended leg again, the same day */
  'call-back',
  /** 转移: to another service or window; closes this leg and opens a waiting one */
  'transfer',
  /** a no-show back to its own place in the queue */
  'reactivate',
  /** 作废 */
  'void',
] as const;
export type LegAction = (typeof legActions)[number];

export const legActionNames: { readonly [A in LegAction]: LocalizedText } = {
  call: { zh: '叫号', en: 'call' },
  recall: { zh: '重呼', en: 'recall' },
  start: { zh: '开始', en: 'start' },
  finish: { zh: '办结', en: 'finish' },
  'no-show': { zh: '过号', en: 'no-show' },
  recycle: { zh: '过号重排', en: 'put back in the queue' },
  suspend: { zh: '挂起', en: 'suspend' },
  'call-back': { zh: '回呼', en: 'call back' },
  transfer: { zh: '转移', en: 'transfer' },
  reactivate: { zh: '恢复', en: 'reactivate' },
  void: { zh: '作废', en: 'void' },
};

/** Why an action on a leg is refused. Each has one text (leg-refusals.ts), on the counter and the server. */
export const legRefusals = [
  // from the table: the leg's state does not allow the action
  'not-waiting',
  'not-called',
  'start-first',
  'not-serving',
  'recycle-not-allowed',
  'not-suspended',
  'transfer-not-held',
  'not-no-show',
  'void-in-service',
  'closed',
  // from the guards: the state allows it, the circumstances do not
  'no-show-too-soon',
  'recall-cooldown',
  'recycled-already',
  'call-back-other-day',
  'transfer-same-target',
  'other-window',
  'pinned-elsewhere',
  'no-window',
] as const;
export type LegRefusal = (typeof legRefusals)[number];

export type LegStep =
  | { to: LegState }
  /** the action's effect already holds: nothing changes and nothing is recorded */
  | { already: true }
  | { refused: LegRefusal };

type Row = { readonly [A in LegAction]?: LegStep };

/** Done, transferred and voided legs never move again; voiding a voided leg changes nothing. */
const closedRow: Row = { call: { refused: 'closed' }, recall: { refused: 'closed' }, start: { refused: 'closed' }, finish: { refused: 'closed' },
  'no-show': { refused: 'closed' }, recycle: { refused: 'closed' }, suspend: { refused: 'closed' }, 'call-back': { refused: 'closed' },
  transfer: { refused: 'closed' }, reactivate: { refused: 'closed' }, void: { refused: 'closed' } };

const transitions: { readonly [S in LegState]: Row } = {
  waiting: { call: { to: 'called' }, void: { to: 'voided' } },
  called: {
    recall: { to: 'called' },
    start: { to: 'serving' },
    // The citizen is not there yet: service time starts with 开始, so 办结 waits for it.
    finish: { refused: 'start-first' },
    'no-show': { to: 'no-show' },
    recycle: { to: 'waiting' },
    transfer: { to: 'transferred' },
    void: { to: 'voided' },
  },
  serving: {
    finish: { to: 'done' },
    suspend: { to: 'suspended' },
    transfer: { to: 'transferred' },
    // A citizen at the window is served to an end: finished, suspended or transferred.
    void: { refused: 'void-in-service' },
  },
  suspended: { 'call-back': { to: 'called' }, void: { to: 'voided' } },
  'no-show': { recycle: { to: 'waiting' }, reactivate: { to: 'waiting' }, void: { to: 'voided' } },
  done: closedRow,
  transferred: closedRow,
  voided: { ...closedRow, void: { already: true } },
};

/** What refuses an action from a state the table does not list for it. */
const otherwise: { readonly [A in LegAction]: LegRefusal } = {
  call: 'not-waiting',
  recall: 'not-called',
  start: 'not-called',
  finish: 'not-serving',
  'no-show': 'not-called',
  recycle: 'recycle-not-allowed',
  suspend: 'not-serving',
  'call-back': 'not-suspended',
  transfer: 'transfer-not-held',
  reactivate: 'not-no-show',
  void: 'void-in-service',
};

/** The step `action` takes from `state`, by the table alone. */
export function legStep(state: LegState, action: LegAction): LegStep {
  return transitions[state][action] ?? { refused: otherwise[action] };
}

/** The states from which the table does not refuse `action`. */
export function legStatesAllowing(action: LegAction): LegState[] {
  return legStates.filter((state) => !('refused' in legStep(state, action)));
}
