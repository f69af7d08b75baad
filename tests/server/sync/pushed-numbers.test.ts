import { beforeEach, expect, it } from 'vitest';
import { describeEngines } from '../support/engines.ts';
import type { TestKiosk } from '../support/kiosk.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { countRows, inspect } from '../support/servers.ts';

// Issue 14 point 5: the server trusted any number a device pushed — one from another kiosk's
// lease (whose own ticket was then dead-lettered: two citizens with one number), one equal to the
// quota (after which /next refused everyone all day), days 2099-12-31 and 1970-01-01, label ZZ999.

const today = '2026-03-02';
const card = { serviceId: 'ss-card', prefix: 'D', departmentId: 'social' } as const;

describeEngines('a pushed ticket holds a number its device was given (#14.5)', (engine) => {
  const hall = useHallServer(engine);
  let a: TestKiosk;
  let b: TestKiosk;

  beforeEach(async () => {
    a = await hall.enrolKiosk('kiosk A', { trueTime: 'hall', strictNumbers: true });
    b = await hall.enrolKiosk('kiosk B', { trueTime: 'hall', strictNumbers: true });
  });

  /** Pushes one ticket and returns its result. */
  async function pushOne(kiosk: TestKiosk, ticket: Partial<Parameters<TestKiosk['issue']>[0]> & { sequence: number }) {
    kiosk.issue({ ...card, issuedAt: kiosk.deviceNow(), ...ticket });
    const response = await kiosk.push(kiosk.outbox.slice(-1));
    expect(response.status).toBe(200);
    return response.body.results[0] as { status: string; reason?: string };
  }

  const counter = (serviceId: string) =>
    inspect(hall.db, (k) => k.selectFrom('number_counters').select(['last_number', 'issued', 'lease_floor']).where('service_id', '=', serviceId).where('business_day', '=', today).executeTakeFirst());

  it("refuses device B's push of a number from A's lease, and A's own ticket with it then applies", async () => {
    const lease = (await a.lease('ss-card', today, 5)).body.lease as { first: number; last: number };
    const before = await counter('ss-card');
    const stolen = await pushOne(b, { sequence: lease.first });
    expect(stolen).toMatchObject({ status: 'dead-lettered', reason: expect.stringContaining('neither in a lease of this device') });
    expect(await countRows(hall.db)).toMatchObject({ tickets: 0, dead_letters: 1 });
    expect(await counter('ss-card')).toEqual(before);
    expect(await pushOne(a, { sequence: lease.first })).toMatchObject({ status: 'applied' });
    const rows = await inspect(hall.db, (k) => k.selectFrom('tickets').select(['device_id', 'label']).execute());
    expect(rows).toEqual([{ device_id: a.deviceId, label: `D${lease.first}` }]);
  });

  it('refuses a number /next gave another device, and takes one it gave this device', async () => {
    const given = (await a.next('ss-card')).body as { sequence: number };
    expect(await pushOne(b, { sequence: given.sequence })).toMatchObject({ status: 'dead-lettered', reason: expect.stringContaining('handed out online to another device') });
    expect(await pushOne(a, { sequence: given.sequence })).toMatchObject({ status: 'applied' });
    expect((await counter('ss-card'))?.issued).toBe(1);
  });

  it('refuses a number equal to the quota pushed without a lease for it: /next goes on for everyone', async () => {
    expect(await pushOne(b, { sequence: 300 })).toMatchObject({ status: 'dead-lettered', reason: expect.stringContaining('neither in a lease of this device') });
    expect(await counter('ss-card')).toBeUndefined();
    expect((await a.next('ss-card')).body).toMatchObject({ sequence: 1 });
    expect((await b.next('ss-card')).body).toMatchObject({ sequence: 2 });
  });

  for (const day of ['2099-12-31', '1970-01-01']) {
    it(`refuses a ticket of business day ${day}: nothing is stored and no counter moves`, async () => {
      // Even with a lease of today in hand and the number one /next gave it today.
      const lease = (await b.lease('ss-card', today, 5)).body.lease as { first: number };
      const given = (await b.next('ss-card')).body as { sequence: number };
      const before = await counter('ss-card');
      for (const sequence of [lease.first, given.sequence, 300]) {
        const result = await pushOne(b, { sequence, businessDay: day });
        expect(result.status, `${day} ${sequence}`).toBe('dead-lettered');
        expect(result.reason).toMatch(day > today ? /after the hall's tomorrow/ : /neither in a lease of this device/);
      }
      expect(await countRows(hall.db)).toMatchObject({ tickets: 0, dead_letters: 3 });
      expect(await counter('ss-card')).toEqual(before);
      const days = await inspect(hall.db, (k) => k.selectFrom('number_counters').select('business_day').distinct().execute());
      expect(days).toEqual([{ business_day: today }]);
    });
  }

  it('refuses label ZZ999 for a service whose prefix is B, even for a number its device leased', async () => {
    const lease = (await b.lease('sole-trader', today, 5)).body.lease as { last: number };
    expect(lease.last).toBe(999);
    b.issue({ serviceId: 'sole-trader', prefix: 'B', departmentId: 'market', sequence: 999, issuedAt: b.deviceNow() });
    const ticket = (b.outbox.at(-1)!.payload as { ticket: { label: string } }).ticket;
    ticket.label = 'ZZ999';
    const response = await b.push(b.outbox.slice(-1));
    expect(response.body.results[0]).toMatchObject({ status: 'dead-lettered', reason: expect.stringContaining('label ZZ999 is not number 999 of sole-trader (expected B999)') });
    expect(await countRows(hall.db)).toMatchObject({ tickets: 0, dead_letters: 1 });
    // The same number with its true label is this device's to issue.
    expect(await pushOne(b, { serviceId: 'sole-trader', prefix: 'B', departmentId: 'market', sequence: 999 })).toMatchObject({ status: 'applied' });
  });

  it('judges a batch of many tickets the same as one at a time: the refused ones dead-lettered, the rest applied', async () => {
    const lease = (await a.lease('ss-card', today, 10)).body.lease as { first: number; last: number };
    const bLease = (await b.lease('ss-card', today, 2)).body.lease as { first: number };
    for (let n = lease.first; n <= lease.last; n++) a.issue({ ...card, sequence: n, issuedAt: a.deviceNow() });
    a.issue({ ...card, sequence: bLease.first, issuedAt: a.deviceNow() });
    a.issue({ ...card, sequence: 42, issuedAt: a.deviceNow() });
    const results = (await a.push()).body.results as { status: string }[];
    expect(results.map((r) => r.status)).toEqual([...Array(10).fill('applied'), 'dead-lettered', 'dead-lettered']);
    expect((await counter('ss-card'))?.issued).toBe(10);
  });
});
