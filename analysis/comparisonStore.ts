// Each comparison computed once: lane_pairs, best_settings and dial_effects ask one store, keyed by suite, metric
// and the exact data of each side (its runs), so a pair that appears in several tables has the same raw p-value,
// interval and test in all of them. Only the multiplicity adjustment differs, and each row names its family.

import { compareItems, createItemIds, prepareItems, type ItemIds, type PairStats, type PreparedItems } from './comparison.ts';
import type { ItemTotals } from './outcomes.ts';

/** One side of a comparison: a key naming its data (e.g. its sorted run ids) and its pooled items, read on first use. */
export interface ComparisonSide {
  key: string;
  items: () => ItemTotals;
}

/** Returns the side whose data are these runs: the key is the sorted run ids, so any order names the same side. */
export function sideOfRuns(runIds: readonly string[], items: () => ItemTotals): ComparisonSide {
  return { key: [...runIds].sort().join('\u0001'), items };
}

/** Returns the comparison seen from the other side: B − A. */
function flipComparison(s: PairStats): PairStats {
  return { ...s, diff: -s.diff, lo: -s.hi, hi: -s.lo, meanA: s.meanB, meanB: s.meanA, discordantA: s.discordantB, discordantB: s.discordantA };
}

/** Comparisons by suite, metric and the two sides' keys, each computed once (in its key order) and shared. */
export class ComparisonStore {
  readonly #groups = new Map<string, { ids: ItemIds; prepared: Map<string, PreparedItems>; stats: Map<string, PairStats | null> }>();

  /** Returns A − B on their shared items, computing it only the first time this pair (either way round) is asked for. */
  compare(suite: string, metric: string, a: ComparisonSide, b: ComparisonSide, binary: boolean): PairStats | null {
    const groupKey = `${suite}\u0000${metric}`;
    let group = this.#groups.get(groupKey);
    if (group === undefined) this.#groups.set(groupKey, (group = { ids: createItemIds(), prepared: new Map(), stats: new Map() }));
    const { ids, prepared, stats } = group;
    const prepare = (side: ComparisonSide) => prepared.get(side.key) ?? prepared.set(side.key, prepareItems(side.items(), ids)).get(side.key) as PreparedItems;
    const [first, second] = a.key <= b.key ? [a, b] : [b, a];
    const key = `${first.key}\u0000${second.key}`;
    let s = stats.get(key);
    if (s === undefined) stats.set(key, (s = compareItems(prepare(first), prepare(second), binary)));
    return s === null || first === a ? s : flipComparison(s);
  }
}
