import { useEffect, useState } from 'react';
import type { DisplayState } from '../../../core/display/display.ts';
import { displayText as t } from './display-text.ts';

export interface ScreenProps {
  state: DisplayState;
  online: boolean;
  /** the display's estimate of the server's clock */
  serverNow(): number;
  /** the call being announced now */
  speaking: string | null;
}

/** The hall's clock, by the server's time: a screen PC's own clock is often wrong. */
export function Clock({ serverNow }: { serverNow(): number }) {
  const [now, setNow] = useState(serverNow());
  useEffect(() => {
    const timer = setInterval(() => setNow(serverNow()), 1_000);
    return () => clearInterval(timer);
  }, [serverNow]);
  const date = new Date(now);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    <div className="display-clock" data-testid="display-clock">
      <span className="display-clock-time">{`${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`}</span>
      <span className="display-clock-date">{`${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`}</span>
    </div>
  );
}

export function OfflineBanner({ online }: { online: boolean }) {
  if (online) return null;
  return (
    <div className="display-offline" role="status" data-testid="display-offline">
      {t.offline.zh} {t.offline.en}
    </div>
  );
}
