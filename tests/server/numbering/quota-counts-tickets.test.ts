import { beforeEach, expect, it } from 'vitest';
import { leaseSizing } from '../../../core/numbering/lease-band.ts';
import { maxLeaseCount } from '../../../core/numbering/numbers.ts';
import { describeEngines } from '../support/engines.ts';
import type { TestKiosk } from '../support/kiosk.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { createServerLogger } from '../../../server/http/logger.ts';

// Issue 13 point 1: with ten kiosks leasing their offline reserves from the top of the quota, a
// service with a quota of 80 was "full" before the doors opened, and the list still said 余80号.
// A quota counts tickets issued, not numbers reserved, and the list shows the server's figure.

const today = '2026-03-02';
const tomorrow = '2026-03-03';
const service = { serviceId: 'food-licence', prefix: 'C', departmentId: 'market' } as const;
const quota = 80;

/** What the service list shows for the service, from this kiosk's pull: 余N号 and whether it is full. */
async function listFigure(kiosk: TestKiosk): Promise<{ issued: number; left: number }> {
  const pulled = await kiosk.pull();
  expect(pulled.status).toBe(200);
  const count = (pulled.body.dayCounts as { serviceId: string; issued: number; quota: number }[]).find((c) => c.serviceId === service.serviceId)!;
  expect(count.quota).toBe(quota);
  return { issued: count.issued, left: Math.max(0, count.quota - count.issued) };
}

describeEngines('a quota counts tickets, not reserved numbers (#13.1)', (engine) => {
  const logs: string[] = [];
  const hall = useHallServer(engine, { server: () => ({ logger: createServerLogger({ level: 'warn', destination: { write: (line: string) => void logs.push(line) } }) }) });
  let kiosks: TestKiosk[];

  /** Ten kiosks start the day as the kiosk's sync engine does: each leases its reserve of every day it keeps one for. */
  beforeEach(async () => {
    logs.length = 0;
    kiosks = [];
    for (let i = 0; i < 10; i++) kiosks.push(await hall.enrolKiosk(`kiosk ${i}`, { trueTime: 'hall', strictNumbers: true }));
    const { leaseCount } = leaseSizing(quota, maxLeaseCount);
    for (const kiosk of kiosks) {
      for (const day of [today, tomorrow]) expect((await kiosk.lease(service.serviceId, day, leaseCount)).status).toBe(200);
    }
  });

  it('ten kiosks, quota 80, all online: 80 tickets, the 81st refused, and the list right at each step', async () => {
    expect(await listFigure(kiosks[0]!)).toEqual({ issued: 0, left: 80 });
    for (let n = 1; n <= quota; n++) {
      const kiosk = kiosks[n % 10]!;
      const answer = await kiosk.next(service.serviceId);
      expect(answer.status, `ticket ${n}: ${JSON.stringify(answer.body)}`).toBe(200);
      expect(answer.body.label).toBe(`C${String(n).padStart(3, '0')}`);
      kiosk.issue({ ...service, sequence: answer.body.sequence, issuedAt: kiosk.deviceNow() });
      expect((await kiosk.push()).body.results.at(-1)).toMatchObject({ status: 'applied' });
      // Another kiosk's list, as the next citizen sees it there.
      expect(await listFigure(kiosks[(n + 3) % 10]!), `after ticket ${n}`).toEqual({ issued: n, left: quota - n });
    }
    const refused = await kiosks[1]!.next(service.serviceId);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('quota-reached');
    for (const kiosk of kiosks) expect(await listFigure(kiosk)).toEqual({ issued: 80, left: 0 });
  });

  it('the same with two kiosks offline: their tickets count as they arrive, and the overshoot is bounded by their reserves and shown', async () => {
    const [offlineA, offlineB] = [kiosks[8]!, kiosks[9]!];
    const online = kiosks.slice(0, 8);
    const leased = async (kiosk: TestKiosk) => (await kiosk.pull()).body.leases.find((l: { businessDay: string }) => l.businessDay === today) as { first: number; last: number };
    const reserves = new Map([offlineA, offlineB].map((k) => [k, { next: 0, last: 0 }]));
    for (const kiosk of [offlineA, offlineB]) {
      const lease = await leased(kiosk);
      reserves.set(kiosk, { next: lease.first, last: lease.last });
    }
    /** The kiosk's offline issue: the next number of its reserve, held until it can push. */
    const issueOffline = (kiosk: TestKiosk) => {
      const reserve = reserves.get(kiosk)!;
      expect(reserve.next).toBeLessThanOrEqual(reserve.last);
      kiosk.issue({ ...service, sequence: reserve.next++, issuedAt: kiosk.deviceNow() });
    };
    let issued = 0;
    const takeOnline = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const kiosk = online[issued % 8]!;
        const answer = await kiosk.next(service.serviceId);
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
        kiosk.issue({ ...service, sequence: answer.body.sequence, issuedAt: kiosk.deviceNow() });
        await kiosk.push();
        issued++;
        expect(await listFigure(online[(issued + 1) % 8]!)).toEqual({ issued, left: quota - issued });
      }
    };

    // Three citizens at each offline kiosk while 40 are served online: the server knows the 40.
    for (let i = 0; i < 3; i++) [offlineA, offlineB].forEach(issueOffline);
    await takeOnline(40);
    // Back online: their six tickets apply and count.
    for (const kiosk of [offlineA, offlineB]) expect((await kiosk.push()).body.results.map((r: { status: string }) => r.status)).toEqual(Array(3).fill('applied'));
    issued += 6;
    expect(await listFigure(online[0]!)).toEqual({ issued: 46, left: 34 });
    // Online issue has exactly what is left: 34 more, then the 81st ticket of the day is refused.
    await takeOnline(34);
    expect((await online[0]!.next(service.serviceId)).body.error.code).toBe('quota-reached');
    expect((await offlineA.lease(service.serviceId, today, 1)).body.error.code).toBe('quota-reached');

    // Offline again, kiosk A cannot know the day is full: two more from its reserve. They were valid
    // on the kiosk and are kept; the list shows the overshoot, which no reserve can pass.
    issueOffline(offlineA);
    issueOffline(offlineA);
    expect((await offlineA.push(offlineA.outbox.slice(3))).body.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied']);
    expect(await listFigure(online[3]!)).toEqual({ issued: 82, left: 0 });
    // …and the server's log says so, once the push took the day past it.
    const reported = logs.map((l) => JSON.parse(l) as { msg: string; overshoots?: unknown }).filter((l) => l.msg.startsWith('offline tickets took a day past its quota'));
    expect(reported).toHaveLength(1);
    expect(reported[0]!.overshoots).toEqual([{ serviceId: 'food-licence', day: today, issued: 82, quota }]);
    const { leaseCount } = leaseSizing(quota, maxLeaseCount);
    expect(82 - quota).toBeLessThanOrEqual(2 * leaseCount);
  });
});
