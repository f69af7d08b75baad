import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HallRules } from '../../core/calendar/calendar-rules.ts';
import type { KioskEvent } from '../../core/kiosk/kiosk-api.ts';
import { syntheticTemplate } from '../../hardware/sim/fingerprint/fingers.ts';
import { HallCalendarStore } from '../../server/calendar/calendar-store.ts';
import { addStaff, deactivateStaff, updateStaff } from '../../server/staff/roster.ts';
import { TemplateHall } from '../renderer/support/sync-fixture.ts';
import { demoReaderService } from './support/demo-reader-service.ts';
import { PrivilegedSide } from './support/privileged-side.ts';
import { demoHallRules } from '../support/demo-hall.ts';

// The kiosk's privileged side owns the roster, the fingerprint templates, the reader's slot map and
// the hall rules (docs/architecture.md, "One owner per piece of data"): it pulls them with its own
// cursor, keeps them in its data dir, fills the reader, and tells the page who touched. A real hall
// server (SQLite, templates enabled), the real client, the reader service on the simulated module.

let hall: TemplateHall;
let dir: string;
const sides: PrivilegedSide[] = [];

beforeEach(async () => {
  hall = new TemplateHall();
  hall.clock.setTo(Date.UTC(2026, 2, 2, 0, 55)); // 08:55 in Shanghai, a Monday morning
  await hall.start();
  dir = mkdtempSync(join(tmpdir(), 'privileged-side-'));
  const db = hall.server!.db.db;
  await addStaff(db, hall.clock, { id: 'A1001', name: '张三', departmentId: 'market', counter: '12号窗口' });
  await addStaff(db, hall.clock, { id: 'B2002', name: '李四', departmentId: 'tax', counter: '20号窗口' });
  await hall.templates().put('A1001', 1, syntheticTemplate('staff-A1001'), 'as608-char', null);
});

