import { useEffect, useRef } from 'react';

const activityEvents = ['pointerdown', 'pointermove', 'keydown', 'wheel'] as const;

/**
 * Calls onIdle once nobody has touched the kiosk for timeoutMs, so the next citizen never finds
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
