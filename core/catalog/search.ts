import type { Catalog, ServiceItem, Synonym } from './catalog.ts';
import { bestEditDistance, maxPatternLength, patternMasks } from '../text/edit-distance.ts';
import type { PatternMasks } from '../text/edit-distance.ts';
import { analyseText, foldQuery, hasHan, queryPinyin } from '../text/pinyin-text.ts';
import type { RunReadings } from '../text/pinyin-text.ts';
import type { ServiceCategoryId } from './categories.ts';
import type { ServiceGuide } from '../guide/service-guide.ts';
import { englishNoise, lettersWithoutNoise, meaningWeights, noisePinyinWords, withoutNoise } from './search-words.ts';

/**
 * Finding a service from what a citizen types on the kiosk keyboard: Chinese characters, full
 * pinyin with or without spaces and tones, pinyin initials (gtgsh → 个体工商户登记), a mix of both,
 * the first letters of a word still being typed, and pinyin with one wrong, missing or extra
 * letter. Everything that depends only on the catalog (pinyin, initials, letter sets) is worked
 * out once when the index is built, so a keystroke costs one pass over short strings.
 *
 * Citizens also type what they would say to a clerk: 我想办营业执照, 提取公积金 for 住房公积金提取,
 * 房产过户 for 不动产转移登记. Beside the match of the query as one piece, every query is matched
 * word by word: a service scores by how much of the query its texts cover, in any order, with
 * noise (我想, 办, 怎么 …) not counted and the hall's everyday words (俗称) standing in for the
 * catalog's. Chinese words are matched by character pairs: Intl.Segmenter cuts 公积金 into
 * 公/积/金 and 注销 into 注/销, so its words are used only to tell noise from meaning; pairs find
 * 公积金 wherever it stands. Letters are read as pinyin of the catalog's own words first.
 */

export type MatchField = 'name' | 'keyword' | 'english' | 'department' | 'code';
export type MatchKind = 'code' | 'exact' | 'prefix' | 'initials' | 'infix' | 'subsequence' | 'loose' | 'homophone' | 'fuzzy' | 'words';

export interface Span {
  start: number;
  end: number;
}

