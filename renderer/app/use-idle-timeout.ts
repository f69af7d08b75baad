import { useEffect, useRef } from 'react';

/** Someone using the kiosk without touching the screen: a finger on the fingerprint reader. */
const readerActivityEvent = 'hall-kiosk:reader-activity';
const activityEvents = ['pointerdown', 'pointermove', 'keydown', 'wheel', readerActivityEvent] as const;

/** Tells the idle timer that someone is at the kiosk although the screen was not touched. */
export function reportReaderActivity(): void {
  window.dispatchEvent(new Event(readerActivityEvent));
}

/**
 * Calls onIdle once nobody has touched the kiosk (or pressed a finger on its reader) for timeoutMs, so the next citizen never finds
 * someone else's half-finished choice or an open staff screen.
 */
export function useIdleTimeout(timeoutMs: number, onIdle: () => void, enabled: boolean): void {
  const onIdleRef = useRef(onIdle);
  useEffect(() => {
    onIdleRef.current = onIdle;
  }, [onIdle]);

  useEffect(() => {
    if (!enabled) return undefined;
    let timer = setTimeout(() => onIdleRef.current(), timeoutMs);
    const reset = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => onIdleRef.current(), timeoutMs);
    };
    for (const type of activityEvents) window.addEventListener(type, reset, { capture: true, passive: true });
    return () => {
      clearTimeout(timer);
      for (const type of activityEvents) window.removeEventListener(type, reset, { capture: true });
    };
  }, [timeoutMs, enabled]);
}
