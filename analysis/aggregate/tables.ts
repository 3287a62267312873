// Writes the statistics' result rows back into DuckDB with the Appender, column by column as the table declares
// them (sql/build/result_tables.sql), so a row type and its table cannot silently drift apart.

import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { quotedIdentifier, readColumns } from '../../lib/duckdb.ts';

type Value = string | number | boolean | bigint | null | undefined;

function appendCell(appender: DuckDBAppender, type: string, value: Value, where: string): void {
  if (value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value))) {
    appender.appendNull();
    return;
  }
  switch (type) {
    case 'VARCHAR':
      appender.appendVarchar(String(value));
      return;
    case 'DOUBLE':
      appender.appendDouble(Number(value));
      return;
    case 'BIGINT':
      appender.appendBigInt(BigInt(Math.round(Number(value))));
      return;
    case 'BOOLEAN':
      appender.appendBoolean(value === true);
      return;
    default:
      throw new Error(`${where}: column type ${type} is not supported by appendRows`);
  }
}

/** Appends `rows` (objects keyed by column name) to `table` (a result table, freshly made, or lane_flags); NaN and ±Infinity become NULL. */
export async function writeRows(connection: DuckDBConnection, table: string, rows: readonly object[]): Promise<void> {
  const columns = await readColumns(connection, table);
  if (rows.length > 0) {
    const missing = columns.filter((c) => !(c.name in rows[0]));
    if (missing.length > 0) throw new Error(`rows for ${table} lack ${missing.map((c) => c.name).join(', ')}`);
  }
  const appender = await connection.createAppender(table);
  try {
    for (const row of rows) {
      const record = row as Record<string, Value>;
      for (const c of columns) appendCell(appender, c.type, record[c.name], `${table}.${c.name}`);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** Reads every row of a result table (ordered by suite and metric), bigints as numbers. */
export async function readRows<T>(connection: DuckDBConnection, table: string): Promise<T[]> {
  const reader = await connection.runAndReadAll(`SELECT * FROM ${quotedIdentifier(table)} ORDER BY suite, metric`);
  return (reader.getRowObjectsJS() as Record<string, unknown>[]).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]))) as T[];
}
