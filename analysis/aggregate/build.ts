// `audition aggregate` as a library call: ingest new and changed logs, define the views, run the statistics,
// write their tables, export everything and write INSIGHTS.md. A first build or --rebuild goes to a temp
// database renamed into place; later builds update the database in place and redo only what changed.

import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { listValue, type DuckDBConnection, type DuckDBInstance } from '@duckdb/node-api';
import { inTransaction, openDuckDB, withConnection } from '../../lib/duckdb.ts';
import { tempPathBeside } from '../../lib/files.ts';
import type { TempFiles } from '../../lib/tempFiles.ts';
import { currentProvenance } from '../../core/provenance.ts';
import type { LaneFlags } from '../../core/lane.ts';
import type { Output } from '../../lib/output.ts';
import { writeInsights, type ErrorKindRow, type ModelStepsRow, type QuarantineSummaryRow } from '../../reports/insights.ts';
import { createView, digestQueries, queryNamed, runNamed } from '../queries.ts';
import type { RankingRow } from '../ranking.ts';
import { analyze } from './analyze.ts';
import { describeChanges, runsInFiles, runsOfLanes } from './changes.ts';
import { EXPORTED_TABLES, exportTables } from './export.ts';
import { ingestPlan, listLogFiles, planIngest, type IngestCounts } from './ingest.ts';
import { updateLaneFlags } from './laneFlags.ts';
import { exportSteps } from './stepsExport.ts';
import { refreshRunTables, refreshSummaries, RUN_TABLES, SUMMARY_TABLES } from './summaries.ts';

/** Bump when the tables' layout changes: an older database is then rebuilt rather than updated. */
export const LAYOUT_VERSION = '6';

/** Tables aggregate stores that no sql/build/ file defines as a view or table: for `audition sql --tables`. */
export const STORED_TABLES: Record<string, string> = {
  records: 'every accepted log line, flattened (steps, run_start, run_end); superseded marks retried steps',
  files: 'one row a log file read: size, mtime, lines, records, steps, superseded, quarantined, present',
  quarantine: 'unusable log lines: file, line, reason, the start of the text',
  lane_flags: "the lane registry's flags (slug, active, visible) as of the last aggregate; a lane not in it is shown",
  model_ranking: 'per suite, metric and condition (a visible lane under one set of task settings, task_settings the non-default ones): n, clusters, attempted and scored steps, model-failure, missing and abstain rates, answered accuracy, rate, 95% CI, method, rank (overlapping intervals tie), design effect',
  lane_pairs: 'paired differences of lanes under the same task settings on shared items: diff, paired SE, CI, correlation, MDE, McNemar or clustered t p (one method for p and CI), Holm p, BH q, Holm-adjusted CI, family',
  best_settings: "per model: the setting that beats the baseline after Holm, or 'no setting reliably beats the baseline' and the tied set",
  dial_effects: 'per model: each dial changed from its reference level with every other dial held fixed: diff, CI, MDE, Holm p',
};

/** Views and small tables made whole on every build, between and after the tables kept per run (summaries.ts). */
const DERIVED_BEFORE_SUMMARIES = ['steps'] as const;
const DERIVED_AFTER_SUMMARIES = ['by_model_runs', 'catalog'] as const;

/** The SQL whose definitions a database keeps: the schema, the macros and the views. */
const DEFINITIONS = ['schema', 'macros', ...DERIVED_BEFORE_SUMMARIES, ...DERIVED_AFTER_SUMMARIES] as const;

/** Views and tables defined in sql/build/, in dependency order. */
export const DERIVED = [...RUN_TABLES, ...DERIVED_BEFORE_SUMMARIES, ...SUMMARY_TABLES, ...DERIVED_AFTER_SUMMARIES] as const;

export interface AggregateOptions {
  runsDir: string;
  outDir: string;
  rebuild?: boolean;
  /** Lane slugs to use as their model's baseline instead of the default choice. */
  baselines?: readonly string[];
  /**
   * The lane registry's current flags (pipelines/lanes/laneFlags.ts reads them): hidden lanes leave the rankings,
   * pairs, best settings, dial effects and INSIGHTS.md. A lane not listed is shown; omitted: every lane is shown.
   */
  laneFlags?: readonly LaneFlags[];
  output?: Output;
  now?: Date;
  /**
   * Stops the build when aborted: the running statement is interrupted, an update rolls back, a rebuild's temp
   * database is removed, and the call rejects with the signal's reason. The database is left as it was.
   */
  signal?: AbortSignal;
  /** Holds the temp database's paths while it exists, so a caller that must exit at once can remove them. */
  tempFiles?: TempFiles;
}

