// The baseline: PouchDB replicating the kiosk's pending events, one document each, from a local
// PouchDB to a CouchDB-protocol server (express-pouchdb) on 127.0.0.1.
import PouchDB from 'pouchdb-core';
import type { PouchDatabase } from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import idbAdapter from 'pouchdb-adapter-idb';
import memoryAdapter from 'pouchdb-adapter-memory';
import replication from 'pouchdb-replication';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { SyncEvent } from '../../core/sync-events.ts';
import { spawnServer } from '../../tests/server/support/servers.ts';
import { onlinePushSize } from './offline-kiosk.ts';
import type { OutageHistory } from './offline-kiosk.ts';

/**
 * Where the kiosk's PouchDB keeps its documents: `idb` is PouchDB's browser default, IndexedDB —
 * here fake-indexeddb, the same store the hall kiosk's engine runs on in this bench, so the two
 * pay for the same kind of local storage; `memory` is a store no kiosk could keep its outbox in.
 */
export type PouchStore = 'idb' | 'memory';

/**
 * The idb adapter reaches for the page's `indexedDB` and `IDBKeyRange`, and registers only if they
 * are there; in Node they are fake-indexeddb's, set for this process before the adapter is added
 * (the engine's database is handed a factory of its own). Its blob check reads
 * `navigator.userAgent`, which Node 20 lacks: the kiosk's renderer is Chromium, so it says so.
 */
const scope = globalThis as { indexedDB?: unknown; IDBKeyRange?: unknown; navigator?: unknown };
scope.indexedDB ??= new IDBFactory();
scope.IDBKeyRange ??= IDBKeyRange;
scope.navigator ??= { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36' };
const KioskPouch = PouchDB.plugin(memoryAdapter).plugin(idbAdapter).plugin(httpAdapter).plugin(replication);

export interface PouchReplication {
  store: PouchStore;
  batchSize: number;
  seconds: number;
  docsWritten: number;
  remoteDocs: number;
}

/**
 * The same outage as the hall kiosk's, `repeats` times per batch size, each with a local and a remote
 * database of its own: while online the kiosk's PouchDB replicates its documents a few at a time
 * as they are written (as live replication would), then the pending ones are written while the
 * server is away, and the replication that brings the server up to date is what is timed. First,
 * as on the hall server, another kiosk's backlog (`warmUp.pending`) is replicated, untimed, from
 * the same kind of local store.
 */
export async function replicateWithPouchDB(store: PouchStore, warmUp: OutageHistory, history: OutageHistory, batchSizes: readonly number[], repeats = 1): Promise<PouchReplication[]> {
  const server = await spawnServer([], { script: 'bench/support/pouchdb-server-main.ts' });
  const doc = (e: SyncEvent) => ({ _id: e.id, seq: e.seq, type: e.type, at: e.at, payload: e.payload });
  const write = async (db: PouchDatabase, events: readonly SyncEvent[]) => {
    const written = await db.bulkDocs(events.map(doc));
    if (written.some((r) => r.error)) throw new Error('PouchDB refused some outbox documents');
  };
  try {
    const warmLocal = new KioskPouch(`other-kiosk-outbox-${store}`, { adapter: store });
    const warmRemote = new KioskPouch(`${server.url}/hall-events-other-kiosk`);
    await write(warmLocal, warmUp.pending);
    await KioskPouch.replicate(warmLocal, warmRemote, { batch_size: Math.max(...batchSizes) });
    await warmRemote.close();
    await warmLocal.close();

    const runs: PouchReplication[] = [];
    for (const [run, batchSize] of Array.from({ length: repeats }, () => batchSizes).flat().entries()) {
      const local = new KioskPouch(`kiosk-outbox-${store}-${run}`, { adapter: store });
      const remote = new KioskPouch(`${server.url}/hall-events-${run}`);
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
      runs.push({ store, batchSize, seconds, docsWritten: result.docs_written, remoteDocs });
      await remote.close();
      await local.close();
    }
    return runs;
  } finally {
    await server.stop();
  }
}
