// How many items and replicates a comparison of two lanes needs: the paired difference's variance from pilot data
// (the lanes' runs on the suite, when the aggregate holds any), else a stated worst case, and the designs that
// detect the effect asked for (analysis/stats/power.ts).

import { itemsNeeded, minimumDetectableEffect, type DifferenceVariance, type PowerTarget } from './stats/power.ts';

/** One item both lanes answered: each lane's scored attempts and the sum of their values (0..1 each). */
export interface PilotItem {
  attemptsA: number;
  totalA: number;
  attemptsB: number;
  totalB: number;
}

export interface PilotVariance extends DifferenceVariance {
  items: number;
  /** Whether any item had two or more attempts per lane: without, replicate noise cannot be told from item noise. */
  replicatesSeen: boolean;
}

/**
 * With no pilot: the variance of one item's difference of two independent 0/1 answers at 50 %, 0.25 + 0.25, all of
 * it counted between items, so replicates are assumed not to help: the largest design any 0..1 metric needs when
 * the lanes are independent.
 */
export const WORST_CASE_VARIANCE: DifferenceVariance = { itemVariance: 0.5, replicateVariance: 0 };

/**
 * Splits the per-item difference's variance into between-item and between-replicate parts (method of moments for a
 * one-way random-effects model). A lane's replicate variance at an item is m(1 − m)·k/(k − 1) for its mean m over k
 * attempts: exact for 0/1 values, an upper bound for scores in 0..1. The between-item part is the variance of the
 * item means' differences less their average sampling variance, floored at 0. A pilot with one attempt an item
 * cannot separate the two: all of it counts between items (replicates assumed not to help).
 */
export function pilotVariance(items: readonly PilotItem[]): PilotVariance | null {
  const usable = items.filter((i) => i.attemptsA > 0 && i.attemptsB > 0);
  if (usable.length < 2) return null;
  const within = (total: number, k: number): number => {
    const m = total / k;
    return k > 1 ? (m * (1 - m) * k) / (k - 1) : 0;
  };
  const diffs = usable.map((i) => i.totalA / i.attemptsA - i.totalB / i.attemptsB);
  const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length;
  const diffVariance = diffs.reduce((a, d) => a + (d - mean) ** 2, 0) / (diffs.length - 1);
  const replicated = usable.filter((i) => i.attemptsA > 1 && i.attemptsB > 1);
  if (replicated.length === 0) return { itemVariance: diffVariance, replicateVariance: 0, items: usable.length, replicatesSeen: false };
  let replicateVariance = 0;
  let sampling = 0;
  for (const i of replicated) {
    const wA = within(i.totalA, i.attemptsA);
    const wB = within(i.totalB, i.attemptsB);
    replicateVariance += wA + wB;
    sampling += wA / i.attemptsA + wB / i.attemptsB;
  }
  replicateVariance /= replicated.length;
  sampling /= replicated.length;
  return { itemVariance: Math.max(0, diffVariance - sampling), replicateVariance, items: usable.length, replicatesSeen: true };
}

export interface DesignRow {
  replicates: number;
  /** The fewest items that detect the effect, or null when no feasible number does. */
  items_needed: number | null;
  /** Steps each lane sends for that design. */
  steps_per_lane: number | null;
  /** Whether the suite has that many items. */
  suite_suffices: boolean;
  /** The effect the whole suite detects with these replicates. */
  suite_mde: number;
}

/** For each replicate count, the items needed to detect `effect`, and what the whole suite detects. */
export function planDesigns(variance: DifferenceVariance, effect: number, replicates: readonly number[], suiteItems: number, target: PowerTarget): DesignRow[] {
  return replicates.map((r) => {
    const items = itemsNeeded(variance, effect, r, target);
    return {
      replicates: r,
      items_needed: items,
      steps_per_lane: items === null ? null : items * r,
      suite_suffices: items !== null && items <= suiteItems,
      suite_mde: suiteItems >= 2 ? minimumDetectableEffect(variance, suiteItems, r, target) : Number.NaN,
    };
  });
}
