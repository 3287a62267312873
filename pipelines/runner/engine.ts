import { setMaxListeners } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CliError, ExitCode } from '../../lib/errors.ts';
import type { Output } from '../../lib/output.ts';
import { redactValue } from '../../lib/secrets.ts';
import type { Lane } from '../lanes/lane.ts';
import { flattenDials } from '../lanes/lane.ts';
import { assertLaneFollowsRules } from '../lanes/parse.ts';
import { ProviderError, type ChatRequest, type ChatResponse, type ProviderAdapter } from '../providers/provider.ts';
import { listRunLogFiles } from '../runlog/discover.ts';
import { completedStepKeys, readRunLog } from '../runlog/reader.ts';
import { RUN_LOG_SCHEMA, emptyTokens, stepKey, type RunEndStatus, type StepRecord, type StepStatus, type TokenCounts } from '../runlog/types.ts';
import { RunLogWriter } from '../runlog/writer.ts';
import type { Suite, SuiteItem } from '../suites/types.ts';
import type { StepOutcome, Task, TaskContext } from '../tasks/task.ts';
import { backoffDelayMs } from './backoff.ts';
import { CostBudget } from './budget.ts';
import { CacheAwareQueue } from './cacheAwareQueue.ts';
import { findLimit, type LimitRow } from './limits.ts';
import { limiterFor } from './limiterRegistry.ts';
import { costOf, findPrice, type ModelPrice, type PriceTable } from './pricing.ts';
import { ProgressReporter } from './progress.ts';
import { currentProvenance, newRunId } from './provenance.ts';
import { estimatePromptTokens } from './tokens.ts';

export interface RunSettings {
  replicates: number;
  seed: number;
  stage: string;
  /** Run only the first N items. */
  limit?: number;
  concurrency: number;
  maxRetries: number;
  timeoutMs: number;
  maxCostUsd?: number;
  /** Task settings (output of parseTaskSettings), including `kind`. */
  task: Record<string, unknown>;
}

export interface RunLaneOptions {
  lane: Lane;
  suite: Suite;
  task: Task;
  settings: RunSettings;
  runsDir: string;
  runId?: string;
  /** Append to the existing log of `runId`, skipping steps already ok or abstained. */
  resume?: boolean;
  createdBy?: string;
  notes?: string;
  output: Output;
  signal?: AbortSignal;
  /** Write the exact request bodies (redacted) next to where the log would go; send nothing. */
  dryRun?: boolean;
  /** Send one step first; if it fails, stop before anything else is sent. */
  verifyFirst?: boolean;
  /** A subset of the suite's items to run. */
  items?: SuiteItem[];
  adapter: ProviderAdapter;
  limits?: readonly LimitRow[];
  prices?: PriceTable;
  /** How long in-flight steps may finish after a stop before they are abandoned. */
  graceMs?: number;
  /** false (--no-cache): no warm-up ordering and no cache markers on requests. */
  cacheAware?: boolean;
}

export interface RunResult {
  runId: string;
  path: string;
  status: RunEndStatus;
  counts: Record<StepStatus, number>;
  costUsd: number;
  tokens: TokenCounts;
  /** Why the run stopped early, if it did. */
  stoppedBy?: 'max-cost' | 'signal';
}

interface PlannedStep {
  item: SuiteItem;
  replicate: number;
  index: number;
}

/** A Retry-After longer than this means a quota, not a burst: the step fails instead of sleeping for hours. */
const MAX_RETRY_AFTER_MS = 5 * 60_000;

/** Thrown inside a step when the run is stopping; the step is abandoned, not logged, and runs again on resume. */
class StepAbandoned extends Error {}
/** Thrown by the dry-run context once a step's first request is recorded. */
class DryRunRecorded extends Error {}

