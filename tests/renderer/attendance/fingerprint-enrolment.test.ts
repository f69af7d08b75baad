import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EnrollProgress } from '../../../core/attendance/fingerprint-reader-api.ts';
import { KioskCallError, buildKioskApi, type KioskApi } from '../../../core/kiosk/kiosk-api.ts';
import { defaultKioskConfig } from '../../../core/kiosk/kiosk-config.ts';
import type { CentralServerClient } from '../../../main/services/central-server-client.ts';
import { KioskApiService } from '../../../main/services/kiosk-api-service.ts';
import { createKioskLogger } from '../../../main/services/logger.ts';
import { demoReaderService } from '../../main/support/demo-reader-service.ts';
import { enrolStaffFinger } from '../../../renderer/attendance/enrolment.ts';
import { HallKioskDb } from '../../../renderer/db/hall-kiosk-db.ts';
import { demoCatalog } from '../../../demo/catalog.ts';
import { startEmbeddedServer } from '../../../server/embedded.ts';
import { createServerLogger } from '../../../server/http/logger.ts';
import { grantEnrolment } from '../../../server/staff/enrolment-grants.ts';
import { addStaff } from '../../../server/staff/roster.ts';
import { TemplateHall, enrolledClient, type TestHall } from '../support/sync-fixture.ts';

// The staff screen's enrolment (renderer/attendance/enrolment.ts) against the privileged side
// (KioskApiService, ReaderService on the in-process simulated module) and a real hall server with
// templates enabled: one finger, one person.

const logger = createKioskLogger({ stdout: false, level: 'silent' });
const noPrinter = {
  status: async () => ({ state: 'ready' as const, paperNearEnd: false }),
  print: async () => ({ outcome: 'printed' as const, paperNearEnd: false }),
  printSlip: async () => ({ outcome: 'printed' as const, paperNearEnd: false }),
  preview: () => null,
  onStatus: () => () => undefined,
  lastStatus: () => undefined,
};

/** A kiosk whose staff screen is open with the PIN: the renderer's KioskApi over the privileged side. */
class Kiosk {
  readonly db = new HallKioskDb({ indexedDB: new IDBFactory(), IDBKeyRange });
  readonly reader = demoReaderService();
  service!: KioskApiService;
  api!: KioskApi;
  client!: CentralServerClient;

  async start(hall: TestHall): Promise<this> {
    await this.reader.start();
    this.client = await enrolledClient(hall, 'kiosk-enrol');
    this.service = new KioskApiService({
      config: () => defaultKioskConfig('kiosk-enrol'),
      printer: noPrinter,
      // The session as PinService keeps it after the right PIN (tests/main/staff-session.test.ts covers PinService itself).
      pins: { verify: async () => ({ ok: true }), signedIn: () => true, authoriser: () => ({ method: 'pin' }) },
      server: this.client,
      reader: this.reader,
      system: { version: 't', shell: 'host', startedAt: 0 },
      logger,
    });
    this.api = buildKioskApi(
      async (method, args) => {
        const outcome = await this.service.handleCall(method, args);
        if (!outcome.ok) throw new KioskCallError(method, outcome.error);
        return outcome.result;
      },
      (listener) => this.service.subscribe(listener),
    );
    return this;
  }

  /** The staff screen's enrolment with `finger` pressed at each prompt; `replace` answers 该手指已登记. */
  async enrol(staffId: string, finger: string, replace: boolean | null = null) {
    const asked: string[] = [];
    const steps: EnrollProgress['step'][] = [];
    const outcome = await enrolStaffFinger(
      this.db,
      this.api,
      { staffId, finger: 1 },
      (progress) => {
        steps.push(progress.step);
        if (progress.step === 'place') this.reader.simulateFinger(finger);
      },
      async () => {
        asked.push(staffId);
        if (replace === null) throw new Error('asked to replace a finger that had no template');
        return replace;
      },
    );
    return { outcome, asked, steps };
  }

  async stop(): Promise<void> {
    this.service.close();
    await this.reader.stop();
    this.db.close();
  }
}

let hall: TemplateHall;
let kiosk: Kiosk;

beforeEach(async () => {
  hall = new TemplateHall();
  hall.clock.setTo(Date.UTC(2026, 2, 2, 0, 55));
  await hall.start();
  const db = hall.server!.db.db;
  await addStaff(db, hall.clock, { id: 'A1001', name: '张三', departmentId: 'market', counter: '12号窗口' });
  await addStaff(db, hall.clock, { id: 'B2002', name: '李四', departmentId: 'market', counter: '13号窗口' });
  kiosk = await new Kiosk().start(hall);
  // An admin gave this kiosk leave to enrol both (server/staff/enrolment-grants.ts).
  for (const staffId of ['A1001', 'B2002']) await grantEnrolment(db, hall.clock, { staffId, deviceId: kiosk.client.status().deviceId!, grantedBy: 'office', minutes: 30 });
});

afterEach(async () => {
  await kiosk.stop();
  await hall.dispose();
});

const serverTemplates = () => hall.server!.db.db.selectFrom('staff_templates').select(['staff_id', 'finger', 'revision']).orderBy('staff_id').execute();
const audit = () => hall.server!.db.db.selectFrom('template_audit').select(['staff_id', 'authorised_method', 'granted_by', 'replaced']).orderBy('revision').execute();

