import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KioskEvent } from '../../core/kiosk/kiosk-api.ts';
import type { QueueState } from '../../core/ticket/queue-state.ts';
import { hallApi } from '../../core/http/contract.ts';
import type { CentralServerClient, StreamOpening } from '../../main/services/central-server-client.ts';
import { KioskApiService } from '../../main/services/kiosk-api-service.ts';
import type { KioskApiServiceOptions } from '../../main/services/kiosk-api-service.ts';
import { createKioskLogger } from '../../main/services/logger.ts';
import { QueueStateFeed } from '../../main/services/queue-state-feed.ts';
import type { FeedTimers } from '../../main/services/queue-state-feed.ts';
import { revokeDevice } from '../../server/devices/devices.ts';
import { TestKiosk } from '../server/support/kiosk.ts';
import { TestHall, enrolledClient } from '../renderer/support/sync-fixture.ts';

const logger = createKioskLogger({ stdout: false, level: 'silent' });
const realTimers: FeedTimers = { setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout) };
const state = (waiting: number): QueueState => ({ businessDay: '2026-03-02', asOf: 1, services: waiting ? [{ serviceId: 'ss-card', waiting, waitingPriority: 0 }] : [] });

/** Collects what a feed reports and waits for a report that satisfies a test. */
function watch(feed: QueueStateFeed) {
  const seen: Array<QueueState | null> = [];
  feed.onChange((s) => seen.push(s));
  return {
    seen,
    async until(accept: (s: QueueState | null) => boolean, timeoutMs = 5_000): Promise<QueueState | null> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = seen.find(accept);
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`not seen within ${timeoutMs} ms: ${JSON.stringify(seen)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

/** An event stream the test writes into by hand. */
function handStream(): { opening: StreamOpening; send(text: string): void } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  return { opening: { ok: true, body }, send: (text) => controller.enqueue(new TextEncoder().encode(text)) };
}

describe('the queue state feed against a real hall server', () => {
  let hall: TestHall;
  let feed: QueueStateFeed | null = null;

  beforeEach(async () => {
    hall = new TestHall();
    await hall.start();
  });
  afterEach(async () => {
    feed?.stop();
    await hall.dispose();
  });

  it('passes on the counts, says unknown while the server is gone, and picks up again when it is back', async () => {
    const client = await enrolledClient(hall, 'watcher');
    feed = new QueueStateFeed({ open: (signal) => client.openEventStream(hallApi.queueStream, signal), timers: realTimers, random: () => 0.5, logger, retryFirstMs: 50, retryMaxMs: 200 });
    const seen = watch(feed);
    feed.start();
    expect(await seen.until((s) => s !== null)).toMatchObject({ businessDay: '2026-03-02', services: [] });

    const issuer = await TestKiosk.enroll(hall.url, (await hall.server!.createDevice('issuer')).enrollmentCode);
    const ticket = issuer.issue({ serviceId: 'ss-card', departmentId: 'social', prefix: 'D', sequence: 1, issuedAt: hall.clock.now() });
    issuer.printed(ticket, hall.clock.now());
    expect((await issuer.push()).status).toBe(200);
    await seen.until((s) => s?.services[0]?.waiting === 1);
    expect(feed.current()?.services).toEqual([expect.objectContaining({ serviceId: 'ss-card', waiting: 1, waitingPriority: 0 })]);

    await hall.stop();
    await seen.until((s) => s === null);
    expect(feed.current()).toBeNull();

    const before = seen.seen.length;
    await hall.start();
    await seen.until((s) => seen.seen.indexOf(s) >= before && s?.services[0]?.waiting === 1);
  });

  it('opens the stream with the device token only, and notes a revoked device', async () => {
    const client = await enrolledClient(hall, 'to be revoked');
    const deviceId = client.status().deviceId!;
    await revokeDevice(hall.server!.db.db, hall.clock, deviceId);
    const opened = await client.openEventStream(hallApi.queueStream, new AbortController().signal);
    expect(opened).toMatchObject({ ok: false, status: 401, reason: expect.stringMatching(/^device-revoked/) });
    expect(client.status().revoked).toBe(true);
  });
});

describe('the queue state feed on a stream that misbehaves', () => {
  let feed: QueueStateFeed | null = null;
  afterEach(() => feed?.stop());

  it('calls a silent stream dead, says unknown, and reconnects', async () => {
    const streams: ReturnType<typeof handStream>[] = [];
    feed = new QueueStateFeed({
      open: async () => {
        const stream = handStream();
        streams.push(stream);
        stream.send(`event: queue-state\ndata: ${JSON.stringify(state(3))}\n\n`);
        return stream.opening;
      },
      timers: realTimers,
      random: () => 0,
      logger,
      staleAfterMs: 150,
      retryFirstMs: 20,
    });
    const seen = watch(feed);
    feed.start();
    await seen.until((s) => s?.services[0]?.waiting === 3);
    await seen.until((s) => s === null, 2_000);
    expect(streams.length).toBeGreaterThanOrEqual(1);
    await expect.poll(() => streams.length, { timeout: 2_000 }).toBeGreaterThan(1);
    // Heard from again: the counts are back.
    expect(seen.seen.filter((s) => s !== null).length).toBeGreaterThanOrEqual(2);
  });

  it('lets no malformed state through and never guesses: unknown, then retried', async () => {
    let opened = 0;
    feed = new QueueStateFeed({
      open: async () => {
        opened += 1;
        const stream = handStream();
        stream.send(opened === 1 ? 'event: queue-state\ndata: {"businessDay":"today","services":"many"}\n\n' : `event: queue-state\ndata: ${JSON.stringify(state(1))}\n\n`);
        return stream.opening;
      },
      timers: realTimers,
      random: () => 0,
      logger,
      retryFirstMs: 20,
    });
    const seen = watch(feed);
    feed.start();
    await seen.until((s) => s?.services[0]?.waiting === 1);
    expect(opened).toBe(2);
    expect(seen.seen).toEqual([state(1)]);
  });

  it('waits as long as the server asks before trying again', async () => {
    const waits: number[] = [];
    feed = new QueueStateFeed({
      open: async () => ({ ok: false, status: 429, reason: 'rate-limited', retryAfterMs: 7_000 }),
      timers: { setTimeout: (_callback, ms) => waits.push(ms), clearTimeout: () => {} },
      random: () => 0,
      logger,
    });
    feed.start();
    await expect.poll(() => waits.includes(7_000)).toBe(true);
  });
});

describe('the kiosk API service', () => {
  it('forwards queue states to the renderer, and a known one in the snapshot for a renderer that connects later', () => {
    // Declared apart: a fake with every printer method, whichever of them the service picks.
    const printed = async () => ({ outcome: 'printed' as const, paperNearEnd: false });
    const idlePrinter = { status: async () => ({ state: 'ready' as const, paperNearEnd: false }), print: printed, printSlip: printed, preview: () => null, onStatus: () => () => {}, lastStatus: () => undefined };
    let listener: ((s: QueueState | null) => void) | null = null;
    let current: QueueState | null = null;
    const api = new KioskApiService({
      config: () => {
        throw new Error('unused');
      },
      printer: idlePrinter as KioskApiServiceOptions['printer'],
      pins: { verify: async () => ({ ok: true }) },
      server: { request: async () => ({ status: 0, error: 'not-configured' }), status: () => ({}) as ReturnType<CentralServerClient['status']> },
      queue: { current: () => current, onChange: (l) => ((listener = l), () => (listener = null)) },
      system: { version: '1', shell: 'host', startedAt: 0 },
      logger,
    });
    const events: KioskEvent[] = [];
    api.subscribe((e) => events.push(e));
    expect(api.snapshot()).toEqual([]);
    current = state(2);
    listener!(current);
    listener!(null);
    expect(events).toEqual([
      { type: 'queue-state', state: state(2) },
      { type: 'queue-state', state: null },
    ]);
    expect(api.snapshot()).toEqual([{ type: 'queue-state', state: state(2) }]);
    api.close();
    expect(listener).toBeNull();
  });
});
