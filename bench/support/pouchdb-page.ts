// The PouchDB baseline inside Chromium (bundled by sync-in-browser.ts): the idb adapter on the
// browser's own IndexedDB, replicating over fetch to express-pouchdb on the page's origin.
import PouchDB from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import idbAdapter from 'pouchdb-adapter-idb';
import replication from 'pouchdb-replication';
import { runPouchReplications } from './pouchdb-runs.ts';

const BrowserPouch = PouchDB.plugin(idbAdapter).plugin(httpAdapter).plugin(replication);
(globalThis as unknown as { hallPouchBench: unknown }).hallPouchBench = {
  run: (options: Omit<Parameters<typeof runPouchReplications>[0], 'pouch'>) => runPouchReplications({ ...options, pouch: BrowserPouch }),
};