function addTokens(into: TokenCounts, add: TokenCounts): void {
  into.prompt += add.prompt;
  into.completion += add.completion;
  into.cached_read += add.cached_read;
  into.cache_write += add.cache_write;
  into.reasoning += add.reasoning;
}

/** A per-step seed derived from the run seed and the step index (the lane's own seed dial wins in adapters). */
function stepSeed(runSeed: number, index: number): number {
  let h = (runSeed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ index, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

function planSteps(items: SuiteItem[], replicates: number): PlannedStep[] {
  const steps: PlannedStep[] = [];
  items.forEach((item, i) => {
    for (let r = 0; r < replicates; r++) steps.push({ item, replicate: r, index: i * replicates + r });
  });
  return steps;
}

/** Groups steps by the task's context key (warm-up first); sequential tasks get one group, replicate-major. */
function groupSteps(task: Task, steps: PlannedStep[], cacheAware: boolean): PlannedStep[][] {
  if (!cacheAware && task.sequential !== true) return steps.map((s) => [s]);
  if (task.sequential === true) return [[...steps].sort((a, b) => a.replicate - b.replicate || a.index - b.index)];
  const groups = new Map<string, PlannedStep[]>();
  for (const step of steps) {
    const key = task.contextKey(step.item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [step]);
    else group.push(step);
  }
  return [...groups.values()];
}

async function findRunLog(runsDir: string, runId: string): Promise<string> {
  const match = (await listRunLogFiles(runsDir)).find((p) => basename(p) === `${runId}.jsonl`);
  if (match === undefined) throw new CliError(`no run log for run ${runId} under ${runsDir}`, { hint: "list runs with 'audition sql --query catalog' or look under runs/<stage>/" });
  return match;
}

function asProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) return new ProviderError('timeout', message, { cause: error });
  return new ProviderError('unknown', message, { cause: error });
}

