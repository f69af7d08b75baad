import { isDeepStrictEqual } from 'node:util';
import type { ServiceGuides } from '../../../core/guide/service-guide.ts';
import type { CatalogContent } from './catalog-content.ts';

export interface ChangeCount {
  added: string[];
  removed: string[];
  changed: string[];
}

export interface CatalogChanges {
  departments: ChangeCount;
  services: ChangeCount;
  guides: ChangeCount;
  /** rows of the 俗称 table, by their 规范用语 */
  synonyms: ChangeCount;
}

function compare<T>(before: ReadonlyMap<string, T>, after: ReadonlyMap<string, T>): ChangeCount {
  return {
    added: [...after.keys()].filter((id) => !before.has(id)),
    removed: [...before.keys()].filter((id) => !after.has(id)),
    changed: [...after.keys()].filter((id) => before.has(id) && !isDeepStrictEqual(before.get(id), after.get(id))),
  };
}

const byId = <T extends { id: string }>(list: readonly T[]) => new Map(list.map((item) => [item.id, item]));
const guideMap = (guides: ServiceGuides | null) => new Map(Object.entries(guides ?? {}));
const byTerm = (catalog: CatalogContent['catalog'] | undefined) => new Map((catalog?.synonyms ?? []).map((s) => [s.term, s.colloquial]));

/** What an import would change in what kiosks show, for the admin to review before publishing. */
export function catalogChanges(before: { catalog: CatalogContent['catalog']; guides: ServiceGuides | null } | null, after: CatalogContent): CatalogChanges {
  return {
    departments: compare(byId(before?.catalog.departments ?? []), byId(after.catalog.departments)),
    services: compare(byId(before?.catalog.services ?? []), byId(after.catalog.services)),
    guides: compare(guideMap(before?.guides ?? null), guideMap(after.guides)),
    synonyms: compare(byTerm(before?.catalog), byTerm(after.catalog)),
  };
}

function describeCount(what: string, count: ChangeCount): string | null {
  const list = (ids: string[]) => `${ids.slice(0, 5).join(', ')}${ids.length > 5 ? `, … ${ids.length - 5} more` : ''}`;
  const parts = [
    count.added.length ? `+${count.added.length} (${list(count.added)})` : '',
    count.removed.length ? `−${count.removed.length} (${list(count.removed)})` : '',
    count.changed.length ? `changed ${count.changed.length} (${list(count.changed)})` : '',
  ].filter(Boolean);
  return parts.length ? `${what} ${parts.join(', ')}` : null;
}

export function describeChanges(changes: CatalogChanges): string {
  const parts = [describeCount('departments', changes.departments), describeCount('services', changes.services), describeCount('guides', changes.guides), describeCount('synonyms', changes.synonyms)].filter(Boolean);
  return parts.length ? parts.join('; ') : 'no changes';
}
