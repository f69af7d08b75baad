// The little of PouchDB and express-pouchdb the PouchDB baseline uses (they ship no types).
declare module 'pouchdb-core' {
  export interface ReplicationResult {
    ok: boolean;
    docs_read: number;
    docs_written: number;
    doc_write_failures: number;
  }
  export interface PouchDatabase {
    bulkDocs(docs: object[]): Promise<{ ok?: boolean; error?: string }[]>;
    info(): Promise<{ doc_count: number; update_seq: number | string }>;
    close(): Promise<void>;
  }
  export interface PouchDBStatic {
    new (name: string, options?: { adapter?: string }): PouchDatabase;
    plugin(plugin: unknown): PouchDBStatic;
    defaults(options: { adapter?: string }): PouchDBStatic;
    replicate(source: PouchDatabase, target: PouchDatabase, options?: { batch_size?: number; batches_limit?: number }): Promise<ReplicationResult>;
  }
  const PouchDB: PouchDBStatic;
  export default PouchDB;
}
declare module 'pouchdb-adapter-memory' {
  const plugin: unknown;
  export default plugin;
}
declare module 'pouchdb-adapter-idb' {
  const plugin: unknown;
  export default plugin;
}
declare module 'pouchdb-adapter-http' {
  const plugin: unknown;
  export default plugin;
}
declare module 'pouchdb-replication' {
  const plugin: unknown;
  export default plugin;
}
declare module 'express-pouchdb' {
  import type { Server } from 'node:http';
  import type { PouchDBStatic } from 'pouchdb-core';
  interface ExpressPouchApp {
    listen(port: number, host: string, ready: () => void): Server;
  }
  export default function expressPouchdb(pouchDB: PouchDBStatic, options?: { mode?: 'minimumForPouchDB' | 'fullCouchDB'; inMemoryConfig?: boolean; logPath?: string }): ExpressPouchApp;
}
