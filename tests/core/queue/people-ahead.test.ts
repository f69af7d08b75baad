import { describe, expect, it } from 'vitest';
import { defaultCallingSettings } from '../../../core/queue/calling-settings.ts';
import type { Leg } from '../../../core/queue/leg.ts';
import { nextLeg, priorityStreak } from '../../../core/queue/next-ticket.ts';
import { peopleAhead } from '../../../core/queue/people-ahead.ts';
import type { PriorityClass } from '../../../core/ticket/ticket.ts';
import { leg, minute, opening, seeded, today } from './fixtures.ts';
import { randomQueue, randomRecentCalls } from './random-queue.ts';

const settings = defaultCallingSettings;
const now = opening + 30 * minute;
const ahead = (target: Leg, legs: Leg[], at = now, streak = 0) => peopleAhead({ leg: target, legs, settings, now: at, priorityStreak: streak });

describe('前面还有N人', () => {
  const a1 = leg({ ticketId: 'a1', at: 1 * minute });
  const a2 = leg({ ticketId: 'a2', at: 2 * minute });
  const a3 = leg({ ticketId: 'a3', at: 3 * minute });
  const p1 = leg({ ticketId: 'p1', at: 4 * minute, priority: 'elderly' });
  const p2 = leg({ ticketId: 'p2', at: 5 * minute, priority: 'military' });
  const p3 = leg({ ticketId: 'p3', at: 6 * minute, priority: 'disabled' });

  it('counts the waiting legs of the same service issued before, never by label', () => {
    const late = leg({ ticketId: 'z', label: 'A001', at: 10 * minute });
    expect(ahead(late, [a1, a2, a3, late])).toBe(3);
    expect(ahead(a1, [a1, a2, a3])).toBe(0);
  });

  it('leaves out legs called, served, voided, of another service, or transferred to a window', () => {
    const target = leg({ ticketId: 't', at: 20 * minute });
    const others = [
      { ...a1, state: 'called' as const }, { ...a2, state: 'voided' as const }, { ...a3, state: 'done' as const },
      leg({ ticketId: 'b1', at: 0, serviceId: 'svc-b' }), leg({ ticketId: 'x', at: 0, pinnedWindow: 5 }), leg({ ticketId: 'y', at: 0, businessDay: '2026-03-01' }),
    ];
    expect(ahead(target, [...others, target])).toBe(0);
  });

  it('puts priority legs ahead of normal ones, a normal one after every two', () => {
    const legs = [a1, a2, a3, p1, p2, p3];
    // The calling order is p1 p2 a1 p3 a2 a3.
    expect([p1, p2, a1, p3, a2, a3].map((l) => ahead(l, legs))).toEqual([0, 1, 2, 3, 4, 5]);
    // A window that has just made two priority calls calls a normal one first: a1 p1 p2 a2 p3 a3.
    expect([a1, p1, p2, a2, p3, a3].map((l) => ahead(l, legs, now, 2))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('puts the long waits first, oldest first', () => {
    const legs = [a1, a2, a3, p1, p2, p3];
    // At 09:62, a1 and a2 have waited an hour: a1 a2, then p1 p2 a3 p3.
    const later = opening + 62 * minute;
    expect([a1, a2, p1, p2, a3, p3].map((l) => ahead(l, legs, later))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('counts for a ticket about to be issued, which is in no list yet', () => {
    expect(ahead(leg({ ticketId: 'new', at: 29 * minute }), [a1, a2, a3, p1])).toBe(4);
    expect(ahead(leg({ ticketId: 'new', at: 29 * minute, priority: 'pregnant' }), [a1, a2, a3, p1])).toBe(1);
  });

  it('says nothing for a leg no longer waiting', () => {
    expect(ahead({ ...a1, state: 'called' }, [a1])).toBeNull();
  });

  it('agrees with next for a window serving only that service, over random queues (seeded)', () => {
    let checked = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const random = seeded(seed);
      const legs = randomQueue(random);
      const recent: PriorityClass[] = randomRecentCalls(random);
      const at = opening + Math.floor(random() * 180) * minute;
      for (const target of legs.filter((l) => l.state === 'waiting' && l.serviceId === 'svc-a' && l.businessDay === today)) {
        // A window serving only svc-a: the one the leg is pinned to, or one nobody is pinned to.
        const window = { number: target.pinnedWindow ?? 99, profile: { main: ['svc-a'], extra: [] } };
        const history = [...recent];
        let pending = legs;
        let calledBefore = 0;
        for (;;) {
          const choice = nextLeg({ window, legs: pending, recentCalls: history, settings, today, now: at });
          if (!choice || choice.leg.id === target.id) break;
          calledBefore++;
          history.push(choice.leg.priority);
          pending = pending.filter((l) => l.id !== choice.leg.id);
        }
        expect(ahead(target, legs, at, priorityStreak(recent)), `seed ${seed}, ${target.label}`).toBe(calledBefore);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1500);
  });
});
