import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerRequest } from '../../core/central-server-request.ts';
import { demoCatalog } from '../../core/demo-catalog.ts';
import { demoHallRules } from '../../core/hall-calendar-demo.ts';
import { serviceAvailability } from '../../core/hall-calendar.ts';
import type { HallRules } from '../../core/hall-calendar-rules.ts';
import { IssuedTally } from '../../renderer/db/issued-tally.ts';
import { loadHallRules } from '../../renderer/sync/hall-rules.ts';
import { writeSyncMeta } from '../../renderer/sync/sync-meta.ts';
import { HallCalendarStore } from '../../server/hall-calendar-store.ts';
import { TestHall, TestKioskApp, enrolledClient, hallZone } from './sync-fixture.ts';

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
  it('uses the bundled rules until a pull brings the hall\'s, then keeps those offline across a restart', async () => {
    const client = await enrolledClient(hall, 'kiosk-a');
    app = await new TestKioskApp('kiosk-a', hall.clock, (r: ServerRequest) => client.request(r), () => client.status()).start();
    expect(await loadHallRules(app.db)).toEqual({ rules: demoHallRules, source: 'bundled' });

    // A pull before the hall saved a calendar changes nothing.
    await app.engine.runRound();
    expect((await loadHallRules(app.db)).source).toBe('bundled');

    await hall.look(hall.dbFile, (db) => new HallCalendarStore(db).save(hallCalendar(), hall.clock, 'test'));
    const arrived: HallRules[] = [];
    app.engine.onHallRules((rules) => arrived.push(rules));
    await app.engine.runRound();
    expect(app.engine.status.get().lastError).toBeNull();
    expect(arrived.map((r) => r.revision)).toEqual([1]);
    await app.engine.runRound();
    expect(arrived).toHaveLength(1);

    // The server goes away and the kiosk restarts: the pulled calendar is still the one used.
    await hall.stop();
    await app.engine.stop();
    await app.start(async () => {
      throw new Error('offline');
    });
    const loaded = await loadHallRules(app.db);
    expect(loaded.source).toBe('pulled');
    expect(loaded.rules).toEqual({ ...hallCalendar(), revision: 1 });
    const cityDay = serviceAvailability(loaded.rules, 'biz-registration', Date.parse('2026-06-11T02:00:00Z'), hallZone);
    expect(cityDay).toMatchObject({ open: false, reason: 'holiday', holiday: { zh: '城市节' } });
  });

  it('does not trust a cached calendar that no longer validates', async () => {
    const client = await enrolledClient(hall, 'kiosk-a');
    app = await new TestKioskApp('kiosk-a', hall.clock, (r: ServerRequest) => client.request(r), () => client.status()).start();
    const broken = { ...hallCalendar(), hallTimetableId: 'nowhere' };
    await writeSyncMeta(app.db, 'hall.rules', broken);
    expect(await loadHallRules(app.db)).toEqual({ rules: demoHallRules, source: 'bundled' });
  });

  it('counts the day\'s tickets per service, and remembers the server\'s 限号 refusal', async () => {
    const client = await enrolledClient(hall, 'kiosk-a');
    app = await new TestKioskApp('kiosk-a', hall.clock, (r: ServerRequest) => client.request(r), () => client.status()).start();
    const tally = new IssuedTally(app.db);
    await tally.refresh('2026-06-10');
    expect(tally.of('biz-registration', '2026-06-10')).toEqual({ issuedAt: [], highestSequence: 0, refused: false });

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

    tally.noteRefused('sole-trader', '2026-06-10');
    expect(tally.of('sole-trader', '2026-06-10').refused).toBe(true);
    // A refusal is for its day only.
    await tally.refresh('2026-06-11');
    expect(tally.of('sole-trader', '2026-06-11').refused).toBe(false);
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
