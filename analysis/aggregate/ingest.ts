// Incremental ingest of run logs into the records table: a file already read and unchanged is skipped, a new or
// changed (grown) file is read again in full, a vanished (archived) file keeps its rows. Every line ends up either
// as a row of records or as a row of quarantine, so lines = records + quarantined for every file.

import { mkdir, mkdtemp, open, rm, rmdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { DuckDBTimestampValue, listValue, type DuckDBConnection } from '@duckdb/node-api';
import { listRunLogFiles } from '../../pipelines/runlog/discover.ts';
import { queryNamed, runNamed } from '../queries.ts';
import { appendQuarantine, locateProblemLines, type QuarantinedLine } from './quarantine.ts';
import { findGzipDamage, salvageDamagedLog } from './salvage.ts';

/** A log file on disk: `file` is its path relative to the runs folder (with '/'), the key everywhere. */
export interface LogFile {
  file: string;
  path: string;
  size: number;
  mtimeMs: number;
}

/** What to do with the files on disk, given what the database already holds. */
export interface IngestPlan {
  /** New, grown or otherwise changed files: read in full. */
  read: LogFile[];
  /** Unchanged since they were read: skipped. */
  unchanged: LogFile[];
  /** Read before and gone now: their rows stay. */
  vanished: string[];
  /** Gone before, back unchanged. */
  reappeared: string[];
}

export interface IngestCounts {
  filesRead: number;
  filesSkipped: number;
  filesVanished: number;
  /** Non-blank lines read this time: lines = records + quarantined. */
  lines: number;
  records: number;
  quarantined: number;
  steps: number;
  superseded: number;
}

/** Every run log under `runsDir` (skipping `_`- and `.`-prefixed folders) with its size and mtime. */
export async function listLogFiles(runsDir: string): Promise<LogFile[]> {
  const root = rootOf(runsDir);
  const paths = await listRunLogFiles(runsDir);
  const files: LogFile[] = [];
  for (const path of paths) {
    try {
      const info = await stat(path);
      const file = relative(runsDir, path).split(sep).join('/');
      files.push({ file, path: root + file, size: info.size, mtimeMs: info.mtimeMs });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return files;
}

/** The prefix that `file` is relative to, as DuckDB sees the paths we give it. */
export function rootOf(runsDir: string): string {
  return runsDir.endsWith('/') ? runsDir : `${runsDir}/`;
}

/** Compares the files on disk with the files table. */
export async function planIngest(connection: DuckDBConnection, files: readonly LogFile[]): Promise<IngestPlan> {
  const known = new Map((await queryNamed(connection, 'files_state')).map((r) => [String(r['file']), r]));
  const plan: IngestPlan = { read: [], unchanged: [], vanished: [], reappeared: [] };
  const onDisk = new Set<string>();
  for (const f of files) {
    onDisk.add(f.file);
    const before = known.get(f.file);
    if (before !== undefined && Number(before['size']) === f.size && Number(before['mtime_ms']) === f.mtimeMs) {
      plan.unchanged.push(f);
      if (before['present'] === false) plan.reappeared.push(f.file);
    } else {
      plan.read.push(f);
    }
  }
  for (const [file, row] of known) if (!onDisk.has(file) && row['present'] === true) plan.vanished.push(file);
  return plan;
}

const list = (items: readonly string[]) => listValue([...items]);

/**
 * Carries out a plan; returns what was read. An update runs it inside the build's one transaction; a rebuild runs
 * it without one (reads of a large uncommitted insert are several times slower) in a temp database. Either way a
 * file's row in `files` is written only once its records are complete, and every file to be read first has its
 * old rows removed, so an ingest cut short is simply redone by the next one.
 */
export async function ingestPlan(connection: DuckDBConnection, plan: IngestPlan, runsDir: string, now: Date, scratchDir: string): Promise<IngestCounts> {
  const counts: IngestCounts = { filesRead: 0, filesSkipped: plan.unchanged.length, filesVanished: plan.vanished.length, lines: 0, records: 0, quarantined: 0, steps: 0, superseded: 0 };
  if (plan.read.length > 0) Object.assign(counts, await readFiles(connection, plan.read, runsDir, now, scratchDir));
  if (plan.vanished.length > 0) await runNamed(connection, 'mark_vanished', { files: list(plan.vanished) });
  if (plan.reappeared.length > 0) await runNamed(connection, 'mark_present', { files: list(plan.reappeared) });
  return counts;
}

/** `scratchDir` holds, while the files are read, the readable prefixes of damaged compressed logs. */
async function readFiles(connection: DuckDBConnection, files: readonly LogFile[], runsDir: string, now: Date, scratchDir: string): Promise<Omit<IngestCounts, 'filesSkipped' | 'filesVanished'>> {
  let scratch: string | null = null;
  let made: string | undefined;
  try {
    return await readFilesWith(connection, files, runsDir, now, async () => {
      if (scratch === null) {
        made = await mkdir(scratchDir, { recursive: true });
        scratch = rootOf(await mkdtemp(join(scratchDir, '.audition-salvage-')));
      }
      return scratch;
    });
  } finally {
    if (scratch !== null) await rm(scratch, { recursive: true, force: true });
    // only if still empty: DuckDB may have begun spilling into it
    if (made !== undefined) await rmdir(made).catch(() => undefined);
  }
}

async function readFilesWith(connection: DuckDBConnection, files: readonly LogFile[], runsDir: string, now: Date, scratchRoot: () => Promise<string>): Promise<Omit<IngestCounts, 'filesSkipped' | 'filesVanished'>> {
  const root = rootOf(runsDir);
  const names = files.map((f) => f.file);
  await runNamed(connection, 'forget_records', { files: list(names) });
  await runNamed(connection, 'forget_quarantine', { files: list(names) });
  await runNamed(connection, 'forget_file_rows', { files: list(names) });
  // DuckDB fails the whole statement on a .gz without a gzip header ("Input is not a GZIP stream"): those skip it.
  const headless = new Set<string>();
  for (const f of files) if (f.path.endsWith('.gz') && !(await hasGzipHeader(f.path))) headless.add(f.file);
  const bulk = files.filter((f) => !headless.has(f.file));
  if (bulk.length > 0) await runNamed(connection, 'ingest_records', { files: list(bulk.map((f) => f.path)), root });

  // Unusable lines: locate them exactly (only in the files that have any), quarantine them, drop their rows.
  const perFile = new Map((await queryNamed(connection, 'file_counts', { files: list(names) })).map((r) => [String(r['file']), { lines: Number(r['lines']), problems: Number(r['problems']) }]));
  const quarantined: QuarantinedLine[] = [];
  // A damaged .gz shows up as unusable rows (a cut-off or garbled line), none at all, or (cut after a whole line, or a
  // bad trailer) as nothing DuckDB notices: every .gz read is checked by Node's gunzip, and its readable prefix
  // replaces the rows of one that is damaged.
  const suspect = (f: LogFile) => (perFile.get(f.file)?.problems ?? 0) > 0 || f.path.endsWith('.gz');
  const withProblems = files.filter(suspect);
  const salvaged = new Map<string, string>();
  for (const f of withProblems) {
    const damage = await findGzipDamage(f.path);
    if (damage === null) {
      const problems = perFile.get(f.file)?.problems ?? 0;
      if (problems > 0) quarantined.push(...(await locateProblemLines(connection, f.path, f.file, problems)));
      continue;
    }
    const at = await scratchRoot();
    const log = await salvageDamagedLog(connection, f.file, f.path, damage, at);
    quarantined.push(...log.quarantined);
    perFile.set(f.file, { lines: log.lines, problems: log.quarantined.length });
    salvaged.set(f.file, at);
  }
  await appendQuarantine(connection, quarantined, now);
  if (withProblems.length > 0) await runNamed(connection, 'delete_problem_records', { files: list(withProblems.map((f) => f.file)) });

  // A resumed run may hold several records of one step: the last line wins. Bulk reads do not keep line
  // order, so only the files that need it are read again with insertion order preserved (rowid = line order).
  const repeated = (await queryNamed(connection, 'duplicate_step_files', { files: list(names) })).map((r) => String(r['file']));
  if (repeated.length > 0) {
    await runNamed(connection, 'forget_records', { files: list(repeated) });
    await connection.run('SET preserve_insertion_order = true');
    try {
      const plain = repeated.filter((file) => !salvaged.has(file));
      if (plain.length > 0) await runNamed(connection, 'ingest_records', { files: list(plain.map((file) => root + file)), root });
      for (const file of repeated.filter((f) => salvaged.has(f))) {
        const at = salvaged.get(file) as string;
        await runNamed(connection, 'ingest_records', { files: list([at + file]), root: at });
      }
    } finally {
      await connection.run('SET preserve_insertion_order = false');
    }
    await runNamed(connection, 'delete_problem_records', { files: list(repeated) });
    await runNamed(connection, 'supersede_within_files', { files: list(repeated) });
  }

  const quarantinedPerFile = new Map<string, number>();
  for (const q of quarantined) quarantinedPerFile.set(q.file, (quarantinedPerFile.get(q.file) ?? 0) + 1);
  await appendFileRows(connection, files, perFile, quarantinedPerFile, now);
  await runNamed(connection, 'supersede_across_files', { files: list(names) });
  await runNamed(connection, 'refresh_file_counts', { files: list(names) });

  const [totals] = await queryNamed(connection, 'ingest_totals', { files: list(names) });
  return {
    filesRead: files.length,
    lines: Number(totals['lines']),
    records: Number(totals['records']),
    quarantined: Number(totals['quarantined']),
    steps: Number(totals['steps']),
    superseded: Number(totals['superseded']),
  };
}

/** Whether a file starts with a whole gzip header (10 bytes, magic 1f 8b). */
async function hasGzipHeader(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(10), 0, 10, 0);
    return bytesRead === 10 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

async function appendFileRows(connection: DuckDBConnection, files: readonly LogFile[], perFile: Map<string, { lines: number }>, quarantined: Map<string, number>, now: Date): Promise<void> {
  const appender = await connection.createAppender('files');
  try {
    const at = new DuckDBTimestampValue(BigInt(now.getTime()) * 1000n);
    for (const f of files) {
      const lines = perFile.get(f.file)?.lines ?? 0;
      const q = quarantined.get(f.file) ?? 0;
      appender.appendVarchar(f.file);
      appender.appendBigInt(BigInt(f.size));
      appender.appendDouble(f.mtimeMs);
      appender.appendBigInt(BigInt(lines));
      appender.appendBigInt(BigInt(lines - q));
      appender.appendBigInt(0n); // steps and superseded: refresh_file_counts fills them in
      appender.appendBigInt(0n);
      appender.appendBigInt(BigInt(q));
      appender.appendTimestamp(at);
      appender.appendBoolean(true);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