describe('enrolment at the staff screen: one finger, one person', () => {
  it("refuses A's finger as B's: nothing stored in the reader, the slot map or on the server", async () => {
    const first = await kiosk.enrol('A1001', 'finger-of-zhang');
    expect(first.outcome).toMatchObject({ ok: true, replaced: false });
    expect(first.asked).toEqual([]);
    const pagesAfterA = await kiosk.reader.pages();
    expect(pagesAfterA).toHaveLength(1);

    const second = await kiosk.enrol('B2002', 'finger-of-zhang');
    expect(second.outcome).toEqual({ ok: false, kind: 'duplicate', ownerStaffId: 'A1001', text: { zh: '此指纹已登记为其他工作人员，不能重复登记', en: expect.any(String) } });
    expect(second.steps).not.toContain('storing');
    expect(await kiosk.reader.pages()).toEqual(pagesAfterA);
    expect(await kiosk.db.readerSlots.toArray()).toEqual([expect.objectContaining({ staffId: 'A1001', finger: 1 })]);
    expect((await serverTemplates()).map((t) => t.staff_id)).toEqual(['A1001']);
    expect(await audit()).toEqual([{ staff_id: 'A1001', authorised_method: 'pin', granted_by: 'office', replaced: 0 }]);

    // B's own finger is fine.
    expect((await kiosk.enrol('B2002', 'finger-of-li')).outcome).toMatchObject({ ok: true, replaced: false });
    expect((await serverTemplates()).map((t) => t.staff_id)).toEqual(['A1001', 'B2002']);
  });

  it("asks before re-enrolling A's finger: no touches nothing, yes replaces the template and says so in the audit", async () => {
    const first = await kiosk.enrol('A1001', 'finger-of-zhang');
    if (!first.outcome.ok) throw new Error(`enrolment failed: ${first.outcome.kind}`);
    const before = await serverTemplates();

    const declined = await kiosk.enrol('A1001', 'finger-of-zhang', false);
    expect(declined.asked).toEqual(['A1001']);
    expect(declined.outcome).toMatchObject({ ok: false, kind: 'replace-declined' });
    expect(declined.steps).toEqual([]);
    expect(await kiosk.reader.pages()).toEqual([first.outcome.page]);
    expect(await serverTemplates()).toEqual(before);

    // Yes: the same finger matches A's own page, which is allowed.
    const replaced = await kiosk.enrol('A1001', 'finger-of-zhang', true);
    expect(replaced.asked).toEqual(['A1001']);
    expect(replaced.outcome).toMatchObject({ ok: true, replaced: true });
    if (!replaced.outcome.ok) return;
    expect(replaced.outcome.page).not.toBe(first.outcome.page);
    // The old page is gone from the reader; the slot points at the new one.
    expect(await kiosk.reader.pages()).toEqual([replaced.outcome.page]);
    expect(await kiosk.db.readerSlots.get(['A1001', 1])).toMatchObject({ page: replaced.outcome.page, revision: replaced.outcome.revision });
    expect((await serverTemplates())[0]!.revision).toBe(replaced.outcome.revision);
    expect(await audit()).toEqual([
      { staff_id: 'A1001', authorised_method: 'pin', granted_by: 'office', replaced: 0 },
      { staff_id: 'A1001', authorised_method: 'pin', granted_by: 'office', replaced: 1 },
    ]);
  });
});

describe("enrolment without an admin's grant on the server", () => {
  it('says the server has not opened enrolment for this person here, and keeps nothing half-enrolled', async () => {
    // Past the grants' 30 minutes: the kiosk's PIN session alone is not the server's leave.
    hall.clock.shift(31 * 60_000);
    const { outcome } = await kiosk.enrol('A1001', 'finger-of-zhang');
    expect(outcome).toMatchObject({ ok: false, kind: 'upload-failed' });
    const text = (outcome as { text: { zh: string; en: string } }).text;
    expect(text.zh).toContain('服务器未开通此人在本机录入指纹');
    expect(text.zh).not.toContain('请检查网络');
    expect(text.en).toContain('has not allowed enrolling');
    expect(await kiosk.reader.pages()).toEqual([]);
    expect(await kiosk.db.readerSlots.toArray()).toEqual([]);
    expect(await serverTemplates()).toEqual([]);
  });
});

describe('enrolment against a hall server started without a template key', () => {
  it('says the server has no template key, not that the network failed, and keeps nothing half-enrolled', async () => {
    // The same database and port, restarted the way `server/cli.ts` starts without HALL_TEMPLATE_KEY.
    await hall.stop();
    hall.server = await startEmbeddedServer({ dbFile: hall.dbFile, port: hall.port, clock: hall.clock, logger: createServerLogger({ level: 'silent' }), seedCatalog: demoCatalog });
    const { outcome } = await kiosk.enrol('A1001', 'finger-of-zhang');
    expect(outcome).toMatchObject({ ok: false, kind: 'upload-failed' });
    const text = (outcome as { text: { zh: string; en: string } }).text;
    expect(text.zh).toContain('服务器未配置指纹模板密钥');
    expect(text.zh).not.toContain('请检查网络');
    expect(text.en).toContain('no fingerprint template key');
    expect(await kiosk.reader.pages()).toEqual([]);
    expect(await kiosk.db.readerSlots.toArray()).toEqual([]);
  });
});
