import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CatalogContent } from '../../../server/catalog/import/catalog-content.ts';
import { exportCatalogFiles, importSourceFrom } from '../../../server/catalog/import/catalog-files.ts';
import { exportContent, readImport } from '../../../server/catalog/import/catalog-import.ts';
import type { ImportSource } from '../../../server/catalog/import/catalog-import.ts';
import { contentToTables } from '../../../server/catalog/import/content-to-tables.ts';
import { CatalogImportError, formatIssue } from '../../../server/catalog/import/import-issue.ts';
import type { CellValue, SheetRows } from '../../../server/catalog/import/sheet-cells.ts';
import { readWorkbook, writeWorkbook } from '../../../server/catalog/import/xlsx-workbook.ts';
import { CatalogStore } from '../../../server/catalog/catalog-store.ts';
import { openDatabase } from '../../../server/db/connect.ts';
import type { ServerDb } from '../../../server/db/connect.ts';
import { migrateToLatest } from '../../../server/db/migrations.ts';
import { describeEngines } from '../support/engines.ts';
import { demoGuides, demoHallContent, fullDemoCatalog } from '../../support/demo-hall.ts';
import { TestClock } from '../../support/test-clock.ts';

const demo: CatalogContent = { catalog: fullDemoCatalog, guides: demoGuides };
/** The spreadsheet row of a service in the exported 事项 and 办事指南 sheets (row 1 is the header). */
const rowOf = (serviceId: string) => fullDemoCatalog.services.findIndex((s) => s.id === serviceId) + 2;
const sheet = (tables: SheetRows[], name: string): CellValue[][] => tables.find((t) => t.name === name)!.rows;
const column = (tables: SheetRows[], name: string, header: string) => sheet(tables, name)[0]!.indexOf(header);

async function xlsxOf(tables: SheetRows[]): Promise<ImportSource> {
  return { kind: 'xlsx', name: 'catalog.xlsx', bytes: await writeWorkbook(tables) };
}

async function refusal(source: ImportSource): Promise<string[]> {
  const error = await readImport(source).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CatalogImportError);
  expect((error as CatalogImportError).message).toContain('nothing imported');
  return (error as CatalogImportError).issues.map(formatIssue);
}

describe('catalog files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hall-catalog-files-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one sheet per table with Chinese headers, and a 说明 sheet for people', async () => {
    const [file] = await exportContent(demo, 'xlsx');
    const sheets = await readWorkbook(file!.bytes, 'catalog.xlsx');
    expect(sheets.map((s) => s.name)).toEqual(['部门', '事项', '办事指南', '受理条件', '设定依据', '材料', '流程', '常见问题', '俗称', '说明']);
    expect(sheets[1]!.rows[0]).toEqual(['事项编号', '事项名称', '取号字母', '部门编号', '事项编码', '每日限号', '办理窗口', '英文名称', '英文窗口']);
    expect(sheets[1]!.rows).toHaveLength(fullDemoCatalog.services.length + 1);
    // Typed cells: numbers as numbers, a phone number of digits stays text.
    expect(sheets[1]!.rows[1]![5]).toBe(200);
    const guides = sheets[2]!;
    expect(guides.rows[1]![guides.rows[0]!.indexOf('咨询电话')]).toBe('12315');
  });

  it('imports CSV files exported by Excel in either UTF-8 or GB18030, from a directory or one by one', async () => {
    const csvDir = join(dir, 'csv');
    const written = await exportCatalogFiles(demo, csvDir);
    expect(written.map((f) => f.slice(csvDir.length + 1)).sort()).toEqual(['事项.csv', '办事指南.csv', '受理条件.csv', '常见问题.csv', '材料.csv', '流程.csv', '设定依据.csv', '部门.csv', '俗称.csv'].sort());
    // A Chinese Excel's plain "CSV" is GB18030; re-save one table that way.
    const services = join(csvDir, '事项.csv');
    writeFileSync(services, iconv.encode(readFileSync(services, 'utf8').replace(/^\uFEFF/, ''), 'gb18030'));
    expect(readFileSync(services).includes(Buffer.from('事项编号', 'utf8'))).toBe(false);

    expect(await readImport(importSourceFrom([csvDir]).source)).toStrictEqual({ catalog: { ...fullDemoCatalog, version: 0 }, guides: demoGuides });
    const someFiles = importSourceFrom(written.filter((f) => !f.endsWith('常见问题.csv')));
    const withoutFaq = await readImport(someFiles.source);
    expect(Object.values(withoutFaq.guides).every((g) => g.faq.length === 0)).toBe(true);
  });

  it('tells a bare catalog (the format before guides) and an old .xls file apart from a broken file', async () => {
    const bare = { kind: 'json', name: 'old.json', text: JSON.stringify(fullDemoCatalog) } as const;
    expect(await refusal(bare)).toEqual([expect.stringContaining('(root): 导入文件须为 {"catalog": {…}, "guides": {…}}')]);
    expect(() => importSourceFrom(['catalog.xls'])).toThrow('save the workbook as .xlsx');
    await expect(readImport({ kind: 'xlsx', name: 'notes.xlsx', bytes: Buffer.from('not a zip') })).rejects.toThrow('cannot read notes.xlsx as an .xlsx workbook');
  });
});

