import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { STORED_TABLES } from '../../analysis/aggregate/build.ts';
import { listQueries, loadQuery, selectOf } from '../../analysis/queries.ts';
import { commandRenderer, type CommandRenderer } from '../../lib/commandHint.ts';
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

/** The queries a user may run by name (sql/queries/): name, parameters (with defaults) and a one-line description. */
function listUserQueries(): Row[] {
  return listQueries(['queries']).map((q): Row => ({ name: q.name, params: q.params.map((p) => (p.default === undefined ? p.name : `${p.name}=${p.default}`)).join(' '), description: q.summary }));
}

/** The tables and views the build keeps, to query with SQL text. */
function listTables(): Row[] {
  const defined = listQueries(['build'])
    .filter((q) => q.kind === 'view' || q.kind === 'table')
    .map((q): Row => ({ name: q.name, kind: q.kind, description: q.summary }));
  const stored = Object.entries(STORED_TABLES).map(([name, description]): Row => ({ name, kind: 'table', description }));
  return [...defined, ...stored].sort((a, b) => String(a['name']).localeCompare(String(b['name'])));
}

/** Refuses to run by name what the build runs itself: a statement could damage the database, a view wants SQL text. */
function checkRunnable(name: string, command: CommandRenderer): void {
  const query = loadQuery(name, command);
  if (query.folder === 'queries') return;
  if (query.kind === 'view' || query.kind === 'table') {
    throw new CliError(`${name} is a ${query.kind} the aggregate build keeps, not a named query: query it with SQL text, e.g. ${command(['sql', `SELECT * FROM ${name} LIMIT 20`])}`, { hint: `run '${command(['sql', '--list'])}' for the named queries, '${command(['sql', '--tables'])}' for the tables and views` });
  }
  throw new CliError(`${name} is one of the aggregate build's own statements (sql/build/${name}.sql), not a query to run`, { hint: `run '${command(['sql', '--list'])}' for the named queries` });
}

export const sqlCommand: Command = {
  name: 'sql',
  summary: 'query the aggregated database: SQL text, or a named query from sql/queries/ with --param',
  description: [
    'Runs against RUNS/_aggregated/audition.duckdb (read-only), so it may run while nothing aggregates.',
    'A bare name (e.g. recent_errors) runs sql/queries/NAME.sql with its parameters bound from --param; anything',
    "else is SQL text. 'audition sql --list' shows the named queries, 'audition sql --tables' the tables and views",
    "to query with SQL text (sql/build/ defines them). The same file opens in the duckdb CLI.",
  ].join('\n'),
  positionals: [{ name: 'QUERY', description: 'SQL text, or the name of a query in sql/queries/', optional: true }],
  options: {
    ...RUNS_DIR_OPTION,
    db: { type: 'string', value: 'FILE', description: 'the database (default: RUNS/_aggregated/audition.duckdb)' },
    param: { type: 'string', value: 'KEY=VALUE', multiple: true, description: 'a parameter of a named query' },
    list: { type: 'boolean', description: 'list the named queries with their parameters and what each returns' },
    tables: { type: 'boolean', description: 'list the tables and views of the database, to query with SQL text' },
    json: { type: 'boolean', description: 'print NDJSON (one object a line)' },
    csv: { type: 'boolean', description: 'print CSV' },
  },
  examples: [
    'audition sql "SELECT suite, condition, rate, ci_lo, ci_hi, rank FROM model_ranking ORDER BY suite, metric, rank"',
    'audition sql progress --param run_id=20261122-101500-4o',
    'audition sql lane_coverage --param stage=compare --csv',
    'audition sql recent_errors --param limit=5 --json',
    'audition sql --list',
  ],
  async run({ options, positionals, output, env, signal }) {
    if (options.flag('json') && options.flag('csv')) throw new CliError('choose one of --json and --csv');
    const render = (rows: Row[]) => (options.flag('json') ? renderJsonLines(rows) : options.flag('csv') ? renderCsv(rows) : renderTable(rows));
    if (options.flag('list') && options.flag('tables')) throw new CliError('choose one of --list and --tables');
    if (options.flag('list') || options.flag('tables')) {
      output.data(render(options.flag('list') ? listUserQueries() : listTables()));
      return;
    }
    const text = positionals[0];
    const command = commandRenderer(env);
    if (text === undefined || text.trim() === '') throw new CliError('give SQL text or a query name', { hint: `run '${command(['sql', '--list'])}' for the named queries` });
    const params = parseParams(options.list('param'));
    const isName = /^[a-z0-9_]+$/.test(text);
    if (isName) checkRunnable(text, command);
    else if (Object.keys(params).length > 0) {
      throw new CliError('--param applies to named queries only', { hint: 'write the value into the SQL text, or run a named query' });
    }
    const database = options.string('db') ?? join(runsDirOf(options, env), '_aggregated', 'audition.duckdb');
    if (!existsSync(database)) throw new CliError(`no aggregated database at ${database}`, { hint: `run '${command(['aggregate'])}' first (or pass --db FILE)` });
    const rows = await withDatabase(database, { readOnly: true, signal }, async (connection) => {
      const { sql, values, types } = isName ? selectOf(text, params, command) : { sql: text, values: {}, types: {} };
      let reader;
      try {
        reader = await connection.runAndReadAll(sql, values, types);
      } catch (error) {
        throw new CliError(`query failed: ${(error as Error).message}`, { hint: isName ? `check sql/queries/${text}.sql` : `the tables: steps, runs_summary, model_ranking, lane_pairs, best_settings, dial_effects, catalog, quarantine, files (see '${command(['sql', '--tables'])}')` });
      }
      return (reader.getRowObjectsJS() as Record<string, unknown>[]).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, toCell(v)])));
    });
    if (rows.length > 0 || !options.flag('json')) output.data(render(rows));
  },
};
