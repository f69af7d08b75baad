// A kiosk that was offline for days: its outbox, and how it catches up once the server is back.
import { v7 as uuidv7 } from 'uuid';
import { businessDayOf, defaultHallTimeZone } from '../../core/business-day.ts';
import type { Catalog } from '../../core/catalog.ts';
import { clockOffsetOf } from '../../core/sync-clock.ts';
import { kioskVersionHeader } from '../../core/sync-errors.ts';
import type { SyncEvent, SyncPayload } from '../../core/sync-events.ts';
import { pullResponseSchema } from '../../core/sync-pull.ts';
import { maxEventsPerPush, pushResponseSchema } from '../../core/sync-push.ts';
import type { Ticket } from '../../core/ticket.ts';
import { ticketLabel } from '../../core/ticket.ts';
import { KioskConnection } from './http-client.ts';
import type { ServerReply, ServerRequest, ServerStatus } from '../../core/central-server-request.ts';
import { HallKioskDb } from '../../renderer/db/hall-kiosk-db.ts';
import { appendOutbox } from '../../renderer/db/outbox.ts';
import { pendingCount } from '../../renderer/sync/outbox-acks.ts';
import type { ServerRequestFn } from '../../renderer/sync/server-link.ts';
import { SyncEngine } from '../../renderer/sync/sync-engine.ts';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';

const dayMs = 24 * 60 * 60 * 1000;
const benchKioskVersion = 'bench-0.1.0';

/** A kiosk as the server knows it. */
export interface BenchKiosk {
  serverUrl: string;
  deviceId: string;
  token: string;
  /** the kiosk's own id from its config, written into its tickets */
  kioskId: string;
}

/**
 * A kiosk's event history: for each ticket a `ticket.issued` then a `ticket.printed`, seq 1, 2,
 * 3…, business day after business day within opening hours, each service up to its daily quota
 * (限号), ending `endDaysAgo` days before today (yesterday by default). Events as
 * core/sync-events.ts has them and the renderer's ticket issuer records them (the ticket as issued:
 * printing, 0 attempts).
 */
export function kioskHistory(options: { kioskId: string; catalog: Catalog; events: number; now: number; endDaysAgo?: number }): SyncEvent[] {
  if (options.events % 2 !== 0) throw new Error('an even number of events: one issued and one printed per ticket');
  // Hall hours as epoch milliseconds; the demo hall is in Asia/Shanghai (UTC+8, no summer time).
  if (defaultHallTimeZone !== 'Asia/Shanghai') throw new Error('kioskHistory assumes the hall is on UTC+8');
  const endDaysAgo = options.endDaysAgo ?? 1;
  const hallTime = (day: string, minutes: number) => Date.parse(`${day}T00:00:00+08:00`) + minutes * 60_000;
  const { services } = options.catalog;
  const perDay = services.reduce((n, s) => n + s.dailyQuota, 0);
  const tickets = options.events / 2;
  const days = Math.ceil(tickets / perDay);
  const today = businessDayOf(options.now, defaultHallTimeZone);

  const events: SyncEvent[] = [];
  let seq = 0;
  const record = <T extends 'ticket.issued' | 'ticket.printed'>(type: T, payload: SyncPayload<T>, at: number) =>
    events.push({ seq: ++seq, id: uuidv7({ msecs: at }), type, at, payload });
  for (let d = days + endDaysAgo - 1; d >= endDaysAgo && events.length < options.events; d--) {
    const day = new Date(Date.parse(`${today}T00:00:00Z`) - d * dayMs).toISOString().slice(0, 10);
    const todays = Math.min(perDay, tickets - events.length / 2);
    const issued = new Map<string, number>();
    // 08:30 to 17:30, evenly; the services take turns while their quotas last.
    const spacingMs = (9 * 60 * 60_000) / todays;
    for (let i = 0, s = 0; i < todays; s++) {
      const service = services[s % services.length]!;
      const sequence = (issued.get(service.id) ?? 0) + 1;
      if (sequence > service.dailyQuota) continue;
      issued.set(service.id, sequence);
      const at = Math.round(hallTime(day, 8 * 60 + 30) + i * spacingMs);
      const ticket: Ticket = {
        id: uuidv7({ msecs: at }),
        kioskId: options.kioskId,
        serviceId: service.id,
        departmentId: service.departmentId,
        businessDay: day,
        sequence,
        label: ticketLabel(service.prefix, sequence),
        priority: i % 7 === 0 ? 'elderly' : 'normal',
        issuedAt: at,
        state: 'printing',
        printAttempts: 0,
      };
      record('ticket.issued', { ticket }, at);
      record('ticket.printed', { ticketId: ticket.id, printAttempts: 1 }, at + 900);
      i++;
    }
  }
  return events;
}

export interface CatchUpResult {
  pushes: number;
  /** events the server acknowledged (applied, duplicate or dead-lettered) */
  acknowledged: number;
  applied: number;
  lastAppliedSeq: number;
}

/** A kiosk holding pending events, back online: `catchUp()` is what the benchmark times. */
export interface PendingKiosk {
  catchUp(): Promise<CatchUpResult>;
  close(): Promise<void>;
}

