import { spawnServer } from '../../tests/server/support/servers.ts';
import type { SpawnedServer } from '../../tests/server/support/servers.ts';

/** express-pouchdb in a process of its own (pouchdb-server-main.ts), on 127.0.0.1. */
export function spawnPouchServer(): Promise<SpawnedServer> {
  return spawnServer([], { script: 'bench/support/pouchdb-server-main.ts' });
}
