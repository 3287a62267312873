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

/** Builds runs and run_metrics whole (`'all'`), or refreshes the rows of the given runs. */
export async function refreshRunTables(connection: DuckDBConnection, runs: readonly string[] | 'all'): Promise<void> {
  for (const name of RUN_TABLES) {
    if (runs === 'all') await createView(connection, name);
    else if (runs.length > 0) await replaceTableRows(connection, name, 'run_id', 'runs', listValue([...runs]));
  }
}

/** Builds the summary tables whole (`'all'`), or refreshes the rows of the changed runs and of their models, old and new. */
export async function refreshSummaries(connection: DuckDBConnection, changed: ChangedRuns | 'all'): Promise<void> {
  if (changed === 'all') {
    for (const name of SUMMARY_TABLES) await createView(connection, name);
    return;
  }
  if (changed.runs.length === 0) return;
  // The one-row-a-run (or model) tables are small and replaced whole, which commits cheaply; item_outcomes, a row a
  // run and item, is large: its changed runs' rows are deleted and appended.
  const runs = listValue([...changed.runs]);
  await replaceTableRows(connection, 'runs_summary', 'run_id', 'runs', runs);
  await runNamed(connection, 'forget_item_outcomes', { runs });
  await appendTableRows(connection, 'item_outcomes', { runs });
  await replaceTableRows(connection, 'by_model_steps', 'model', 'models', listValue([...changed.models]));
}
