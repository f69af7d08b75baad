// The PouchDB baseline's runs, the same in Node (pouchdb-baseline.ts) and in the browser bench's
// page (sync-in-browser.ts bundles this file): no Node APIs here.
import type { PouchDatabase, PouchDBStatic } from 'pouchdb-core';
import type { SyncEvent } from '../../core/sync/events.ts';
import type { OutageHistory } from './outage-history.ts';
import { onlinePushSize } from './outage-history.ts';

/**
 * Where the kiosk's PouchDB keeps its documents: `idb` is PouchDB's browser default, IndexedDB
 * (Chromium's own, or fake-indexeddb in Node); `memory` is a store no kiosk could keep its outbox in.
 */
export type PouchStore = 'idb' | 'memory';

export interface PouchReplication {
  store: PouchStore;
  batchSize: number;
  seconds: number;
  docsWritten: number;
  remoteDocs: number;
}

export interface PouchRunsOptions {
  /** PouchDB with the local adapter, the http adapter and replication */
  pouch: PouchDBStatic;
  store: PouchStore;
  /** express-pouchdb's address */
  remoteUrl: string;
  warmUp: OutageHistory;
  history: OutageHistory;
  batchSizes: readonly number[];
  repeats: number;
  /** local databases are named after this, so runs in one origin never meet */
  prefix: string;
}

/**
 * The same outage as the hall kiosk's, `repeats` times per batch size, each with a local and a remote
 * database of its own: while online the kiosk's PouchDB replicates its documents a few at a time
 * as they are written (as live replication would), then the pending ones are written while the
 * server is away, and the replication that brings the server up to date is what is timed. First,
 * as on the hall server, another kiosk's backlog (`warmUp.pending`) is replicated, untimed, from
 * the same kind of local store.
 */
export async function runPouchReplications(options: PouchRunsOptions): Promise<PouchReplication[]> {
  const { pouch: Pouch, store, remoteUrl, warmUp, history, batchSizes, prefix } = options;
  const doc = (e: SyncEvent) => ({ _id: e.id, seq: e.seq, type: e.type, at: e.at, payload: e.payload });
  const write = async (db: PouchDatabase, events: readonly SyncEvent[]) => {
    const written = await db.bulkDocs(events.map(doc));
    if (written.some((r) => r.error)) throw new Error('PouchDB refused some outbox documents');
  };
  const warmLocal = new Pouch(`${prefix}-other-kiosk-outbox-${store}`, { adapter: store });
  const warmRemote = new Pouch(`${remoteUrl}/${prefix}-hall-events-other-kiosk`);
  await write(warmLocal, warmUp.pending);
  await Pouch.replicate(warmLocal, warmRemote, { batch_size: Math.max(...batchSizes) });
  await warmRemote.close();
  await warmLocal.close();

  const runs: PouchReplication[] = [];
  for (const [run, batchSize] of Array.from({ length: options.repeats }, () => batchSizes).flat().entries()) {
    const local = new Pouch(`${prefix}-kiosk-outbox-${store}-${run}`, { adapter: store });
    const remote = new Pouch(`${remoteUrl}/${prefix}-hall-events-${run}`);
    for (let at = 0; at < history.synced.length; at += onlinePushSize) {
      await write(local, history.synced.slice(at, at + onlinePushSize));
      await Pouch.replicate(local, remote, { batch_size: batchSize });
    }
    await write(local, history.pending);
    const started = performance.now();
    const result = await Pouch.replicate(local, remote, { batch_size: batchSize });
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
}
