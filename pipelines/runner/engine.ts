import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import { PLAIN_COMMAND, type CommandRenderer } from '../../lib/commandHint.ts';
import { CliError, ExitCode } from '../../lib/errors.ts';
import type { Output } from '../../lib/output.ts';
import type { Lane } from '../../core/lane.ts';
import { flattenDials } from '../../core/lane.ts';
import { assertLaneFollowsRules } from '../lanes/parse.ts';
import { ProviderError, type ProviderAdapter } from '../../core/chat.ts';
import { assertRunIdFree, requireRunLog } from '../runlog/discover.ts';
import { completedStepKeys, currentSettings, readRunLog, type RunLog } from '../runlog/reader.ts';
import { RUN_LOG_SCHEMA, stepKey, type RunEndStatus, type StepRecord, type StepStatus } from '../../core/record.ts';
import { addTokens, emptyTokens, type TokenCounts } from '../../core/tokens.ts';
import { isAccountError } from '../../core/errorKinds.ts';
import { RunLogWriter } from '../runlog/writer.ts';
import type { Suite, SuiteItem } from '../suites/types.ts';
import type { StepOutcome, Task, TaskContext } from '../tasks/task.ts';
import { CostBudget } from './budget.ts';
import { CacheAwareQueue } from './cacheAwareQueue.ts';
import { dryRun } from './dryRun.ts';
import { assertLaneFitsLimits, findLimit, limitBucketKey, type LimitRow, type LimitsTable } from './limits.ts';
import { RUN_DEFAULTS, flagOfRecordedSetting, recordSettings, settingOverrides, type RunSettings, type SettingOverride } from './runSettings.ts';
import { LimiterRegistry } from './limiterRegistry.ts';
import { groupSteps, planRun, withStepSeed, type PlannedStep } from './plan.ts';
import { findPrice, type PriceTable } from './pricing.ts';
import { ProgressReporter, type ProgressState } from './progress.ts';
import { currentProvenance } from '../../core/provenance.ts';
import { newRunId } from './runId.ts';
import { assertLaneCanSend } from './preflight.ts';
import { RequestGate, StepAbandoned, StepUsage, asProviderError, isFailureStop } from './requestGate.ts';
import { CircuitBreaker, unreachableError } from './circuitBreaker.ts';

export interface RunLaneOptions {
  lane: Lane;
  suite: Suite;
  task: Task;
  settings: RunSettings;
  runsDir: string;
  runId?: string;
  /** Append to the existing log of `runId`, skipping steps already ok or abstained. */
  resume?: boolean;
  /** The log a resume appends to, when the caller has already picked it (default: the one log of `runId`). */
  logPath?: string;
  /** That log, when the caller has already read it (it is read once). */
  log?: RunLog;
  createdBy?: string;
  notes?: string;
  output: Output;
  signal?: AbortSignal;
  /** Write the exact request bodies (redacted) next to where the log would go; send nothing. */
  dryRun?: boolean;
  /** A subset of the suite's items to run. */
  items?: SuiteItem[];
  adapter: ProviderAdapter;
  /** The run's environment: its secret values are kept out of the log and dry-run dumps; USER names who ran it. */
  env: NodeJS.ProcessEnv;
  /** The rate-limits table the run is sent under (settings.limitsFile, read); none: no limits. */
  limits?: LimitsTable;
  /** Where the (provider, model) limiters come from: runs given the same registry share them. Default: the run's own. */
  limiters?: LimiterRegistry;
  /** Renders the commands hints suggest as the user runs audition (default `audition …`). */
  command?: CommandRenderer;
  prices?: PriceTable;
  /** How long in-flight steps may finish after a stop before they are abandoned. */
  graceMs?: number;
}

export interface RunResult {
  runId: string;
  path: string;
  status: RunEndStatus;
  counts: Record<StepStatus, number>;
  costUsd: number;
  /** False when the lane's model has no price: `costUsd` then says nothing (shown as n/a, never $0). */
  priced: boolean;
  tokens: TokenCounts;
  /** Why the run stopped early, if it did. */
  stoppedBy?: 'max-cost' | 'signal';
  /** Set when the run completed every step but too many ended in errors: it is marked failed, not completed. */
  errorRate?: { share: number; max: number };
}

