// Search over a province-sized catalog: 2,000 service items derived from the demo hall, 1,000
// queries of every kind a citizen types. Measures building the index and each query, as the kiosk
// would at start-up and on every keystroke. No Node APIs here, so the same module can be bundled
// into a page and run in Chromium.
import { pinyin } from 'pinyin-pro';
import type { Catalog, Department, ServiceItem } from '../core/catalog/catalog.ts';
import type { ServiceGuide } from '../core/guide/service-guide.ts';
import { buildServiceSearchIndex } from '../core/catalog/search.ts';
import { colloquialQueries, heldOutQueries, hitRates } from '../tests/core/catalog/colloquial-queries.ts';
import { seededRandom } from '../tests/support/seeded-random.ts';
import { percentile } from './percentile.ts';

/** The demo hall the bench derives from, given by the caller: Node reads demo/catalog.json, a page gets it passed in. */
export interface DemoHall {
  catalog: Catalog;
  guides: Record<string, ServiceGuide>;
}
let demoHall: DemoHall | null = null;
export function useDemoHall(content: DemoHall): void {
  demoHall = content;
}
function demoHallOrThrow(): DemoHall {
  if (!demoHall) throw new Error('bench/search: call useDemoHall(content) first');
  return demoHall;
}

const itemCount = 2000;
const queryCount = 1000;

const districts = [
  ['城东区', 'Chengdong'], ['城西区', 'Chengxi'], ['南湖区', 'Nanhu'], ['北山区', 'Beishan'],
  ['高新区', 'Hi-tech Zone'], ['临河县', 'Linhe'], ['青石县', 'Qingshi'],
] as const;
const variants = [
  ['新办', 'new'], ['变更', 'change'], ['延续', 'renewal'], ['注销', 'cancellation'],
] as const;

/**
 * Every demo service in every district and in four sub-items (新办/变更/延续/注销), as a
 * province-wide catalog lists them. Names stay unique so the index cannot share their pinyin.
 * Ticket prefixes cannot be unique across 2,000 items; this catalog feeds the search only.
 */
export function benchCatalog(): { catalog: Catalog; guides: Record<string, ServiceGuide> } {
  const departments: Department[] = [];
  const services: ServiceItem[] = [];
  const guides: Record<string, ServiceGuide> = {};
  for (const [district, districtEn] of districts) {
    for (const d of demoHallOrThrow().catalog.departments) {
      departments.push({ id: `${districtEn}-${d.id}`, name: { zh: `${district}${d.name.zh}`, en: `${districtEn} ${d.name.en}` }, location: d.location });
    }
  }
  outer: for (const [variant, variantEn] of variants) {
    for (const [district, districtEn] of districts) {
      for (const s of demoHallOrThrow().catalog.services) {
        if (services.length === itemCount) break outer;
        const id = `${districtEn}-${s.id}-${variantEn}`;
        const name = { zh: `${district}${s.name.zh}（${variant}）`, en: `${s.name.en} (${variantEn}, ${districtEn})` };
        services.push({ ...s, id, departmentId: `${districtEn}-${s.departmentId}`, name, code: `${s.code}-${districtEn}-${variantEn}` });
        guides[id] = { ...demoHallOrThrow().guides[s.id]!, serviceId: id, name };
      }
    }
  }
  return { catalog: { version: 1, departments, services, synonyms: demoHallOrThrow().catalog.synonyms ?? [] }, guides };
}

type QueryKind = 'chinese-name' | 'chinese-partial' | 'chinese-keyword' | 'pinyin' | 'pinyin-spaced' | 'pinyin-typing' | 'initials' | 'typo' | 'first-letters';
const queryKinds: QueryKind[] = ['chinese-name', 'chinese-partial', 'chinese-keyword', 'pinyin', 'pinyin-spaced', 'pinyin-typing', 'initials', 'typo', 'first-letters'];

function syllablesOf(text: string): string[] {
  return pinyin(text.replace(/[^\p{Script=Han}]/gu, ''), { toneType: 'none', type: 'array', v: true });
}

