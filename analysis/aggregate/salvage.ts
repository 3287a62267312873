// A damaged compressed log (truncated, corrupt) must not stop the aggregate. DuckDB reads such a .gz without
// complaint up to the damage, then yields a cut-off line, garbage or nothing; Node's gunzip sees where the stream
// breaks. So a .gz that produced unusable rows, or no rows, is checked with Node, and when it is damaged its rows are
// replaced by the lines that decompressed completely (written to a scratch copy read with the same SQL, under the
// original name), plus one quarantined line naming where and why the file stops.

import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { listValue, type DuckDBConnection } from '@duckdb/node-api';
import { openLogLines, type LogDamage } from '../../pipelines/runlog/reader.ts';
import { queryNamed, runNamed } from '../queries.ts';
import { locateProblemLines, type QuarantinedLine } from './quarantine.ts';

/** A damaged log read again from its readable prefix: its problem lines, and its line count (damage included). */
export interface SalvagedLog {
  quarantined: QuarantinedLine[];
  lines: number;
}

/** Where a `.gz` log stops being readable, or null when it is whole (or not compressed). */
export async function findGzipDamage(path: string): Promise<LogDamage | null> {
  if (!path.endsWith('.gz')) return null;
  let damage: LogDamage | null = null;
  for await (const line of openLogLines(path, (d) => (damage = d))) void line;
  return damage;
}

/**
 * Replaces the records of damaged log `file` (at `path`) by those of its readable prefix: copies the lines before
 * `damage.line` to `scratchRoot + file`, reads that copy with ingest_records, and quarantines its unusable lines
 * and the damage itself.
 */
export async function salvageDamagedLog(connection: DuckDBConnection, file: string, path: string, damage: LogDamage, scratchRoot: string): Promise<SalvagedLog> {
  const copy = scratchRoot + file;
  await writePrefix(path, copy, damage.line - 1);
  const files = listValue([file]);
  await runNamed(connection, 'forget_records', { files });
  await runNamed(connection, 'ingest_records', { files: listValue([copy]), root: scratchRoot });
  const [counts] = await queryNamed(connection, 'file_counts', { files });
  const lines = Number(counts?.['lines'] ?? 0);
  const problems = Number(counts?.['problems'] ?? 0);
  const quarantined = problems > 0 ? await locateProblemLines(connection, copy, file, problems) : [];
  quarantined.push({ file, line: damage.line, reason: damage.reason, text: '' });
  return { quarantined, lines: lines + 1 };
}

/** Writes the first `count` lines of a log, gzipped (the copy keeps the original's name, so its compression too). */
async function writePrefix(path: string, copy: string, count: number): Promise<void> {
  await mkdir(dirname(copy), { recursive: true });
  const gzip = createGzip({ level: 1 });
  const out = gzip.pipe(createWriteStream(copy));
  let written = 0;
  for await (const line of openLogLines(path)) {
    if (written === count) break;
    written++;
    if (!gzip.write(line + '\n')) await once(gzip, 'drain');
  }
  gzip.end();
  await once(out, 'finish');
}
