import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startEmbeddedServer } from '../../server/embedded.ts';
import { createServerLogger } from '../../server/http/logger.ts';
import { addStaff } from '../../server/staff/roster.ts';
import { parseTemplateKey } from '../../server/staff/template-key.ts';
import { TemplateStore } from '../../server/staff/templates.ts';
import { demoTemplateKeyFile, startDemoServer } from '../../scripts/demo-server.ts';
import { TestKiosk } from './support/kiosk.ts';
import { demoGuides, fullDemoCatalog } from '../support/demo-hall.ts';
import { TestClock } from '../support/test-clock.ts';

// The embedded server is SQLite by definition: it is what the kiosk's demo mode runs.
const dir = mkdtempSync(join(tmpdir(), 'hall-embedded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('serves the demo hall (catalog and guides) on a local file for demo mode, and keeps its data across restarts', async () => {
  const clock = new TestClock();
  const dbFile = join(dir, 'demo.sqlite');
  const first = await startEmbeddedServer({ dbFile, port: 0, clock, logger: createServerLogger({ level: 'silent' }) });
  expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const kiosk = await TestKiosk.enroll(first.url, (await first.createDevice('demo kiosk')).enrollmentCode);
  const pulled = await kiosk.pull();
  expect(pulled.body.catalog).toEqual(fullDemoCatalog);
  expect(pulled.body.guides).toEqual(demoGuides);
  expect((await kiosk.next('biz-registration')).body.label).toBe('A001');
  await first.close();

  const second = await startEmbeddedServer({ dbFile, port: 0, clock, logger: createServerLogger({ level: 'silent' }) });
  try {
    kiosk.baseUrl = second.url;
    expect((await kiosk.next('biz-registration')).body.label).toBe('A002');
    expect((await kiosk.pull()).body).toMatchObject({ reset: false, catalog: null, guides: null });
  } finally {
    await second.close();
  }
});

it("demo mode keeps its own template key in the data dir (0600), the same across starts, so enrolment works on a fresh start", async () => {
  const dataDir = join(dir, 'demo-data');
  const clock = new TestClock();
  const first = await startDemoServer(dataDir, { clock, port: 0 });
  const keyFile = demoTemplateKeyFile(dataDir);
  const key = readFileSync(keyFile, 'utf8');
  try {
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const kiosk = await TestKiosk.enroll(first.url, (await first.createDevice('demo kiosk')).enrollmentCode);
    await addStaff(first.db.db, clock, { id: 'A1', name: '张三', departmentId: 'market', counter: null });
    // A template store with the demo's key: what refused every enrolment before (503 templates-disabled).
    const store = new TemplateStore(first.db.db, clock, parseTemplateKey(key, 'demo key file'));
    await store.put('A1', 1, Buffer.from('template-bytes'), 'as608-char', null);
    const got = await fetch(`${first.url}/api/v1/staff/A1/templates/1`, { headers: { authorization: `Bearer ${kiosk.token}` } });
    expect(got.status).toBe(200);
  } finally {
    await first.close();
  }
  chmodSync(keyFile, 0o644);
  const second = await startDemoServer(dataDir, { clock, port: 0 });
  try {
    expect(readFileSync(keyFile, 'utf8')).toBe(key);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const kiosk = await TestKiosk.enroll(second.url, (await second.createDevice('demo kiosk 2')).enrollmentCode);
    const got = await fetch(`${second.url}/api/v1/staff/A1/templates/1`, { headers: { authorization: `Bearer ${kiosk.token}` } });
    expect(got.status).toBe(200);
    expect(((await got.json()) as { template: string }).template).toBe(Buffer.from('template-bytes').toString('base64'));
  } finally {
    await second.close();
  }
});
