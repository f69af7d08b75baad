import { describe, expect, it } from 'vitest';
import { defaultCallingSettings } from '../../../core/queue/calling-settings.ts';
import { applyLegAction } from '../../../core/queue/leg-actions.ts';
import { compareLegOrder } from '../../../core/queue/leg.ts';
import type { Leg } from '../../../core/queue/leg.ts';
import { callableBy, isLongWait, nextLeg, priorityStreak, profileRank } from '../../../core/queue/next-ticket.ts';
import type { NextLegChoice, NextRule } from '../../../core/queue/next-ticket.ts';
import { isPriority } from '../../../core/ticket/ticket.ts';
import type { PriorityClass } from '../../../core/ticket/ticket.ts';
import { leg, minute, opening, seeded, shuffled, today } from './fixtures.ts';
import type { LegSpec } from './fixtures.ts';
import { randomQueue, randomRecentCalls } from './random-queue.ts';

const settings = defaultCallingSettings; // at most 2 priority calls in a row; 60 minutes is a long wait
const window3 = { number: 3, profile: { main: ['svc-a'], extra: ['svc-b'] } };
const services = ['svc-a', 'svc-b'];

function next(legs: Leg[], opts: { recent?: PriorityClass[]; now?: number; window?: typeof window3 } = {}): NextLegChoice | null {
  return nextLeg({ window: opts.window ?? window3, legs, recentCalls: opts.recent ?? [], settings, today, now: opts.now ?? opening + 30 * minute });
}

