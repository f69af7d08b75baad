// The PouchDB baseline's server in a process of its own: express-pouchdb (the CouchDB HTTP
// protocol of PouchDB Server) over the in-memory adapter — no disk, no fsync, so the comparison
// favours PouchDB. Prints one ready line, stops on SIGTERM.
import expressPouchdb from 'express-pouchdb';
import PouchDB from 'pouchdb-core';
import memoryAdapter from 'pouchdb-adapter-memory';

const ServerPouch = PouchDB.plugin(memoryAdapter).defaults({ adapter: 'memory' });
const app = expressPouchdb(ServerPouch, { mode: 'minimumForPouchDB', inMemoryConfig: true });
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ event: 'ready', url: `http://127.0.0.1:${port}`, pid: process.pid })}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
