import { useSyncExternalStore } from 'react';
import type { SyncStatus } from '../sync/sync-status.ts';
import { useKioskServices } from '../app/kiosk-services.ts';

export function useSyncStatus(): SyncStatus {
  const { sync } = useKioskServices();
  return useSyncExternalStore(sync.status.subscribe, sync.status.get);
}

export type ConnectionState = 'standalone' | 'connecting' | 'online' | 'offline';

/** Online is what the last real request to the hall server showed, not the browser's guess. */
export function connectionOf(status: SyncStatus): ConnectionState {
  if (status.server && !status.server.configured) return 'standalone';
  if (status.online === null) return 'connecting';
  return status.online ? 'online' : 'offline';
}
