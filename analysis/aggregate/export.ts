// Exports every user-facing table as Parquet and CSV.gz (written beside the target and renamed into place), and
// the catalog as runs/_catalog/catalog.csv. The steps table, the one large table, has its own module
// (stepsExport.ts): it is exported in cached parts, and while the statistics run.

import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quotedIdentifier, quotedString } from '../../lib/duckdb.ts';
import { tempPathBeside } from '../../lib/files.ts';

/**
 * Parquet options for every export: zstd encodes the step table faster than the default snappy and ~15 % smaller,
 * and pyarrow, polars and DuckDB all read it.
 */
export const PARQUET_OPTIONS = 'FORMAT parquet, COMPRESSION zstd';

/** The tables users read, in the order they are exported. */
export const EXPORTED_TABLES = ['steps', 'runs_summary', 'model_ranking', 'by_model_steps', 'by_model_runs', 'lane_pairs', 'best_settings', 'dial_effects', 'catalog'] as const;

async function copyTo(connection: DuckDBConnection, select: string, path: string, options: string): Promise<void> {
  const temp = tempPathBeside(path);
  try {
    await connection.run(`COPY (${select}) TO ${quotedString(temp)} (${options})`);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Exports one table (or view) as Parquet, then CSV.gz read back from that Parquet (a view is computed once). */
async function exportTable(connection: DuckDBConnection, name: string, dir: string): Promise<string[]> {
  const parquet = join(dir, `${name}.parquet`);
  const csv = join(dir, `${name}.csv.gz`);
  await copyTo(connection, `SELECT * FROM ${quotedIdentifier(name)}`, parquet, PARQUET_OPTIONS);
  await copyTo(connection, `SELECT * FROM read_parquet(${quotedString(parquet)})`, csv, 'FORMAT csv, HEADER true, COMPRESSION gzip');
  return [parquet, csv];
}

/** Exports every table in EXPORTED_TABLES but steps to outDir/exports, and the catalog to runsDir/_catalog/catalog.csv. */
export async function exportTables(connection: DuckDBConnection, outDir: string, runsDir: string): Promise<string[]> {
  const dir = join(outDir, 'exports');
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const name of EXPORTED_TABLES) if (name !== 'steps') paths.push(...(await exportTable(connection, name, dir)));
  const catalogDir = join(runsDir, '_catalog');
  await mkdir(catalogDir, { recursive: true });
  const catalog = join(catalogDir, 'catalog.csv');
  await copyTo(connection, `SELECT * FROM read_parquet(${quotedString(join(dir, 'catalog.parquet'))})`, catalog, 'FORMAT csv, HEADER true');
  paths.push(catalog);
  return paths;
}
