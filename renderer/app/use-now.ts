import { useEffect, useState } from 'react';
import type { Clock } from '../../core/clock.ts';

export function useNow(clock: Clock, intervalMs: number): number {
  const [now, setNow] = useState(() => clock.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(clock.now()), intervalMs);
    return () => clearInterval(timer);
  }, [clock, intervalMs]);
  return now;
}
