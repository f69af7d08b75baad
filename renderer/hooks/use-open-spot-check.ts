import { useEffect, useState } from 'react';
import type { OpenSpotCheck } from '../../core/attendance/checkin.ts';
import type { CheckinBook } from '../attendance/checkin-book.ts';

/** How often the screen looks again: a spot check opens at the next pull, which is seconds apart anyway. */
const recheckMs = 3_000;

/** The oldest spot check (抽查) open now, or null; re-read while the screen is up. */
export function useOpenSpotCheck(checkins: CheckinBook | undefined): OpenSpotCheck | null {
  const [open, setOpen] = useState<OpenSpotCheck | null>(null);
  useEffect(() => {
    if (!checkins) return;
    let live = true;
    const look = () =>
      void checkins
        .openSpotChecks()
        .then((checks) => {
          if (live) setOpen((was) => (was?.id === checks[0]?.id ? was : (checks[0] ?? null)));
        })
        .catch(() => undefined);
    look();
    const timer = setInterval(look, recheckMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [checkins]);
  return open;
}
