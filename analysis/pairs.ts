// Paired comparisons on shared items: the per-item difference removes item difficulty, so the paired standard
// error is far smaller than that of two separate means. Binary outcomes with one attempt an item on both sides
// also get the exact McNemar test; otherwise the p-value is the paired (item-clustered) t-test's.

import { StatsWorkspace, adjustBenjaminiHochberg, adjustHolm, pairedDifferenceOf, tCdf } from './stats/index.ts';
import type { AlignedValues, PairedDifference } from './stats/index.ts';
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

/** Compares A and B on their shared items (item means over replicates); null with fewer than two shared items. */
export function compareItems(a: ItemTotals | PreparedItems, b: ItemTotals | PreparedItems, binary: boolean): PairStats | null {
  const ids = a instanceof Map ? (b instanceof Map ? createItemIds() : b.ids) : a.ids;
  const pa = a instanceof Map ? prepareItems(a, ids) : a;
  const pb = b instanceof Map ? prepareItems(b, ids) : b;
  if (pa.ids !== pb.ids) throw new Error('compareItems needs both sides prepared with the same ItemIds');
  const aligned = alignItems(pa, pb);
  if (aligned.n < 2) return null;
  // McNemar needs one 0/1 attempt an item on both sides; a lane with replicates anywhere gets the t-test.
  const { difference, clusters } = pairedDifferenceOf(aligned, { binary: binary && pa.single && pb.single, workspace: pa.ids.workspace });
  const { n, meanA, meanB, diff, se, lo, hi, df, correlation, mde, mcnemar } = difference;
  return {
    n, meanA, meanB, diff, se, lo, hi, df, correlation, mde,
    clusters,
    test: mcnemar === undefined ? 'paired-t' : 'mcnemar-exact',
    discordantA: mcnemar?.b ?? null,
    discordantB: mcnemar?.c ?? null,
    p: mcnemar?.p ?? pairedTPValue(diff, se, df),
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
    const ids = createItemIds();
    const prepared: (PreparedItems | undefined)[] = new Array(lanes.length);
    const items = (i: number) => (prepared[i] ??= prepareItems(itemsOf(lanes[i]), ids));
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
