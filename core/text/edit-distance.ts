/**
 * Edit distance of a short pattern against a text, bit-parallel (Myers 1999, as formulated by
 * Hyyrö): one pass over the text with a handful of integer operations per character, which is
 * what lets typo-tolerant search scan thousands of pinyin strings within a keystroke.
 */

export const maxPatternLength = 31;

/** Per character code (ASCII), the bit mask of the pattern positions holding it. */
export type PatternMasks = Int32Array;

export function patternMasks(pattern: string): PatternMasks {
  if (pattern.length > maxPatternLength) throw new Error(`pattern longer than ${maxPatternLength}`);
  const masks = new Int32Array(128);
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c < 128) masks[c]! |= 1 << i;
  }
  return masks;
}

/**
 * The smallest edit distance between the pattern and a part of the text: a prefix of the text
 * when `anchored`, any substring otherwise. Returns `limit + 1` when it exceeds `limit`.
 */
export function bestEditDistance(masks: PatternMasks, length: number, text: string, anchored: boolean, limit: number): number {
  if (length === 0) return 0;
  const high = 1 << (length - 1);
  const rowZeroStep = anchored ? 1 : 0;
  let pv = -1;
  let mv = 0;
  let score = length;
  let best = length;
  // Anchored, the distance to text[0, j) is at least j - length: later columns cannot do better.
  const end = anchored ? Math.min(text.length, length + limit) : text.length;
  for (let j = 0; j < end; j++) {
    const c = text.charCodeAt(j);
    const eq = c < 128 ? masks[c]! : 0;
    const xv = eq | mv;
    const xh = ((((eq & pv) + pv) | 0) ^ pv) | eq;
    let ph = mv | ~(xh | pv);
    let mh = pv & xh;
    if (ph & high) score++;
    else if (mh & high) score--;
    ph = (ph << 1) | rowZeroStep;
    mh <<= 1;
    pv = mh | ~(xv | ph);
    mv = ph & xv;
    if (score < best) best = score;
  }
  return best <= limit ? best : limit + 1;
}
