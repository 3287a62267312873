// Exports the steps view, the one large table, as a Parquet dataset folder and a CSV.gz made of cached parts,
// so an incremental aggregate encodes only the logs that changed:
//   exports/steps.parquet/<part>.parquet  pandas and polars read the folder; DuckDB 'exports/steps.parquet/*.parquet'
//   exports/steps.csv.gz                  a header member, then each part's gzip members (cached in .cache/steps-csv)
// A part holds the steps of a set of logs. A rebuild writes every log into one part (one multi-threaded COPY is
// ~3× faster than one part a log). Later builds keep every part none of whose logs changed, and write at most two
// new ones: the changed logs, and the unchanged logs of parts that held a changed one (so a live log that keeps
// growing ends up alone in a small part, and only that part is encoded again).

import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { listValue, type DuckDBConnection } from '@duckdb/node-api';
import { quotedString, readColumns } from '../../lib/duckdb.ts';
import { tempPathBeside } from '../../lib/files.ts';
import { queryNamed, selectOf } from '../queries.ts';
import { PARQUET_OPTIONS } from './export.ts';
import { GZIP_LEVEL, gzipFile } from './gzipFile.ts';

interface PartManifest {
  /** A digest of the steps columns: parts written with other columns are never reused. */
  columns: string;
  /** Part name → the logs it holds → their live step rows when it was written, in CSV order. */
  parts: Record<string, Record<string, number>>;
  /** What steps.csv.gz held when this manifest was written: its parts in order, and its size. */
  csv?: { parts: string[]; bytes: number };
}

export interface StepsExport {
  paths: string[];
  /** Parts encoded in this build (the rest were reused). */
  partsWritten: number;
}

async function readManifest(path: string): Promise<PartManifest | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as PartManifest;
  } catch {
    return null;
  }
}

const exists = (path: string) => stat(path).then(() => true, () => false);

/** Read size when concatenating parts: few, large reads keep the copy off the event loop's critical path. */
const COPY_CHUNK_BYTES = 8 * 1024 * 1024;

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Writes one part: Parquet from the steps view, then CSV read back from that Parquet, gzipped on both cores. */
async function writePart(connection: DuckDBConnection, logs: readonly string[] | 'all', parquetDir: string, cacheDir: string): Promise<string> {
  const name = `part-${randomBytes(6).toString('hex')}`;
  const parquet = join(parquetDir, `${name}.parquet`);
  const { sql, values, types } = logs === 'all' ? selectOf('steps') : selectOf('steps_of_files', { files: listValue([...logs]) });
  const temp = tempPathBeside(parquet);
  const csv = join(cacheDir, `.${name}.${process.pid}.csv`);
  try {
    await connection.run(`COPY (${sql}) TO ${quotedString(temp)} (${PARQUET_OPTIONS})`, values, types);
    await connection.run(`COPY (SELECT * FROM read_parquet(${quotedString(temp)})) TO ${quotedString(csv)} (FORMAT csv, HEADER false)`);
    await gzipFile(csv, join(cacheDir, `${name}.csv.gz`));
    await rename(temp, parquet);
  } finally {
    await rm(temp, { force: true });
    await rm(csv, { force: true });
  }
  return name;
}

/**
 * Writes steps.csv.gz (through a temp file renamed into place): the header's gzip member, then each part's members.
 * When the file on disk holds exactly the parts `before` describes and they lead `parts`, it is copied (in the
 * kernel) and only the new parts are appended: an update rewrites the file without passing it through JavaScript.
 */