describe('next: the order, rule by rule', () => {
  const m = minute;
  const rows: [string, LegSpec[], { recent?: PriorityClass[]; now?: number }, string | null, NextRule | null][] = [
    ['nothing waiting: nothing to call', [], {}, null, null],
    ['by corrected issue time, oldest first (never newest-first, NovoSGA 03898bc3)',
      [{ ticketId: 'n3', at: 3 * m }, { ticketId: 'n1', at: 1 * m }, { ticketId: 'n2', at: 2 * m }], {}, 'n1', 'in-turn'],
    ['never by label: A010 from an offline reserve was issued before A002',
      [{ ticketId: 'x', label: 'A002', at: 5 * m }, { ticketId: 'y', label: 'A010', at: 4 * m }], {}, 'y', 'in-turn'],
    ['equal times: by ticket id (UUIDv7), whatever the labels',
      [{ ticketId: '0195a3c0-0000-7000-8000-00000000000b', label: 'A001', at: m }, { ticketId: '0195a3c0-0000-7000-8000-00000000000a', label: 'A002', at: m }],
      {}, '0195a3c0-0000-7000-8000-00000000000a', 'in-turn'],
    ['a priority ticket (特殊人群) before earlier normal ones',
      [{ ticketId: 'n1', at: m }, { ticketId: 'p1', at: 9 * m, priority: 'elderly' }], {}, 'p1', 'priority'],
    ['after 2 priority calls in a row, a waiting normal ticket',
      [{ ticketId: 'n1', at: m }, { ticketId: 'p1', at: 9 * m, priority: 'disabled' }], { recent: ['normal', 'elderly', 'military'] }, 'n1', 'ratio'],
    ['one priority call in a row leaves room for another',
      [{ ticketId: 'n1', at: m }, { ticketId: 'p1', at: 9 * m, priority: 'pregnant' }], { recent: ['elderly', 'normal', 'elderly'] }, 'p1', 'priority'],
    ['the quota binds only while a normal ticket waits',
      [{ ticketId: 'p1', at: 9 * m, priority: 'elderly' }], { recent: ['elderly', 'elderly', 'elderly'] }, 'p1', 'in-turn'],
    ['主办 before 兼办, even when the 兼办 ticket is older',
      [{ ticketId: 'b1', at: m, serviceId: 'svc-b' }, { ticketId: 'a1', at: 8 * m }], {}, 'a1', 'in-turn'],
    ['priority before the profile: a 兼办 priority ticket before a 主办 normal one',
      [{ ticketId: 'a1', at: m }, { ticketId: 'b1', at: 8 * m, serviceId: 'svc-b', priority: 'military' }], {}, 'b1', 'priority'],
    ['a ticket waiting 60 minutes overrides priority and profile',
      [{ ticketId: 'p1', at: 50 * m, priority: 'elderly' }, { ticketId: 'a1', at: 40 * m }, { ticketId: 'b1', at: 0, serviceId: 'svc-b' }],
      { now: opening + 60 * m }, 'b1', 'long-wait'],
    ['at 59:59 it does not override yet',
      [{ ticketId: 'p1', at: 50 * m, priority: 'elderly' }, { ticketId: 'b1', at: 0, serviceId: 'svc-b' }],
      { now: opening + 60 * m - 1 }, 'p1', 'priority'],
    ['of several long waits, the longest',
      [{ ticketId: 'a2', at: 2 * m }, { ticketId: 'b1', at: m, serviceId: 'svc-b' }, { ticketId: 'p1', at: 3 * m, priority: 'elderly' }],
      { now: opening + 90 * m }, 'b1', 'long-wait'],
    ['a service outside the profile is not called',
      [{ ticketId: 'c1', at: 0, serviceId: 'svc-c' }], {}, null, null],
    ['a ticket transferred to this window is, after the profile services',
      [{ ticketId: 'c1', at: 0, serviceId: 'svc-c', pinnedWindow: 3 }, { ticketId: 'b1', at: 5 * m, serviceId: 'svc-b' }], {}, 'b1', 'in-turn'],
    ['a ticket transferred to another window is not called here',
      [{ ticketId: 'a1', at: 0, pinnedWindow: 5 }, { ticketId: 'a2', at: 5 * m }], {}, 'a2', 'in-turn'],
    ["yesterday's tickets are not called",
      [{ ticketId: 'a1', at: 0, businessDay: '2026-03-01' }], {}, null, null],
  ];

  it.each(rows)('%s', (_why, specs, opts, ticketId, rule) => {
    const choice = next(specs.map((s) => leg(s)), opts);
    expect(choice === null ? null : [choice.leg.ticketId, choice.rule]).toEqual(ticketId === null ? null : [ticketId, rule]);
  });

  it('skips legs that are not waiting', () => {
    const legs = [leg({ ticketId: 'a1', at: 0 }, { state: 'called' }), leg({ ticketId: 'a2', at: minute }, { state: 'voided' }), leg({ ticketId: 'a3', at: 2 * minute })];
    expect(next(legs)?.leg.ticketId).toBe('a3');
  });

  it('keeps a transferred leg in its original place: its issue time, not the time of the transfer', () => {
    const parent = leg({ ticketId: 't1', at: 0, serviceId: 'svc-c' }, { state: 'serving', window: 4, calls: 1, firstCalledAt: opening, lastCalledAt: opening, startedAt: opening });
    const moved = applyLegAction(parent, { action: 'transfer', to: { serviceId: 'svc-a', window: null }, newLegId: 'leg-t1b' }, { now: opening + 25 * minute, today, window: 4, settings });
    if (!moved.ok || !moved.created) throw new Error('transfer refused');
    const legs = [leg({ ticketId: 'a1', at: 10 * minute }), leg({ ticketId: 'a2', at: 20 * minute }), moved.created];
    expect(next(legs)?.leg.id).toBe('leg-t1b');
  });

  it('counts the priority calls in a row at the end of the window’s history', () => {
    expect(priorityStreak([])).toBe(0);
    expect(priorityStreak(['elderly', 'normal', 'disabled', 'military'])).toBe(2);
    expect(priorityStreak(['elderly', 'normal'])).toBe(0);
  });
});

