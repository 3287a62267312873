// Runs the statistics over the aggregated database and writes their four tables. Results are per suite, so an
// incremental aggregate recomputes only the suites whose runs changed and keeps the other suites' rows; a
// change of options (--baseline) or of which lanes are visible recomputes everything.

import { listValue, type DuckDBConnection } from '@duckdb/node-api';
import { findBestSettings, type BestSettingRow } from '../bestSettings.ts';
import { estimateDialEffects, type DialEffectRow } from '../dialEffects.ts';
import { indexOutcomes, isBinaryMetric, loadItemOutcomes, loadRuns, poolRuns, visibleLanes } from '../outcomes.ts';
import { compareLanePairs, type LanePairRow } from '../pairs.ts';
import { queryNamed, runNamed } from '../queries.ts';
import { rankLanes, type RankingRow } from '../ranking.ts';
import { readRows, writeRows } from './tables.ts';

export interface StatisticsTables {
  ranking: RankingRow[];
  pairs: LanePairRow[];
  best: BestSettingRow[];
  dialEffects: DialEffectRow[];
}

export interface AnalyzeOptions {
  baselines: readonly string[];
  /** Log files read in this build, or 'all' to recompute every suite. */
  changedFiles: readonly string[] | 'all';
  /** The statistics key stored by the previous build (meta 'stats_key'), if any. */
  previousKey: string | undefined;
}

const RESULT_TABLES = ['model_ranking', 'lane_pairs', 'best_settings', 'dial_effects'] as const;

/** Computes the statistics (all suites, or only those touched by changedFiles) and returns every result row. */
export async function analyze(connection: DuckDBConnection, options: AnalyzeOptions): Promise<StatisticsTables & { statsKey: string; recomputedSuites: number }> {
  const runs = await loadRuns(connection);
  const visible = visibleLanes(runs);
  const statsKey = JSON.stringify({ baselines: [...options.baselines].sort(), visible: [...visible].sort() });
  const tablesExist = (await Promise.all(RESULT_TABLES.map((t) => queryNamed(connection, 'table_columns', { table: t })))).every((c) => c.length > 0);
  const everything = options.changedFiles === 'all' || options.previousKey !== statsKey || !tablesExist;
  let suites: Set<string>;
  if (everything) suites = new Set(runs.map((r) => r.suite));
  else {
    const changed = new Set((await queryNamed(connection, 'runs_in_files', { files: listValue([...(options.changedFiles as readonly string[])]) })).map((r) => String(r['run_id'])));
    suites = new Set(runs.filter((r) => changed.has(r.runId)).map((r) => r.suite));
  }
  if (suites.size > 0) {
    const scope = runs.filter((r) => suites.has(r.suite));
    const index = indexOutcomes(await loadItemOutcomes(connection, everything ? undefined : scope.map((r) => r.runId)));
    const ranking = rankLanes(scope, index, visible);
    const runsOf = (row: RankingRow) => scope.filter((r) => r.lane === row.lane && r.suite === row.suite && r.metric === row.metric).map((r) => r.runId);
    const pairs = compareLanePairs(ranking, (row) => poolRuns(index, runsOf(row)), isBinaryMetric);
    const best = findBestSettings(scope, index, visible, options.baselines);
    const dialEffects = estimateDialEffects(scope, index, visible);
    if (everything) await runNamed(connection, 'result_tables');
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
