import type { Catalog, ServiceItem } from './catalog.ts';
import { bestEditDistance, maxPatternLength, patternMasks } from './edit-distance.ts';
import type { PatternMasks } from './edit-distance.ts';
import { analyseText, foldQuery, hasHan, queryPinyin } from './pinyin-text.ts';
import type { ServiceCategoryId } from './service-categories.ts';
import type { ServiceGuide } from './service-guide.ts';

/**
 * Finding a service from what a citizen types on the kiosk keyboard: Chinese characters, full
 * pinyin with or without spaces and tones, pinyin initials (gtgsh → 个体工商户登记), a mix of both,
 * the first letters of a word still being typed, and pinyin with one wrong, missing or extra
 * letter. Everything that depends only on the catalog (pinyin, initials, letter sets) is worked
 * out once when the index is built, so a keystroke costs one pass over short strings.
 */

export type MatchField = 'name' | 'keyword' | 'english' | 'department' | 'code';
export type MatchKind = 'code' | 'exact' | 'prefix' | 'initials' | 'infix' | 'subsequence' | 'loose' | 'homophone' | 'fuzzy';

export interface SearchHit {
  serviceId: string;
  departmentId: string;
  score: number;
  kind: MatchKind;
  field: MatchField;
  /** the name, keyword or department text that matched */
  matched: string;
  /** for name matches, the code units of the Chinese name to highlight */
  highlight?: { start: number; end: number };
}

export interface SearchOptions {
  /** at most this many hits, best first (default 20) */
  limit?: number;
  departmentId?: string;
  category?: ServiceCategoryId;
  /** only services of the 24-hour self-service area */
  only24h?: boolean;
}

/**
 * Ranking, best first. Each (field, kind) pair gets a band 40 points wide; within a band up to
 * 19 points go to matches that cover more of the text and start at its beginning, so shorter and
 * closer texts come first without ever jumping a band. Names outrank keywords and keywords the
 * department; literal matches outrank matches by sound; typo-tolerant matches come last.
 * A `loose` match rests on weak evidence: one syllable or character inside a text, two initials,
 * or syllables cut at odd places (jia·sh for 建设 jian·she). 户注 inside 个体工商户注销登记 for
 * "huz" must not beat the keyword 护照, nor 建设 for "jiash" the keyword 驾驶证.
 */
const ladder = [
  'name.exact', 'name.prefix', 'name.initials', 'name.infix', 'name.subsequence',
  'keyword.exact', 'keyword.prefix', 'keyword.initials', 'keyword.infix', 'keyword.subsequence',
  'name.loose', 'keyword.loose',
  'department.exact', 'department.prefix', 'department.initials', 'department.infix', 'department.subsequence', 'department.loose',
  'name.homophone', 'keyword.homophone', 'department.homophone',
  'name.fuzzy', 'keyword.fuzzy', 'department.fuzzy',
] as const;
const bandWidth = 40;
const codeBand = (ladder.length + 1) * bandWidth;
/** typo tolerance starts at this many letters: below it, one edit turns almost anything into anything */
const minFuzzyLength = 4;
const minUnanchoredFuzzyLength = 5;

export type RankedField = Exclude<MatchField, 'code'>;
export type RankedKind = Exclude<MatchKind, 'code'>;
const fields: RankedField[] = ['name', 'keyword', 'english', 'department'];
const kinds: RankedKind[] = ['exact', 'prefix', 'initials', 'infix', 'subsequence', 'loose', 'homophone', 'fuzzy'];

/** English names rank as keywords: they are how a visitor names the service, not its title. */
const bandTable: number[][] = fields.map((field) =>
  kinds.map((kind) => {
    const at = ladder.indexOf(`${field === 'english' ? 'keyword' : field}.${kind}` as (typeof ladder)[number]);
    if (at < 0) throw new Error(`no rank for ${field} ${kind}`);
    return (ladder.length - at) * bandWidth;
  }),
);

export function rankBand(field: RankedField, kind: RankedKind): number {
  return bandTable[fields.indexOf(field)]![kinds.indexOf(kind)]!;
}

function closeness(coverage: number, start: number): number {
  return Math.round(14 * Math.min(1, coverage)) + (start === 0 ? 5 : 0);
}

interface Term {
  text: string;
  syllables: string[];
  /** every reading of each syllable, the usual one first */
  readings: string[][];
  syllableFrom: number[];
  syllableTo: number[];
  /** per syllable, the letters its readings start with (bit i for 'a' + i) */
  firstLetters: Int32Array;
  /** the usual readings joined: the text as typed in full pinyin */
  letters: string;
  /** bit i set when letter 'a' + i occurs in any reading */
  letterSet: number;
  plain: string;
  plainFrom: number[];
  plainTo: number[];
  /** service index << 2 | field index */
  postings: number[];
}