/** Events a kiosk pushed while it was online, then the ones it holds after an outage. */
export interface OutageHistory {
  synced: readonly SyncEvent[];
  pending: readonly SyncEvent[];
}

/** While online, the kiosk pushes its events a few at a time, as it issues tickets. */
export const onlinePushSize = 10;

/**
 * Makes a kiosk that synced `history.synced` while it was online (so it has a pull cursor and a
 * clock-offset estimate, and the server has seen it) and now holds `history.pending`: the
 * renderer's real SyncEngine on fake-indexeddb, with its outbox written as TicketIssuer writes it.
 */
export async function offlineKiosk(kiosk: BenchKiosk, history: OutageHistory): Promise<PendingKiosk> {
  return engineKiosk(kiosk, history);
}

/** The bench pusher instead of the real engine (BENCH_SYNC_KIOSK=pusher), to compare the two. */
export const benchKioskKind = process.env.BENCH_SYNC_KIOSK === 'pusher' ? 'pusher' : 'engine';

/**
 * Writes events into the kiosk's outbox the way TicketIssuer does: the ticket row and its
 * `ticket.issued` entry in one read-write transaction over tickets, outbox and meta (appendOutbox
 * numbers it), the `ticket.printed` entry with the ticket's update. Several tickets share a
 * transaction here only to keep the (untimed) set-up short; each entry is appended as the issuer
 * appends it. The seqs appendOutbox gives must be the history's.
 */
async function seedOutbox(db: HallKioskDb, kioskId: string, events: readonly SyncEvent[]): Promise<void> {
  const perTransaction = 500;
  for (let start = 0; start < events.length; start += perTransaction) {
    await db.transaction('rw', [db.tickets, db.outbox, db.meta], async () => {
      for (const event of events.slice(start, start + perTransaction)) {
        const origin = { id: event.id, kioskId, at: event.at };
        let entry;
        if (event.type === 'ticket.issued') {
          const { ticket } = event.payload as SyncPayload<'ticket.issued'>;
          await db.tickets.put(ticket);
          entry = await appendOutbox(db, { type: 'ticket.issued', ticket }, origin);
        } else if (event.type === 'ticket.printed') {
          const { ticketId, printAttempts } = event.payload as SyncPayload<'ticket.printed'>;
          await db.tickets.update(ticketId, { state: 'issued', printAttempts });
          entry = await appendOutbox(db, { type: 'ticket.printed', ticketId, printAttempts }, origin);
        } else {
          throw new Error(`the bench history holds only tickets, not ${event.type}`);
        }
        if (entry.seq !== event.seq) throw new Error(`outbox seq ${entry.seq} for the history's ${event.seq}`);
      }
    });
  }
}

/**
 * The renderer's SyncEngine over fake-indexeddb, talking to the bench server through the same
 * kind of keep-alive connection the bench pusher uses (in the app, main's central-server client
 * adds the token instead). It syncs `history.synced` while online; `history.pending` is then
 * written to its outbox while the server is unreachable; `catchUp()` runs sync rounds (push,
 * pull, lease top-up — as the loop runs them) until nothing is pending.
 */
async function engineKiosk(kiosk: BenchKiosk, history: OutageHistory): Promise<PendingKiosk> {
  if (benchKioskKind === 'pusher') return benchPusherKiosk(kiosk, history);
  const connection = new KioskConnection(kiosk.serverUrl, { authorization: `Bearer ${kiosk.token}`, [kioskVersionHeader]: benchKioskVersion });
  let counting: CatchUpResult | null = null;
  let reachable = true;
  const serverRequest: ServerRequestFn = async (request: ServerRequest): Promise<ServerReply> => {
    if (!reachable) return { status: 0, error: 'unreachable' };
    const sentAt = Date.now();
    const response = await connection.send(request.method, request.path, request.body === undefined ? undefined : JSON.stringify(request.body));
    const body = response.body as { serverTime?: unknown } | null;
    const serverTime = typeof body?.serverTime === 'number' ? body.serverTime : null;
    if (request.path === '/api/v1/sync/push') {
      if (process.env.BENCH_SYNC_TRACE) process.stderr.write(`push: ${Date.now() - sentAt} ms\n`);
      if (counting) {
        counting.pushes++;
        const pushed = pushResponseSchema.safeParse(response.body);
        if (response.status === 200 && pushed.success) {
          counting.acknowledged += pushed.data.results.length;
          counting.applied += pushed.data.results.filter((r) => r.status === 'applied').length;
          counting.lastAppliedSeq = pushed.data.lastAppliedSeq;
        }
      }
    }
    return { status: response.status, body: response.body, serverTime };
  };
  const status: ServerStatus = { configured: true, enrolled: true, revoked: false, tokenRejected: false, deviceId: kiosk.deviceId, serverUrl: kiosk.serverUrl, enrollmentError: null };
  const db = new HallKioskDb({ indexedDB: new IDBFactory(), IDBKeyRange });
  await db.open();
  const engine = new SyncEngine({
    db,
    serverRequest,
    serverStatus: async () => ({ ...status }),
    clock: { now: () => Date.now() },
    random: () => 0.5,
    timers: { setTimeout: () => undefined, clearTimeout: () => undefined },
    lock: { request: (_name, hold) => hold() },
  });
  await engine.load();
  const round = async () => {
    await engine.runRound();
    const { lastError } = engine.status.get();
    if (lastError) throw new Error(`sync round failed: ${lastError}`);
  };

  // Online before the outage: issued and pushed a few at a time, a round after each few.
  for (let start = 0; start < history.synced.length; start += onlinePushSize) {
    await seedOutbox(db, kiosk.kioskId, history.synced.slice(start, start + onlinePushSize));
    await round();
  }
  if (history.synced.length === 0) await round();
  // The outage: everything else is written while the server cannot be reached.
  reachable = false;
  await seedOutbox(db, kiosk.kioskId, history.pending);
  reachable = true;

  return {
    async catchUp() {
      const result: CatchUpResult = { pushes: 0, acknowledged: 0, applied: 0, lastAppliedSeq: 0 };
      counting = result;
      // The loop would run rounds back to back while the outbox holds more than one round pushes.
      for (let rounds = 0; (await pendingCount(db)) > 0; rounds++) {
        if (rounds >= 100) throw new Error('the engine did not empty its outbox in 100 rounds');
        await round();
      }
      counting = null;
      return result;
    },
    async close() {
      await engine.stop();
      // Its data goes too: the next timed kiosk in this process should not pay for collecting it.
      await db.delete();
      connection.close();
    },
  };
}

