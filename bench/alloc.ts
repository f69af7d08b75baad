// 100 enrolled kiosks ask the hall server (its own process, real HTTP on 127.0.0.1, one keep-alive
// connection each) for online numbers — POST /api/v1/numbers/next — on SQLite and, where its
// binaries exist, PostgreSQL. Two 20-second phases per engine:
//   paced     — the kiosks together ask BENCH_ALLOC_RATE (default 2,500) numbers a second on a fixed
//               schedule; latency counts from the scheduled moment, so a stall is never hidden;
//   saturated — each kiosk asks again the moment it has its answer: the server's capacity.
// Every number is checked for uniqueness from the responses and from the database: the counters
// must account for each number exactly once, and the tickets the kiosks then push for their numbers
// must all be stored, none refused as a duplicate number.
import { loadavg } from 'node:os';
import { v7 as uuidv7 } from 'uuid';
import type { Catalog } from '../core/catalog/catalog.ts';
import { apiErrorSchema } from '../core/sync/errors.ts';
import type { SyncEvent } from '../core/sync/events.ts';
import { nextNumberResponseSchema } from '../core/numbering/numbers.ts';
import { maxEventsPerPush, pushResponseSchema } from '../core/sync/push.ts';
import type { Ticket } from '../core/ticket/ticket.ts';
import { priorityClasses } from '../core/ticket/ticket.ts';
import type { DatabaseTarget } from '../server/db/connect.ts';
import { staffedEveryDay } from '../tests/e2e/support/staffed-all-day.ts';
import { findPostgresBinDir, postgresSkipReason } from '../tests/server/support/postgres.ts';
import type { EnrolledDevice } from './support/hall.ts';
import { prepareHall, scratchSqlite, spawnBenchServer, startBenchPostgres, withDatabase } from './support/hall.ts';
import type { JsonResponse } from './support/http-client.ts';
import { KioskConnection } from './support/http-client.ts';
import { NumberLedger } from './support/number-ledger.ts';
import { percentile } from './percentile.ts';
import { readDemoCatalog } from '../server/catalog/demo-catalog.ts';

const demoCatalog = readDemoCatalog('small').catalog;

const kioskCount = Number(process.env.BENCH_ALLOC_KIOSKS ?? 100);
const phaseSeconds = Number(process.env.BENCH_ALLOC_SECONDS ?? 20);
const warmUpSeconds = 2;
const pacedRate = Number(process.env.BENCH_ALLOC_RATE ?? 2500);
/**
 * The server's per-device limit (default 50 requests a second) guards against a runaway kiosk; a
 * simulated kiosk asking as fast as it can is one, so the saturated phase would measure the limiter.
 * The bench server allows this many instead; the paced phase (25 a second a kiosk) is under both.
 */
const deviceRateLimitPerSecond = 1000;

/**
 * The demo hall with its daily quotas (限号) lifted to the most a ticket can carry: a quota would
 * end the run within seconds, and quota refusals are not what is measured.
 */
const benchCatalog: Catalog = { ...demoCatalog, services: demoCatalog.services.map((s) => ({ ...s, dailyQuota: 99_999 })) };

type Figures = Record<string, number | string>;

export async function runAllocBench(): Promise<Record<string, number | string | Figures>> {
  const sqliteFile = scratchSqlite('alloc');
  let sqlite: Figures;
  try {
    sqlite = await benchEngine('sqlite', sqliteFile.target);
  } finally {
    sqliteFile.remove();
  }
  let postgres: Figures;
  if (process.env.BENCH_ALLOC_SQLITE_ONLY) {
    postgres = { skipped: 'BENCH_ALLOC_SQLITE_ONLY is set' };
  } else if (process.env.HALL_TEST_DATABASE_URL || findPostgresBinDir()) {
    const cluster = await startBenchPostgres();
    try {
      postgres = await benchEngine('postgres', { postgresUrl: await cluster.createDatabase('hall_bench_alloc') });
    } finally {
      await cluster.stop();
    }
  } else {
    postgres = { skipped: postgresSkipReason };
  }
  return {
    allocations_per_s: sqlite.allocations_per_s!,
    p99_ms: sqlite.p99_ms!,
    duplicates: sqlite.duplicates!,
    sqlite,
    postgres,
  };
}