describe('invalid rows: every problem at its sheet, row and column', () => {
  const cases: { name: string; edit: (tables: SheetRows[]) => void; expected: string[] }[] = [
    {
      name: 'a bad ticket prefix',
      edit: (t) => (sheet(t, '事项')[rowOf('residence-permit') - 1]![2] = 'h1'),
      expected: [`事项!C${rowOf('residence-permit')} (prefix): 必须为一到两个大写字母（现为“h1”）`],
    },
    {
      name: 'an unknown department',
      edit: (t) => (sheet(t, '事项')[rowOf('ss-card') - 1]![3] = 'social-affairs'),
      expected: [`事项!D${rowOf('ss-card')} (department): 没有编号为“social-affairs”的部门`],
    },
    {
      name: 'a duplicate service id',
      edit: (t) => sheet(t, '事项').push(['pension', '养老保险关系转移（副本）', 'ZZ', 'social', 'RS-999', 10, '99号窗口', 'Pension (copy)', 'Counter 99']),
      expected: [`事项!A${fullDemoCatalog.services.length + 2} (id): 事项编号“pension”重复（另见 事项!A${rowOf('pension')}）`],
    },
    {
      name: 'a duplicate prefix and a duplicate code',
      edit: (t) => {
        const row = sheet(t, '事项')[rowOf('fund-loan') - 1]!;
        row[2] = 'F';
        row[4] = 'GJJ-001';
      },
      expected: [
        `事项!C${rowOf('fund-loan')} (prefix): 取号字母“F”已被事项“fund-withdrawal”使用，全厅不能重复（另见 事项!C${rowOf('fund-withdrawal')}）`,
        `事项!E${rowOf('fund-loan')} (code): 事项编码“GJJ-001”已被事项“fund-withdrawal”使用（另见 事项!E${rowOf('fund-withdrawal')}）`,
      ],
    },
    {
      name: 'a missing required column',
      edit: (t) => {
        for (const row of sheet(t, '事项')) row.splice(5, 1);
      },
      expected: ['事项 (daily_quota): 缺少必填列“每日限号”'],
    },
    {
      name: 'bad numbers',
      edit: (t) => {
        sheet(t, '事项')[rowOf('exit-entry') - 1]![5] = '很多';
        sheet(t, '材料')[3]![column(t, '材料', '份数')] = 0;
        sheet(t, '办事指南')[rowOf('ss-card') - 1]![column(t, '办事指南', '到现场次数')] = 2.5;
      },
      expected: [
        `事项!F${rowOf('exit-entry')} (daily_quota): 必须是正整数（现为“很多”）`,
        `办事指南!K${rowOf('ss-card')} (visits): 必须是 0–5 的整数（现为“2.5”）`,
        '材料!E4 (copies): 必须是 1–20 的整数（现为“0”）',
      ],
    },
    {
      name: 'a guide for an unknown service, and material rows of one',
      edit: (t) => {
        const guides = sheet(t, '办事指南');
        guides.push(['ghost-service', ...guides[1]!.slice(1)]);
        sheet(t, '材料')[5]![0] = 'ghost-service';
      },
      expected: [
        `办事指南!A${fullDemoCatalog.services.length + 2} (service): 没有编号为“ghost-service”的事项，这份办事指南无所属事项`,
        '材料!A6 (service): 没有编号为“ghost-service”的事项',
      ],
    },
    {
      name: 'a service without a guide',
      edit: (t) => sheet(t, '办事指南').splice(rowOf('food-licence') - 1, 1),
      expected: [`事项!A${rowOf('food-licence')} (id): 事项“food-licence”没有办事指南`],
    },
    {
      name: 'rules of the guide: fees, the order of the steps, the promised time limit',
      edit: (t) => {
        const row = sheet(t, '办事指南')[rowOf('biz-registration') - 1]!;
        row[column(t, '办事指南', '是否收费')] = '是';
        row[column(t, '办事指南', '承诺办结时限')] = 9;
        const steps = sheet(t, '流程');
        [steps[1], steps[2]] = [steps[2]!, steps[1]!];
      },
      expected: [
        `办事指南!I${rowOf('biz-registration')} (promised_days): 承诺办结时限不能超过法定办结时限（现为“9”）`,
        `办事指南!M${rowOf('biz-registration')} (fee_basis): 收费的事项必须填写收费依据`,
        `办事指南!N${rowOf('biz-registration')} (fee_standard): 收费的事项必须填写收费标准`,
        '流程!A2 (service): 四个环节须按 受理→审核→审批→办结 的顺序，从受理开始、以办结结束',
      ],
    },
    {
      name: 'sheets and columns that are missing or unknown',
      edit: (t) => {
        t.splice(t.findIndex((s) => s.name === '流程'), 1);
        t.push({ name: 'Sheet1', rows: [['备忘']] }, { name: '#草稿', rows: [['ignored']] });
        sheet(t, '部门')[0]!.push('备注', '#备注');
      },
      expected: [
        '部门!F1 (备注): 未知的列“备注”；不导入的列请在列名前加 #',
        '流程: 缺少工作表“流程”（steps）',
        'Sheet1: 未知的工作表；应为 部门、事项、办事指南、受理条件、设定依据、材料、流程、常见问题、俗称 之一（不导入的工作表请以 # 开头命名）',
      ],
    },
    {
      name: 'a 俗称 that stands for two words, and a row without any',
      edit: (t) => {
        const rows = sheet(t, '俗称');
        rows[3]![1] = '驾照、房子';
        rows[4]![1] = '';
      },
      expected: ['俗称!B4 (colloquial): 俗称“房子”已对应“不动产”，一个俗称只能对应一个规范用语', '俗称!B5 (colloquial): 至少写一个俗称，用顿号分隔'],
    },
  ];

  for (const c of cases) {
    it(`reports ${c.name}`, async () => {
      const tables = contentToTables(demo);
      c.edit(tables);
      expect(await refusal(await xlsxOf(tables))).toEqual(c.expected);
    });
  }

  it('reports all of them at once, in sheet and row order', async () => {
    const tables = contentToTables(demo);
    for (const c of cases.slice(0, 4)) c.edit(tables);
    expect(await refusal(await xlsxOf(tables))).toEqual(
      cases
        .slice(0, 4)
        .flatMap((c) => c.expected)
        .sort((a, b) => Number(/\d+/.exec(a.split('!')[1]!)![0]) - Number(/\d+/.exec(b.split('!')[1]!)![0]) || a.localeCompare(b)),
    );
  });

  it('carries the 俗称 table through XLSX and JSON, and imports a workbook without that sheet', async () => {
    const tables = contentToTables(demo);
    expect(sheet(tables, '俗称')[0]).toEqual(['规范用语', '俗称']);
    expect(sheet(tables, '俗称')[1]).toEqual(['不动产', '房产、房子、房屋']);
    const imported = await readImport(await xlsxOf(tables));
    expect(imported.catalog.synonyms).toEqual(fullDemoCatalog.synonyms);
    const [json] = await exportContent(demo, 'json');
    expect((await readImport({ kind: 'json', name: 'catalog.json', text: json!.bytes.toString() })).catalog.synonyms).toEqual(fullDemoCatalog.synonyms);
    const without = await readImport(await xlsxOf(tables.filter((t) => t.name !== '俗称')));
    expect(without.catalog).not.toHaveProperty('synonyms');
  });

  it('accepts headers in English and sheets by their English names', async () => {
    const tables = contentToTables(demo);
    const services = tables.find((t) => t.name === '事项')!;
    services.name = 'Services';
    services.rows[0] = ['id', 'name', 'Prefix', 'department', 'code', 'Daily Quota', 'windows', 'name_en', 'windows_en'];
    expect((await readImport(await xlsxOf(tables))).catalog.services).toEqual(fullDemoCatalog.services);
  });

  it('names JSON paths in a JSON import', async () => {
    const services = fullDemoCatalog.services.map((s) => (s.id === 'pension' ? { ...s, prefix: 'p', departmentId: 'nowhere' } : s));
    const guides = { ...demoGuides, ghost: { ...demoGuides['pension']!, serviceId: 'ghost' } };
    const text = JSON.stringify({ catalog: { ...fullDemoCatalog, services }, guides });
    const at = fullDemoCatalog.services.findIndex((s) => s.id === 'pension');
    expect(await refusal({ kind: 'json', name: 'catalog.json', text })).toEqual([
      `catalog.services[${at}].departmentId: 没有编号为“nowhere”的部门`,
      'guides.ghost: 没有编号为“ghost”的事项，这份办事指南无所属事项',
      `catalog.services[${at}].prefix: 必须为一到两个大写字母（现为“p”）`,
    ]);
  });
});

