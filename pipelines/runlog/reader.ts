import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { stepCharge } from '../../core/metric.ts';
import { addTokens, emptyTokens, type TokenCounts } from '../../core/tokens.ts';
import { readRunLogLine, stepKey, type RunEndRecord, type RunResumeRecord, type RunStartRecord, type StepRecord } from '../../core/record.ts';

/** A line a reader could not use: never fatal, always reported. */
export interface LogProblem {
  file: string;
  line: number;
  reason: string;
}

export interface RunLog {
  path: string;
  start: RunStartRecord | null;
  /** The latest run_end, if any. */
  end: RunEndRecord | null;
  /** Every run_resume of the run, in order: each names the settings that session sent with. */
  resumes: RunResumeRecord[];
  /** The latest record per (run_id, item_id, replicate), in order of first appearance. */
  steps: StepRecord[];
  /** Step records superseded by a later record with the same key (retries after resume). */
  superseded: number;
  /** What every step record of the run spent, superseded ones included: each was paid for. */
  spent: { tokens: TokenCounts; costUsd: number };
  /** Lines the contract cannot use (the aggregate quarantines exactly these). */
  problems: LogProblem[];
  /** Facts about the file as a whole: no run_start, lines of another run (kept out of `steps`). */
  warnings: string[];
  /** A compressed log whose stream breaks off (truncated or corrupt): `problems` says where and why. */
  damaged: boolean;
  lines: number;
}

/** Where a compressed log stops being readable, and why: one problem line standing for the rest of the file. */
export interface LogDamage {
  /** The first line that could not be read (the one after the last complete line). */
  line: number;
  reason: string;
}

/** Says why a `.gz` log stops after line `after`, in the words every reader uses. */
export function describeGzipDamage(after: number, error: Error): string {
  const message = error.message;
  return (error as NodeJS.ErrnoException).code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(message)
    ? `gzip stream truncated after line ${after}: unexpected end of file`
    : `corrupt gzip data after line ${after}: ${message}`;
}

/**
 * Opens a log as a stream of lines, decompressing `.gz`. A damaged `.gz` (truncated, corrupt) ends after its last
 * complete line and tells `onDamage` where and why, instead of throwing: the line cut off by the damage is dropped.
 */
export async function* openLogLines(path: string, onDamage?: (damage: LogDamage) => void): AsyncGenerator<string> {
  const file = createReadStream(path);
  const compressed = path.endsWith('.gz');
  const stream: Readable = compressed ? file.pipe(createGunzip()) : file;
  // a read error of the file itself (not the gzip data) still throws
  if (compressed) file.on('error', (error) => stream.destroy(error));
  stream.setEncoding('utf8');
  let pending = '';
  let lineNumber = 0;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const parts = (pending + chunk).split('\n');
      pending = parts.pop() ?? '';
      for (const part of parts) {
        lineNumber++;
        yield part.endsWith('\r') ? part.slice(0, -1) : part;
      }
    }
  } catch (error) {
    if (!compressed || !isZlibError(error)) throw error;
    onDamage?.({ line: lineNumber + 1, reason: describeGzipDamage(lineNumber, error) });
    return;
  } finally {
    file.destroy();
  }
  if (pending !== '') yield pending.endsWith('\r') ? pending.slice(0, -1) : pending;
}

function isZlibError(error: unknown): error is Error {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && (error as NodeJS.ErrnoException).code!.startsWith('Z_');
}

/** Reads a run log; truncated or malformed lines are reported in `problems`, never thrown. */
export async function readRunLog(path: string): Promise<RunLog> {
  const log: RunLog = { path, start: null, end: null, resumes: [], steps: [], superseded: 0, spent: { tokens: emptyTokens(), costUsd: 0 }, problems: [], warnings: [], damaged: false, lines: 0 };
  const latest = new Map<string, number>();
  let lineNumber = 0;
  const damaged = (damage: LogDamage) => {
    log.damaged = true;
    log.lines++;
    log.problems.push({ file: path, line: damage.line, reason: damage.reason });
  };
  for await (const line of openLogLines(path, damaged)) {
    lineNumber++;
    if (line.trim() === '') continue;
    log.lines++;
    const reading = readRunLogLine(line);
    if (!reading.ok) {
      log.problems.push({ file: path, line: lineNumber, reason: reading.problem });
      continue;
    }
    const record = reading.record;
    switch (record.type) {
      case 'run_start':
        if (log.start === null) log.start = record;
        else if (record.run_id !== log.start.run_id) log.warnings.push(`line ${lineNumber}: a run_start of another run (${record.run_id}); one log holds one run, so this reader follows ${log.start.run_id}`);
        break;
      case 'run_end':
        log.end = record;
        break;
      case 'run_resume':
        if (log.start !== null && record.run_id !== log.start.run_id) log.warnings.push(`line ${lineNumber}: a run_resume of run ${record.run_id}, not ${log.start.run_id}; left out of this run`);
        else log.resumes.push(record);
        break;
      case 'step': {
        if (log.start !== null && record.run_id !== log.start.run_id) {
          log.warnings.push(`line ${lineNumber}: a step of run ${record.run_id}, not ${log.start.run_id}; left out of this run`);
          break;
        }
        addTokens(log.spent.tokens, record.tokens);
        log.spent.costUsd += record.cost_usd ?? 0;
        const key = stepKey(record);
        const at = latest.get(key);
        if (at === undefined) {
          latest.set(key, log.steps.length);
          log.steps.push(record);
        } else {
          log.steps[at] = record;
          log.superseded++;
        }
        break;
      }
    }
  }
  if (log.start === null && log.lines > 0) log.warnings.push('no run_start record: the lane and suite of this run are unknown');
  return log;
}

/** The validated run_start on a log's first line, read without reading the rest; null when it is not one. */
export async function readRunStart(path: string): Promise<RunStartRecord | null> {
  for await (const line of openLogLines(path)) {
    const reading = readRunLogLine(line);
    return reading.ok && reading.record.type === 'run_start' ? reading.record : null;
  }
  return null;
}

/** The settings a run last sent with: its latest run_resume's, else its run_start's. */
export function currentSettings(log: RunLog & { start: RunStartRecord }): Record<string, unknown> {
  return log.resumes.at(-1)?.settings ?? log.start.settings;
}

/**
 * Keys of steps already done (latest record ok, abstain, or an error charged to the model): a resumed run skips
 * exactly these. A model failure is a final answer worth 0; sending it again would give the lane another draw.
 */
export function completedStepKeys(log: RunLog): Set<string> {
  return new Set(log.steps.filter((s) => s.status !== 'error' || stepCharge(s) === 'model').map(stepKey));
}
