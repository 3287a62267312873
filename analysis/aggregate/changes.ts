// What a build changed: the runs with a record in a log read in this build (before or after it was read), the runs
// of lanes whose registry flags changed, and the suites, lanes and models they belong to, now or as last
// summarised. Everything incremental redoes exactly these.

import { listValue, type DuckDBConnection } from '@duckdb/node-api';
import { queryNamed } from '../queries.ts';

export interface ChangedRuns {
  runs: readonly string[];
  suites: ReadonlySet<string>;
  models: ReadonlySet<string>;
  /** `suite\u0000lane` of every lane with a changed run. */
  lanes: ReadonlySet<string>;
}

/** The key of a lane within a suite in ChangedRuns.lanes. */
export function laneKey(suite: string, lane: string): string {
  return `${suite}\u0000${lane}`;
}

/** The runs with a record in any of `files` (none for an empty list). */
export async function runsInFiles(connection: DuckDBConnection, files: readonly string[]): Promise<string[]> {
  if (files.length === 0) return [];
  return (await queryNamed(connection, 'runs_in_files', { files: listValue([...files]) })).map((r) => String(r['run_id']));
}

/** The runs of the given lanes (none for an empty list). */
export async function runsOfLanes(connection: DuckDBConnection, lanes: readonly string[]): Promise<string[]> {
  if (lanes.length === 0) return [];
  return (await queryNamed(connection, 'runs_of_lanes', { lanes: listValue([...lanes]) })).map((r) => String(r['run_id']));
}

/** Describes the changed runs; call after `runs` is refreshed and before runs_summary is refreshed (it holds the old facts). */
export async function describeChanges(connection: DuckDBConnection, runIds: Iterable<string>): Promise<ChangedRuns> {
  const runs = [...new Set(runIds)].sort();
  const rows = runs.length === 0 ? [] : await queryNamed(connection, 'touched_by_runs', { runs: listValue(runs) });
  const text = (value: unknown) => String(value ?? '');
  return {
    runs,
    suites: new Set(rows.map((r) => text(r['suite']))),
    models: new Set(rows.map((r) => text(r['model']))),
    lanes: new Set(rows.map((r) => laneKey(text(r['suite']), text(r['lane'])))),
  };
}
