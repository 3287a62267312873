// Exports every user-facing table as Parquet and CSV.gz (written beside the target and renamed into place), and
// the catalog as runs/_catalog/catalog.csv. The steps table is large, so it is exported one part per log file
// and only the logs that changed are encoded again: steps.parquet is a Parquet dataset folder (one file a log),
// steps.csv.gz a concatenation of cached gzip members (a gzip file may hold several).

import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { gzipSync, createGzip, constants } from 'node:zlib';
import { listValue, type DuckDBConnection } from '@duckdb/node-api';
import { quotedIdentifier, quotedString } from '../../lib/duckdb.ts';
import { tempPathBeside } from '../../lib/files.ts';
import { queryNamed } from '../queries.ts';

/** The tables users read, in the order they are exported. */
export const EXPORTED_TABLES = ['steps', 'runs_summary', 'model_ranking', 'by_model_steps', 'by_model_runs', 'lane_pairs', 'best_settings', 'dial_effects', 'catalog'] as const;

/** gzip level for CSV exports: level 1 is ~3× faster than the default and ~20% larger. */
const GZIP_LEVEL = constants.Z_BEST_SPEED;

export interface ExportResult {
  paths: string[];
  /** Step CSV parts compressed this time (the rest came from the cache). */
  stepPartsWritten: number;
}

/** The cache key of a log file's part of steps.csv.gz (the same expression as in SQL: left(md5(file), 16)). */
export function partKeyOf(file: string): string {
  return createHash('md5').update(file).digest('hex').slice(0, 16);
}

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
  await copyTo(connection, `SELECT * FROM ${quotedIdentifier(name)}`, parquet, 'FORMAT parquet');
  await copyTo(connection, `SELECT * FROM read_parquet(${quotedString(parquet)})`, csv, 'FORMAT csv, HEADER true, COMPRESSION gzip');
  return [parquet, csv];
}

interface PartManifest {
  columns: string;
  parts: Record<string, { key: string; rows: number }>;
}

async function readManifest(path: string): Promise<PartManifest | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as PartManifest;
  } catch {
    return null;
  }
}

/** Gzips the CSV files DuckDB wrote for one partition into one member. */
async function gzipPart(sources: string[], target: string): Promise<void> {
  const temp = tempPathBeside(target);
  const gzip = createGzip({ level: GZIP_LEVEL });
  const out = createWriteStream(temp);
  const done = pipeline(gzip, out);
  for (const source of sources) {
    for await (const chunk of createReadStream(source)) if (!gzip.write(chunk)) await new Promise<void>((resolve) => gzip.once('drain', () => resolve()));
  }
  gzip.end();
  await done;
  await rename(temp, target);
}

/** Runs `tasks` with at most `limit` at a time (zlib work runs on the libuv thread pool). */
async function runLimited(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, async () => {
    while (next < tasks.length) await tasks[next++]();
  }));
}

const exists = (path: string) => stat(path).then(() => true, () => false);

/** Rows of steps a partitioned COPY takes at once (its memory grows with the rows of its open partitions). */
const BATCH_ROWS = 150_000;

