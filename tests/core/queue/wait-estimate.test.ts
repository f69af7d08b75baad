import { describe, expect, it } from 'vitest';
import { defaultCallingSettings } from '../../../core/queue/calling-settings.ts';
import { estimateWait, serviceSampleOf, windowsOpenFor } from '../../../core/queue/wait-estimate.ts';
import type { ServiceSample, WaitEstimateInput } from '../../../core/queue/wait-estimate.ts';
import { leg, minute, opening, seeded, today } from './fixtures.ts';
import { simulateDay } from './simulated-day.ts';

const settings = defaultCallingSettings.waitEstimate; // the last 20 within 60 minutes, at least 5
const now = opening + 120 * minute;
/** A service of `minutes` at the window that ended `endedAgo` minutes before now. */
const sample = (minutes: number, endedAgo: number, extra: Partial<ServiceSample> = {}): ServiceSample => ({
  serviceId: 'svc-a', businessDay: today, calledAt: now - (endedAgo + minutes) * minute, endedAt: now - endedAgo * minute, ...extra,
});
const estimate = (input: Partial<WaitEstimateInput>) => estimateWait({ serviceId: 'svc-a', ahead: 10, windowsOpen: 2, samples: [], today, now, settings, ...input });

describe('预计等候', () => {
  const five = [1, 5, 10, 20, 30].map((ago) => sample(4, ago));

  it('says nothing with fewer than 5 services measured in the last hour today', () => {
    expect(estimate({ samples: five.slice(0, 4) })).toBeNull();
    // Older than the band, another day, another service: none of them counts.
    const stale = [sample(4, 61), sample(4, 5, { businessDay: '2026-03-01' }), sample(4, 5, { serviceId: 'svc-b' })];
    expect(estimate({ samples: [...five.slice(0, 4), ...stale] })).toBeNull();
  });

  it('shares the people ahead among the open windows at the measured pace, in whole minutes, saying 约', () => {
    // 10.5 people × 4 min / 2 windows = 21 min
    expect(estimate({ samples: five })).toEqual({ minutes: 21, text: { zh: '预计等候约21分钟', en: 'Estimated wait: about 21 min' }, basedOn: 5, meanServiceMs: 4 * minute });
    expect(estimate({ samples: five, windowsOpen: 3 })?.minutes).toBe(14);
  });

  it('follows the recent pace: only the last 20 services count', () => {
    const slowMorning = Array.from({ length: 20 }, (_, i) => sample(10, 40 + i));
    const quickNow = Array.from({ length: 20 }, (_, i) => sample(3, 1 + i));
    expect(estimate({ samples: [...slowMorning, ...quickNow] })?.meanServiceMs).toBe(3 * minute);
  });

  it('never says 0 minutes, and says nothing when no window is open for the service', () => {
    expect(estimate({ samples: five, ahead: 0, windowsOpen: 4 })?.minutes).toBe(1);
    expect(estimate({ samples: five, windowsOpen: 0 })).toBeNull();
  });

  it('measures a leg from its call until it left the window; a voided leg measures nothing', () => {
    const base = { firstCalledAt: opening, lastCalledAt: opening, window: 3, calls: 1 };
    expect(serviceSampleOf(leg({ ticketId: 't' }, { ...base, state: 'done', endedAt: opening + 6 * minute }))).toEqual({
      serviceId: 'svc-a', businessDay: today, calledAt: opening, endedAt: opening + 6 * minute,
    });
    expect(serviceSampleOf(leg({ ticketId: 't' }, { ...base, state: 'no-show', endedAt: opening + minute }))?.endedAt).toBe(opening + minute);
    expect(serviceSampleOf(leg({ ticketId: 't' }, { ...base, state: 'voided', endedAt: opening + minute }))).toBeNull();
    expect(serviceSampleOf(leg({ ticketId: 't' }, { ...base, state: 'serving' }))).toBeNull();
  });

  it('counts the windows open for a service: signed in, not paused, the service in their profile', () => {
    const w = (main: string[], extra: string[], state: 'idle' | 'paused' | 'closed' | 'serving') => ({ window: { profile: { main, extra } }, status: { state } });
    expect(windowsOpenFor('svc-a', [w(['svc-a'], [], 'idle'), w(['svc-b'], ['svc-a'], 'serving'), w(['svc-a'], [], 'paused'), w(['svc-a'], [], 'closed'), w(['svc-b'], [], 'idle')])).toBe(2);
  });
});

describe('预计等候 against a simulated day (seeded)', () => {
  const days = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => ({ seed, tickets: simulateDay(seeded(seed), defaultCallingSettings) }));

  it('is null early in the day, until 5 services have been measured, and only then', () => {
    for (const { seed, tickets } of days) {
      expect(tickets.slice(0, 5).every((t) => t.estimate === null), `seed ${seed}`).toBe(true);
      for (const t of tickets) expect(t.estimate === null, `seed ${seed}`).toBe(t.samplesInBand < 5);
      expect(tickets.filter((t) => t.estimate !== null).length / tickets.length, `seed ${seed}`).toBeGreaterThan(0.95);
    }
  });

  it('is close to the wait each citizen then had: unbiased, mostly within 3 minutes or 30 %', () => {
    for (const { seed, tickets } of days) {
      const judged = tickets.filter((t) => t.estimate !== null && t.calledAt !== null);
      const waits = judged.map((t) => (t.calledAt! - t.issuedAt) / minute);
      const errors = judged.map((t, i) => t.estimate!.minutes - waits[i]!);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const close = errors.filter((e, i) => Math.abs(e) <= Math.max(3, 0.3 * waits[i]!)).length / judged.length;
      expect(judged.length, `seed ${seed}`).toBeGreaterThan(150);
      expect(Math.abs(mean(errors)), `seed ${seed}: bias`).toBeLessThan(2.5);
      expect(mean(errors.map(Math.abs)), `seed ${seed}: mean absolute error`).toBeLessThan(Math.max(3, 0.4 * mean(waits)));
      expect(close, `seed ${seed}: share within 3 min or 30 %`).toBeGreaterThan(0.65);
    }
  });

  it('simulates a day worth judging: every ticket called, some waits well over a quarter hour', () => {
    for (const { seed, tickets } of days) {
      expect(tickets.every((t) => t.calledAt !== null), `seed ${seed}`).toBe(true);
    }
    const longest = Math.max(...days.flatMap((d) => d.tickets.map((t) => (t.calledAt! - t.issuedAt) / minute)));
    expect(longest).toBeGreaterThan(30);
  });
});