describe('next: properties over random queues (seeded)', () => {
  const seeds = Array.from({ length: 300 }, (_, i) => 1000 + i);

  it('gives the same answer whatever order the legs come in', () => {
    for (const seed of seeds) {
      const random = seeded(seed);
      const legs = randomQueue(random);
      const recent = randomRecentCalls(random);
      const now = opening + Math.floor(random() * 180) * minute;
      const expected = next(legs, { recent, now });
      for (let k = 0; k < 3; k++) expect(next(shuffled(random, legs), { recent, now }), `seed ${seed}`).toEqual(expected);
    }
  });

  it('calling a day through: no leg twice, every call legal, nobody passed over beyond the priority quota or the long-wait rule', () => {
    let calls = 0;
    const rules = new Set<NextRule>();
    for (const seed of seeds) {
      const random = seeded(seed);
      let legs = randomQueue(random);
      const recent = randomRecentCalls(random);
      let now = opening + Math.floor(random() * 90) * minute;
      const called = new Set<string>();
      let priorityRun = 0;
      // Per (service, class): the last leg called, so each queue is seen to be served in order.
      const lastOf = new Map<string, Leg>();
      for (;;) {
        const callable = legs.filter((l) => callableBy(window3, l, today));
        const choice = next(legs, { recent, now });
        if (choice === null) {
          expect(callable, `seed ${seed}`).toEqual([]);
          break;
        }
        const chosen = choice.leg;
        rules.add(choice.rule);
        expect(callable, `seed ${seed}`).toContain(chosen);
        expect(called.has(chosen.id), `seed ${seed}: ${chosen.label} called twice`).toBe(false);
        called.add(chosen.id);

        const longWaits = callable.filter((l) => isLongWait(l, now, settings));
        if (longWaits.length > 0) {
          // The override takes the longest wait; nobody waited longer.
          expect(choice.rule).toBe('long-wait');
          expect(longWaits.every((l) => compareLegOrder(chosen, l) <= 0), `seed ${seed}`).toBe(true);
        } else {
          const streak = priorityStreak(recent);
          const normalWaits = callable.some((l) => !isPriority(l.priority));
          const priorityWaits = callable.some((l) => isPriority(l.priority));
          if (isPriority(chosen.priority) && normalWaits) expect(streak, `seed ${seed}`).toBeLessThan(settings.maxPriorityInRow);
          if (!isPriority(chosen.priority) && priorityWaits) expect(streak, `seed ${seed}`).toBeGreaterThanOrEqual(settings.maxPriorityInRow);
          // Within its class, nobody ahead by profile and then by time was passed over.
          const rivals = callable.filter((l) => isPriority(l.priority) === isPriority(chosen.priority));
          const key = (l: Leg) => [profileRank(services, l), l] as const;
          for (const r of rivals) {
            const [rr, cr] = [key(r)[0], key(chosen)[0]];
            expect(rr > cr || (rr === cr && compareLegOrder(chosen, r) <= 0), `seed ${seed}: ${r.label} passed over by ${chosen.label}`).toBe(true);
          }
        }
        priorityRun = choice.rule === 'priority' ? priorityRun + 1 : 0;
        expect(priorityRun, `seed ${seed}`).toBeLessThanOrEqual(settings.maxPriorityInRow);

        const queueKey = `${chosen.serviceId} ${isPriority(chosen.priority)}`;
        const previous = lastOf.get(queueKey);
        if (previous) expect(compareLegOrder(previous, chosen), `seed ${seed}: ${queueKey} out of order`).toBeLessThan(0);
        lastOf.set(queueKey, chosen);

        const move = applyLegAction(chosen, { action: 'call' }, { now, today, window: 3, settings });
        expect(move.ok, `seed ${seed}`).toBe(true);
        if (move.ok) legs = legs.map((l) => (l.id === chosen.id ? move.leg : l));
        recent.push(chosen.priority);
        now += Math.floor(random() * 4) * minute;
        calls++;
      }
    }
    // The random queues exercised every rule, many times over.
    expect(calls).toBeGreaterThan(2000);
    expect([...rules].sort()).toEqual(['in-turn', 'long-wait', 'priority', 'ratio']);
  });
});
