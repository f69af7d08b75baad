import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { ServerReply, ServerRequest, ServerStatus } from '../../../core/http/central-server-request.ts';
import type { ServiceItem } from '../../../core/catalog/catalog.ts';
import type { Ticket } from '../../../core/ticket/ticket.ts';
import { appendOutbox, outboxInOrder } from '../../../renderer/db/outbox.ts';
import type { CentralServerClient } from '../../../main/services/central-server-client.ts';
import { ackedThrough, pruneAcknowledged } from '../../../renderer/sync/outbox-acks.ts';
import { SyncEngine } from '../../../renderer/sync/sync-engine.ts';
import type { SyncSettings } from '../../../renderer/sync/sync-engine.ts';
import { HallKioskDb } from '../../../renderer/db/hall-kiosk-db.ts';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { ManualTimers, TestHall, TestKioskApp, enrolledClient, skewed } from '../support/sync-fixture.ts';
import { demoCatalog } from '../../support/demo-hall.ts';

const service = (id: string): ServiceItem => demoCatalog.services.find((s) => s.id === id)!;
const company = service('biz-registration');
const fundLoan = service('fund-loan'); // quota 60: keeps 3 numbers leased, leases 6 at a time
const printed = { outcome: 'printed', paperNearEnd: false } as const;

let hall: TestHall;
const apps: TestKioskApp[] = [];

beforeEach(async () => {
  hall = new TestHall();
  await hall.start();
});
afterEach(async () => {
  for (const app of apps.splice(0)) {
    await app.engine?.stop();
    app.close();
  }
  await hall.dispose();
});

interface AppOptions {
  skewMs?: number;
  wrap?: (client: CentralServerClient) => (r: ServerRequest) => Promise<ServerReply>;
  settings?: Partial<SyncSettings>;
}

async function kioskApp(name: string, options: AppOptions = {}): Promise<TestKioskApp> {
  const client = await enrolledClient(hall, name);
  const request = options.wrap ? options.wrap(client) : (r: ServerRequest) => client.request(r);
  const app = new TestKioskApp(name, skewed(hall.clock, options.skewMs ?? 0), request, () => client.status(), options.settings);
  apps.push(app);
  return app.start();
}

async function issue(app: TestKioskApp, item: ServiceItem = company): Promise<Ticket> {
  const result = await app.issuer.issue(item, 'normal');
  if (!result.ok) throw new Error(`no ticket: ${result.reason}`);
  await app.issuer.recordPrint(result.ticket.id, printed);
  return result.ticket;
}

/** Each held entry as the server left it: acknowledged up to the mark, pending after it. */
async function outboxStates(db: HallKioskDb): Promise<('acked' | 'pending')[]> {
  const mark = await ackedThrough(db);
  return (await outboxInOrder(db)).map((e) => (e.seq <= mark ? 'acked' : 'pending'));
}

async function syncedRound(app: TestKioskApp): Promise<void> {
  await app.engine.runRound();
  const { lastError } = app.engine.status.get();
  if (lastError) throw new Error(`sync round failed: ${lastError}`);
}

async function serverCounts(file = hall.dbFile) {
  return hall.look(file, async (db) => {
    const count = async (table: 'tickets' | 'device_events' | 'dead_letters') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const ticketIds = (await db.selectFrom('tickets').select('id').execute()).map((r) => r.id);
    return { tickets: await count('tickets'), events: await count('device_events'), deadLetters: await count('dead_letters'), ticketIds };
  });
}

