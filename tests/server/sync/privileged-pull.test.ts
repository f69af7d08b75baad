import { randomBytes } from 'node:crypto';
import { beforeEach, expect, it } from 'vitest';
import { privilegedPullResponseSchema, type PrivilegedPullResponse } from '../../../core/sync/privileged-pull.ts';
import { HallCalendarStore } from '../../../server/calendar/calendar-store.ts';
import { parseTemplateKey } from '../../../server/staff/template-key.ts';
import { TemplateStore } from '../../../server/staff/templates.ts';
import { describeEngines } from '../support/engines.ts';
import { api } from '../support/http.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { inspect } from '../support/servers.ts';
import { demoHallRules } from '../../support/demo-hall.ts';

const templateKey = parseTemplateKey(randomBytes(32).toString('base64'), 'test key');

// The kiosk's two pulls (docs/architecture.md, "One owner per piece of data"): the privileged side
// pulls the roster, which templates exist and the hall rules; the page's pull (for=page) carries
// the rest and none of those.
describeEngines('the privileged pull', (engine) => {
  const hall = useHallServer(engine, { kiosk: 'kiosk A', server: { templateKey } });
  let token: string;

  beforeEach(async () => {
    token = await hall.adminToken();
  });

  const admin = (method: string, path: string, body?: unknown) => api(hall.server.url, method, path, { token, body });
  const privileged = async (cursor?: string): Promise<PrivilegedPullResponse> => {
    const reply = await api(hall.server.url, 'GET', `/api/v1/sync/privileged-pull${cursor === undefined ? '' : `?cursor=${encodeURIComponent(cursor)}`}`, { token: hall.kiosk.token });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return privilegedPullResponseSchema.parse(reply.body);
  };
  const putTemplate = (staffId: string, finger: number) => inspect(hall.db, (db) => new TemplateStore(db, hall.clock, templateKey).put(staffId, finger, Buffer.alloc(512, finger + 1), 'as608-char', null));
  const saveCalendar = (rules: unknown) => inspect(hall.db, (db) => new HallCalendarStore(db).save(rules, hall.clock, 'test'));

  it('sends the whole roster and the calendar first, then only what changed; the page pull carries neither', async () => {
    await admin('POST', '/api/v1/admin/staff', { id: '1001', name: '张伟', departmentId: 'market', counter: '3号窗口' });
    await admin('POST', '/api/v1/admin/staff', { id: '1002', name: '李娜', departmentId: 'market' });
    await putTemplate('1001', 1);
    await saveCalendar(demoHallRules);

    const first = await privileged();
    expect(first.staff).toMatchObject({ full: true, templates: [{ staffId: '1001', finger: 1 }], removedTemplates: [] });
    expect(first.staff.members.map((m) => m.id)).toEqual(['1001', '1002']);
    expect(first.hallRules).toMatchObject({ revision: 1 });
    expect(first.staff.cursor).toBe(first.cursor);

    const quiet = await privileged(first.cursor);
    expect(quiet.staff).toMatchObject({ full: false, members: [], templates: [], removedTemplates: [] });
    expect(quiet.hallRules).toBeNull();

    await admin('PATCH', '/api/v1/admin/staff/1002', { counter: '4号窗口' });
    await admin('POST', '/api/v1/admin/staff/1001/deactivate');
    await saveCalendar({ ...demoHallRules, calendar: { ...demoHallRules.calendar, holidays: [{ name: { zh: '城市节', en: 'City day' }, from: '2026-06-11', to: '2026-06-11' }] } });
    const changed = await privileged(quiet.cursor);
    expect(changed.staff.full).toBe(false);
    expect(changed.staff.members.map((m) => [m.id, m.active, m.counter])).toEqual([
      ['1001', false, '3号窗口'],
      ['1002', true, '4号窗口'],
    ]);
    expect(changed.staff.removedTemplates).toEqual([{ staffId: '1001', finger: 1 }]);
    expect(changed.hallRules).toMatchObject({ revision: 2 });

    // The page's own pull: catalog, settings, leases, spot checks — no roster, no calendar.
    const page = await api(hall.server.url, 'GET', '/api/v1/sync/pull?for=page', { token: hall.kiosk.token });
    expect(page.status).toBe(200);
    expect(page.body).not.toHaveProperty('staff');
    expect(page.body).not.toHaveProperty('hallRules');
    expect(page.body).toMatchObject({ spotChecks: [], leases: [], catalog: { version: expect.any(Number) } });
    // A kiosk from before the split still gets both with its pull.
    const older = await hall.kiosk.pull();
    expect(older.body).toMatchObject({ staff: { full: true }, hallRules: { revision: 2 } });
  });

  it('gives everything again for a cursor it did not make, a page pull cursor, or one from a database that went back in time', async () => {
    await admin('POST', '/api/v1/admin/staff', { id: '1001', name: '张伟', departmentId: 'market' });
    await putTemplate('1001', 2);
    const first = await privileged();
    expect((await privileged('not-a-cursor')).staff).toMatchObject({ full: true, members: [{ id: '1001' }] });
    const pageCursor = (await hall.kiosk.pull()).body.cursor as string;
    expect((await privileged(pageCursor)).staff.full).toBe(true);
    const forged = `${Buffer.from(JSON.stringify({ k: 'privileged', e: 'x', s: 0, r: 0 })).toString('base64url')}.AAAAAAAAAAAAAAAAAAAAAA`;
    expect((await privileged(forged)).staff.full).toBe(true);

    await hall.stop();
    const backup = await engine.snapshot(hall.db);
    await hall.restart();
    token = (await api(hall.server.url, 'POST', '/api/v1/admin/login', { body: { username: 'admin', password: 'correct horse battery' } })).body.token;
    await admin('POST', '/api/v1/admin/staff', { id: '1002', name: '李娜', departmentId: 'market' });
    const before = await privileged(first.cursor);
    expect(before.staff).toMatchObject({ full: false, members: [{ id: '1002' }] });

    // The backup lacks 1002: its roster is behind the kiosk's cursor, so the kiosk gets the whole of it.
    await hall.restart({ db: backup });
    const after = await privileged(before.cursor);
    expect(after.staff).toMatchObject({ full: true, members: [{ id: '1001' }], templates: [{ staffId: '1001', finger: 2 }] });
  });

  it('answers device tokens only', async () => {
    expect((await api(hall.server.url, 'GET', '/api/v1/sync/privileged-pull')).status).toBe(401);
    expect((await api(hall.server.url, 'GET', '/api/v1/sync/privileged-pull', { token })).status).toBe(401);
  });
});
