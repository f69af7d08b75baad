import type { KioskApi } from '../../core/kiosk/kiosk-api.ts';
import type { QueueState } from '../../core/ticket/queue-state.ts';

/**
 * The last queue state the privileged side passed on from the hall server's live stream, or null
 * while it has none (offline, standalone, or not heard yet). Kept for the kiosk's whole life, so
 * a count is ready the moment a citizen confirms.
 */
export class QueueStateStore {
  private state: QueueState | null = null;
  private readonly unsubscribe: () => void;

  constructor(events: KioskApi['events']) {
    this.unsubscribe = events.subscribe((event) => {
      if (event.type === 'queue-state') this.state = event.state;
    });
  }

  latest(): QueueState | null {
    return this.state;
  }

  close(): void {
    this.unsubscribe();
  }
}