interface PhaseStats {
  ok: number;
  seconds: number;
  /** of the accepted asks only: a refusal is fast by design and would flatter the figures */
  latencies: number[];
  rateLimited: number;
  /** 503 overloaded answers: refused at once, the kiosk serves that citizen from its reserve */
  shed: number;
  /** asks a kiosk did not send while it honoured a Retry-After: also served from its reserve */
  heldOff: number;
  errors: number;
}

const newStats = (seconds: number): PhaseStats => ({ ok: 0, seconds, latencies: [], rateLimited: 0, shed: 0, heldOff: 0, errors: 0 });

/** An answer's status, and how long a refusal (429 rate-limited, 503 overloaded) asks the kiosk to wait. */
interface Answer {
  status: number;
  retryAfterMs: number;
}

/** A refusal the server means the kiosk to retry later: what a real kiosk does, the bench does. */
function refusal(response: JsonResponse): Answer {
  const parsed = apiErrorSchema.safeParse(response.body);
  const code = parsed.success ? parsed.data.error.code : undefined;
  const refused = (response.status === 429 && code === 'rate-limited') || (response.status === 503 && code === 'overloaded');
  const seconds = refused && parsed.success ? (parsed.data.error.retryAfterSeconds ?? 1) : 0;
  return { status: response.status, retryAfterMs: seconds * 1000 };
}

