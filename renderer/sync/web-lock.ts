import type { SyncLock } from './sync-engine.ts';

/**
 * The Web Locks API: of all the kiosk's windows, the one holding the lock runs the sync loop, and
 * the lock passes on by itself when that window closes or crashes. Without the API (an old
 * browser) this window simply runs it.
 */
export function webLock(): SyncLock {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) return { request: (_name, hold) => hold() };
  return { request: (name, hold) => locks.request(name, hold) };
}
