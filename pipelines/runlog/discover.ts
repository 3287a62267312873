import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { PLAIN_COMMAND, type CommandRenderer } from '../../lib/commandHint.ts';
import { CliError } from '../../lib/errors.ts';
import { openLogLines } from './reader.ts';

/** A run log's name. A dry-run dump of earlier versions (`<id>.dry-run.jsonl`, beside the logs) is not one. */
const RUN_LOG_NAME = /^(?!.*\.dry-run\.jsonl$).*\.jsonl(\.gz)?$/;

/**
 * Where `--dry-run` writes a run's request bodies: under a `_`-prefixed folder, which listRunLogFiles never enters,
 * so aggregate, status and resume can never take a dump for a log.
 */
export function dryRunDumpPath(runsDir: string, stage: string, runId: string): string {
  return join(runsDir, '_dry-run', stage, `${runId}.jsonl`);
}

/** Every run log (`*.jsonl`, `*.jsonl.gz`) under `runsDir`, skipping `_`- and `.`-prefixed folders, sorted. */
export async function listRunLogFiles(runsDir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && RUN_LOG_NAME.test(entry.name)) found.push(path);
    }
  };
  await walk(runsDir);
  return found.sort();
}

/** The logs of one run id under `runsDir` (`<id>.jsonl`, or `<id>.jsonl.gz` once archived). */
export async function findRunLogs(runsDir: string, runId: string): Promise<string[]> {
  const names = new Set([`${runId}.jsonl`, `${runId}.jsonl.gz`]);
  return (await listRunLogFiles(runsDir)).filter((path) => names.has(basename(path)));
}

/**
 * The one log of `runId` in any stage, plain or archived, or null when there is none; several logs sharing the id
 * are an error naming them (`again`: what the user runs again once one is kept, e.g. 'the sweep').
 */
export async function findOnlyRunLog(runsDir: string, runId: string, again: string): Promise<string | null> {
  const paths = await findRunLogs(runsDir, runId);
  if (paths.length > 1) throw new CliError(`${paths.length} logs have run id ${runId}: ${paths.join(', ')}`, { hint: `keep one of them (move the others out of the runs folder), then run ${again} again` });
  return paths[0] ?? null;
}

/** Why a run whose log is compressed cannot go on (`why`: what is left to do in it), and the fix. */
export function compressedRunError(runId: string, path: string, why: string, again: string): CliError {
  return new CliError(`run ${runId} ${why}, but its log is compressed (${path}) and a run continues only in a plain .jsonl log`, {
    hint: `decompress it in place ('gunzip ${path}'), then run ${again} again`,
  });
}

/** A run log's path rather than a run id: it names a log file that exists. */
function isLogPath(idOrPath: string): boolean {
  return /\.jsonl(\.gz)?$/.test(idOrPath) && existsSync(idOrPath);
}

/**
 * The one log a run id (or a log's path) names, in any stage; a CliError when there is none, or when two logs
 * share the id (run ids are unique, but logs copied between folders can repeat one): then the user picks by path,
 * e.g. with the command `rerun` (its arguments before the path) rendered by `command`.
 * `appendable` keeps only plain `.jsonl` logs, which a resume can append to.
 */
export async function requireRunLog(
  runsDir: string,
  idOrPath: string,
  { appendable = true, rerun, command = PLAIN_COMMAND }: { appendable?: boolean; rerun?: readonly string[]; command?: CommandRenderer } = {},
): Promise<string> {
  if (isLogPath(idOrPath) && (!appendable || idOrPath.endsWith('.jsonl'))) return idOrPath;
  const matches = (await findRunLogs(runsDir, idOrPath)).filter((path) => !appendable || path.endsWith('.jsonl'));
  if (matches.length === 0) throw new CliError(`no run log for run ${idOrPath} under ${runsDir}`, { hint: `check the run id and --runs-dir (see '${command(['sql', 'catalog'])}')` });
  if (matches.length > 1) {
    throw new CliError(`${matches.length} logs have run id ${idOrPath}: ${matches.join(', ')}`, { hint: `pass the path of the one you mean${rerun === undefined ? '' : `, e.g. '${command([...rerun, matches[0]])}'`}` });
  }
  return matches[0];
}

/** Refuses a new run's id when a log (plain or archived) with that id exists in any stage: ids name one run. */
export async function assertRunIdFree(runsDir: string, runId: string, command: CommandRenderer = PLAIN_COMMAND): Promise<void> {
  const existing = await findRunLogs(runsDir, runId);
  if (existing.length > 0) {
    throw new CliError(`run id ${runId} is taken: ${existing.join(', ')}`, { hint: `choose another --run-id, or continue that run with '${command(['run', '--resume', runId, '--suite', '…'])}'` });
  }
}

export interface RunHeader {
  path: string;
  run_id: string;
  lane: string;
  stage: string;
  created_at: string;
}

/** Reads only the first line of a log (its run_start); null when it is missing or unreadable. */
export async function readRunHeader(path: string): Promise<RunHeader | null> {
  for await (const line of openLogLines(path)) {
    try {
      const record = JSON.parse(line) as { type?: unknown; run_id?: unknown; lane?: { slug?: unknown }; stage?: unknown; created_at?: unknown };
      if (record.type !== 'run_start' || typeof record.run_id !== 'string' || typeof record.lane?.slug !== 'string') return null;
      return { path, run_id: record.run_id, lane: record.lane.slug, stage: String(record.stage ?? ''), created_at: String(record.created_at ?? '') };
    } catch {
      return null;
    }
  }
  return null;
}

/** How many run logs under `runsDir` reference each lane slug. */
export async function countRunsByLane(runsDir: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const path of await listRunLogFiles(runsDir)) {
    const header = await readRunHeader(path);
    if (header !== null) counts.set(header.lane, (counts.get(header.lane) ?? 0) + 1);
  }
  return counts;
}
