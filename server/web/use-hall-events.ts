import { useEffect, useRef, useState } from 'react';
import type { HallEvent, HallEventKind } from '../../core/queue/hall-events.ts';
import type { StreamState } from './hall-event-stream.ts';
import { openHallEventStream } from './hall-event-stream.ts';

export interface UseHallEventsOptions {
  /** null: no stream (signed out) */
  token: string | null;
  kinds?: readonly HallEventKind[];
  windows?: readonly number[];
  onEvent(event: HallEvent): void;
  /** the stream (re)opened or the server lost what was missed: reload what the page shows */
  onResync(): void;
  onUnauthorized(): void;
}

/**
 * The hall event stream as a React hook: open while there is a token, reconnecting by itself.
 * Answers the stream's state for the page's online banner. The callbacks may change every render.
 */
export function useHallEvents(options: UseHallEventsOptions): StreamState {
  const [state, setState] = useState<StreamState>('connecting');
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });
  const { token } = options;
  const kinds = options.kinds?.join(',') ?? '';
  const windows = options.windows?.join(',') ?? '';
  useEffect(() => {
    if (token === null) return undefined;
    const stream = openHallEventStream({
      token: () => token,
      kinds: kinds ? (kinds.split(',') as HallEventKind[]) : [],
      windows: windows ? windows.split(',').map(Number) : [],
      onEvent: (event) => latest.current.onEvent(event),
      onReset: () => latest.current.onResync(),
      onUnauthorized: () => latest.current.onUnauthorized(),
      onState: (next) => {
        setState(next);
        // Whatever happened while the stream was away, the page reads afresh.
        if (next === 'open') latest.current.onResync();
      },
    });
    return () => stream.close();
  }, [token, kinds, windows]);
  return state;
}
