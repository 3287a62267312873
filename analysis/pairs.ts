// Paired comparisons on shared items: the per-item difference removes item difficulty, so the paired standard
// error is far smaller than that of two separate means. Binary outcomes with one attempt an item on both sides
// also get the exact McNemar test; otherwise the p-value is the paired (item-clustered) t-test's.

import { adjustBenjaminiHochberg, adjustHolm, pairedDifference, tCdf } from './stats/index.ts';
import type { PairedDifference } from './stats/index.ts';
import type { ItemTotals, Metric } from './outcomes.ts';
import type { RankingRow } from './ranking.ts';

/** The comparison A − B over the items both measured: the paired difference, plus its test and clusters. */
export interface PairStats extends Omit<PairedDifference, 'mcnemar'> {
  clusters: number;
  test: 'mcnemar-exact' | 'paired-t';
  /** McNemar discordant counts: A right and B wrong, A wrong and B right. */
  discordantA: number | null;
  discordantB: number | null;
  p: number;
}

/** One row of lane_pairs. */
export interface LanePairRow {
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
  p_value: number;
  p_holm: number;
  q_bh: number;
  /** Holm-adjusted p < .05 and a 95% interval that excludes zero. */
  significant: boolean;
}

/** The two-sided p-value of a paired t statistic; 1 for no difference at all, NaN when the spread is unknown. */
export function pairedTPValue(diff: number, se: number, df: number): number {
  if (Number.isNaN(se) || !(df > 0)) return Number.NaN;
  if (se === 0) return diff === 0 ? 1 : 0;
  return Math.min(1, 2 * tCdf(-Math.abs(diff / se), df));
}

/** Item means of one lane or setting, prepared once for many comparisons. */
export interface PreparedItems {
  means: Map<string, number>;
  clusters: Map<string, string>;
  /** Every item has exactly one attempt. */
  single: boolean;
}

/** Per-item means over replicates, with clusters: compute once per lane, compare with many. */
export function prepareItems(items: ItemTotals): PreparedItems {
  const means = new Map<string, number>();
  const clusters = new Map<string, string>();
  let single = true;
  for (const [item, t] of items) {
    means.set(item, t.total / t.attempts);
    clusters.set(item, t.cluster);
    if (t.attempts !== 1) single = false;
  }
  return { means, clusters, single };
}

/** Compares A and B on their shared items (item means over replicates); null with fewer than two shared items. */
export function compareItems(a: ItemTotals | PreparedItems, b: ItemTotals | PreparedItems, binary: boolean): PairStats | null {
  const pa = a instanceof Map ? prepareItems(a) : a;
  const pb = b instanceof Map ? prepareItems(b) : b;
  let shared = 0;
  const clusterSet = new Set<string>();
  for (const item of pa.means.keys()) {
    if (!pb.means.has(item)) continue;
    shared++;
    clusterSet.add(pa.clusters.get(item) as string);
  }
  if (shared < 2) return null;
  // McNemar needs one 0/1 attempt an item on both sides; a lane with replicates anywhere gets the t-test.
  const d = pairedDifference(pa.means, pb.means, { clusters: pa.clusters, binary: binary && pa.single && pb.single });
  const { mcnemar, ...difference } = d;
  return {
    ...difference,
    clusters: clusterSet.size,
    test: mcnemar === undefined ? 'paired-t' : 'mcnemar-exact',
    discordantA: mcnemar?.b ?? null,
    discordantB: mcnemar?.c ?? null,
    p: mcnemar?.p ?? pairedTPValue(d.diff, d.se, d.df),
  };
}

/** True when an adjusted p-value passes .05 and the interval excludes zero: the only results findings may state. */
export function isSignificant(pAdjusted: number, lo: number, hi: number): boolean {
  return pAdjusted < 0.05 && (lo > 0 || hi < 0);
}

/** Adjusts one family of comparisons in place: Holm (confirmatory), Benjamini–Hochberg (a screen), and the significance flag. */
export function adjustFamily(family: readonly { p_value: number; p_holm: number; q_bh: number; ci_lo: number; ci_hi: number; significant: boolean }[]): void {
  const holm = adjustHolm(family.map((r) => r.p_value));
  const bh = adjustBenjaminiHochberg(family.map((r) => r.p_value));
  family.forEach((r, i) => {
    r.p_holm = holm[i];
    r.q_bh = bh[i];
    r.significant = isSignificant(holm[i], r.ci_lo, r.ci_hi);
  });
}

/**
 * Every pair of ranked lanes in each suite and metric, the better-ranked lane as A. p-values are adjusted within
 * the suite and metric: Holm (confirmatory) and Benjamini–Hochberg (a screen over all pairs). `reuse` may return
 * a pair's row as computed before (neither lane's items changed since): its statistics are kept, and only the
 * adjustments, which depend on the whole family, are redone.
 */
export function compareLanePairs(
  ranking: readonly RankingRow[],
  itemsOf: (row: RankingRow) => ItemTotals,
  binaryOf: (metric: Metric) => boolean,
  reuse: (a: RankingRow, b: RankingRow) => LanePairRow | undefined = () => undefined,
): LanePairRow[] {
  const rows: LanePairRow[] = [];
  const groups = new Map<string, RankingRow[]>();
  for (const r of ranking) groups.set(`${r.suite}\u0000${r.metric}`, [...(groups.get(`${r.suite}\u0000${r.metric}`) ?? []), r]);
  for (const lanes of groups.values()) {
    // Prepared on first use: with reused pairs, most lanes are never compared again.
    const prepared: (PreparedItems | undefined)[] = new Array(lanes.length);
    const items = (i: number) => (prepared[i] ??= prepareItems(itemsOf(lanes[i])));
    const group: LanePairRow[] = [];
    for (let i = 0; i < lanes.length; i++) {
      for (let j = i + 1; j < lanes.length; j++) {
        const before = reuse(lanes[i], lanes[j]);
        if (before !== undefined) {
          group.push({ ...before, model_a: lanes[i].model, model_b: lanes[j].model });
          continue;
        }
        const s = compareItems(items(i), items(j), binaryOf(lanes[i].metric));
        if (s === null) continue;
        group.push({
          suite: lanes[i].suite, metric: lanes[i].metric, lane_a: lanes[i].lane, lane_b: lanes[j].lane, model_a: lanes[i].model, model_b: lanes[j].model,
          n_items: s.n, clusters: s.clusters, rate_a: s.meanA, rate_b: s.meanB, diff: s.diff, se: s.se, ci_lo: s.lo, ci_hi: s.hi, df: s.df,
          correlation: s.correlation, mde: s.mde, test: s.test, discordant_a: s.discordantA, discordant_b: s.discordantB,
          p_value: s.p, p_holm: Number.NaN, q_bh: Number.NaN, significant: false,
        });
      }
    }
    adjustFamily(group);
    rows.push(...group);
  }
  return rows;
}
