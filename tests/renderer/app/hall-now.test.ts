import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import type { HallRules } from '../../../core/calendar/calendar-rules.ts';
import { epochAtWallTime } from '../../../core/calendar/wall-clock.ts';
import type { Ticket } from '../../../core/ticket/ticket.ts';
import { availabilityAt } from '../../../renderer/app/hall-now.ts';
import { HallKioskDb } from '../../../renderer/db/hall-kiosk-db.ts';
import { IssuedTally } from '../../../renderer/db/issued-tally.ts';
import { demoService, hallZone, kioskId } from '../support/issuer-fixture.ts';
import { demoHallRules } from '../../support/demo-hall.ts';

const company = demoService('biz-registration'); // catalog quota 200
const day = '2026-06-10'; // a summer Wednesday
const tenAm = epochAtWallTime(day, '10:00', hallZone);
const withPerDay = (perDay: number): HallRules => ({
  ...demoHallRules,
  services: demoHallRules.services.map((s) => (s.serviceId === company.id ? { ...s, quota: { perDay } } : s)),
});

let db: HallKioskDb | null = null;
afterEach(() => db?.close());

describe("availability: the day's 限号 the kiosk offers by", () => {
  it("is the calendar's when tighter than the catalog's, as the hall server counts it: number 40 seen means full at 40", async () => {
    db = new HallKioskDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    // This kiosk's one ticket today is number 40: other kiosks took the 39 before it.
    const ticket: Ticket = { id: 't-40', kioskId, serviceId: company.id, departmentId: company.departmentId, businessDay: day, sequence: 40, label: 'A040', priority: 'normal', issuedAt: tenAm, state: 'issued', printAttempts: 1 };
    await db.tickets.add(ticket);
    const tally = new IssuedTally(db);
    await tally.refresh(day);
    const at = (rules: HallRules) => availabilityAt({ rules, tally, now: tenAm + 60_000, today: day, timeZone: hallZone }, company);
    expect(at(withPerDay(40))).toMatchObject({ open: false, reason: 'quota-reached-day' });
    expect(at(withPerDay(41))).toMatchObject({ open: true });
  });
});

describe('余N号: the hall server\'s count of every kiosk\'s tickets (#13.1)', () => {
  const ticketNumbered = (sequence: number): Ticket => ({
    id: `t-${sequence}`, kioskId, serviceId: company.id, departmentId: company.departmentId, businessDay: day, sequence, label: `A${sequence}`, priority: 'normal', issuedAt: tenAm, state: 'issued', printAttempts: 1,
  });

  it('shows what the hall has left, not what this kiosk alone issued, and follows each pull at once', async () => {
    db = new HallKioskDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    await db.tickets.add(ticketNumbered(3));
    const tally = new IssuedTally(db);
    await tally.refresh(day);
    let heard = 0;
    tally.onChange(() => heard++);
    const at = () => availabilityAt({ rules: withPerDay(80), tally, now: tenAm + 60_000, today: day, timeZone: hallZone }, company);
    // Before the hall's count: this kiosk's own one ticket.
    expect(at()).toMatchObject({ open: true, remaining: 79 });
    tally.noteHallCounts(day, [{ serviceId: company.id, issued: 57, quota: 80 }]);
    expect(heard).toBe(1);
    expect(at()).toMatchObject({ open: true, remaining: 23 });
    tally.noteHallCounts(day, [{ serviceId: company.id, issued: 80, quota: 80 }]);
    expect(at()).toMatchObject({ open: false, reason: 'quota-reached-day' });
    // Another day's count says nothing of today.
    tally.noteHallCounts('2026-06-11', [{ serviceId: company.id, issued: 80, quota: 80 }]);
    expect(at()).toMatchObject({ open: true, remaining: 79 });
  });

  it('counts the quota the catalog sets when the calendar sets none, and a leased number (above the quota) fills nothing', async () => {
    db = new HallKioskDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    // Issued offline from this kiosk's lease, from the band above the catalog's quota of 200.
    await db.tickets.add(ticketNumbered(999));
    const tally = new IssuedTally(db);
    await tally.refresh(day);
    const noPerDay: HallRules = { ...demoHallRules, services: demoHallRules.services.map((s) => (s.serviceId === company.id ? { ...s, quota: {} } : s)) };
    const at = () => availabilityAt({ rules: noPerDay, tally, now: tenAm + 60_000, today: day, timeZone: hallZone }, company);
    expect(at()).toMatchObject({ open: true });
    tally.noteHallCounts(day, [{ serviceId: company.id, issued: 150, quota: 200 }]);
    expect(at()).toMatchObject({ open: true, remaining: 50 });
  });

  it('keeps the last count of the day across a reload (it is stored with the pull)', async () => {
    db = new HallKioskDb({ indexedDB: new IDBFactory(), IDBKeyRange });
    await db.meta.put({ key: 'hall.dayCounts', value: { businessDay: day, counts: [{ serviceId: company.id, issued: 70, quota: 80 }] } });
    const tally = new IssuedTally(db);
    await tally.refresh(day);
    expect(availabilityAt({ rules: withPerDay(80), tally, now: tenAm + 60_000, today: day, timeZone: hallZone }, company)).toMatchObject({ open: true, remaining: 10 });
  });
});