/** Runs one lane over a suite and writes one run log (contract v1). */
export async function runLane(options: RunLaneOptions): Promise<RunResult> {
  const { lane, suite, task, settings, output } = options;
  if (!lane.active) throw new CliError(`lane ${lane.slug} is not active (it may not run new generations)`, { hint: `'audition lanes enable ${lane.slug}' to run it again` });
  assertLaneFollowsRules(lane, { field: `lane ${lane.slug}` });

  let items = (options.items ?? suite.items).filter((item) => task.accepts(item));
  if (items.length === 0) throw new CliError(`suite ${suite.path} has no items the ${task.kind} task can run`, { hint: 'check the item kinds in the suite (mcq / prompt)' });
  if (settings.limit !== undefined) items = items.slice(0, settings.limit);
  const planned = planSteps(items, settings.replicates);

  const runId = options.runId ?? newRunId(lane.slug);
  if (options.dryRun === true) return dryRun(options, runId, planned);

  const counts: Record<StepStatus, number> = { ok: 0, abstain: 0, error: 0 };
  const totals = emptyTokens();
  const budget = new CostBudget(settings.maxCostUsd);
  let path = join(options.runsDir, settings.stage, `${runId}.jsonl`);
  let todo = planned;
  let writer: RunLogWriter;
  const priorErrors = new Set<string>();
  if (options.resume === true) {
    path = await findRunLog(options.runsDir, runId);
    const log = await readRunLog(path);
    if (log.start === null) throw new CliError(`run log ${path} has no readable run_start; it cannot be resumed`);
    if (log.start.lane.slug !== lane.slug) throw new CliError(`run ${runId} belongs to lane ${log.start.lane.slug}, not ${lane.slug}`);
    if (log.start.suite.sha256 !== suite.sha256) {
      throw new CliError(`the suite ${suite.path} changed since run ${runId} started (sha256 ${log.start.suite.sha256.slice(0, 12)}… → ${suite.sha256.slice(0, 12)}…)`, { hint: 'restore the suite file the run started with, or start a new run' });
    }
    const done = completedStepKeys(log);
    todo = planned.filter((s) => !done.has(stepKey({ item_id: s.item.id, replicate: s.replicate })));
    for (const step of log.steps) {
      counts[step.status]++;
      addTokens(totals, step.tokens);
      budget.addSpent(step.cost_usd ?? 0);
      if (step.status === 'error') priorErrors.add(stepKey(step));
    }
    writer = RunLogWriter.append(path);
    output.info(`resuming run ${runId}: ${planned.length - todo.length} of ${planned.length} steps already done, ${priorErrors.size} errors to retry`);
  } else {
    writer = RunLogWriter.create(path);
    writer.write({
      type: 'run_start', schema: RUN_LOG_SCHEMA, run_id: runId, created_at: new Date().toISOString(), created_by: options.createdBy ?? process.env['USER'] ?? 'unknown',
      notes: options.notes ?? '', stage: settings.stage, lane, suite: { name: suite.name, path: suite.path, sha256: suite.sha256, n_items: suite.items.length },
      settings: { replicates: settings.replicates, seed: settings.seed, limit: settings.limit ?? null, concurrency: settings.concurrency, max_retries: settings.maxRetries, timeout_ms: settings.timeoutMs, max_cost_usd: settings.maxCostUsd ?? null, task: settings.task },
      provenance: currentProvenance(),
    });
  }

  const price = options.prices === undefined ? null : findPrice(options.prices, lane);
  if (options.prices !== undefined && price === null) output.warn(`no price for model ${lane.model} in the price table; cost_usd will be null and --max-cost cannot apply`);
  const limitRow = options.limits === undefined ? null : findLimit(options.limits, lane);
  const limiter = limitRow === null || (limitRow.requestsPerMinute === undefined && limitRow.tokensPerMinute === undefined) ? null : limiterFor(`${limitRow.provider}|${limitRow.model}`, limitRow);
  const dials = flattenDials(lane.dials);
  const progress = new ProgressReporter(output, lane.slug);
  const doneBefore = planned.length - todo.length;

  let stopping: 'max-cost' | 'signal' | null = null;
  const requests = new AbortController();
  // every in-flight request and limiter wait listens on it; hundreds may at once
  setMaxListeners(0, requests.signal);
  let completionSeen = 0;
  let completionTokens = 0;
  const onAbort = (): void => {
    if (stopping === null) stopping = 'signal';
    setTimeout(() => requests.abort(new StepAbandoned('run stopped')), options.graceMs ?? 5000).unref();
  };
  if (options.signal?.aborted === true) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const stopForBudget = (): void => {
    if (stopping === null) {
      stopping = 'max-cost';
      output.warn(`--max-cost ${settings.maxCostUsd} reached ($${budget.spentUsd.toFixed(4)} spent): stopping before the next request`);
    }
  };

  const runStep = async (step: PlannedStep): Promise<StepRecord | null> => {
    const usage = emptyTokens();
    let attempts = 0;
    let cost: number | null = price === null ? null : 0;
    let latency = 0;
    let queued = 0;
    let ttft: number | null = null;
    let finishReason: string | null = null;
    const startedAt = new Date().toISOString();
    const seed = stepSeed(settings.seed, step.index);
    const complete = async (request: ChatRequest): Promise<ChatResponse> => {
      const promptEstimate = estimatePromptTokens(request);
      const maxOutput = request.maxOutputTokens ?? lane.dials.max_output_tokens ?? 1024;
      const expectedCompletion = completionSeen > 0 ? completionTokens / completionSeen : Math.min(maxOutput, 1024);
      for (let attempt = 1; ; attempt++) {
        if (stopping !== null) throw new StepAbandoned('run stopping');
        const estimate = price === null ? 0 : costOf(price as ModelPrice, { ...emptyTokens(), prompt: promptEstimate, completion: expectedCompletion });
        if (!budget.reserve(estimate)) {
          stopForBudget();
          throw new StepAbandoned('budget');
        }
        const waitStart = Date.now();
        const entry = limiter === null ? null : await limiter.acquire(promptEstimate + maxOutput, requests.signal).catch((error: unknown) => {
          budget.settle(estimate, 0);
          throw error;
        });
        queued += Date.now() - waitStart;
        attempts++;
        const sendStart = Date.now();
        try {
          const sent: ChatRequest = { ...request, seed: request.seed ?? seed };
          if (options.cacheAware === false) delete sent.cachePrefix;
          const response = await options.adapter.send(lane, sent, { signal: requests.signal, timeoutMs: settings.timeoutMs });
          latency += Date.now() - sendStart;
          if (entry !== null) limiter?.settle(entry, response.tokens.prompt + response.tokens.completion);
          const spent = price === null ? 0 : costOf(price, response.tokens);
          budget.settle(estimate, spent);
          if (cost !== null) cost += spent;
          addTokens(usage, response.tokens);
          completionSeen++;
          completionTokens += response.tokens.completion;
          if (ttft === null && response.ttftMs !== null) ttft = response.ttftMs;
          finishReason = response.finishReason;
          return response;
        } catch (error) {
          latency += Date.now() - sendStart;
          budget.settle(estimate, 0);
          if (requests.signal.aborted) throw new StepAbandoned('run stopped');
          const failure = asProviderError(error);
          if (failure.kind === 'rate_limit' && failure.retryAfterMs !== null) limiter?.pauseFor(failure.retryAfterMs);
          if (!failure.retryable || attempt > settings.maxRetries || stopping !== null) throw failure;
          if (failure.retryAfterMs !== null && failure.retryAfterMs > MAX_RETRY_AFTER_MS) {
            throw new ProviderError(failure.kind, `${failure.message} (the provider asked to wait ${Math.round(failure.retryAfterMs / 1000)} s, more than the ${MAX_RETRY_AFTER_MS / 1000} s a run waits; a quota is likely exhausted)`, { httpStatus: failure.httpStatus, retryAfterMs: failure.retryAfterMs });
          }
          const delay = backoffDelayMs(attempt, failure.retryAfterMs);
          output.debug(`${lane.slug} ${step.item.id}#${step.replicate}: ${failure.kind} (${failure.message}); retry ${attempt}/${settings.maxRetries} in ${delay} ms`);
          const backoffStart = Date.now();
          try {
            await sleep(delay, undefined, { signal: requests.signal });
          } catch {
            throw new StepAbandoned('run stopped');
          }
          queued += Date.now() - backoffStart;
        }
      }
    };
    const context: TaskContext = { lane, settings: settings.task, complete, signal: requests.signal, seed: settings.seed };
    let outcome: StepOutcome;
    try {
      outcome = await task.runStep(step.item, step.replicate, context);
    } catch (error) {
      if (error instanceof StepAbandoned) return null;
      const failure = asProviderError(error);
      if (!(error instanceof ProviderError)) output.debug(`${lane.slug} ${step.item.id}#${step.replicate}: ${error instanceof Error ? error.stack : String(error)}`);
      outcome = { status: 'error', evaluation: null, response: null, error: { kind: failure.kind, message: failure.message, http_status: failure.httpStatus } };
    }
    const record: StepRecord = {
      type: 'step', run_id: runId, step_index: step.index, item_id: step.item.id, replicate: step.replicate, cluster: step.item.cluster,
      lane: lane.slug, provider: lane.provider, model: lane.model, dials, status: outcome.status, evaluation: outcome.evaluation,
      response: outcome.response === null ? null : { ...outcome.response, finish_reason: outcome.response.finish_reason ?? finishReason },
      tokens: usage, timing: { started_at: startedAt, latency_ms: latency, queue_ms: queued, ttft_ms: ttft }, attempts, cost_usd: cost,
      error: outcome.error, batch: null,
    };
    if (outcome.context !== undefined) record.context = outcome.context;
    if (outcome.task !== undefined) record.task = outcome.task;
    writer.write(record);
    const key = stepKey(record);
    if (priorErrors.delete(key)) counts.error--;
    counts[record.status]++;
    addTokens(totals, usage);
    progressState.done++;
    if (record.status === 'error') progressState.errors++;
    progressState.costUsd = budget.spentUsd;
    progress.update(progressState);
    return record;
  };

  const progressState = { done: doneBefore, total: planned.length, errors: 0, costUsd: budget.spentUsd };
  let verifyFailure: StepRecord['error'] = null;
  try {
    let queueSteps = todo;
    if (options.verifyFirst === true && todo.length > 0) {
      const first = await runStep(todo[0]);
      if (first?.error !== null && first?.error !== undefined && first.error.kind !== 'parse') verifyFailure = first.error;
      queueSteps = todo.slice(1);
    }
    if (verifyFailure === null) {
      const queue = new CacheAwareQueue(groupSteps(task, queueSteps, options.cacheAware !== false));
      const workers = task.sequential === true ? 1 : Math.max(1, settings.concurrency);
      const work = async (): Promise<void> => {
        while (stopping === null) {
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
    const status: RunEndStatus = verifyFailure !== null ? 'failed' : stopping !== null ? 'interrupted' : 'completed';
    writer.write({
      type: 'run_end', run_id: runId, ended_at: new Date().toISOString(), status, counts: { ...counts }, tokens: totals, cost_usd: budget.spentUsd,
      ...(stopping !== null ? { reason: stopping } : verifyFailure !== null ? { reason: 'verify-first' } : {}),
    });
    writer.close();
  }
  if (verifyFailure !== null) {
    const failure: NonNullable<StepRecord['error']> = verifyFailure;
    const detail = `${failure.kind}${failure.http_status === null ? '' : ` (HTTP ${failure.http_status})`}: ${failure.message}`;
    throw new CliError(`--verify-first: the first request for lane ${lane.slug} failed with ${detail}; nothing else was sent`, {
      exitCode: failure.kind === 'auth' || failure.kind === 'invalid_request' ? ExitCode.usage : ExitCode.unexpected,
      hint: failure.kind === 'auth' ? 'check the API key environment variable for this provider' : `the run log is ${path}`,
    });
  }
  const result: RunResult = { runId, path, status: stopping !== null ? 'interrupted' : 'completed', counts, costUsd: budget.spentUsd, tokens: totals };
  if (stopping !== null) result.stoppedBy = stopping;
  return result;
}

/** Records each step's first request body (redacted) and sends nothing. */
async function dryRun(options: RunLaneOptions, runId: string, planned: PlannedStep[]): Promise<RunResult> {
  const dir = join(options.runsDir, options.settings.stage);
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${runId}.dry-run.jsonl`);
  const out = createWriteStream(path);
  for (const step of planned) {
    const complete = async (request: ChatRequest): Promise<ChatResponse> => {
      const built = options.adapter.buildRequest(options.lane, { ...request, seed: request.seed ?? stepSeed(options.settings.seed, step.index) });
      out.write(JSON.stringify(redactValue({ run_id: runId, item_id: step.item.id, replicate: step.replicate, url: built.url, body: built.body })) + '\n');
      throw new DryRunRecorded();
    };
    try {
      await options.task.runStep(step.item, step.replicate, { lane: options.lane, settings: options.settings.task, complete, signal: new AbortController().signal, seed: options.settings.seed });
    } catch (error) {
      if (!(error instanceof DryRunRecorded) && !(error instanceof ProviderError)) throw error;
    }
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  options.output.info(`dry run: wrote ${planned.length} request bodies to ${path}; nothing was sent`);
  return { runId, path, status: 'completed', counts: { ok: 0, abstain: 0, error: 0 }, costUsd: 0, tokens: emptyTokens() };
}
