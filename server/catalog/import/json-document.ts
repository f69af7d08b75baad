import { jsonMaxDepth, jsonTextTooDeep } from '../../../core/http/json-bounds.ts';
import type { CatalogContent } from './catalog-content.ts';
import type { CandidateContent, DocPath } from './content-checks.ts';
import { CatalogImportError } from './import-issue.ts';
import type { ImportIssue } from './import-issue.ts';

/**
 * The JSON form: `{"catalog": {...}, "guides": {...}}` with core's catalog and guide records, as
 * `catalog:export` writes it. The catalog's `version` is the server's to give and is ignored.
 */

/** `guides.biz-registration.materials[2].id`, as a person reading the file finds it. */
export function jsonPath(path: DocPath): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[\w$-]+$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out || '(root)';
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function readJsonDocument(text: string, fileName: string): CandidateContent {
  let document: unknown;
  if (jsonTextTooDeep(text, jsonMaxDepth)) throw new CatalogImportError(`${fileName} is nested deeper than ${jsonMaxDepth} levels, nothing imported`, []);
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new CatalogImportError(`cannot read ${fileName} as JSON, nothing imported: ${(error as Error).message}`, [], { cause: error });
  }
  return candidateOf(document);
}

/** The document's shape, before any record is looked at: without it nothing can be placed. */
export function candidateOf(document: unknown): CandidateContent {
  const issues: ImportIssue[] = [];
  if (isRecord(document) && Array.isArray(document.departments) && Array.isArray(document.services) && !('catalog' in document)) {
    throw new CatalogImportError('this is a catalog without guides, nothing imported', [
      { where: '(root)', message: '导入文件须为 {"catalog": {…}, "guides": {…}}：目录与各事项的办事指南一起导入（可先用 catalog:export 导出现有内容作模板）' },
    ]);
  }
  if (!isRecord(document)) throw new CatalogImportError('catalog import refused, nothing imported', [{ where: '(root)', message: '应为 JSON 对象 {"catalog": {…}, "guides": {…}}' }]);
  const catalog = document.catalog;
  if (!isRecord(catalog)) issues.push({ where: 'catalog', message: '缺少 catalog 对象（部门和事项）' });
  else {
    if (!Array.isArray(catalog.departments)) issues.push({ where: 'catalog.departments', message: '应为部门数组' });
    if (!Array.isArray(catalog.services)) issues.push({ where: 'catalog.services', message: '应为事项数组' });
    if (catalog.synonyms !== undefined && !Array.isArray(catalog.synonyms)) issues.push({ where: 'catalog.synonyms', message: '应为俗称数组 [{"term": …, "colloquial": […]}]' });
  }
  if (!isRecord(document.guides)) issues.push({ where: 'guides', message: '应为以事项编号为键的办事指南对象' });
  if (issues.length > 0) throw new CatalogImportError('catalog import refused, nothing imported', issues);
  const c = catalog as { departments: unknown[]; services: unknown[]; synonyms?: unknown[] };
  return { departments: c.departments, services: c.services, guides: Object.entries(document.guides as Record<string, unknown>), synonyms: c.synonyms ?? [] };
}

export function writeJsonDocument(content: CatalogContent): string {
  return `${JSON.stringify({ catalog: content.catalog, guides: content.guides }, null, 2)}\n`;
}
