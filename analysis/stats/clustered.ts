// Cluster-robust interval for a mean: items in one cluster may be correlated, so the standard error is built from
// per-cluster sums of residuals (the CR1 sandwich for an intercept-only model, small-sample factor G/(G−1)) and the
// interval uses Student t with G − 1 degrees of freedom. With one item per cluster this is exactly the ordinary
// t-interval: G/(G−1) · Σe² / n² = s² / n. With a single cluster (G = 1) the spread between clusters cannot be
// estimated: se is NaN and the interval is (−Infinity, Infinity), as in intervals.ts.

import { assertConfidence, computeTBounds, type MeanInterval } from './intervals.ts';
import { StatsWorkspace } from './workspace.ts';

/** A mean with its cluster-robust standard error and t-interval; clusters is G, the number of distinct clusters. */
export interface ClusteredMeanInterval extends MeanInterval {
  clusters: number;
}

/** Returns the mean of item values with a CR1 cluster-robust standard error and t-interval on G − 1 degrees of freedom. */
export function clusteredMeanInterval(
  items: readonly { value: number; cluster: string }[],
  confidence = 0.95,
): ClusteredMeanInterval {
  const n = items.length;
  const values = new Float64Array(n);
  const clusterIds = new Int32Array(n);
  const ids = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const { value, cluster } = items[i];
    let id = ids.get(cluster);
    if (id === undefined) ids.set(cluster, (id = ids.size));
    values[i] = value;
    clusterIds[i] = id;
  }
  return clusteredMeanIntervalOf(values, clusterIds, n, ids.size, confidence);
}

/**
 * clusteredMeanInterval over the first n values, whose clusters are given as integer ids in [0, clusterCount):
 * the allocation-light form for callers that number their clusters once and compute many intervals, passing one
 * `workspace` to them all.
 */
export function clusteredMeanIntervalOf(
  values: ArrayLike<number>,
  clusterIds: ArrayLike<number>,
  n: number,
  clusterCount: number,
  confidence = 0.95,
  workspace = new StatsWorkspace(),
): ClusteredMeanInterval {
  assertConfidence(confidence);
  let total = 0;
  for (let i = 0; i < n; i++) total += values[i];
  const mean = n === 0 ? Number.NaN : total / n;
  // Residual sums are kept, and squared below, in the order clusters first appear: the same sums, rounded alike.
  const { slotOf, residualSums } = workspace.clusterSums(clusterCount);
  slotOf.fill(-1, 0, clusterCount);
  let clusters = 0;
  for (let i = 0; i < n; i++) {
    let slot = slotOf[clusterIds[i]];
    if (slot < 0) {
      slotOf[clusterIds[i]] = slot = clusters++;
      residualSums[slot] = 0;
    }
    residualSums[slot] += values[i] - mean;
  }
  let squares = 0;
  for (let slot = 0; slot < clusters; slot++) squares += residualSums[slot] * residualSums[slot];
  const se = clusters < 2 ? Number.NaN : Math.sqrt(((clusters / (clusters - 1)) * squares) / (n * n));
  const df = Math.max(clusters - 1, 0);
  const { lo, hi } = computeTBounds(mean, se, df, confidence);
  return { mean, se, lo, hi, df, n, clusters };
}
