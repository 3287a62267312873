// Lane rankings with honest intervals: the unit is the item (replicates are averaged first), one attempt per
// item of a 0/1 outcome gets a Wilson interval, anything else a t-interval with item-clustered standard errors.
// Lanes whose intervals overlap tie: rank = 1 + the number of lanes whose lower bound is above this upper bound.

import { addTallies, failureRates, type FailureRates } from '../core/metric.ts';
import { StatsWorkspace, clusteredMeanIntervalOf, rankWithTies, wilsonInterval } from './stats/index.ts';
import { groupRuns, isBinaryMetric, poolRuns, type ItemOutcome, type ItemTotals, type Metric, type RunInfo } from './outcomes.ts';

/** The interval of one lane's (or setting's) rate over its items. */
export interface RateSummary {
  /** Items with at least one scored attempt. */
  n: number;
  clusters: number;
  attempts: number;
  rate: number;
  se: number;
  lo: number;
  hi: number;
  method: 'wilson' | 'clustered-t';
}

/** One row of model_ranking: the rate and its interval, and the lane's steps by outcome (FailureRates). */
export interface RankingRow extends FailureRates {
  suite: string;
  metric: Metric;
  lane: string;
  model: string;
  provider: string;
  runs: number;
  n: number;
  clusters: number;
  rate: number;
  se: number;
  ci_lo: number;
  ci_hi: number;
  method: RateSummary['method'];
  rank: number;
}

/**
 * Summarises pooled item totals: per-item means first, then Wilson (binary, one attempt an item) or a clustered
 * t-interval; a caller summarising many passes one `workspace`.
 */
export function summarizeItems(items: ItemTotals, binary: boolean, workspace?: StatsWorkspace): RateSummary {
  const n = items.size;
  const means = new Float64Array(n);
  const clusterIds = new Int32Array(n);
  const clusterNumbers = new Map<string, number>();
  let attempts = 0;
  let total = 0;
  let single = true;
  let i = 0;
  items.forEach((t) => {
    attempts += t.attempts;
    total += t.total;
    if (t.attempts !== 1) single = false;
    means[i] = t.total / t.attempts;
    let id = clusterNumbers.get(t.cluster);
    if (id === undefined) clusterNumbers.set(t.cluster, (id = clusterNumbers.size));
    clusterIds[i++] = id;
  });
  const clusters = clusterNumbers.size;
  if (binary && n > 0 && single) {
    const w = wilsonInterval(Math.round(total), n);
    return { n, clusters, attempts, rate: w.rate, se: Math.sqrt((w.rate * (1 - w.rate)) / n), lo: w.lo, hi: w.hi, method: 'wilson' };
  }
  const c = clusteredMeanIntervalOf(means, clusterIds, n, clusters, 0.95, workspace);
  const clamp = (x: number) => (binary ? Math.min(1, Math.max(0, x)) : x);
  return { n, clusters, attempts, rate: c.mean, se: c.se, lo: clamp(c.lo), hi: clamp(c.hi), method: 'clustered-t' };
}

/** Ranks the visible lanes within each suite and metric; rows come best first. */
export function rankLanes(runs: readonly RunInfo[], index: ReadonlyMap<string, readonly ItemOutcome[]>, visible: ReadonlySet<string>): RankingRow[] {
  const rows: RankingRow[] = [];
  const workspace = new StatsWorkspace();
  for (const group of groupRuns(runs.filter((r) => visible.has(r.lane))).values()) {
    const byLane = new Map<string, RunInfo[]>();
    for (const run of group.runs) byLane.set(run.lane, [...(byLane.get(run.lane) ?? []), run]);
    const lanes = [...byLane].flatMap(([lane, laneRuns]) => {
      const summary = summarizeItems(poolRuns(index, laneRuns.map((r) => r.runId)), isBinaryMetric(group.metric), workspace);
      const latest = laneRuns[laneRuns.length - 1];
      const failures = failureRates(laneRuns.map((r) => r.tally).reduce(addTallies));
      return summary.n === 0 ? [] : [{ lane, model: latest.model, provider: latest.provider, runs: laneRuns.length, summary, failures }];
    });
    const ranks = rankWithTies(lanes.map((l) => ({ lo: l.summary.lo, hi: l.summary.hi })));
    const groupRows = lanes.map((l, i): RankingRow => ({
      suite: group.suite, metric: group.metric, lane: l.lane, model: l.model, provider: l.provider, runs: l.runs,
      n: l.summary.n, clusters: l.summary.clusters, ...l.failures, rate: l.summary.rate, se: l.summary.se,
      ci_lo: l.summary.lo, ci_hi: l.summary.hi, method: l.summary.method, rank: ranks[i],
    }));
    rows.push(...groupRows.sort((a, b) => a.rank - b.rank || b.rate - a.rate || a.lane.localeCompare(b.lane)));
  }
  return rows;
}
