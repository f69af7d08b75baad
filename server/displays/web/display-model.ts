import type { DisplayState } from '../../../core/display/display.ts';
import { recentCallsShown } from '../../../core/display/display.ts';
import type { HallEvent } from '../../../core/queue/hall-events.ts';

/**
 * A screen's picture: the state read on (re)connecting, moved on by each event of its stream.
 * An event the state already holds (read after it was committed, then replayed) changes nothing:
 * calls are kept by event id, windows and counts are set, not added to.
 */
export function applyDisplayEvent(state: DisplayState, event: HallEvent): DisplayState {
  switch (event.kind) {
    case 'call': {
      if (state.recentCalls.some((c) => c.id === event.id)) return state;
      const recentCalls = [...state.recentCalls, event].sort((a, b) => a.id - b.id).slice(-(recentCallsShown + 1));
      const windows = state.windows.map((w) => (w.number === event.data.window ? { ...w, label: event.data.label } : w));
      return { ...state, recentCalls, windows, lastEventId: Math.max(state.lastEventId, event.id) };
    }
    case 'window': {
      const windows = state.windows.map((w) =>
        w.number === event.data.window
          ? { ...w, state: event.data.state, label: event.data.label, pauseReason: event.data.state === 'paused' ? w.pauseReason : null }
          : w,
      );
      return { ...state, windows, lastEventId: Math.max(state.lastEventId, event.id) };
    }
    case 'queue': {
      const queues = state.queues.map((q) => (q.serviceId === event.data.serviceId ? { ...q, waiting: event.data.waiting } : q));
      return { ...state, queues, lastEventId: Math.max(state.lastEventId, event.id) };
    }
    case 'leg':
      return state;
  }
}

/** A window event the state cannot draw by itself (who signed in, the pause reason's words): read the state again. */
export function needsReload(state: DisplayState, event: HallEvent): boolean {
  if (event.kind !== 'window') return false;
  const shown = state.windows.find((w) => w.number === event.data.window);
  if (!shown) return false;
  return event.data.state === 'paused' || (shown.state === 'closed') !== (event.data.state === 'closed');
}
