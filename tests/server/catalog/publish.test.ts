import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceGuide } from '../../../core/guide/service-guide.ts';
import { pullResponseSchema } from '../../../core/sync/pull.ts';
import { exportContent, readImport } from '../../../server/catalog/import/catalog-import.ts';
import { readWorkbook, writeWorkbook } from '../../../server/catalog/import/xlsx-workbook.ts';
import { CatalogStore } from '../../../server/catalog/catalog-store.ts';
import { migrateToLatest } from '../../../server/db/migrations.ts';
import { describeEngines } from '../support/engines.ts';
import type { TestDatabase } from '../support/engines.ts';
import { api } from '../support/http.ts';
import { inspect } from '../support/servers.ts';
import { useHallServer } from '../support/hall-under-test.ts';
import { systemClockForTests } from '../support/system-clock.ts';
import { runServerCli } from '../support/server-cli.ts';
import { demoGuides, demoHallContent, fullDemoCatalog } from '../../support/demo-hall.ts';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The demo hall with the changes a hall would make: fewer social security cards a day, a new FAQ, a new 俗称. */
function editedDemo() {
  const guide = demoGuides['ss-card']!;
  const edited: ServiceGuide = { ...guide, faq: [...guide.faq, { q: '补卡要多久？', a: '即时制卡的当场领取。' }] };
  return {
    catalog: {
      ...fullDemoCatalog,
      services: fullDemoCatalog.services.map((s) => (s.id === 'ss-card' ? { ...s, dailyQuota: 120 } : s)),
      synonyms: [...(fullDemoCatalog.synonyms ?? []), { term: '身份证', colloquial: ['身份证件'] }],
    },
    guides: { ...demoGuides, 'ss-card': edited },
  };
}

const cli = (db: TestDatabase, args: string[]) => runServerCli(args, { db });

