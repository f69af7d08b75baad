import { expect, it } from 'vitest';
import type { HallRules } from '../../../core/calendar/calendar-rules.ts';
import type { KyselyPlugin } from 'kysely';
import { CatalogStore } from '../../../server/catalog/catalog-store.ts';
import { HallCalendarStore } from '../../../server/calendar/calendar-store.ts';
import { readNumberingState } from '../../../server/numbering/issue-rules.ts';
import { describeEngines } from '../support/engines.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { api } from '../support/http.ts';
import { demoCatalog, demoHallRules } from '../../support/demo-hall.ts';

// The test clock starts on Monday 2026-03-02 at 09:00 in Shanghai (winter hours: morning
// 09:00–12:00 issuing until 11:30, afternoon 13:30–17:00 issuing until 16:30).
const at = (hhmm: string, day = '2026-03-02') => Date.parse(`${day}T${hhmm}:00+08:00`);

/** The demo calendar with fund-loan limited to `morning` numbers a morning, and a holiday on Tuesday. */
function rulesWith(morning: number): HallRules {
  const rules = structuredClone(demoHallRules);
  rules.services = rules.services.map((s) => (s.serviceId === 'fund-loan' ? { ...s, quota: { perDay: 60, perSession: { morning, afternoon: 30 } } } : s));
  rules.calendar.holidays.push({ name: { zh: '城市节', en: 'City day' }, from: '2026-03-03', to: '2026-03-03' });
  return rules;
}

