// The statistics' input: one row a run (who, on what, scored how) and one row a (run, item) with its scored
// attempts. Pooling turns these into per-item totals for a lane or a setting, the unit every interval starts from.

import { listValue, type DuckDBConnection } from '@duckdb/node-api';
import type { StepTally } from '../core/metric.ts';
import { queryNamed, selectOf } from './queries.ts';

export type Scalar = number | string | boolean;
export const METRICS = ['credited', 'correct', 'score'] as const;
export type Metric = (typeof METRICS)[number];

/** A run as the statistics see it. */
export interface RunInfo {
  runId: string;
  lane: string;
  model: string;
  provider: string;
  suite: string;
  /** null when the run has no scored step. */
  metric: Metric | null;
  /** The lane registry's visible flag for the run's lane (true when the registry does not hold it). */
  visible: boolean;
  laneDials: Record<string, Scalar>;
  /** The run's task settings (see settings.ts), without run-control keys. */
  settings: Record<string, unknown>;
  /** The run's steps by outcome on its metric (item_outcomes summed). */
  tally: StepTally;
}

/** One item of one run: scored attempts (infrastructure failures excluded) and the sum of their values. */
export interface ItemOutcome {
  runId: string;
  item: string;
  cluster: string | null;
  attempts: number;
  total: number;
}

/** An item's pooled attempts for one lane or setting. */
export interface ItemTotal {
  cluster: string;
  attempts: number;
  total: number;
}

/** Item id → pooled totals. */
export type ItemTotals = Map<string, ItemTotal>;

/** True for metrics whose every attempt is 0 or 1. */
export function isBinaryMetric(metric: Metric): boolean {
  return metric !== 'score';
}

function parseObject(text: unknown): Record<string, unknown> {
  if (typeof text !== 'string' || text === '') return {};
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function scalars(object: Record<string, unknown>): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  for (const [k, v] of Object.entries(object)) if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out[k] = v;
  return out;
}

/** Reads every run as the statistics see it. */
export async function loadRuns(connection: DuckDBConnection): Promise<RunInfo[]> {
  return (await queryNamed(connection, 'analysis_runs')).map((r) => ({
    runId: String(r['run_id']),
    lane: String(r['lane']),
    model: String(r['model'] ?? ''),
    provider: String(r['provider'] ?? ''),
    suite: String(r['suite'] ?? ''),
    metric: (METRICS as readonly unknown[]).includes(r['metric']) ? (r['metric'] as Metric) : null,
    visible: r['visible'] !== false,
    laneDials: scalars(parseObject(r['dials'])),
    settings: parseObject(r['settings']),
    tally: {
      steps: Number(r['steps']), scored: Number(r['scored']), modelFailures: Number(r['model_failures']), missing: Number(r['missing']), abstains: Number(r['abstains']), total: Number(r['total']),
    },
  }));
}

/** Reads per-item outcomes of the given runs (all runs when omitted). */
export async function loadItemOutcomes(connection: DuckDBConnection, only?: readonly string[]): Promise<ItemOutcome[]> {
  const query = selectOf('item_outcomes_of_runs', only === undefined ? {} : { runs: listValue([...only]) });
  // Column-wise, one row a run: item_outcomes has one row per (run, item), 100k for a 1M-step sweep.
  const columns = (await connection.runAndReadAll(query.sql, query.values, query.types)).getColumnsObjectJS();
  const { run_id: runIds, items, clusters, attempts, totals } = columns as Record<string, unknown[]> & Record<'items' | 'clusters' | 'attempts' | 'totals', unknown[][]>;
  const outcomes: ItemOutcome[] = [];
  for (let r = 0; r < runIds.length; r++) {
    const runId = String(runIds[r]);
    const [runItems, runClusters, runAttempts, runTotals] = [items[r], clusters[r], attempts[r], totals[r]];
    for (let i = 0; i < runItems.length; i++) {
      outcomes.push({ runId, item: String(runItems[i]), cluster: runClusters[i] === null ? null : String(runClusters[i]), attempts: Number(runAttempts[i]), total: Number(runTotals[i] ?? 0) });
    }
  }
  return outcomes;
}

/** Groups outcomes by run id once, so pooling many lanes does not rescan every outcome. */
export function indexOutcomes(outcomes: readonly ItemOutcome[]): Map<string, ItemOutcome[]> {
  const byRun = new Map<string, ItemOutcome[]>();
  // Outcomes usually come a run at a time: copy each stretch of one run at once rather than push row by row.
  for (let start = 0, end = 0; start < outcomes.length; start = end) {
    const runId = outcomes[start].runId;
    while (end < outcomes.length && outcomes[end].runId === runId) end++;
    const list = byRun.get(runId);
    if (list === undefined) byRun.set(runId, outcomes.slice(start, end));
    else for (let i = start; i < end; i++) list.push(outcomes[i]);
  }
  return byRun;
}

/** Pools the outcomes of `runIds` using an index from indexOutcomes. */
export function poolRuns(index: ReadonlyMap<string, readonly ItemOutcome[]>, runIds: Iterable<string>): ItemTotals {
  const pooled: ItemTotals = new Map();
  for (const runId of runIds) {
    for (const o of index.get(runId) ?? []) {
      if (o.attempts === 0) continue;
      const seen = pooled.get(o.item);
      if (seen === undefined) pooled.set(o.item, { cluster: o.cluster ?? o.item, attempts: o.attempts, total: o.total });
      else {
        seen.attempts += o.attempts;
        seen.total += o.total;
      }
    }
  }
  return pooled;
}

/** The lanes shown in rankings, pairs, best settings and dial effects: those the registry shows. */
export function visibleLanes(runs: readonly RunInfo[]): Set<string> {
  return new Set(runs.filter((r) => r.visible).map((r) => r.lane));
}

/** The comparable groups: runs on the same suite scored on the same metric. */
export function groupRuns(runs: readonly RunInfo[]): Map<string, { suite: string; metric: Metric; runs: RunInfo[] }> {
  const groups = new Map<string, { suite: string; metric: Metric; runs: RunInfo[] }>();
  for (const run of runs) {
    if (run.metric === null) continue;
    const key = `${run.suite}\u0000${run.metric}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { suite: run.suite, metric: run.metric, runs: [run] });
    else group.runs.push(run);
  }
  return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
}
