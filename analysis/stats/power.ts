// Power for a paired comparison of two lanes on shared items: the smallest true difference a design detects, and the
// design (items × replicates) that detects a given one. The comparison is the paired t-test on per-item mean
// differences (df = items − 1), two-sided at level alpha (already adjusted for the family, e.g. Bonferroni's
// alpha / K, which bounds Holm's first step); power is 1 − beta. With replicates r per item and lane, the variance of
// one item's mean difference is itemVariance + replicateVariance / r (a one-way random-effects model of the paired
// difference), so replicates shrink only the second part.

import { tQuantile } from './student-t.ts';

/** How the paired difference varies: between items (true differences) and between replicates of one item. */
export interface DifferenceVariance {
  /** Variance of the true per-item difference across items. */
  itemVariance: number;
  /** Variance of one replicate's difference around its item's true difference (both lanes' attempt noise). */
  replicateVariance: number;
}

export interface PowerTarget {
  /** Two-sided level of the test, already adjusted for the family it is part of. */
  alpha: number;
  /** The chance of reaching significance at the effect, e.g. 0.8. */
  power: number;
}

/** t(1 − alpha/2, df) + t(power, df): the multiplier of the standard error that gives the detectable effect. */
export function powerMultiplier(df: number, target: PowerTarget): number {
  return tQuantile(1 - target.alpha / 2, df) + tQuantile(target.power, df);
}

/** The standard error of the mean paired difference over `items` items with `replicates` replicates each. */
export function differenceSe(variance: DifferenceVariance, items: number, replicates: number): number {
  return Math.sqrt((variance.itemVariance + variance.replicateVariance / replicates) / items);
}

/** The minimum detectable effect of a design: the true difference its test detects with the target power. */
export function minimumDetectableEffect(variance: DifferenceVariance, items: number, replicates: number, target: PowerTarget): number {
  return powerMultiplier(items - 1, target) * differenceSe(variance, items, replicates);
}

/**
 * The fewest items (≥ 2) whose design, with `replicates` replicates, detects `effect`; null when even `maxItems`
 * items do not (an effect below what replicates can buy back, or no variance to speak of is never null: 2 items).
 */
export function itemsNeeded(variance: DifferenceVariance, effect: number, replicates: number, target: PowerTarget, maxItems = 1_000_000): number | null {
  const detects = (items: number): boolean => minimumDetectableEffect(variance, items, replicates, target) <= effect;
  if (!detects(maxItems)) return null;
  // the detectable effect falls as items grow: bisect for the first that detects
  let lo = 2;
  let hi = maxItems;
  if (detects(lo)) return lo;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (detects(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