describe('push', () => {
  it('puts every event on the server exactly once, and marks each acknowledged', async () => {
    const app = await kioskApp('kiosk-a');
    const tickets = [];
    for (let i = 0; i < 5; i++) tickets.push(await issue(app));
    expect(app.engine.status.get().pending).toBe(0); // not refreshed until a round or a kick
    app.engine.kick();
    await syncedRound(app);
    await syncedRound(app);

    await hall.stop();
    const stored = await serverCounts();
    expect(stored).toMatchObject({ tickets: 5, events: 10, deadLetters: 0 });
    expect(new Set(stored.ticketIds)).toEqual(new Set(tickets.map((t) => t.id)));
    expect(await outboxStates(app.db)).toEqual(Array(10).fill('acked'));
    expect(app.engine.status.get()).toMatchObject({ pending: 0, online: true, lastError: null });
    expect(app.engine.status.get().lastSuccessAt).not.toBeNull();
  });

  it('replays after a crash between the server applying a push and the kiosk recording the answer: no duplicates', async () => {
    let dropNextPush = true;
    const app = await kioskApp('kiosk-a', {
      // The server applies the push; its answer is lost (power cut, renderer killed).
      wrap: (client) => async (request) => {
        const reply = await client.request(request);
        if (dropNextPush && request.path === '/api/v1/sync/push') {
          dropNextPush = false;
          return { status: 0, error: 'unreachable' };
        }
        return reply;
      },
    });
    for (let i = 0; i < 4; i++) await issue(app);
    await app.engine.runRound();
    expect(app.engine.status.get().lastError).toMatch(/unreachable/);
    expect(await outboxStates(app.db)).toEqual(Array(8).fill('pending'));

    // The kiosk restarts: a new database handle and engine over the same IndexedDB.
    await app.engine.stop();
    await app.start();
    await syncedRound(app);
    expect(await outboxStates(app.db)).toEqual(Array(8).fill('acked'));
    await hall.stop();
    expect(await serverCounts()).toMatchObject({ tickets: 4, events: 8, deadLetters: 0 });
  });

  it('acknowledges a dead-lettered event and goes on with the ones after it', async () => {
    const app = await kioskApp('kiosk-a');
    const at = hall.clock.now();
    // An event the server can never apply: it names a ticket the server never heard of.
    await app.db.transaction('rw', [app.db.outbox, app.db.meta], () =>
      appendOutbox(app.db, { type: 'ticket.printed', ticketId: uuidv7(), printAttempts: 1 }, { id: uuidv7({ msecs: at }), kioskId: 'kiosk-a', at }),
    );
    const after = await issue(app);
    await syncedRound(app);
    expect(app.engine.status.get()).toMatchObject({ pending: 0, deadLettered: 1 });
    await hall.stop();
    const stored = await serverCounts();
    expect(stored).toMatchObject({ tickets: 1, events: 3, deadLetters: 1 });
    expect(stored.ticketIds).toEqual([after.id]);
  });

  it('splits a long outbox into batches within the limits', async () => {
    const app = await kioskApp('kiosk-a', { settings: { maxEventsPerPush: 3 } });
    for (let i = 0; i < 5; i++) await issue(app);
    await syncedRound(app);
    expect(app.engine.status.get().pending).toBe(0);
    await hall.stop();
    expect(await serverCounts()).toMatchObject({ tickets: 5, events: 10, deadLetters: 0 });
  });
});

