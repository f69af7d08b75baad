import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startServer, type RunningServer } from '../../server/embedded.ts';
import { createServerLogger } from '../../server/http/logger.ts';
import { addStaff } from '../../server/staff/roster.ts';
import { parseTemplateKey } from '../../server/staff/template-key.ts';
import { adminPin, startKioskHost, type KioskHost } from './support/kiosk-host.ts';
import { syncRosterUntil } from './support/kiosk-page.ts';
import { staffedAllDay } from './support/staffed-all-day.ts';
import { demoCatalog } from '../support/demo-hall.ts';

// Enrolment that cannot be used for 代签: a host-mode kiosk with its demo reader and a hall server
// with a template key. A's finger is refused as B's, and re-enrolling A's finger asks first.
test.describe.configure({ mode: 'serial' });

let dir: string;
let server: RunningServer;
let host: KioskHost;
let page: Page;

test.beforeAll(async ({ browser }) => {
  dir = mkdtempSync(join(tmpdir(), 'hall-enrol-guard-e2e-'));
  const clock = { now: () => Date.now() };
  const templateKey = parseTemplateKey(randomBytes(32).toString('base64'), 'e2e key');
  server = await startServer({ target: { sqliteFile: join(dir, 'hall.sqlite') }, port: 0, clock, templateKey, logger: createServerLogger({ level: 'silent' }), seedCatalog: demoCatalog, seedHallRules: staffedAllDay });
  await addStaff(server.db.db, clock, { id: 'A1001', name: '张三', departmentId: 'market', counter: '12号窗口' });
  await addStaff(server.db.db, clock, { id: 'B2002', name: '李四', departmentId: 'market', counter: '13号窗口' });
  host = await startKioskHost({ serverUrl: `http://127.0.0.1:${server.port}`, enrollCode: (await server.createDevice('kiosk 1')).enrollmentCode });
  page = await (await browser.newContext()).newPage();
  await page.goto(host.url);
  await expect(page.getByTestId('home')).toBeVisible();
});

test.afterAll(async () => {
  await page?.context().close();
  await host?.stop();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The two presses of an enrolment, with A's finger. */
async function pressTwice(): Promise<void> {
  const message = page.getByTestId('enrol-message');
  await expect(message).toHaveText('请将手指平放在指纹仪上', { timeout: 10_000 });
  await page.getByTestId('simulate-A1001').click();
  await expect(message).toHaveText('请再次按压同一手指', { timeout: 10_000 });
  await page.getByTestId('simulate-A1001').click();
}

const templatesOnServer = () => server.db.db.selectFrom('staff_templates').select('staff_id').orderBy('staff_id').execute();

test("A's finger is refused as B's, naming A on the staff screen only", async () => {
  await syncRosterUntil(page, adminPin, ['A1001', 'B2002']);
  await page.getByTestId('enrol-A1001').click();
  await pressTwice();
  await expect(page.getByTestId('enrol-message')).toHaveText('张三 指纹录入成功', { timeout: 10_000 });

  await page.getByTestId('enrol-B2002').click();
  await pressTwice();
  await expect(page.getByTestId('enrol-message')).toHaveText('此指纹已登记为其他工作人员（工号 A1001 张三），不能重复登记', { timeout: 10_000 });
  await expect(page.getByTestId('enrol-message')).toHaveClass(/message-bad/);
  expect(await templatesOnServer()).toEqual([{ staff_id: 'A1001' }]);
});

test("re-enrolling A's finger asks first: 取消 keeps the template, 重新登记 replaces it", async () => {
  await page.getByTestId('enrol-A1001').click();
  const dialog = page.getByTestId('enrol-replace');
  await expect(dialog).toContainText('该手指已登记，是否重新登记？');
  await page.getByTestId('enrol-replace-no').click();
  await expect(page.getByTestId('enrol-message')).toHaveText('未重新登记，原指纹保留');
  await expect(dialog).toBeHidden();
  const revisionBefore = await server.db.db.selectFrom('staff_templates').select('revision').executeTakeFirstOrThrow();

  await page.getByTestId('enrol-A1001').click();
  await page.getByTestId('enrol-replace-yes').click();
  await pressTwice();
  await expect(page.getByTestId('enrol-message')).toHaveText('张三 指纹已重新登记', { timeout: 10_000 });
  const after = await server.db.db.selectFrom('staff_templates').select(['staff_id', 'revision']).execute();
  expect(after).toHaveLength(1);
  expect(Number(after[0]!.revision)).toBeGreaterThan(Number(revisionBefore.revision));
  const audit = await server.db.db.selectFrom('template_audit').select(['staff_id', 'authorised_method', 'replaced']).orderBy('revision').execute();
  expect(audit).toEqual([
    { staff_id: 'A1001', authorised_method: 'pin', replaced: 0 },
    { staff_id: 'A1001', authorised_method: 'pin', replaced: 1 },
  ]);
});
