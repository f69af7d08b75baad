import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hallRulesSchema, type HallRules } from '../../../core/calendar/calendar-rules.ts';
import { pullResponseSchema } from '../../../core/sync/pull.ts';
import { HallCalendarStore } from '../../../server/calendar/calendar-store.ts';
import { describeEngines } from '../support/engines.ts';
import type { TestDatabase } from '../support/engines.ts';
import { api } from '../support/http.ts';
import type { TestKiosk } from '../support/kiosk.ts';
import { inspect } from '../support/servers.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { runServerCli } from '../support/server-cli.ts';
import { demoHallRules } from '../../support/demo-hall.ts';

/** The demo calendar as a hall office would edit it: ss-card down to 50 a day, and a new holiday. */
function editedRules(): HallRules {
  const rules = structuredClone(demoHallRules);
  rules.services = rules.services.map((s) => (s.serviceId === 'ss-card' ? { ...s, quota: { perDay: 50 } } : s));
  rules.calendar.holidays.push({ name: { zh: '城市节', en: 'City day' }, from: '2026-12-15', to: '2026-12-15' });
  return rules;
}

const pull = async (kiosk: TestKiosk) => pullResponseSchema.parse((await kiosk.pull()).body);

const cli = (db: TestDatabase, args: string[]) => runServerCli(args, { db });

describeEngines('hall calendar: stored, edited by admins, pulled by kiosks', (engine) => {
  const hall = useHallServer(engine);
  let admin: string;
  beforeEach(async () => {
    admin = await hall.adminToken();
  });

  it('sends the rules it judges by until a calendar is saved (revision 0, in a full answer only), then the saved revision once, then its edits', async () => {
    const kiosk = await hall.enrolKiosk('east 1');
    // A kiosk has no calendar of its own: its first answer carries the server's.
    expect((await pull(kiosk)).hallRules).toEqual(demoHallRules);
    expect((await pull(kiosk)).hallRules).toBeNull();
    const shown = await api(hall.server.url, 'GET', '/api/v1/admin/hall-calendar', { token: admin });
    expect(shown.body).toMatchObject({ revision: 0, rules: JSON.parse(JSON.stringify(demoHallRules)) });

    // The file's own revision is the server's to set.
    const saved = await api(hall.server.url, 'PUT', '/api/v1/admin/hall-calendar', { token: admin, body: { ...editedRules(), revision: 99 } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ revision: 1 });
    const first = await pull(kiosk);
    expect(first.hallRules).toEqual({ ...editedRules(), revision: 1 });
    expect((await pull(kiosk)).hallRules).toBeNull();

    const again = structuredClone(editedRules());
    again.calendar.holidays.pop();
    expect((await api(hall.server.url, 'PUT', '/api/v1/admin/hall-calendar', { token: admin, body: again })).body).toMatchObject({ revision: 2 });
    expect((await pull(kiosk)).hallRules).toEqual({ ...again, revision: 2 });
    expect((await pull(kiosk)).hallRules).toBeNull();

    // A kiosk enrolled later gets the latest in its first (full) answer.
    const late = await hall.enrolKiosk('east 2');
    expect((await pull(late)).hallRules?.revision).toBe(2);
    expect((await api(hall.server.url, 'GET', '/api/v1/admin/hall-calendar', { token: admin })).body).toMatchObject({ revision: 2, rules: { revision: 2 } });
  });

  it('refuses a broken calendar as a whole, naming every problem, and keeps the previous one', async () => {
    await api(hall.server.url, 'PUT', '/api/v1/admin/hall-calendar', { token: admin, body: editedRules() });
    const broken = structuredClone(editedRules()) as unknown as { timetables: { seasons: Record<string, { start: string }[]> }[]; services: { counterGroupId?: string }[] };
    broken.timetables[0]!.seasons.summer![0]!.start = '25:00';
    broken.services[0]!.counterGroupId = 'nowhere';
    const refused = await api(hall.server.url, 'PUT', '/api/v1/admin/hall-calendar', { token: admin, body: broken });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('invalid-body');
    expect(refused.body.error.issues).toEqual(
      expect.arrayContaining([expect.stringMatching(/^timetables\.0\.seasons\.summer\.0\.start: time must be HH:MM/), 'services.0.counterGroupId: unknown counter group nowhere']),
    );
    expect((await api(hall.server.url, 'PUT', '/api/v1/admin/hall-calendar', { token: admin, body: [] })).status).toBe(400);
    expect((await api(hall.server.url, 'PUT', '/api/v1/admin/hall-calendar', { body: editedRules() })).status).toBe(401);
    const rows = await inspect(hall.db, (d) => d.selectFrom('hall_calendar').select('revision').execute());
    expect(rows.map((r) => r.revision)).toEqual([1]);
  });

  it('numbers the day under the tighter of the catalog quota and the calendar quota (限号)', async () => {
    const kiosk = await hall.enrolKiosk('east 1');
    const rules = editedRules();
    rules.services = rules.services.map((s) => (s.serviceId === 'biz-registration' ? { ...s, quota: { perDay: 3 } } : s));
    await api(hall.server.url, 'PUT', '/api/v1/admin/hall-calendar', { token: admin, body: rules });
    const first = await kiosk.next('biz-registration');
    expect(first.body).toMatchObject({ sequence: 1, dailyQuota: 3 });
    const lease = await kiosk.lease('biz-registration', first.body.businessDay, 10);
    // The offline reserve comes from the band above the quota (docs/numbering.md): it takes no number from online issue.
    expect(lease.body.lease).toMatchObject({ first: 990, last: 999 });
    expect((await kiosk.next('biz-registration')).body).toMatchObject({ sequence: 2 });
    expect((await kiosk.next('biz-registration')).body).toMatchObject({ sequence: 3 });
    const refused = await kiosk.next('biz-registration');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'quota-reached', message: expect.stringContaining('all 3 numbers') });
    // A service the calendar does not limit keeps the catalog's quota.
    expect((await kiosk.next('sole-trader')).body).toMatchObject({ sequence: 1, dailyQuota: 150 });
  });

  it('two saves at once: one wins each revision, none is overwritten', async () => {
    const store = new HallCalendarStore(hall.server.db.db);
    const results = await Promise.allSettled([store.save(editedRules(), hall.server.clock, 'a'), store.save(demoHallRules, hall.server.clock, 'b')]);
    const revisions = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.revision] : []));
    for (const r of results) if (r.status === 'rejected') expect(String(r.reason)).toContain('try again');
    expect(new Set(revisions).size).toBe(revisions.length);
    const rows = await inspect(hall.db, (d) => d.selectFrom('hall_calendar').select('revision').orderBy('revision').execute());
    expect(rows.map((r) => r.revision)).toEqual(revisions.sort());
  });

  it('a server restored to before a calendar edit starts a new epoch, and the kiosk gets the calendar it now has', async () => {
    const kiosk = await hall.enrolKiosk('east 1');
    await api(hall.server.url, 'PUT', '/api/v1/admin/hall-calendar', { token: admin, body: editedRules() });
    await hall.stop();
    const backup = await engine.snapshot(hall.db);
    await hall.restart();
    await api(hall.server.url, 'PUT', '/api/v1/admin/hall-calendar', { token: admin, body: demoHallRules });
    expect((await pull(kiosk)).hallRules?.revision).toBe(2);

    await hall.restart({ db: backup });
    const after = await pull(kiosk);
    expect(after.reset).toBe(true);
    expect(after.hallRules).toEqual({ ...editedRules(), revision: 1 });
  });
});