/**
 * What the kiosk's sync engine does on the wire: push the outbox in order, at most
 * maxEventsPerPush events a request, one request at a time, each body a fresh
 * `{ sentAt, clockOffsetMs, events }`; drop what the server acknowledged; resume from the
 * server's lastAppliedSeq when it says so; then pull with the cursor it had.
 */
async function benchPusherKiosk(kiosk: BenchKiosk, history: OutageHistory): Promise<PendingKiosk> {
  const connection = new KioskConnection(kiosk.serverUrl, { authorization: `Bearer ${kiosk.token}`, [kioskVersionHeader]: benchKioskVersion });
  let clockOffsetMs = 0;
  let cursor: string | undefined;
  const pull = async () => {
    const sentAt = Date.now();
    const pulled = await connection.send('GET', `/api/v1/sync/pull${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (pulled.status !== 200) throw new Error(`pull failed with ${pulled.status}: ${JSON.stringify(pulled.body)}`);
    const body = pullResponseSchema.parse(pulled.body);
    clockOffsetMs = clockOffsetOf({ sentAt, receivedAt: Date.now(), serverTime: body.serverTime });
    cursor = body.cursor;
  };
  const pushAll = async (outbox: readonly SyncEvent[], batchSize: number, result: CatchUpResult) => {
    let pending = outbox.slice();
    while (pending.length) {
      const batch = pending.slice(0, batchSize);
      const sentAt = Date.now();
      const response = await connection.send('POST', '/api/v1/sync/push', JSON.stringify({ sentAt, clockOffsetMs, events: batch }));
      const receivedAt = Date.now();
      // BENCH_SYNC_TRACE=1: each push's round trip, to see where a catch-up spends its time.
      if (process.env.BENCH_SYNC_TRACE) process.stderr.write(`push ${batch.length} events: ${receivedAt - sentAt} ms\n`);
      result.pushes++;
      const refusal = (response.body as { error?: { code?: string; lastAppliedSeq?: number } } | null)?.error;
      if (response.status === 409 && refusal?.code === 'seq-gap' && refusal.lastAppliedSeq !== undefined) {
        // The server holds less than the kiosk thought: resend from what it holds.
        const held = refusal.lastAppliedSeq;
        pending = outbox.filter((e) => e.seq > held);
        continue;
      }
      if (response.status !== 200) throw new Error(`push failed with ${response.status}: ${JSON.stringify(response.body)}`);
      const pushed = pushResponseSchema.parse(response.body);
      clockOffsetMs = clockOffsetOf({ sentAt, receivedAt, serverTime: pushed.serverTime });
      const acknowledged = new Set(pushed.results.map((r) => r.seq));
      result.acknowledged += acknowledged.size;
      result.applied += pushed.results.filter((r) => r.status === 'applied').length;
      result.lastAppliedSeq = pushed.lastAppliedSeq;
      pending = pending.filter((e) => !acknowledged.has(e.seq));
    }
  };
  const fresh = (): CatchUpResult => ({ pushes: 0, acknowledged: 0, applied: 0, lastAppliedSeq: 0 });

  // Online before the outage: enrolled, pulled, pushed as it issued, pulled after pushing.
  await pull();
  await pushAll(history.synced, onlinePushSize, fresh());
  await pull();

  return {
    // Back online: push everything pending, one full batch after another, then pull.
    async catchUp() {
      const result = fresh();
      await pushAll(history.pending, maxEventsPerPush, result);
      await pull();
      return result;
    },
    async close() {
      connection.close();
    },
  };
}
