// Confidence intervals for a rate (Wilson score) and for a mean (Student t), plus the shared t-interval helper.
//
// When the spread cannot be estimated (fewer than two values, or fewer than two clusters) the standard error is NaN
// and the interval is (−Infinity, Infinity): "no information" rather than a falsely narrow or missing interval, so
// that a lane with too little data ties with every other lane in rankWithTies instead of winning or vanishing.

import { Memo } from '../../lib/memo.ts';
import { normalQuantile } from './normal.ts';
import { tQuantile } from './student-t.ts';

/** A rate with its confidence interval. */
export interface RateInterval {
  rate: number;
  lo: number;
  hi: number;
}

/** A mean with its standard error, t-interval, degrees of freedom and number of values. */
export interface MeanInterval {
  mean: number;
  se: number;
  lo: number;
  hi: number;
  df: number;
  n: number;
}

/** Throws a RangeError unless confidence is strictly between 0 and 1. */
export function assertConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be between 0 and 1 (exclusive), got ${confidence}`);
}

/**
 * Critical values by confidence, then df: tQuantile is an iterative solve, and many intervals share a df. A
 * process-wide Memo (a pure function of two numbers), bounded since df takes many values.
 */
const criticalValues = new Memo<number, Memo<number, number>>(64);
const MAX_CACHED_DFS = 4096;

/** Returns −t((1 − confidence) / 2, df), the multiple of se in a two-sided t-interval. */
export function computeCriticalValue(confidence: number, df: number): number {
  const byDf = criticalValues.get(confidence) ?? criticalValues.set(confidence, new Memo(MAX_CACHED_DFS));
  return byDf.get(df) ?? byDf.set(df, -tQuantile((1 - confidence) / 2, df));
}

/** Returns mean ± t(df) · se as {lo, hi}; (−Infinity, Infinity) when df is not positive (see module note). */
export function computeTBounds(mean: number, se: number, df: number, confidence: number): { lo: number; hi: number } {
  if (!(df > 0)) return { lo: Number.NEGATIVE_INFINITY, hi: Number.POSITIVE_INFINITY };
  const half = computeCriticalValue(confidence, df) * se;
  return { lo: mean - half, hi: mean + half };
}

/** Returns the Wilson score interval for successes out of n (no continuity correction); n = 0 gives rate NaN, [0, 1]. */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): RateInterval {
  assertConfidence(confidence);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`successes must be an integer between 0 and n=${n}, got ${successes}`);
  }
  if (n === 0) return { rate: Number.NaN, lo: 0, hi: 1 };
  const rate = successes / n;
  return { rate, ...computeWilsonBounds(rate, n, -normalQuantile((1 - confidence) / 2)) };
}

/**
 * Returns Wilson's score bounds for a rate in [0, 1] observed on n (possibly an effective, non-integer n > 0) with
 * critical value z: (p + z²/2n ± z·√(p(1 − p)/n + z²/4n²)) / (1 + z²/n). At rate 0 (1) the lower (upper) bound is
 * exactly 0 (1), the other one z²/(n + z²) from it: never a zero-width interval.
 */
export function computeWilsonBounds(rate: number, n: number, z: number): { lo: number; hi: number } {
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (rate + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((rate * (1 - rate)) / n + z2 / (4 * n * n));
  // At 0 and n successes the bound is exactly 0 or 1; the formula would give it only up to rounding.
  return { lo: rate === 0 ? 0 : Math.max(0, center - half), hi: rate === 1 ? 1 : Math.min(1, center + half) };
}

/** Returns the mean of values with its standard error and Student t interval on n − 1 degrees of freedom. */
export function meanInterval(values: ArrayLike<number>, confidence = 0.95): MeanInterval {
  assertConfidence(confidence);
  const n = values.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += values[i];
  const mean = n === 0 ? Number.NaN : total / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i] - mean) * (values[i] - mean);
  const se = n < 2 ? Number.NaN : Math.sqrt(squares / (n - 1) / n);
  const df = Math.max(n - 1, 0);
  const { lo, hi } = computeTBounds(mean, se, df, confidence);
  return { mean, se, lo, hi, df, n };
}
