/**
 * User Timing marks on the push path: where a catch-up spends its time (reading the outbox,
 * the push's round trip through the privileged side to the server, writing the acknowledgement)
 * shows in a Chromium trace and in `npm run bench sync`, which watches them with a
 * PerformanceObserver. A browser keeps marks until they are cleared, and a kiosk runs for
 * months: each round clears the previous round's, so at most one round's are ever held.
 */
export const syncMarkNames = ['sync:round-start', 'sync:round-end', 'sync:read-start', 'sync:read-end', 'sync:push-sent', 'sync:push-reply', 'sync:ack-start', 'sync:ack-end'] as const;

export type SyncMarkName = (typeof syncMarkNames)[number];

export function markSync(name: SyncMarkName): void {
  // Absent in some embedders' workers; a missing mark must never fail a sync round.
  globalThis.performance?.mark?.(name);
}

export function clearSyncMarks(): void {
  for (const name of syncMarkNames) globalThis.performance?.clearMarks?.(name);
}