describe('a server restored from an older backup', () => {
  it('is detected, and the kiosk re-sends what the server lost: everything exactly once', async () => {
    const app = await kioskApp('kiosk-a');
    const first = [await issue(app), await issue(app), await issue(app)];
    await syncedRound(app);
    await hall.stop();
    const backup = hall.backup('last-night');
    await hall.start();

    const later = [await issue(app), await issue(app), await issue(app)];
    await syncedRound(app);
    expect(await outboxStates(app.db)).toEqual(Array(12).fill('acked'));

    // Disaster: the database is replaced by last night's copy, on the same address.
    await hall.stop();
    await hall.start(backup);
    await syncedRound(app);
    await syncedRound(app);
    expect(app.engine.status.get().pending).toBe(0);
    await hall.stop();
    const stored = await serverCounts(backup);
    expect(stored).toMatchObject({ tickets: 6, events: 12, deadLetters: 0 });
    expect(new Set(stored.ticketIds)).toEqual(new Set([...first, ...later].map((t) => t.id)));
    const states = await hall.look(backup, (db) => db.selectFrom('tickets').select('state').execute());
    expect(states.every((t) => t.state === 'issued')).toBe(true);
  });

  it('declares what it no longer holds, so the server records the loss and takes the rest', async () => {
    const app = await kioskApp('kiosk-a');
    await issue(app);
    await syncedRound(app);
    await hall.stop();
    const backup = hall.backup('old');
    await hall.start();
    await issue(app);
    await syncedRound(app);
    // Retention ran out: the acknowledged entries are gone from the kiosk.
    expect(await pruneAcknowledged(app.db, hall.clock.now() + 1, 0)).toBe(4);

    await hall.stop();
    await hall.start(backup);
    const fresh = await issue(app);
    await syncedRound(app);
    expect(app.engine.status.get().pending).toBe(0);
    await hall.stop();
    const stored = await serverCounts(backup);
    expect(stored.ticketIds).toContain(fresh.id);
    const letters = await hall.look(backup, (db) => db.selectFrom('dead_letters').select(['seq', 'last_seq', 'reason']).execute());
    expect(letters).toEqual([expect.objectContaining({ seq: 3, last_seq: 4, reason: expect.stringMatching(/^lost/) })]);
  });
});

describe('a kiosk whose database was wiped (the device token kept)', () => {
  it('re-issues none of its old leased numbers, and its new events follow the old ones on the server', async () => {
    const client = await enrolledClient(hall, 'kiosk-a');
    const before = new TestKioskApp('kiosk-a', hall.clock, (r) => client.request(r), () => client.status());
    apps.push(before);
    await before.start();
    await syncedRound(before);
    const old = await issue(before, fundLoan);
    await syncedRound(before);
    const oldLease = (await before.db.reserves.toArray()).find((r) => r.serviceId === fundLoan.id)!;

    // A reset browser profile: a new, empty IndexedDB behind the same enrolled device.
    const after = new TestKioskApp('kiosk-a', hall.clock, (r) => client.request(r), () => client.status());
    apps.push(after);
    await after.start();
    const fresh = await issue(after, fundLoan); // online, seq 1 and 2 in the new log
    await syncedRound(after);
    expect(after.engine.status.get()).toMatchObject({ pending: 0, lastError: null });
    expect((await outboxInOrder(after.db)).map((e) => e.seq)).toEqual([3, 4]);
    const kept = await after.db.reserves.get(oldLease.id);
    expect(kept).toMatchObject({ next: oldLease.last + 1 });

    await hall.stop();
    const offline = await issue(after, fundLoan);
    expect(offline.sequence < oldLease.next || offline.sequence > oldLease.last).toBe(true); // the old block was never used: next is its first
    await hall.start();
    await syncedRound(after);
    await hall.stop();
    const stored = await serverCounts();
    expect(stored).toMatchObject({ tickets: 3, events: 6, deadLetters: 0 });
    expect(new Set(stored.ticketIds)).toEqual(new Set([old.id, fresh.id, offline.id]));
  });
});