function letterSetOf(s: string): number {
  let set = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) - 97;
    if (c >= 0 && c < 26) set |= 1 << c;
  }
  return set;
}

function bitCount(n: number): number {
  let count = 0;
  for (let x = n; x !== 0; x &= x - 1) count++;
  return count;
}

function codeKey(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '');
}

// The pinyin walk below reports through these instead of allocating a result per attempt.
let walkEnd = 0;
let walkAllFull = false;
let walkLoose = false;
let walkLastComplete = false;

/** The initial a citizen types for a syllable: zh, ch, sh or its first letter. */
function initialLength(s: string): number {
  const first = s.charCodeAt(0);
  return s.length > 2 && s.charCodeAt(1) === 104 && (first === 122 || first === 99 || first === 115) ? 2 : 1;
}

function finish(si: number, allFull: boolean, loose: boolean, lastComplete: boolean): true {
  walkEnd = si + 1;
  walkAllFull = allFull;
  walkLoose = loose;
  walkLastComplete = lastComplete;
  return true;
}

/**
 * Can `q[qi…]` be typed by taking, from syllable `si` on, a non-empty beginning of each syllable
 * in turn (any of its readings)? The readings tried first are the natural ones: whole syllables
 * (full pinyin, `walkAllFull`), then initials (z/zh, s/sh …), then other cut-off beginnings
 * (`walkLoose`). When the query ends inside a syllable, initials input prefers one letter per
 * syllable: gtgsh is 个体工商户, not 个体工商 with "sh" for 商.
 */
function walk(q: string, qi: number, readings: string[][], si: number, allFull: boolean, loose: boolean): boolean {
  const alternatives = readings[si];
  if (alternatives === undefined) return false;
  for (const s of alternatives) {
    const max = Math.min(s.length, q.length - qi);
    let common = 0;
    while (common < max && s.charCodeAt(common) === q.charCodeAt(qi + common)) common++;
    if (common === 0) continue;
    if (qi + common === q.length) {
      if (!allFull && common > 1 && common < s.length && walk(q, qi + 1, readings, si + 1, false, loose)) return true;
      return finish(si, allFull, loose, common === s.length);
    }
    if (common === s.length && walk(q, qi + common, readings, si + 1, allFull, loose)) return true;
    const initial = initialLength(s);
    if (initial < s.length && initial <= common && walk(q, qi + initial, readings, si + 1, false, loose)) return true;
    if (initial === 2 && walk(q, qi + 1, readings, si + 1, false, loose)) return true;
    for (let take = Math.min(common, s.length - 1); take > 1; take--) {
      if (take !== initial && walk(q, qi + take, readings, si + 1, false, true)) return true;
    }
  }
  return false;
}

export class ServiceSearchIndex {
  private readonly services: ServiceItem[];
  private readonly guides: Readonly<Record<string, ServiceGuide>>;
  private readonly terms: Term[] = [];
  private readonly byCode = new Map<string, number>();
  // per-query scratch, reused across queries: a service's entry is valid when its stamp is current
  private readonly stamp: Int32Array;
  private readonly best: Int32Array;
  private readonly bestTerm: Int32Array;
  private readonly bestInfo: Int32Array;
  private readonly bestFrom: Int32Array;
  private readonly bestTo: Int32Array;
  private readonly touched: number[] = [];
  private generation = 0;
  private allowed: ((serviceIndex: number) => boolean) | null = null;

  constructor(catalog: Catalog, guides: Readonly<Record<string, ServiceGuide>> = {}) {
    this.services = catalog.services;
    this.guides = guides;
    const n = catalog.services.length;
    this.stamp = new Int32Array(n);
    this.best = new Int32Array(n);
    this.bestTerm = new Int32Array(n);
    this.bestInfo = new Int32Array(n);
    this.bestFrom = new Int32Array(n);
    this.bestTo = new Int32Array(n);

    const termIds = new Map<string, number>();
    const add = (text: string, serviceIndex: number, field: RankedField) => {
      const trimmed = text.trim();
      if (!trimmed) return;
      let id = termIds.get(trimmed);
      if (id === undefined) {
        id = this.terms.length;
        termIds.set(trimmed, id);
        this.terms.push(this.makeTerm(trimmed));
      }
      const posting = (serviceIndex << 2) | fields.indexOf(field);
      const postings = this.terms[id]!.postings;
      // a service adds all its texts before the next one does, so a repeat can only be the last
      if (postings.at(-1) !== posting) postings.push(posting);
    };
    const departments = new Map(catalog.departments.map((d) => [d.id, d]));
    catalog.services.forEach((service, i) => {
      add(service.name.zh, i, 'name');
      add(service.name.en, i, 'english');
      const guide = Object.hasOwn(guides, service.id) ? guides[service.id] : undefined;
      for (const keyword of guide?.keywords ?? []) add(keyword, i, 'keyword');
      const department = departments.get(service.departmentId);
      if (department) {
        add(department.name.zh, i, 'department');
        add(department.name.en, i, 'department');
      }
      this.byCode.set(codeKey(service.code), i);
    });
  }

