// Runs the statistics over the aggregated database and writes their four tables. Results are per suite, so an
// incremental aggregate recomputes only the suites whose runs changed and keeps the other suites' rows; within
// those suites it keeps the pairs of lanes neither of which changed (redoing only the adjustments across the
// family) and the best settings and dial effects of models none of whose runs changed. A change of options
// (--baseline) or of which lanes are visible recomputes everything.

import { listValue, type DuckDBConnection } from '@duckdb/node-api';
import { findBestSettings, type BestSettingRow } from '../bestSettings.ts';
import { estimateDialEffects, type DialEffectRow } from '../dialEffects.ts';
import { indexOutcomes, isBinaryMetric, loadItemOutcomes, loadRuns, poolRuns, visibleLanes } from '../outcomes.ts';
import { compareLanePairs, type LanePairRow } from '../pairs.ts';
import { queryNamed, runNamed } from '../queries.ts';
import { rankLanes, type RankingRow } from '../ranking.ts';
import { laneKey, type ChangedRuns } from './changes.ts';
import { readRows, writeRows } from './tables.ts';

export interface StatisticsTables {
  ranking: RankingRow[];
  pairs: LanePairRow[];
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
const PAIR_NUMBERS = ['rate_a', 'rate_b', 'diff', 'se', 'ci_lo', 'ci_hi', 'df', 'correlation', 'mde', 'p_value'] as const;

const pairKey = (suite: string, metric: string, laneA: string, laneB: string) => [suite, metric, laneA, laneB].join('\u0000');

/** The stored pairs of the given suites, keyed by suite, metric and lanes in order, NULLs back to NaN. */
async function readPreviousPairs(connection: DuckDBConnection, suites: ReadonlySet<string>): Promise<Map<string, LanePairRow>> {
  const rows = (await readRows<LanePairRow>(connection, 'lane_pairs')).filter((r) => suites.has(r.suite));
  for (const row of rows) for (const column of PAIR_NUMBERS) row[column] ??= Number.NaN;
  return new Map(rows.map((r) => [pairKey(r.suite, r.metric, r.lane_a, r.lane_b), r]));
}

/** Orders per-model rows as a full computation does (suite and metric, then model), keeping each model's rows in order. */
function byGroupAndModel<T extends { suite: string; metric: string; model: string }>(rows: T[]): T[] {
  return rows.sort((a, b) => `${a.suite}\u0000${a.metric}`.localeCompare(`${b.suite}\u0000${b.metric}`) || a.model.localeCompare(b.model));
}

/** Computes the statistics (all suites, or only what `changed` touched) and returns every result row. */
export async function analyze(connection: DuckDBConnection, options: AnalyzeOptions): Promise<StatisticsTables & { statsKey: string; recomputedSuites: number }> {
  const runs = await loadRuns(connection);
  const visible = visibleLanes(runs);
  const statsKey = JSON.stringify({ baselines: [...options.baselines].sort(), visible: [...visible].sort() });
  const tablesExist = (await Promise.all(RESULT_TABLES.map((t) => queryNamed(connection, 'table_columns', { table: t })))).every((c) => c.length > 0);
  const changed = options.changed === 'all' || options.previousKey !== statsKey || !tablesExist ? 'all' : options.changed;
  const suites = changed === 'all' ? new Set(runs.map((r) => r.suite)) : changed.suites;
  if (suites.size > 0) {
    const scope = runs.filter((r) => suites.has(r.suite));
    const index = indexOutcomes(await loadItemOutcomes(connection, changed === 'all' ? undefined : scope.map((r) => r.runId)));
    const ranking = rankLanes(scope, index, visible);
    const runsOf = (row: RankingRow) => scope.filter((r) => r.lane === row.lane && r.suite === row.suite && r.metric === row.metric).map((r) => r.runId);
    let pairs: LanePairRow[];
    let best: BestSettingRow[];
    let dialEffects: DialEffectRow[];
    if (changed === 'all') {
      pairs = compareLanePairs(ranking, (row) => poolRuns(index, runsOf(row)), isBinaryMetric);
      best = findBestSettings(scope, index, visible, options.baselines);
      dialEffects = estimateDialEffects(scope, index, visible);
    } else {
      const previous = await readPreviousPairs(connection, suites);
      const unchanged = (row: RankingRow) => !changed.lanes.has(laneKey(row.suite, row.lane));
      pairs = compareLanePairs(ranking, (row) => poolRuns(index, runsOf(row)), isBinaryMetric, (a, b) => (unchanged(a) && unchanged(b) ? previous.get(pairKey(a.suite, a.metric, a.lane, b.lane)) : undefined));
      // A model's best setting and dial effects depend on its own runs only: recompute the models that changed.
      const kept = <T extends { suite: string; model: string }>(rows: T[]) => rows.filter((r) => suites.has(r.suite) && !changed.models.has(r.model));
      const modelScope = scope.filter((r) => changed.models.has(r.model));
      best = byGroupAndModel([...kept(await readRows<BestSettingRow>(connection, 'best_settings')), ...findBestSettings(modelScope, index, visible, options.baselines)]);
      dialEffects = byGroupAndModel([...kept(await readRows<DialEffectRow>(connection, 'dial_effects')), ...estimateDialEffects(modelScope, index, visible)]);
    }
    if (changed === 'all') await runNamed(connection, 'result_tables');
    else {
      await runNamed(connection, 'set_recomputed_suites', { suites: listValue([...suites]) });
      await runNamed(connection, 'forget_results');
    }
    await writeRows(connection, 'model_ranking', ranking);
    await writeRows(connection, 'lane_pairs', pairs);
    await writeRows(connection, 'best_settings', best);
    await writeRows(connection, 'dial_effects', dialEffects);
  }
  return {
    statsKey,
    recomputedSuites: suites.size,
    ranking: await readRows<RankingRow>(connection, 'model_ranking').then((rows) => rows.sort((a, b) => a.suite.localeCompare(b.suite) || a.metric.localeCompare(b.metric) || a.rank - b.rank || b.rate - a.rate || a.lane.localeCompare(b.lane))),
    pairs: await readRows<LanePairRow>(connection, 'lane_pairs'),
    best: await readRows<BestSettingRow>(connection, 'best_settings'),
    dialEffects: await readRows<DialEffectRow>(connection, 'dial_effects'),
  };
}