/** The share of a finished run's steps that ended in errors, when it is above `max` (all errors always is); else null. */
export function excessErrorShare(counts: Record<StepStatus, number>, max: number): number | null {
  const total = counts.ok + counts.abstain + counts.error;
  if (total === 0 || counts.error === 0) return null;
  const share = counts.error / total;
  return share > max || counts.error === total ? share : null;
}

/** What a user does about a `quota` failure, which no retry cures. */
const QUOTA_FIX = "check the provider account's plan and billing (credits, spend limits)";

/** The limiter of a lane's (endpoint, model, key) bucket under its limits row, if any (adaptive even without one). */
function limiterOf(limits: readonly LimitRow[] | undefined, limiters: LimiterRegistry, lane: Lane) {
  return limiters.limiterOf(limitBucketKey(lane), limits === undefined ? null : findLimit(limits, lane));
}

/** What a resume prints about the settings it changed: one line each, naming the flag. */
function describeOverrides(overrides: Record<string, SettingOverride>, limitsFile: string | undefined): string[] {
  return Object.entries(overrides).map(([name, { from, to }]) => {
    if (name === 'limits_sha256') return `the limits table ${limitsFile ?? ''} changed since the run last sent (sha256 ${String(from).slice(0, 12)}… → ${String(to).slice(0, 12)}…); its current rows apply`;
    return `${flagOfRecordedSetting(name) ?? name}: ${JSON.stringify(from)} → ${JSON.stringify(to)} for this resume (the run recorded ${JSON.stringify(from)})`;
  });
}

