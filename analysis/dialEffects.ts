// The effect of each dial, per model, with every other dial held fixed: two settings of one model are compared
// only when they differ in that one dial, on the items both measured. Each level is compared with the reference
// level (unset, else the lowest); p-values are Holm- and BH-adjusted across the model's dial effects.

import { isBinaryMetric, type ItemOutcome, type Metric, type RunInfo, type Scalar } from './outcomes.ts';
import type { PairStats } from './comparison.ts';
import { ComparisonStore } from './comparisonStore.ts';
import { adjustFamily, nameFamily, type FamilyColumns } from './family.ts';
import { collectSettings, type SettingItems } from './bestSettings.ts';
import { compareDialValues, dialsKey, formatDialValue } from './settings.ts';

/** One row of dial_effects. */
export interface DialEffectRow extends FamilyColumns {
  suite: string;
  metric: Metric;
  model: string;
  dial: string;
  from_value: string;
  to_value: string;
  /** The other dials that vary among the model's settings, as `name=value`: what was held fixed ('' = nothing else varies). */
  held_fixed: string;
  lane_from: string;
  lane_to: string;
  n_items: number;
  clusters: number;
  /** Rates on the shared items, so diff = rate_to − rate_from. */
  rate_from: number;
  rate_to: number;
  diff: number;
  se: number;
  ci_lo: number;
  ci_hi: number;
  mde: number;
  test: PairStats['test'];
}

/** The other dials that vary among the model's settings, at the values held fixed (constant dials say nothing). */
function describeFixed(dials: Record<string, Scalar>, except: string, varying: ReadonlySet<string>): string {
  return [...varying].filter((k) => k !== except).sort().map((k) => `${k}=${formatDialValue(dials[k])}`).join(', ');
}

/** Estimates every dial's effect for every model (visible lanes), other dials held fixed; comparisons come from `store`. */
export function estimateDialEffects(runs: readonly RunInfo[], index: ReadonlyMap<string, readonly ItemOutcome[]>, visible: ReadonlySet<string>, store = new ComparisonStore()): DialEffectRow[] {
  const rows: DialEffectRow[] = [];
  for (const { suite, metric, model, settings } of collectSettings(runs, index, visible)) {
    const binary = isBinaryMetric(metric);
    const family: DialEffectRow[] = [];
    const stats = new Map<DialEffectRow, PairStats>();
    const dials = [...new Set(settings.flatMap((s) => Object.keys(s.setting.dials)))].sort();
    const varying = new Set(dials.filter((d) => new Set(settings.map((s) => JSON.stringify(s.setting.dials[d] ?? null))).size > 1));
    for (const dial of dials) {
      // Settings that agree on every other dial form one context; within it, the dial's levels are compared.
      const contexts = new Map<string, SettingItems[]>();
      for (const s of settings) {
        const rest = Object.fromEntries(Object.entries(s.setting.dials).filter(([k]) => k !== dial));
        const key = dialsKey(rest);
        contexts.set(key, [...(contexts.get(key) ?? []), s]);
      }
      for (const members of contexts.values()) {
        const levels = new Map<string, SettingItems>();
        for (const m of members) levels.set(JSON.stringify(m.setting.dials[dial] ?? null), m);
        if (levels.size < 2) continue;
        const ordered = [...levels.values()].sort((a, b) => compareDialValues(a.setting.dials[dial], b.setting.dials[dial]));
        const reference = ordered[0];
        for (const level of ordered.slice(1)) {
          const s = store.compare(suite, metric, level.side, reference.side, binary);
          if (s === null) continue;
          const row: DialEffectRow = {
            suite, metric, model, dial,
            from_value: formatDialValue(reference.setting.dials[dial]), to_value: formatDialValue(level.setting.dials[dial]),
            held_fixed: describeFixed(reference.setting.dials, dial, varying), lane_from: reference.setting.lane, lane_to: level.setting.lane,
            n_items: s.n, clusters: s.clusters, rate_from: s.meanB, rate_to: s.meanA,
            diff: s.diff, se: s.se, ci_lo: s.lo, ci_hi: s.hi, mde: s.mde, test: s.test, p_value: s.p, p_holm: Number.NaN, q_bh: Number.NaN,
            adjusted_ci_lo: Number.NaN, adjusted_ci_hi: Number.NaN, family: '', family_size: 0, significant: false,
          };
          family.push(row);
          stats.set(row, s);
        }
      }
    }
    adjustFamily(family, nameFamily('dial_effects', { suite, metric, model }), (r) => stats.get(r) as PairStats);
    rows.push(...family);
  }
  return rows;
}
