// Paired comparison of two lanes on the items both ran: the per-item difference removes item difficulty, so its
// standard error is usually far smaller than that of two independent means.

import { clusteredMeanInterval } from './clustered.ts';
import { meanInterval } from './intervals.ts';
import { mcnemarExact } from './mcnemar.ts';
import { normalQuantile } from './normal.ts';

/**
 * Minimum detectable effect per unit of standard error at α = .05 two-sided and power .8:
 * z(.975) + z(.8) = 1.959963984540054 + 0.8416212335729143 = 2.8015852181129683.
 */
export const MDE_MULTIPLIER = normalQuantile(0.975) + normalQuantile(0.8);

/** Options for pairedDifference. */
export interface PairedOptions {
  /** Item → cluster; items not in the map are their own cluster. When given, se is cluster-robust (CR1). */
  clusters?: ReadonlyMap<string, string>;
  confidence?: number;
  /** Values are single 0/1 attempts per item: adds the exact McNemar test. */
  binary?: boolean;
}

/** Discordant-pair counts and the exact McNemar p-value. */
export interface McNemarResult {
  /** Items where A succeeded and B failed. */
  b: number;
  /** Items where A failed and B succeeded. */
  c: number;
  p: number;
}

/** The paired difference A − B over shared items. */
export interface PairedDifference {
  n: number;
  meanA: number;
  meanB: number;
  diff: number;
  se: number;
  lo: number;
  hi: number;
  df: number;
  /** Pearson correlation of A and B over shared items; NaN with fewer than two items or a constant side. */
  correlation: number;
  /** MDE_MULTIPLIER × se: the smallest true difference this comparison detects with 80% power. */
  mde: number;
  mcnemar?: McNemarResult;
}

/** Returns the paired difference a − b over the items in both maps (in a's order), with a t-interval. */
export function pairedDifference(
  a: ReadonlyMap<string, number>,
  b: ReadonlyMap<string, number>,
  options: PairedOptions = {},
): PairedDifference {
  const confidence = options.confidence ?? 0.95;
  const items = [...a.keys()].filter((item) => b.has(item));
  const valuesA = items.map((item) => a.get(item) as number);
  const valuesB = items.map((item) => b.get(item) as number);
  const diffs = valuesA.map((v, i) => v - valuesB[i]);
  const clusters = options.clusters;
  const interval =
    clusters === undefined
      ? meanInterval(diffs, confidence)
      : clusteredMeanInterval(diffs.map((value, i) => ({ value, cluster: clusters.get(items[i]) ?? items[i] })), confidence);
  const result: PairedDifference = {
    n: items.length,
    meanA: computeMean(valuesA),
    meanB: computeMean(valuesB),
    diff: interval.mean,
    se: interval.se,
    lo: interval.lo,
    hi: interval.hi,
    df: interval.df,
    correlation: computeCorrelation(valuesA, valuesB),
    mde: MDE_MULTIPLIER * interval.se,
  };
  if (options.binary === true) result.mcnemar = countDiscordantPairs(items, valuesA, valuesB);
  return result;
}

/** Returns the arithmetic mean, NaN for no values. */
function computeMean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Returns the Pearson correlation of x and y, NaN when fewer than two pairs or either side is constant. */
function computeCorrelation(x: readonly number[], y: readonly number[]): number {
  if (x.length < 2) return Number.NaN;
  const meanX = computeMean(x);
  const meanY = computeMean(y);
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i] - meanX;
    const dy = y[i] - meanY;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (sxx === 0 || syy === 0) return Number.NaN;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Counts discordant pairs of 0/1 outcomes and runs the exact McNemar test; throws on a value other than 0 or 1. */
function countDiscordantPairs(items: readonly string[], valuesA: readonly number[], valuesB: readonly number[]): McNemarResult {
  let b = 0;
  let c = 0;
  for (let i = 0; i < items.length; i++) {
    const [x, y] = [valuesA[i], valuesB[i]];
    if ((x !== 0 && x !== 1) || (y !== 0 && y !== 1)) {
      throw new RangeError(`binary comparison needs 0/1 values, item "${items[i]}" has ${x} and ${y}`);
    }
    if (x === 1 && y === 0) b += 1;
    else if (x === 0 && y === 1) c += 1;
  }
  return { b, c, p: mcnemarExact(b, c) };
}
