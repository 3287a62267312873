// Keeps the tables with one row a run (or a run and item, or a model) up to date: runs and run_metrics, then the
// summaries that read every step, runs_summary, item_outcomes and by_model_steps. A rebuild makes them whole; a
// later build forgets and computes again only the rows of the runs whose logs were read and of the models those
// runs belong to, so adding one log costs its own steps (and its model's), not every step.

import { listValue, type DuckDBConnection } from '@duckdb/node-api';
import { appendTableRows, createView, runNamed } from '../queries.ts';
import type { ChangedRuns } from './changes.ts';

/** One row a run, read from its own records: refreshed before the changes are described (changes.ts reads runs). */
export const RUN_TABLES = ['runs', 'run_metrics'] as const;

/** The summary tables, in dependency order (after runs and run_metrics; before by_model_runs and catalog). */
export const SUMMARY_TABLES = ['runs_summary', 'item_outcomes', 'by_model_steps'] as const;

/** The statement that forgets a run-keyed table's rows of some runs. */
const FORGET_RUN_ROWS = { runs: 'forget_runs', run_metrics: 'forget_run_metrics', runs_summary: 'forget_runs_summary', item_outcomes: 'forget_item_outcomes' } as const;

/** Forgets `table`'s rows of `runs` and computes them again from their records. */
async function refreshRunRows(connection: DuckDBConnection, table: keyof typeof FORGET_RUN_ROWS, runs: readonly string[]): Promise<void> {
  const list = listValue([...runs]);
  await runNamed(connection, FORGET_RUN_ROWS[table], { runs: list });
  await appendTableRows(connection, table, { runs: list });
}

/** Builds runs and run_metrics whole (`'all'`), or refreshes the rows of the given runs. */
export async function refreshRunTables(connection: DuckDBConnection, runs: readonly string[] | 'all'): Promise<void> {
  for (const name of RUN_TABLES) {
    if (runs === 'all') await createView(connection, name);
    else if (runs.length > 0) await refreshRunRows(connection, name, runs);
  }
}

/** Builds the summary tables whole (`'all'`), or refreshes the rows of the changed runs and of their models, old and new. */
export async function refreshSummaries(connection: DuckDBConnection, changed: ChangedRuns | 'all'): Promise<void> {
  if (changed === 'all') {
    for (const name of SUMMARY_TABLES) await createView(connection, name);
    return;
  }
  if (changed.runs.length === 0) return;
  await refreshRunRows(connection, 'runs_summary', changed.runs);
  await refreshRunRows(connection, 'item_outcomes', changed.runs);
  const models = listValue([...changed.models]);
  await runNamed(connection, 'forget_model_steps', { models });
  await appendTableRows(connection, 'by_model_steps', { models });
}
