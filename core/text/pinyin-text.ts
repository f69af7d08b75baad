import { pinyin, polyphonic } from 'pinyin-pro';

/**
 * A text as the search sees it: its pinyin syllables (one per Chinese character, one per run of
 * Latin letters or digits) and its "plain" form for matching Chinese characters literally. Both
 * keep the offsets of the original text so a match can be highlighted where the citizen reads it.
 */
export interface AnalysedText {
  /** lower-case a–z and digits; ü is written v, as on a pinyin keyboard */
  syllables: string[];
  /**
   * Every reading of each syllable, the one in `syllables` first. Polyphones are matched by any
   * reading: the dictionary's choice in context is sometimes wrong (还款 is not hái kuǎn), and
   * citizens type the reading they know.
   */
  readings: (readonly string[])[];
  /** [from, to) code-unit offsets in the original text of each syllable */
  syllableFrom: number[];
  syllableTo: number[];
  /** letters, digits and Chinese characters only, lower-cased and width-folded */
  plain: string;
  /** [from, to) code-unit offsets in the original text of the character behind each code unit of `plain` */
  plainFrom: number[];
  plainTo: number[];
}

const han = /\p{Script=Han}/u;
const alnum = /^[a-z0-9]+$/;
const readingOptions = { toneType: 'none', type: 'array', v: true } as const;

interface CharClass {
  han: boolean;
  /** width- and case-folded (ＡＢＣ → abc); empty for separators */
  folded: string;
}

// Memos of pure functions of one character: index builds meet the same few thousand characters
// over and over, and classifying or looking them up again would be most of the cost of a build.
const charClasses = new Map<string, CharClass>();
const charReadings = new Map<string, string[]>();

const asciiClasses: readonly CharClass[] = Array.from({ length: 128 }, (_, code) => {
  const lower = String.fromCharCode(code >= 65 && code <= 90 ? code + 32 : code);
  return { han: false, folded: alnum.test(lower) ? lower : '' };
});

function classify(ch: string): CharClass {
  const code = ch.charCodeAt(0);
  if (code < 128) return asciiClasses[code]!;
  let known = charClasses.get(ch);
  if (!known) {
    const folded = ch.normalize('NFKC').toLowerCase();
    known = han.test(ch) ? { han: true, folded: ch } : { han: false, folded: alnum.test(folded) ? folded : '' };
    charClasses.set(ch, known);
  }
  return known;
}

const clean = (reading: string): string => reading.toLowerCase().replace(/[^a-z]/g, '');

function allReadingsOf(ch: string): string[] {
  let readings = charReadings.get(ch);
  if (!readings) {
    readings = (polyphonic(ch, readingOptions)[0] ?? []).map(clean).filter(Boolean);
    charReadings.set(ch, readings);
  }
  return readings;
}

/**
 * Readings of runs of Chinese characters already analysed, shared by the texts of one index build:
 * a catalog says 企业设立登记 in many names (one per district and sub-item), and working out a
 * run's pinyin in context is most of the cost of a build. The arrays are shared: read them only.
 */
export type RunReadings = Map<string, readonly (readonly string[])[]>;

function readingsOf(hanRun: string, chars: string[]): string[][] {
  // A run without polyphones reads the same in any context: its characters' only readings.
  // (Over every CJK character with one reading, pinyin-pro's pinyin() gives exactly that one.)
  let polyphones = false;
  for (const ch of chars) {
    if (allReadingsOf(ch).length > 1) {
      polyphones = true;
      break;
    }
  }
  if (!polyphones) return chars.map(allReadingsOf);
  // Whole runs keep pinyin-pro's word context, which settles most polyphones (银行 háng, 行政 xíng).
  let inContext = pinyin(hanRun, readingOptions);
  if (inContext.length !== chars.length) inContext = chars.map((ch) => pinyin(ch, { toneType: 'none', v: true }));
  return chars.map((ch, i) => {
    const usual = clean(inContext[i] ?? '');
    const others = allReadingsOf(ch);
    return usual ? [usual, ...others.filter((r) => r !== usual)] : others;
  });
}

function pushHanRun(out: AnalysedText, chars: string[], offsets: number[], memo: RunReadings | undefined): void {
  const run = chars.join('');
  let readings = memo?.get(run);
  if (!readings) {
    readings = readingsOf(run, chars);
    memo?.set(run, readings);
  }
  for (let i = 0; i < readings.length; i++) {
    const r = readings[i]!;
    if (r.length === 0) continue; // a character pinyin-pro does not know cannot be typed in pinyin either
    const from = offsets[i]!;
    out.syllables.push(r[0]!);
    out.readings.push(r);
    out.syllableFrom.push(from);
    out.syllableTo.push(from + chars[i]!.length);
  }
}

function pushWord(out: AnalysedText, word: string, from: number, to: number): void {
  out.syllables.push(word);
  out.readings.push([word]);
  out.syllableFrom.push(from);
  out.syllableTo.push(to);
}

/** `memo`: the readings of runs met before, for a caller that analyses many texts at once. */
export function analyseText(text: string, memo?: RunReadings): AnalysedText {
  const out: AnalysedText = { syllables: [], readings: [], syllableFrom: [], syllableTo: [], plain: '', plainFrom: [], plainTo: [] };
  let hanChars: string[] = [];
  let hanOffsets: number[] = [];
  let word = '';
  let wordFrom = 0;
  let offset = 0;
  for (const ch of text) {
    const { han: isHan, folded } = classify(ch);
    if (!isHan && hanChars.length > 0) {
      pushHanRun(out, hanChars, hanOffsets, memo);
      hanChars = [];
      hanOffsets = [];
    }
    if (!folded && word) {
      pushWord(out, word, wordFrom, offset);
      word = '';
    }
    if (isHan) {
      if (word) {
        pushWord(out, word, wordFrom, offset);
        word = '';
      }
      hanChars.push(ch);
      hanOffsets.push(offset);
    } else if (folded) {
      if (!word) wordFrom = offset;
      word += folded;
    }
    out.plain += folded;
    for (let i = 0; i < folded.length; i++) {
      out.plainFrom.push(offset);
      out.plainTo.push(offset + ch.length);
    }
    offset += ch.length;
  }
  if (hanChars.length > 0) pushHanRun(out, hanChars, hanOffsets, memo);
  if (word) pushWord(out, word, wordFrom, offset);
  return out;
}

/**
 * Folds what a citizen types into the alphabet of `AnalysedText.syllables`: tone marks and tone
 * numbers dropped (gōng, gong1 → gong), ü as v, separators (spaces, apostrophes as in xi'an)
 * removed. Chinese characters are kept for the caller to match literally.
 */
export function foldQuery(query: string): string {
  const folded = query
    .normalize('NFKC')
    .toLowerCase()
    .replace(/u:/g, 'v')
    .replace(/[üǖǘǚǜ]/g, 'v')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .normalize('NFC');
  let out = '';
  for (const ch of folded) {
    if (han.test(ch) || alnum.test(ch)) out += ch;
  }
  // tone numbers only directly after a letter, so codes such as sc001 keep their digits
  return out.replace(/([a-z])[1-5]/g, '$1');
}

export function hasHan(text: string): boolean {
  return han.test(text);
}

/** The pinyin of a query that contains Chinese characters, for matching by sound. */
export function queryPinyin(folded: string): { letters: string; endsWithHan: boolean } {
  const analysed = analyseText(folded);
  const last = Array.from(folded).at(-1) ?? '';
  return { letters: analysed.syllables.join(''), endsWithHan: han.test(last) };
}
