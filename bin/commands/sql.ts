import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { STORED_TABLES } from '../../analysis/aggregate/build.ts';
import { listQueries, loadQuery, selectOf } from '../../analysis/queries.ts';
import { CliError } from '../../lib/errors.ts';
import { withDatabase } from '../../lib/duckdb.ts';
import { renderCsv, renderJsonLines, renderTable, type Cell, type Row } from '../../lib/table.ts';
import type { Command } from '../command.ts';
import { RUNS_DIR_OPTION, runsDirOf } from './shared.ts';

/** A DuckDB value as a table cell: bigints as numbers when safe, dates as ISO text, nested values as JSON. */
export function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
}

/** Parses repeated `--param key=value`. */
function parseParams(list: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const item of list) {
    const at = item.indexOf('=');
    if (at <= 0) throw new CliError(`--param ${JSON.stringify(item)} must look like key=value`);
    params[item.slice(0, at)] = item.slice(at + 1);
  }
  return params;
}

function listNamedQueries(): Row[] {
  const named = listQueries()
    .filter((q) => !q.internal && (q.kind === 'view' || q.kind === 'table' || q.kind === 'query'))
    .map((q): Row => ({ name: q.name, kind: q.kind, params: q.params.map((p) => (p.default === undefined ? p.name : `${p.name}=${p.default}`)).join(' '), summary: q.summary }));
  const stored = Object.entries(STORED_TABLES).map(([name, summary]): Row => ({ name, kind: 'table', params: '', summary }));
  return [...named, ...stored].sort((a, b) => String(a['name']).localeCompare(String(b['name'])));
}

export const sqlCommand: Command = {
  name: 'sql',
  summary: 'query the aggregated database: SQL text, or a named query from sql/ with --param',
  description: [
    'Runs against RUNS/_aggregated/audition.duckdb (read-only), so it may run while nothing aggregates.',
    'A bare name (e.g. recent_errors) runs sql/NAME.sql with its parameters bound from --param; anything else is',
    "SQL text. 'audition sql --list' shows the named queries and views. The same file opens in the duckdb CLI.",
  ].join('\n'),
  positionals: [{ name: 'QUERY', description: 'SQL text, or the name of a query or view in sql/', optional: true }],
  options: {
    ...RUNS_DIR_OPTION,
    db: { type: 'string', value: 'FILE', description: 'the database (default: RUNS/_aggregated/audition.duckdb)' },
    param: { type: 'string', value: 'KEY=VALUE', multiple: true, description: 'a parameter of a named query' },
    list: { type: 'boolean', description: 'list the named queries and views with their parameters' },
    json: { type: 'boolean', description: 'print NDJSON (one object a line)' },
    csv: { type: 'boolean', description: 'print CSV' },
  },
  examples: [
    'audition sql "SELECT lane, rate, ci_lo, ci_hi, rank FROM model_ranking ORDER BY rank"',
    'audition sql progress --param run_id=20261122-101500-4o',
    'audition sql lane_coverage --param stage=compare --csv',
    'audition sql recent_errors --param limit=5 --json',
  ],
  async run({ options, positionals, output, env }) {
    if (options.flag('json') && options.flag('csv')) throw new CliError('choose one of --json and --csv');
    const render = (rows: Row[]) => (options.flag('json') ? renderJsonLines(rows) : options.flag('csv') ? renderCsv(rows) : renderTable(rows));
    if (options.flag('list')) {
      output.data(render(listNamedQueries()));
      return;
    }
    const text = positionals[0];
    if (text === undefined || text.trim() === '') throw new CliError('give SQL text or a query name', { hint: "run 'audition sql --list' for the named queries" });
    const params = parseParams(options.list('param'));
    const isName = /^[a-z0-9_]+$/.test(text);
    if (isName) {
      const kind = loadQuery(text).kind;
      if (kind === 'statement' || kind === 'script') throw new CliError(`${text} is an internal ${kind} of aggregate, not a query`, { hint: "run 'audition sql --list' for the named queries" });
    } else if (Object.keys(params).length > 0) {
      throw new CliError('--param applies to named queries only', { hint: 'write the value into the SQL text, or run a named query' });
    }
    const database = options.string('db') ?? join(runsDirOf(options, env), '_aggregated', 'audition.duckdb');
    if (!existsSync(database)) throw new CliError(`no aggregated database at ${database}`, { hint: "run 'audition aggregate' first (or pass --db FILE)" });
    const rows = await withDatabase(database, { readOnly: true }, async (connection) => {
      const { sql, values, types } = isName ? selectOf(text, params) : { sql: text, values: {}, types: {} };
      let reader;
      try {
        reader = await connection.runAndReadAll(sql, values, types);
      } catch (error) {
        throw new CliError(`query failed: ${(error as Error).message}`, { hint: isName ? `check sql/${text}.sql` : "the tables: steps, runs_summary, model_ranking, lane_pairs, best_settings, dial_effects, catalog, quarantine, files (see 'audition sql --list')" });
      }
      return (reader.getRowObjectsJS() as Record<string, unknown>[]).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, toCell(v)])));
    });
    if (rows.length > 0 || !options.flag('json')) output.data(render(rows));
  },
};
