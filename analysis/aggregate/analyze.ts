// Runs the statistics over the aggregated database and writes their four tables. Results are per suite, so an
// incremental aggregate recomputes only the suites whose runs changed and keeps the other suites' rows; within
// those suites it keeps the pairs of lanes neither of which changed (redoing only the adjustments across the
// family) and the best settings and dial effects of models none of whose runs changed. A lane whose registry flags
// changed counts as changed (its runs are among the changed runs). A change of options (--baseline) recomputes
// everything.

import { listValue, type DuckDBConnection } from '@duckdb/node-api';
import { findBestSettings, type BestSettingRow } from '../bestSettings.ts';
import { estimateDialEffects, type DialEffectRow } from '../dialEffects.ts';
import { indexOutcomes, isBinaryMetric, loadItemOutcomes, loadRuns, poolRuns, visibleLanes } from '../outcomes.ts';
import { ComparisonStore, sideOfRuns } from '../comparisonStore.ts';
import { compareLanePairs, type LanePairRow } from '../pairs.ts';
import { queryNamed, runNamed } from '../queries.ts';
import { rankLanes, rankingRowKey, runIdsByRow, type RankingRow } from '../ranking.ts';
import { laneKey, type ChangedRuns } from './changes.ts';
import { readRows, writeRows } from './tables.ts';

/** A lane pair compares two lanes under the same task settings (the ranking rows' task_settings and conditions). */
export type ConditionPairRow = LanePairRow & { task_settings: string; condition_a: string; condition_b: string };

export interface StatisticsTables {
  ranking: RankingRow[];
  pairs: ConditionPairRow[];
  best: BestSettingRow[];
  dialEffects: DialEffectRow[];
}

export interface AnalyzeOptions {
  baselines: readonly string[];
  /** What this build changed (changes.ts), or 'all' to recompute every suite. */
  changed: ChangedRuns | 'all';
  /** The statistics key stored by the previous build (meta 'stats_key'), if any. */
  previousKey: string | undefined;
}

const RESULT_TABLES = ['model_ranking', 'lane_pairs', 'best_settings', 'dial_effects'] as const;

/** lane_pairs columns that are NaN in a computed row and NULL once stored. */
const PAIR_NUMBERS = ['rate_a', 'rate_b', 'diff', 'se', 'ci_lo', 'ci_hi', 'df', 'correlation', 'mde', 'p_value', 'adjusted_ci_lo', 'adjusted_ci_hi'] as const;

const pairKey = (suite: string, metric: string, taskSettings: string, laneA: string, laneB: string) => [suite, metric, taskSettings, laneA, laneB].join('\u0000');

/**
 * Pairs like with like: compareLanePairs within each suite, metric and set of task settings, so each family (and
 * its Holm adjustment) holds the lanes run under one condition.
 */
function compareConditionPairs(ranking: readonly RankingRow[], compare: (rows: RankingRow[]) => LanePairRow[]): ConditionPairRow[] {
  const families = new Map<string, RankingRow[]>();
  for (const r of ranking) families.set(r.task_settings, [...(families.get(r.task_settings) ?? []), r]);
  return [...families].flatMap(([taskSettings, rows]) => {
    const conditionOf = new Map(rows.map((r) => [`${r.suite}\u0000${r.metric}\u0000${r.lane}`, r.condition]));
    const label = (p: LanePairRow, lane: string) => conditionOf.get(`${p.suite}\u0000${p.metric}\u0000${lane}`) ?? lane;
    return compare(rows).map((p) => ({ ...p, task_settings: taskSettings, condition_a: label(p, p.lane_a), condition_b: label(p, p.lane_b) }));
  });
}

/** Compares rows by suite and metric, the groups every statistic is computed within. */
function compareGroups(a: { suite: string; metric: string }, b: { suite: string; metric: string }): number {
  return `${a.suite}\u0000${a.metric}`.localeCompare(`${b.suite}\u0000${b.metric}`);
}

/** Orders per-model rows as a full computation does (suite and metric, then model), keeping each model's rows in order. */
function byGroupAndModel<T extends { suite: string; metric: string; model: string }>(rows: T[]): T[] {
  return rows.sort((a, b) => compareGroups(a, b) || a.model.localeCompare(b.model));
}

/** Rows as the tables hold them: a number that is not finite is stored (and read back) as NULL. */
function asStored<T extends object>(rows: T[]): T[] {
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'number' && !Number.isFinite(v) ? null : v])) as T);
}

/** Orders rows by suite and metric, keeping the order of rows within one (a stable sort). */
function bySuiteAndMetric<T extends { suite: string; metric: string }>(rows: T[]): T[] {
  return rows.sort(compareGroups);
}

/** Orders ranking rows as reports show them: by suite and metric, then rank, rate and condition. */
function byRank(rows: RankingRow[]): RankingRow[] {
  return rows.sort((a, b) => a.suite.localeCompare(b.suite) || a.metric.localeCompare(b.metric) || a.rank - b.rank || b.rate - a.rate || a.condition.localeCompare(b.condition));
}

