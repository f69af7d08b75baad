import type { StaffTouch } from '../../core/attendance/staff-api.ts';
import type { KioskApi } from '../../core/kiosk/kiosk-api.ts';

export interface FingerWatchTiming {
  /** a page that stops renewing (closed, crashed) frees the sensor after this long */
  leaseMs: number;
  renewEveryMs: number;
}

const defaultTiming: FingerWatchTiming = { leaseMs: 30_000, renewEveryMs: 10_000 };

type WatchingKiosk = Pick<KioskApi, 'reader' | 'events'>;

/**
 * Hears the reader while a screen is up, through a finger watch on the privileged side
 * (reader.watch): `onFinger` gets each answer of this screen's own watch, in order — who touched,
 * as the privileged side identified them, or why nobody; never a timeout, never another screen's
 * finger. A watch another screen or an enrolment took over is
 * started again at the next renewal. Returns the function that ends it.
 */
export function watchFingers(kiosk: WatchingKiosk, onFinger: (touch: StaffTouch) => void, timing = defaultTiming): () => void {
  const { leaseMs, renewEveryMs } = timing;
  let watchId: number | null = null;
  let ended = false;
  let starting = false;
  // Answers that came before reader.watch itself answered: kept until the id says whose they are.
  const early: { watchId: number; result: StaffTouch }[] = [];

  const unsubscribe = kiosk.events.subscribe((event) => {
    if (event.type !== 'reader-finger') return;
    if (watchId === null) early.push(event);
    else if (event.watchId === watchId) onFinger(event.result);
  });

  const start = async () => {
    starting = true;
    const { watchId: id } = await kiosk.reader.watch({ leaseMs }).finally(() => (starting = false));
    if (ended) {
      await kiosk.reader.unwatch({ watchId: id });
      return;
    }
    watchId = id;
    for (const event of early.splice(0)) if (event.watchId === id) onFinger(event.result);
  };
  // No reader (yet): the next renewal tries again.
  void start().catch(() => undefined);

  const renewal = setInterval(() => {
    void (async () => {
      const id = watchId;
      if (starting) return;
      if (id !== null && (await kiosk.reader.renewWatch({ watchId: id, leaseMs })).watching) return;
      if (ended) return;
      watchId = null;
      await start();
    })().catch(() => undefined);
  }, renewEveryMs);

  return () => {
    ended = true;
    clearInterval(renewal);
    unsubscribe();
    if (watchId !== null) void kiosk.reader.unwatch({ watchId }).catch(() => undefined);
  };
}
