import { join } from 'node:path';
import { aggregate, type AggregateOptions, type AggregateResult } from '../../analysis/aggregate/build.ts';
import { describeMissingData } from '../../reports/missingData.ts';
import type { RankingRow } from '../../analysis/ranking.ts';
import { readLaneFlags } from '../../pipelines/lanes/laneFlags.ts';
import { commandHint } from '../../lib/commandHint.ts';
import { CliError, ExitCode } from '../../lib/errors.ts';
import type { Output } from '../../lib/output.ts';
import { renderJsonLines, renderTable } from '../../lib/table.ts';
import type { Command } from '../command.ts';
import { JSON_OPTION, RUNS_DIR_OPTION, runsDirOf } from './shared.ts';

const percent = (x: number | null): string => (x !== null && Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–');

/** The ranking as printed on a terminal: one block of rows per suite and metric, a row per condition (lane · settings). */
export function rankingTable(rows: readonly RankingRow[]): string {
  if (rows.length === 0) return 'no scored steps yet\n';
  return renderTable(
    rows.map((r) => ({
      suite: r.suite, metric: r.metric, rank: r.rank, condition: r.condition, n: r.n, clusters: r.clusters, rate: percent(r.rate), '95% CI': `[${percent(r.ci_lo)}, ${percent(r.ci_hi)}]`,
      attempted: r.attempted, 'model fail': percent(r.model_failure_rate), missing: percent(r.missing_rate), abstain: percent(r.abstain_rate), answered: percent(r.answered_accuracy),
    })),
    ['suite', 'metric', 'rank', 'condition', 'n', 'clusters', 'rate', '95% CI', 'attempted', 'model fail', 'missing', 'abstain', 'answered'],
  );
}

/** Prints the ranking (a table, or NDJSON with `json`) to stdout, then warns of the lanes missing too much data. */
export function printRanking(rows: readonly RankingRow[], output: Output, { json = false }: { json?: boolean } = {}): void {
  output.data(json ? renderJsonLines(rows.map((r) => ({ ...r }))) : rankingTable(rows));
  for (const warning of describeMissingData(rows)) output.warn(warning);
}

const count = (n: number): string => n.toLocaleString('en-US');

/** aggregate() as the commands run it: a build stopped by Ctrl-C ends with one line and exit 130. */
export async function aggregateOrExplainStop(options: AggregateOptions & { signal: AbortSignal }): Promise<AggregateResult> {
  try {
    return await aggregate(options);
  } catch (error) {
    if (!options.signal.aborted) throw error;
    const why = options.signal.reason instanceof Error ? options.signal.reason.message : 'interrupted';
    throw new CliError(`aggregate ${why}: ${join(options.outDir, 'audition.duckdb')} is unchanged and no temp database remains`, { exitCode: ExitCode.interrupted });
  }
}

export const aggregateCommand: Command = {
  name: 'aggregate',
  summary: 'turn every run log into one DuckDB database, rankings with intervals, exports and INSIGHTS.md',
  description: [
    'Reads every *.jsonl and *.jsonl.gz under the runs folder (skipping _-prefixed folders) into',
    'OUT/audition.duckdb, incrementally: unchanged logs are skipped, grown ones read again, vanished ones keep',
    'their rows. Unusable lines go to the quarantine table with file, line and reason. Writes model_ranking,',
    'lane_pairs, best_settings and dial_effects, exports every table to OUT/exports as Parquet and CSV.gz, the',
    'catalog to RUNS/_catalog/catalog.csv and the report to OUT/plots/INSIGHTS.md. Prints the ranking.',
    "The lane registry decides what is shown: a lane it hides ('audition lanes disable') leaves the rankings, pairs,",
    'best settings, dial effects and INSIGHTS.md, and stays in steps with lane_visible = false. A lane the registry',
    'does not hold (a log from elsewhere) is shown.',
  ].join('\n'),
  options: {
    ...RUNS_DIR_OPTION,
    'out-dir': { type: 'string', value: 'DIR', description: 'where the database, exports and report go (default: RUNS/_aggregated)' },
    rebuild: { type: 'boolean', description: 'start over: read every log again into a fresh database' },
    baseline: { type: 'string', value: 'SLUG', multiple: true, description: "use this lane as its model's baseline in best_settings" },
    ...JSON_OPTION,
  },
  examples: ['audition aggregate --runs-dir runs --out-dir runs/_aggregated', 'audition aggregate --rebuild --baseline 4o.t0-7', 'audition aggregate --json | jq .rate'],
  onInterrupt: 'stopping the build; the database stays as it was',
  async run({ options, output, env, signal, tempFiles }) {
    const runsDir = runsDirOf(options, env);
    const outDir = options.string('out-dir') ?? join(runsDir, '_aggregated');
    const laneFlags = await readLaneFlags(runsDir, env);
    const result = await aggregateOrExplainStop({ runsDir, outDir, rebuild: options.flag('rebuild'), baselines: options.list('baseline'), laneFlags, output, signal, tempFiles });
    const i = result.ingest;
    if (result.flagsChanged.length > 0) output.info(`lane flags changed in the registry: ${result.flagsChanged.join(', ')}`);
    if (result.upToDate) output.info(`up to date: ${count(i.filesSkipped)} logs unchanged since the last aggregate`);
    else {
      output.info(`read ${count(i.filesRead)} logs (${count(i.filesSkipped)} unchanged, skipped; ${count(i.filesVanished)} vanished, rows kept): ${count(i.lines)} lines = ${count(i.records)} records + ${count(i.quarantined)} quarantined; ${count(i.steps)} step records, ${count(i.superseded)} superseded by a later line`);
      if (i.quarantined > 0) output.warn(`${count(i.quarantined)} lines quarantined: ${commandHint(env, ['sql', 'SELECT file, line, reason FROM quarantine'])}`);
    }
    output.info(`database: ${result.databasePath}`);
    if (!result.upToDate) {
      output.info(`exports:  ${join(outDir, 'exports')} (Parquet and CSV.gz)`);
      output.info(`insights: ${result.insightsPath}`);
      output.info(`catalog:  ${result.catalogPath}`);
    }
    printRanking(result.ranking, output, { json: options.flag('json') });
  },
};