describeEngines('catalog publish: versions reach kiosks, once', (engine) => {
  const hall = useHallServer(engine, { server: { seedCatalog: null, seed: demoHallContent } });
  let admin: string;
  beforeEach(async () => {
    admin = await hall.adminToken();
  });

  it('sends a published import to an enrolled kiosk once; a draft is not sent at all', async () => {
    const kiosk = await hall.enrolKiosk('east 1');
    const first = pullResponseSchema.parse((await kiosk.pull()).body);
    expect(first.catalog).toEqual({ ...fullDemoCatalog, version: 0 });
    expect(first.guides).toEqual(demoGuides);
    expect((await kiosk.pull()).body).toMatchObject({ catalog: null, guides: null });

    const imported = await api(hall.server.url, 'POST', '/api/v1/admin/catalog/imports', { token: admin, body: editedDemo() });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    expect(imported.body).toMatchObject({ publishedVersion: null, services: 72, guides: 72, changes: { services: { changed: ['ss-card'], added: [] }, guides: { changed: ['ss-card'] }, synonyms: { added: ['身份证'], changed: [] } } });
    expect((await kiosk.pull()).body).toMatchObject({ catalog: null, guides: null });

    const published = await api(hall.server.url, 'POST', '/api/v1/admin/catalog/publish', { token: admin });
    expect(published.body).toMatchObject({ version: 1, importId: imported.body.importId });
    const changed = pullResponseSchema.parse((await kiosk.pull()).body);
    expect(changed.catalog?.version).toBe(1);
    expect(changed.catalog?.services.find((s) => s.id === 'ss-card')?.dailyQuota).toBe(120);
    expect(changed.guides?.['ss-card']?.faq.at(-1)?.q).toBe('补卡要多久？');
    expect(changed.catalog?.synonyms?.at(-1)).toEqual({ term: '身份证', colloquial: ['身份证件'] });
    expect((await kiosk.pull()).body).toMatchObject({ catalog: null, guides: null });

    const again = await api(hall.server.url, 'POST', '/api/v1/admin/catalog/publish', { token: admin });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('already published as version 1');
    expect((await api(hall.server.url, 'GET', '/api/v1/admin/status', { token: admin })).body).toMatchObject({ catalogVersion: 1, latestImport: { publishedVersion: 1 } });
  });

  it('takes an .xlsx upload and publishes it in one step; the export gives it back', async () => {
    const [workbook] = await exportContent(editedDemo(), 'xlsx');
    const body = Uint8Array.from(workbook!.bytes);
    const response = await fetch(`${hall.server.url}/api/v1/admin/catalog/imports?publish=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': xlsxType },
      body,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ publishedVersion: 1 });
    const exported = await api(hall.server.url, 'GET', '/api/v1/admin/catalog', { token: admin });
    expect(exported.body).toMatchObject({ version: 1 });
    expect({ catalog: exported.body.catalog, guides: exported.body.guides }).toEqual({ catalog: { ...editedDemo().catalog, version: 1 }, guides: editedDemo().guides });

    const anonymous = await fetch(`${hall.server.url}/api/v1/admin/catalog/imports`, { method: 'POST', headers: { 'content-type': xlsxType }, body });
    expect(anonymous.status).toBe(401);
  });

  it('refuses an invalid import with every problem listed, and changes nothing', async () => {
    const broken = editedDemo();
    broken.catalog.services = broken.catalog.services.map((s, i) => (i === 3 ? { ...s, prefix: 'ss' } : s));
    const refused = await api(hall.server.url, 'PUT', '/api/v1/admin/catalog', { token: admin, body: { ...broken, guides: { ...broken.guides, ghost: demoGuides['ss-card'] } } });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'invalid-body', message: expect.stringContaining('nothing imported: 2 problems') });
    expect(refused.body.error.issues).toEqual([
      { where: 'guides.ghost', message: '没有编号为“ghost”的事项，这份办事指南无所属事项' },
      { where: 'catalog.services[3].prefix', message: '必须为一到两个大写字母（现为“ss”）' },
    ]);
    const bare = await api(hall.server.url, 'PUT', '/api/v1/admin/catalog', { token: admin, body: fullDemoCatalog });
    expect(bare.body.error.issues[0].message).toContain('目录与各事项的办事指南一起导入');
    expect((await api(hall.server.url, 'GET', '/api/v1/admin/status', { token: admin })).body).toMatchObject({ catalogVersion: 0, latestImport: null });
  });
});

// The CLI is engine-agnostic above the store, which the tests above and catalog-import.test.ts run on
// both engines; spawning it costs seconds, so its own round trip runs once, on its default engine.
describe('catalog CLI: a hall edits its catalog in a spreadsheet', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hall-catalog-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exports the published catalog, imports the edited spreadsheet as a draft, and publishes it', async () => {
    const file = join(dir, 'hall.sqlite');
    const db: TestDatabase = { target: { sqliteFile: file }, dbArg: file };
    await inspect(db, async (k, opened) => {
      await migrateToLatest(opened, systemClockForTests);
      await new CatalogStore(k).seed(demoHallContent, systemClockForTests);
    });

    const xlsx = join(dir, 'hall.xlsx');
    const exported = await cli(db, ['catalog:export', xlsx]);
    expect(exported, exported.stderr).toMatchObject({ code: 0, stdout: expect.stringContaining('catalog version 0 exported to') });
    expect(await readImport({ kind: 'xlsx', name: xlsx, bytes: readFileSync(xlsx) })).toStrictEqual({ catalog: { ...fullDemoCatalog, version: 0 }, guides: demoGuides });

    // What a hall's staff do in Excel: change a cell, add a row.
    const tables = await readWorkbook(readFileSync(xlsx), xlsx);
    const services = tables.find((t) => t.name === '事项')!.rows;
    services.find((row) => row[0] === 'ss-card')![5] = 120;
    tables.find((t) => t.name === '常见问题')!.rows.push(['ss-card', '补卡要多久？', '即时制卡的当场领取。']);
    tables.find((t) => t.name === '俗称')!.rows.push(['身份证', '身份证件']);
    writeFileSync(xlsx, await writeWorkbook(tables.filter((t) => t.name !== '说明')));

    const imported = await cli(db, ['catalog:import', xlsx]);
    expect(imported, imported.stderr).toMatchObject({ code: 0 });
    expect(imported.stdout).toContain('catalog imported from hall.xlsx: 13 departments, 72 services, 72 guides');
    expect(imported.stdout).toContain('changes from published version 0: services changed 1 (ss-card); guides changed 1 (ss-card); synonyms +1 (身份证)');
    expect(imported.stdout).toContain('not published yet');
    expect(await inspect(db, async (k) => (await new CatalogStore(k).latest())?.version)).toBe(0);

    const published = await cli(db, ['catalog:publish']);
    expect(published, published.stderr).toMatchObject({ code: 0, stdout: expect.stringContaining('catalog version 1 published') });
    const now = await inspect(db, (k) => new CatalogStore(k).latestContent());
    expect(now?.version).toBe(1);
    expect({ catalog: { ...now!.catalog, version: 0 }, guides: now!.guides }).toEqual(editedDemo());
  });
});