describeEngines('catalog import into the database', (engine) => {
  let opened: ServerDb;
  let store: CatalogStore;
  const clock = new TestClock();

  beforeEach(async () => {
    opened = openDatabase((await engine.fresh()).target, { poolSize: 4 });
    await migrateToLatest(opened, clock);
    store = new CatalogStore(opened.db);
    await store.seed(demoHallContent, clock);
  });
  afterEach(() => opened.close());

  async function tablesNow() {
    return {
      versions: await opened.db.selectFrom('catalog_versions').select(['version', 'imported_at']).orderBy('version').execute(),
      drafts: await opened.db.selectFrom('catalog_drafts').select(['id', 'published_version']).orderBy('id').execute(),
    };
  }

  for (const format of ['json', 'xlsx'] as const) {
    it(`round-trips ${format.toUpperCase()}: export, import, publish gives back the same catalog and guides`, async () => {
      const [file] = await exportContent(demo, format);
      const source: ImportSource = format === 'json' ? { kind: 'json', name: file!.name, text: Buffer.from(file!.bytes).toString('utf8') } : { kind: 'xlsx', name: file!.name, bytes: file!.bytes };
      const saved = await store.saveDraft(await readImport(source), clock, { source: file!.name, publish: true });
      expect(saved.published?.version).toBe(1);
      expect(await store.latestContent()).toStrictEqual({ version: 1, catalog: { ...fullDemoCatalog, version: 1 }, guides: demoGuides });
    });
  }

  it('keeps an import as a draft until it is published, then publishes only the latest one once', async () => {
    const quieter = { ...demo, catalog: { ...fullDemoCatalog, services: fullDemoCatalog.services.map((s) => (s.id === 'ss-card' ? { ...s, dailyQuota: 7 } : s)) } };
    const draft = await store.saveDraft(quieter, clock, { source: 'test', publish: false });
    expect(draft.published).toBeNull();
    expect((await store.latest())?.version).toBe(0);
    const published = await store.publish(clock);
    expect(published).toMatchObject({ version: 1, draftId: draft.draft.id });
    expect((await store.service('ss-card'))?.dailyQuota).toBe(7);
    await expect(store.publish(clock)).rejects.toThrow(`already published as version 1`);
    expect((await tablesNow()).drafts).toEqual([{ id: draft.draft.id, published_version: 1 }]);
  });

  it('changes nothing when an import is refused', async () => {
    const before = await tablesNow();
    const tables = contentToTables(demo);
    sheet(tables, '事项')[2]![2] = 'lower';
    await expect(readImport(await xlsxOf(tables)).then((c) => store.saveDraft(c, clock, { source: 'x', publish: true }))).rejects.toBeInstanceOf(CatalogImportError);
    expect(await tablesNow()).toEqual(before);
    expect(await store.latestContent()).toMatchObject({ version: 0, guides: demoGuides });
  });

  it('publishes concurrent imports as distinct versions, and keeps no draft of one that lost the race', async () => {
    const results = await Promise.allSettled([1, 2, 3].map(() => store.saveDraft(demo, clock, { source: 'race', publish: true })));
    const { versions, drafts } = await tablesNow();
    const won = results.filter((r) => r.status === 'fulfilled').length;
    expect(won).toBeGreaterThanOrEqual(1);
    expect(versions.map((v) => v.version)).toEqual(Array.from({ length: won + 1 }, (_, i) => i));
    expect(drafts.map((d) => d.published_version).sort()).toEqual(versions.slice(1).map((v) => v.version));
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(CatalogImportError);
  });
});

