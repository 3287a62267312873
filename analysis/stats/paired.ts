// Paired comparison of two lanes on the items both ran: the per-item difference removes item difficulty, so its
// standard error is usually far smaller than that of two independent means.

import { clusteredMeanIntervalOf } from './clustered.ts';
import { meanInterval } from './intervals.ts';
import { mcnemarExact } from './mcnemar.ts';
import { normalQuantile } from './normal.ts';
import { StatsWorkspace } from './workspace.ts';

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

/** The values of the n items both sides measured, aligned: a[i] and b[i] are item i's. */
export interface AlignedValues {
  n: number;
  a: ArrayLike<number>;
  b: ArrayLike<number>;
  /** Item i's cluster is ids[i], in [0, count); without clustering the interval is the ordinary t-interval. */
  clustering?: { ids: ArrayLike<number>; count: number };
  /** Names item i, for error messages. */
  itemAt: (i: number) => string;
}

/** Returns the paired difference a − b over the items in both maps (in a's order), with a t-interval. */
export function pairedDifference(
  a: ReadonlyMap<string, number>,
  b: ReadonlyMap<string, number>,
  options: PairedOptions = {},
): PairedDifference {
  const items = [...a.keys()].filter((item) => b.has(item));
  const n = items.length;
  const valuesA = new Float64Array(n);
  const valuesB = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    valuesA[i] = a.get(items[i]) as number;
    valuesB[i] = b.get(items[i]) as number;
  }
  const clustering = options.clusters === undefined ? undefined : numberClusters(items, options.clusters);
  return pairedDifferenceOf({ n, a: valuesA, b: valuesB, clustering, itemAt: (i) => items[i] }, options).difference;
}

/** Numbers the items' clusters in order of first appearance; an item missing from the map is its own cluster. */
function numberClusters(items: readonly string[], clusters: ReadonlyMap<string, string>): { ids: Int32Array; count: number } {
  const idOf = new Map<string, number>();
  const ids = new Int32Array(items.length);
  items.forEach((item, i) => {
    const cluster = clusters.get(item) ?? item;
    let id = idOf.get(cluster);
    if (id === undefined) idOf.set(cluster, (id = idOf.size));
    ids[i] = id;
  });
  return { ids, count: idOf.size };
}

/**
 * pairedDifference over values already aligned by item, with G, the number of distinct clusters among them (n
 * without cluster ids): the allocation-light form for callers that compare many pairs, passing one `workspace`
 * (for the differences and the cluster sums) to them all.
 */
export function pairedDifferenceOf(values: AlignedValues, options: Omit<PairedOptions, 'clusters'> & { workspace?: StatsWorkspace } = {}): { difference: PairedDifference; clusters: number } {
  const confidence = options.confidence ?? 0.95;
  const workspace = options.workspace ?? new StatsWorkspace();
  const { n, a, b, clustering } = values;
  const diffs = workspace.differences(n);
  for (let i = 0; i < n; i++) diffs[i] = a[i] - b[i];
  const clustered = clustering === undefined ? undefined : clusteredMeanIntervalOf(diffs, clustering.ids, n, clustering.count, confidence, workspace);
  const interval = clustered ?? meanInterval(diffs.subarray(0, n), confidence);
  const meanA = computeMean(a, n);
  const meanB = computeMean(b, n);
  const difference: PairedDifference = {
    n,
    meanA,
    meanB,
    diff: interval.mean,
    se: interval.se,
    lo: interval.lo,
    hi: interval.hi,
    df: interval.df,
    correlation: computeCorrelation(a, b, n, meanA, meanB),
    mde: MDE_MULTIPLIER * interval.se,
  };
  if (options.binary === true) difference.mcnemar = countDiscordantPairs(values);
  return { difference, clusters: clustered?.clusters ?? n };
}

/** Returns the arithmetic mean of the first n values, NaN for none. */
function computeMean(values: ArrayLike<number>, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  return n === 0 ? Number.NaN : sum / n;
}

/** Returns the Pearson correlation of x and y (first n pairs, given means), NaN when n < 2 or either side is constant. */
function computeCorrelation(x: ArrayLike<number>, y: ArrayLike<number>, n: number, meanX: number, meanY: number): number {
  if (n < 2) return Number.NaN;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
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
function countDiscordantPairs({ n, a, b, itemAt }: AlignedValues): McNemarResult {
  let discordantA = 0;
  let discordantB = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if ((x !== 0 && x !== 1) || (y !== 0 && y !== 1)) {
      throw new RangeError(`binary comparison needs 0/1 values, item "${itemAt(i)}" has ${x} and ${y}`);
    }
    if (x === 1 && y === 0) discordantA += 1;
    else if (x === 0 && y === 1) discordantB += 1;
  }
  return { b: discordantA, c: discordantB, p: mcnemarExact(discordantA, discordantB) };
}
