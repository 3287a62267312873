import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { CliError } from '../../lib/errors.ts';
import type { Output } from '../../lib/output.ts';
import { listRunLogFiles } from '../runlog/discover.ts';
import { readRunLog } from '../runlog/reader.ts';
import type { Suite } from '../suites/types.ts';
import type { RunResult } from './engine.ts';
import { launchRun, type LaunchOptions } from './launch.ts';
import { describeRefusal, findLanesThatCannotSend } from './preflight.ts';
import { resolveRunSettings, type RunSettings } from './runSettings.ts';

/** Sweep-only defaults (a run's own come from RUN_DEFAULTS). */
export const SWEEP_DEFAULTS = { parallel: 4 } as const;

export interface SweepOptions extends Omit<LaunchOptions, 'laneSlug' | 'resumeRunId' | 'runId' | 'stage'> {
  lanes: readonly string[];
  stage: string;
  /** How many lanes run at once (each with its own --concurrency); SWEEP_DEFAULTS.parallel when unset. */
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
 * What makes two sweep runs the same run: the resolved settings that change what is asked and
 * how it is scored, listed here on purpose. Defaults are resolved first, so a changed default
 * changes the ids (new runs) instead of skipping runs made under the old one; how a run is
 * executed (concurrency, retries, timeout, cost cap) is not part of it.
 */
export function sweepIdentity(settings: RunSettings): Record<string, unknown> {
  const task = Object.fromEntries(Object.entries(settings.task).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { replicates: settings.replicates, seed: settings.seed, limit: settings.limit ?? null, task };
}

/**
 * The run id of (stage, lane, suite, identity): the same sweep run again finds its own runs,
 * skips the completed ones and resumes the partial ones; a change of settings starts new runs.
 */
export function sweepRunId(stage: string, lane: string, suiteSha: string, identity: Record<string, unknown>): string {
  const digest = createHash('sha256').update(JSON.stringify({ suiteSha, identity })).digest('hex').slice(0, 8);
  return `${stage}.${lane}.${digest}`;
}

async function stateOf(runsDir: string, stage: string, runId: string): Promise<'none' | 'completed' | 'partial'> {
  const path = join(runsDir, stage, `${runId}.jsonl`);
  if (!(await listRunLogFiles(runsDir)).includes(path)) return 'none';
  const log = await readRunLog(path);
  return log.end?.status === 'completed' ? 'completed' : 'partial';
}

/** Runs many lanes over one suite, `parallel` lanes at a time; completed runs are skipped, partial ones resumed. */
export async function runSweep(options: SweepOptions, suite: Suite): Promise<SweepRun[]> {
  const { lanes, output } = options;
  const identity = sweepIdentity(resolveRunSettings(options, suite));
  const done: SweepRun[] = [];
  // lanes that cannot send are reported now, get no run log, and do not hold up the others
  for (const [lane, error] of await findLanesThatCannotSend(options)) {
    const runId = sweepRunId(options.stage, lane, suite.sha256, identity);
    const state = await stateOf(options.runsDir, options.stage, runId);
    if (state === 'completed') continue;
    output.warn(`${lane}: ${describeRefusal(error)}`);
    done.push({ lane, runId, action: state === 'partial' ? 'resumed' : 'started', result: null, error: error.message });
  }
  const queue = lanes.filter((lane) => !done.some((run) => run.lane === lane));
  const worker = async (): Promise<void> => {
    for (let lane = queue.shift(); lane !== undefined; lane = queue.shift()) {
      if (options.signal?.aborted === true) return;
      const runId = sweepRunId(options.stage, lane, suite.sha256, identity);
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
  await Promise.all(Array.from({ length: Math.max(1, options.parallel ?? SWEEP_DEFAULTS.parallel) }, worker));
  return done;
}

/** A one-line summary of a sweep for stderr. */
export function describeSweep(runs: readonly SweepRun[], output: Output): void {
  const count = (a: SweepRun['action']): number => runs.filter((r) => r.action === a).length;
  const failed = runs.filter((r) => r.error !== undefined).length;
  output.info(`sweep: ${count('started')} started, ${count('resumed')} resumed, ${count('skipped')} already complete${failed > 0 ? `, ${failed} failed` : ''}`);
  for (const r of runs) {
    const rate = r.result?.errorRate;
    if (rate !== undefined) output.warn(`lane ${r.lane}: ${(100 * rate.share).toFixed(1)}% of its steps ended in errors (above --max-error-rate ${rate.max}); run ${r.runId} is marked failed`);
  }
}
