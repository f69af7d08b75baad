import type { LocalizedText } from '../text/localized.ts';
import type { CallingSettings } from './calling-settings.ts';
import type { Leg } from './leg.ts';
import { legStateNames } from './leg.ts';
import type { LegAction, LegRefusal } from './leg-lifecycle.ts';
import { legActionNames } from './leg-lifecycle.ts';

/** What a clerk reads when a press is refused: what is wrong and, where there is one, what to do. */

/** "can be …": the English action as a participle. */
const enDone: { readonly [A in LegAction]: string } = {
  call: 'called',
  recall: 'recalled',
  start: 'started',
  finish: 'finished',
  'no-show': 'marked a no-show',
  recycle: 'put back in the queue',
  suspend: 'suspended',
  'call-back': 'called back',
  transfer: 'transferred',
  reactivate: 'reactivated',
  void: 'voided',
};

export interface RefusalFacts {
  now: number;
  settings: Pick<CallingSettings, 'noShowAfterCalls' | 'noShowAfterSeconds' | 'recallCooldownSeconds'>;
}

const secondsUntil = (at: number, now: number): number => Math.max(0, Math.ceil((at - now) / 1000));

type Text = (leg: Leg, action: LegAction, facts: RefusalFacts) => LocalizedText;

const onlyFrom = (zhWhich: string, enWhich: string): Text => (leg, action) => ({
  zh: `${leg.label}${legStateNames[leg.state].zh}，只有${zhWhich}的号可以${legActionNames[action].zh}`,
  en: `${leg.label} is ${legStateNames[leg.state].en}: only a ${enWhich} ticket can be ${enDone[action]}`,
});

const texts: { readonly [R in LegRefusal]: Text } = {
  'not-waiting': onlyFrom('等候中', 'waiting'),
  'not-called': onlyFrom('已呼叫', 'called'),
  'start-first': (leg) => ({
    zh: `${leg.label}还未开始办理：请先按“开始”，再按“办结”`,
    en: `${leg.label} has not been started: press Start, then Finish`,
  }),
  'not-serving': onlyFrom('办理中', 'being served'),
  'recycle-not-allowed': onlyFrom('已呼叫或已过号', 'called or no-show'),
  'not-suspended': onlyFrom('已挂起', 'suspended'),
  'transfer-not-held': onlyFrom('窗口已呼叫或办理中', 'called or being served'),
  'not-no-show': onlyFrom('已过号', 'no-show'),
  'void-in-service': (leg) => ({
    zh: `${leg.label}正在办理中，不能作废：请办结、挂起或转移`,
    en: `${leg.label} is being served and cannot be voided: finish, suspend or transfer it`,
  }),
  closed: (leg, action) => ({
    zh: `${leg.label}${legStateNames[leg.state].zh}，不能再${legActionNames[action].zh}`,
    en: `${leg.label} is ${legStateNames[leg.state].en}: it cannot be ${enDone[action]} any more`,
  }),
  'no-show-too-soon': (leg, _action, { now, settings }) => {
    const n = settings.noShowAfterCalls;
    const t = settings.noShowAfterSeconds;
    const left = leg.firstCalledAt === null ? t : secondsUntil(leg.firstCalledAt + t * 1000, now);
    return {
      zh: `${leg.label}暂不能过号：须至少呼叫${n}次（已呼叫${leg.calls}次），且首次呼叫后满${t}秒（还差${left}秒）`,
      en: `${leg.label} cannot be a no-show yet: it needs at least ${n} calls (${leg.calls} so far) and ${t} s since the first call (${left} s to go)`,
    };
  },
  'recall-cooldown': (leg, _action, { now, settings }) => {
    const left = secondsUntil((leg.lastCalledAt ?? now) + settings.recallCooldownSeconds * 1000, now);
    return {
      zh: `${leg.label}刚刚呼叫过，请${left}秒后再重呼`,
      en: `${leg.label} was just called: recall it again in ${left} s`,
    };
  },
  'recycled-already': (leg) => ({
    zh: `${leg.label}已过号重排过一次，不能再重排`,
    en: `${leg.label} has already been put back in the queue once: it cannot be put back again`,
  }),
  'call-back-other-day': (leg) => ({
    zh: `${leg.label}是${leg.businessDay}挂起的号，挂起的号只能当天回呼`,
    en: `${leg.label} was suspended on ${leg.businessDay}: a suspended ticket can be called back the same day only`,
  }),
  'transfer-same-target': (leg) => ({
    zh: `${leg.label}已在该业务和窗口：请选择其他业务或窗口`,
    en: `${leg.label} is already at that service and window: choose another service or window`,
  }),
  'other-window': (leg, action) => ({
    zh: `${leg.label}由${leg.window ?? '?'}号窗口办理，本窗口不能${legActionNames[action].zh}`,
    en: `${leg.label} is held by window ${leg.window ?? '?'}: it cannot be ${enDone[action]} from this window`,
  }),
  'pinned-elsewhere': (leg) => ({
    zh: `${leg.label}已转给${leg.pinnedWindow ?? '?'}号窗口，只有该窗口可以叫号`,
    en: `${leg.label} was transferred to window ${leg.pinnedWindow ?? '?'}: only that window can call it`,
  }),
  'no-window': (_leg, action) => ({
    zh: `${legActionNames[action].zh}须在窗口操作`,
    en: `a ticket can be ${enDone[action]} only from a window`,
  }),
};

export function legRefusalText(refusal: LegRefusal, leg: Leg, action: LegAction, facts: RefusalFacts): LocalizedText {
  return texts[refusal](leg, action, facts);
}
