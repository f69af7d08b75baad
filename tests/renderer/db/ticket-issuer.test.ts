import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validate as isUuid, version as uuidVersion } from 'uuid';
import type { ServiceItem } from '../../../core/catalog/catalog.ts';
import type { HallRules } from '../../../core/calendar/calendar-rules.ts';
import type { PrintResult } from '../../../core/printing/printing.ts';
import { priorityClasses } from '../../../core/ticket/ticket.ts';
import type { Ticket } from '../../../core/ticket/ticket.ts';
import { outboxInOrder } from '../../../renderer/db/outbox.ts';
import { interruptedPrintError, TicketIssuer, TicketStateError } from '../../../renderer/db/ticket-issuer.ts';
import type { OnlineNumber } from '../../../renderer/db/ticket-issuer.ts';
import type { Transaction } from 'dexie';
import type { HallKioskDb } from '../../../renderer/db/hall-kiosk-db.ts';
import { KioskDevice, demoService, hallZone, kioskId } from '../support/issuer-fixture.ts';
import { demoHallRules } from '../../support/demo-hall.ts';

// The machine runs in Los Angeles, the hall in Shanghai: numbering must follow the hall.
const originalTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'America/Los_Angeles';
});
afterAll(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

const company = demoService('biz-registration'); // prefix A
const printed: PrintResult = { outcome: 'printed', paperNearEnd: false };
const paperOut: PrintResult = { outcome: 'paper-out', paperNearEnd: false, detail: 'DLE EOT 2: paper end' };

let device: KioskDevice;
afterEach(() => device?.close());

async function issueOk(issuer: { issue: (s: ServiceItem, p: Ticket['priority']) => Promise<{ ok: boolean }> }, service: ServiceItem, priority: Ticket['priority'] = 'normal'): Promise<Ticket> {
  const result = await issuer.issue(service, priority);
  if (!result.ok) throw new Error(`expected a ticket, got ${JSON.stringify(result)}`);
  return (result as { ok: true; ticket: Ticket }).ticket;
}

async function snapshot(db: HallKioskDb) {
  return {
    tickets: await db.tickets.toArray(),
    reserves: await db.reserves.toArray(),
    outbox: await db.outbox.toArray(),
    meta: await db.meta.toArray(),
  };
}

describe('business day and numbering', () => {
  it('restarts at midnight in the hall, not in the machine zone', async () => {
    device = new KioskDevice('2026-11-25T15:58:00Z'); // 23:58 in Shanghai, 07:58 in Los Angeles
    const { issuer } = device.start();
    expect(new Date(device.clock.now()).getHours()).toBe(7); // the process really runs on LA time

    const late1 = await issueOk(issuer, company);
    const late2 = await issueOk(issuer, company);
    expect([late1.label, late2.label]).toEqual(['A001', 'A002']);
    expect(late1.businessDay).toBe('2026-11-25');

    device.clock.setTo('2026-11-25T16:00:00Z'); // 00:00 in Shanghai; still the 25th in Los Angeles
    expect(new Date(device.clock.now()).getDate()).toBe(25);
    const early = await issueOk(issuer, company);
    expect(early.businessDay).toBe('2026-11-26');
    expect(early.label).toBe('A001');
    expect(early.sequence).toBe(1);

    device.clock.setTo('2026-11-26T08:00:00Z'); // LA's midnight passes: no restart, the hall's day goes on
    expect((await issueOk(issuer, company)).label).toBe('A002');
  });

  it('continues the sequence after a reload without reusing a number', async () => {
    device = new KioskDevice('2026-11-25T01:30:00Z');
    const first = device.start();
    await issueOk(first.issuer, company);
    await issueOk(first.issuer, company);
    first.db.close();

    const second = device.start();
    const next = await issueOk(second.issuer, company);
    expect(next.label).toBe('A003');
    const labels = (await second.db.tickets.toArray()).map((t) => t.label).sort();
    expect(labels).toEqual(['A001', 'A002', 'A003']);
  });

  it('numbers each service on its own', async () => {
    device = new KioskDevice('2026-11-25T01:30:00Z');
    const { issuer } = device.start();
    await issueOk(issuer, company);
    const other = await issueOk(issuer, demoService('sole-trader'));
    expect(other.label).toBe('B001');
    expect((await issueOk(issuer, company)).label).toBe('A002');
  });

  it('hands out distinct numbers to concurrent issues', async () => {
    device = new KioskDevice('2026-11-25T01:30:00Z');
    const { issuer } = device.start();
    const tickets = await Promise.all(Array.from({ length: 20 }, () => issueOk(issuer, company)));
    expect(tickets.map((t) => t.sequence).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});

describe('quota (限号)', () => {
  it("refuses past the service's daily quota and writes nothing", async () => {
    device = new KioskDevice('2026-11-25T01:30:00Z');
    const { db, issuer } = device.start();
    const small: ServiceItem = { ...company, dailyQuota: 2 };
    await issueOk(issuer, small);
    await issueOk(issuer, small);
    const before = await snapshot(db);

    expect(await issuer.issue(small, 'normal')).toEqual({ ok: false, reason: 'quota-reached' });
    expect(await issuer.issue(small, 'elderly')).toEqual({ ok: false, reason: 'quota-reached' });
    expect(await snapshot(db)).toEqual(before);

    device.clock.setTo('2026-11-26T01:30:00Z'); // the next business day has a fresh quota
    expect((await issueOk(issuer, small)).label).toBe('A001');
  });

  it("stops at the hall calendar's day quota when it is tighter than the catalog's, read at each issue", async () => {
    device = new KioskDevice('2026-11-25T01:30:00Z');
    const db = device.openDb();
    const withPerDay = (perDay: number): HallRules => ({
      ...demoHallRules,
      services: demoHallRules.services.map((s) => (s.serviceId === company.id ? { ...s, quota: { perDay } } : s)),
    });
    let rules: HallRules | null = withPerDay(2);
    const issuer = new TicketIssuer({ db, clock: device.clock, kioskId, timeZone: hallZone, hallRules: () => rules });
    await issueOk(issuer, company);
    await issueOk(issuer, company);
    expect(await issuer.issue(company, 'normal')).toEqual({ ok: false, reason: 'quota-reached' });
    // The hall raised it: the next citizen gets the next number at once.
    rules = withPerDay(3);
    expect((await issueOk(issuer, company)).label).toBe('A003');
    expect(await issuer.issue(company, 'normal')).toEqual({ ok: false, reason: 'quota-reached' });
    // No calendar: the catalog's quota.
    rules = null;
    expect((await issueOk(issuer, company)).label).toBe('A004');
  });
});

describe("the hall's zone", () => {
  it('is read at each issue: settings pulled from the hall server apply without a restart', async () => {
    device = new KioskDevice('2026-11-25T17:00:00Z'); // 01:00 on the 26th in Shanghai, 09:00 on the 25th in Los Angeles
    const db = device.openDb();
    let zone = hallZone;
    const issuer = new TicketIssuer({ db, clock: device.clock, kioskId, timeZone: () => zone });
    expect((await issueOk(issuer, company)).businessDay).toBe('2026-11-26');
    zone = 'America/Los_Angeles';
    const after = await issueOk(issuer, company);
    expect([after.businessDay, after.label]).toEqual(['2026-11-25', 'A001']);
    expect(issuer.today()).toBe('2026-11-25');
  });
});

describe('priority classes (特殊人群)', () => {
  it("records each class and shares the service's sequence", async () => {
    device = new KioskDevice('2026-11-25T01:30:00Z');
    const { db, issuer } = device.start();
    const tickets: Ticket[] = [];
    for (const priority of priorityClasses) tickets.push(await issueOk(issuer, company, priority));
    expect(tickets.map((t) => [t.label, t.priority])).toEqual([
      ['A001', 'normal'],
      ['A002', 'elderly'],
      ['A003', 'disabled'],
      ['A004', 'pregnant'],
      ['A005', 'military'],
    ]);
    const stored = await db.tickets.get(tickets[1]!.id);
    expect(stored?.priority).toBe('elderly');
  });
});

describe('one transaction', () => {
  it('leaves no ticket, no reserve advance and no outbox entry when the outbox write fails', async () => {
    device = new KioskDevice('2026-11-25T01:30:00Z');
    const { db, issuer } = device.start();
    await issueOk(issuer, company); // A001, so there is a reserve to (not) advance
    const before = await snapshot(db);

    const diskFull = (): void => {
      throw new Error('simulated crash: outbox write failed');
    };
    db.outbox.hook('creating', diskFull);
    await expect(issuer.issue(company, 'normal')).rejects.toThrow(/outbox write failed/);
    db.outbox.hook('creating').unsubscribe(diskFull);

    expect(await snapshot(db)).toEqual(before);
    expect((await issueOk(issuer, company)).label).toBe('A002');
  });

  it('leaves nothing when the ticket write fails on a new day', async () => {
    device = new KioskDevice('2026-11-25T01:30:00Z');
    const { db, issuer } = device.start();
    const boom = (): void => {
      throw new Error('simulated crash: ticket write failed');
    };
    db.tickets.hook('creating', boom);
    await expect(issuer.issue(company, 'normal')).rejects.toThrow(/ticket write failed/);
    db.tickets.hook('creating').unsubscribe(boom);

    expect(await snapshot(db)).toEqual({ tickets: [], reserves: [], outbox: [], meta: [] });
    expect((await issueOk(issuer, company)).label).toBe('A001');
  });

  it('leaves nothing when the kiosk dies mid-way, after the ticket was written but before commit', async () => {
    device = new KioskDevice('2026-11-25T01:30:00Z');
    const { db, issuer } = device.start();
    await issueOk(issuer, company);
    // IndexedDB discards a transaction that never commits, as when the renderer is killed.
    const dieMidWay = (...args: unknown[]): void => {
      (args.at(-1) as Transaction).abort();
    };
    db.reserves.hook('updating', dieMidWay);
    await expect(issuer.issue(company, 'normal')).rejects.toThrow();
    db.close();

    const after = device.start();
    expect((await after.db.tickets.toArray()).map((t) => t.label)).toEqual(['A001']);
    expect((await after.db.outbox.toArray()).map((e) => e.type)).toEqual(['ticket.issued']);
    expect((await after.db.reserves.toArray()).map((r) => r.next)).toEqual([2]);
    expect((await issueOk(after.issuer, company)).label).toBe('A002');
  });

  it('lists a ticket recorded but never printed (crash after commit) as unprinted on the next start', async () => {
    device = new KioskDevice('2026-11-25T01:30:00Z');
    const first = device.start();
    const stranded = await issueOk(first.issuer, company);
    expect(stranded.state).toBe('printing');
    first.db.close(); // the kiosk dies before the printer answers

    device.clock.advance(60_000);
    const second = device.start();
    const recovered = await second.issuer.recoverInterrupted();
    expect(recovered.map((t) => [t.label, t.state, t.lastPrintError])).toEqual([['A001', 'unprinted', interruptedPrintError]]);
    expect((await second.issuer.unprintedToday()).map((t) => t.id)).toEqual([stranded.id]);
    expect(await second.issuer.issuedCount(company.id, '2026-11-25')).toBe(0);

    const next = await issueOk(second.issuer, company);
    expect(next.label).toBe('A002');
    const events = await outboxInOrder(second.db);
    expect(events.map((e) => e.type)).toEqual(['ticket.issued', 'ticket.print-failed', 'ticket.issued']);
    expect(events[1]).toMatchObject({ ticketId: stranded.id, outcome: 'interrupted' });
  });

  it('does not mistake a ticket this instance is printing for an interrupted one', async () => {
    device = new KioskDevice('2026-11-25T01:30:00Z');
    const { issuer } = device.start();
    const printing = await issueOk(issuer, company);
    expect(await issuer.recoverInterrupted()).toEqual([]);
    const done = await issuer.recordPrint(printing.id, printed);
    expect(done.state).toBe('issued');
  });
});

describe('printing outcomes', () => {
  it('records a failed print as unprinted, never counted as issued; a reprint issues it', async () => {
    device = new KioskDevice('2026-11-25T01:30:00Z');
    const { db, issuer } = device.start();
    const ticket = await issueOk(issuer, company);

    const failed = await issuer.recordPrint(ticket.id, paperOut);
    expect(failed).toMatchObject({ state: 'unprinted', printAttempts: 1, lastPrintError: 'paper-out: DLE EOT 2: paper end' });
    expect(await issuer.issuedCount(company.id, ticket.businessDay)).toBe(0);
    expect((await issuer.unprintedToday()).map((t) => t.label)).toEqual(['A001']);

    issuer.beginReprint(ticket.id);
    const reprinted = await issuer.recordPrint(ticket.id, printed);
    expect(reprinted.state).toBe('issued');
    expect(reprinted.printAttempts).toBe(2);
    expect(reprinted.lastPrintError).toBeUndefined();
    expect(await db.tickets.get(ticket.id)).toEqual(reprinted);
    expect(await issuer.issuedCount(company.id, ticket.businessDay)).toBe(1);
    expect(await issuer.unprintedToday()).toEqual([]);

    const events = await outboxInOrder(db);
    expect(events.map((e) => e.type)).toEqual(['ticket.issued', 'ticket.print-failed', 'ticket.printed']);
    expect(events[1]).toMatchObject({ ticketId: ticket.id, outcome: 'paper-out', printAttempts: 1 });
  });

  it("treats 'unknown' as unprinted: it may not be on paper", async () => {
    device = new KioskDevice('2026-11-25T01:30:00Z');
    const { issuer } = device.start();
    const ticket = await issueOk(issuer, company);
    const result = await issuer.recordPrint(ticket.id, { outcome: 'unknown', paperNearEnd: false });
    expect(result).toMatchObject({ state: 'unprinted', lastPrintError: 'unknown' });
    expect(await issuer.issuedCount(company.id, ticket.businessDay)).toBe(0);
  });

  it('voids a ticket once and refuses to print it afterwards', async () => {
    device = new KioskDevice('2026-11-25T01:30:00Z');
    const { db, issuer } = device.start();
    const ticket = await issueOk(issuer, company);
    await issuer.recordPrint(ticket.id, paperOut);

    const voided = await issuer.void(ticket.id, 'staff');
    expect(voided.state).toBe('voided');
    expect(await issuer.unprintedToday()).toEqual([]);
    expect(await issuer.issuedCount(company.id, ticket.businessDay)).toBe(0);
    await issuer.void(ticket.id, 'staff');
    await expect(issuer.recordPrint(ticket.id, printed)).rejects.toBeInstanceOf(TicketStateError);

    const events = await outboxInOrder(db);
    expect(events.map((e) => e.type)).toEqual(['ticket.issued', 'ticket.print-failed', 'ticket.voided']);
    expect(events[2]).toMatchObject({ ticketId: ticket.id, reason: 'staff' });
    // a voided number is never handed out again
    expect((await issueOk(issuer, company)).label).toBe('A002');
  });

  it("lists only today's unprinted tickets, oldest first", async () => {
    device = new KioskDevice('2026-11-25T01:30:00Z');
    const { issuer } = device.start();
    const yesterday = await issueOk(issuer, company);
    await issuer.recordPrint(yesterday.id, paperOut);
    device.clock.setTo('2026-11-26T01:30:00Z');
    const a = await issueOk(issuer, company);
    device.clock.advance(1000);
    const b = await issueOk(issuer, company);
    await issuer.recordPrint(b.id, paperOut);
    await issuer.recordPrint(a.id, { outcome: 'offline', paperNearEnd: false });
    expect((await issuer.unprintedToday()).map((t) => t.id)).toEqual([a.id, b.id]);
  });
});

describe('outbox', () => {
  it('numbers events with a strictly increasing per-device seq and UUIDv7 ids, across restarts', async () => {
    device = new KioskDevice('2026-11-25T01:30:00Z');
    const first = device.start();
    const t1 = await issueOk(first.issuer, company);
    await first.issuer.recordPrint(t1.id, printed);
    const t2 = await issueOk(first.issuer, company, 'elderly');
    first.db.close();

    const second = device.start();
    await second.issuer.recoverInterrupted();
    await second.issuer.recordPrint(t2.id, printed);
    const t3 = await issueOk(second.issuer, demoService('ss-card'));
    await second.issuer.void(t3.id, 'staff');

    const events = await outboxInOrder(second.db);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(events.map((e) => e.type)).toEqual([
      'ticket.issued',
      'ticket.printed',
      'ticket.issued',
      'ticket.print-failed',
      'ticket.printed',
      'ticket.issued',
      'ticket.voided',
    ]);
    for (const e of events) {
      expect(isUuid(e.id) && uuidVersion(e.id)).toBe(7);
      expect(e.kioskId).toBe('kiosk-entrance-1');
    }
    for (const t of [t1, t2, t3]) expect(uuidVersion(t.id)).toBe(7);
    for (const r of await second.db.reserves.toArray()) expect(uuidVersion(r.id)).toBe(7);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });
});

describe('reserves leased from the server', () => {
  it('issues from a leased block and never invents numbers beyond it', async () => {
    device = new KioskDevice('2026-11-25T01:30:00Z');
    const { db, issuer } = device.start();
    await db.reserves.put({ id: '0193a8d2-0000-7000-8000-000000000001', serviceId: company.id, businessDay: '2026-11-25', next: 51, last: 52 });
    expect((await issueOk(issuer, company)).label).toBe('A051');
    expect((await issueOk(issuer, company)).label).toBe('A052');
    const before = await snapshot(db);
    expect(await issuer.issue(company, 'normal')).toEqual({ ok: false, reason: 'reserve-exhausted' });
    expect(await snapshot(db)).toEqual(before);
  });
});

describe('with a hall server', () => {
  const leased = { id: '0193a8d2-0000-7000-8000-0000000000aa', serviceId: company.id, businessDay: '2026-11-25', next: 41, last: 42, leased: true };
  const source = (answers: OnlineNumber[]) => ({ asked: 0, async next() {
    this.asked += 1;
    return answers.shift() ?? { kind: 'unavailable' as const };
  } });

  function synced(answers: OnlineNumber[], offset?: number) {
    device = new KioskDevice('2026-11-25T01:30:00Z');
    const db = device.openDb();
    const numbers = source(answers);
    const issuer = new TicketIssuer({ db, clock: device.clock, kioskId, timeZone: hallZone, numbers, clockOffset: () => offset });
    return { db, issuer, numbers };
  }

  it("takes the server's number, day and label, and stamps the kiosk's clock offset on every event", async () => {
    const { db, issuer } = synced([{ kind: 'number', sequence: 57, label: 'A057', businessDay: '2026-11-25' }], -1234);
    const ticket = await issueOk(issuer, company);
    expect(ticket).toMatchObject({ sequence: 57, label: 'A057', businessDay: '2026-11-25' });
    await issuer.recordPrint(ticket.id, printed);
    expect((await outboxInOrder(db)).map((e) => e.clockOffsetMs)).toEqual([-1234, -1234]);
    expect(await db.reserves.count()).toBe(0);
  });

  it('issues offline from a leased block only: never from a block of its own', async () => {
    const { db, issuer } = synced([]);
    // A reserve this kiosk made while it ran standalone is not the server's: never used.
    await db.reserves.put({ id: '0193a8d2-0000-7000-8000-0000000000bb', serviceId: company.id, businessDay: '2026-11-25', next: 1, last: 200 });
    const before = await snapshot(db);
    expect(await issuer.issue(company, 'normal')).toEqual({ ok: false, reason: 'reserve-exhausted' });
    expect(await snapshot(db)).toEqual(before);

    await db.reserves.put(leased);
    expect((await issueOk(issuer, company)).label).toBe('A041');
    expect((await issueOk(issuer, company)).label).toBe('A042');
    expect(await issuer.issue(company, 'normal')).toEqual({ ok: false, reason: 'reserve-exhausted' });
  });

  it("uses the business day by the server's clock when offline", async () => {
    // 23:59:30 on the kiosk's clock in Shanghai, but the server is a minute ahead: already the 26th.
    const { db, issuer } = synced([], 60_000);
    device.clock.setTo('2026-11-25T15:59:30Z');
    await db.reserves.put({ ...leased, businessDay: '2026-11-26', next: 1, last: 5 });
    expect(await issueOk(issuer, company)).toMatchObject({ businessDay: '2026-11-26', label: 'A001' });
  });

  it('answers quota-reached when the server says the quota is used up, and leaves its leased numbers alone (#13.1)', async () => {
    const { db, issuer } = synced([{ kind: 'quota-reached' }, { kind: 'quota-reached' }]);
    await db.reserves.put({ ...leased, last: 41 });
    // The hall counted its quota's tickets: a leased number (above the quota) would only go past it.
    expect(await issuer.issue(company, 'normal')).toEqual({ ok: false, reason: 'quota-reached' });
    expect(await issuer.issue(company, 'normal')).toEqual({ ok: false, reason: 'quota-reached' });
    expect(await db.tickets.count()).toBe(0);
    expect((await db.reserves.get(leased.id))?.next).toBe(leased.next);
  });

  it('issues offline from a lease whose numbers lie above the quota (the band), any number of them', async () => {
    const { db, issuer } = synced([{ kind: 'unavailable' }, { kind: 'unavailable' }]);
    await db.reserves.put({ ...leased, next: 998, last: 999 });
    expect((await issueOk(issuer, company)).label).toBe('A998');
    expect((await issueOk(issuer, company)).label).toBe('A999');
  });
});
