// A real server process whose every event transaction stays open for --hold-ms before it commits,
// so a test can SIGKILL it in the middle of a push with a transaction in flight.
import { parseArgs } from 'node:util';
import { databaseTargetFrom } from '../../../server/db/connect.ts';
import { startServer } from '../../../server/embedded.ts';
import { createServerLogger } from '../../../server/http/logger.ts';
import { demoCatalog } from '../../support/demo-hall.ts';

const { values } = parseArgs({ options: { db: { type: 'string' }, 'hold-ms': { type: 'string' }, port: { type: 'string' } } });
const holdMs = Number(values['hold-ms'] ?? '0');
const logger = createServerLogger({ level: 'info' });
const server = await startServer({
  target: databaseTargetFrom(values.db, {}, 'unused.sqlite'),
  clock: { now: () => Date.now() },
  logger,
  seedCatalog: demoCatalog,
  // A fixed port lets kiosks configured with this server's URL find it again after a restart.
  port: Number(values.port ?? '0'),
  hooks: holdMs ? { beforeEventCommit: () => new Promise((resolve) => setTimeout(resolve, holdMs)) } : {},
});
logger.info({ event: 'ready', url: server.url }, 'slow server listening');
process.once('SIGTERM', () =>
  void server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error({ err: error }, 'slow server failed to stop');
      process.exit(1);
    },
  ),
);
