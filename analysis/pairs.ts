// lane_pairs: every pair of ranked lanes in a suite and metric, compared on their shared items (comparison.ts) and
// adjusted for multiplicity within the suite and metric, the family each row names.

import { ComparisonStore, type ComparisonSide } from './comparisonStore.ts';
import type { ComparisonCore, PairStats } from './comparison.ts';
import { adjustFamily, nameFamily, type FamilyColumns } from './family.ts';
import type { Metric } from './outcomes.ts';
import type { RankingRow } from './ranking.ts';

export { compareItems, createItemIds, isSignificant, pairedTPValue, prepareItems, type PairStats, type PreparedItems } from './comparison.ts';

/** One row of lane_pairs. */
export interface LanePairRow extends FamilyColumns {
  suite: string;
  metric: Metric;
  lane_a: string;
  lane_b: string;
  model_a: string;
  model_b: string;
  n_items: number;
  clusters: number;
  rate_a: number;
  rate_b: number;
  diff: number;
  se: number;
  ci_lo: number;
  ci_hi: number;
  df: number;
  correlation: number;
  mde: number;
  test: PairStats['test'];
  discordant_a: number | null;
  discordant_b: number | null;
}

/** Returns what a lane_pairs row's test and interval are computed from (a stored row's NULL counts read as null). */
function coreOfPair(r: LanePairRow): ComparisonCore {
  const count = (v: number | bigint | null) => (v === null || v === undefined ? null : Number(v));
  return { test: r.test, n: Number(r.n_items), diff: r.diff, se: r.se, df: r.df, discordantA: count(r.discordant_a), discordantB: count(r.discordant_b), p: r.p_value };
}

/**
 * Every pair of ranked lanes in each suite and metric, the better-ranked lane as A, from `store` (shared with the
 * other tables). p-values are adjusted within the suite and metric: Holm (confirmatory) and Benjamini–Hochberg (a
 * screen over all pairs). `reuse` may return a pair's row as computed before (neither lane's items changed since):
 * its statistics are kept, and only the adjustments, which depend on the whole family, are redone.
 */
export function compareLanePairs(
  ranking: readonly RankingRow[],
  sideOf: (row: RankingRow) => ComparisonSide,
  binaryOf: (metric: Metric) => boolean,
  reuse: (a: RankingRow, b: RankingRow) => LanePairRow | undefined = () => undefined,
  store = new ComparisonStore(),
): LanePairRow[] {
  const rows: LanePairRow[] = [];
  const groups = new Map<string, RankingRow[]>();
  // a family per suite, metric and set of task settings: conditions are compared like with like
  const familyOf = (r: RankingRow) => `${r.suite}\u0000${r.metric}\u0000${r.task_settings}`;
  for (const r of ranking) groups.set(familyOf(r), [...(groups.get(familyOf(r)) ?? []), r]);
  for (const lanes of groups.values()) {
    const sides = lanes.map(sideOf);
    const group: LanePairRow[] = [];
    for (let i = 0; i < lanes.length; i++) {
      for (let j = i + 1; j < lanes.length; j++) {
        const before = reuse(lanes[i], lanes[j]);
        if (before !== undefined) {
          group.push({ ...before, model_a: lanes[i].model, model_b: lanes[j].model });
          continue;
        }
        const s = store.compare(lanes[i].suite, lanes[i].metric, sides[i], sides[j], binaryOf(lanes[i].metric));
        if (s === null) continue;
        group.push({
          suite: lanes[i].suite, metric: lanes[i].metric, lane_a: lanes[i].lane, lane_b: lanes[j].lane, model_a: lanes[i].model, model_b: lanes[j].model,
          n_items: s.n, clusters: s.clusters, rate_a: s.meanA, rate_b: s.meanB, diff: s.diff, se: s.se, ci_lo: s.lo, ci_hi: s.hi, df: s.df,
          correlation: s.correlation, mde: s.mde, test: s.test, discordant_a: s.discordantA, discordant_b: s.discordantB,
          p_value: s.p, p_holm: Number.NaN, q_bh: Number.NaN, adjusted_ci_lo: Number.NaN, adjusted_ci_hi: Number.NaN, family: '', family_size: 0, significant: false,
        });
      }
    }
    const settings = lanes[0].task_settings;
    adjustFamily(group, nameFamily('lane_pairs', { suite: lanes[0].suite, metric: lanes[0].metric, ...(settings === '{}' || settings === '' ? {} : { settings }) }), coreOfPair);
    rows.push(...group);
  }
  return rows;
}

