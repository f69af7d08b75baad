import type { ServerStatus } from '../../core/http/central-server-request.ts';

/** What staff (and the status bar) see of the sync engine. */
export interface SyncStatus {
  /** what the privileged side says about the server and this device; null before it answered */
  server: ServerStatus | null;
  /** judged by the last real request to the server; null before the first */
  online: boolean | null;
  /** outbox entries the server has not acknowledged */
  pending: number;
  lastSuccessAt: number | null;
  lastError: string | null;
  /** events the server acknowledged but could never apply; listed for the admin on the server */
  deadLettered: number;
  /** this window runs the sync loop (one per kiosk) */
  leader: boolean;
}

export const initialSyncStatus: SyncStatus = {
  server: null,
  online: null,
  pending: 0,
  lastSuccessAt: null,
  lastError: null,
  deadLettered: 0,
  leader: false,
};

/** A tiny external store: React reads it with useSyncExternalStore. */
export class SyncStatusStore {
  private status: SyncStatus = initialSyncStatus;
  private readonly listeners = new Set<() => void>();

  get = (): SyncStatus => this.status;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  update(change: Partial<SyncStatus>): void {
    const next = { ...this.status, ...change };
    if ((Object.keys(next) as Array<keyof SyncStatus>).every((k) => next[k] === this.status[k])) return;
    this.status = next;
    for (const listener of [...this.listeners]) listener();
  }
}
