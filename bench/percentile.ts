import { nearestRank } from '../core/queue/calling-report.ts';

/** Nearest-rank percentile of a sample: the one definition, core's, which the calling reports use too. */
export function percentile(values: readonly number[], p: number): number {
  const value = nearestRank(values, p);
  if (value === null) throw new Error('percentile of an empty sample');
  return value;
}

/** The middle of a sample (the mean of the two middle values when it has an even size). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty sample');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export const round3 = (x: number): number => Math.round(x * 1000) / 1000;
