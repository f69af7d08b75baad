import { afterEach, expect, it } from 'vitest';
import { hallApi } from '../../../core/http/contract.ts';
import type { TestKiosk } from '../support/kiosk.ts';
import { describeEngines } from '../support/engines.ts';
import { api } from '../support/http.ts';
import type { ApiResponse } from '../support/http.ts';
import { useHallServer } from '../support/hall-under-test.ts';

/** A bound on waiting for something that should happen at once: generous, for a loaded machine. */
const boundMs = 15_000;

async function eventually(what: string, condition: () => boolean): Promise<void> {
  for (const start = performance.now(); !condition(); ) {
    if (performance.now() - start > boundMs) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** `answers`, or a failure naming them if they are still waiting after the bound (queued, not refused). */
async function answered(what: string, answers: Promise<ApiResponse>[]): Promise<ApiResponse[]> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: still waiting — queued behind the stalled database instead of refused`)), boundMs)));
  try {
    return await Promise.race([Promise.all(answers), bound]);
  } finally {
    clearTimeout(timer);
  }
}

describeEngines('overload: bounded work per process, refused at once past it', (engine) => {
  // The database made slow on purpose: a push's transaction waits inside the server on `stall`
  // while it holds the only connection (SQLite has one; PostgreSQL is given a pool of one), so
  // every other request that reaches the database waits behind it, as under real saturation.
  let stall: { entered: () => void; release: Promise<void> } | null = null;
  let release: (() => void) | null = null;
  const hall = useHallServer(engine, {
    server: {
      poolSize: 1,
      inFlightLimit: { maxInFlight: 4, retryAfterSeconds: 2 },
      deviceRateLimit: { capacity: 10_000, refillPerSecond: 10_000 },
      anonymousRateLimit: { capacity: 10_000, refillPerSecond: 10_000 },
      hooks: {
        async beforeEventCommit() {
          const held = stall;
          stall = null;
          if (held) {
            held.entered();
            await held.release;
          }
        },
      },
    },
    kiosk: { name: 'entrance 1', trueTime: 'hall' },
  });

  // Before the server is closed (after-hooks run last-registered first): a failed test leaves no transaction open.
  afterEach(() => {
    release?.();
    release = null;
    stall = null;
  });

  /**
   * With nothing in flight, holds the next push's transaction open inside the server: resolves
   * once the push has been given `kiosk`'s online ticket and is waiting on the stuck database.
   */
  async function stallNextPush(kiosk: TestKiosk): Promise<{ stalled: Promise<void> }> {
    await eventually('nothing in flight before the test starts', () => hall.server.app.load?.inFlight === 0);
    let entered!: () => void;
    const stalled = new Promise<void>((resolve) => (entered = resolve));
    stall = { entered, release: new Promise<void>((resolve) => (release = resolve)) };
    await issueOnline(kiosk);
    return { stalled };
  }

  /** A ticket of a number the server gave this kiosk, in its outbox: a push the server applies. */
  async function issueOnline(kiosk: TestKiosk): Promise<void> {
    const { body } = await kiosk.next('ss-card');
    kiosk.issue({ serviceId: 'ss-card', prefix: 'D', sequence: body.sequence, businessDay: body.businessDay, issuedAt: hall.server.clock.now() });
  }

  it('refuses past its limit with 503 and Retry-After while the database is stuck, and what it accepted is all it did', async () => {
    const kiosks: TestKiosk[] = [hall.kiosk];
    for (let i = 2; i <= 4; i++) kiosks.push(await hall.enrolKiosk(`entrance ${i}`));
    const admin = await hall.adminToken();
    const load = () => hall.server.app.load;
    const { stalled } = await stallNextPush(hall.kiosk);
    const slowPush = hall.kiosk.push();
    await stalled;
    // Three more reach the server and wait for the database: the limit of four is full.
    const waiting = kiosks.slice(1).map((k) => k.next('biz-registration'));
    await eventually('four requests in flight', () => load().inFlight === 4);

    const refused = await answered('requests past the limit', [
      ...kiosks.map((k) => k.next('biz-registration')),
      kiosks[1]!.push(),
      kiosks[2]!.lease('biz-registration', '2026-03-02', 10),
      kiosks[3]!.pull(),
      api(hall.server.url, 'POST', hallApi.devicesStatus.path, { token: kiosks[1]!.token, body: {} }),
      api(hall.server.url, 'GET', '/api/v1/admin/status', { token: admin }),
      // Refused before its token is even looked at: the database is not asked.
      api(hall.server.url, 'POST', '/api/v1/sync/push', { token: 'hkd_forged', body: { events: [] } }),
      api(hall.server.url, 'GET', '/api/v1/time'),
    ]);
    for (const response of refused) {
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('2');
      expect(response.body.error).toMatchObject({ code: 'overloaded', retryAfterSeconds: 2, message: expect.stringContaining('busy') });
      expect(response.body.serverTime).toEqual(expect.any(Number));
    }
    // All answered while the database was still stuck: none of them joined a queue behind it.
    expect(load()).toMatchObject({ inFlight: 4, peak: 4, refused: refused.length });

    release!();
    expect((await slowPush).body.results.map((r: { status: string }) => r.status)).toEqual(['applied']);
    const numbers = (await Promise.all(waiting)).map((r) => {
      expect(r.status).toBe(200);
      return r.body.sequence as number;
    });
    expect(numbers.sort()).toEqual([1, 2, 3]);
    await eventually('every slot given back', () => load().inFlight === 0);

    // The refused asks took no number: the next one is the fourth.
    const after = await hall.kiosk.next('biz-registration');
    expect(after.status).toBe(200);
    expect(after.body.sequence).toBe(4);
    expect(load().peak).toBe(4);
  });

  it('gives the slot back when a client gives up, only once its work is done', async () => {
    const load = () => hall.server.app.load;
    const { stalled } = await stallNextPush(hall.kiosk);
    const abort = new AbortController();
    const gaveUp = fetch(`${hall.server.url}/api/v1/sync/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hall.kiosk.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sentAt: hall.server.clock.now(), events: hall.kiosk.outbox }),
      signal: abort.signal,
    }).catch(() => 'aborted');
    await stalled;
    abort.abort();
    expect(await gaveUp).toBe('aborted');
    // The client is gone but the push's transaction is still open: its slot is still taken.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(load().inFlight).toBe(1);
    release!();
    await eventually('the slot given back after the work ended', () => load().inFlight === 0);
    // …and the work it did counts: the kiosk's re-send is a duplicate.
    expect((await hall.kiosk.push()).body.results.map((r: { status: string }) => r.status)).toEqual(['duplicate']);
  });
});
