import { createHash } from 'node:crypto';
import { CliError, type ExitCodeValue } from '../../lib/errors.ts';
import type { Output } from '../../lib/output.ts';
import { compressedRunError, findOnlyRunLog } from '../runlog/discover.ts';
import { completedStepKeys, readRunLog } from '../runlog/reader.ts';
import { stepKey } from '../../core/record.ts';
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
  /** Also resume finished runs (completed, or failed by their error rate) that have error steps, to send those again. */
  retryErrors?: boolean;
}

export interface SweepRun {
  lane: string;
  runId: string;
  /**
   * `skipped`: already finished; `resumed`: a partial run continued; `retried`: a finished run resumed for its error
   * steps (--retry-errors); `started`: new; `not-started`: the sweep stopped (Ctrl-C, --max-cost) before this lane;
   * `refused`: the check before the sweep found the lane cannot send (no key, a bad base URL, a limits row it cannot
   * fit), so it got no log.
   */
  action: 'skipped' | 'resumed' | 'retried' | 'started' | 'not-started' | 'refused';
  result: RunResult | null;
  /** Why the run could not go on (e.g. a missing API key); the other lanes still run. */
  error?: string;
  /** The exit code `audition run` would have ended with for that error: 2 bad input or account, 1 unreachable. */
  errorExitCode?: ExitCodeValue;
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

/** A sweep run's log as found: where it is, whether the run finished, and how many of its steps ended in errors. */
interface FoundRun {
  path: string;
  /** Completed, or failed by its share of error steps: every step was tried; a resume only re-sends error steps. */
  finished: boolean;
  errorSteps: number;
}

/** The log of a sweep run, wherever it is (any stage, plain or `.gz`); null when the run never started. */
async function findSweepRun(runsDir: string, runId: string): Promise<FoundRun | null> {
  const path = await findOnlyRunLog(runsDir, runId, 'the same sweep');
  if (path === null) return null;
  const log = await readRunLog(path);
  const finished = log.end?.status === 'completed' || (log.end?.status === 'failed' && log.end.reason === 'error-rate');
  // a model failure (a parse error) is a final answer: only the error steps a resume sends again count
  const done = completedStepKeys(log);
  return { path, finished, errorSteps: log.steps.filter((s) => s.status === 'error' && !done.has(stepKey(s))).length };
}

/** What a sweep does with one lane's run: start it, skip it, or continue its log (`problem`: why it cannot). */
function planLane(found: FoundRun | null, runId: string, retryErrors: boolean): { action: 'started' | 'skipped' | 'resumed' | 'retried'; note?: string; problem?: CliError } {
  if (found === null) return { action: 'started' };
  const errorSteps = `${found.errorSteps} error step${found.errorSteps === 1 ? '' : 's'}`;
  if (found.finished && (!retryErrors || found.errorSteps === 0)) {
    const errors = found.errorSteps === 0 ? '' : ` (${errorSteps}; --retry-errors sends them again)`;
    return { action: 'skipped', note: `run ${runId} already finished${errors}; skipped` };
  }
  const action = found.finished ? 'retried' : 'resumed';
  if (found.path.endsWith('.gz')) {
    const why = found.finished ? `has ${errorSteps} to retry` : 'is not finished';
    return { action, problem: compressedRunError(runId, found.path, why, 'the same sweep') };
  }
  return found.finished ? { action, note: `run ${runId} finished with ${errorSteps}; sending them again` } : { action };
}

/**
 * Runs many lanes over one suite, `parallel` lanes at a time; finished runs are skipped (or, with `retryErrors`,
 * resumed for their error steps), partial ones resumed. Lanes a stop (Ctrl-C, --max-cost) kept from starting are
 * listed as `not-started`.
 */
export async function runSweep(options: SweepOptions, suite: Suite): Promise<SweepRun[]> {
  const { lanes, output } = options;
  const identity = sweepIdentity(resolveRunSettings(options, suite));
  const runIdOf = (lane: string): string => sweepRunId(options.stage, lane, suite.sha256, identity);
  const done: SweepRun[] = [];
  // lanes that cannot send are reported now, get no run log, and do not hold up the others (a finished run needs no sending)
  for (const [lane, error] of await findLanesThatCannotSend(options)) {
    const runId = runIdOf(lane);
    const plan = planLane(await findSweepRun(options.runsDir, runId).catch(() => null), runId, options.retryErrors === true);
    if (plan.action === 'skipped') continue;
    output.warn(`${lane}: ${describeRefusal(error)}`);
    done.push({ lane, runId, action: 'refused', result: null, error: error.message, errorExitCode: error.exitCode });
  }
  const queue = lanes.filter((lane) => !done.some((run) => run.lane === lane));
  let stopped = false;
  const worker = async (): Promise<void> => {
    while (!stopped && options.signal?.aborted !== true) {
      const lane = queue.shift();
      if (lane === undefined) return;
      const runId = runIdOf(lane);
      let action: SweepRun['action'] = 'started';
      let result: RunResult;
      try {
        const found = await findSweepRun(options.runsDir, runId);
        const plan = planLane(found, runId, options.retryErrors === true);
        action = plan.action;
        if (plan.note !== undefined) output.info(`${lane}: ${plan.note}`);
        if (plan.problem !== undefined) throw plan.problem;
        if (action === 'skipped') {
          done.push({ lane, runId, action, result: null });
          continue;
        }
        result = await launchRun({ ...options, laneSlug: lane, ...(found === null ? { runId } : { resumeRunId: found.path }) } as LaunchOptions);
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        output.warn(`${lane}: ${error.message}${error.hint === undefined ? '' : ` (${error.hint})`}`);
        done.push({ lane, runId, action, result: null, error: error.message, errorExitCode: error.exitCode });
        continue;
      }
      done.push({ lane, runId, action, result });
      if (result.stoppedBy !== undefined) stopped = true;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.parallel ?? SWEEP_DEFAULTS.parallel) }, worker));
  return [...done, ...queue.map((lane): SweepRun => ({ lane, runId: runIdOf(lane), action: 'not-started', result: null }))];
}

