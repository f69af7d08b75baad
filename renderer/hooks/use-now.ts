import { useEffect, useState } from 'react';
import type { Clock } from '../../core/calendar/clock.ts';

/**
 * The clock's time, read every `intervalMs`. With `stepMs` (a minute, say) the value changes only
 * when the time enters a new step, so what depends on it is not worked out again every second.
 */
export function useNow(clock: Clock, intervalMs: number, stepMs = 1): number {
  const [now, setNow] = useState(() => clock.now());
  useEffect(() => {
    const tick = () => {
      const t = clock.now();
      setNow((prev) => (Math.floor(prev / stepMs) === Math.floor(t / stepMs) ? prev : t));
    };
    tick();
    const timer = setInterval(tick, intervalMs);
    return () => clearInterval(timer);
  }, [clock, intervalMs, stepMs]);
  return now;
}