/** Queries as citizens type them, from the demo names and keywords (not the generated ones). */
export function benchQueries(count = queryCount): string[] {
  const random = seededRandom(20131125);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const services = demoHallOrThrow().catalog.services;
  const keywords = services.flatMap((s) => demoHallOrThrow().guides[s.id]!.keywords);
  const queries: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = queryKinds[i % queryKinds.length]!;
    const name = pick(services).name.zh;
    const keyword = pick(keywords);
    const text = random() < 0.5 ? name : keyword;
    const syllables = syllablesOf(text);
    const letters = syllables.join('');
    switch (kind) {
      case 'chinese-name': queries.push(name); break;
      case 'chinese-partial': queries.push(Array.from(name).slice(0, 2 + Math.floor(random() * 3)).join('')); break;
      case 'chinese-keyword': queries.push(keyword); break;
      case 'pinyin': queries.push(letters); break;
      case 'pinyin-spaced': queries.push(syllables.join(' ')); break;
      case 'pinyin-typing': queries.push(letters.slice(0, 2 + Math.floor(random() * Math.max(1, letters.length - 2)))); break;
      case 'initials': queries.push(syllables.map((s) => s[0]).join('')); break;
      case 'typo': {
        const at = Math.floor(random() * letters.length);
        const letter = String.fromCharCode(97 + Math.floor(random() * 26));
        const edit = Math.floor(random() * 3);
        queries.push(edit === 0 ? letters.slice(0, at) + letters.slice(at + 1) : edit === 1 ? letters.slice(0, at) + letter + letters.slice(at) : letters.slice(0, at) + letter + letters.slice(at + 1));
        break;
      }
      case 'first-letters': queries.push(letters.slice(0, 1 + Math.floor(random() * 2))); break;
    }
  }
  return queries;
}

/**
 * One index build, timed alone. Called once per fresh page: the first build in a page also pays
 * for loading pinyin-pro's dictionary and for code the engine has not yet optimised, as the kiosk
 * does at start-up, so a build in a page that has built before would measure less than a citizen waits.
 */
export function measureColdBuild(): number {
  const { catalog, guides } = benchCatalog();
  const start = performance.now();
  const index = buildServiceSearchIndex(catalog, guides);
  const ms = performance.now() - start;
  if (index.search('gongjijin', { limit: 1 }).length === 0) throw new Error('the index found nothing: the build is not measuring a working index');
  return ms;
}

export async function runSearchBench(): Promise<Record<string, number>> {
  const { catalog, guides } = benchCatalog();
  // the typed forms above, and the colloquial test set as citizens ask (its rates are measured below)
  const queries = [...benchQueries(), ...colloquialQueries.map(([q]) => q)];

  const buildStart = performance.now();
  const index = buildServiceSearchIndex(catalog, guides);
  const indexBuildMs = performance.now() - buildStart;

  const latencies: number[] = [];
  let hits = 0;
  for (const query of queries) {
    const start = performance.now();
    hits += index.search(query, { limit: 20 }).length;
    latencies.push(performance.now() - start);
  }
  if (hits === 0) throw new Error('the search found nothing: the benchmark is not measuring a working index');

  // Quality over the demo hall the test set was written for (tests/core/catalog/colloquial-search.test.ts),
  // and apart from it over the held-out queries nobody tuned the search for.
  const demo = buildServiceSearchIndex(demoHallOrThrow().catalog, demoHallOrThrow().guides);
  const rates = hitRates(demo);
  const heldOut = hitRates(demo, heldOutQueries);
  return {
    items: catalog.services.length,
    queries: queries.length,
    search_p95_ms: round(percentile(latencies, 95)),
    index_build_ms: round(indexBuildMs),
    colloquial_queries: rates.queries,
    colloquial_top1: round(rates.top1),
    colloquial_top3: round(rates.top3),
    colloquial_heldout_queries: heldOut.queries,
    colloquial_heldout_top1: round(heldOut.top1),
    colloquial_heldout_top3: round(heldOut.top3),
  };
}

export const round = (x: number): number => Math.round(x * 100) / 100;
