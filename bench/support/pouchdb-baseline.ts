// The baseline: PouchDB replicating the kiosk's pending events, one document each, from a local
// PouchDB to a CouchDB-protocol server (express-pouchdb) on 127.0.0.1.
import PouchDB from 'pouchdb-core';
import type { PouchDatabase } from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import memoryAdapter from 'pouchdb-adapter-memory';
import replication from 'pouchdb-replication';
import type { SyncEvent } from '../../core/sync-events.ts';
import { spawnServer } from '../../tests/server/support/servers.ts';
import { onlinePushSize } from './offline-kiosk.ts';
import type { OutageHistory } from './offline-kiosk.ts';

const KioskPouch = PouchDB.plugin(memoryAdapter).plugin(httpAdapter).plugin(replication);

export interface PouchReplication {
  batchSize: number;
  seconds: number;
  docsWritten: number;
  remoteDocs: number;
}

/**
 * The same outage as the hall kiosk's, once per batch size, each with a local and a remote
 * database of its own: while online the kiosk's PouchDB replicates its documents a few at a time
 * as they are written (as live replication would), then the pending ones are written while the
 * server is away, and the replication that brings the server up to date is what is timed. First,
 * as on the hall server, another kiosk's backlog (`warmUp.pending`) is replicated, untimed.
 */
export async function replicateWithPouchDB(warmUp: OutageHistory, history: OutageHistory, batchSizes: readonly number[]): Promise<PouchReplication[]> {
  const server = await spawnServer([], { script: 'bench/support/pouchdb-server-main.ts' });
  const doc = (e: SyncEvent) => ({ _id: e.id, seq: e.seq, type: e.type, at: e.at, payload: e.payload });
  const write = async (db: PouchDatabase, events: readonly SyncEvent[]) => {
    const written = await db.bulkDocs(events.map(doc));
    if (written.some((r) => r.error)) throw new Error('PouchDB refused some outbox documents');
  };
  try {
    const warmLocal = new KioskPouch('other-kiosk-outbox', { adapter: 'memory' });
    const warmRemote = new KioskPouch(`${server.url}/hall-events-other-kiosk`);
    await write(warmLocal, warmUp.pending);
    await KioskPouch.replicate(warmLocal, warmRemote, { batch_size: Math.max(...batchSizes) });
    await warmRemote.close();
    await warmLocal.close();

    const runs: PouchReplication[] = [];
    for (const batchSize of batchSizes) {
      const local = new KioskPouch(`kiosk-outbox-${batchSize}`, { adapter: 'memory' });
      const remote = new KioskPouch(`${server.url}/hall-events-${batchSize}`);
      for (let at = 0; at < history.synced.length; at += onlinePushSize) {
        await write(local, history.synced.slice(at, at + onlinePushSize));
        await KioskPouch.replicate(local, remote, { batch_size: batchSize });
      }
      await write(local, history.pending);
      const started = performance.now();
      const result = await KioskPouch.replicate(local, remote, { batch_size: batchSize });
      const seconds = (performance.now() - started) / 1000;
      const remoteDocs = (await remote.info()).doc_count;
      const expected = history.synced.length + history.pending.length;
      if (!result.ok || result.docs_written !== history.pending.length || remoteDocs !== expected) {
        throw new Error(`PouchDB replication incomplete: ${result.docs_written} written, ${remoteDocs} of ${expected} documents on the server`);
      }
      runs.push({ batchSize, seconds, docsWritten: result.docs_written, remoteDocs });
      await remote.close();
      await local.close();
    }
    return runs;
  } finally {
    await server.stop();
  }
}
