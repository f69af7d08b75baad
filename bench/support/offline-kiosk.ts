// A kiosk that was offline for days: its outbox, and how it catches up once the server is back.
import { clockOffsetOf } from '../../core/sync/clock-offset.ts';
import { kioskVersionHeader } from '../../core/sync/errors.ts';
import type { SyncEvent } from '../../core/sync/events.ts';
import { pullResponseSchema } from '../../core/sync/pull.ts';
import { maxEventsPerPush, pushResponseSchema } from '../../core/sync/push.ts';
import { KioskConnection } from './http-client.ts';
import type { ServerReply, ServerRequest, ServerStatus } from '../../core/http/central-server-request.ts';
import { HallKioskDb } from '../../renderer/db/hall-kiosk-db.ts';
import { pendingCount } from '../../renderer/sync/outbox-acks.ts';
import type { ServerRequestFn } from '../../renderer/sync/server-link.ts';
import { SyncEngine } from '../../renderer/sync/sync-engine.ts';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { seedOutbox } from './outbox-seed.ts';
import type { OutageHistory } from './outage-history.ts';
import { onlinePushSize } from './outage-history.ts';

const benchKioskVersion = 'bench-0.1.0';

/** A kiosk as the server knows it. */
export interface BenchKiosk {
  serverUrl: string;
  deviceId: string;
  token: string;
  /** the kiosk's own id from its config, written into its tickets */
  kioskId: string;
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
