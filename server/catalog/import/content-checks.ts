import { z } from 'zod';
import { catalogSchema, departmentSchema, serviceItemSchema, synonymIssues, synonymSchema } from '../../../core/catalog/catalog.ts';
import { guideMismatches, serviceGuideSchema, serviceGuidesSchema, standardStages } from '../../../core/guide/service-guide.ts';
import type { CatalogContent } from './catalog-content.ts';

/**
 * Validation of an import, whatever file it came from: core's schemas decide what is valid, and
 * the cross-checks between records are made here so that every problem is found in one pass —
 * core's own cross-checks run only once each record is valid, which would make a hall fix a
 * file, import, and fix it again. Problems are reported by their place in the document; each
 * reader turns that place into a cell or a JSON path.
 */

export type DocPath = readonly (string | number)[];

export interface PathIssue {
  path: DocPath;
  message: string;
  /** the other record of a clash, e.g. the first use of a duplicated prefix */
  related?: DocPath;
  /** everything under `path` follows from this problem, so core need not report it again */
  covers?: boolean;
  /** reported elsewhere already (a missing column): only keeps core from reporting it once per row */
  silent?: boolean;
}

/** Not yet validated: records as the file held them, guides in file order. */
export interface CandidateContent {
  departments: unknown[];
  services: unknown[];
  guides: [serviceId: string, guide: unknown][];
  /** the hall's 俗称 table; empty when the file has none */
  synonyms: unknown[];
}

export type ContentCheck = { ok: true; content: CatalogContent } | { ok: false; issues: PathIssue[] };

// Core's messages are written for developers; the people importing are the hall's staff.
const formatRules: Record<string, string> = {
  'catalog.services.*.prefix': '必须为一到两个大写字母',
  'catalog.services.*.dailyQuota': '必须是正整数',
  'guides.*.materials.*.id': '只能由小写字母、数字和连字符组成，如 id-card',
  'guides.*.materials.*.copies': '必须是 1–20 的整数',
  'guides.*.materials.*.blankForm.ref': '只能是可打印的 ASCII 字符，不含空格',
  'guides.*.materials.*.sample.ref': '只能是可打印的 ASCII 字符，不含空格',
  'guides.*.legalBasis.*.law': '须以书名号《》括起的法规名称开头',
  'guides.*.phones.consult': '只能由数字和连字符组成（3–20 位）',
  'guides.*.phones.supervision': '只能由数字和连字符组成（3–20 位）',
  'guides.*.onlineUrl': '必须是 http:// 或 https:// 开头的网址，且只含 ASCII 字符',
  'guides.*.process': '至少要有两个步骤',
  'guides.*.visits': '必须是 0–5 的整数',
  'catalog.synonyms.*.colloquial': '至少写一个俗称，用顿号分隔',
};
const customRules: Record<string, string> = {
  'guides.*.process': '四个环节须按 受理→审核→审批→办结 的顺序，从受理开始、以办结结束',
  'guides.*.materials.*.id': '同一事项内材料编号重复',
  'guides.*.timeLimits.promisedWorkingDays': '承诺办结时限不能超过法定办结时限',
};

function pattern(path: DocPath): string {
  return path.map((segment, i) => (typeof segment === 'number' || (path[0] === 'guides' && i === 1) ? '*' : segment)).join('.');
}

function shown(input: unknown): string {
  if (typeof input !== 'string' && typeof input !== 'number') return '';
  const text = String(input);
  return `（现为“${text.length > 30 ? `${text.slice(0, 30)}…` : text}”）`;
}

const chinese = z.locales.zhCN().localeError;

function schemaIssues(schema: z.ZodType, value: unknown, at: DocPath): PathIssue[] {
  const parsed = schema.safeParse(value, { reportInput: true, error: chinese });
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const path = [...at, ...(issue.path as (string | number)[])];
    if (issue.code === 'invalid_type' && issue.input === undefined) return { path, message: '必须填写' };
    const rule = (issue.code === 'custom' ? customRules : formatRules)[pattern(path)];
    return { path, message: rule ? `${rule}${shown(issue.input)}` : issue.message };
  });
}

const isPrefix = (a: DocPath, b: DocPath) => a.length <= b.length && a.every((segment, i) => segment === b[i]);