describe('numbering', () => {
  it('issues offline only from leased numbers, and never makes up a block of its own', async () => {
    const app = await kioskApp('kiosk-a');
    await syncedRound(app); // pulls the catalog and leases numbers for every service of today
    const leases = await hall.look(hall.dbFile, (db) =>
      db.selectFrom('number_leases').select(['first_number', 'last_number']).where('service_id', '=', fundLoan.id).where('business_day', '=', '2026-03-02').execute(),
    );
    expect(leases).toHaveLength(1);
    const [lease] = leases;
    expect(lease!.last_number - lease!.first_number + 1).toBe(6);

    await hall.stop();
    const offline: number[] = [];
    for (let i = 0; i < 6; i++) offline.push((await issue(app, fundLoan)).sequence);
    expect(offline).toEqual([1, 2, 3, 4, 5, 6].map((n) => n + lease!.first_number - 1));
    const before = await app.db.tickets.count();
    expect(await app.issuer.issue(fundLoan, 'normal')).toEqual({ ok: false, reason: 'reserve-exhausted' });
    expect(await app.db.tickets.count()).toBe(before);
    expect(app.engine.status.get().online).toBe(false);

    // A kiosk that never reached the server has no lease, so no number at all.
    const client = await (async () => {
      await hall.start();
      const c = await enrolledClient(hall, 'kiosk-new');
      await hall.stop();
      return c;
    })();
    const newcomer = new TestKioskApp('kiosk-new', hall.clock, (r) => client.request(r), () => client.status());
    apps.push(newcomer);
    await newcomer.start();
    expect(await newcomer.issuer.issue(company, 'normal')).toEqual({ ok: false, reason: 'reserve-exhausted' });
    expect(await newcomer.db.reserves.count()).toBe(0);
  });

  it('leases the next day in advance: a kiosk offline at opening issues from it, and the numbers reach the server once', async () => {
    const app = await kioskApp('kiosk-a');
    await syncedRound(app); // 2026-03-02, 09:00 in the hall
    const ahead = await app.db.reserves.where('[serviceId+businessDay]').equals([fundLoan.id, '2026-03-03']).toArray();
    expect(ahead).toHaveLength(1);
    // From the top of the band above the quota (core/numbering/lease-band.ts).
    expect(ahead[0]).toMatchObject({ leased: true, last: 999 });

    // Overnight the server goes away; the kiosk opens the next morning without it.
    await hall.stop();
    hall.clock.setTo(Date.parse('2026-03-03T00:30:00Z')); // 08:30 in Shanghai
    const offline = [await issue(app, fundLoan), await issue(app, fundLoan)];
    expect(offline.map((t) => t.businessDay)).toEqual(['2026-03-03', '2026-03-03']);
    expect(offline.map((t) => t.sequence)).toEqual([ahead[0]!.next, ahead[0]!.next + 1]);

    await hall.start();
    await syncedRound(app);
    // Online again: the day's first online number is still 001, below the leased block.
    const online = await issue(app, fundLoan);
    expect(online).toMatchObject({ businessDay: '2026-03-03', sequence: 1 });
    await syncedRound(app);
    await hall.stop();
    const stored = await hall.look(hall.dbFile, (db) => db.selectFrom('tickets').select(['id', 'business_day', 'sequence']).where('business_day', '=', '2026-03-03').execute());
    expect(stored.map((t) => t.sequence).sort((x, y) => x - y)).toEqual([1, ahead[0]!.next, ahead[0]!.next + 1]);
  });

  it('hands out online numbers that increase in issue order across two kiosks', async () => {
    const a = await kioskApp('kiosk-a');
    const b = await kioskApp('kiosk-b');
    await syncedRound(a);
    await syncedRound(b);
    const sequences: number[] = [];
    for (let i = 0; i < 6; i++) sequences.push((await issue(i % 2 === 0 ? a : b)).sequence);
    expect(sequences).toEqual([...sequences].sort((x, y) => x - y));
    expect(new Set(sequences).size).toBe(6);
    // Both kiosks leased numbers first, yet the day's first ticket is 001: the leases come from
    // the top of the quota, above every online number.
    expect(sequences).toEqual([1, 2, 3, 4, 5, 6]);
    const leasedFrom = await hall.look(hall.dbFile, (db) =>
      db.selectFrom('number_leases').select((eb) => eb.fn.min('first_number').as('first')).where('service_id', '=', company.id).executeTakeFirstOrThrow(),
    );
    expect(Number(leasedFrom.first)).toBeGreaterThan(6);
  });

  it('answers quota-reached once the server counted the quota, leaving the leased numbers alone', async () => {
    const app = await kioskApp('kiosk-a');
    await syncedRound(app);
    const small = { ...fundLoan };
    const got: Array<string | number> = [];
    for (let i = 0; i < 70; i++) {
      const r = await app.issuer.issue(small, 'normal');
      got.push(r.ok ? r.ticket.sequence : r.reason);
      if (!r.ok) break;
    }
    expect(got.at(-1)).toBe('quota-reached');
    const numbers = got.slice(0, -1) as number[];
    // All 60 online, none from the kiosk's lease: leases take nothing from the quota, and once the
    // hall counted it no leased number goes past it.
    expect(numbers).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });
});