async function benchEngine(engine: 'sqlite' | 'postgres', target: DatabaseTarget): Promise<Figures> {
  // Other work on this 2-core machine slows server and kiosks alike; the figures say how busy it was.
  const loadBefore = loadavg()[0]!;
  // A saved calendar, open whenever the bench runs and without 限号, so every number passes the calendar's checks.
  const devices = await prepareHall(target, { catalog: benchCatalog, deviceCount: kioskCount, hallCalendar: staffedEveryDay('00:00', '23:59', { withQuotas: false }) });
  const server = await spawnBenchServer(target, { deviceRateLimitPerSecond });
  const kiosks = devices.map((d) => new KioskConnection(server.url, { authorization: `Bearer ${d.token}` }));
  const ledger = new NumberLedger(benchCatalog.services);
  let paced: PhaseStats;
  let saturated: PhaseStats;
  let pushed: { tickets: number; refused: number };
  try {
    await closedLoop(kiosks, warmUpSeconds, ledger);
    paced = await pacedLoop(kiosks, phaseSeconds, pacedRate, ledger);
    saturated = await closedLoop(kiosks, phaseSeconds, ledger);
    pushed = await pushTickets(kiosks, devices, ledger);
  } finally {
    for (const k of kiosks) k.close();
    await server.stop();
  }

  // Unique from the responses…
  const duplicates = ledger.duplicates();
  // …and from the database: each counter stands at the count of distinct numbers it handed out
  // (nothing else takes numbers in this hall), and every pushed ticket was stored.
  const handedOut = ledger.counters();
  const stored = await withDatabase(target, async ({ db }) => {
    const counters = await db.selectFrom('number_counters').select(['service_id', 'business_day', 'last_number']).execute();
    const doubled = await db
      .selectFrom('tickets')
      .select(['service_id', 'business_day', 'sequence'])
      .groupBy(['hall_id', 'service_id', 'business_day', 'sequence'])
      .having((eb) => eb(eb.fn.countAll(), '>', 1))
      .execute();
    const tickets = Number((await db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const deadLetters = Number((await db.selectFrom('dead_letters').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { counters, doubled: doubled.length, tickets, deadLetters };
  });
  let counterMismatches = Math.abs(stored.counters.length - handedOut.size);
  for (const c of stored.counters) {
    const out = handedOut.get(`${c.service_id}\u0000${c.business_day}`);
    if (!out || out.max !== c.last_number || out.count !== c.last_number) counterMismatches++;
  }
  const dbDuplicates = stored.doubled + pushed.refused + Math.abs(ledger.length - stored.tickets);

  const figures = (p: PhaseStats) => ({
    per_s: Math.round(p.ok / p.seconds),
    p50: round1(percentile(p.latencies, 50)),
    p99: round1(percentile(p.latencies, 99)),
    max: round1(p.latencies.reduce((a, b) => Math.max(a, b), 0)),
  });
  const pace = figures(paced);
  const sat = figures(saturated);
  return {
    allocations_per_s: pace.per_s,
    p99_ms: pace.p99,
    duplicates: duplicates + dbDuplicates + counterMismatches,
    engine,
    kiosks: kioskCount,
    paced_offered_per_s: pacedRate,
    paced_p50_ms: pace.p50,
    paced_max_ms: pace.max,
    saturated_allocations_per_s: sat.per_s,
    saturated_p50_ms: sat.p50,
    saturated_p99_ms: sat.p99,
    saturated_max_ms: sat.max,
    numbers_checked: ledger.length,
    response_duplicates: duplicates,
    db_counter_mismatches: counterMismatches,
    db_tickets_stored: stored.tickets,
    db_duplicate_numbers: stored.doubled,
    db_tickets_refused: pushed.refused,
    paced_shed: paced.shed,
    paced_held_off: paced.heldOff,
    paced_shed_share: round3((paced.shed + paced.heldOff) / Math.max(1, paced.ok + paced.shed + paced.heldOff + paced.rateLimited + paced.errors)),
    saturated_shed: saturated.shed,
    saturated_shed_share: round3(saturated.shed / Math.max(1, saturated.ok + saturated.shed + saturated.rateLimited + saturated.errors)),
    rate_limited: paced.rateLimited + saturated.rateLimited,
    errors: paced.errors + saturated.errors,
    phase_s: phaseSeconds,
    device_rate_limit_per_s: deviceRateLimitPerSecond,
    machine_load_1m: `${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after`,
  };
}

/** One ask for a number; records the answer. */
async function ask(kiosks: KioskConnection[], i: number, n: number, ledger: NumberLedger): Promise<Answer> {
  const service = benchCatalog.services[(i + n) % benchCatalog.services.length]!;
  const body = JSON.stringify({ serviceId: service.id, priority: n % 9 === 0 ? priorityClasses[1 + (n % 4)]! : 'normal' });
  const response = await kiosks[i]!.send('POST', '/api/v1/numbers/next', body);
  if (response.status === 200) ledger.add(i, nextNumberResponseSchema.parse(response.body));
  return refusal(response);
}

function count(stats: PhaseStats, answer: Answer, latency: number): void {
  if (answer.status === 200) {
    stats.ok++;
    stats.latencies.push(latency);
  } else if (answer.status === 429 && answer.retryAfterMs > 0) stats.rateLimited++;
  else if (answer.status === 503 && answer.retryAfterMs > 0) stats.shed++;
  else stats.errors++;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Every kiosk asks again as soon as it has its answer, for `seconds`. */
async function closedLoop(kiosks: KioskConnection[], seconds: number, ledger: NumberLedger): Promise<PhaseStats> {
  const stats = newStats(seconds);
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    kiosks.map(async (_, i) => {
      for (let n = 0; performance.now() < end; n++) {
        const sent = performance.now();
        const answer = await ask(kiosks, i, n, ledger);
        count(stats, answer, performance.now() - sent);
        // Asking again at once would turn a refusal into a busy loop no real kiosk runs.
        if (answer.retryAfterMs > 0) await sleep(Math.min(answer.retryAfterMs, end - performance.now()));
      }
    }),
  );
  stats.seconds = (performance.now() - started) / 1000;
  return stats;
}

/**
 * The kiosks together ask `rate` numbers a second, each on its own fixed schedule (staggered). A
 * kiosk waits for its answer before asking again, and an answer late past the next slot makes it
 * ask at once; latency is measured from the slot, so queueing behind a slow answer counts.
 */
async function pacedLoop(kiosks: KioskConnection[], seconds: number, rate: number, ledger: NumberLedger): Promise<PhaseStats> {
  const stats = newStats(seconds);
  const intervalMs = (kiosks.length / rate) * 1000;
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    kiosks.map(async (_, i) => {
      const offset = (i / kiosks.length) * intervalMs;
      let quietUntil = 0;
      for (let n = 0; ; n++) {
        const slot = started + offset + n * intervalMs;
        if (slot >= end) break;
        // Told to wait, the kiosk serves its citizens from its reserve until Retry-After has passed.
        if (slot < quietUntil) {
          stats.heldOff++;
          continue;
        }
        const wait = slot - performance.now();
        if (wait > 0) await sleep(wait);
        const answer = await ask(kiosks, i, n, ledger);
        count(stats, answer, performance.now() - slot);
        if (answer.retryAfterMs > 0) quietUntil = performance.now() + answer.retryAfterMs;
      }
    }),
  );
  stats.seconds = (performance.now() - started) / 1000;
  return stats;
}

/**
 * Each kiosk records a ticket for every number it was given and pushes them (ticket.issued, as its
 * outbox would hold them): the database's unique index is the final judge of duplicates.
 */
async function pushTickets(kiosks: KioskConnection[], devices: EnrolledDevice[], ledger: NumberLedger): Promise<{ tickets: number; refused: number }> {
  const departmentOf = new Map(benchCatalog.services.map((s) => [s.id, s.departmentId]));
  const eventsOf = (kiosk: number, entries: number[], firstSeq: number): SyncEvent[] =>
    entries.map((index, j) => {
      const number = ledger.at(index);
      const ticket: Ticket = {
        id: uuidv7({ msecs: number.serverTime }),
        kioskId: `bench-${devices[kiosk]!.deviceId.slice(-8)}`,
        serviceId: number.serviceId,
        departmentId: departmentOf.get(number.serviceId)!,
        businessDay: number.businessDay,
        sequence: number.sequence,
        label: number.label,
        priority: number.priority,
        issuedAt: number.serverTime,
        state: 'printing',
        printAttempts: 0,
      };
      return { seq: firstSeq + j, id: uuidv7({ msecs: number.serverTime }), type: 'ticket.issued', at: number.serverTime, payload: { ticket } };
    });
  const byKiosk = ledger.byKiosk(kiosks.length);
  let tickets = 0;
  let refused = 0;
  // Ten kiosks at a time, each pushing its outbox in order.
  for (let first = 0; first < kiosks.length; first += 10) {
    await Promise.all(
      byKiosk.slice(first, first + 10).map(async (entries, j) => {
        const kiosk = first + j;
        for (let at = 0; at < entries.length; at += maxEventsPerPush) {
          const body = JSON.stringify({ sentAt: Date.now(), events: eventsOf(kiosk, entries.slice(at, at + maxEventsPerPush), at + 1) });
          let response = await kiosks[kiosk]!.send('POST', '/api/v1/sync/push', body);
          for (let answer = refusal(response); answer.retryAfterMs > 0; answer = refusal(response)) {
            await sleep(answer.retryAfterMs);
            response = await kiosks[kiosk]!.send('POST', '/api/v1/sync/push', body);
          }
          if (response.status !== 200) throw new Error(`ticket push failed with ${response.status}: ${JSON.stringify(response.body)}`);
          const results = pushResponseSchema.parse(response.body).results;
          const sent = Math.min(maxEventsPerPush, entries.length - at);
          if (results.length !== sent) throw new Error(`ticket push acknowledged ${results.length} of ${sent}`);
          tickets += results.filter((r) => r.status === 'applied').length;
          refused += results.filter((r) => r.status !== 'applied').length;
        }
      }),
    );
  }
  return { tickets, refused };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
const round3 = (x: number): number => Math.round(x * 1000) / 1000;