/** Runs one lane over a suite and writes one run log (contract v2). */
export async function runLane(options: RunLaneOptions): Promise<RunResult> {
  const { lane, suite, task, settings, output } = options;
  const command = options.command ?? PLAIN_COMMAND;
  const maxErrorRate = settings.maxErrorRate ?? RUN_DEFAULTS.maxErrorRate;
  let errorShare: number | null = null;
  if (!lane.active) throw new CliError(`lane ${lane.slug} is not active (it may not run new generations)`, { hint: `'${command(['lanes', 'enable', lane.slug])}' to run it again` });
  assertLaneFollowsRules(lane, { field: `lane ${lane.slug}` });

  assertLaneFitsLimits(lane, options.limits?.rows, options.limits?.file ?? 'the limits table', command);
  const planned = planRun(options.items ?? suite.items, task, settings);
  if (planned.length === 0) throw new CliError(`suite ${suite.path} has no items the ${task.kind} task can run`, { hint: 'check the item kinds in the suite (mcq / prompt)' });

  const runId = options.runId ?? newRunId(lane.slug);
  if (options.dryRun === true) return dryRun(options, runId, planned);
  assertLaneCanSend(lane, options.adapter);

  const counts: Record<StepStatus, number> = { ok: 0, abstain: 0, error: 0 };
  const totals = emptyTokens();
  const budget = new CostBudget(settings.maxCostUsd);
  let path = join(options.runsDir, settings.stage, `${runId}.jsonl`);
  let todo = planned;
  let writer: RunLogWriter;
  const priorErrors = new Set<string>();
  const recorded = recordSettings(settings, options.limits?.sha256 ?? null);
  if (options.resume === true) {
    path = options.logPath ?? options.log?.path ?? await requireRunLog(options.runsDir, runId, { command });
    const log = options.log ?? await readRunLog(path);
    if (log.start === null) throw new CliError(`run log ${path} has no readable run_start; it cannot be resumed`);
    if (log.start.lane.slug !== lane.slug) throw new CliError(`run ${runId} belongs to lane ${log.start.lane.slug}, not ${lane.slug}`);
    if (log.start.suite.sha256 !== suite.sha256) {
      throw new CliError(`the suite ${suite.path} changed since run ${runId} started (sha256 ${log.start.suite.sha256.slice(0, 12)}… → ${suite.sha256.slice(0, 12)}…)`, { hint: 'restore the suite file the run started with, or start a new run' });
    }
    const done = completedStepKeys(log);
    todo = planned.filter((s) => !done.has(stepKey({ item_id: s.item.id, replicate: s.replicate })));
    for (const step of log.steps) {
      counts[step.status]++;
      if (step.status === 'error' && !done.has(stepKey(step))) priorErrors.add(stepKey(step));
    }
    addTokens(totals, log.spent.tokens);
    budget.addSpent(log.spent.costUsd);
    const overrides = settingOverrides(currentSettings({ ...log, start: log.start }), recorded);
    writer = RunLogWriter.append(path, options.env);
    writer.write({
      type: 'run_resume', run_id: runId, resumed_at: new Date().toISOString(), resumed_by: options.createdBy ?? options.env['USER'] ?? 'unknown',
      settings: recorded, overrides, spent_usd: log.spent.costUsd, provenance: currentProvenance(),
    });
    output.info(`resuming run ${runId}: ${planned.length - todo.length} of ${planned.length} steps already done, ${priorErrors.size} errors to retry${settings.maxCostUsd === undefined ? '' : `; $${log.spent.costUsd.toFixed(4)} of its --max-cost ${settings.maxCostUsd} spent`}`);
    for (const line of describeOverrides(overrides, options.limits?.file)) output.info(line);
  } else {
    await assertRunIdFree(options.runsDir, runId, command);
    writer = RunLogWriter.create(path, options.env);
    writer.write({
      type: 'run_start', schema: RUN_LOG_SCHEMA, run_id: runId, created_at: new Date().toISOString(), created_by: options.createdBy ?? options.env['USER'] ?? 'unknown',
      notes: options.notes ?? '', stage: settings.stage, lane, suite: { name: suite.name, path: suite.path, sha256: suite.sha256, n_items: suite.items.length },
      settings: recorded,
      provenance: currentProvenance(),
    });
  }

  const price = options.prices === undefined ? null : findPrice(options.prices, lane);
  if (options.prices !== undefined && price === null) output.warn(`no price for model ${lane.model} in the price table; cost_usd will be null and --max-cost cannot apply`);
  const breaker = new CircuitBreaker(() => {
    gate.stop('unreachable');
    gate.abandon();
  });
  const gate = new RequestGate({
    lane, adapter: breaker.watch(options.adapter), price, budget, limiter: limiterOf(options.limits?.rows, options.limiters ?? new LimiterRegistry(), lane),
    maxRetries: settings.maxRetries, timeoutMs: settings.timeoutMs, cacheAware: settings.cacheAware !== false, output,
  });
  // every in-flight request and limiter wait listens on it; hundreds may at once
  setMaxListeners(0, gate.signal);
  const dials = flattenDials(lane.dials);
  const progress = new ProgressReporter(output, lane.slug);
  const doneBefore = planned.length - todo.length;
  const onAbort = (): void => {
    gate.stop('signal');
    setTimeout(() => gate.abandon(), options.graceMs ?? 5000).unref();
  };
  if (options.signal?.aborted === true) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const runStep = async (step: PlannedStep): Promise<StepRecord | null> => {
    const usage = new StepUsage(price !== null);
    const startedAt = new Date().toISOString();
    const label = `${lane.slug} ${step.item.id}#${step.replicate}`;
    const context: TaskContext = { lane, settings: settings.task, complete: (request) => gate.send(withStepSeed(request, step.seed), usage, label), signal: gate.signal, seed: settings.seed };
    let outcome: StepOutcome;
    try {
      outcome = await task.runStep(step.item, step.replicate, context);
    } catch (error) {
      if (error instanceof StepAbandoned) return null;
      const failure = asProviderError(error);
      if (!(error instanceof ProviderError)) output.debug(`${label}: ${error instanceof Error ? error.stack : String(error)}`);
      outcome = { status: 'error', evaluation: null, response: null, error: { kind: failure.kind, message: failure.message, http_status: failure.httpStatus } };
    }
    const record: StepRecord = {
      type: 'step', run_id: runId, step_index: step.index, item_id: step.item.id, replicate: step.replicate, cluster: step.item.cluster,
      lane: lane.slug, provider: lane.provider, model: lane.model, dials, status: outcome.status, evaluation: outcome.evaluation,
      response: outcome.response === null ? null : { ...outcome.response, finish_reason: outcome.response.finish_reason ?? usage.finishReason },
      tokens: usage.tokens, timing: { started_at: startedAt, latency_ms: usage.latencyMs, queue_ms: usage.queueMs, ttft_ms: usage.ttftMs }, attempts: usage.attempts, cost_usd: usage.costUsd,
      error: outcome.error, batch: null,
    };
    if (outcome.context !== undefined) record.context = outcome.context;
    if (outcome.task !== undefined) record.task = outcome.task;
    writer.write(record);
    if (record.error !== null && isAccountError(record.error.kind) && account.failure === null) {
      account.failure = record.error;
      gate.stop(record.error.kind);
    }
    const key = stepKey(record);
    if (priorErrors.delete(key)) counts.error--;
    counts[record.status]++;
    addTokens(totals, usage.tokens);
    progressState.done++;
    if (record.status === 'error') progressState.errors++;
    progressState.costUsd = price === null ? null : budget.spentUsd;
    progress.update(progressState);
    return record;
  };

  const progressState: ProgressState = { done: doneBefore, doneBefore, total: planned.length, errors: 0, costUsd: price === null ? null : budget.spentUsd };
  let verifyFailure: StepRecord['error'] = null;
  // set inside runStep; an object so TypeScript does not narrow it to its initial null
  const account: { failure: StepRecord['error'] } = { failure: null };
  try {
    let queueSteps = todo;
    if (settings.verifyFirst === true && todo.length > 0) {
      const first = await runStep(todo[0]);
      if (first?.error !== null && first?.error !== undefined && first.error.kind !== 'parse') verifyFailure = first.error;
      queueSteps = todo.slice(1);
    }
    if (verifyFailure === null) {
      const queue = new CacheAwareQueue(groupSteps(task, queueSteps, settings.cacheAware !== false));
      const workers = task.sequential === true ? 1 : Math.max(1, settings.concurrency);
      const work = async (): Promise<void> => {
        while (gate.stopped === null) {
          const step = queue.take();
          if (step === null) {
            if (queue.drained) return;
            await queue.changed();
            continue;
          }
          try {
            await runStep(step);
          } finally {
            queue.complete(step);
          }
        }
      };
      await Promise.all(Array.from({ length: workers }, work));
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    progress.finish(progressState);
    const stopping = gate.stopped;
    errorShare = stopping === null && verifyFailure === null ? excessErrorShare(counts, maxErrorRate) : null;
    const status: RunEndStatus = verifyFailure !== null || errorShare !== null || (stopping !== null && isFailureStop(stopping)) ? 'failed' : stopping !== null ? 'interrupted' : 'completed';
    writer.write({
      type: 'run_end', run_id: runId, ended_at: new Date().toISOString(), status, counts: { ...counts }, tokens: totals, cost_usd: budget.spentUsd,
      ...(stopping !== null ? { reason: stopping } : verifyFailure !== null ? { reason: 'verify-first' } : errorShare !== null ? { reason: 'error-rate' } : {}),
    });
    writer.close();
  }
  if (verifyFailure !== null) {
    const failure: NonNullable<StepRecord['error']> = verifyFailure;
    const detail = `${failure.kind}${failure.http_status === null ? '' : ` (HTTP ${failure.http_status})`}: ${failure.message}`;
    throw new CliError(`--verify-first: the first request for lane ${lane.slug} failed with ${detail}; nothing else was sent`, {
      exitCode: isAccountError(failure.kind) || failure.kind === 'invalid_request' ? ExitCode.usage : ExitCode.unexpected,
      hint: failure.kind === 'auth' ? 'check the API key environment variable for this provider' : failure.kind === 'quota' ? QUOTA_FIX : `the run log is ${path}`,
    });
  }
  const resume = command(['run', '--resume', runId, '--suite', suite.path]);
  if (account.failure !== null) {
    const { kind, message } = account.failure;
    throw new CliError(`lane ${lane.slug}: ${message}; the run stopped at its first ${kind === 'quota' ? 'quota or billing' : 'authentication'} failure, since every request would fail alike`, {
      hint: kind === 'quota' ? `${QUOTA_FIX}, then resume: ${resume}` : `set the key, then resume: ${resume}`,
    });
  }
  if (breaker.tripped !== null) throw unreachableError(lane, options.adapter.baseURL(lane), breaker.tripped, resume);
  const stopping = gate.stopped !== null && isFailureStop(gate.stopped) ? null : gate.stopped;
  const result: RunResult = { runId, path, status: stopping !== null ? 'interrupted' : errorShare !== null ? 'failed' : 'completed', counts, costUsd: budget.spentUsd, priced: price !== null, tokens: totals };
  if (stopping !== null) result.stoppedBy = stopping;
  if (errorShare !== null) result.errorRate = { share: errorShare, max: maxErrorRate };
  return result;
}
