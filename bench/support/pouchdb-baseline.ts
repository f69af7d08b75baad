// The baseline in Node: PouchDB replicating the kiosk's pending events, one document each, from a
// local PouchDB to a CouchDB-protocol server (express-pouchdb) on 127.0.0.1.
import PouchDB from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import idbAdapter from 'pouchdb-adapter-idb';
import memoryAdapter from 'pouchdb-adapter-memory';
import replication from 'pouchdb-replication';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { OutageHistory } from './outage-history.ts';
import type { PouchReplication, PouchStore } from './pouchdb-runs.ts';
import { runPouchReplications } from './pouchdb-runs.ts';
import { spawnPouchServer } from './pouchdb-server.ts';

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

/** PouchDB's runs (runPouchReplications) in this process, against a server of their own. */
export async function replicateWithPouchDB(store: PouchStore, warmUp: OutageHistory, history: OutageHistory, batchSizes: readonly number[], repeats = 1): Promise<PouchReplication[]> {
  const server = await spawnPouchServer();
  try {
    return await runPouchReplications({ pouch: KioskPouch, store, remoteUrl: server.url, warmUp, history, batchSizes, repeats, prefix: 'node' });
  } finally {
    await server.stop();
  }
}
