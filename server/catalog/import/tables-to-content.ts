import { catalogTables, isOptionalColumn, notesSheetName } from './catalog-tables.ts';
import type { ColumnSpec, TableKey, TableSpec } from './catalog-tables.ts';
import type { CandidateContent, DocPath, PathIssue } from './content-checks.ts';
import type { ImportIssue } from './import-issue.ts';
import { columnLetter, isEmptyCell, parseCell } from './sheet-cells.ts';
import type { CellValue, SheetRows } from './sheet-cells.ts';

/**
 * Reads the tables of a workbook (or a set of CSV files) into a candidate catalog and guides, and
 * remembers which cell each value came from, so that any problem found later — by the cell
 * parser, the cross-checks or core's schemas — is reported at the cell a person must change.
 */

interface Place {
  table: number;
  sheet: string;
  /** 1-based as the spreadsheet shows it; 0 for the sheet as a whole */
  row: number;
  column?: { index: number; key: string };
}

export interface PlacedIssue extends ImportIssue {
  place: Place;
}

export interface TablesRead {
  candidate: CandidateContent;
  /** problems of the sheets themselves, and of cells, already placed */
  placed: PlacedIssue[];
  /** problems of cells by document path, for checkContent to leave out what it would find again */
  pathIssues: PathIssue[];
  /** where a document path came from: the cell, or the nearest record above it */
  locate(path: DocPath): Place | undefined;
}

export function placeIssue(place: Place, message: string): PlacedIssue {
  const where = place.row === 0 ? place.sheet : `${place.sheet}!${place.column ? columnLetter(place.column.index) : ''}${place.row}`;
  return { where, ...(place.column ? { field: place.column.key } : {}), message, place };
}

const loose = (name: string) => name.toLowerCase().replace(/[\s_\-–]/g, '');
const withoutGloss = (name: string) => name.replace(/[（(][^（()）]*[)）]\s*$/, '').trim();

function matchesColumn(header: string, column: ColumnSpec): boolean {
  const names = [loose(column.header), loose(column.key)];
  return names.includes(loose(header)) || names.includes(loose(withoutGloss(header)));
}

function isNotesSheet(name: string): boolean {
  return name.trim().startsWith('#') || [notesSheetName, 'readme', 'notes'].includes(loose(name));
}

const pathKey = (path: DocPath) => JSON.stringify(path);

class SourceMap {
  private readonly places = new Map<string, Place>();

  record(path: DocPath, place: Place): void {
    this.places.set(pathKey(path), place);
  }

  locate(path: DocPath): Place | undefined {
    for (let n = path.length; n > 0; n--) {
      const place = this.places.get(pathKey(path.slice(0, n)));
      if (place) return place;
    }
    return undefined;
  }
}

/** A table found in the input, with its columns matched to the spec. */
interface OpenTable {
  spec: TableSpec;
  order: number;
  sheet: SheetRows;
  columns: Map<string, number>;
}

/** The cells of one data row, parsed on demand; problems are collected as they are met. */
class RowReader {
  constructor(
    private readonly table: OpenTable,
    private readonly cells: CellValue[],
    readonly number: number,
    private readonly sink: Reader,
  ) {}

  place(key: string): Place {
    const index = this.table.columns.get(key);
    const base = { table: this.table.order, sheet: this.table.sheet.name, row: this.number };
    return index === undefined ? base : { ...base, column: { index, key } };
  }

  isEmpty(key: string): boolean {
    const index = this.table.columns.get(key);
    return index === undefined || isEmptyCell(this.cells[index]);
  }

  /** The parsed value of a column, or undefined when the cell is invalid (the problem is reported). */
  get<T>(key: string, path: DocPath): T | undefined {
    const column = this.table.spec.columns.find((c) => c.key === key);
    if (!column) throw new Error(`no column ${key} in ${this.table.spec.key}`);
    const index = this.table.columns.get(key);
    if (index === undefined) {
      // The missing column is reported once, at the header; a required one would fail every row.
      if (!isOptionalColumn(column)) {
        this.sink.pathIssues.push({ path, message: '', silent: true });
        return undefined;
      }
      const empty = parseCell(column.kind, null);
      return empty.ok ? (empty.value as T) : undefined;
    }
    const place = this.place(key);
    this.sink.map.record(path, place);
    const parsed = parseCell(column.kind, this.cells[index] ?? null);
    if (parsed.ok) return parsed.value as T;
    this.sink.fail(path, place, parsed.message);
    return undefined;
  }