export interface AggregateResult {
  databasePath: string;
  insightsPath: string;
  catalogPath: string;
  exports: string[];
  ingest: IngestCounts;
  /** Lanes whose registry flags changed since the last build (their suites were computed again). */
  flagsChanged: string[];
  /** Nothing was new: the previous results stand and nothing was rewritten. */
  upToDate: boolean;
  rebuilt: boolean;
  ranking: RankingRow[];
  /** Seconds per phase. */
  timings: Record<string, number>;
}

/**
 * Database settings for builds: insertion order is not needed (ingest restores line order where it matters), and
 * new databases use DuckDB 1.5's storage, whose string compression writes the step table ~1.5× faster than the
 * default (0.10-compatible) format; the file then needs a duckdb CLI of 1.5 or later.
 */
const BUILD_SETTINGS = { preserve_insertion_order: 'false', storage_compatibility_version: 'v1.5.0' };

async function readMeta(connection: DuckDBConnection): Promise<Map<string, string>> {
  return new Map((await queryNamed(connection, 'meta')).map((r) => [String(r['key']), String(r['value'])]));
}

function expectedOutputs(outDir: string, runsDir: string): string[] {
  return [
    ...EXPORTED_TABLES.flatMap((t) => [join(outDir, 'exports', `${t}.parquet`), join(outDir, 'exports', `${t}.csv.gz`)]),
    join(outDir, 'plots', 'INSIGHTS.md'),
    join(runsDir, '_catalog', 'catalog.csv'),
  ];
}

function toNumber(value: unknown): number {
  return typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : Number(value ?? 0);
}

function plainRows<T>(rows: Record<string, unknown>[]): T[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]))) as T[];
}

/** Reads the ranking table (for an up-to-date database, where nothing is recomputed). */
async function readRanking(connection: DuckDBConnection): Promise<RankingRow[]> {
  return plainRows<RankingRow>(await queryNamed(connection, 'model_ranking_rows'));
}

/** Builds or updates runs/_aggregated from the run logs under runsDir. */
export async function aggregate(options: AggregateOptions): Promise<AggregateResult> {
  const { runsDir, outDir, signal } = options;
  const now = options.now ?? new Date();
  const baselines = [...(options.baselines ?? [])].sort();
  const databasePath = join(outDir, 'audition.duckdb');
  const insightsPath = join(outDir, 'plots', 'INSIGHTS.md');
  const catalogPath = join(runsDir, '_catalog', 'catalog.csv');
  // a new audition version may compute or word things differently: its first build recomputes every table
  const optionsKey = JSON.stringify({ baselines, audition: currentProvenance().audition_version });
  const timings: Record<string, number> = {};
  let clock = performance.now();
  const lap = (phase: string) => {
    const t = performance.now();
    timings[phase] = (t - clock) / 1000;
    clock = t;
    options.output?.debug(`aggregate: ${phase} ${timings[phase].toFixed(3)} s`);
    signal?.throwIfAborted(); // statements in flight are interrupted; JavaScript work stops between phases
  };

  let existing = options.rebuild === true || !existsSync(databasePath) ? null : await openDuckDB(databasePath, { settings: BUILD_SETTINGS });
  if (existing !== null) {
    const layout = await withConnection(existing, readLayout);
    if (layout !== LAYOUT_VERSION) {
      options.output?.info(`the database at ${databasePath} has layout ${layout ?? 'unknown'}; rebuilding it (layout ${LAYOUT_VERSION})`);
      existing.closeSync();
      existing = null;
    }
  }
  const rebuild = existing === null;
  // A rebuild writes its database in a temp folder beside the target: once the folder is removed, DuckDB cannot
  // create its WAL or spill files again there, even while its threads run on for the last moments of a process.
  const tempFolder = rebuild ? tempPathBeside(databasePath) : null;
  const target = tempFolder === null ? databasePath : join(tempFolder, basename(databasePath));
  // what a caller that must exit at once removes: the temp folder, or DuckDB's spill folder of an update
  const scratch = tempFolder ?? `${databasePath}.tmp`;
  options.tempFiles?.add(scratch);
  if (rebuild) await rm(join(outDir, '.cache'), { recursive: true, force: true });
  await mkdir(tempFolder ?? outDir, { recursive: true });
  const instance = existing ?? (await openDuckDB(target, { settings: BUILD_SETTINGS }).catch(async (error: unknown) => {
    if (tempFolder !== null) await rm(tempFolder, { recursive: true, force: true });
    throw error;
  }));
  const laneFlags = options.laneFlags ?? [];
  const context: BuildContext = { runsDir, outDir, databasePath, insightsPath, catalogPath, baselines, laneFlags, optionsKey, rebuild, scratch, now, timings, lap, signal };
  let result: AggregateResult;
  try {
    result = await withConnection(instance, async (connection) => {
      await connection.run("SET TimeZone = 'UTC'");
      // An update is one transaction: an update cut short leaves the previous build whole, and one commit costs less
      // than many (each costs ~15-20 ms for every table it adds rows to). A rebuild autocommits (reading a large
      // uncommitted insert is several times slower); it writes a temp database that is renamed into place once complete.
      const attempt = () => (rebuild ? buildTables(connection, instance, context) : inTransaction(connection, () => buildTables(connection, instance, context)));
      let built: AggregateResult;
      try {
        built = await attempt();
      } catch (error) {
        // A log can vanish between listing and reading (archived mid-build): list again and start over, once.
        if (signal?.aborted === true || !/No files found|No such file|Cannot open file/i.test(String((error as Error).message))) throw error;
        built = await attempt();
      }
      if (!built.upToDate) {
        await connection.run('CHECKPOINT');
        context.lap('checkpoint');
      }
      return built;
    }, signal);
  } catch (error) {
    instance.closeSync();
    if (tempFolder !== null) await rm(tempFolder, { recursive: true, force: true });
    options.tempFiles?.delete(scratch);
    // an interrupted statement fails with DuckDB's own error: the caller asked to stop, so say that
    throw signal?.aborted === true ? signal.reason : error;
  }
  instance.closeSync();
  if (rebuild) {
    // A stale WAL beside the old file would be replayed into the new one.
    await rm(`${databasePath}.wal`, { force: true });
    await rename(target, databasePath);
  }
  if (tempFolder !== null) await rm(tempFolder, { recursive: true, force: true });
  options.tempFiles?.delete(scratch);
  return result;
}