describe('clock offset', () => {
  it('stamps each event with the kiosk offset, and the server corrects issue times by it', async () => {
    const fastBy = 10 * 60 * 1000;
    const app = await kioskApp('kiosk-fast', { skewMs: fastBy });
    await syncedRound(app);
    expect(app.engine.clockOffsetMs()).toBeGreaterThan(-fastBy - 1000);
    expect(app.engine.clockOffsetMs()).toBeLessThan(-fastBy + 1000);
    const trueTime = hall.clock.now();
    await issue(app);
    const entries = await outboxInOrder(app.db);
    expect(entries.every((e) => e.clockOffsetMs !== undefined && Math.abs(e.clockOffsetMs + fastBy) < 1000)).toBe(true);
    await syncedRound(app);
    await hall.stop();
    const [row] = await hall.look(hall.dbFile, (db) => db.selectFrom('tickets').select(['issued_at', 'corrected_issued_at', 'clock_offset_ms']).execute());
    expect(row!.issued_at - trueTime).toBeGreaterThan(fastBy - 1000);
    expect(Math.abs(row!.corrected_issued_at - trueTime)).toBeLessThan(1000);
  });

  it('is remembered across a restart, so offline tickets issued before the first exchange carry it', async () => {
    const app = await kioskApp('kiosk-fast', { skewMs: 60_000 });
    await syncedRound(app);
    const learned = app.engine.clockOffsetMs();
    await app.engine.stop();
    await hall.stop();
    await app.start();
    expect(app.engine.clockOffsetMs()).toBe(learned);
  });
});