  /** A problem of this row found while assembling it, placed at `key`'s cell. */
  fail(key: string, path: DocPath, message: string, covers = false): void {
    this.sink.fail(path, this.place(key), message, covers);
  }
}

type Draft = Record<string, unknown>;

/** Drops undefined members, so an optional element left empty is absent rather than undefined. */
function compact(record: Draft): Draft {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/** A record's English texts, absent when none of its English cells is filled. */
function english(record: Draft): Draft | undefined {
  const filled = compact(record);
  return Object.keys(filled).length === 0 ? undefined : filled;
}

class Reader {
  readonly map = new SourceMap();
  readonly placed: PlacedIssue[] = [];
  readonly pathIssues: PathIssue[] = [];
  private readonly tables = new Map<TableKey, OpenTable>();

  fail(path: DocPath, place: Place, message: string, covers = false): void {
    this.map.record(path, place);
    this.pathIssues.push({ path, message, ...(covers ? { covers } : {}) });
    this.placed.push(placeIssue(place, message));
  }

  open(sheets: readonly SheetRows[]): void {
    for (const sheet of sheets) {
      if (isNotesSheet(sheet.name) || sheet.rows.every((row) => row.every(isEmptyCell))) continue;
      const order = catalogTables.findIndex((t) => loose(t.name) === loose(sheet.name) || loose(t.englishName) === loose(sheet.name));
      const sheetPlace = { table: catalogTables.length, sheet: sheet.name, row: 0 };
      if (order < 0) {
        const known = catalogTables.map((t) => t.name).join('、');
        this.placed.push(placeIssue(sheetPlace, `未知的工作表；应为 ${known} 之一（不导入的工作表请以 # 开头命名）`));
        continue;
      }
      const spec = catalogTables[order]!;
      const other = this.tables.get(spec.key);
      if (other) {
        this.placed.push(placeIssue({ ...sheetPlace, table: order }, `与工作表“${other.sheet.name}”是同一张表（${spec.name}），只能有一张`));
        continue;
      }
      this.tables.set(spec.key, { spec, order, sheet, columns: this.readHeader(spec, order, sheet) });
    }
    catalogTables.forEach((spec, order) => {
      if (spec.required && !this.tables.has(spec.key)) {
        this.placed.push(placeIssue({ table: order, sheet: spec.name, row: 0 }, `缺少工作表“${spec.name}”（${spec.englishName}）`));
      }
    });
  }

  private readHeader(spec: TableSpec, order: number, sheet: SheetRows): Map<string, number> {
    const columns = new Map<string, number>();
    const header = sheet.rows[0] ?? [];
    header.forEach((cell, index) => {
      if (isEmptyCell(cell)) return;
      const text = String(cell).trim();
      if (text.startsWith('#')) return;
      const place = { table: order, sheet: sheet.name, row: 1 };
      const column = spec.columns.find((c) => matchesColumn(text, c));
      if (!column) {
        this.placed.push(placeIssue({ ...place, column: { index, key: text } }, `未知的列“${text}”；不导入的列请在列名前加 #`));
        return;
      }
      const earlier = columns.get(column.key);
      if (earlier !== undefined) {
        this.placed.push(placeIssue({ ...place, column: { index, key: column.key } }, `与 ${columnLetter(earlier)} 列重复`));
        return;
      }
      columns.set(column.key, index);
    });
    for (const column of spec.columns) {
      if (!columns.has(column.key) && !isOptionalColumn(column)) {
        this.placed.push(placeIssue({ table: order, sheet: sheet.name, row: 0, column: { index: -1, key: column.key } }, `缺少必填列“${column.header}”`));
      }
    }
    return columns;
  }

  /** Data rows of a table, empty rows skipped. */
  rows(key: TableKey): RowReader[] {
    const table = this.tables.get(key);
    if (!table) return [];
    const out: RowReader[] = [];
    table.sheet.rows.forEach((cells, i) => {
      if (i > 0 && !cells.every(isEmptyCell)) out.push(new RowReader(table, cells, i + 1, this));
    });
    return out;
  }

  has(key: TableKey): boolean {
    return this.tables.has(key);
  }
}

/** A problem of a record as a whole is shown at its key cell. */
function recordRow(reader: Reader, row: RowReader, key: string, path: DocPath): void {
  reader.map.record(path, row.place(key));
}

export function tablesToContent(sheets: readonly SheetRows[]): TablesRead {
  const reader = new Reader();
  reader.open(sheets);

  const departments = reader.rows('departments').map((row, i) => {
    const at = ['catalog', 'departments', i];
    recordRow(reader, row, 'id', at);
    return {
      id: row.get<string>('id', [...at, 'id']),
      name: { zh: row.get<string>('name', [...at, 'name', 'zh']), en: row.get<string>('name_en', [...at, 'name', 'en']) },
      location: { zh: row.get<string>('location', [...at, 'location', 'zh']), en: row.get<string>('location_en', [...at, 'location', 'en']) },
    };
  });

  const serviceRows = reader.rows('services');
  const services = serviceRows.map((row, i) => {
    const at = ['catalog', 'services', i];
    recordRow(reader, row, 'id', at);
    return {
      id: row.get<string>('id', [...at, 'id']),
      departmentId: row.get<string>('department', [...at, 'departmentId']),
      code: row.get<string>('code', [...at, 'code']),
      name: { zh: row.get<string>('name', [...at, 'name', 'zh']), en: row.get<string>('name_en', [...at, 'name', 'en']) },
      prefix: row.get<string>('prefix', [...at, 'prefix']),
      dailyQuota: row.get<number>('daily_quota', [...at, 'dailyQuota']),
      windows: { zh: row.get<string>('windows', [...at, 'windows', 'zh']), en: row.get<string>('windows_en', [...at, 'windows', 'en']) },
    };
  });
  const serviceIndex = new Map<string, number>();
  services.forEach((s, i) => {
    if (s.id !== undefined && !serviceIndex.has(s.id)) serviceIndex.set(s.id, i);
  });

  const guides = new Map<string, Draft>();
  const guideRow = new Map<string, RowReader>();
  for (const row of reader.rows('guides')) {
    const serviceId = row.get<string>('service', ['tables', 'guides', row.number, 'service']);
    if (serviceId === undefined) continue;
    const at = ['guides', serviceId];
    const first = guideRow.get(serviceId);
    if (first) {
      row.fail('service', ['tables', 'guides', row.number], `事项“${serviceId}”已有办事指南（第 ${first.number} 行），每个事项只能有一行`);
      continue;
    }
    guideRow.set(serviceId, row);
    recordRow(reader, row, 'service', at);
    const index = serviceIndex.get(serviceId);
    const service = index === undefined ? undefined : { row: serviceRows[index]!, values: services[index]! };
    guides.set(serviceId, guideFromRow(reader, row, at, serviceId, service));
  }

  const children: { table: TableKey; member: string; name: string; read: (row: RowReader, at: DocPath) => unknown }[] = [
    { table: 'conditions', member: 'acceptanceConditions', name: '受理条件', read: (row, at) => row.get<string>('condition', at) },
    {
      table: 'legalBasis',
      member: 'legalBasis',
      name: '设定依据',
      read: (row, at) => compact({ law: row.get<string>('law', [...at, 'law']), article: row.get<string>('article', [...at, 'article']) }),
    },
    { table: 'materials', member: 'materials', name: '材料', read: materialFromRow },
    {
      table: 'steps',
      member: 'process',
      name: '流程',
      read: (row, at) =>
        compact({
          stage: row.get<string>('stage', [...at, 'stage']),
          name: row.get<string>('name', [...at, 'name']),
          description: row.get<string>('description', [...at, 'description']),
          en: english({ name: row.get<string>('name_en', [...at, 'en', 'name']), description: row.get<string>('description_en', [...at, 'en', 'description']) }),
        }),
    },
    {
      table: 'faq',
      member: 'faq',
      name: '常见问题',
      read: (row, at) =>
        compact({
          q: row.get<string>('question', [...at, 'q']),
          a: row.get<string>('answer', [...at, 'a']),
          en: english({ q: row.get<string>('question_en', [...at, 'en', 'q']), a: row.get<string>('answer_en', [...at, 'en', 'a']) }),
        }),
    },
  ];
  // Acceptance conditions are plain texts; their English pairs with them by position in the guide's `en`.
  const conditionsEn = new Map<string, (string | null)[]>();
  for (const child of children) {
    for (const row of reader.rows(child.table)) {
      const serviceId = row.get<string>('service', ['tables', child.table, row.number, 'service']);
      if (serviceId === undefined) continue;
      if (!serviceIndex.has(serviceId)) {
        row.fail('service', ['tables', child.table, row.number], `没有编号为“${serviceId}”的事项`);
        continue;
      }
      // A service without a guide row is reported at the service; its rows here have no home yet.
      const guide = guides.get(serviceId);
      if (!guide) continue;
      const list = guide[child.member] as unknown[];
      const at = ['guides', serviceId, child.member, list.length];
      // A problem of the list as a whole (the order of the steps) is shown at its first row.
      if (list.length === 0) recordRow(reader, row, 'service', at.slice(0, -1));
      recordRow(reader, row, 'service', at);
      if (child.table === 'conditions') {
        const translations = conditionsEn.get(serviceId) ?? [];
        translations.push(row.get<string>('condition_en', ['guides', serviceId, 'en', 'acceptanceConditions', list.length]) ?? null);
        conditionsEn.set(serviceId, translations);
      }
      list.push(child.read(row, at));
    }
    if (child.table === 'faq') continue;
    for (const [serviceId, guide] of guides) {
      // A guide of an unknown service is reported as that; its missing rows follow from it.
      if ((guide[child.member] as unknown[]).length > 0 || !serviceIndex.has(serviceId)) continue;
      const path = ['guides', serviceId, child.member];
      if (!reader.has(child.table)) reader.pathIssues.push({ path, message: '', silent: true, covers: true });
      else guideRow.get(serviceId)!.fail('service', path, `“${child.name}”表中没有该事项的${child.name}，至少要有一${child.table === 'steps' ? '个步骤' : '条'}`, true);
    }
  }

  for (const [serviceId, translations] of conditionsEn) {
    if (translations.every((t) => t === null)) continue;
    const guide = guides.get(serviceId)!;
    guide.en = { ...(guide.en as Draft | undefined), acceptanceConditions: translations };
  }

  const synonyms = reader.rows('synonyms').map((row, i) => {
    const at = ['catalog', 'synonyms', i];
    recordRow(reader, row, 'term', at);
    return { term: row.get<string>('term', [...at, 'term']), colloquial: row.get<string[]>('colloquial', [...at, 'colloquial']) };
  });

  return {
    candidate: { departments, services, guides: [...guides], synonyms },
    placed: reader.placed,
    pathIssues: reader.pathIssues,
    locate: (path) => reader.map.locate(path),
  };
}

interface ServiceSource {
  row: RowReader;
  values: { code?: string; name: { zh?: string; en?: string }; windows: { zh?: string } };
}

function guideFromRow(reader: Reader, row: RowReader, at: DocPath, serviceId: string, service: ServiceSource | undefined): Draft {
  // Code, name and windows are the catalog's: one cell each, so guide and ticket cannot disagree.
  const fromService = (key: string, value: (s: ServiceSource['values']) => string | undefined, path: DocPath): string | undefined => {
    if (!service) return undefined;
    reader.map.record(path, service.row.place(key));
    const found = value(service.values);
    // An empty or invalid cell of the service is reported there, not again for the guide.
    if (found === undefined) reader.pathIssues.push({ path, message: '', silent: true });
    return found;
  };
  const statutory = row.get<number | null>('statutory_days', [...at, 'timeLimits', 'statutoryWorkingDays']);
  const charged = row.get<boolean>('fee_charged', [...at, 'fee', 'charged']);
  const fee: Draft = { charged };
  const basis = row.get<string>('fee_basis', [...at, 'fee', 'basis']);
  const standard = row.get<string>('fee_standard', [...at, 'fee', 'standard']);
  const feeParts = [['fee_basis', 'basis', basis, '收费依据'], ['fee_standard', 'standard', standard, '收费标准']] as const;
  if (charged === true) {
    for (const [key, member, value, what] of feeParts) {
      if (value === undefined) row.fail(row.place(key).column ? key : 'fee_charged', [...at, 'fee', member], `收费的事项必须填写${what}`);
    }
    Object.assign(fee, { basis, standard });
  } else if (charged === false) {
    // Kept silently, a basis for a free service would vanish on the next export.
    for (const [key, member, value] of feeParts) {
      if (value !== undefined) row.fail(key, [...at, 'fee', member], '“是否收费”为“否”，此格应留空');
    }
  }
  return compact({
    serviceId,
    code: fromService('code', (s) => s.code, [...at, 'code']),
    name: { zh: fromService('name', (s) => s.name.zh, [...at, 'name', 'zh']), en: fromService('name_en', (s) => s.name.en, [...at, 'name', 'en']) },
    summary: compact({ zh: row.get<string>('summary', [...at, 'summary', 'zh']), en: row.get<string>('summary_en', [...at, 'summary', 'en']) }),
    implementingBody: row.get<string>('implementing_body', [...at, 'implementingBody']),
    handlingUnit: row.get<string>('handling_unit', [...at, 'handlingUnit']),
    place: { address: row.get<string>('address', [...at, 'place', 'address']), windows: fromService('windows', (s) => s.windows.zh, [...at, 'place', 'windows']) },
    hours: row.get<string>('hours', [...at, 'hours']),
    phones: { consult: row.get<string>('consult_phone', [...at, 'phones', 'consult']), supervision: row.get<string>('supervision_phone', [...at, 'phones', 'supervision']) },
    type: row.get<string>('type', [...at, 'type']),
    category: row.get<string>('category', [...at, 'category']),
    legalBasis: [],
    acceptanceConditions: [],
    materials: [],
    process: [],
    timeLimits: compact({
      statutoryWorkingDays: statutory,
      promisedWorkingDays: row.get<number>('promised_days', [...at, 'timeLimits', 'promisedWorkingDays']),
      note: row.get<string>('time_limit_note', [...at, 'timeLimits', 'note']),
    }),
    visits: row.get<number>('visits', [...at, 'visits']),
    fee,
    faq: [],
    keywords: row.get<string[]>('keywords', [...at, 'keywords']),
    available24h: row.get<boolean>('available_24h', [...at, 'available24h']),
    onlineUrl: row.get<string>('online_url', [...at, 'onlineUrl']),
    en: english({
      implementingBody: row.get<string>('implementing_body_en', [...at, 'en', 'implementingBody']),
      handlingUnit: row.get<string>('handling_unit_en', [...at, 'en', 'handlingUnit']),
      timeLimitNote: row.get<string>('time_limit_note_en', [...at, 'en', 'timeLimitNote']),
      feeBasis: row.get<string>('fee_basis_en', [...at, 'en', 'feeBasis']),
      feeStandard: row.get<string>('fee_standard_en', [...at, 'en', 'feeStandard']),
      address: row.get<string>('address_en', [...at, 'en', 'address']),
      hours: row.get<string>('hours_en', [...at, 'en', 'hours']),
    }),
  });
}

function materialFromRow(row: RowReader, at: DocPath): Draft {
  const condition = row.get<string>('condition', [...at, 'requirement', 'condition']);
  // A blank form or sample is a title and a file; half of one cannot be shown on the kiosk.
  const documentRef = (titleKey: string, refKey: string, member: string): Draft | undefined => {
    const title = row.get<string>(titleKey, [...at, member, 'title']);
    const ref = row.get<string>(refKey, [...at, member, 'ref']);
    if (title === undefined && ref === undefined) {
      if (!row.isEmpty(titleKey) || !row.isEmpty(refKey)) return { title, ref };
      return undefined;
    }
    if (title !== undefined && ref === undefined && row.isEmpty(refKey)) row.fail(row.place(refKey).column ? refKey : titleKey, [...at, member, 'ref'], '填写了名称，也须填写地址');
    if (ref !== undefined && title === undefined && row.isEmpty(titleKey)) row.fail(row.place(titleKey).column ? titleKey : refKey, [...at, member, 'title'], '填写了地址，也须填写名称');
    return { title, ref };
  };
  return compact({
    id: row.get<string>('id', [...at, 'id']),
    name: row.get<string>('name', [...at, 'name']),
    form: row.get<string>('form', [...at, 'form']),
    copies: row.get<number>('copies', [...at, 'copies']),
    medium: row.get<string>('medium', [...at, 'medium']),
    requirement: condition === undefined ? { kind: 'required' } : { kind: 'conditional', condition },
    source: compact({ channel: row.get<string>('channel', [...at, 'source', 'channel']), issuer: row.get<string>('issuer', [...at, 'source', 'issuer']) }),
    specialRequirements: row.get<string>('special_requirements', [...at, 'specialRequirements']),
    blankForm: documentRef('blank_form', 'blank_form_ref', 'blankForm'),
    sample: documentRef('sample', 'sample_ref', 'sample'),
    en: english({
      name: row.get<string>('name_en', [...at, 'en', 'name']),
      condition: row.get<string>('condition_en', [...at, 'en', 'condition']),
      issuer: row.get<string>('issuer_en', [...at, 'en', 'issuer']),
      specialRequirements: row.get<string>('special_requirements_en', [...at, 'en', 'specialRequirements']),
      blankForm: row.get<string>('blank_form_en', [...at, 'en', 'blankForm']),
      sample: row.get<string>('sample_en', [...at, 'en', 'sample']),
    }),
  });
}
