// Keeps the two summary tables that read every step, runs_summary (one row a run) and by_model_steps (one row a
// model), up to date. A rebuild makes them whole; a later build summarises again only the runs whose logs were
// read and the models those runs belong to, so adding one log costs its own steps, not every step.

import { listValue, type DuckDBConnection } from '@duckdb/node-api';
import { appendTableRows, createView, runNamed } from '../queries.ts';
import type { ChangedRuns } from './changes.ts';

/** The summary tables, in dependency order (after runs and run_metrics; before by_model_runs and catalog). */
export const SUMMARY_TABLES = ['runs_summary', 'by_model_steps'] as const;

/** Builds the summary tables whole (`'all'`), or refreshes the rows of the changed runs and of their models, old and new. */
export async function refreshSummaries(connection: DuckDBConnection, changed: ChangedRuns | 'all'): Promise<void> {
  if (changed === 'all') {
    for (const name of SUMMARY_TABLES) await createView(connection, name);
    return;
  }
  if (changed.runs.length === 0) return;
  const runs = listValue([...changed.runs]);
  const models = listValue([...changed.models]);
  await runNamed(connection, 'forget_runs_summary', { runs });
  await appendTableRows(connection, 'runs_summary', { runs });
  await runNamed(connection, 'forget_model_steps', { models });
  await appendTableRows(connection, 'by_model_steps', { models });
}
