import { afterEach, expect, it } from 'vitest';
import { peopleAhead } from '../../../core/ticket/queue-state.ts';
import type { QueueState } from '../../../core/ticket/queue-state.ts';
import { serverTimeHeader } from '../../../core/sync/errors.ts';
import { revokeDevice } from '../../../server/devices/devices.ts';
import { describeEngines } from '../support/engines.ts';
import { TestKiosk } from '../support/kiosk.ts';
import { leasesFor } from '../support/number-grants.ts';
import { isStream, openQueueStream } from '../support/queue-stream.ts';
import type { QueueStreamClient } from '../support/queue-stream.ts';
import { startTestServer } from '../support/servers.ts';
import { useHallServer } from '../support/hall-under-test.ts';

const ssCard = (state: QueueState) => state.services.find((s) => s.serviceId === 'ss-card');

describeEngines('live queue state over server-sent events', (engine) => {
  const hall = useHallServer(engine, { server: { queueStream: { pollMs: 100, resendMs: 300 } } });
  const streams: QueueStreamClient[] = [];
  afterEach(() => {
    for (const s of streams.splice(0)) s.close();
  });

  async function kiosk(name: string, via = hall.server): Promise<TestKiosk> {
    return TestKiosk.enroll(via.url, (await hall.server.createDevice(name)).enrollmentCode, { trueNow: () => hall.clock.now() }, leasesFor(() => hall.server.db.db));
  }

  async function stream(token: string, via = hall.server): Promise<QueueStreamClient> {
    const opened = await openQueueStream(via.url, token);
    if (!isStream(opened)) throw new Error(`stream refused: ${opened.status} ${JSON.stringify(opened.body)}`);
    streams.push(opened);
    return opened;
  }

  it('is for enrolled kiosks only: no token, an unknown one and a revoked one get 401', async () => {
    const revoked = await kiosk('revoked');
    await revokeDevice(hall.server.db.db, hall.server.clock, revoked.deviceId);
    for (const [token, code] of [[undefined, 'token-missing'], ['hkd_nope', 'token-invalid'], [revoked.token, 'device-revoked']] as const) {
      const refused = await openQueueStream(hall.server.url, token);
      expect(refused.status, String(token)).toBe(401);
      expect(isStream(refused) ? null : refused.body).toMatchObject({ error: { code } });
    }
  });

  it('sends the counts at once, then each change: printed tickets wait, priority classes counted apart, voided and unprinted ones do not', async () => {
    const issuer = await kiosk('issuer');
    const watcher = await kiosk('watcher');
    const live = await stream(watcher.token);
    expect(live.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(Number(live.headers.get(serverTimeHeader))).toBeGreaterThan(0);
    const first = await live.until(() => true);
    expect(first).toEqual({ businessDay: '2026-03-02', asOf: expect.any(Number), services: [] });

    const at = hall.server.clock.now() - 10_000;
    const normal = issuer.issue({ serviceId: 'ss-card', departmentId: 'social', prefix: 'D', sequence: 1, issuedAt: at });
    issuer.printed(normal, at + 500);
    const elderly = issuer.issue({ serviceId: 'ss-card', departmentId: 'social', prefix: 'D', sequence: 2, issuedAt: at + 1_000, priority: 'elderly' });
    issuer.printed(elderly, at + 1_500);
    const failed = issuer.issue({ serviceId: 'ss-card', departmentId: 'social', prefix: 'D', sequence: 3, issuedAt: at + 2_000 });
    issuer.custom('ticket.print-failed', { ticketId: failed.id, outcome: 'paper-out', printAttempts: 1 }, at + 2_500);
    issuer.issue({ serviceId: 'ss-card', departmentId: 'social', prefix: 'D', sequence: 4, issuedAt: at + 3_000 }); // still printing
    expect((await issuer.push()).status).toBe(200);

    const counted = await live.until((s) => ssCard(s)?.waiting === 2);
    expect(ssCard(counted)).toEqual({ serviceId: 'ss-card', waiting: 2, waitingPriority: 1, aheadOfNew: { normal: 2, priority: 1 }, estimateMinutes: { normal: null, priority: null } });
    // A new normal ticket waits behind both; a new elderly one only behind the elderly one.
    expect(peopleAhead(counted, { serviceId: 'ss-card', businessDay: '2026-03-02', priority: 'normal' })).toBe(2);
    expect(peopleAhead(counted, { serviceId: 'ss-card', businessDay: '2026-03-02', priority: 'military' })).toBe(1);
    expect(peopleAhead(counted, { serviceId: 'pension', businessDay: '2026-03-02', priority: 'normal' })).toBe(0);
    expect(peopleAhead(counted, { serviceId: 'ss-card', businessDay: '2026-03-03', priority: 'normal' })).toBeNull();
    expect(peopleAhead(null, { serviceId: 'ss-card', businessDay: '2026-03-02', priority: 'normal' })).toBeNull();

    issuer.custom('ticket.voided', { ticketId: normal.id, reason: 'citizen left' }, at + 4_000);
    expect((await issuer.push(issuer.outbox.slice(-1))).status).toBe(200);
    expect(ssCard(await live.until((s) => ssCard(s)?.waiting === 1))).toEqual({ serviceId: 'ss-card', waiting: 1, waitingPriority: 1, aheadOfNew: { normal: 1, priority: 1 }, estimateMinutes: { normal: null, priority: null } });

    // Quiet meanwhile, the stream still re-sends the state with a fresh asOf: proof it is alive.
    const before = live.states.length;
    const resent = await live.until((s) => live.states.indexOf(s) >= before, 3_000);
    expect(resent.asOf).toBeGreaterThan(first.asOf);

    // At midnight in the hall's zone the day's queue starts empty.
    hall.server.clock.setTo(Date.parse('2026-03-02T16:00:30Z'));
    expect(await live.until((s) => s.businessDay === '2026-03-03')).toMatchObject({ services: [] });
  });

  it('reaches a kiosk listening on another server process of the same database', async () => {
    const other = await startTestServer(hall.db, { queueStream: { pollMs: 100 } });
    try {
      const issuer = await kiosk('issuer');
      const watcher = await kiosk('watcher', other);
      const live = await stream(watcher.token, other);
      await live.until((s) => s.services.length === 0);
      // A while ago: this test's two servers run clocks of their own, started a moment apart.
      const ticket = issuer.issue({ serviceId: 'pension', departmentId: 'social', prefix: 'E', sequence: 1, issuedAt: hall.server.clock.now() - 10_000 });
      issuer.printed(ticket, hall.server.clock.now());
      expect((await issuer.push()).status).toBe(200);
      const seen = await live.until((s) => s.services.some((x) => x.serviceId === 'pension'));
      expect(seen.services).toEqual([{ serviceId: 'pension', waiting: 1, waitingPriority: 0, aheadOfNew: { normal: 1, priority: 0 }, estimateMinutes: { normal: null, priority: null } }]);
    } finally {
      for (const s of streams.splice(0)) s.close();
      await other.close();
    }
  });

  it('closes cleanly: a kiosk hanging up, a third stream of one kiosk, the stream growing old, and the server shutting down', async () => {
    const k = await kiosk('kiosk');
    const [one, two] = [await stream(k.token), await stream(k.token)];
    await Promise.all([one.until(() => true), two.until(() => true)]);
    // A kiosk needs one stream; a leftover of a dead connection must not pile up.
    const three = await stream(k.token);
    await three.until(() => true);
    await one.ended;
    two.close();
    await two.ended;

    // The server's open streams do not hold its shutdown.
    const started = Date.now();
    await hall.stop();
    await three.ended;
    expect(Date.now() - started).toBeLessThan(3_000);
    await hall.restart({ queueStream: { pollMs: 100, maxAgeMs: 400 } });

    // An old stream ends, so the kiosk reconnects and is authenticated afresh.
    const aged = await stream(k.token);
    await aged.until(() => true);
    await aged.ended;
  });
});
