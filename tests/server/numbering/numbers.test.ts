import { performance } from 'node:perf_hooks';
import { beforeEach, expect, it } from 'vitest';
import { CatalogStore } from '../../../server/catalog/catalog-store.ts';
import { updateHallSettings } from '../../../server/hall/hall-settings.ts';
import { describeEngines } from '../support/engines.ts';
import type { TestKiosk } from '../support/kiosk.ts';
import { expectMonotonic } from '../support/monotonic.ts';
import type { Timed } from '../support/monotonic.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { demoCatalog } from '../../support/demo-hall.ts';

describeEngines('numbering: online numbers, leases and quotas', (engine) => {
  const hall = useHallServer(engine);
  let kiosks: TestKiosk[];

  beforeEach(async () => {
    kiosks = [];
    for (let i = 0; i < 5; i++) kiosks.push(await hall.enrolKiosk(`kiosk ${i}`, { strictNumbers: true }));
  });

  async function timed(call: () => Promise<{ status: number; body: { sequence?: number; lease?: { first: number; last: number } } }>): Promise<Timed> {
    const sentAt = performance.now();
    const response = await call();
    const receivedAt = performance.now();
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const numbers = response.body.lease
      ? Array.from({ length: response.body.lease.last - response.body.lease.first + 1 }, (_, i) => response.body.lease!.first + i)
      : [response.body.sequence!];
    return { sentAt, receivedAt, numbers };
  }

  it('hands out 50 concurrent numbers from 5 kiosks: unique, gap-free and monotonic', async () => {
    const calls = await Promise.all(Array.from({ length: 50 }, (_, i) => timed(() => kiosks[i % 5]!.next('ss-card', i % 7 ? 'normal' : 'elderly'))));
    const numbers = calls.flatMap((c) => c.numbers).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expectMonotonic(calls);

    // Sequential chains on every kiosk at once: each chain only ever goes up.
    const chains = await Promise.all(
      kiosks.map(async (kiosk) => {
        const mine: number[] = [];
        for (let i = 0; i < 10; i++) mine.push((await kiosk.next('ss-card')).body.sequence);
        return mine;
      }),
    );
    for (const chain of chains) expect(chain).toEqual([...chain].sort((a, b) => a - b));
    expect(new Set(chains.flat()).size).toBe(50);
    expect(Math.min(...chains.flat())).toBe(51);
  });

  it('labels numbers with the service prefix and counts each service separately', async () => {
    const [kiosk] = kiosks;
    expect((await kiosk!.next('ss-card')).body).toMatchObject({ label: 'D001', businessDay: '2026-03-02', dailyQuota: 300 });
    expect((await kiosk!.next('fund-loan', 'pregnant')).body).toMatchObject({ label: 'G001', priority: 'pregnant' });
    expect((await kiosk!.next('ss-card')).body.label).toBe('D002');
    const unknown = await kiosk!.next('no-such-service');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('unknown-service');
  });

  it('never hands out a leased number online, however requests interleave: online from 001 up, leases from the top of the band above the quota down', async () => {
    const calls = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        timed(() => (i % 4 === 0 ? kiosks[i % 5]!.lease('ss-card', '2026-03-02', 5) : kiosks[i % 5]!.next('ss-card'))),
      ),
    );
    const online = calls.filter((c) => c.numbers.length === 1);
    const leases = calls.filter((c) => c.numbers.length === 5);
    expect(online.flatMap((c) => c.numbers).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expectMonotonic(online);
    // ss-card's quota is 300, its lease band 301–999: ten blocks of five are 950–999, each below the ones leased before it.
    expect(leases.flatMap((c) => c.numbers).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => 950 + i));
    expectMonotonic(leases.map((c) => ({ ...c, numbers: c.numbers.map((n) => -n) })));
    const leased = new Set(leases.flatMap((c) => c.numbers));

    // Each kiosk sees exactly its own leases in its pull.
    const pulled = await Promise.all(kiosks.map((k) => k.pull()));
    const pulledNumbers = pulled.flatMap((p) => p.body.leases.flatMap((l: { first: number; last: number }) => Array.from({ length: l.last - l.first + 1 }, (_, i) => l.first + i)));
    expect(new Set(pulledNumbers)).toEqual(leased);
  });

  it('enforces the daily quota (限号) by tickets issued: leases take none of it', async () => {
    const limited = {
      ...demoCatalog,
      version: 1,
      services: demoCatalog.services.map((s) => (s.id === 'fund-loan' ? { ...s, dailyQuota: 5 } : s.id === 'pension' ? { ...s, dailyQuota: 10 } : s)),
    };
    await new CatalogStore(hall.server.db.db).import(limited, hall.server.clock);
    const [a, b] = kiosks;
    for (let i = 1; i <= 5; i++) expect((await a!.next('fund-loan')).body.sequence).toBe(i);
    const refused = await b!.next('fund-loan');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'quota-reached', message: expect.stringContaining('限号') });
    // Nothing is left to issue offline either.
    expect((await a!.lease('fund-loan', '2026-03-02', 1)).body.error.code).toBe('quota-reached');

    expect((await a!.lease('pension', '2026-03-02', 4)).body.lease).toMatchObject({ first: 996, last: 999 });
    expect((await b!.next('pension')).body.sequence).toBe(1);
    expect((await b!.lease('pension', '2026-03-02', 8)).body.lease).toMatchObject({ first: 988, last: 995 });
    for (let i = 2; i <= 10; i++) expect((await a!.next('pension')).body.sequence).toBe(i);
    expect((await b!.next('pension')).body.error.code).toBe('quota-reached');
    expect((await a!.lease('pension', '2026-03-02', 1)).body.error.code).toBe('quota-reached');
  });

  it('starts the online numbers of a fresh day at 001 while kiosks hold leases, and gives online issue the whole quota', async () => {
    const limited = { ...demoCatalog, version: 1, services: demoCatalog.services.map((s) => (s.id === 'pension' ? { ...s, dailyQuota: 10 } : s)) };
    await new CatalogStore(hall.server.db.db).import(limited, hall.server.clock);
    const [a, b] = kiosks;
    expect((await a!.lease('pension', '2026-03-02', 3)).body.lease).toMatchObject({ first: 997, last: 999 });
    expect((await b!.lease('pension', '2026-03-02', 3)).body.lease).toMatchObject({ first: 994, last: 996 });
    const online = [];
    for (let i = 0; i < 10; i++) online.push((await a!.next('pension')).body.label);
    expect(online).toEqual(['E001', 'E002', 'E003', 'E004', 'E005', 'E006', 'E007', 'E008', 'E009', 'E010']);
    expect((await b!.next('pension')).body.error.code).toBe('quota-reached');
  });

  it('counts a pushed offline ticket against the quota and leaves the online numbers where they are', async () => {
    const limited = { ...demoCatalog, version: 1, services: demoCatalog.services.map((s) => (s.id === 'fund-loan' ? { ...s, dailyQuota: 3 } : s)) };
    await new CatalogStore(hall.server.db.db).import(limited, hall.server.clock);
    const [a, b] = kiosks;
    const lease = (await a!.lease('fund-loan', '2026-03-02', 5)).body.lease;
    expect(lease).toMatchObject({ first: 995, last: 999 });
    a!.issue({ serviceId: 'fund-loan', departmentId: 'housing-fund', prefix: 'G', sequence: 999, issuedAt: hall.server.clock.now() });
    expect((await a!.push(a!.outbox)).body.results).toMatchObject([{ status: 'applied' }]);
    expect((await b!.next('fund-loan')).body.sequence).toBe(1);
    expect((await b!.next('fund-loan')).body.sequence).toBe(2);
    // Two online and one offline: the quota of 3 is used up.
    expect((await b!.next('fund-loan')).body.error.code).toBe('quota-reached');
  });

  it('bounds the unused leased numbers one device may hold', async () => {
    const [a, b] = kiosks;
    expect((await a!.lease('ss-card', '2026-03-02', 200)).status).toBe(200);
    const more = await a!.lease('ss-card', '2026-03-02', 1);
    expect(more.status).toBe(409);
    expect(more.body.error.code).toBe('lease-limit');
    // Another kiosk, or another day, is not held back.
    expect((await b!.lease('ss-card', '2026-03-02', 5)).status).toBe(200);
    expect((await a!.lease('ss-card', '2026-03-03', 5)).status).toBe(200);
  });

  it('returns the leases of a kiosk that starts over (pulls without a cursor), but not without end', async () => {
    // A quota of 600: its band (601–9999) has room for every lease below.
    const larger = { ...demoCatalog, version: 1, services: demoCatalog.services.map((s) => (s.id === 'ss-card' ? { ...s, dailyQuota: 600 } : s)) };
    await new CatalogStore(hall.server.db.db).import(larger, hall.server.clock);
    const [a] = kiosks;
    expect((await a!.lease('ss-card', '2026-03-02', 200)).status).toBe(200);
    expect((await a!.lease('ss-card', '2026-03-02', 1)).body.error.code).toBe('lease-limit');
    // A fresh browser profile: no cursor, no reserves. Its old leases come back as used up, and are returned.
    const fresh = await a!.pull('');
    expect(fresh.body.leases).toHaveLength(1);
    expect((await a!.lease('ss-card', '2026-03-02', 200)).status).toBe(200);
    // A number of a returned lease is still this kiosk's: a ticket of it, issued before, applies.
    const first = fresh.body.leases[0].first as number;
    a!.issue({ serviceId: 'ss-card', departmentId: 'social', prefix: 'D', sequence: first, issuedAt: hall.server.clock.now() });
    expect((await a!.push()).body.results).toMatchObject([{ status: 'applied' }]);
    // Starting over again and again: 1,000 numbers a day at most.
    for (let i = 0; i < 3; i++) {
      await a!.pull('');
      expect((await a!.lease('ss-card', '2026-03-02', 200)).status).toBe(200);
    }
    await a!.pull('');
    const refused = await a!.lease('ss-card', '2026-03-02', 1);
    expect(refused.body.error).toMatchObject({ code: 'lease-limit', message: expect.stringContaining('at most 1000 a day') });
  });

  it("restarts numbers at midnight in the hall's time zone, not the machine's", async () => {
    const [kiosk] = kiosks;
    hall.server.clock.setTo(Date.parse('2026-03-02T15:59:58Z')); // 23:59:58 in Shanghai
    expect((await kiosk!.next('ss-card')).body).toMatchObject({ businessDay: '2026-03-02', sequence: 1 });
    expect((await kiosk!.next('ss-card')).body).toMatchObject({ businessDay: '2026-03-02', sequence: 2 });
    hall.server.clock.setTo(Date.parse('2026-03-02T16:00:01Z')); // 00:00:01 on the 3rd in Shanghai, still the 2nd in UTC
    expect((await kiosk!.next('ss-card')).body).toMatchObject({ businessDay: '2026-03-03', sequence: 1 });

    await updateHallSettings(hall.server.db.db, { timeZone: 'UTC' });
    expect((await kiosk!.next('ss-card')).body).toMatchObject({ businessDay: '2026-03-02', sequence: 3 });
  });

  it('leases only for the open days: today to a week ahead', async () => {
    const [kiosk] = kiosks;
    for (const day of ['2026-03-01', '2026-03-10']) {
      const refused = await kiosk!.lease('ss-card', day, 5);
      expect(refused.status, day).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 'day-not-open', field: 'day' });
    }
    expect((await kiosk!.lease('ss-card', '2026-03-03', 5)).body.lease).toMatchObject({ businessDay: '2026-03-03', first: 995, last: 999 });
    expect((await kiosk!.next('ss-card')).body.sequence).toBe(1);
  });
});
