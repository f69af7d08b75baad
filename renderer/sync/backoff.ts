export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000 };

/**
 * "Full jitter": a random wait between 0 and an exponentially growing cap. Kiosks that lost the
 * server together (a hall-wide outage) come back spread out instead of all at once.
 * `failures` counts consecutive failed rounds, from 1.
 */
export function backoffDelay(failures: number, random: () => number, policy: BackoffPolicy = defaultBackoff): number {
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.floor(random() * cap);
}
