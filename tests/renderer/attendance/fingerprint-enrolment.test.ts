import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EnrollProgress } from '../../../core/attendance/fingerprint-reader-api.ts';
import { enrolStaffFinger } from '../../../renderer/attendance/enrolment.ts';
import { startEmbeddedServer } from '../../../server/embedded.ts';
import { createServerLogger } from '../../../server/http/logger.ts';
import { addStaff } from '../../../server/staff/roster.ts';
import { PrivilegedSide } from '../../main/support/privileged-side.ts';
import { TemplateHall } from '../support/sync-fixture.ts';
import { demoCatalog } from '../../support/demo-hall.ts';

// The staff screen's enrolment (renderer/attendance/enrolment.ts) through the kiosk API to the
// privileged side, which picks the page, guides the captures, uploads and keeps the slot (the
// in-process simulated module), against a real hall server with templates enabled: one finger,
// one person. The page never holds a template or a page number.

let hall: TemplateHall;
let side: PrivilegedSide;

beforeEach(async () => {
  hall = new TemplateHall();
  hall.clock.setTo(Date.UTC(2026, 2, 2, 0, 55));
  await hall.start();
  const db = hall.server!.db.db;
  await addStaff(db, hall.clock, { id: 'A1001', name: '张三', departmentId: 'market', counter: '12号窗口' });
  await addStaff(db, hall.clock, { id: 'B2002', name: '李四', departmentId: 'market', counter: '13号窗口' });
  side = await new PrivilegedSide('kiosk-enrol').start(hall);
  await side.pull();
});

afterEach(async () => {
  await side.stop();
  await hall.dispose();
});

/** The staff screen's enrolment with `finger` pressed at each prompt; `replace` answers 该手指已登记. */
async function enrol(staffId: string, finger: string, replace: boolean | null = null) {
  const asked: string[] = [];
  const steps: EnrollProgress['step'][] = [];
  const outcome = await enrolStaffFinger(
    side.kiosk,
    { staffId, finger: 1 },
    (progress) => {
      steps.push(progress.step);
      if (progress.step === 'place') side.reader.simulateFinger(finger);
    },
    async () => {
      asked.push(staffId);
      if (replace === null) throw new Error('asked to replace a finger that had no template');
      return replace;
    },
  );
  return { outcome, asked, steps };
}

const serverTemplates = () => hall.server!.db.db.selectFrom('staff_templates').select(['staff_id', 'finger', 'revision']).orderBy('staff_id').execute();
const audit = () => hall.server!.db.db.selectFrom('template_audit').select(['staff_id', 'authorised_method', 'replaced']).orderBy('revision').execute();

describe('enrolment at the staff screen: one finger, one person', () => {
  it("refuses A's finger as B's: nothing stored in the reader, the slot map or on the server", async () => {
    const first = await enrol('A1001', 'finger-of-zhang');
    expect(first.outcome).toMatchObject({ ok: true, replaced: false });
    expect(first.asked).toEqual([]);
    expect(first.steps).toEqual(['place', 'captured', 'lift', 'place', 'captured', 'merging', 'storing', 'done']);
    const pagesAfterA = await side.reader.pages();
    expect(pagesAfterA).toHaveLength(1);

    const second = await enrol('B2002', 'finger-of-zhang');
    expect(second.outcome).toEqual({ ok: false, kind: 'duplicate', ownerStaffId: 'A1001', text: { zh: '此指纹已登记为其他工作人员，不能重复登记', en: expect.any(String) } });
    expect(second.steps).not.toContain('storing');
    expect(await side.reader.pages()).toEqual(pagesAfterA);
    expect(side.directory.slots()).toEqual([expect.objectContaining({ staffId: 'A1001', finger: 1 })]);
    expect((await serverTemplates()).map((t) => t.staff_id)).toEqual(['A1001']);
    expect(await audit()).toEqual([{ staff_id: 'A1001', authorised_method: 'pin', replaced: 0 }]);

    // B's own finger is fine.
    expect((await enrol('B2002', 'finger-of-li')).outcome).toMatchObject({ ok: true, replaced: false });
    expect((await serverTemplates()).map((t) => t.staff_id)).toEqual(['A1001', 'B2002']);
  });

  it("asks before re-enrolling A's finger: no touches nothing, yes replaces the template and says so in the audit", async () => {
    const first = await enrol('A1001', 'finger-of-zhang');
    if (!first.outcome.ok) throw new Error(`enrolment failed: ${first.outcome.kind}`);
    const before = await serverTemplates();
    const page = side.directory.slotOf('A1001', 1)!.page;

    const declined = await enrol('A1001', 'finger-of-zhang', false);
    expect(declined.asked).toEqual(['A1001']);
    expect(declined.outcome).toMatchObject({ ok: false, kind: 'replace-declined', text: { zh: '未重新登记，原指纹保留' } });
    expect(declined.steps).toEqual([]);
    expect(await side.reader.pages()).toEqual([page]);
    expect(await serverTemplates()).toEqual(before);

    // Yes: the same finger matches A's own page, which is allowed.
    const replaced = await enrol('A1001', 'finger-of-zhang', true);
    expect(replaced.asked).toEqual(['A1001']);
    expect(replaced.outcome).toMatchObject({ ok: true, replaced: true });
    if (!replaced.outcome.ok) return;
    // The old page is gone from the reader; the slot points at the new one.
    const slot = side.directory.slotOf('A1001', 1)!;
    expect(slot.page).not.toBe(page);
    expect(await side.reader.pages()).toEqual([slot.page]);
    expect(slot.revision).toBe(replaced.outcome.revision);
    expect((await serverTemplates())[0]!.revision).toBe(replaced.outcome.revision);
    expect(await audit()).toEqual([
      { staff_id: 'A1001', authorised_method: 'pin', replaced: 0 },
      { staff_id: 'A1001', authorised_method: 'pin', replaced: 1 },
    ]);
  });

  it('refuses someone the roster this kiosk pulled does not have', async () => {
    const { outcome, steps } = await enrol('C3003', 'finger-of-nobody');
    expect(outcome).toMatchObject({ ok: false, kind: 'unknown-staff', text: { zh: '名单中没有这位工作人员，请先同步名单' } });
    expect(steps).toEqual([]);
    expect(await side.reader.pages()).toEqual([]);
  });
});

describe('enrolment against a hall server started without a template key', () => {
  it('says the server has no template key, not that the network failed, and keeps nothing half-enrolled', async () => {
    // The same database and port, restarted the way `server/cli.ts` starts without HALL_TEMPLATE_KEY.
    await hall.stop();
    hall.server = await startEmbeddedServer({ dbFile: hall.dbFile, port: hall.port, clock: hall.clock, logger: createServerLogger({ level: 'silent' }), seedCatalog: demoCatalog });
    const { outcome } = await enrol('A1001', 'finger-of-zhang');
    expect(outcome).toMatchObject({ ok: false, kind: 'upload-failed' });
    const text = (outcome as { text: { zh: string; en: string } }).text;
    expect(text.zh).toContain('服务器未配置指纹模板密钥');
    expect(text.zh).not.toContain('请检查网络');
    expect(text.en).toContain('no fingerprint template key');
    expect(await side.reader.pages()).toEqual([]);
    expect(side.directory.slots()).toEqual([]);
  });
});
