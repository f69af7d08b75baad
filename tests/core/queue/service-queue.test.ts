import { describe, expect, it } from 'vitest';
import { defaultCallingSettings } from '../../../core/queue/calling-settings.ts';
import { newTicketEstimate, serviceQueueCounts } from '../../../core/queue/service-queue.ts';
import { peopleAhead, waitEstimateMinutes } from '../../../core/ticket/queue-state.ts';
import type { QueueState } from '../../../core/ticket/queue-state.ts';
import { leg, minute, opening, today } from './fixtures.ts';

const now = opening + 30 * minute;
const counts = (legs: Parameters<typeof serviceQueueCounts>[0]) => serviceQueueCounts(legs, 'svc-a', today, defaultCallingSettings, now);

describe('a service queue as the kiosks hear it', () => {
  it('counts the waiting legs of the service today open to any window; nothing else', () => {
    const legs = [
      leg({ ticketId: 'a', at: 1 * minute }),
      leg({ ticketId: 'b', at: 2 * minute, priority: 'elderly' }),
      leg({ ticketId: 'c', at: 3 * minute }, { state: 'called' }),
      leg({ ticketId: 'd', at: 4 * minute, serviceId: 'svc-b' }),
      leg({ ticketId: 'e', at: 5 * minute, businessDay: '2026-03-01' }),
      leg({ ticketId: 'f', at: 6 * minute, pinnedWindow: 7 }),
    ];
    expect(counts(legs)).toEqual({ waiting: 2, waitingPriority: 1, aheadOfNew: { normal: 2, priority: 1 } });
  });

  it('says how many a new ticket has ahead by the next rule: a normal one is not behind every priority one', () => {
    // Ten priority tickets wait, nothing else: at most two priority calls in a row while a normal one waits.
    const priority = Array.from({ length: 10 }, (_, i) => leg({ ticketId: `p${i}`, at: i * minute, priority: 'disabled' }));
    expect(counts(priority).aheadOfNew).toEqual({ normal: 2, priority: 10 });
    // Past the long-wait limit a ticket is ahead of everyone.
    const long = leg({ ticketId: 'old', at: -61 * minute });
    expect(serviceQueueCounts([long], 'svc-a', today, defaultCallingSettings, opening).aheadOfNew).toEqual({ normal: 1, priority: 1 });
  });

  it('estimates only with five services measured lately, shared among the open windows', () => {
    const sample = (endedAgo: number) => ({ serviceId: 'svc-a', businessDay: today, calledAt: now - (endedAgo + 4) * minute, endedAt: now - endedAgo * minute });
    const input = { serviceId: 'svc-a', windowsOpen: 2, today, now, settings: defaultCallingSettings };
    const ahead = { aheadOfNew: { normal: 3, priority: 0 } };
    expect(newTicketEstimate(ahead, { ...input, samples: [1, 2, 3, 4].map(sample) })).toEqual({ normal: null, priority: null });
    // (3 + ½) × 4 min / 2 windows = 7 min; (0 + ½) × 4 / 2 = 1 min.
    expect(newTicketEstimate(ahead, { ...input, samples: [1, 2, 3, 4, 5].map(sample) })).toEqual({ normal: 7, priority: 1 });
    expect(newTicketEstimate(ahead, { ...input, windowsOpen: 0, samples: [1, 2, 3, 4, 5].map(sample) })).toEqual({ normal: null, priority: null });
  });

  it('gives the kiosk the server’s figures by class, and nothing for another day or an older server’s estimate', () => {
    const state: QueueState = {
      businessDay: today,
      asOf: now,
      services: [{ serviceId: 'svc-a', waiting: 12, waitingPriority: 10, aheadOfNew: { normal: 2, priority: 10 }, estimateMinutes: { normal: 5, priority: null } }],
    };
    const ticket = (priority: 'normal' | 'elderly', businessDay = today) => ({ serviceId: 'svc-a', businessDay, priority });
    expect(peopleAhead(state, ticket('normal'))).toBe(2);
    expect(peopleAhead(state, ticket('elderly'))).toBe(10);
    expect(waitEstimateMinutes(state, ticket('normal'))).toBe(5);
    expect(waitEstimateMinutes(state, ticket('elderly'))).toBeNull();
    expect(waitEstimateMinutes(state, ticket('normal', '2026-03-03'))).toBeNull();
    const older: QueueState = { ...state, services: [{ serviceId: 'svc-a', waiting: 12, waitingPriority: 10 }] };
    expect(peopleAhead(older, ticket('normal'))).toBe(12);
    expect(waitEstimateMinutes(older, ticket('normal'))).toBeNull();
  });
});
