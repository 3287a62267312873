// Lane rankings with honest intervals: the unit is the item (replicates are averaged first). A 0/1 outcome with one
// attempt per independent item gets a Wilson interval; with replicates or clusters a logit-scale clustered
// t-interval (Wilson on the worst-case effective size at 0 % and 100 %); a graded score a clustered t-interval.
// A row is a condition (conditions.ts): a lane under one set of task settings, pooling only runs that match.
// Conditions whose intervals overlap tie: rank = 1 + the number of rows whose lower bound is above this upper bound.

import { addTallies, failureRates, type FailureRates } from '../core/metric.ts';
import { StatsWorkspace, clusteredMeanIntervalOf, clusteredRateIntervalOf, computeNoSpreadInterval, rankWithTies, wilsonInterval } from './stats/index.ts';
import { conditionOf } from './conditions.ts';
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
  method: 'wilson' | 'logit-t' | 'wilson-deff' | 'clustered-t';
  /** Kish's design effect, attempts / effective sample size (1 for Wilson); NaN for a score's clustered t. */
  designEffect: number;
}

/** One row of model_ranking, a condition: the rate and its interval, and its steps by outcome (FailureRates). */
export interface RankingRow extends FailureRates {
  suite: string;
  metric: Metric;
  lane: string;
  /** The lane and its non-default task settings, e.g. `strong.t0-7 · sc3` (conditions.ts). */
  condition: string;
  /** The non-default task settings as JSON (`{}` when all are defaults). */
  task_settings: string;
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
  design_effect: number;
}

/**
 * Summarises pooled item totals: per-item means first, then Wilson (binary, one attempt an item, no shared
 * clusters), the logit clustered interval (other binary) or a clustered t-interval (scores; Wilson on the
 * worst-case size when every item scored the same); a caller summarising many passes one `workspace`.
 */
export function summarizeItems(items: ItemTotals, binary: boolean, workspace?: StatsWorkspace): RateSummary {
  const n = items.size;
  const means = new Float64Array(n);
  const clusterIds = new Int32Array(n);
  const clusterNumbers = new Map<string, number>();
  let attempts = 0;
  let total = 0;
  let single = true;
  let unit = true;
  let i = 0;
  items.forEach((t) => {
    attempts += t.attempts;
    total += t.total;
    if (t.attempts !== 1) single = false;
    means[i] = t.total / t.attempts;
    if (!(means[i] >= 0 && means[i] <= 1)) unit = false;
    let id = clusterNumbers.get(t.cluster);
    if (id === undefined) clusterNumbers.set(t.cluster, (id = clusterNumbers.size));
    clusterIds[i++] = id;
  });
  const clusters = clusterNumbers.size;
  if (binary && n > 0 && single && clusters === n) {
    const w = wilsonInterval(Math.round(total), n);
    return { n, clusters, attempts, rate: w.rate, se: Math.sqrt((w.rate * (1 - w.rate)) / n), lo: w.lo, hi: w.hi, method: 'wilson', designEffect: 1 };
  }
  if (binary) {
    const r = clusteredRateIntervalOf(means, clusterIds, n, clusters, attempts, 0.95, workspace);
    return { n, clusters, attempts, rate: r.rate, se: r.se, lo: r.lo, hi: r.hi, method: r.method, designEffect: r.designEffect };
  }
  // Scores are 0..1 by contract, but a log may hold others: only scores inside it are bounded by it.
  const c = clusteredMeanIntervalOf(means, clusterIds, n, clusters, 0.95, workspace);
  if (c.se === 0 && unit) {
    // No spread between clusters (every item scored the same, say): a t-interval would have zero width.
    const r = computeNoSpreadInterval(c.mean, clusters, clusterIds, n, clusters, attempts);
    return { n, clusters, attempts, rate: r.rate, se: r.se, lo: r.lo, hi: r.hi, method: r.method, designEffect: r.designEffect };
  }
  const clamp = (x: number) => (unit ? Math.min(1, Math.max(0, x)) : x);
  return { n, clusters, attempts, rate: c.mean, se: c.se, lo: clamp(c.lo), hi: clamp(c.hi), method: 'clustered-t', designEffect: Number.NaN };
}

/** Ranks the visible lanes' conditions within each suite and metric; rows come best first. */
export function rankLanes(runs: readonly RunInfo[], index: ReadonlyMap<string, readonly ItemOutcome[]>, visible: ReadonlySet<string>): RankingRow[] {
  const rows: RankingRow[] = [];
  const workspace = new StatsWorkspace();
  for (const group of groupRuns(runs.filter((r) => visible.has(r.lane))).values()) {
    const byCondition = new Map<string, RunInfo[]>();
    for (const run of group.runs) {
      const key = `${run.lane}\u0000${conditionOf(run).taskSettings}`;
      byCondition.set(key, [...(byCondition.get(key) ?? []), run]);
    }
    const conditions = [...byCondition.values()].flatMap((conditionRuns) => {
      const summary = summarizeItems(poolRuns(index, conditionRuns.map((r) => r.runId)), isBinaryMetric(group.metric), workspace);
      const latest = conditionRuns[conditionRuns.length - 1];
      const failures = failureRates(conditionRuns.map((r) => r.tally).reduce(addTallies));
      return summary.n === 0 ? [] : [{ latest, condition: conditionOf(latest), runs: conditionRuns.length, summary, failures }];
    });
    const ranks = rankWithTies(conditions.map((c) => ({ lo: c.summary.lo, hi: c.summary.hi })));
    const groupRows = conditions.map((c, i): RankingRow => ({
      suite: group.suite, metric: group.metric, lane: c.latest.lane, condition: c.condition.label, task_settings: c.condition.taskSettings,
      model: c.latest.model, provider: c.latest.provider, runs: c.runs,
      n: c.summary.n, clusters: c.summary.clusters, ...c.failures, rate: c.summary.rate, se: c.summary.se,
      ci_lo: c.summary.lo, ci_hi: c.summary.hi, method: c.summary.method, rank: ranks[i], design_effect: c.summary.designEffect,
    }));
    rows.push(...groupRows.sort((a, b) => a.rank - b.rank || b.rate - a.rate || a.condition.localeCompare(b.condition)));
  }
  return rows;
}

/** The ids of the runs each ranking row pools, by rankingRowKey: a row is its suite, metric, lane and task settings. */
export function runIdsByRow(runs: readonly RunInfo[]): Map<string, string[]> {
  const byRow = new Map<string, string[]>();
  for (const run of runs) {
    if (run.metric === null) continue;
    const key = rankingRowKey({ suite: run.suite, metric: run.metric, lane: run.lane, task_settings: conditionOf(run).taskSettings });
    byRow.set(key, [...(byRow.get(key) ?? []), run.runId]);
  }
  return byRow;
}

/** A ranking row's identity within the table. */
export function rankingRowKey(row: Pick<RankingRow, 'suite' | 'metric' | 'lane' | 'task_settings'>): string {
  return [row.suite, row.metric, row.lane, row.task_settings].join('\u0000');
}
