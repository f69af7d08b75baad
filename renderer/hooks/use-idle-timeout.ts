import { useCallback, useEffect, useRef, useState } from 'react';

/** Someone using the kiosk without touching the screen: a finger on the fingerprint reader. */
const readerActivityEvent = 'hall-kiosk:reader-activity';
const activityEvents = ['pointerdown', 'pointermove', 'keydown', 'wheel', readerActivityEvent] as const;

/** Tells the idle timer that someone is at the kiosk although the screen was not touched. */
export function reportReaderActivity(): void {
  window.dispatchEvent(new Event(readerActivityEvent));
}

export interface IdleWarning {
  /** whole seconds before the kiosk starts over, while it warns; null while someone is at it */
  secondsLeft: number | null;
  /** 继续: the person is still here */
  stay: () => void;
}

/**
 * Calls onIdle once nobody has touched the kiosk (or pressed a finger on its reader) for timeoutMs, so the next citizen never finds
 * someone else's half-finished choice or an open staff screen. The last `warnMs` of it are a
 * countdown the screen shows, so a citizen still reading is not sent home without warning.
 */
export function useIdleTimeout(timeoutMs: number, warnMs: number, onIdle: () => void, enabled: boolean): IdleWarning {
  const onIdleRef = useRef(onIdle);
  useEffect(() => {
    onIdleRef.current = onIdle;
  }, [onIdle]);
  const [secondsLeft, setSecondsLeft] = useState<number | null>(null);
  const restartRef = useRef<() => void>(() => undefined);

  useEffect(() => {
    if (!enabled) return undefined;
    const warnFor = Math.min(warnMs, timeoutMs);
    let quiet: ReturnType<typeof setTimeout> | undefined;
    let ticking: ReturnType<typeof setInterval> | undefined;
    const stop = (): void => {
      clearTimeout(quiet);
      clearInterval(ticking);
    };
    const warn = (): void => {
      let left = Math.ceil(warnFor / 1000);
      setSecondsLeft(left);
      ticking = setInterval(() => {
        left -= 1;
        if (left > 0) {
          setSecondsLeft(left);
          return;
        }
        stop();
        setSecondsLeft(null);
        onIdleRef.current();
      }, 1000);
    };
    const restart = (): void => {
      stop();
      setSecondsLeft(null);
      quiet = setTimeout(warn, timeoutMs - warnFor);
    };
    restartRef.current = restart;
    restart();
    for (const type of activityEvents) window.addEventListener(type, restart, { capture: true, passive: true });
    return () => {
      stop();
      setSecondsLeft(null);
      restartRef.current = () => undefined;
      for (const type of activityEvents) window.removeEventListener(type, restart, { capture: true });
    };
  }, [timeoutMs, warnMs, enabled]);

  const stay = useCallback(() => restartRef.current(), []);
  return { secondsLeft, stay };
}
