import { closeSync, fdatasyncSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { CliError } from '../../lib/errors.ts';
import { redactText, secretValues } from '../../lib/secrets.ts';
import { RunLock } from './lock.ts';
import { findRecordProblem, type RunLogRecord } from '../../core/record.ts';

/** How often buffered data is forced to disk; each record is written to the OS at once regardless. */
const SYNC_INTERVAL_MS = 1000;

/**
 * Appends run-log records, one JSON line each, written to the OS as each record
 * completes (a killed process loses at most the record in flight), under an
 * exclusive lock.
 */
export class RunLogWriter {
  private fd: number | null;
  private lastSync = Date.now();
  private readonly secrets: readonly string[];

  private constructor(readonly path: string, fd: number, private readonly lock: RunLock, env: NodeJS.ProcessEnv) {
    this.fd = fd;
    this.secrets = secretValues(env);
  }

  /** Starts a new log; fails if one exists at `path`. The secret values of `env` (the run's environment) never reach it. */
  static create(path: string, env: NodeJS.ProcessEnv): RunLogWriter {
    mkdirSync(dirname(path), { recursive: true });
    const lock = RunLock.acquire(path);
    try {
      return new RunLogWriter(path, openSync(path, 'wx'), lock, env);
    } catch (error) {
      lock.release();
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new CliError(`run log ${path} already exists`, { hint: 'resume it with --resume RUN_ID, or choose another run id' });
      }
      throw error;
    }
  }

  /** Reopens an existing log for appending (a resumed run); a truncated last line is left as it is and closed off. */
  static append(path: string, env: NodeJS.ProcessEnv): RunLogWriter {
    const lock = RunLock.acquire(path);
    try {
      const fd = openSync(path, 'a+');
      const writer = new RunLogWriter(path, fd, lock, env);
      if (!endsWithNewline(fd)) writeSync(fd, '\n');
      return writer;
    } catch (error) {
      lock.release();
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CliError(`run log ${path} does not exist`, { hint: 'check the run id' });
      throw error;
    }
  }

  /** Appends one record; the secrets of the writer's environment never reach the file. */
  write(record: RunLogRecord): void {
    if (this.fd === null) throw new Error(`run log ${this.path} is closed`);
    const problem = findRecordProblem(record);
    if (problem !== null) throw new Error(`refusing to write a record every reader would quarantine (${problem}) to ${this.path}`);
    let line = JSON.stringify(record);
    if (this.secrets.length > 0 || line.includes('sk-') || line.includes('Bearer')) line = redactText(line, this.secrets);
    writeSync(this.fd, line + '\n');
    const now = Date.now();
    if (now - this.lastSync >= SYNC_INTERVAL_MS) {
      fdatasyncSync(this.fd);
      this.lastSync = now;
    }
  }

  /** Forces everything to disk, closes the file and releases the lock. */
  close(): void {
    if (this.fd === null) return;
    try {
      fdatasyncSync(this.fd);
      closeSync(this.fd);
    } finally {
      this.fd = null;
      this.lock.release();
    }
  }
}

function endsWithNewline(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] === 0x0a;
}