/** The layout version of an existing database, or null when it has none. */
async function readLayout(connection: DuckDBConnection): Promise<string | null> {
  if ((await queryNamed(connection, 'existing_tables', { names: listValue(['meta']) })).length === 0) return null;
  return (await readMeta(connection)).get('layout') ?? null;
}

/** What one build knows before it starts: paths, options and its timer. */
interface BuildContext {
  runsDir: string;
  outDir: string;
  databasePath: string;
  insightsPath: string;
  catalogPath: string;
  baselines: string[];
  laneFlags: readonly LaneFlags[];
  optionsKey: string;
  rebuild: boolean;
  /** The folder a command that must exit at once removes (registered with its TempFiles): scratch files go under it. */
  scratch: string;
  now: Date;
  timings: Record<string, number>;
  /** Ends a timed phase, and throws the abort reason once the build is asked to stop. */
  lap: (phase: string) => void;
  signal: AbortSignal | undefined;
}

/** Ingests what changed and brings every table, export and INSIGHTS.md up to date (the caller commits and checkpoints). */
async function buildTables(connection: DuckDBConnection, instance: DuckDBInstance, context: BuildContext): Promise<AggregateResult> {
  const { runsDir, outDir, databasePath, insightsPath, catalogPath, baselines, laneFlags, optionsKey, rebuild, now, timings, lap, signal } = context;
  // Tables, macros and views are (re)defined only when their SQL changed: catalog changes made the commit of every
  // update ~60 ms slower.
  const meta = rebuild ? new Map<string, string>() : await readMeta(connection);
  const definitions = digestQueries(DEFINITIONS);
  const redefine = meta.get('definitions') !== definitions;
  if (redefine) {
    await runNamed(connection, 'schema');
    await runNamed(connection, 'macros');
  }
  // Before anything reads runs: runs joins the flags. A lane whose flags changed has its runs computed again.
  const flagsChanged = await updateLaneFlags(connection, laneFlags);
  const plan = await planIngest(connection, await listLogFiles(runsDir));
  lap('plan');
  // other options (baselines) or another audition version: every table is recomputed from the rows
  const recompute = meta.get('options') !== undefined && meta.get('options') !== optionsKey;
  const nothingNew = !rebuild && plan.read.length === 0 && plan.vanished.length === 0 && plan.reappeared.length === 0 && flagsChanged.length === 0 && meta.get('options') === optionsKey;
  if (nothingNew && expectedOutputs(outDir, runsDir).every((p) => existsSync(p))) {
    const ingest: IngestCounts = { filesRead: 0, filesSkipped: plan.unchanged.length, filesVanished: 0, lines: 0, records: 0, quarantined: 0, steps: 0, superseded: 0 };
    return { databasePath, insightsPath, catalogPath, exports: [], ingest, flagsChanged, upToDate: true, rebuilt: false, ranking: await readRanking(connection), timings };
  }

  // Runs in the logs about to be read, as the database holds them now: a log read again may have lost a run.
  const runsBefore = rebuild ? [] : await runsInFiles(connection, plan.read.map((f) => f.file));
  const ingest = await ingestPlan(connection, plan, runsDir, now, context.scratch);
  const runsAfter = rebuild ? [] : await runsInFiles(connection, plan.read.map((f) => f.file));
  lap('ingest');
  const everything = rebuild || recompute;
  const changedRuns = [...new Set([...runsBefore, ...runsAfter, ...(rebuild ? [] : await runsOfLanes(connection, flagsChanged))])].sort();
  await refreshRunTables(connection, everything ? 'all' : changedRuns);
  if (redefine) for (const name of DERIVED_BEFORE_SUMMARIES) await createView(connection, name);
  const changed = everything ? 'all' : await describeChanges(connection, changedRuns);
  await refreshSummaries(connection, changed);
  if (redefine) for (const name of DERIVED_AFTER_SUMMARIES) await createView(connection, name);
  lap('views');
  // The steps export needs only the views, and the statistics are mostly JavaScript on the main thread, so a rebuild
  // overlaps the two, encoding steps on a second connection. An update exports its few steps first, on this
  // connection (a second one would not see its uncommitted rows): interleaving them with the statistics' queries
  // and Appender on one connection failed now and then ("closed pending query result").
  const stepsLogs = everything ? 'all' : new Set(plan.read.map((f) => f.file));
  const steps = rebuild ? withConnection(instance, (second) => exportSteps(second, outDir, stepsLogs), signal) : Promise.resolve(await exportSteps(connection, outDir, stepsLogs));
  let analysis: Awaited<ReturnType<typeof analyze>>;
  try {
    analysis = await analyze(connection, { baselines, changed, previousKey: meta.get('stats_key') });
    lap('statistics');
  } catch (error) {
    await steps.catch(() => undefined); // never leave the export running on a database about to close
    throw error;
  }
  const { ranking, pairs, best, dialEffects, statsKey } = analysis;
  const stepsPaths = (await steps).paths;
  lap('steps export'); // only what outlasted the statistics
  const exported = [...stepsPaths, ...(await exportTables(connection, outDir, runsDir))];
  lap('exports');
  const [totals] = await queryNamed(connection, 'aggregate_totals');
  await writeInsights(insightsPath, {
    generatedAt: now.toISOString(),
    totals: { files: toNumber(totals['files']), runs: toNumber(totals['runs']), steps: toNumber(totals['steps']), quarantined: toNumber(totals['quarantined']), hiddenLanes: toNumber(totals['hidden_lanes']) },
    ranking, pairs, best, dialEffects,
    modelSteps: plainRows<ModelStepsRow>(await queryNamed(connection, 'model_steps_rows')),
    errorKinds: plainRows<ErrorKindRow>(await queryNamed(connection, 'error_kinds', { hidden: false })),
    quarantine: plainRows<QuarantineSummaryRow>(await queryNamed(connection, 'quarantine_summary')),
  });
  lap('insights');
  await runNamed(connection, 'set_meta', { key: 'layout', value: LAYOUT_VERSION });
  await runNamed(connection, 'set_meta', { key: 'options', value: optionsKey });
  await runNamed(connection, 'set_meta', { key: 'stats_key', value: statsKey });
  await runNamed(connection, 'set_meta', { key: 'built_at', value: now.toISOString() });
  if (redefine) await runNamed(connection, 'set_meta', { key: 'definitions', value: definitions });
  return { databasePath, insightsPath, catalogPath, exports: [...exported, insightsPath], ingest, flagsChanged: rebuild ? [] : flagsChanged, upToDate: false, rebuilt: rebuild, ranking, timings };
}
