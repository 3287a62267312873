// An interval for a rate of 0/1 attempts that are replicated within items and clustered: the clustered t-interval
// on the logit scale, so that it stays inside (0, 1) and is skewed away from the near boundary, which keeps its
// coverage near 0 % and 100 % (a seeded simulation in test/analysis/clustered-rate-interval.test.ts; docs/statistics.md).
//
//   p̂ = mean of item means;  V = max(V_CR1, p̂(1 − p̂)/A)  (A attempts: never more precise than independent attempts)
//   logit(p̂) ± t(G − 1) · √V / (p̂(1 − p̂)), mapped back with the logistic function
//   design effect (Kish) = V / (p̂(1 − p̂)/A), so the effective sample size is A / deff = p̂(1 − p̂)/V
//
// At p̂ = 0 or 1 the logit and the variance say nothing, so the interval is Wilson's with t(G − 1) for z on the
// worst-case effective size: every cluster all 0 or all 1 (intra-cluster correlation 1), n_eff = n²/Σ n_g² with
// n_g items in cluster g (G for equal clusters). With fewer than two clusters the spread cannot be estimated: [0, 1].

import { clusteredMeanIntervalOf } from './clustered.ts';
import { computeCriticalValue, computeTBounds, computeWilsonBounds } from './intervals.ts';
import { StatsWorkspace } from './workspace.ts';

/** A rate with its interval, the method that gave it and Kish's design effect against A independent attempts. */
export interface ClusteredRateInterval {
  rate: number;
  /** √V: the cluster-robust standard error, floored at the binomial one of A independent attempts. */
  se: number;
  lo: number;
  hi: number;
  df: number;
  clusters: number;
  /** attempts / n_eff: the variance relative to independent attempts; NaN when it cannot be estimated (G < 2). */
  designEffect: number;
  method: 'logit-t' | 'wilson-deff';
}

/**
 * Returns the logit-scale clustered interval of a rate from the first n item means (each the mean of an item's 0/1
 * attempts, `attempts` in all) with clusters as integer ids in [0, clusterCount); Wilson on the worst-case
 * effective size when every item is 0 or every item is 1.
 */
export function clusteredRateIntervalOf(
  means: ArrayLike<number>,
  clusterIds: ArrayLike<number>,
  n: number,
  clusterCount: number,
  attempts: number,
  confidence = 0.95,
  workspace = new StatsWorkspace(),
): ClusteredRateInterval {
  const c = clusteredMeanIntervalOf(means, clusterIds, n, clusterCount, confidence, workspace);
  const rate = c.mean;
  if (rate === 0 || rate === 1) return computeNoSpreadInterval(rate, c.clusters, clusterIds, n, clusterCount, attempts, confidence);
  const unknown = { rate, se: c.se, lo: 0, hi: 1, df: c.df, clusters: c.clusters, designEffect: Number.NaN, method: 'logit-t' as const };
  if (c.clusters < 2) return unknown;
  const binomial = (rate * (1 - rate)) / attempts;
  const variance = Math.max(c.se * c.se, binomial);
  const logit = Math.log(rate / (1 - rate));
  const { lo, hi } = computeTBounds(logit, Math.sqrt(variance) / (rate * (1 - rate)), c.df, confidence);
  return { ...unknown, se: Math.sqrt(variance), lo: logistic(lo), hi: logistic(hi), designEffect: variance / binomial };
}

/**
 * Returns the interval of a rate in [0, 1] whose items show no spread at all (every item mean equal, so at 0 or 1
 * for 0/1 attempts): Wilson with t(G − 1) for z on the worst-case effective size n²/Σ n_g² over the G clusters
 * present; [0, 1] when G < 2. A value in [0, 1] with mean p has variance at most p(1 − p), so this also bounds graded scores.
 */
export function computeNoSpreadInterval(
  rate: number,
  clusters: number,
  clusterIds: ArrayLike<number>,
  n: number,
  clusterCount: number,
  attempts: number,
  confidence = 0.95,
): ClusteredRateInterval {
  const df = Math.max(clusters - 1, 0);
  const row = { rate, se: 0, lo: 0, hi: 1, df, clusters, designEffect: Number.NaN, method: 'wilson-deff' as const };
  if (clusters < 2) return row;
  const effective = computeWorstCaseSize(clusterIds, n, clusterCount);
  return { ...row, ...computeWilsonBounds(rate, effective, computeCriticalValue(confidence, df)), designEffect: attempts / effective };
}

/** Returns n²/Σ n_g², the effective number of items when every cluster's items agree (intra-cluster correlation 1). */
function computeWorstCaseSize(clusterIds: ArrayLike<number>, n: number, clusterCount: number): number {
  const sizes = new Float64Array(clusterCount);
  for (let i = 0; i < n; i++) sizes[clusterIds[i]] += 1;
  let squares = 0;
  for (let g = 0; g < clusterCount; g++) squares += sizes[g] * sizes[g];
  return (n * n) / squares;
}

/** Returns 1 / (1 + e^−x). */
function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