/**
 * A summary of a sweep for stderr: counts by action, the runs failed by their error rate, and after a stop the lanes
 * stopped mid-run and the ones never started, with `resumeCommand` (the same sweep again) to finish them.
 */
export function describeSweep(runs: readonly SweepRun[], output: Output, resumeCommand?: string): void {
  const count = (a: SweepRun['action']): number => runs.filter((r) => r.action === a).length;
  const failed = runs.filter((r) => r.error !== undefined && r.action !== 'refused').length;
  const parts = [`${count('started')} started`, `${count('resumed')} resumed`, `${count('retried')} retried for their error steps`, `${count('skipped')} already complete`];
  if (failed > 0) parts.push(`${failed} failed`);
  if (count('refused') > 0) parts.push(`${count('refused')} could not send (each named above with its fix)`);
  if (count('not-started') > 0) parts.push(`${count('not-started')} not started`);
  output.info(`sweep: ${parts.join(', ')}`);
  for (const r of runs) {
    const rate = r.result?.errorRate;
    if (rate !== undefined) output.warn(`lane ${r.lane}: ${(100 * rate.share).toFixed(1)}% of its steps ended in errors (above --max-error-rate ${rate.max}); run ${r.runId} is marked failed`);
  }
  const stopped = runs.filter((r) => r.result?.stoppedBy !== undefined);
  const unstarted = runs.filter((r) => r.action === 'not-started');
  if (stopped.length === 0 && unstarted.length === 0) return;
  for (const r of stopped) output.info(`${r.result?.stoppedBy === 'signal' ? 'interrupted' : 'stopped by --max-cost'} mid-run: ${r.lane} (run ${r.runId})`);
  if (unstarted.length > 0) output.info(`never started: ${unstarted.map((r) => r.lane).join(', ')}`);
  if (resumeCommand !== undefined) output.info(`resume the whole sweep with: ${resumeCommand}`);
}
