// What the browser sync bench runs inside the real kiosk page (bundled by sync-in-browser.ts):
// writes the outage's events into the page's own IndexedDB beside the kiosk's connection, reads
// how far the kiosk's engine got, and keeps the engine's User Timing marks as they are made.
import { HallKioskDb } from '../../renderer/db/hall-kiosk-db.ts';
import { ackedThrough, pendingCount } from '../../renderer/sync/outbox-acks.ts';
import { readSyncMeta } from '../../renderer/db/sync-meta.ts';
import { syncMarkNames } from '../../renderer/sync/sync-marks.ts';
import type { SyncEvent } from '../../core/sync/events.ts';
import { seedOutbox } from './outbox-seed.ts';

export interface SyncMark {
  name: string;
  /** ms on the page's performance timeline */
  at: number;
}

export interface SyncPageState {
  pending: number;
  ackedThrough: number;
  /** the engine adopted its device: it has made a round against the server */
  deviceId: string | null;
}

export interface SyncPage {
  seed(kioskId: string, events: readonly SyncEvent[]): Promise<void>;
  state(): Promise<SyncPageState>;
  /** the engine's marks since the last `resetMarks()` */
  marks(): SyncMark[];
  resetMarks(): void;
}

const db = new HallKioskDb();
const names = new Set<string>(syncMarkNames);
let seen: SyncMark[] = [];
// The engine clears its marks at each round; the observer has them by then.
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (names.has(entry.name)) seen.push({ name: entry.name, at: entry.startTime });
}).observe({ type: 'mark' });

const page: SyncPage = {
  seed: (kioskId, events) => seedOutbox(db, kioskId, events),
  async state() {
    return { pending: await pendingCount(db), ackedThrough: await ackedThrough(db), deviceId: (await readSyncMeta(db, 'sync.deviceId')) ?? null };
  },
  marks: () => seen.slice(),
  resetMarks: () => {
    seen = [];
  },
};
(globalThis as unknown as { hallSyncBench: SyncPage }).hallSyncBench = page;