/**
 * Computes the statistics (all suites, or only what `changed` touched, keeping the stored rows of the rest) and
 * rewrites the four result tables whole: replacing a small table costs a commit far less than deleting and
 * appending some of its rows.
 */
export async function analyze(connection: DuckDBConnection, options: AnalyzeOptions): Promise<StatisticsTables & { statsKey: string; recomputedSuites: number }> {
  const runs = await loadRuns(connection);
  const visible = visibleLanes(runs);
  // `rows` names what a ranking row is, `comparisons` the comparison method: a database built otherwise is recomputed whole.
  const statsKey = JSON.stringify({ baselines: [...options.baselines].sort(), rows: 'conditions', comparisons: 'one-method' });
  const tablesExist = (await queryNamed(connection, 'existing_tables', { names: listValue([...RESULT_TABLES]) })).length === RESULT_TABLES.length;
  const changed = options.changed === 'all' || options.previousKey !== statsKey || !tablesExist ? 'all' : options.changed;
  const suites = changed === 'all' ? new Set(runs.map((r) => r.suite)) : changed.suites;
  const previous: StatisticsTables = changed === 'all'
    ? { ranking: [], pairs: [], best: [], dialEffects: [] }
    : {
      ranking: await readRows<RankingRow>(connection, 'model_ranking'),
      pairs: await readRows<ConditionPairRow>(connection, 'lane_pairs'),
      best: await readRows<BestSettingRow>(connection, 'best_settings'),
      dialEffects: await readRows<DialEffectRow>(connection, 'dial_effects'),
    };
  const otherSuites = <T extends { suite: string }>(rows: T[]) => rows.filter((r) => !suites.has(r.suite));
  const tables: StatisticsTables = { ranking: otherSuites(previous.ranking), pairs: otherSuites(previous.pairs), best: otherSuites(previous.best), dialEffects: otherSuites(previous.dialEffects) };
  if (suites.size > 0) {
    const scope = runs.filter((r) => suites.has(r.suite));
    const index = indexOutcomes(await loadItemOutcomes(connection, changed === 'all' ? undefined : scope.map((r) => r.runId)));
    const ranking = rankLanes(scope, index, visible);
    const runsOf = runIdsByRow(scope);
    // One store for the three tables: a pair of conditions (or settings) with the same runs is compared once.
    const store = new ComparisonStore();
    const sideOf = (row: RankingRow) => {
      const runIds = runsOf.get(rankingRowKey(row)) ?? [];
      return sideOfRuns(runIds, () => poolRuns(index, runIds));
    };
    tables.ranking.push(...ranking);
    if (changed === 'all') {
      tables.pairs.push(...compareConditionPairs(ranking, (rows) => compareLanePairs(rows, sideOf, isBinaryMetric, undefined, store)));
      tables.best.push(...findBestSettings(scope, index, visible, options.baselines, store));
      tables.dialEffects.push(...estimateDialEffects(scope, index, visible, store));
    } else {
      const before = new Map(previous.pairs.map((r) => [pairKey(r.suite, r.metric, r.task_settings, r.lane_a, r.lane_b), r]));
      for (const row of previous.pairs) for (const column of PAIR_NUMBERS) row[column] ??= Number.NaN;
      const unchanged = (row: RankingRow) => !changed.lanes.has(laneKey(row.suite, row.lane));
      const reuse = (a: RankingRow, b: RankingRow) => (unchanged(a) && unchanged(b) ? before.get(pairKey(a.suite, a.metric, a.task_settings, a.lane, b.lane)) : undefined);
      tables.pairs.push(...compareConditionPairs(ranking, (rows) => compareLanePairs(rows, sideOf, isBinaryMetric, reuse, store)));
      // A model's best setting and dial effects depend on its own runs only: recompute the models that changed.
      const kept = <T extends { suite: string; model: string }>(rows: T[]) => rows.filter((r) => suites.has(r.suite) && !changed.models.has(r.model));
      const modelScope = scope.filter((r) => changed.models.has(r.model));
      tables.best.push(...kept(previous.best), ...findBestSettings(modelScope, index, visible, options.baselines, store));
      tables.dialEffects.push(...kept(previous.dialEffects), ...estimateDialEffects(modelScope, index, visible, store));
    }
  }
  const result: StatisticsTables = {
    ranking: byRank(tables.ranking),
    pairs: bySuiteAndMetric(tables.pairs),
    best: byGroupAndModel(tables.best),
    dialEffects: byGroupAndModel(tables.dialEffects),
  };
  await runNamed(connection, 'result_tables');
  await writeRows(connection, 'model_ranking', result.ranking);
  await writeRows(connection, 'lane_pairs', result.pairs);
  await writeRows(connection, 'best_settings', result.best);
  await writeRows(connection, 'dial_effects', result.dialEffects);
  return { ranking: asStored(result.ranking), pairs: asStored(result.pairs), best: asStored(result.best), dialEffects: asStored(result.dialEffects), statsKey, recomputedSuites: suites.size };
}
