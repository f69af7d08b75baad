import type { MouseEvent } from 'react';
import { useCallback, useRef } from 'react';

/**
 * A hurried or unsteady double tap puts its second tap within this long of the first. Measured
 * on the events' own time stamps, which no injected clock moves.
 */
export const doubleTapMs = 600;

/**
 * Lies over a screen that has just appeared, for `doubleTapMs`, so the second tap of a double tap
 * on 确认取号 does not press 完成 where it lands. A CSS animation lifts it: a paused page clock
 * cannot keep it down. Give it the screen's key, so each new screen gets a fresh one.
 */
export function TapShield() {
  return <div className="tap-shield" aria-hidden="true" data-testid="tap-shield" style={{ animationDuration: `${doubleTapMs}ms` }} />;
}

/**
 * Wraps a button's action so a double tap acts once: a press within `doubleTapMs` of the one
 * before it is the same press.
 */
export function useSinglePress(action: () => void): (event: MouseEvent) => void {
  const last = useRef(Number.NEGATIVE_INFINITY);
  return useCallback(
    (event: MouseEvent) => {
      if (event.timeStamp - last.current < doubleTapMs) return;
      last.current = event.timeStamp;
      action();
    },
    [action],
  );
}