async function writeStepsCsv(target: string, header: Buffer, cacheDir: string, parts: readonly string[], before: PartManifest['csv']): Promise<NonNullable<PartManifest['csv']>> {
  const temp = tempPathBeside(target);
  try {
    const onDisk = (await stat(target).catch(() => null))?.size;
    const appendOnly = before !== undefined && onDisk === before.bytes && before.parts.length <= parts.length && before.parts.every((part, i) => parts[i] === part);
    if (appendOnly) await copyFile(target, temp);
    else await writeFile(temp, header);
    for (const part of parts.slice(appendOnly ? before.parts.length : 0)) {
      await pipeline(createReadStream(join(cacheDir, `${part}.csv.gz`), { highWaterMark: COPY_CHUNK_BYTES }), createWriteStream(temp, { flags: 'a' }));
    }
    const bytes = (await stat(temp)).size;
    await rename(temp, target);
    return { parts: [...parts], bytes };
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Exports steps, encoding again only the parts that hold a log read in this build (`changed`; 'all' after a
 * rebuild) or whose live step count changed (a step superseded from another file).
 */
export async function exportSteps(connection: DuckDBConnection, outDir: string, changed: ReadonlySet<string> | 'all'): Promise<StepsExport> {
  const columns = (await readColumns(connection, 'steps')).map((c) => c.name);
  const signature = createHash('md5').update(columns.join(',')).digest('hex').slice(0, 12);
  const cacheDir = join(outDir, '.cache', 'steps-csv');
  const parquetDir = join(outDir, 'exports', 'steps.parquet');
  const manifestPath = join(cacheDir, 'manifest.json');
  if ((await stat(parquetDir).catch(() => null))?.isFile() === true) await rm(parquetDir, { force: true });
  await mkdir(cacheDir, { recursive: true });
  await mkdir(parquetDir, { recursive: true });
  const live = new Map((await queryNamed(connection, 'live_steps_per_file')).map((r) => [String(r['file']), Number(r['rows'])]));

  const previous = await readManifest(manifestPath);
  const manifest: PartManifest = { columns: signature, parts: {} };
  const unchanged = (log: string, rows: number) => changed !== 'all' && !changed.has(log) && live.get(log) === rows;
  const covered = new Set<string>();
  const regrouped: string[] = [];
  let written = 0;
  if (previous !== null && previous.columns === signature && changed !== 'all') {
    for (const [name, logs] of Object.entries(previous.parts)) {
      const intact = Object.entries(logs).every(([log, rows]) => unchanged(log, rows))
        && (await exists(join(parquetDir, `${name}.parquet`))) && (await exists(join(cacheDir, `${name}.csv.gz`)));
      if (intact) {
        manifest.parts[name] = logs;
        for (const log of Object.keys(logs)) covered.add(log);
      } else {
        regrouped.push(...Object.entries(logs).filter(([log, rows]) => unchanged(log, rows)).map(([log]) => log));
      }
    }
  }
  const rest = [...live.keys()].filter((log) => !covered.has(log));
  const clean = new Set(regrouped.filter((log) => live.has(log)));
  const groups = covered.size === 0 && clean.size === 0 ? [rest.length > 0 ? 'all' as const : []] : [[...clean], rest.filter((log) => !clean.has(log))];
  for (const group of groups) {
    if (group.length === 0) continue;
    const name = await writePart(connection, group, parquetDir, cacheDir);
    manifest.parts[name] = Object.fromEntries((group === 'all' ? [...live.keys()] : group).map((log) => [log, live.get(log) ?? 0]));
    written++;
  }

  // Parts no longer in the manifest are stale.
  const names = new Set(Object.keys(manifest.parts));
  for (const file of await readdir(cacheDir)) if (file.endsWith('.csv.gz') && !names.has(file.slice(0, -'.csv.gz'.length))) await rm(join(cacheDir, file), { force: true });
  for (const file of await readdir(parquetDir)) if (!names.has(file.replace(/\.parquet$/, ''))) await rm(join(parquetDir, file), { force: true });
  const target = join(outDir, 'exports', 'steps.csv.gz');
  const header = gzipSync(Buffer.from(columns.map(csvField).join(',') + '\n'), { level: GZIP_LEVEL });
  manifest.csv = await writeStepsCsv(target, header, cacheDir, [...names], previous?.columns === signature ? previous.csv : undefined);
  // Written last: a manifest never describes a steps.csv.gz that was not completely written.
  await writeFile(manifestPath, JSON.stringify(manifest));
  return { paths: [parquetDir, target], partsWritten: written };
}
