// Named SQL: one query a file, with a header that names it, says what kind it is and declares its parameters.
// sql/queries/ holds the queries users run (`audition sql NAME`); sql/build/ the aggregate build's own schema,
// views and statements. Names are unique across both. Values are always bound ($name), never spliced into the text.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BIGINT, BOOLEAN, DOUBLE, INTEGER, LIST, VARCHAR, listValue, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { PLAIN_COMMAND, type CommandRenderer } from '../lib/commandHint.ts';
import { CliError } from '../lib/errors.ts';
import { quotedIdentifier } from '../lib/duckdb.ts';
import { Memo } from '../lib/memo.ts';
import { METRIC_SQL_FRAGMENTS } from './aggregate/metricSql.ts';
import { RECORD_SQL_FRAGMENTS } from './aggregate/recordSql.ts';

/** Where the named SQL lives: sql/ at the project root. */
export const SQL_DIR = fileURLToPath(new URL('../sql/', import.meta.url));

/** The two folders of sql/: what users run, and what the aggregate build runs itself. */
export const SQL_FOLDERS = ['queries', 'build'] as const;
export type SqlFolder = (typeof SQL_FOLDERS)[number];

/**
 * view: a SELECT kept as a view; table: a SELECT materialized as a table on every aggregate (small results read
 * often), whose parameters (all NULL by default: the whole table) narrow it to the rows an incremental aggregate
 * refreshes; query: a SELECT run on demand, with parameters; statement: one write; script: several statements.
 */
