import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { CliError } from '../../lib/errors.ts';

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): LockOwner | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
  } catch {
    return null;
  }
}

function isStale(owner: LockOwner | null): boolean {
  return owner === null || (owner.host === hostname() && !isAlive(owner.pid));
}

/**
 * Whether a process may still be writing a log: its lock exists and is not stale. A lock from another host
 * counts as live, since its pid cannot be checked from here.
 */
export function hasLiveWriter(logPath: string): boolean {
  const path = `${logPath}.lock`;
  if (!existsSync(path)) return false;
  return !isStale(readOwner(path));
}

/** An exclusive lock file beside a run log, so two processes can never write the same run. */
export class RunLock {
  private released = false;
  private readonly onExit = (): void => this.release();

  private constructor(readonly path: string) {
    process.once('exit', this.onExit);
  }

  /** Takes the lock or throws a CliError naming the owner; a lock left by a dead process on this host is taken over. */
  static acquire(logPath: string): RunLock {
    const path = `${logPath}.lock`;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() } satisfies LockOwner));
        closeSync(fd);
        return new RunLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = readOwner(path);
        const stale = isStale(owner);
        if (stale && attempt === 0) {
          unlinkSync(path);
          continue;
        }
        throw new CliError(`run log ${logPath} is being written by process ${owner?.pid ?? '?'} on ${owner?.host ?? '?'} since ${owner?.since ?? '?'}`, {
          hint: `wait for that process to finish; if it is gone (e.g. another machine crashed), delete ${path}`,
        });
      }
    }
    throw new CliError(`could not lock ${logPath}`);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    process.removeListener('exit', this.onExit);
    try {
      unlinkSync(this.path);
    } catch {
      // already gone: nothing to release
    }
  }
}
