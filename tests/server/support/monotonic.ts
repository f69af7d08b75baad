import { expect } from 'vitest';

/** One request for numbers, timed on the test's monotonic clock. */
export interface Timed {
  sentAt: number;
  receivedAt: number;
  numbers: number[];
}

/** Any request that finished before another began must hold smaller numbers (linearizable). */
export function expectMonotonic(calls: Timed[]): void {
  for (const earlier of calls) {
    for (const later of calls) {
      if (earlier.receivedAt < later.sentAt) expect(Math.max(...earlier.numbers)).toBeLessThan(Math.min(...later.numbers));
    }
  }
}