export const QUERY_KINDS = ['view', 'table', 'query', 'statement', 'script'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

const PARAM_TYPES = { VARCHAR, INTEGER, BIGINT, DOUBLE, BOOLEAN, 'VARCHAR[]': LIST(VARCHAR) } as const;
export type ParamType = keyof typeof PARAM_TYPES;

export interface QueryParam {
  name: string;
  type: ParamType;
  /** The default as written in the header; undefined = required; 'NULL' = optional with no value. */
  default: string | undefined;
  description: string;
}

export interface NamedQuery {
  name: string;
  summary: string;
  kind: QueryKind;
  /** queries: a user runs it with `audition sql NAME`; build: the aggregate build's own. */
  folder: SqlFolder;
  params: QueryParam[];
  /** The SQL text without the trailing semicolon. */
  text: string;
}

/** Parsed named queries by name: a process-wide Memo, since sql/ ships with the code and is read-only. */
const loaded = new Memo<string, NamedQuery>();

/** Parses a named query's header (`-- name: summary`, `-- kind: …`, `-- param: NAME TYPE [= DEFAULT] -- what`). */
export function parseNamedQuery(name: string, source: string, folder: SqlFolder): NamedQuery {
  const file = `sql/${folder}/${name}.sql`;
  const lines = source.split('\n');
  const first = /^--\s*([a-z0-9_]+):\s*(.+)$/.exec(lines[0] ?? '');
  if (first === null || first[1] !== name) throw new Error(`${file} must start with "-- ${name}: what it returns"`);
  let kind: QueryKind | undefined;
  const params: QueryParam[] = [];
  for (const line of lines.slice(1)) {
    if (!line.startsWith('--')) break;
    const kindMatch = /^--\s*kind:\s*(\w+)/.exec(line);
    if (kindMatch !== null) {
      if (!(QUERY_KINDS as readonly string[]).includes(kindMatch[1])) throw new Error(`${file}: unknown kind ${kindMatch[1]}`);
      kind = kindMatch[1] as QueryKind;
      continue;
    }
    const param = /^--\s*param:\s*([a-z_][a-z0-9_]*)\s+([A-Z]+(?:\[\])?)(?:\s*=\s*(\S+))?\s*(?:--\s*(.*))?$/.exec(line);
    if (param !== null) {
      if (!(param[2] in PARAM_TYPES)) throw new Error(`${file}: parameter ${param[1]} has unsupported type ${param[2]}`);
      params.push({ name: param[1], type: param[2] as ParamType, default: param[3], description: (param[4] ?? '').trim() });
    }
  }
  if (kind === undefined) throw new Error(`${file}: the header needs a "-- kind: view|table|query|statement|script" line`);
  return { name, summary: first[2].trim(), kind, folder, params, text: source.trim().replace(/;\s*$/, '') };
}

/** Replaces each @{fragment} with the SQL generated from the run-log contract or the metric table (our own code, never a value). */
function expandFragments(name: string, source: string): string {
  return source.replace(/@\{([a-z_]+)\}/g, (_, fragment: string) => {
    const make = RECORD_SQL_FRAGMENTS[fragment] ?? METRIC_SQL_FRAGMENTS[fragment];
    if (make === undefined) throw new Error(`${name}.sql names an unknown fragment @{${fragment}}`);
    return make();
  });
}

/** Loads sql/queries/NAME.sql or sql/build/NAME.sql (cached); a name in both folders is an error. `command` renders hints. */
export function loadQuery(name: string, command: CommandRenderer = PLAIN_COMMAND): NamedQuery {
  const cached = loaded.get(name);
  if (cached !== undefined) return cached;
  const hint = `run '${command(['sql', '--list'])}' for the named queries`;
  if (!/^[a-z0-9_]+$/.test(name)) throw new CliError(`${JSON.stringify(name)} is not a query name`, { hint });
  const found = SQL_FOLDERS.filter((folder) => existsSync(`${SQL_DIR}${folder}/${name}.sql`));
  if (found.length === 0) throw new CliError(`no named query ${JSON.stringify(name)} in sql/queries/`, { hint });
  if (found.length > 1) throw new Error(`${name}.sql is in both sql/queries/ and sql/build/: a name must say which one it means`);
  const query = parseNamedQuery(name, expandFragments(name, readFileSync(`${SQL_DIR}${found[0]}/${name}.sql`, 'utf8')), found[0]);
  return loaded.set(name, query);
}

/** A digest of the named queries' texts: it changes whenever one of their definitions does. */
export function digestQueries(names: readonly string[]): string {
  const hash = createHash('sha256');
  for (const name of names) hash.update(name).update('\u0000').update(loadQuery(name).text).update('\u0000');
  return hash.digest('hex').slice(0, 16);
}

/** Every named query in one folder of sql/ (default: both), sorted by name. */
export function listQueries(folders: readonly SqlFolder[] = SQL_FOLDERS): NamedQuery[] {
  return folders
    .flatMap((folder) => readdirSync(`${SQL_DIR}${folder}`).filter((f) => f.endsWith('.sql')))
    .map((f) => loadQuery(f.slice(0, -4)))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Converts a parameter given as text (from --param k=v) into the value to bind. */
function parseParamText(query: NamedQuery, param: QueryParam, text: string): DuckDBValue {
  if (text === 'NULL') return null;
  switch (param.type) {
    case 'VARCHAR':
      return text;
    case 'VARCHAR[]':
      return listValue(text === '' ? [] : text.split(','));
    case 'BOOLEAN':
      if (text !== 'true' && text !== 'false') throw new CliError(`${query.name}: parameter ${param.name} must be true or false; got ${JSON.stringify(text)}`);
      return text === 'true';
    case 'INTEGER':
    case 'BIGINT': {
      const n = Number(text);
      if (!Number.isInteger(n)) throw new CliError(`${query.name}: parameter ${param.name} must be a whole number; got ${JSON.stringify(text)}`);
      return param.type === 'BIGINT' ? BigInt(n) : n;
    }
    case 'DOUBLE': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) throw new CliError(`${query.name}: parameter ${param.name} must be a number; got ${JSON.stringify(text)}`);
      return n;
    }
  }
}

/**
 * Resolves the values to bind: given values (typed, or text from the command line), then header defaults.
 * A missing required parameter or an unknown one is a usage error that names the query's parameters.
 */
export function bindParams(query: NamedQuery, given: Record<string, DuckDBValue | string>): { values: Record<string, DuckDBValue>; types: Record<string, DuckDBType> } {
  const known = new Set(query.params.map((p) => p.name));
  const signature = query.params.length === 0 ? 'it takes no parameters' : `its parameters: ${query.params.map((p) => `${p.name} (${p.type}${p.default === undefined ? ', required' : `, default ${p.default}`})`).join(', ')}`;
  for (const key of Object.keys(given)) {
    if (!known.has(key)) throw new CliError(`${query.name} has no parameter ${JSON.stringify(key)}`, { hint: signature });
  }
  const values: Record<string, DuckDBValue> = {};
  const types: Record<string, DuckDBType> = {};
  for (const param of query.params) {
    const raw = given[param.name] ?? param.default;
    if (raw === undefined) throw new CliError(`${query.name} needs --param ${param.name}=VALUE`, { hint: signature });
    values[param.name] = typeof raw === 'string' ? parseParamText(query, param, raw) : raw;
    types[param.name] = PARAM_TYPES[param.type];
  }
  return { values, types };
}