/** Splits parts into consecutive batches of about `limit` rows (a part is never split). */
function batchByRows<T extends { rows: number }>(parts: readonly T[], limit: number): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let rows = 0;
  for (const part of parts) {
    if (current.length > 0 && rows + part.rows > limit) {
      batches.push(current);
      current = [];
      rows = 0;
    }
    current.push(part);
    rows += part.rows;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Exports the steps table, one part per log file, re-encoding only the logs read in this build (`changed`,
 * 'all' after a rebuild) or whose live step count changed:
 *   exports/steps.parquet/  a Parquet dataset, one <key>.parquet a log (pandas and polars read the folder;
 *                           DuckDB reads 'exports/steps.parquet/*.parquet');
 *   exports/steps.csv.gz    one gzip member a log, cached in .cache/steps-csv and concatenated.
 */
async function exportSteps(connection: DuckDBConnection, outDir: string, changed: ReadonlySet<string> | 'all'): Promise<{ paths: string[]; written: number }> {
  const columns = (await queryNamed(connection, 'table_columns', { table: 'steps' })).map((c) => String(c['column_name']));
  const signature = createHash('md5').update(columns.join(',')).digest('hex').slice(0, 12);
  const cacheDir = join(outDir, '.cache', 'steps-csv');
  const parquetDir = join(outDir, 'exports', 'steps.parquet');
  const manifestPath = join(cacheDir, 'manifest.json');
  if ((await stat(parquetDir).catch(() => null))?.isFile() === true) await rm(parquetDir, { force: true });
  await mkdir(cacheDir, { recursive: true });
  await mkdir(parquetDir, { recursive: true });
  const previous = await readManifest(manifestPath);
  const reuse = previous !== null && previous.columns === signature && changed !== 'all';
  const live = (await queryNamed(connection, 'live_steps_per_file')).map((r) => ({ file: String(r['file']), rows: Number(r['rows']), key: partKeyOf(String(r['file'])) }));
  const manifest: PartManifest = { columns: signature, parts: {} };
  const dirty: typeof live = [];
  for (const part of live) {
    manifest.parts[part.file] = { key: part.key, rows: part.rows };
    const before = reuse ? previous.parts[part.file] : undefined;
    const fresh = before !== undefined && before.rows === part.rows && !(changed as ReadonlySet<string>).has(part.file)
      && (await exists(join(cacheDir, `${part.key}.csv.gz`))) && (await exists(join(parquetDir, `${part.key}.parquet`)));
    if (!fresh) dirty.push(part);
  }
  if (dirty.length > 0) {
    const staging = join(cacheDir, `.staging-${process.pid}`);
    try {
      const existing = await readdir(parquetDir);
      // Partitioned writes buffer every open partition: batches keep the memory of a full rebuild bounded.
      let pending: Promise<void> = Promise.resolve();
      for (const batch of batchByRows(dirty, BATCH_ROWS)) {
        await rm(staging, { recursive: true, force: true });
        await mkdir(staging, { recursive: true });
        const select = 'SELECT *, left(md5(file), 16) AS part FROM steps WHERE file IN (SELECT unnest($files))';
        const params = { files: listValue(batch.map((d) => d.file)) };
        await connection.run(`COPY (${select}) TO ${quotedString(join(staging, 'parquet'))} (FORMAT parquet, PARTITION_BY (part))`, params);
        await connection.run(`COPY (${select}) TO ${quotedString(join(staging, 'csv'))} (FORMAT csv, HEADER false, PARTITION_BY (part))`, params);
        for (const { key } of batch) {
          for (const name of existing) if (name.startsWith(key)) await rm(join(parquetDir, name), { force: true });
          const files = (await readdir(join(staging, 'parquet', `part=${key}`))).sort();
          // One file a partition in practice; a second (another thread's) is kept beside it as <key>-N.
          for (const [n, name] of files.entries()) await rename(join(staging, 'parquet', `part=${key}`, name), join(parquetDir, n === 0 ? `${key}.parquet` : `${key}-${n}.parquet`));
        }
        // Compress this batch while DuckDB writes the next one (zlib runs on the libuv thread pool).
        await pending;
        const csvDir = join(cacheDir, `.csv-${process.pid}-${batch[0].key}`);
        await rename(join(staging, 'csv'), csvDir);
        pending = runLimited(batch.map(({ key }) => async () => {
          const dir = join(csvDir, `part=${key}`);
          await gzipPart((await readdir(dir)).sort().map((f) => join(dir, f)), join(cacheDir, `${key}.csv.gz`));
        }), 2).finally(() => rm(csvDir, { recursive: true, force: true }));
      }
      await pending;
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
  // Parts of logs that no longer hold live steps are stale.
  const keys = new Set(live.map((p) => p.key));
  for (const name of await readdir(cacheDir)) if (name.endsWith('.csv.gz') && !keys.has(name.slice(0, 16))) await rm(join(cacheDir, name), { force: true });
  for (const name of await readdir(parquetDir)) if (!keys.has(name.slice(0, 16))) await rm(join(parquetDir, name), { force: true });
  await writeFile(manifestPath, JSON.stringify(manifest));

  const target = join(outDir, 'exports', 'steps.csv.gz');
  const temp = tempPathBeside(target);
  const out = createWriteStream(temp);
  try {
    out.write(gzipSync(Buffer.from(columns.map(csvField).join(',') + '\n'), { level: GZIP_LEVEL }));
    for (const { key } of [...live].sort((a, b) => a.file.localeCompare(b.file))) {
      for await (const chunk of createReadStream(join(cacheDir, `${key}.csv.gz`))) if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    out.end();
    await new Promise<void>((resolve, reject) => out.once('finish', resolve).once('error', reject));
    await rename(temp, target);
  } catch (error) {
    out.destroy();
    await rm(temp, { force: true });
    throw error;
  }
  return { paths: [parquetDir, target], written: dirty.length };
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Exports every table in EXPORTED_TABLES to outDir/exports and the catalog to runsDir/_catalog/catalog.csv. */
export async function exportTables(connection: DuckDBConnection, outDir: string, runsDir: string, changed: ReadonlySet<string> | 'all'): Promise<ExportResult> {
  const dir = join(outDir, 'exports');
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  const steps = await exportSteps(connection, outDir, changed);
  paths.push(...steps.paths);
  for (const name of EXPORTED_TABLES) if (name !== 'steps') paths.push(...(await exportTable(connection, name, dir)));
  const catalogDir = join(runsDir, '_catalog');
  await mkdir(catalogDir, { recursive: true });
  const catalog = join(catalogDir, 'catalog.csv');
  await copyTo(connection, `SELECT * FROM read_parquet(${quotedString(join(dir, 'catalog.parquet'))})`, catalog, 'FORMAT csv, HEADER true');
  paths.push(catalog);
  return { paths, stepPartsWritten: steps.written };
}
