import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { demoGuides, fullDemoCatalog } from '../../core/full-demo-catalog.ts';
import { startEmbeddedServer } from '../../server/embedded.ts';
import { createServerLogger } from '../../server/logger.ts';
import { TestKiosk } from './support/kiosk.ts';
import { TestClock } from './support/test-clock.ts';

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