// The store is the same on both engines (above); spawning the CLI costs seconds, so it runs on SQLite.
describe('hall calendar CLI', () => {
  let dir: string;
  const engine = {
    name: 'sqlite',
    fresh: async (): Promise<TestDatabase> => {
      const file = join(dir, 'hall.sqlite');
      return { target: { sqliteFile: file }, dbArg: file };
    },
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hall-calendar-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a file all or nothing and exports what kiosks pull', async () => {
    const db = await engine.fresh();
    const good = join(dir, `good-${engine.name}.json`);
    const bad = join(dir, `bad-${engine.name}.json`);
    writeFileSync(good, JSON.stringify(editedRules()));
    const wrong = structuredClone(editedRules());
    wrong.calendar.workdays.push({ date: '2026-12-16', asWeekday: 3 });
    writeFileSync(bad, JSON.stringify(wrong));

    const exportedDemo = await cli(db, ['calendar:export', join(dir, `demo-${engine.name}.json`)]);
    expect(exportedDemo.stdout).toContain('bundled demo rules');
    expect(hallRulesSchema.parse(JSON.parse(readFileSync(join(dir, `demo-${engine.name}.json`), 'utf8')))).toEqual(demoHallRules);

    const imported = await cli(db, ['calendar:import', good]);
    expect(imported, imported.stderr).toMatchObject({ code: 0, stdout: expect.stringContaining('revision 1') });
    const refused = await cli(db, ['calendar:import', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('calendar.workdays.6.date: 2026-12-16 is a weekday already');
    expect((await cli(db, ['calendar:import', join(dir, 'missing.json')])).stderr).toContain('cannot read');

    const out = join(dir, `out-${engine.name}.json`);
    expect((await cli(db, ['calendar:export', out])).stdout).toContain('revision 1');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ ...editedRules(), revision: 1 });
  }, 60_000);
});