/** Runs a named statement, script or query for its effect. */
export async function runNamed(connection: DuckDBConnection, name: string, params: Record<string, DuckDBValue | string> = {}): Promise<void> {
  const query = loadQuery(name);
  if (query.kind === 'script') {
    if (query.params.length > 0) throw new Error(`sql/${query.folder}/${name}.sql: scripts take no parameters`);
    await connection.run(query.text);
    return;
  }
  const { values, types } = bindParams(query, params);
  await connection.run(query.text, values, types);
}

/** Creates (or replaces) the view or table a `kind: view|table` file defines, named after the file; a table whole. */
export async function createView(connection: DuckDBConnection, name: string): Promise<void> {
  const query = loadQuery(name);
  if (query.kind !== 'view' && query.kind !== 'table') throw new Error(`sql/${query.folder}/${name}.sql is a ${query.kind}, not a view or table`);
  if (query.kind === 'view') {
    if (query.params.length > 0) throw new Error(`sql/${query.folder}/${name}.sql: a view cannot take parameters`);
    await connection.run(`CREATE OR REPLACE VIEW ${quotedIdentifier(name)} AS\n${query.text}`);
    return;
  }
  const { values, types } = bindParams(query, {});
  await connection.run(`CREATE OR REPLACE TABLE ${quotedIdentifier(name)} AS\n${query.text}`, values, types);
}

/** Appends to a `kind: table` table the rows its query gives for `params` (the rows being refreshed, forgotten first). */
export async function appendTableRows(connection: DuckDBConnection, name: string, params: Record<string, DuckDBValue>): Promise<void> {
  const query = loadQuery(name);
  if (query.kind !== 'table') throw new Error(`sql/${query.folder}/${name}.sql is a ${query.kind}, not a table`);
  const { values, types } = bindParams(query, params);
  await connection.run(`INSERT INTO ${quotedIdentifier(name)}\n${query.text}`, values, types);
}

/**
 * Replaces a `kind: table` table by its rows whose `key` is not in the list parameter `param`, plus the rows its
 * query gives for that list. For a small table this costs a commit far less than deleting and appending rows.
 */
export async function replaceTableRows(connection: DuckDBConnection, name: string, key: string, param: string, list: DuckDBValue): Promise<void> {
  const query = loadQuery(name);
  if (query.kind !== 'table') throw new Error(`sql/${query.folder}/${name}.sql is a ${query.kind}, not a table`);
  const { values, types } = bindParams(query, { [param]: list });
  const table = quotedIdentifier(name);
  const kept = `SELECT * FROM ${table} WHERE NOT coalesce(${quotedIdentifier(key)} IN (SELECT unnest($${param})), false)`;
  await connection.run(`CREATE OR REPLACE TABLE ${table} AS\n${kept}\nUNION ALL BY NAME (\n${query.text}\n)`, values, types);
}

/** The SELECT text to run for a named query or view, with its bound values. */
export function selectOf(name: string, params: Record<string, DuckDBValue | string> = {}, command: CommandRenderer = PLAIN_COMMAND): { sql: string; values: Record<string, DuckDBValue>; types: Record<string, DuckDBType> } {
  const query = loadQuery(name, command);
  if (query.kind === 'view' || query.kind === 'table') {
    bindParams(query, params);
    return { sql: `SELECT * FROM ${quotedIdentifier(name)}`, values: {}, types: {} };
  }
  if (query.kind !== 'query') throw new CliError(`${name} is a ${query.kind}, not a query`, { hint: `run '${command(['sql', '--list'])}' for the named queries` });
  return { sql: query.text, ...bindParams(query, params) };
}

/** Runs a named query (or reads a view) and returns plain JS rows (BIGINT as bigint). */
export async function queryNamed(connection: DuckDBConnection, name: string, params: Record<string, DuckDBValue | string> = {}): Promise<Record<string, unknown>[]> {
  const { sql, values, types } = selectOf(name, params);
  const reader = await connection.runAndReadAll(sql, values, types);
  return reader.getRowObjectsJS() as Record<string, unknown>[];
}