describe('the loop', () => {
  const okStatus: ServerStatus = { configured: true, enrolled: true, revoked: false, tokenRejected: false, deviceId: 'device-1', serverUrl: 'http://127.0.0.1:1', enrollmentError: null };
  const pullBody = { serverTime: 1, epoch: 'e', reset: false, lastAppliedSeq: 0, businessDay: '2026-03-02', catalog: null, settings: null, leases: [], cursor: 'c.1' };

  it('backs off exponentially with full jitter, and starts over after a success', async () => {
    let up = false;
    const timers = new ManualTimers();
    const idb = new IDBFactory();
    const db = new HallKioskDb({ indexedDB: idb, IDBKeyRange });
    const engine = new SyncEngine({
      db,
      serverRequest: async () => (up ? { status: 200, body: pullBody, serverTime: 1 } : { status: 0, error: 'unreachable' }),
      serverStatus: async () => okStatus,
      clock: { now: () => 1_000 },
      random: () => 0.5,
      timers,
      lock: { request: (_name, hold) => hold() },
      settings: { idleMs: 5_000, backoff: { baseMs: 1_000, maxMs: 60_000 } },
    });
    try {
      engine.start();
      const waits: number[] = [];
      for (let i = 0; i < 8; i++) {
        waits.push(await timers.nextWait());
        timers.fire();
      }
      // Half (the injected random) of 1, 2, 4 … s, capped at 60 s.
      expect(waits).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
      expect(await timers.nextWait()).toBe(30_000);
      expect(engine.status.get()).toMatchObject({ online: false, leader: true, lastError: expect.stringMatching(/unreachable/) });

      up = true;
      timers.fire();
      expect(await timers.nextWait()).toBe(5_000);
      expect(engine.status.get()).toMatchObject({ online: true, lastError: null });
      up = false;
      timers.fire();
      expect(await timers.nextWait()).toBe(500);

      // A kick ends the wait at once.
      engine.kick();
      expect(await timers.nextWait()).toBe(1_000);
    } finally {
      await engine.stop();
      db.close();
    }
    expect(engine.status.get().leader).toBe(false);
  });

  it('jitters with the random source, and honours Retry-After', async () => {
    const randoms = [0.1, 0.9];
    const timers = new ManualTimers();
    const db = new HallKioskDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    let calls = 0;
    const engine = new SyncEngine({
      db,
      serverRequest: async () => {
        calls += 1;
        return calls < 3
          ? { status: 0, error: 'timeout' }
          : { status: 429, body: { error: { code: 'rate-limited', message: 'slow down', retryAfterSeconds: 42 }, serverTime: 1 }, serverTime: 1 };
      },
      serverStatus: async () => okStatus,
      clock: { now: () => 1_000 },
      random: () => randoms.shift() ?? 0,
      timers,
      lock: { request: (_name, hold) => hold() },
    });
    try {
      engine.start();
      expect(await timers.nextWait()).toBe(100); // 0.1 × 1 s
      timers.fire();
      expect(await timers.nextWait()).toBe(1_800); // 0.9 × 2 s
      timers.fire();
      expect(await timers.nextWait()).toBe(42_000);
    } finally {
      await engine.stop();
      db.close();
    }
  });

  it('on a 503 from a server at its limit: numbers from the reserve, sync after its Retry-After, and still online', async () => {
    const timers = new ManualTimers();
    const db = new HallKioskDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    const overloaded = { status: 503, body: { error: { code: 'overloaded', message: 'the hall server is busy; try again in 7 s', retryAfterSeconds: 7 }, serverTime: 1 }, serverTime: 1 };
    let answer: ServerReply = overloaded;
    const engine = new SyncEngine({
      db,
      serverRequest: async () => answer,
      serverStatus: async () => okStatus,
      clock: { now: () => 1_000 },
      random: () => 0,
      timers,
      lock: { request: (_name, hold) => hold() },
    });
    try {
      // The ticket issuer asks this and, for 'unavailable', issues from the leased reserve.
      expect(await engine.numbers.next('ss-card', 'normal')).toEqual({ kind: 'unavailable' });
      engine.start();
      expect(await timers.nextWait()).toBe(7_000);
      expect(engine.status.get()).toMatchObject({ online: true, lastError: expect.stringContaining('overloaded') });
      // A number the server gives meanwhile does not cut the wait short: the server asked for quiet.
      answer = { status: 200, body: { serviceId: 'ss-card', businessDay: '2026-03-02', sequence: 1, label: 'D001', priority: 'normal', dailyQuota: 300, serverTime: 1 }, serverTime: 1 };
      const waits = timers.waits.length;
      expect(await engine.numbers.next('ss-card', 'normal')).toMatchObject({ kind: 'number', label: 'D001' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(timers.waits.length).toBe(waits);
    } finally {
      await engine.stop();
      db.close();
    }
  });

  it('runs in one window only: the second waits for the lock', async () => {
    let holder: Promise<void> | null = null;
    const queue: Array<() => void> = [];
    const lock = {
      async request(_name: string, hold: () => Promise<void>) {
        while (holder) await new Promise<void>((resolve) => queue.push(resolve));
        holder = hold();
        try {
          await holder;
        } finally {
          holder = null;
          queue.shift()?.();
        }
      },
    };
    const idb = new IDBFactory();
    const make = () =>
      new SyncEngine({
        db: new HallKioskDb({ indexedDB: idb, IDBKeyRange }),
        serverRequest: async () => ({ status: 200, body: pullBody, serverTime: 1 }),
        serverStatus: async () => okStatus,
        clock: { now: () => 1_000 },
        random: () => 0.5,
        timers: new ManualTimers(),
        lock,
      });
    const first = make();
    const second = make();
    first.start();
    second.start();
    await new Promise((r) => setTimeout(r, 50));
    expect([first.status.get().leader, second.status.get().leader]).toEqual([true, false]);
    await first.stop();
    await new Promise((r) => setTimeout(r, 50));
    expect(second.status.get().leader).toBe(true);
    await second.stop();
  });
});
