import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerRequest } from '../../../core/http/central-server-request.ts';
import { serviceAvailability } from '../../../core/calendar/hall-calendar.ts';
import { parseHallRules, type HallRules } from '../../../core/calendar/calendar-rules.ts';
import { availabilityAt, refusalOf } from '../../../renderer/app/hall-now.ts';
import { IssuedTally } from '../../../renderer/db/issued-tally.ts';
import { loadHallRules, noHallRules, onHallRules } from '../../../renderer/sync/hall-rules.ts';
import { HallCalendarStore } from '../../../server/calendar/calendar-store.ts';
import { PrivilegedSide } from '../../main/support/privileged-side.ts';
import { TestHall, TestKioskApp, enrolledClient, hallZone } from '../support/sync-fixture.ts';
import { demoCatalog, demoHallRules } from '../../support/demo-hall.ts';

const company = demoCatalog.services.find((s) => s.id === 'biz-registration')!;

/** The hall office's calendar: business registration limited to 2 a day, and a city holiday. */
function hallCalendar(): HallRules {
  const rules = structuredClone(demoHallRules);
  rules.services = rules.services.map((s) => (s.serviceId === 'biz-registration' ? { ...s, quota: { perDay: 2 } } : s));
  rules.calendar.holidays.push({ name: { zh: '城市节', en: 'City day' }, from: '2026-06-11', to: '2026-06-11' });
  return rules;
}

let hall: TestHall;
let app: TestKioskApp | null = null;

beforeEach(async () => {
  hall = new TestHall();
  await hall.start();
  // A summer Wednesday, 10:00 in Shanghai.
  hall.clock.setTo(Date.parse('2026-06-10T02:00:00Z'));
});
afterEach(async () => {
  await app?.engine.stop();
  app?.close();
  app = null;
  await hall.dispose();
});

