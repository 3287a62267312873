// Cluster-robust interval for a mean: items in one cluster may be correlated, so the standard error is built from
// per-cluster sums of residuals (the CR1 sandwich for an intercept-only model, small-sample factor G/(G−1)) and the
// interval uses Student t with G − 1 degrees of freedom. With one item per cluster this is exactly the ordinary
// t-interval: G/(G−1) · Σe² / n² = s² / n. With a single cluster (G = 1) the spread between clusters cannot be
// estimated: se is NaN and the interval is (−Infinity, Infinity), as in intervals.ts.

import { assertConfidence, computeTBounds, type MeanInterval } from './intervals.ts';

/** A mean with its cluster-robust standard error and t-interval; clusters is G, the number of distinct clusters. */
export interface ClusteredMeanInterval extends MeanInterval {
  clusters: number;
}

/** Returns the mean of item values with a CR1 cluster-robust standard error and t-interval on G − 1 degrees of freedom. */
export function clusteredMeanInterval(
  items: readonly { value: number; cluster: string }[],
  confidence = 0.95,
): ClusteredMeanInterval {
  assertConfidence(confidence);
  const n = items.length;
  const mean = n === 0 ? Number.NaN : items.reduce((sum, item) => sum + item.value, 0) / n;
  const residualSums = new Map<string, number>();
  for (const item of items) residualSums.set(item.cluster, (residualSums.get(item.cluster) ?? 0) + (item.value - mean));
  const clusters = residualSums.size;
  let squares = 0;
  for (const sum of residualSums.values()) squares += sum * sum;
  const se = clusters < 2 ? Number.NaN : Math.sqrt(((clusters / (clusters - 1)) * squares) / (n * n));
  const df = Math.max(clusters - 1, 0);
  return { mean, se, ...computeTBounds(mean, se, df, confidence), df, n, clusters };
}
