import { DuckDBInstance, quotedIdentifier, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { CliError } from './errors.ts';

export { quotedIdentifier, quotedString } from '@duckdb/node-api';

/** Settings every audition database opens with: nothing may reach for the network. */
const OFFLINE: Record<string, string> = {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
};

export type JsRow = Record<string, unknown>;

/** Opens (or creates) a DuckDB database file, or ':memory:'. Read-only opens share the file with other readers. */
export async function openDuckDB(path: string, options: { readOnly?: boolean; settings?: Record<string, string> } = {}): Promise<DuckDBInstance> {
  const settings = { ...OFFLINE, ...(options.settings ?? {}) };
  if (options.readOnly === true) settings['access_mode'] = 'READ_ONLY';
  try {
    return await DuckDBInstance.create(path, settings);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/lock/i.test(message)) {
      throw new CliError(`the database ${path} is in use by another process`, {
        hint: 'wait for the other audition command to finish, then try again',
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Runs `fn` with a fresh connection that is closed afterwards, whatever happens. When `signal` aborts, the statement
 * running on the connection is interrupted (it fails with DuckDB's INTERRUPT error), so a long build stops at once.
 */
export async function withConnection<T>(instance: DuckDBInstance, fn: (connection: DuckDBConnection) => Promise<T>, signal?: AbortSignal): Promise<T> {
  signal?.throwIfAborted();
  const connection = await instance.connect();
  const interrupt = (): void => connection.interrupt();
  signal?.addEventListener('abort', interrupt, { once: true });
  try {
    return await fn(connection);
  } finally {
    signal?.removeEventListener('abort', interrupt);
    connection.closeSync();
  }
}

/** Runs `fn` inside one transaction on `connection`: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(connection: DuckDBConnection, fn: () => Promise<T>): Promise<T> {
  await connection.run('BEGIN TRANSACTION');
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
  await connection.run('COMMIT');
  return result;
}

/** Opens a database, runs `fn` on one connection, and closes both. */
export async function withDatabase<T>(path: string, options: { readOnly?: boolean; settings?: Record<string, string>; signal?: AbortSignal }, fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await openDuckDB(path, options);
  try {
    return await withConnection(instance, fn, options.signal);
  } finally {
    instance.closeSync();
  }
}

/** The columns of a table or view, with their types, read from an empty result rather than the catalog views. */
export async function readColumns(connection: DuckDBConnection, table: string): Promise<{ name: string; type: string }[]> {
  const result = await connection.run(`SELECT * FROM ${quotedIdentifier(table)} LIMIT 0`);
  const types = result.columnTypes();
  return result.columnNames().map((name, i) => ({ name, type: String(types[i]) }));
}

/** Runs a query with bound parameters and returns plain JS row objects (BIGINT as bigint, dates as Date-like values). */
export async function queryRows(connection: DuckDBConnection, sql: string, params?: DuckDBValue[] | Record<string, DuckDBValue>): Promise<JsRow[]> {
  const reader = await connection.runAndReadAll(sql, params);
  return reader.getRowObjectsJS() as JsRow[];
}

/** Like queryRows, but values converted to JSON-safe forms (numbers, strings), for printing. */
export async function queryJsonRows(connection: DuckDBConnection, sql: string, params?: DuckDBValue[] | Record<string, DuckDBValue>): Promise<Record<string, unknown>[]> {
  const reader = await connection.runAndReadAll(sql, params);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}