describeEngines('the server enforces the hall calendar on numbers and leases', (engine) => {
  const hall = useHallServer(engine, { kiosk: { name: 'east 1', trueTime: 'hall' } });

  const save = async (rules: HallRules) => {
    const admin = await hall.adminToken();
    const saved = await api(hall.server.url, 'PUT', '/api/v1/admin/hall-calendar', { token: admin, body: rules });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  };

  it('refuses the session quota (限号) once used up, with when it opens again, and issues again in the next session', async () => {
    await save(rulesWith(2));
    expect((await hall.kiosk.next('fund-loan')).body).toMatchObject({ sequence: 1 });
    expect((await hall.kiosk.next('fund-loan')).body).toMatchObject({ sequence: 2 });
    const refused = await hall.kiosk.next('fund-loan');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'session-quota-reached', reason: 'quota-reached-session', nextOpening: at('13:30') });
    // Other services, and the day's counter, are untouched by the refusal.
    expect((await hall.kiosk.next('sole-trader')).body).toMatchObject({ sequence: 1 });
    hall.server.clock.setTo(at('13:35'));
    expect((await hall.kiosk.next('fund-loan')).body).toMatchObject({ sequence: 3 });
  });

  it('accepts offline tickets pushed later and counts them toward the session quota', async () => {
    await save(rulesWith(3));
    const lease = await hall.kiosk.lease('fund-loan', '2026-03-02', 2);
    // From the band above the quota (fund-loan's is 60): the lease took none of it.
    expect(lease.body.lease).toMatchObject({ first: 998, last: 999 });
    // Issued offline from the lease.
    for (const sequence of [998, 999]) hall.kiosk.issue({ serviceId: 'fund-loan', prefix: 'G', departmentId: 'housing-fund', sequence, issuedAt: at('09:05') });
    const pushed = await hall.kiosk.push();
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
    expect(pushed.body.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied']);
    expect((await hall.kiosk.next('fund-loan')).body).toMatchObject({ sequence: 1 });
    expect((await hall.kiosk.next('fund-loan')).body.error).toMatchObject({ code: 'session-quota-reached' });
    // Pushed again when the session is full: still accepted, nothing lost.
    hall.kiosk.issue({ serviceId: 'fund-loan', prefix: 'G', departmentId: 'housing-fund', sequence: 997, issuedAt: at('09:10') });
    expect((await hall.kiosk.push(hall.kiosk.outbox.slice(2))).body.results).toEqual([expect.objectContaining({ status: 'applied' })]);
  });

  it('refuses numbers outside the issue window and leases for a day with nothing left to issue', async () => {
    await save(rulesWith(30));
    hall.server.clock.setTo(at('11:40'));
    const lunch = await hall.kiosk.next('biz-registration');
    expect(lunch.body.error).toMatchObject({ code: 'outside-issue-window', reason: 'issue-window-closed', nextOpening: at('13:30') });
    // The afternoon is still to come: a lease for today is granted.
    expect((await hall.kiosk.lease('biz-registration', '2026-03-02', 5)).status).toBe(200);
    // A 24-hour service keeps issuing.
    expect((await hall.kiosk.next('ss-card')).status).toBe(200);

    hall.server.clock.setTo(at('16:45'));
    const late = await hall.kiosk.next('biz-registration');
    expect(late.body.error).toMatchObject({ code: 'outside-issue-window', reason: 'issue-window-closed' });
    // Tomorrow is the City day holiday: next opening Wednesday.
    expect(late.body.error.nextOpening).toBe(at('09:00', '2026-03-04'));
    expect((await hall.kiosk.lease('sole-trader', '2026-03-02', 5)).body.error).toMatchObject({ code: 'outside-issue-window', reason: 'issue-window-closed' });
    const holiday = await hall.kiosk.lease('sole-trader', '2026-03-03', 5);
    expect(holiday.body.error).toMatchObject({ code: 'service-closed', reason: 'holiday', holiday: { zh: '城市节', en: 'City day' } });
    expect((await hall.kiosk.lease('sole-trader', '2026-03-07', 5)).body.error).toMatchObject({ code: 'service-closed', reason: 'weekend' });
    expect((await hall.kiosk.lease('sole-trader', '2026-03-04', 5)).status).toBe(200);
  });

  it('checks only the catalog quota until a calendar is saved, and sees a save by another server process at once', async () => {
    hall.server.clock.setTo(at('23:00'));
    expect((await hall.kiosk.next('biz-registration')).body).toMatchObject({ sequence: 1 });
    // Another process on the same database saves: this server's cached calendar must not hide it.
    await new HallCalendarStore(hall.server.db.db).save(rulesWith(30), hall.server.clock, 'another server');
    expect((await hall.kiosk.next('biz-registration')).body.error).toMatchObject({ code: 'outside-issue-window', reason: 'after-hours', nextOpening: at('09:00', '2026-03-04') });
  });

  it('costs numbering no round trip for the calendar or the catalog: one query per number, each re-read only when its head moved', async () => {
    let queries = 0;
    // Counted on results: a subquery is transformed with its query but executes with it.
    const counting: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        queries++;
        return args.result;
      },
    };
    const db = hall.server.db.db.withPlugin(counting);
    const store = new HallCalendarStore(db);
    const count = async (read: () => Promise<unknown>) => {
      queries = 0;
      await read();
      return queries;
    };
    const catalogs = new CatalogStore(db);
    const numbering = () => readNumberingState(db, store, catalogs);
    expect(await count(numbering)).toBe(2); // the published catalog, parsed once
    expect(await count(numbering)).toBe(1); // no calendar yet
    await new HallCalendarStore(hall.server.db.db).save(rulesWith(2), hall.server.clock, 'another server');
    expect(await count(numbering)).toBe(2); // the new head: its rules read once
    expect(await count(numbering)).toBe(1);
    expect((await numbering()).rules?.revision).toBe(1);
    // Saved through this store: already known, nothing re-read.
    await store.save(rulesWith(3), hall.server.clock, 'this server');
    expect(await count(numbering)).toBe(1);
    expect((await numbering()).rules?.revision).toBe(2);
    // The catalog the same way: another process imports one, the next number sees it.
    const before = (await numbering()).catalog?.version;
    await new CatalogStore(hall.server.db.db).import({ ...demoCatalog, version: before! + 1, services: demoCatalog.services.slice(1) }, hall.server.clock);
    expect(await count(numbering)).toBe(2);
    expect(await count(numbering)).toBe(1);
    const after = (await numbering()).catalog;
    expect(after?.version).toBe(before! + 1);
    expect(after?.catalog.services.map((s) => s.id)).toEqual(demoCatalog.services.slice(1).map((s) => s.id));
  });
});