/** A problem core finds again where one is already reported (the cell, or what it follows from) is left out. */
function alreadyReported(path: DocPath, reported: readonly PathIssue[]): boolean {
  return reported.some((r) => isPrefix(path, r.path) || (r.covers === true && isPrefix(r.path, path)));
}

const field = (record: unknown, key: string): string | undefined => {
  const value = typeof record === 'object' && record !== null ? (record as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** Reports the second and later uses of a value; `describe` words the clash. */
function duplicates(
  records: readonly unknown[],
  key: string,
  at: (index: number) => DocPath,
  describe: (value: string, firstIndex: number) => string,
): PathIssue[] {
  const first = new Map<string, number>();
  const found: PathIssue[] = [];
  records.forEach((record, i) => {
    const value = field(record, key);
    if (value === undefined) return;
    const earlier = first.get(value);
    if (earlier === undefined) first.set(value, i);
    else found.push({ path: [...at(i), key], message: describe(value, earlier), related: [...at(earlier), key] });
  });
  return found;
}

function crossChecks(candidate: CandidateContent): PathIssue[] {
  const { departments, services, guides } = candidate;
  const issues: PathIssue[] = [];
  const departmentAt = (i: number): DocPath => ['catalog', 'departments', i];
  const serviceAt = (i: number): DocPath => ['catalog', 'services', i];
  if (departments.length === 0) issues.push({ path: ['catalog', 'departments'], message: '至少需要一个部门' });
  if (services.length === 0) issues.push({ path: ['catalog', 'services'], message: '至少需要一个事项' });

  issues.push(...duplicates(departments, 'id', departmentAt, (id) => `部门编号“${id}”重复`));
  issues.push(...duplicates(services, 'id', serviceAt, (id) => `事项编号“${id}”重复`));
  issues.push(...duplicates(services, 'prefix', serviceAt, (prefix, i) => `取号字母“${prefix}”已被事项“${field(services[i], 'id') ?? '?'}”使用，全厅不能重复`));
  issues.push(...duplicates(services, 'code', serviceAt, (code, i) => `事项编码“${code}”已被事项“${field(services[i], 'id') ?? '?'}”使用`));

  const departmentIds = new Set(departments.map((d) => field(d, 'id')));
  services.forEach((service, i) => {
    const departmentId = field(service, 'departmentId');
    if (departmentId !== undefined && !departmentIds.has(departmentId)) {
      issues.push({ path: [...serviceAt(i), 'departmentId'], message: `没有编号为“${departmentId}”的部门` });
    }
  });

  const serviceIds = new Set(services.map((s) => field(s, 'id')));
  const guided = new Set<string>();
  for (const [key, guide] of guides) {
    guided.add(key);
    if (!serviceIds.has(key)) {
      issues.push({ path: ['guides', key], message: `没有编号为“${key}”的事项，这份办事指南无所属事项`, covers: true });
      continue;
    }
    const serviceId = field(guide, 'serviceId');
    if (serviceId !== undefined && serviceId !== key) {
      issues.push({ path: ['guides', key, 'serviceId'], message: `办事指南放在“${key}”下，写的却是事项“${serviceId}”` });
    }
  }
  services.forEach((service, i) => {
    const id = field(service, 'id');
    if (id !== undefined && !guided.has(id)) issues.push({ path: [...serviceAt(i), 'id'], message: `事项“${id}”没有办事指南` });
  });
  return issues;
}

const numberAt = (record: unknown, ...keys: string[]): number | undefined => {
  let value: unknown = record;
  for (const key of keys) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return typeof value === 'number' ? value : undefined;
};

/**
 * The rules core's guide schema checks only once a guide is otherwise valid, checked here on
 * what there is, so that a guide with a missing fee basis also hears about its steps' order.
 * Core stays the authority: whatever these miss, its schema still refuses.
 */
function guideRules(guides: CandidateContent['guides']): PathIssue[] {
  const issues: PathIssue[] = [];
  const stages = standardStages as readonly string[];
  for (const [key, guide] of guides) {
    const record = typeof guide === 'object' && guide !== null ? (guide as Record<string, unknown>) : {};
    const process = Array.isArray(record.process) ? record.process : [];
    const standard = process.map((step) => stages.indexOf(field(step, 'stage') ?? '')).filter((i) => i >= 0);
    const ordered = standard.every((stage, i) => i === 0 || stage >= standard[i - 1]!);
    if (standard.length > 0 && (standard[0] !== 0 || standard.at(-1) !== stages.length - 1 || !ordered)) {
      issues.push({ path: ['guides', key, 'process'], message: customRules['guides.*.process']! });
    }
    const statutory = numberAt(record, 'timeLimits', 'statutoryWorkingDays');
    const promised = numberAt(record, 'timeLimits', 'promisedWorkingDays');
    if (statutory !== undefined && promised !== undefined && promised > statutory) {
      issues.push({ path: ['guides', key, 'timeLimits', 'promisedWorkingDays'], message: `${customRules['guides.*.timeLimits.promisedWorkingDays']!}${shown(promised)}` });
    }
    const materials = Array.isArray(record.materials) ? record.materials : [];
    const materialAt = (i: number): DocPath => ['guides', key, 'materials', i];
    issues.push(...duplicates(materials, 'id', materialAt, (id) => `同一事项内材料编号“${id}”重复`));
  }
  return issues;
}

/** guideMismatches words its findings in English for developers; each names one field. */
function mismatchPath(serviceId: string, problem: string): DocPath {
  if (problem.startsWith('guide code')) return ['guides', serviceId, 'code'];
  if (problem.startsWith('guide name')) return ['guides', serviceId, 'name', 'zh'];
  if (problem.startsWith('guide windows')) return ['guides', serviceId, 'place', 'windows'];
  return ['guides', serviceId];
}

/**
 * Checks everything and, when all is valid, returns the content as core's schemas parse it.
 * `earlier` are the problems the reader already found (bad cells, missing columns); the content
 * is valid only if there were none.
 */
export function checkContent(candidate: CandidateContent, earlier: readonly PathIssue[] = []): ContentCheck {
  const issues: PathIssue[] = [...earlier];
  const add = (found: PathIssue[]) => {
    for (const issue of found) if (!alreadyReported(issue.path, issues)) issues.push(issue);
  };
  const synonymClashes = synonymIssues(candidate.synonyms as { term?: unknown; colloquial?: unknown }[]).map((i) => ({ path: ['catalog', 'synonyms', ...i.path], message: i.message }));
  for (const issue of [...crossChecks(candidate), ...guideRules(candidate.guides), ...synonymClashes]) issues.push(issue);
  candidate.departments.forEach((d, i) => add(schemaIssues(departmentSchema, d, ['catalog', 'departments', i])));
  candidate.services.forEach((s, i) => add(schemaIssues(serviceItemSchema, s, ['catalog', 'services', i])));
  for (const [key, guide] of candidate.guides) add(schemaIssues(serviceGuideSchema, guide, ['guides', key]));
  candidate.synonyms.forEach((s, i) => add(schemaIssues(synonymSchema, s, ['catalog', 'synonyms', i])));
  if (issues.length > 0) return { ok: false, issues: issues.slice(earlier.length) };

  // Each record is valid on its own and the cross-checks passed: now the whole, as kiosks will parse it.
  // A catalog without a 俗称 table is written as before the search read one.
  const synonyms = candidate.synonyms.length > 0 ? { synonyms: candidate.synonyms } : {};
  const whole = { catalog: { version: 0, departments: candidate.departments, services: candidate.services, ...synonyms }, guides: Object.fromEntries(candidate.guides) };
  const catalog = catalogSchema.safeParse(whole.catalog);
  const guides = serviceGuidesSchema.safeParse(whole.guides);
  if (!catalog.success || !guides.success) {
    return { ok: false, issues: [...schemaIssues(catalogSchema, whole.catalog, ['catalog']), ...schemaIssues(serviceGuidesSchema, whole.guides, ['guides'])] };
  }
  const mismatches = guideMismatches(catalog.data, guides.data).map((m) => ({ path: mismatchPath(m.serviceId, m.problem), message: `与事项目录不一致：${m.problem}` }));
  if (mismatches.length > 0) return { ok: false, issues: mismatches };
  return { ok: true, content: { catalog: catalog.data, guides: guides.data } };
}
