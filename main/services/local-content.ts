import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseHallRules, type HallRules } from '../../core/calendar/calendar-rules.ts';
import { parseCatalogDocument, type CatalogDocument } from '../../core/catalog/catalog-document.ts';
import { jsonMaxDepth, jsonTextTooDeep } from '../../core/http/json-bounds.ts';
import type { LocalContent } from '../../core/kiosk/kiosk-api.ts';

/** The content files of a kiosk with no hall server; absolute paths (resolve relative ones first). */
export interface LocalContentFiles {
  catalogFile?: string;
  calendarFile?: string;
}

/** A content file that cannot be read or is not valid: the message names the file and every problem. */
export class LocalContentError extends Error {
  override readonly name = 'LocalContentError';
}

/** Larger than any hall's catalog with guides (the 72-service demo hall is 0.4 MB), small enough to read at once. */
export const maxContentFileBytes = 16 * 1024 * 1024;

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    const bytes = readFileSync(file);
    if (bytes.length > maxContentFileBytes) throw new Error(`${bytes.length} bytes, more than ${maxContentFileBytes}`);
    text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    throw new LocalContentError(`cannot read the ${what} file ${file}: ${(error as Error).message}`, { cause: error });
  }
  if (jsonTextTooDeep(text, jsonMaxDepth)) throw new LocalContentError(`the ${what} file ${file} is nested deeper than ${jsonMaxDepth} levels`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new LocalContentError(`the ${what} file ${file} is not JSON: ${(error as Error).message}`, { cause: error });
  }
}

function problems(what: string, file: string, errors: readonly string[]): LocalContentError {
  const shown = errors.slice(0, 20);
  const more = errors.length > shown.length ? `\n  … and ${errors.length - shown.length} more` : '';
  return new LocalContentError(`the ${what} file ${file} is not valid (${errors.length} problem${errors.length === 1 ? '' : 's'}):\n  ${shown.join('\n  ')}${more}`);
}

/** A catalog with its guides, as the hall server's `catalog:export` writes it: `{"catalog": …, "guides": …}`. */
export function readCatalogFile(file: string): CatalogDocument {
  const parsed = parseCatalogDocument(readJson(file, 'catalog'));
  if (!parsed.ok) throw problems('catalog', file, parsed.errors);
  return parsed.document;
}

/** A hall calendar, as the hall server's `calendar:export` writes it. */
export function readCalendarFile(file: string): HallRules {
  const parsed = parseHallRules(readJson(file, 'calendar'));
  if (!parsed.ok) throw problems('calendar', file, parsed.errors);
  return parsed.rules;
}

/** Read at each call, so a file the hall replaced is what the kiosk offers after its next reload. */
export function readLocalContent(files: LocalContentFiles): LocalContent {
  return {
    catalog: files.catalogFile === undefined ? null : readCatalogFile(files.catalogFile),
    hallRules: files.calendarFile === undefined ? null : readCalendarFile(files.calendarFile),
  };
}

/** The config's paths are the data dir's when relative; a command line's are the working directory's. */
export function contentFilesOf(config: LocalContentFiles, dataDir: string | null): LocalContentFiles {
  const at = (file: string) => (isAbsolute(file) || dataDir === null ? resolve(file) : resolve(dataDir, file));
  return {
    ...(config.catalogFile === undefined ? {} : { catalogFile: at(config.catalogFile) }),
    ...(config.calendarFile === undefined ? {} : { calendarFile: at(config.calendarFile) }),
  };
}
