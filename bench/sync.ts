// A kiosk that was offline for days with 10,000 pending events catches up to an idle hall server
// (SQLite, in its own process) — against PouchDB replicating the same 10,000 documents to a
// CouchDB-protocol server on 127.0.0.1, measured in the same run.
import { loadavg } from 'node:os';
import { median, round3 } from './percentile.ts';
import { prepareHall, scratchSqlite, spawnBenchServer, systemClock, withDatabase } from './support/hall.ts';
import { benchKioskKind, offlineKiosk } from './support/offline-kiosk.ts';
import { kioskHistory } from './support/outage-history.ts';
import { leaseHistory } from './support/history-leases.ts';
import type { OutageHistory } from './support/outage-history.ts';
import { replicateWithPouchDB } from './support/pouchdb-baseline.ts';
import type { PouchReplication } from './support/pouchdb-runs.ts';
import { readDemoCatalog } from '../server/catalog/demo-catalog.ts';

const demoCatalog = readDemoCatalog('small').catalog;

const eventCount = Number(process.env.BENCH_SYNC_EVENTS ?? 10_000);
/** What the kiosk had synced before the outage: it was online, and so the server had seen it. */
const syncedBefore = 1_000;
/**
 * Neither server is fresh: a hall server has served other kiosks, and so has the CouchDB-protocol
 * server. Before the timed catch-up, another kiosk catches up this many events on each (untimed),
 * so the figures compare the two protocols and stores, not two JIT warm-ups.
 */
const warmUpEvents = 5_000;
/**
 * The machine is shared and its load swings within a minute: each side is timed this many times
 * (the kiosk's catch-ups by as many kiosks, PouchDB's with fresh databases) and the medians count.
 */
const repeats = Number(process.env.BENCH_SYNC_REPEATS ?? 5);

