import { z } from 'zod';

/**
 * The counter's session, kept for this browser tab (sessionStorage): a reload stays signed in, a
 * new tab or a restarted browser signs in again. The token is the server's bearer token (hkc_…).
 */
export const counterSessionStoredSchema = z.object({
  token: z.string().min(1),
  expiresAt: z.int(),
  window: z.int().positive(),
  staffId: z.string().min(1),
});
export type StoredCounterSession = z.infer<typeof counterSessionStoredSchema>;

const key = 'counter.session';

/** The browser's storage, or null where it is refused (a locked-down profile): the app still works, forgetting. */
export function browserStorage(which: 'local' | 'session'): Storage | null {
  try {
    return which === 'local' ? window.localStorage : window.sessionStorage;
  } catch {
    return null;
  }
}

export function readSession(storage: Pick<Storage, 'getItem'> | null, now: number): StoredCounterSession | null {
  const text = storage?.getItem(key);
  if (!text) return null;
  try {
    const parsed = counterSessionStoredSchema.safeParse(JSON.parse(text));
    return parsed.success && parsed.data.expiresAt > now ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeSession(storage: Pick<Storage, 'setItem' | 'removeItem'> | null, session: StoredCounterSession | null): void {
  if (!storage) return;
  if (session) storage.setItem(key, JSON.stringify(session));
  else storage.removeItem(key);
}
