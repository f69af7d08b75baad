import type { CallingSettings } from '../../../core/queue/calling-settings.ts';
import { applyLegAction } from '../../../core/queue/leg-actions.ts';
import type { LegCommand } from '../../../core/queue/leg-actions.ts';
import { waitingLeg } from '../../../core/queue/leg.ts';
import type { Leg } from '../../../core/queue/leg.ts';
import { nextLeg } from '../../../core/queue/next-ticket.ts';
import { peopleAhead } from '../../../core/queue/people-ahead.ts';
import { estimateWait, serviceSampleOf } from '../../../core/queue/wait-estimate.ts';
import type { ServiceSample, WaitEstimate } from '../../../core/queue/wait-estimate.ts';
import type { PriorityClass } from '../../../core/ticket/ticket.ts';
import { minute, opening, second, today, uuidv7At } from './fixtures.ts';

/**
 * A seeded day at one service: citizens arrive at a rate that changes through the day (a
 * mid-morning rush), four windows call them with the real next rule and move each leg through the real lifecycle (call, 重呼,
 * 过号 or 开始 and 办结), one window takes its lunch break. Each ticket is given the estimate the
 * kiosk would print when it is issued; the day records when it was really called.
 */

export interface IssuedTicket {
  issuedAt: number;
  estimate: WaitEstimate | null;
  /** ended services of the service today within the estimate's band when it was issued */
  samplesInBand: number;
  calledAt: number | null;
}

interface WindowPlan {
  number: number;
  /** [from, to) minutes after 09:00 the window is closed */
  closed: [number, number][];
  leg: Leg | null;
  /** minutes after 09:00 of each pending step of the held leg */
  steps: { at: number; command: LegCommand }[];
  recent: PriorityClass[];
}

/** Arrivals per minute, by minutes after 09:00. */
function arrivalRate(m: number): number {
  if (m < 60) return 0.5;
  if (m < 150) return 0.75;
  if (m < 270) return 0.3;
  if (m < 390) return 0.55;
  return 0.35;
}

/** Mean minutes at the window per citizen served, by minutes after 09:00: quicker mornings. */
const meanServiceMinutes = (m: number): number => (m < 240 ? 5 : 6.5);

export function simulateDay(random: () => number, settings: CallingSettings): IssuedTicket[] {
  const service = 'svc-a';
  const exp = (mean: number) => -Math.log(1 - random()) * mean;
  let legs: Leg[] = [];
  const samples: ServiceSample[] = [];
  const tickets = new Map<string, IssuedTicket>();
  // Four windows; two take their lunch break in turn.
  const windows: WindowPlan[] = [
    { number: 1, closed: [], leg: null, steps: [], recent: [] },
    { number: 2, closed: [], leg: null, steps: [], recent: [] },
    { number: 3, closed: [[180, 270]], leg: null, steps: [], recent: [] },
    { number: 4, closed: [[150, 240]], leg: null, steps: [], recent: [] },
  ];
  const isOpen = (w: WindowPlan, m: number) => !w.closed.some(([from, to]) => m >= from && m < to);
  const dayMinutes = 8 * 60;
  const stepMinutes = 5 / 60;
  let nextArrival = exp(1 / arrivalRate(0));
  let sequence = 0;

  const act = (w: WindowPlan, command: LegCommand, now: number) => {
    const move = applyLegAction(w.leg!, command, { now, today, window: w.number, settings });
    if (!move.ok) throw new Error(`${command.action} refused: ${move.reason.en}`);
    w.leg = move.leg;
    legs = legs.map((l) => (l.id === move.leg.id ? move.leg : l));
    const sample = serviceSampleOf(move.leg);
    if (sample) {
      samples.push(sample);
      w.leg = null;
    }
  };

  for (let m = 0; m < dayMinutes + 180; m += stepMinutes) {
    const now = opening + Math.round(m * minute);
    while (m < dayMinutes && nextArrival <= m) {
      const issuedAt = opening + Math.round(nextArrival * minute);
      const l = waitingLeg({
        id: `leg-${sequence}`, ticketId: uuidv7At(issuedAt, random), label: `A${String(++sequence).padStart(3, '0')}`, serviceId: service,
        priority: random() < 0.05 ? 'elderly' : 'normal', businessDay: today, issuedAt,
      });
      const ahead = peopleAhead({ leg: l, legs, settings, now: issuedAt }) ?? 0;
      const open = windows.filter((w) => isOpen(w, nextArrival)).length;
      const estimate = estimateWait({ serviceId: service, ahead, windowsOpen: open, samples, today, now: issuedAt, settings: settings.waitEstimate });
      const inBand = samples.filter((s) => s.endedAt > issuedAt - settings.waitEstimate.bandMinutes * minute && s.endedAt <= issuedAt).length;
      tickets.set(l.id, { issuedAt, estimate, samplesInBand: inBand, calledAt: null });
      legs.push(l);
      nextArrival += exp(1 / arrivalRate(nextArrival));
    }
    for (const w of windows) {
      while (w.steps.length > 0 && w.steps[0]!.at <= m) act(w, w.steps.shift()!.command, now);
      if (w.leg !== null || !isOpen(w, m)) continue;
      const choice = nextLeg({ window: { number: w.number, profile: { main: [service], extra: [] } }, legs, recentCalls: w.recent, settings, today, now });
      if (!choice) continue;
      w.leg = choice.leg;
      w.recent.push(choice.leg.priority);
      act(w, { action: 'call' }, now);
      tickets.get(choice.leg.id)!.calledAt = now;
      if (random() < 0.03) {
        // Nobody comes: 重呼 after 30 s, 过号 once the hall's rule allows it.
        w.steps = [{ at: m + 0.5, command: { action: 'recall' } }, { at: m + 1.05, command: { action: 'no-show' } }];
      } else {
        const walk = (20 + random() * 30) * second / minute;
        const serve = Math.max(0.5, exp(meanServiceMinutes(m)));
        w.steps = [{ at: m + walk, command: { action: 'start' } }, { at: m + walk + serve, command: { action: 'finish' } }];
      }
    }
  }
  return [...tickets.values()];
}
