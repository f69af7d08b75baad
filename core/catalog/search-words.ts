import { analyseText } from '../text/pinyin-text.ts';

/**
 * The words of a query as a clerk would hear them: which parts say what the citizen wants
 * (营业执照) and which only say that they want it (我想, 办, 怎么, 需要什么材料). Noise is
 * language, not hall data, so it lives here rather than in the catalog; it never blocks a match,
 * it only does not count towards how much of the query a service covers.
 */

/** Phrases that are noise wherever they stand, longest first so 需要什么材料 goes before 需要. */
const noisePhrases = [
  '需要什么材料', '需要哪些材料', '要带什么材料', '需要带什么', '要什么材料', '要哪些材料', '要什么证件', '要什么手续',
  '怎么办理', '如何办理', '怎样办理', '在哪里办', '在哪儿办', '去哪里办', '到哪里办', '在哪办', '去哪办', '哪里办', '哪里能办',
  '要什么证', '需要什么', '要带什么', '我想要', '我需要', '请问', '我想', '我要', '想要', '怎么办', '怎么弄', '怎么样',
  '怎么', '怎样', '如何', '在哪里', '在哪儿', '在哪', '哪里', '去哪', '办理', '申请', '申办', '一下', '手续', '流程', '可以', '能不能',
].sort((a, b) => b.length - a.length);

/** Single characters that are noise only when the segmenter finds them standing alone (办 but not 补办). */
const noiseChars = new Set(['办', '想', '要', '的', '了', '吗', '呢', '啊', '吧', '呀', '个', '去', '我', '给', '把', '能', '哪', '在', '弄', '搞', '咋']);

/** English words that carry no service: "how do I apply for a passport" is "passport". */
export const englishNoise = new Set([
  'i', 'want', 'to', 'a', 'an', 'the', 'my', 'me', 'how', 'do', 'does', 'can', 'get', 'apply', 'application', 'for', 'of', 'where',
  'need', 'what', 'is', 'in', 'on', 'please', 'help', 'with', 'and', 'or', 'it', 'need', 'needed', 'documents',
]);

let segmenter: Intl.Segmenter | null = null;

function wordsOf(text: string): Intl.SegmentData[] {
  segmenter ??= new Intl.Segmenter('zh', { granularity: 'word' });
  return Array.from(segmenter.segment(text));
}

/**
 * Per code unit of the (folded) query, 1 where it says what is wanted and 0 where it is noise.
 * When everything is noise (a citizen typed only 申请) nothing is, so the query still finds what
 * holds those words.
 */
export function meaningWeights(query: string): number[] {
  const weights: number[] = Array.from({ length: query.length }, () => 1);
  for (const phrase of noisePhrases) {
    for (let at = query.indexOf(phrase); at >= 0; at = query.indexOf(phrase, at + phrase.length)) {
      for (let i = at; i < at + phrase.length; i++) weights[i] = 0;
    }
  }
  for (const word of wordsOf(query)) {
    if (noiseChars.has(word.segment)) weights[word.index] = 0;
  }
  return weights.every((w) => w === 0) ? weights.map(() => 1) : weights;
}

/** The query with its noise taken out: 办营业执照 → 营业执照. */
export function withoutNoise(query: string, weights: readonly number[]): string {
  let out = '';
  for (let i = 0; i < query.length; i++) if (weights[i] !== 0) out += query[i];
  return out;
}

/** The noise words, whose pinyin the search learns for queries typed in letters (woxiang banli …). */
export const noisePinyinWords: readonly string[] = [...noisePhrases, ...noiseChars];

let noiseLetters: string[] | null = null;

/**
 * Letters without the noise a query starts or ends with: shenqingdibao → dibao, jiazhaozenmeban →
 * jiazhao. Only whole noise phrases of three letters or more: single syllables (ban) begin too many
 * real words.
 */
export function lettersWithoutNoise(letters: string): string {
  noiseLetters ??= noisePhrases.map((p) => analyseText(p).syllables.join('')).filter((l) => l.length >= 3).sort((a, b) => b.length - a.length);
  let out = letters;
  for (let changed = true; changed; ) {
    changed = false;
    for (const noise of noiseLetters) {
      if (out.length - noise.length < 2) continue;
      if (out.startsWith(noise)) out = out.slice(noise.length);
      else if (out.endsWith(noise)) out = out.slice(0, -noise.length);
      else continue;
      changed = true;
    }
  }
  return out;
}