afterEach(async () => {
  for (const side of sides.splice(0)) await side.stop();
  await hall.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function side(name: string, options: ConstructorParameters<typeof PrivilegedSide>[1] = {}): Promise<PrivilegedSide> {
  const started = await new PrivilegedSide(name, options).start(hall);
  sides.push(started);
  return started;
}

const downloads = (s: PrivilegedSide) => s.requests.filter((r) => r.startsWith('GET /api/v1/staff/')).length;

describe('the roster and templates, pulled by the privileged side', () => {
  it('fills the reader from the roster and says who a finger is; a quiet pull downloads nothing', async () => {
    const kiosk = await side('kiosk-1');
    expect(await kiosk.touch('staff-A1001')).toMatchObject({ ok: false, kind: 'not-recognised' });
    await kiosk.pull();
    expect(await kiosk.reader.pages()).toHaveLength(1);
    expect(kiosk.directory.slots()).toEqual([{ staffId: 'A1001', finger: 1, page: expect.any(Number), revision: expect.any(Number) }]);
    expect(await kiosk.touch('staff-A1001')).toEqual({ ok: true, staff: { id: 'A1001', name: '张三', departmentId: 'market', counter: '12号窗口', role: 'staff', scheduleId: null, active: true }, score: expect.any(Number) });
    expect(await kiosk.touch('stranger')).toMatchObject({ ok: false, kind: 'not-recognised', text: { zh: '未能识别，请重试或联系管理员' } });
    expect(downloads(kiosk)).toBe(1);

    await kiosk.pull();
    expect(downloads(kiosk)).toBe(1);
    expect(kiosk.requests.filter((r) => r === 'GET /api/v1/sync/privileged-pull')).toHaveLength(2);
    // The page lists the active roster by name, nothing about fingers.
    expect((await kiosk.kiosk.staff.roster()).members.map((m) => m.id)).toEqual(['B2002', 'A1001']);
  });

  it("a deactivated member's finger leaves the reader; one enrolled again elsewhere replaces the template in its page", async () => {
    const one = await side('kiosk-1');
    const two = await side('kiosk-2');
    await one.pull();
    await two.pull();
    const page = two.directory.slotOf('A1001', 1)!.page;

    // Kiosk 1 enrols A's finger again (another press of it); kiosk 2 takes the new template into the same page.
    expect(await one.enrol('A1001', 'staff-A1001', true)).toMatchObject({ ok: true, replaced: true });
    const enrolled = await one.reader.uploadTemplate(one.directory.slotOf('A1001', 1)!.page);
    await two.pull();
    expect(two.directory.slotOf('A1001', 1)).toMatchObject({ page, revision: one.directory.slotOf('A1001', 1)!.revision });
    expect(await two.reader.uploadTemplate(page)).toBe(enrolled);

    await deactivateStaff(hall.server!.db.db, hall.clock, 'A1001');
    await two.pull();
    expect(await two.reader.pages()).toEqual([]);
    expect(two.directory.slots()).toEqual([]);
    expect(await two.touch('staff-A1001')).toMatchObject({ ok: false, kind: 'not-recognised' });
    expect((await two.kiosk.staff.roster()).members.map((m) => m.id)).toEqual(['B2002']);
  });

  it('after a restart with the server gone, signs staff in by the roster and slot map it kept', async () => {
    const reader = demoReaderService();
    await reader.start();
    const first = await side('kiosk-1', { dataDir: dir, reader });
    await first.pull();
    await updateStaff(hall.server!.db.db, hall.clock, 'A1001', { counter: '15号窗口' });
    await first.pull();
    first.sync.stop();
    first.service.close();

    await hall.stop();
    const again = await side('kiosk-1', { dataDir: dir, reader, client: first.enrolled });
    expect(await again.sync.pullNow()).toBe(false);
    expect(again.directory.known).toBe(true);
    expect(await again.touch('staff-A1001')).toMatchObject({ ok: true, staff: { id: 'A1001', counter: '15号窗口' } });
  });

  it('a reader that lost its pages (the module swapped) gets every template back at the next pull', async () => {
    const kiosk = await side('kiosk-1');
    await kiosk.pull();
    const page = kiosk.directory.slotOf('A1001', 1)!.page;
    await kiosk.reader.delete(page);
    kiosk.library.readerReconnected();
    await kiosk.pull();
    expect(await kiosk.reader.pages()).toHaveLength(1);
    expect(downloads(kiosk)).toBe(2);
    expect(await kiosk.touch('staff-A1001')).toMatchObject({ ok: true, staff: { id: 'A1001' } });
  });

  it('a reader moved to another port is filled from the whole roster, and what it held before is cleared', async () => {
    const kiosk = await side('kiosk-1');
    await kiosk.pull();
    // Another module: empty but for a template nobody here put there.
    expect(await kiosk.reader.configure({ port: null, baudRate: 115200 })).toMatchObject({ state: 'connected' });
    await kiosk.reader.storeTemplate(200, syntheticTemplate('left-by-another-kiosk').toString('base64'));
    await kiosk.pull();
    expect(await kiosk.reader.pages()).toEqual([kiosk.directory.slotOf('A1001', 1)!.page]);
    expect(await kiosk.touch('left-by-another-kiosk')).toMatchObject({ ok: false, kind: 'not-recognised' });
    expect(await kiosk.touch('staff-A1001')).toMatchObject({ ok: true, staff: { id: 'A1001' } });
  });

  it('with the reader unplugged the roster is kept but the pull is applied again once it is back', async () => {
    const kiosk = await side('kiosk-1');
    await kiosk.reader.stop();
    expect(await kiosk.sync.pullNow()).toBe(false);
    expect(kiosk.directory.member('A1001')).toMatchObject({ name: '张三' });
    expect(kiosk.directory.cursor).toBeNull();

    await kiosk.reader.start();
    await kiosk.pull();
    expect(await kiosk.reader.pages()).toHaveLength(1);
    expect(await kiosk.touch('staff-A1001')).toMatchObject({ ok: true });
  });
});

describe('the hall rules, pulled by the privileged side', () => {
  it('keeps them on disk and tells the page: hall.rules answers them, a hall-rules event brings each new one', async () => {
    const kiosk = await side('kiosk-1', { dataDir: dir });
    expect(await kiosk.kiosk.hall.rules()).toEqual({ rules: null });
    const events: KioskEvent[] = [];
    kiosk.service.subscribe((event) => events.push(event));
    // Before the hall saved a calendar, the first pull brings the rules the server judges by (revision 0).
    await kiosk.pull();
    expect(events.filter((e) => e.type === 'hall-rules')).toEqual([{ type: 'hall-rules', rules: demoHallRules }]);
    await kiosk.pull();
    expect(events.filter((e) => e.type === 'hall-rules')).toHaveLength(1);
    events.length = 0;

    const rules: HallRules = { ...structuredClone(demoHallRules), services: demoHallRules.services.map((s) => (s.serviceId === 'biz-registration' ? { ...s, quota: { perDay: 2 } } : s)) };
    await hall.look(hall.dbFile, (db) => new HallCalendarStore(db).save(rules, hall.clock, 'test'));
    await kiosk.pull();
    await kiosk.pull();
    expect(events.filter((e) => e.type === 'hall-rules')).toEqual([{ type: 'hall-rules', rules: { ...rules, revision: 1 } }]);
    expect(await kiosk.kiosk.hall.rules()).toEqual({ rules: { ...rules, revision: 1 } });
    expect(kiosk.rules.current()).toEqual({ ...rules, revision: 1 });
  });
});

describe('one client of the hall server per kind of data', () => {
  it("the page's requests cannot reach the privileged side's routes, and its own pull carries no roster and no rules", async () => {
    const kiosk = await side('kiosk-1');
    for (const request of [
      { method: 'GET', path: '/api/v1/sync/privileged-pull' },
      { method: 'GET', path: '/api/v1/staff/A1001/templates/1' },
      { method: 'GET', path: '/api/v1/staff/templates?after=0' },
      { method: 'PUT', path: '/api/v1/staff/A1001/templates/1', body: { template: syntheticTemplate('intruder').toString('base64') } },
      { method: 'POST', path: '/api/v1/updates/health', body: {} },
    ]) {
      const refused = await kiosk.service.handleCall('server.request', [request]);
      expect(refused, request.path).toMatchObject({ ok: false, code: 'invalid', error: expect.stringContaining("the privileged side's own route") });
    }
    expect(kiosk.requests).toEqual([]);
    const pulled = await kiosk.kiosk.server.request({ method: 'GET', path: '/api/v1/sync/pull?for=page' });
    expect(pulled).toMatchObject({ status: 200 });
    const body = (pulled as { body: Record<string, unknown> }).body;
    expect(body).not.toHaveProperty('staff');
    expect(body).not.toHaveProperty('hallRules');
    // The old combined pull's roster position is not a page parameter any more.
    expect(await kiosk.service.handleCall('server.request', [{ method: 'GET', path: '/api/v1/sync/pull?staffCursor=x' }])).toMatchObject({ ok: false, code: 'invalid' });
  });

  it('a finger watch tells the page who touched, never the page of the library', async () => {
    const kiosk = await side('kiosk-1');
    await kiosk.pull();
    const events: KioskEvent[] = [];
    kiosk.service.subscribe((event) => events.push(event));
    const { watchId } = await kiosk.kiosk.reader.watch({ leaseMs: 5000 });
    kiosk.reader.simulateFinger('staff-A1001');
    const by = Date.now() + 5000;
    while (!events.some((e) => e.type === 'reader-finger') && Date.now() < by) await new Promise((resolve) => setTimeout(resolve, 10));
    await kiosk.kiosk.reader.unwatch({ watchId });
    const heard = events.find((e) => e.type === 'reader-finger');
    expect(heard).toEqual({ type: 'reader-finger', watchId, result: { ok: true, staff: expect.objectContaining({ id: 'A1001', name: '张三' }), score: expect.any(Number) } });
    expect(JSON.stringify(heard)).not.toContain('"page"');
  });
});
