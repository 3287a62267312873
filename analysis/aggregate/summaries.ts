// Keeps the tables with one row a run (or a run and item, or a model) up to date: runs and run_metrics, then the
// summaries that read every step, runs_summary, item_outcomes and by_model_steps. A rebuild makes them whole; a
// later build computes again only the rows of the runs whose logs were read and of the models those runs belong
// to, so adding one log costs its own steps (and its model's), not every step.

import { listValue, type DuckDBConnection } from '@duckdb/node-api';
import { appendTableRows, createView, replaceTableRows, runNamed } from '../queries.ts';
import type { ChangedRuns } from './changes.ts';

/** One row a run, read from its own records: refreshed before the changes are described (changes.ts reads runs). */
export const RUN_TABLES = ['runs', 'run_metrics'] as const;

/** The summary tables, in dependency order (after runs and run_metrics; before by_model_runs and catalog). */
export const SUMMARY_TABLES = ['runs_summary', 'item_outcomes', 'by_model_steps'] as const;

/**
 * Refreshes `table`'s rows of `runs` from their records. The one-row-a-run tables are small and replaced whole
 * (cheap to commit); item_outcomes, with a row a run and item, is large: its rows are deleted and appended.
 */
async function refreshRunRows(connection: DuckDBConnection, table: 'runs' | 'run_metrics' | 'runs_summary' | 'item_outcomes', runs: readonly string[]): Promise<void> {
  const list = listValue([...runs]);
  if (table === 'item_outcomes') {
    await runNamed(connection, 'forget_item_outcomes', { runs: list });
    await appendTableRows(connection, table, { runs: list });
  } else {
    await replaceTableRows(connection, table, 'run_id', 'runs', list);
  }
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
  await replaceTableRows(connection, 'by_model_steps', 'model', 'models', listValue([...changed.models]));
}
