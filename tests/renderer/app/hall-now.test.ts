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