describe('English texts of a guide', () => {
  const base = demoGuides['ss-card']!;
  const translated = {
    ...base,
    en: {
      implementingBody: 'City Human Resources and Social Security Bureau',
      handlingUnit: 'Social Security Card Service Centre',
      acceptanceConditions: base.acceptanceConditions.map((_, i) => (i === 0 ? 'You are insured in this city' : null)),
      address: 'Government Service Hall, 1F West',
      hours: 'Monday to Friday 9:00–17:00',
    },
    materials: base.materials.map((m, i) => (i === 0 ? { ...m, en: { name: 'Resident identity card' } } : m)),
    process: base.process.map((s, i) => (i === 0 ? { ...s, en: { name: 'Acceptance', description: 'The counter checks your documents.' } } : s)),
    faq: base.faq.map((f, i) => (i === 0 ? { ...f, en: { q: 'How long does it take?', a: 'A few minutes.' } } : f)),
  };
  const content: CatalogContent = { catalog: fullDemoCatalog, guides: { ...demoGuides, 'ss-card': translated } };

  it('writes the English in 英文… columns and reads it back from XLSX and JSON unchanged', async () => {
    const tables = contentToTables(content);
    const materials = sheet(tables, '材料');
    const firstMaterial = materials.findIndex((row) => row[0] === 'ss-card');
    expect(materials[firstMaterial]![column(tables, '材料', '英文材料名称')]).toBe('Resident identity card');
    const conditions = sheet(tables, '受理条件').filter((row) => row[0] === 'ss-card');
    expect(conditions.map((row) => row[2])).toEqual(translated.en.acceptanceConditions);
    const fromSheets = await readImport(await xlsxOf(tables));
    expect(fromSheets.guides['ss-card']).toStrictEqual(translated);
    const [json] = await exportContent(content, 'json');
    const fromJson = await readImport({ kind: 'json', name: 'catalog.json', text: json!.bytes.toString() });
    expect(fromJson.guides['ss-card']).toStrictEqual(translated);
  });

  it('reads a workbook without any English column as a guide without English', async () => {
    const tables = contentToTables(content).map((t) => {
      const keep = t.rows[0]!.map((h, i) => (String(h).startsWith('英文') && t.name !== '部门' && t.name !== '事项' ? -1 : i)).filter((i) => i >= 0);
      return { ...t, rows: t.rows.map((row) => keep.map((i) => row[i] ?? null)) };
    });
    const imported = await readImport(await xlsxOf(tables));
    expect(imported.guides['ss-card']).not.toHaveProperty('en');
    expect(imported.guides['ss-card']!.materials[0]).not.toHaveProperty('en');
  });

  it('refuses English for a text the guide does not have, at its cell', async () => {
    const tables = contentToTables(content);
    const materials = sheet(tables, '材料');
    const row = materials.findIndex((r) => r[0] === 'ss-card' && (r[column(tables, '材料', '适用情形')] ?? '') === '');
    const at = column(tables, '材料', '英文适用情形');
    materials[row]![at] = 'If you apply for someone else';
    const letter = String.fromCharCode(65 + at);
    expect(await refusal(await xlsxOf(tables))).toEqual([`材料!${letter}${row + 1} (condition_en): English condition without the Chinese text it translates`]);
  });

  it('refuses a malformed English field in JSON, naming its path', async () => {
    const bad = { ...translated, materials: translated.materials.map((m, i) => (i === 0 ? { ...m, en: { nmae: 'Identity card' } } : m)), en: { ...translated.en, hours: '' } };
    const text = JSON.stringify({ catalog: fullDemoCatalog, guides: { ...demoGuides, 'ss-card': bad } });
    const issues = await refusal({ kind: 'json', name: 'catalog.json', text });
    expect(issues).toHaveLength(2);
    expect(issues.find((i) => i.startsWith('guides.ss-card.materials[0].en'))).toMatch(/nmae/);
    expect(issues.find((i) => i.startsWith('guides.ss-card.en.hours'))).toBeDefined();
  });

  it('refuses English acceptance conditions that do not pair with the Chinese ones', async () => {
    const bad = { ...translated, en: { ...translated.en, acceptanceConditions: ['Only one'] } };
    const text = JSON.stringify({ catalog: fullDemoCatalog, guides: { ...demoGuides, 'ss-card': bad } });
    expect(await refusal({ kind: 'json', name: 'catalog.json', text })).toEqual([
      `guides.ss-card.en.acceptanceConditions: 1 English acceptance conditions for ${base.acceptanceConditions.length} Chinese ones: pair them by position, null where one is not translated`,
    ]);
  });
});