export interface SearchHit {
  serviceId: string;
  departmentId: string;
  score: number;
  kind: MatchKind;
  field: MatchField;
  /** the name, keyword or department text that matched (for a word match, the one that covered most) */
  matched: string;
  /** how much of what the query means this service covers, 0–1; 1 when the query matched as one piece */
  coverage: number;
  /** the code units of the Chinese name to highlight, in order; empty when the name did not match */
  highlights: Span[];
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
/** query positions the word match tracks: longer than anything a citizen types at a kiosk */
const maxWordPositions = 32;
/** a character matched on its own is weak evidence: it only adds to a service a pair already found */
const singleCharShare = 0.4;
const wholeTextBonus = 60;
const lastLiteralKind = 4; // kinds.indexOf('subsequence')

/**
 * Part of the query as the word match reads it: Chinese text at query positions `from`…, each
 * position weighted by what it means (0 for noise). Pinyin becomes the catalog's words it spells,
 * several when the letters spell more than one (jijin: 基金, 积金).
 */
interface Piece {
  alternatives: string[];
  from: number;
  weights: number[];
}

export type RankedField = Exclude<MatchField, 'code'>;
export type RankedKind = Exclude<MatchKind, 'code'>;
const fields: RankedField[] = ['name', 'keyword', 'english', 'department'];
const kinds: RankedKind[] = ['exact', 'prefix', 'initials', 'infix', 'subsequence', 'loose', 'homophone', 'fuzzy', 'words'];

/**
 * English names rank as keywords: they are how a visitor names the service, not its title.
 * A query covered word by word ranks as a subsequence of the text that covered it, scaled by how
 * much of the query is covered: the query matched as one piece stays first.
 */
const bandTable: number[][] = fields.map((field) =>
  kinds.map((kind) => {
    const at = ladder.indexOf(`${field === 'english' ? 'keyword' : field}.${kind === 'words' ? 'subsequence' : kind}` as (typeof ladder)[number]);
    if (at < 0) throw new Error(`no rank for ${field} ${kind}`);
    return (ladder.length - at) * bandWidth;
  }),
);

export function rankBand(field: RankedField, kind: RankedKind): number {
  return bandTable[fields.indexOf(field)]![kinds.indexOf(kind)]!;
}

/** per field index, the band of a query that texts of that field cover completely, word by word */
const wordBands = fields.map((field) => rankBand(field, 'words'));

const pairKey = (a: number, b: number): number => a * 65536 + b;

/** coverage in steps of 5 %: a service that covers more of the query ranks first */
const coverageStep = (coverage: number): number => Math.round(coverage * 20);

function closeness(coverage: number, start: number): number {
  return Math.round(14 * Math.min(1, coverage)) + (start === 0 ? 5 : 0);
}

interface Term {
  text: string;
  syllables: string[];
  /** every reading of each syllable, the usual one first */
  readings: (readonly string[])[];
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
function walk(q: string, qi: number, readings: readonly (readonly string[])[], si: number, allFull: boolean, loose: boolean): boolean {
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
  private readonly bestCoverage: Float64Array;
  private readonly touched: number[] = [];
  private generation = 0;
  private allowed: ((serviceIndex: number) => boolean) | null = null;
  /** per service, its terms (term index << 2 | field index) */
  private readonly serviceTerms: number[][];
  /** Chinese character pairs and single characters → the terms holding them */
  private readonly pairs = new Map<number, number[]>();
  private readonly chars = new Map<number, number[]>();
  /** English words (lower case) → the terms holding them */
  private readonly englishWords = new Map<string, number[]>();
  /** the full pinyin of the catalog's words (2–4 characters of a text, keywords, 俗称) → the words */
  private readonly pinyinWords = new Map<string, string[]>();
  /** the whole words among them, for letters typed with a typo */
  private readonly pinyinWholeWords: { letters: string; word: string }[] = [];
  private readonly wholeLetters = new Set<string>();
  /** everyday word → the catalog's word it stands for, to highlight 不动产 when 房产 was typed */
  private readonly standardOf = new Map<string, string>();
  private maxPinyinWordLength = 0;
  private pinyinWordsReady = false;
  // word-match scratch: per service, the best band covering each query position
  private readonly wordStamp: Int32Array;
  private readonly slots: Int32Array;
  private readonly slotField: Int8Array;
  private readonly wordTouched: number[] = [];
  /** per service, set when one of its texts stands whole in the query (过户 in 房子过户) */
  private readonly wordWhole: Uint8Array;
  /** the query as the word match read it, for highlighting */
  private lastPieces: Piece[] = [];
  /** this query matched a name or keyword as one piece from its start: exactly, as its beginning or its initials */
  private literalHit = false;

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
    this.bestCoverage = new Float64Array(n);
    this.wordStamp = new Int32Array(n);
    this.slots = new Int32Array(n * maxWordPositions);
    this.slotField = new Int8Array(n * maxWordPositions);
    this.wordWhole = new Uint8Array(n);
    this.serviceTerms = catalog.services.map(() => []);

    const termIds = new Map<string, number>();
    const runs: RunReadings = new Map();
    const add = (text: string, serviceIndex: number, field: RankedField) => {
      const trimmed = text.trim();
      if (!trimmed) return;
      let id = termIds.get(trimmed);
      if (id === undefined) {
        id = this.terms.length;
        termIds.set(trimmed, id);
        this.terms.push(this.makeTerm(trimmed, runs));
      }
      const fieldIndex = fields.indexOf(field);
      const posting = (serviceIndex << 2) | fieldIndex;
      const postings = this.terms[id]!.postings;
      // a service adds all its texts before the next one does, so a repeat can only be the last
      if (postings.at(-1) !== posting) {
        postings.push(posting);
        this.serviceTerms[serviceIndex]!.push((id << 2) | fieldIndex);
      }
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
    this.indexWords(0);
    const own = this.terms.length;
    this.addSynonyms(catalog.synonyms ?? [], add);
    this.indexWords(own);
  }

  /**
   * The pinyin words, made on the first query in letters that needs them: Chinese queries never
   * do, and the finder's warm-up after the first paint makes them before a citizen types.
   */
  /** Makes what the index otherwise makes on first use, so that no citizen's keystroke pays for it. */
  prepare(): void {
    this.ensurePinyinWords();
  }

  private ensurePinyinWords(): void {
    if (this.pinyinWordsReady) return;
    this.pinyinWordsReady = true;
    const department = fields.indexOf('department');
    const runs = new Set<string>();
    for (const term of this.terms) {
      if (hasHan(term.plain) && term.postings.some((p) => (p & 3) !== department)) this.addTermPinyin(term, runs);
    }
    for (const [colloquial, standard] of this.standardOf) {
      this.addPinyinWord(colloquial);
      this.addPinyinWord(standard);
    }
    for (const noise of noisePinyinWords) this.addPinyinWord(noise, false);
  }

  /**
   * A service whose name or keywords hold a catalog word (不动产) is given the everyday words for
   * it (房产, 房子) as keywords: every way of matching a keyword (Chinese, pinyin, initials,
   * typos, word by word) then serves the hall's table too.
   */
  private addSynonyms(synonyms: readonly Synonym[], add: (text: string, serviceIndex: number, field: RankedField) => void): void {
    if (synonyms.length === 0) return;
    for (const { term, colloquial } of synonyms) {
      const word = term.trim();
      const holders = new Set<number>();
      // only the texts that hold the word's first two characters can hold the word
      const candidates = word.length > 1 ? this.pairs.get(pairKey(word.charCodeAt(0), word.charCodeAt(1))) : this.chars.get(word.charCodeAt(0));
      for (const t of candidates ?? []) {
        const text = this.terms[t]!;
        if (!text.text.includes(word)) continue;
        for (const posting of text.postings) if ((posting & 3) !== fields.indexOf('department')) holders.add(posting >> 2);
      }
      for (const serviceIndex of holders) for (const c of colloquial) add(c, serviceIndex, 'keyword');
      for (const c of colloquial) this.standardOf.set(c.trim(), word);
    }
  }

  private addPinyinWord(word: string, whole = true): void {
    const a = analyseText(word);
    if (a.syllables.length !== Array.from(word).length) return;
    this.addLetters(a.syllables.join(''), word, 0, word.length, whole);
  }

  /** `text.slice(from, to)` is spelt `letters`; the slice is taken only when it is new. */
  private addLetters(letters: string, text: string, from: number, to: number, whole: boolean): void {
    if (letters.length < 2) return;
    const known = this.pinyinWords.get(letters);
    const word = known && known.length >= 4 ? '' : text.slice(from, to);
    if (!known) {
      this.pinyinWords.set(letters, [word]);
      if (letters.length > this.maxPinyinWordLength) this.maxPinyinWordLength = letters.length;
    } else if (word && !known.includes(word)) known.push(word);
    if (whole && letters.length >= minFuzzyLength && letters.length <= maxPatternLength && !this.wholeLetters.has(letters)) {
      this.wholeLetters.add(letters);
      this.pinyinWholeWords.push({ letters, word });
    }
  }

  /** The tables of the word match, from the terms (and the 俗称 among them). */
  private indexWords(from: number): void {
    const department = fields.indexOf('department');
    const english = fields.indexOf('english');
    const push = <K>(map: Map<K, number[]>, key: K, t: number) => {
      const list = map.get(key);
      if (!list) map.set(key, [t]);
      else if (list[list.length - 1] !== t) list.push(t);
    };
    for (let t = from; t < this.terms.length; t++) {
      const term = this.terms[t]!;
      const plain = term.plain;
      if (hasHan(plain)) {
        for (let i = 0; i < plain.length; i++) {
          const c = plain.charCodeAt(i);
          push(this.chars, c, t);
          if (i + 1 < plain.length) push(this.pairs, pairKey(c, plain.charCodeAt(i + 1)), t);
        }
      } else if (term.postings.some((p) => (p & 3) === english || (p & 3) === department)) {
        for (const word of term.text.toLowerCase().split(/[^a-z0-9]+/)) if (word) push(this.englishWords, word, t);
      }
    }
  }

  /** Pieces of two to four characters of a Chinese text, and a short text whole, as pinyin words. */
  private addTermPinyin(term: Term, runs: Set<string>): void {
    const { syllables, syllableFrom, syllableTo, text } = term;
    // a syllable of one Chinese character; a run of Latin letters is a syllable too, but no word of these
    const isChar = syllables.map((r, k) => syllableTo[k]! - syllableFrom[k]! === 1 && r.length > 0 && text.charCodeAt(syllableFrom[k]!) >= 0x2e80);
    for (let i = 0; i < syllables.length; i++) {
      if (!isChar[i]) continue;
      // a run of characters met before (the same name in another district) spells the same words
      if (i === 0 || !isChar[i - 1] || syllableFrom[i] !== syllableTo[i - 1]) {
        let end = i;
        while (end + 1 < syllables.length && isChar[end + 1] && syllableFrom[end + 1] === syllableTo[end]) end++;
        const run = text.slice(syllableFrom[i], syllableTo[end]);
        const whole = i === 0 && end === syllables.length - 1;
        if (!whole && runs.has(run)) {
          i = end;
          continue;
        }
        runs.add(run);
      }
      let letters = syllables[i]!;
      for (let k = i + 1; k < syllables.length && k < i + 4; k++) {
        if (!isChar[k] || syllableFrom[k] !== syllableTo[k - 1]) break;
        letters += syllables[k]!;
        this.addLetters(letters, text, syllableFrom[i]!, syllableTo[k]!, i === 0 && k === syllables.length - 1);
      }
    }
  }

  get serviceCount(): number {
    return this.services.length;
  }

  get termCount(): number {
    return this.terms.length;
  }

  private makeTerm(text: string, runs: RunReadings): Term {
    const a = analyseText(text, runs);
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

    this.lastPieces = [];
    if (hasHan(folded)) {
      const weights = meaningWeights(folded);
      const meaning = withoutNoise(folded, weights);
      this.matchLiterally(folded);
      if (meaning !== folded && meaning) this.matchLiterally(meaning);
      const sound = queryPinyin(meaning || folded);
      if (sound.letters) this.matchPinyin(sound.letters.slice(0, 64), sound.endsWithHan ? 'homophone-complete' : 'homophone');
      // A name or keyword that starts with the query (without its noise) is what was meant; words
      // would add only guesses. One that merely holds it (父母房子过户 for 房子过户) may not be.
      if (folded.length > 1 && !this.literalHit) this.matchPieces([{ alternatives: [folded.slice(0, maxWordPositions)], from: 0, weights: weights.slice(0, maxWordPositions) }], 0);
    } else {
      this.matchPinyin(folded.slice(0, 64), 'typed');
      const meaning = lettersWithoutNoise(folded);
      if (meaning !== folded) this.matchPinyin(meaning.slice(0, 64), 'typed');
      // Typo matches rank below every other match: when enough services matched without them,
      // they could not reach the first `limit` places, and the scan is skipped.
      const fuzzyLength = folded.length >= minFuzzyLength && folded.length <= maxPatternLength;
      if (this.touched.length < limit && fuzzyLength) this.matchFuzzy(folded);
      this.matchEnglish(query);
      if (folded.length >= 4 && !this.literalHit) this.matchPinyinWords(folded.slice(0, 64));
    }
    return this.collect(limit);
  }

  /**
   * Letters as the catalog's words they spell, the most letters covered wins: tiqugongjijin is
   * 提取 公积金, fangchanguohu 房产 过户. What no word spells counts against the coverage; a run
   * of it one typo away from a word counts as that word.
   */
  private matchPinyinWords(q: string): void {
    this.ensurePinyinWords();
    const n = q.length;
    // best[i]: most letters of q[0, i) covered by words; from[i]: where the last word starts, or -1 for a skipped letter
    const best = new Int32Array(n + 1);
    const from = new Int32Array(n + 1).fill(-1);
    for (let i = 1; i <= n; i++) {
      best[i] = best[i - 1]!;
      from[i] = -1;
      for (let start = Math.max(0, i - this.maxPinyinWordLength); start <= i - 2; start++) {
        if (best[start]! + (i - start) <= best[i]! || !this.pinyinWords.has(q.slice(start, i))) continue;
        best[i] = best[start]! + (i - start);
        from[i] = start;
      }
    }
    const parts: { letters: string; words: string[] | null }[] = [];
    let gap = '';
    for (let i = n; i > 0; ) {
      const start = from[i]!;
      if (start < 0) {
        gap = q[i - 1]! + gap;
        i--;
        continue;
      }
      if (gap) parts.unshift({ letters: gap, words: null });
      gap = '';
      parts.unshift({ letters: q.slice(start, i), words: this.pinyinWords.get(q.slice(start, i))! });
      i = start;
    }
    if (gap) parts.unshift({ letters: gap, words: null });
    if (!parts.some((p) => p.words)) {
      if (n < minFuzzyLength) return;
    }
    const pieces: Piece[] = [];
    let position = 0;
    let unmatched = 0;
    for (const part of parts) {
      let words = part.words;
      if (!words) {
        const near = part.letters.length >= minFuzzyLength ? this.nearWord(part.letters) : null;
        if (!near) {
          unmatched += part.letters.length;
          continue;
        }
        words = [near];
      }
      const length = Array.from(words[0]!).length;
      const alternatives = words.filter((w) => w.length === words[0]!.length);
      if (position + length > maxWordPositions) break;
      const noise = noisePinyinWords.includes(words[0]!);
      pieces.push({ alternatives, from: position, weights: Array.from({ length }, () => (noise ? 0 : part.letters.length / length)) });
      position += length;
    }
    if (pieces.length === 0 || pieces.every((p) => p.weights.every((w) => w === 0))) return;
    this.matchPieces(pieces, unmatched);
  }

  private nearWord(letters: string): string | null {
    if (letters.length > maxPatternLength) return null;
    const masks = patternMasks(letters);
    for (const { letters: word, word: text } of this.pinyinWholeWords) {
      if (Math.abs(word.length - letters.length) > 1) continue;
      if (bestEditDistance(masks, letters.length, word, true, 1) <= 1) return text;
    }
    return null;
  }

  /** English words typed with spaces (tax, passport renewal), matched as whole words of the English names. */
  private matchEnglish(query: string): void {
    const words = query.toLowerCase().normalize('NFKC').split(/[^a-z0-9]+/).filter(Boolean).slice(0, maxWordPositions);
    if (this.englishWords.size === 0 || words.length === 0) return;
    const band = rankBand('name', 'subsequence');
    const weights = words.map((w) => (englishNoise.has(w) ? 0 : w.length));
    if (weights.every((w) => w === 0)) return;
    this.startWords();
    words.forEach((word, position) => {
      const found = this.englishWords.get(word) ?? (word.endsWith('s') ? this.englishWords.get(word.slice(0, -1)) : undefined) ?? this.englishWords.get(`${word}s`);
      for (const t of found ?? []) this.coverTerm(t, position, 1, band, true);
    });
    this.scoreWords(weights, 0);
  }

  private startWords(): void {
    this.wordTouched.length = 0;
  }

  /** Word match of `pieces`: per service, the best band covering each position, then coverage. */
  private matchPieces(pieces: Piece[], unmatched: number): void {
    this.lastPieces = pieces;
    this.startWords();
    const weights: number[] = [];
    for (const piece of pieces) piece.weights.forEach((w, i) => (weights[piece.from + i] = w));
    for (const piece of pieces) {
      for (const text of piece.alternatives) {
        for (let i = 0; i + 1 < text.length && i + 1 < piece.weights.length; i++) {
          for (const t of this.pairs.get(pairKey(text.charCodeAt(i), text.charCodeAt(i + 1))) ?? []) {
            this.coverTerm(t, piece.from + i, 2, -1, true);
            if (this.terms[t]!.plain.length <= text.length && text.includes(this.terms[t]!.plain)) this.markWhole(t);
          }
        }
      }
    }
    if (this.wordTouched.length === 0) return;
    for (const piece of pieces) {
      for (const text of piece.alternatives) {
        for (let i = 0; i < text.length && i < piece.weights.length; i++) {
          if (piece.weights[i] === 0) continue;
          for (const t of this.chars.get(text.charCodeAt(i)) ?? []) this.coverTerm(t, piece.from + i, 1, -1, false);
        }
      }
    }
    this.scoreWords(weights, unmatched);
  }

  /**
   * Marks query positions [position, position + count) as covered by term `t` for each of its
   * services, at the band of the term's field (`band` when given). A single character (`opens`
   * false) only adds to services a pair already found.
   */
  private coverTerm(t: number, position: number, count: number, band: number, opens: boolean): void {
    const generation = this.generation;
    for (const posting of this.terms[t]!.postings) {
      const s = posting >> 2;
      if (this.wordStamp[s] !== generation) {
        if (!opens || (this.allowed && !this.allowed(s))) continue;
        this.wordStamp[s] = generation;
        this.wordTouched.push(s);
        this.slots.fill(0, s * maxWordPositions, (s + 1) * maxWordPositions);
        this.wordWhole[s] = 0;
      }
      const field = posting & 3;
      const value = band >= 0 ? band : opens ? wordBands[field]! : Math.round(wordBands[field]! * singleCharShare);
      const base = s * maxWordPositions + position;
      for (let k = 0; k < count; k++) {
        if (this.slots[base + k]! < value) {
          this.slots[base + k] = value;
          this.slotField[base + k] = field;
        }
      }
    }
  }

  private markWhole(t: number): void {
    for (const posting of this.terms[t]!.postings) this.wordWhole[posting >> 2] = 1;
  }

  private scoreWords(weights: readonly number[], unmatched: number): void {
    let total = unmatched;
    for (const w of weights) total += w ?? 0;
    if (total <= 0) return;
    const fieldTotals = [0, 0, 0, 0];
    for (const s of this.wordTouched) {
      let sum = 0;
      let covered = 0;
      fieldTotals.fill(0);
      const base = s * maxWordPositions;
      for (let i = 0; i < weights.length; i++) {
        const w = weights[i] ?? 0;
        const v = this.slots[base + i]!;
        if (v === 0) continue;
        sum += w * v;
        if (w > 0) covered += w;
        fieldTotals[this.slotField[base + i]!]! += w * v + 1;
      }
      if (sum === 0) continue;
      const field = fieldTotals.indexOf(Math.max(...fieldTotals));
      const coverage = covered / total;
      // a text found whole says more than the same characters gathered from several texts
      this.record(s, Math.round(sum / total) + (this.wordWhole[s] ? wholeTextBonus : 0), -1, fields[field]!, 'words', -1, -1, coverage);
    }
  }

  private startQuery(options: SearchOptions): void {
    this.generation++;
    this.literalHit = false;
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

  private record(serviceIndex: number, score: number, termIndex: number, field: MatchField, kind: MatchKind, from: number, to: number, coverage = 1): void {
    if (this.allowed && !this.allowed(serviceIndex)) return;
    if ((field === 'name' || field === 'keyword') && (kind === 'exact' || kind === 'prefix' || kind === 'initials')) this.literalHit = true;
    if (this.stamp[serviceIndex] === this.generation) {
      const wider = coverageStep(coverage) - coverageStep(this.bestCoverage[serviceIndex]!);
      if (wider < 0 || (wider === 0 && score <= this.best[serviceIndex]!)) return;
      // The query matched literally as one piece says more than the same coverage word by word;
      // a match by sound or with a typo says less, and whole English words beat pinyin that starts alike.
      if (wider === 0 && kind === 'words' && field !== 'english' && this.bestInfo[serviceIndex]! >> 3 <= lastLiteralKind) return;
    } else {
      this.stamp[serviceIndex] = this.generation;
      this.touched.push(serviceIndex);
    }
    this.best[serviceIndex] = score;
    this.bestTerm[serviceIndex] = termIndex;
    this.bestInfo[serviceIndex] = (kinds.indexOf(kind as RankedKind) << 3) | (field === 'code' ? 7 : fields.indexOf(field));
    this.bestFrom[serviceIndex] = from;
    this.bestTo[serviceIndex] = to;
    this.bestCoverage[serviceIndex] = coverage;
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
    // How much of the query a service covers comes first; how well, second.
    const covered = (i: number) => coverageStep(this.bestCoverage[i]!);
    order.sort((a, b) => covered(b) - covered(a) || best[b]! - best[a]! || this.services[a]!.name.zh.length - this.services[b]!.name.zh.length || a - b);
    return order.slice(0, limit).map((i) => {
      const service = this.services[i]!;
      const info = this.bestInfo[i]!;
      const fieldIndex = info & 7;
      const field: MatchField = fieldIndex === 7 ? 'code' : fields[fieldIndex]!;
      const kind: MatchKind = field === 'code' ? 'code' : kinds[info >> 3]!;
      const term = this.bestTerm[i]! >= 0 ? this.terms[this.bestTerm[i]!]! : null;
      const words = kind === 'words' ? this.wordsFound(i) : null;
      return {
        serviceId: service.id,
        departmentId: service.departmentId,
        score: best[i]!,
        kind,
        field,
        matched: words ? words.matched : term ? term.text : service.code,
        coverage: this.bestCoverage[i]!,
        highlights: words ? words.highlights : field === 'name' && this.bestFrom[i]! >= 0 ? [{ start: this.bestFrom[i]!, end: this.bestTo[i]! }] : this.standardInName(i, term),
      };
    });
  }

  /** A 俗称 that matched (开个小店) marks the catalog's word it stands for (个体工商户) in the name. */
  private standardInName(serviceIndex: number, term: Term | null): Span[] {
    const standard = term && this.standardOf.get(term.text);
    if (!standard) return [];
    const name = this.services[serviceIndex]!.name.zh;
    const at = name.indexOf(standard);
    return at < 0 ? [] : [{ start: at, end: at + standard.length }];
  }

  /** For a word match: the text that covered most of the query, and where the name holds query words. */
  private wordsFound(serviceIndex: number): { matched: string; highlights: Span[] } {
    const typed: string[] = [];
    for (const piece of this.lastPieces) {
      for (const text of piece.alternatives) for (let i = 0; i + 1 < text.length; i++) typed.push(text.slice(i, i + 2));
    }
    const own = this.serviceTerms[serviceIndex]!.filter((entry) => fields[entry & 3] !== 'english');
    const pairsIn = (term: Term, pairs: readonly string[], marked: Uint8Array | null): number => {
      let count = 0;
      for (const pair of pairs) {
        for (let at = term.plain.indexOf(pair); at >= 0; at = term.plain.indexOf(pair, at + 1)) {
          if (marked) marked[at] = marked[at + 1] = 1;
          count++;
        }
      }
      return count;
    };
    // the text that covered most of what was typed; a keyword or 俗称 before the name, which shows itself
    let matched = '';
    let most = 0;
    const standards: string[] = [];
    for (const entry of own) {
      const term = this.terms[entry >> 2]!;
      const count = pairsIn(term, typed, null);
      if (count === 0) continue;
      const standard = this.standardOf.get(term.text);
      if (standard) for (let i = 0; i + 1 < standard.length; i++) standards.push(standard.slice(i, i + 2));
      const weight = fields[entry & 3] === 'name' ? count : count + 0.5;
      if (weight > most) {
        most = weight;
        matched = term.text;
      }
    }
    // an everyday word that matched marks the catalog's word it stands for in the name
    const name = own.find((entry) => fields[entry & 3] === 'name');
    let highlights: Span[] = [];
    if (name !== undefined) {
      const term = this.terms[name >> 2]!;
      const marked = new Uint8Array(term.plain.length);
      pairsIn(term, [...typed, ...standards], marked);
      highlights = spansOf(marked, term);
    }
    const service = this.services[serviceIndex]!;
    return { matched: matched || (typed.length === 0 ? service.name.en : service.name.zh), highlights };
  }
}

function spansOf(marked: Uint8Array, term: Term): Span[] {
  const spans: Span[] = [];
  for (let i = 0; i < marked.length; i++) {
    if (!marked[i]) continue;
    let j = i;
    while (j + 1 < marked.length && marked[j + 1]) j++;
    const start = term.plainFrom[i]!;
    const end = term.plainTo[j]!;
    const last = spans.at(-1);
    if (last && last.end === start) last.end = end;
    else spans.push({ start, end });
    i = j;
  }
  return spans;
}

/** Builds the search index of a catalog; the guides add keywords and category/24-hour filters. */
export function buildServiceSearchIndex(catalog: Catalog, guides: Readonly<Record<string, ServiceGuide>> = {}): ServiceSearchIndex {
  return new ServiceSearchIndex(catalog, guides);
}