export async function runSyncBench(): Promise<Record<string, number | string>> {
  // Other work on this 2-core machine slows both sides; the figures say how busy it was.
  const loadBefore = loadavg()[0]!;
  const hall = scratchSqlite('sync');
  try {
    const devices = await prepareHall(hall.target, { catalog: demoCatalog, deviceCount: repeats + 1 });
    const other = devices[repeats]!;
    const now = systemClock.now();
    // One kiosk per timed catch-up, each with its own days, so their numbers never meet; the
    // other kiosk's days end before all of theirs begin.
    const daysOf = (list: readonly { at: number }[]) => new Set(list.map((e) => e.at - (e.at % 86_400_000))).size;
    const kiosks: { kioskId: string; history: OutageHistory }[] = [];
    let endDaysAgo = 1;
    for (let k = 0; k < repeats; k++) {
      const kioskId = `kiosk-bench-${String(k + 1).padStart(2, '0')}`;
      const events = kioskHistory({ kioskId, catalog: demoCatalog, events: syncedBefore + eventCount, now, endDaysAgo });
      kiosks.push({ kioskId, history: { synced: events.slice(0, syncedBefore), pending: events.slice(syncedBefore) } });
      endDaysAgo += daysOf(events) + 2;
    }
    const history = kiosks[0]!.history;
    const total = syncedBefore + eventCount;
    const warmUp = { synced: [], pending: kioskHistory({ kioskId: 'kiosk-bench-warm', catalog: demoCatalog, events: warmUpEvents, now, endDaysAgo }) };
    await withDatabase(hall.target, async ({ db }) => {
      await leaseHistory(db, other.deviceId, warmUp.pending);
      for (const [k, { history: outage }] of kiosks.entries()) await leaseHistory(db, devices[k]!.deviceId, [...outage.synced, ...outage.pending]);
    });

    const server = await spawnBenchServer(hall.target);
    const catchUps: number[] = [];
    let pushes = 0;
    try {
      const warming = await offlineKiosk({ serverUrl: server.url, deviceId: other.deviceId, token: other.token, kioskId: 'kiosk-bench-warm' }, warmUp);
      await warming.catchUp();
      await warming.close();
      for (const [k, { kioskId, history: outage }] of kiosks.entries()) {
        const device = devices[k]!;
        const kiosk = await offlineKiosk({ serverUrl: server.url, deviceId: device.deviceId, token: device.token, kioskId }, outage);
        const started = performance.now();
        const result = await kiosk.catchUp();
        catchUps.push((performance.now() - started) / 1000);
        await kiosk.close();
        pushes = result.pushes;
        if (result.applied !== eventCount || result.lastAppliedSeq !== total) {
          throw new Error(`catch-up incomplete: ${result.applied} applied, server at seq ${result.lastAppliedSeq} of ${total}`);
        }
      }
    } finally {
      await server.stop();
    }
    const catchUpSeconds = median(catchUps);
    // Exactly once, from the database itself.
    const stored = await withDatabase(hall.target, async ({ db }) => {
      const count = async (table: 'tickets' | 'device_events' | 'dead_letters') =>
        Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const issued = Number((await db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'issued').executeTakeFirstOrThrow()).n);
      return { tickets: await count('tickets'), issued, events: await count('device_events'), deadLetters: await count('dead_letters') };
    });
    const expected = repeats * total + warmUpEvents;
    if (stored.tickets !== expected / 2 || stored.issued !== stored.tickets || stored.events !== expected || stored.deadLetters !== 0) {
      throw new Error(`the server holds ${JSON.stringify(stored)} after the catch-up`);
    }

    // PouchDB's default batch (100 documents) and the kiosk's own (1000): the faster one counts.
    // Like for like, the PouchDB kiosk keeps its documents in (fake-)IndexedDB as the hall kiosk
    // does; the in-memory run is kept alongside so nobody takes either figure for the other.
    const batchSizes = [100, 1000];
    const pouchIdb = medianPerBatchSize(await replicateWithPouchDB('idb', warmUp, history, batchSizes, repeats));
    const pouchMemory = medianPerBatchSize(await replicateWithPouchDB('memory', warmUp, history, batchSizes, repeats));
    const best = fastest(pouchIdb);
    const bestMemory = fastest(pouchMemory);
    const ratioTo = (seconds: number) => Math.round((seconds / catchUpSeconds) * 10) / 10;
    return {
      events: eventCount,
      catchup_s: round3(catchUpSeconds),
      pouchdb_catchup_s: round3(best.seconds),
      ratio: ratioTo(best.seconds),
      comparison:
        `the hall kiosk's SyncEngine pushing ${eventCount} pending outbox entries from fake-indexeddb to the hall server (SQLite) ` +
        `vs PouchDB replicating the same ${eventCount} documents from its idb adapter on fake-indexeddb to express-pouchdb (memory), ` +
        'both on 127.0.0.1 in this run, both stores filled before the clock starts; ratio_vs_memory: the same PouchDB replication from its memory adapter',
      pouchdb_indexeddb_catchup_s: round3(best.seconds),
      pouchdb_memory_catchup_s: round3(bestMemory.seconds),
      ratio_vs_memory: ratioTo(bestMemory.seconds),
      catchup_runs_s: catchUps.map(round3).join(', '),
      pouchdb_indexeddb_runs_s: pouchIdb.find((r) => r.batchSize === best.batchSize)!.runs.map(round3).join(', '),
      repeats,
      pushes,
      synced_before_outage: syncedBefore,
      warm_up_events: warmUpEvents,
      server_events_per_s: Math.round(eventCount / catchUpSeconds),
      pouchdb_batch_size: best.batchSize,
      pouchdb_memory_batch_size: bestMemory.batchSize,
      ...Object.fromEntries([...pouchIdb, ...pouchMemory].map((r) => [`pouchdb_${r.store === 'idb' ? 'indexeddb' : 'memory'}_batch${r.batchSize}_s`, round3(r.seconds)])),
      tickets_stored: (stored.tickets - warmUpEvents / 2) / repeats,
      dead_letters: stored.deadLetters,
      machine_load_1m: `${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after`,
      kiosk: benchKioskKind === 'engine' ? 'renderer SyncEngine (runRound: push, pull, lease top-up) on fake-indexeddb, outbox written as TicketIssuer writes it' : 'bench pusher (wire-identical to the sync engine)',
      server: 'SQLite file, synchronous=FULL, own process',
      pouchdb: 'pouchdb-core 9, idb adapter on fake-indexeddb (and memory adapter) -> express-pouchdb 4.2 (memory), own process',
    };
  } finally {
    hall.remove();
  }
}

export const fastest = <T extends { seconds: number }>(runs: readonly T[]): T => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));

/** One figure per batch size: the median of its runs, the runs kept to show the spread. */
export function medianPerBatchSize(runs: readonly PouchReplication[]): (PouchReplication & { runs: number[] })[] {
  const sizes = [...new Set(runs.map((r) => r.batchSize))];
  return sizes.map((batchSize) => {
    const own = runs.filter((r) => r.batchSize === batchSize);
    return { ...own[0]!, seconds: median(own.map((r) => r.seconds)), runs: own.map((r) => r.seconds) };
  });
}
