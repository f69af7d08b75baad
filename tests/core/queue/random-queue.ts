import type { Leg } from '../../../core/queue/leg.ts';
import type { PriorityClass } from '../../../core/ticket/ticket.ts';
import { leg, minute, pick, uuidv7At } from './fixtures.ts';

const classes: PriorityClass[] = ['elderly', 'disabled', 'pregnant', 'military'];

/**
 * A random hall queue for property tests: legs of three services (svc-c outside window 3's
 * profile), about a quarter priority, issue times over two hours with deliberate ties, some
 * pinned to window 3 or 5, some recycled, some already called or gone, a few from yesterday.
 */
export function randomQueue(random: () => number, size = Math.floor(random() * 40)): Leg[] {
  const legs: Leg[] = [];
  for (let i = 0; i < size; i++) {
    // Whole minutes make equal issue times common, so ties are exercised.
    const at = Math.floor(random() * 120) * minute;
    const ticketId = uuidv7At(at, random);
    const l = leg({
      ticketId,
      label: `A${String(i + 1).padStart(3, '0')}`,
      at,
      serviceId: pick(random, ['svc-a', 'svc-a', 'svc-b', 'svc-c']),
      priority: random() < 0.25 ? pick(random, classes) : 'normal',
      pinnedWindow: random() < 0.1 ? pick(random, [3, 5]) : null,
      businessDay: random() < 0.03 ? '2026-03-01' : undefined,
    });
    const r = random();
    const state: Leg['state'] = r < 0.8 ? 'waiting' : pick(random, ['called', 'serving', 'done', 'no-show', 'voided', 'suspended'] as const);
    legs.push({ ...l, state });
  }
  // Recycled legs: placed behind another leg's key, as 过号重排 does.
  for (const l of legs) {
    if (random() < 0.08 && legs.length > 1) {
      const behind = pick(random, legs);
      if (behind !== l) Object.assign(l, { order: { at: behind.order.at, tie: [...behind.order.tie, l.ticketId] }, recycled: true });
    }
  }
  return legs;
}

export function randomRecentCalls(random: () => number): PriorityClass[] {
  return Array.from({ length: Math.floor(random() * 5) }, () => (random() < 0.5 ? 'elderly' : 'normal'));
}
