// One comparison of two lanes or settings on the items both measured, by one method that gives both its test and
// its interval, so that they never disagree about zero: the exact McNemar test (and the interval that inverts it)
// for independent items with one 0/1 attempt each, else the clustered paired t (CR1, G − 1 df). Items and clusters
// are numbered once (ItemIds) so that a lane compared with many others is prepared once.

import { StatsWorkspace, mcnemarInterval, pairedDifferenceOf, tCdf } from './stats/index.ts';
import { computeTBounds } from './stats/intervals.ts';
import type { AlignedValues } from './stats/index.ts';
import type { ItemTotals } from './outcomes.ts';

/** What a comparison's test and interval are computed from: enough to redo its interval at any level. */
export interface ComparisonCore {
  test: 'mcnemar-exact' | 'paired-t';
  /** Shared items. */
  n: number;
  diff: number;
  se: number;
  df: number;
  /** McNemar discordant counts: A right and B wrong, A wrong and B right (null for the t-test). */
  discordantA: number | null;
  discordantB: number | null;
  /** The raw two-sided p-value of `test`. */
  p: number;
}

/** The comparison A − B over the items both measured: its test, its 95% interval, and what describes it. */
export interface PairStats extends ComparisonCore {
  meanA: number;
  meanB: number;
  lo: number;
  hi: number;
  correlation: number;
  mde: number;
  clusters: number;
}

/** The two-sided p-value of a paired t statistic; 1 for no difference at all, NaN when the spread is unknown. */
export function pairedTPValue(diff: number, se: number, df: number): number {
  if (Number.isNaN(se) || !(df > 0)) return Number.NaN;
  if (se === 0) return diff === 0 ? 1 : 0;
  return Math.min(1, 2 * tCdf(-Math.abs(diff / se), df));
}

/**
 * Integer ids for the items and clusters of lanes compared together, so that a comparison needs no string lookups,
 * and the scratch buffers those comparisons reuse.
 */
export interface ItemIds {
  items: Map<string, number>;
  names: string[];
  clusters: Map<string, number>;
  workspace: StatsWorkspace;
}

/** Returns an empty numbering of items and clusters, to share among the lanes one compares. */
export function createItemIds(): ItemIds {
  return { items: new Map(), names: [], clusters: new Map(), workspace: new StatsWorkspace() };
}

/** Item means of one lane or setting, prepared once for many comparisons with lanes numbered by the same ids. */
export interface PreparedItems {
  ids: ItemIds;
  /** Item ids, means over replicates and cluster ids, in the lane's item order. */
  order: Int32Array;
  means: Float64Array;
  clusters: Int32Array;
  /** Item id → its position in the lane's order; −1, or past the end, for an item the lane lacks. */
  positionOf: Int32Array;
  /** Every item has exactly one attempt. */
  single: boolean;
}

/** Per-item means over replicates, with clusters: compute once per lane, compare with many. */
export function prepareItems(items: ItemTotals, ids: ItemIds = createItemIds()): PreparedItems {
  const order = new Int32Array(items.size);
  const means = new Float64Array(items.size);
  const clusters = new Int32Array(items.size);
  let single = true;
  let k = 0;
  items.forEach((t, item) => {
    order[k] = numberName(ids.items, item, ids.names);
    means[k] = t.total / t.attempts;
    clusters[k] = numberName(ids.clusters, t.cluster);
    if (t.attempts !== 1) single = false;
    k++;
  });
  const positionOf = new Int32Array(ids.items.size).fill(-1);
  for (let p = 0; p < order.length; p++) positionOf[order[p]] = p;
  return { ids, order, means, clusters, positionOf, single };
}

/** Returns the id of a name, numbering it (and recording it in `names`) when new. */
function numberName(numbering: Map<string, number>, name: string, names?: string[]): number {
  let id = numbering.get(name);
  if (id === undefined) {
    numbering.set(name, (id = numbering.size));
    names?.push(name);
  }
  return id;
}

/**
 * Aligns A's and B's means on their shared items, in A's order, each item in A's cluster, in the ids' workspace
 * (a fresh set of typed arrays per comparison would cost more than the comparison): valid until its next use.
 */
function alignItems(a: PreparedItems, b: PreparedItems): AlignedValues {
  const { items, valuesA, valuesB, clusterIds } = a.ids.workspace.alignment(Math.min(a.order.length, b.order.length));
  const { order, means: meansA, clusters } = a;
  const { positionOf, means: meansB } = b;
  let n = 0;
  for (let k = 0; k < order.length; k++) {
    const id = order[k];
    const position = id < positionOf.length ? positionOf[id] : -1;
    if (position < 0) continue;
    items[n] = id;
    valuesA[n] = meansA[k];
    valuesB[n] = meansB[position];
    clusterIds[n] = clusters[k];
    n++;
  }
  const names = a.ids.names;
  return { n, a: valuesA, b: valuesB, clustering: { ids: clusterIds, count: a.ids.clusters.size }, itemAt: (i) => names[items[i]] };
}

/**
 * Compares A and B on their shared items (item means over replicates); null with fewer than two shared items. One
 * method gives both the test and the interval: the exact McNemar test and its inverted interval when the metric is
 * 0/1, both sides have one attempt on every item and every item is its own cluster; otherwise the clustered paired t.
 */
export function compareItems(a: ItemTotals | PreparedItems, b: ItemTotals | PreparedItems, binary: boolean): PairStats | null {
  const ids = a instanceof Map ? (b instanceof Map ? createItemIds() : b.ids) : a.ids;
  const pa = a instanceof Map ? prepareItems(a, ids) : a;
  const pb = b instanceof Map ? prepareItems(b, ids) : b;
  if (pa.ids !== pb.ids) throw new Error('compareItems needs both sides prepared with the same ItemIds');
  const aligned = alignItems(pa, pb);
  if (aligned.n < 2) return null;
  const { difference, clusters } = pairedDifferenceOf(aligned, { binary: binary && pa.single && pb.single, workspace: pa.ids.workspace });
  const { n, meanA, meanB, diff, se, df, correlation, mde } = difference;
  // McNemar treats items as independent: with shared clusters the clustered t is the honest test.
  const mcnemar = clusters === n ? difference.mcnemar : undefined;
  const core: ComparisonCore = {
    test: mcnemar === undefined ? 'paired-t' : 'mcnemar-exact', n, diff, se, df,
    discordantA: mcnemar?.b ?? null, discordantB: mcnemar?.c ?? null, p: mcnemar?.p ?? pairedTPValue(diff, se, df),
  };
  const { lo, hi } = computeComparisonInterval(core, 0.95);
  return { ...core, meanA, meanB, lo, hi, correlation, mde, clusters };
}

/**
 * Returns the interval of the comparison's own method at a confidence: the inverted exact McNemar test, or the
 * clustered paired t-interval. Either excludes 0 exactly when the comparison's p is below 1 − confidence.
 */
export function computeComparisonInterval(c: ComparisonCore, confidence: number): { lo: number; hi: number } {
  if (c.test === 'mcnemar-exact') return mcnemarInterval(c.discordantA ?? 0, c.discordantB ?? 0, c.n, confidence, c.p);
  if (c.se === 0) return { lo: c.diff, hi: c.diff };
  return computeTBounds(c.diff, c.se, c.df, confidence);
}

/** True when an adjusted p-value passes .05 and the (adjusted) interval excludes zero: the only results findings may state. */
export function isSignificant(pAdjusted: number, lo: number, hi: number): boolean {
  return pAdjusted < 0.05 && (lo > 0 || hi < 0);
}