  get serviceCount(): number {
    return this.services.length;
  }

  get termCount(): number {
    return this.terms.length;
  }

  private makeTerm(text: string): Term {
    const a = analyseText(text);
    const firstLetters = new Int32Array(a.readings.length);
    let letterSet = 0;
    a.readings.forEach((readings, i) => {
      for (const r of readings) {
        firstLetters[i]! |= letterSetOf(r[0]!);
        letterSet |= letterSetOf(r);
      }
    });
    return {
      text,
      syllables: a.syllables,
      readings: a.readings,
      syllableFrom: a.syllableFrom,
      syllableTo: a.syllableTo,
      firstLetters,
      letters: a.syllables.join(''),
      letterSet,
      plain: a.plain,
      plainFrom: a.plainFrom,
      plainTo: a.plainTo,
      postings: [],
    };
  }

  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const limit = options.limit ?? 20;
    const folded = foldQuery(query);
    if (!folded || limit <= 0) return [];
    this.startQuery(options);

    const byCode = this.byCode.get(codeKey(folded));
    if (byCode !== undefined) this.record(byCode, codeBand, -1, 'code', 'code', -1, -1);

    if (hasHan(folded)) {
      this.matchLiterally(folded);
      const sound = queryPinyin(folded);
      if (sound.letters) this.matchPinyin(sound.letters.slice(0, 64), sound.endsWithHan ? 'homophone-complete' : 'homophone');
    } else {
      this.matchPinyin(folded.slice(0, 64), 'typed');
      // Typo matches rank below every other match: when enough services matched without them,
      // they could not reach the first `limit` places, and the scan is skipped.
      const fuzzyLength = folded.length >= minFuzzyLength && folded.length <= maxPatternLength;
      if (this.touched.length < limit && fuzzyLength) this.matchFuzzy(folded);
    }
    return this.collect(limit);
  }

  private startQuery(options: SearchOptions): void {
    this.generation++;
    this.touched.length = 0;
    const { departmentId, category, only24h } = options;
    if (departmentId === undefined && category === undefined && !only24h) {
      this.allowed = null;
      return;
    }
    this.allowed = (i) => {
      const service = this.services[i]!;
      if (departmentId !== undefined && service.departmentId !== departmentId) return false;
      if (category === undefined && !only24h) return true;
      const guide = Object.hasOwn(this.guides, service.id) ? this.guides[service.id] : undefined;
      if (!guide) return false;
      return (category === undefined || guide.category === category) && (!only24h || guide.available24h);
    };
  }

  private record(serviceIndex: number, score: number, termIndex: number, field: MatchField, kind: MatchKind, from: number, to: number): void {
    if (this.allowed && !this.allowed(serviceIndex)) return;
    if (this.stamp[serviceIndex] === this.generation) {
      if (score <= this.best[serviceIndex]!) return;
    } else {
      this.stamp[serviceIndex] = this.generation;
      this.touched.push(serviceIndex);
    }
    this.best[serviceIndex] = score;
    this.bestTerm[serviceIndex] = termIndex;
    this.bestInfo[serviceIndex] = (kinds.indexOf(kind as RankedKind) << 3) | (field === 'code' ? 7 : fields.indexOf(field));
    this.bestFrom[serviceIndex] = from;
    this.bestTo[serviceIndex] = to;
  }

  /** Records one term's match for every service that carries the term. */
  private recordTerm(termIndex: number, kind: RankedKind, bonus: number, from: number, to: number): void {
    const bands = bandTable;
    const k = kinds.indexOf(kind);
    for (const posting of this.terms[termIndex]!.postings) {
      const field = fields[posting & 3]!;
      const score = bands[posting & 3]![k]! + bonus;
      this.record(posting >> 2, score, termIndex, field, kind, field === 'name' ? from : -1, field === 'name' ? to : -1);
    }
  }

  private matchLiterally(q: string): void {
    const qLength = q.length;
    this.terms.forEach((term, t) => {
      const plain = term.plain;
      if (plain.length < qLength) return;
      const at = plain.indexOf(q);
      if (at >= 0) {
        const kind: RankedKind = at > 0 ? (qLength > 1 ? 'infix' : 'loose') : plain.length === qLength ? 'exact' : 'prefix';
        this.recordTerm(t, kind, closeness(qLength / plain.length, at), term.plainFrom[at]!, term.plainTo[at + qLength - 1]!);
        return;
      }
      // Abbreviations skip characters: 社保卡 for 社会保障卡. Keep the span tight so scattered
      // characters of a long text do not count.
      if (qLength < 2) return;
      const from = plain.indexOf(q[0]!);
      if (from < 0) return;
      let qi = 0;
      let i = from;
      for (; i < plain.length && qi < qLength; i++) if (plain[i] === q[qi]) qi++;
      if (qi < qLength || i - from > qLength * 3) return;
      this.recordTerm(t, 'subsequence', closeness(qLength / plain.length, from), term.plainFrom[from]!, term.plainTo[i - 1]!);
    });
  }

  /**
   * `typed`: letters the citizen typed. `homophone`: the sound of Chinese characters typed, which
   * matches only whole syllables (公基金 sounds like 公积金); `-complete` when the query ended in a
   * character, so the last syllable must be whole too.
   */
  private matchPinyin(q: string, mode: 'typed' | 'homophone' | 'homophone-complete'): void {
    const first = letterSetOf(q[0]!);
    const needed = letterSetOf(q);
    const terms = this.terms;
    for (let t = 0; t < terms.length; t++) {
      const term = terms[t]!;
      if ((term.letterSet & needed) !== needed) continue;
      const { firstLetters, readings, syllables } = term;
      for (let start = 0; start < firstLetters.length; start++) {
        if (!(firstLetters[start]! & first) || !walk(q, 0, readings, start, true, false)) continue;
        let kind: RankedKind;
        if (mode !== 'typed') {
          if (!walkAllFull || (mode === 'homophone-complete' && !walkLastComplete)) continue;
          kind = 'homophone';
        } else if (start > 0) {
          const spanned = walkEnd - start;
          const strong = walkAllFull ? spanned - (walkLastComplete ? 0 : 1) >= 2 : !walkLoose && spanned >= 3;
          kind = strong ? 'infix' : 'loose';
        } else if (walkLoose) {
          kind = 'loose';
        } else if (!walkAllFull) {
          kind = 'initials';
        } else {
          kind = walkEnd === syllables.length && walkLastComplete ? 'exact' : 'prefix';
        }
        this.recordTerm(t, kind, closeness((walkEnd - start) / syllables.length, start), term.syllableFrom[start]!, term.syllableTo[walkEnd - 1]!);
        break;
      }
    }
  }

  private matchFuzzy(q: string): void {
    const masks: PatternMasks = patternMasks(q);
    const needed = letterSetOf(q);
    const terms = this.terms;
    for (let t = 0; t < terms.length; t++) {
      const term = terms[t]!;
      // one edit can introduce at most one letter the text does not have
      if (bitCount(needed & ~term.letterSet) > 1 || term.letters.length < q.length - 1) continue;
      const anchored = bestEditDistance(masks, q.length, term.letters, true, 1);
      if (anchored <= 1) {
        this.recordTerm(t, 'fuzzy', Math.max(0, closeness(q.length / term.letters.length, 0) - anchored * 5), -1, -1);
      } else if (q.length >= minUnanchoredFuzzyLength && bestEditDistance(masks, q.length, term.letters, false, 1) <= 1) {
        this.recordTerm(t, 'fuzzy', closeness(q.length / term.letters.length, 1), -1, -1);
      }
    }
  }

  private collect(limit: number): SearchHit[] {
    const order = this.touched.slice();
    const best = this.best;
    order.sort((a, b) => best[b]! - best[a]! || this.services[a]!.name.zh.length - this.services[b]!.name.zh.length || a - b);
    return order.slice(0, limit).map((i) => {
      const service = this.services[i]!;
      const info = this.bestInfo[i]!;
      const fieldIndex = info & 7;
      const field: MatchField = fieldIndex === 7 ? 'code' : fields[fieldIndex]!;
      const kind: MatchKind = field === 'code' ? 'code' : kinds[info >> 3]!;
      const term = this.bestTerm[i]! >= 0 ? this.terms[this.bestTerm[i]!]! : null;
      const hit: SearchHit = {
        serviceId: service.id,
        departmentId: service.departmentId,
        score: best[i]!,
        kind,
        field,
        matched: term ? term.text : service.code,
      };
      if (field === 'name' && this.bestFrom[i]! >= 0) hit.highlight = { start: this.bestFrom[i]!, end: this.bestTo[i]! };
      return hit;
    });
  }
}

/** Builds the search index of a catalog; the guides add keywords and category/24-hour filters. */
export function buildServiceSearchIndex(catalog: Catalog, guides: Readonly<Record<string, ServiceGuide>> = {}): ServiceSearchIndex {
  return new ServiceSearchIndex(catalog, guides);
}