describe('the hall calendar on the kiosk', () => {
  it("has no calendar until the privileged side pulls one: the server's rules (revision 0) before the hall saved its own, then the hall's, kept offline across a restart", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hall-rules-kept-'));
    try {
      const first = await new PrivilegedSide('kiosk-a', { dataDir }).start(hall);
      // Nothing bundled stands in: every service is closed until the kiosk has a calendar.
      expect(await loadHallRules(first.kiosk)).toEqual({ rules: noHallRules, source: 'none' });
      expect(serviceAvailability(noHallRules, 'biz-registration', hall.clock.now(), hallZone)).toMatchObject({ open: false, nextOpening: null });

      // Before the hall saved a calendar, the first pull brings the rules the server judges by.
      await first.pull();
      expect(await loadHallRules(first.kiosk)).toEqual({ rules: demoHallRules, source: 'pulled' });

      await hall.look(hall.dbFile, (db) => new HallCalendarStore(db).save(hallCalendar(), hall.clock, 'test'));
      const arrived: HallRules[] = [];
      onHallRules(first.kiosk, (rules) => arrived.push(rules));
      await first.pull();
      expect(arrived.map((r) => r.revision)).toEqual([1]);
      await first.pull();
      expect(arrived).toHaveLength(1);
      await first.stop();

      // The server goes away and the kiosk restarts: the pulled calendar is still the one used.
      await hall.stop();
      const again = await new PrivilegedSide('kiosk-a', { dataDir, client: first.enrolled }).start(hall);
      try {
        expect(await again.sync.pullNow()).toBe(false);
        const loaded = await loadHallRules(again.kiosk);
        expect(loaded.source).toBe('pulled');
        expect(loaded.rules).toEqual({ ...hallCalendar(), revision: 1 });
        const cityDay = serviceAvailability(loaded.rules, 'biz-registration', Date.parse('2026-06-11T02:00:00Z'), hallZone);
        expect(cityDay).toMatchObject({ open: false, reason: 'holiday', holiday: { zh: '城市节' } });
      } finally {
        await again.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('does not trust a kept calendar that no longer validates', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hall-rules-kept-'));
    try {
      writeFileSync(join(dataDir, 'hall-rules.json'), JSON.stringify({ ...hallCalendar(), hallTimetableId: 'nowhere' }));
      const side = await new PrivilegedSide('kiosk-a', { dataDir }).start(hall);
      try {
        expect(await loadHallRules(side.kiosk)).toEqual({ rules: noHallRules, source: 'none' });
      } finally {
        await side.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a kiosk with no hall server decides by its calendar file; one with a server never does', async () => {
    const side = await new PrivilegedSide('kiosk-a').start(hall);
    try {
      const file = hallCalendar();
      expect(await loadHallRules(side.kiosk, { local: file, synced: false })).toEqual({ rules: file, source: 'local' });
      expect(await loadHallRules(side.kiosk, { local: file, synced: true })).toEqual({ rules: noHallRules, source: 'none' });
      expect(await loadHallRules(side.kiosk, { local: null, synced: false })).toEqual({ rules: noHallRules, source: 'none' });
    } finally {
      await side.stop();
    }
  });

  it('the stand-in for no calendar is a valid calendar that opens nothing', () => {
    expect(parseHallRules(noHallRules)).toEqual({ ok: true, rules: noHallRules });
  });

  it('counts the day\'s tickets per service, for the day asked', async () => {
    const client = await enrolledClient(hall, 'kiosk-a');
    app = await new TestKioskApp('kiosk-a', hall.clock, (r: ServerRequest) => client.request(r), () => client.status()).start();
    const tally = new IssuedTally(app.db);
    await tally.refresh('2026-06-10');
    expect(tally.of('biz-registration', '2026-06-10')).toEqual({ issuedAt: [], highestSequence: 0, sequences: [], hallIssued: null });

    for (let i = 0; i < 2; i++) {
      const issued = await app.issuer.issue(company, 'normal');
      if (!issued.ok) throw new Error(issued.reason);
    }
    await tally.refresh('2026-06-10');
    const seen = tally.of('biz-registration', '2026-06-10');
    expect(seen.issuedAt).toHaveLength(2);
    expect(seen.highestSequence).toBe(2);
    // Against the calendar's quota of 2, this kiosk alone has used it up.
    expect(serviceAvailability(hallCalendar(), 'biz-registration', hall.clock.now(), hallZone, { day: seen.issuedAt.length })).toMatchObject({ open: false, reason: 'quota-reached-day' });

    await tally.refresh('2026-06-11');
    expect(tally.of('biz-registration', '2026-06-10').issuedAt).toHaveLength(0);
  });

  it("shows the server's calendar refusal as its own: another kiosk filled the session, and no leased number gets round it", async () => {
    const rules = hallCalendar();
    rules.services = rules.services.map((s) => (s.serviceId === 'fund-loan' ? { ...s, quota: { perDay: 60, perSession: { morning: 1, afternoon: 30 } } } : s));
    await hall.look(hall.dbFile, (db) => new HallCalendarStore(db).save(rules, hall.clock, 'test'));
    const client = await enrolledClient(hall, 'kiosk-a');
    app = await new TestKioskApp('kiosk-a', hall.clock, (r: ServerRequest) => client.request(r), () => client.status()).start();
    await app.engine.runRound();
    const loan = demoCatalog.services.find((s) => s.id === 'fund-loan')!;
    const leasedBefore = (await app.db.reserves.toArray()).filter((r) => r.serviceId === 'fund-loan');
    expect(leasedBefore.length).toBeGreaterThan(0);

    // Another kiosk takes the morning's only fund-loan number.
    const other = await enrolledClient(hall, 'kiosk-b');
    const taken = await other.request({ method: 'POST', path: '/api/v1/numbers/next', body: { serviceId: 'fund-loan', priority: 'normal' } });
    expect(taken.status).toBe(200);

    const refused = await app.issuer.issue(loan, 'normal');
    // The summer afternoon opens at 14:00 in Shanghai.
    expect(refused).toEqual({ ok: false, reason: 'closed', closed: { open: false, reason: 'quota-reached-session', nextOpening: Date.parse('2026-06-10T06:00:00Z') } });
    expect((await app.db.reserves.toArray()).filter((r) => r.serviceId === 'fund-loan')).toEqual(leasedBefore);
    expect(await app.db.tickets.count()).toBe(0);
  });
});

/** Beijing wall time on the test's summer Wednesday (or another day), as the kiosk's corrected clock reads it. */
const bj = (wall: string): number => Date.parse(`${wall.replace(' ', 'T')}:00+08:00`);

describe("the service list after the hall server's refusal", () => {
  const loan = demoCatalog.services.find((s) => s.id === 'fund-loan')!;
  const soleTrader = demoCatalog.services.find((s) => s.id === 'sole-trader')!;
  /** Housing-fund loans: one number a morning, across every kiosk of the hall. */
  function oneLoanAMorning(): HallRules {
    const rules = hallCalendar();
    rules.services = rules.services.map((s) => (s.serviceId === 'fund-loan' ? { ...s, quota: { perDay: 60, perSession: { morning: 1, afternoon: 30 } } } : s));
    return rules;
  }

  it('another kiosk filled the session: full (额满) for the session, other services as they were, open again at the afternoon by itself', async () => {
    const rules = oneLoanAMorning();
    await hall.look(hall.dbFile, (db) => new HallCalendarStore(db).save(rules, hall.clock, 'test'));
    const client = await enrolledClient(hall, 'kiosk-a');
    app = await new TestKioskApp('kiosk-a', hall.clock, (r: ServerRequest) => client.request(r), () => client.status()).start();
    const other = await enrolledClient(hall, 'kiosk-b');
    expect((await other.request({ method: 'POST', path: '/api/v1/numbers/next', body: { serviceId: 'fund-loan', priority: 'normal' } })).status).toBe(200);

    const tally = new IssuedTally(app.db);
    await tally.refresh('2026-06-10');
    const at = (now: number) => (service: typeof loan) => availabilityAt({ rules, tally, now, today: '2026-06-10', timeZone: hallZone }, service);
    // By this kiosk's own tickets (none) the morning is open.
    expect(at(bj('2026-06-10 10:00'))(loan)).toMatchObject({ open: true, sessionId: 'morning', remaining: 1 });

    const refused = await app.issuer.issue(loan, 'normal');
    if (refused.ok || refused.reason !== 'closed') throw new Error(`expected the calendar's refusal, got ${JSON.stringify(refused)}`);
    // What the app does with every issue's result.
    tally.noteRefused(loan.id, '2026-06-10', refusalOf(refused, rules, loan.id, bj('2026-06-10 10:00'), hallZone)!);
    await tally.refresh('2026-06-10');

    // Exactly what the citizen was told, for the next citizen too, with no ticket of this kiosk's.
    expect(at(bj('2026-06-10 10:00'))(loan)).toEqual(refused.closed);
    expect(at(bj('2026-06-10 13:59'))(loan)).toEqual({ open: false, reason: 'quota-reached-session', nextOpening: bj('2026-06-10 14:00') });
    expect(at(bj('2026-06-10 10:00'))(soleTrader)).toMatchObject({ open: true, sessionId: 'morning' });
    // At the opening the server named, the calendar decides again: the afternoon's 30.
    expect(at(bj('2026-06-10 14:00'))(loan)).toEqual({ open: true, sessionId: 'afternoon', issueUntil: expect.any(Number), remaining: 30 });
  });

  it("the server's 限号 answer, after other kiosks took the day's numbers: full until the next opening day (past the city holiday)", async () => {
    const rules = hallCalendar(); // business registration: two a day
    await hall.look(hall.dbFile, (db) => new HallCalendarStore(db).save(rules, hall.clock, 'test'));
    const other = await enrolledClient(hall, 'kiosk-b');
    for (let i = 0; i < 2; i++) {
      expect((await other.request({ method: 'POST', path: '/api/v1/numbers/next', body: { serviceId: company.id, priority: 'normal' } })).status).toBe(200);
    }
    const client = await enrolledClient(hall, 'kiosk-a');
    app = await new TestKioskApp('kiosk-a', hall.clock, (r: ServerRequest) => client.request(r), () => client.status()).start();
    const tally = new IssuedTally(app.db);
    await tally.refresh('2026-06-10');

    const refused = await app.issuer.issue(company, 'normal');
    expect(refused).toEqual({ ok: false, reason: 'quota-reached' });
    const refusal = refusalOf(refused, rules, company.id, bj('2026-06-10 10:00'), hallZone);
    // Thursday the 11th is the city's holiday: numbers return on Friday.
    expect(refusal).toEqual({ open: false, reason: 'quota-reached-day', nextOpening: bj('2026-06-12 09:00') });
    tally.noteRefused(company.id, '2026-06-10', refusal!);
    expect(availabilityAt({ rules, tally, now: bj('2026-06-10 15:00'), today: '2026-06-10', timeZone: hallZone }, company)).toEqual(refusal);
    // Offline with no leased number left is no word from the server: nothing to hold for others.
    expect(refusalOf({ ok: false, reason: 'reserve-exhausted' }, rules, company.id, bj('2026-06-10 10:00'), hallZone)).toBeNull();
  });

  it("a 限号 refusal holds until the service's next day, one with no time named for the rest of its day, and a new day forgets both", async () => {
    const rules = hallCalendar();
    const client = await enrolledClient(hall, 'kiosk-a');
    app = await new TestKioskApp('kiosk-a', hall.clock, (r: ServerRequest) => client.request(r), () => client.status()).start();
    const tally = new IssuedTally(app.db);
    await tally.refresh('2026-06-12');
    // Friday 15:00: the hall server's counter is at the catalog's 限号.
    tally.noteRefused(soleTrader.id, '2026-06-12', refusalOf({ ok: false, reason: 'quota-reached' }, rules, soleTrader.id, bj('2026-06-12 15:00'), hallZone)!);
    const friday = (now: number) => (service: typeof loan) => availabilityAt({ rules, tally, now, today: '2026-06-12', timeZone: hallZone }, service);
    expect(friday(bj('2026-06-12 15:00'))(soleTrader)).toEqual({ open: false, reason: 'quota-reached-day', nextOpening: bj('2026-06-15 09:00') });
    expect(friday(bj('2026-06-12 17:59'))(soleTrader)).toMatchObject({ open: false, reason: 'quota-reached-day' });
    expect(friday(bj('2026-06-12 15:00'))(loan)).toMatchObject({ open: true });

    // A refusal that named no opening stands for the rest of its business day only.
    tally.noteRefused(loan.id, '2026-06-12', { open: false, reason: 'quota-reached-session', nextOpening: null });
    expect(friday(bj('2026-06-12 17:00'))(loan)).toEqual({ open: false, reason: 'quota-reached-session', nextOpening: null });
    await tally.refresh('2026-06-15');
    const monday = (service: typeof loan) => availabilityAt({ rules, tally, now: bj('2026-06-15 09:00'), today: '2026-06-15', timeZone: hallZone }, service);
    expect(monday(soleTrader)).toMatchObject({ open: true, sessionId: 'morning' });
    expect(monday(loan)).toMatchObject({ open: true, sessionId: 'morning' });
    // Refreshed back to Friday, the Friday refusals are gone: a new day forgot them.
    await tally.refresh('2026-06-12');
    expect(friday(bj('2026-06-12 16:00'))(loan)).toMatchObject({ open: true });
  });
});
