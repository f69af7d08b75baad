// The hall's central server in a process of its own, for the benchmarks: the load generator (or
// the kiosk) runs in the bench process on the other core, as it would on another machine.
//   node --import tsx bench/support/server-main.ts --db FILE|postgres://… [--device-rate-limit N] [--port P] [--max-in-flight N]
// startServer with the shipped defaults (what startEmbeddedServer uses for the kiosk's demo mode,
// on either engine), except a per-device rate limit of N requests a second when given. A port is
// given when the server must come back where its kiosks know it (the sync bench's outages). Prints
// one ready line, stops on SIGTERM. --max-in-flight raises the load-shedding limit (default 64) for a
// bench that measures the store with more clients at once than that, as the calling bench's 200 windows.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Clock } from '../../core/calendar/clock.ts';
import { benchClock } from './bench-clock.ts';
import { databaseTargetFrom } from '../../server/db/connect.ts';
import { startServer } from '../../server/embedded.ts';
import { templateKeyFromConfig } from '../../server/staff/template-key.ts';
import { readDemoCatalog } from '../../server/catalog/demo-catalog.ts';

const demoCatalog = readDemoCatalog('small').catalog;

// BENCH_SERVER_CPU_PROF=DIR: a V8 CPU profile of the whole run, written there on SIGTERM
// (--cpu-prof itself is refused in NODE_OPTIONS).
const profileDir = process.env.BENCH_SERVER_CPU_PROF;
const inspector = profileDir ? new Session() : null;
if (inspector) {
  inspector.connect();
  await inspector.post('Profiler.setSamplingInterval', { interval: 100 });
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.start');
}

const { values } = parseArgs({ options: { db: { type: 'string' }, 'device-rate-limit': { type: 'string' }, port: { type: 'string' }, 'max-in-flight': { type: 'string' } } });
if (!values.db) throw new Error('--db FILE|postgres://… is required');
// The bench process's hall clock (bench-clock.ts reads the offset it was handed).
const clock: Clock = benchClock;
const perSecond = values['device-rate-limit'] === undefined ? undefined : Number(values['device-rate-limit']);
const server = await startServer({
  target: databaseTargetFrom(values.db, {}, values.db),
  clock,
  ...(values.port === undefined ? {} : { port: Number(values.port) }),
  seedCatalog: demoCatalog,
  // HALL_TEMPLATE_KEY, as the shipped server reads it: fingerprint templates work only with one.
  templateKey: templateKeyFromConfig({ env: process.env }),
  ...(perSecond ? { deviceRateLimit: { capacity: perSecond, refillPerSecond: perSecond } } : {}),
  ...(values['max-in-flight'] === undefined ? {} : { inFlightLimit: { maxInFlight: Number(values['max-in-flight']), retryAfterSeconds: 1 } }),
});
process.stdout.write(`${JSON.stringify({ event: 'ready', url: server.url, engine: server.db.engine, pid: process.pid })}\n`);
process.once('SIGTERM', () => {
  void (async () => {
    await server.close();
    if (inspector && profileDir) {
      const { profile } = await inspector.post('Profiler.stop');
      writeFileSync(join(profileDir, `server-${process.pid}.cpuprofile`), JSON.stringify(profile));
    }
    process.exit(0);
  })().catch((error: unknown) => {
    console.error('bench server failed to stop', error);
    process.exit(1);
  });
});
