import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { CliError } from '../../lib/errors.ts';
import type { Output } from '../../lib/output.ts';
import { listRunLogFiles } from '../runlog/discover.ts';
import { readRunLog } from '../runlog/reader.ts';
import type { RunResult } from './engine.ts';
import { launchRun, type LaunchOptions } from './launch.ts';

export interface SweepOptions extends Omit<LaunchOptions, 'laneSlug' | 'resumeRunId' | 'runId' | 'stage'> {
  lanes: readonly string[];
  stage: string;
  /** How many lanes run at once (each with its own --concurrency). */
  parallel?: number;
}

export interface SweepRun {
  lane: string;
  runId: string;
  /** `skipped`: already completed; `resumed`: a partial run continued; `started`: new. */
  action: 'skipped' | 'resumed' | 'started';
  result: RunResult | null;
  /** Why the run could not go on (e.g. a missing API key); the other lanes still run. */
  error?: string;
}

/**
 * The run id of (stage, lane, suite, run shape): the same sweep run again finds its own runs,
 * skips the completed ones and resumes the partial ones; a change of settings starts new runs.
 */
export function sweepRunId(stage: string, lane: string, suiteSha: string, shape: Record<string, unknown>): string {
  const digest = createHash('sha256').update(JSON.stringify({ suiteSha, shape })).digest('hex').slice(0, 8);
  return `${stage}.${lane}.${digest}`;
}

async function stateOf(runsDir: string, stage: string, runId: string): Promise<'none' | 'completed' | 'partial'> {
  const path = join(runsDir, stage, `${runId}.jsonl`);
  if (!(await listRunLogFiles(runsDir)).includes(path)) return 'none';
  const log = await readRunLog(path);
  return log.end?.status === 'completed' ? 'completed' : 'partial';
}

/** Runs many lanes over one suite, `parallel` lanes at a time; completed runs are skipped, partial ones resumed. */
export async function runSweep(options: SweepOptions, suiteSha: string): Promise<SweepRun[]> {
  const { lanes, output } = options;
  const shape = { replicates: options.replicates ?? 1, seed: options.seed ?? 1, limit: options.limit ?? null, task: options.taskKind ?? null, taskSettings: options.taskSettings };
  const queue = [...lanes];
  const done: SweepRun[] = [];
  const worker = async (): Promise<void> => {
    for (let lane = queue.shift(); lane !== undefined; lane = queue.shift()) {
      if (options.signal?.aborted === true) return;
      const runId = sweepRunId(options.stage, lane, suiteSha, shape);
      const state = await stateOf(options.runsDir, options.stage, runId);
      if (state === 'completed') {
        output.info(`${lane}: run ${runId} already completed; skipped`);
        done.push({ lane, runId, action: 'skipped', result: null });
        continue;
      }
      const action = state === 'partial' ? 'resumed' : 'started';
      let result: RunResult;
      try {
        result = await launchRun({ ...options, laneSlug: lane, ...(state === 'partial' ? { resumeRunId: runId } : { runId }) } as LaunchOptions);
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        output.warn(`${lane}: ${error.message}`);
        done.push({ lane, runId, action, result: null, error: error.message });
        continue;
      }
      done.push({ lane, runId, action, result });
      if (result.stoppedBy !== undefined) return;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.parallel ?? 4) }, worker));
  return done;
}

/** A one-line summary of a sweep for stderr. */
export function describeSweep(runs: readonly SweepRun[], output: Output): void {
  const count = (a: SweepRun['action']): number => runs.filter((r) => r.action === a).length;
  const failed = runs.filter((r) => r.error !== undefined).length;
  output.info(`sweep: ${count('started')} started, ${count('resumed')} resumed, ${count('skipped')} already complete${failed > 0 ? `, ${failed} failed` : ''}`);
}
