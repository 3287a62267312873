import { commandHint, commandRenderer } from '../../lib/commandHint.ts';
import { CliError, ExitCode, StoppedError } from '../../lib/errors.ts';
import { renderJsonLines } from '../../lib/table.ts';
import { ProviderPool } from '../../pipelines/providers/providerPool.ts';
import { LimiterRegistry } from '../../pipelines/runner/limiterRegistry.ts';
import { launchRun, type LaunchOptions } from '../../pipelines/runner/launch.ts';
import { RUN_DEFAULTS } from '../../pipelines/runner/runSettings.ts';
import { TASK_SETTING_SPECS } from '../../pipelines/tasks/settings.ts';
import type { Command, OptionSpec, Options } from '../command.ts';
import { JSON_OPTION, RUNS_DIR_OPTION, runsDirOf } from './shared.ts';

/** Task flags (--cards-budget, --sc, --tau, …) come from the tasks' own setting specs. */
export const TASK_OPTIONS: Record<string, OptionSpec> = Object.fromEntries(
  TASK_SETTING_SPECS.map((spec) => [spec.flag, {
    type: spec.type === 'boolean' ? 'boolean' : 'string',
    description: `${spec.description}${spec.default === undefined || spec.default === false ? '' : ` (default ${String(spec.default)})`} [${spec.kinds.join(', ')}]`,
    ...(spec.type === 'boolean' ? {} : { value: spec.type === 'string' ? 'VALUE' : 'N' }),
  } satisfies OptionSpec]),
);

/** Raw task settings from the flags given; the task validates them. */
export function taskSettingsFrom(options: Options): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const spec of TASK_SETTING_SPECS) {
    if (spec.type === 'boolean') {
      if (options.flag(spec.flag)) raw[spec.key] = true;
    } else if (spec.type === 'string') {
      const v = options.string(spec.flag);
      if (v !== undefined) raw[spec.key] = v;
    } else {
      const v = spec.type === 'integer' ? options.integer(spec.flag) : options.number(spec.flag);
      if (v !== undefined) raw[spec.key] = v;
    }
  }
  return raw;
}

export const RUN_OPTIONS: Record<string, OptionSpec> = {
  lane: { type: 'string', value: 'SLUG', description: 'the lane to run (see audition lanes list)' },
  suite: { type: 'string', value: 'FILE', description: 'suite file (.jsonl or .csv)' },
  task: { type: 'string', value: 'KIND', description: 'mcq | generate | session (default: from the suite’s items)' },
  replicates: { type: 'string', value: 'N', description: `attempts per item (default ${RUN_DEFAULTS.replicates})` },
  seed: { type: 'string', value: 'N', description: `run seed; per-step seeds derive from it (default ${RUN_DEFAULTS.seed})` },
  stage: { type: 'string', value: 'NAME', description: `folder under runs/ the log goes to (default ${RUN_DEFAULTS.stage})` },
  limit: { type: 'string', value: 'N', description: 'run only the first N items' },
  concurrency: { type: 'string', value: 'N', description: `steps in flight at once (default ${RUN_DEFAULTS.concurrency})` },
  'max-retries': { type: 'string', value: 'N', description: `retries per request after rate limits, timeouts, 5xx (default ${RUN_DEFAULTS.maxRetries})` },
  timeout: { type: 'string', value: 'SECONDS', description: `per-request timeout (default ${RUN_DEFAULTS.timeoutMs / 1000})` },
  'max-cost': { type: 'string', value: 'USD', description: 'stop before a request would take spending past USD (exit 3)' },
  'max-error-rate': { type: 'string', value: 'R', description: `a run that ends with a larger share of error steps is marked failed, exit 1 (default ${RUN_DEFAULTS.maxErrorRate})` },
  'dry-run': { type: 'boolean', description: 'write the exact request bodies (redacted) to RUNS/_dry-run/STAGE/RUN_ID.jsonl; send nothing' },
  'verify-first': { type: 'boolean', description: 'send one request first; stop with a clear error if it fails' },
  'no-cache': { type: 'boolean', description: 'no cache-aware ordering and no prompt-cache markers' },
  resume: { type: 'string', value: 'RUN_ID', description: 'continue a run (its id, or its log path when two logs share the id) with its recorded settings (a flag given overrides one): skip steps already ok/abstain or failed by the model (parse), retry infrastructure errors' },
  'run-id': { type: 'string', value: 'ID', description: 'name the new run (default: time-lane-random)' },
  'created-by': { type: 'string', value: 'NAME', description: 'who started the run (default $USER)' },
  notes: { type: 'string', value: 'TEXT', description: 'free-text notes kept in the log' },
  limits: { type: 'string', value: 'FILE', description: 'rate-limits table (default docs/api_limits.md)' },
};

export const run: Command = {
  name: 'run',
  summary: 'run one lane over a suite and write one run log',
  description: 'The log goes to runs/<stage>/<run_id>.jsonl, one record a step, flushed as each completes; Ctrl-C stops cleanly and --resume continues.',
  options: { ...RUN_OPTIONS, ...TASK_OPTIONS, ...JSON_OPTION, ...RUNS_DIR_OPTION },
  onInterrupt: 'finishing in-flight work and closing the run log',
  examples: [
    'audition run --lane strong.t0-2 --suite suites/demo-mcq.jsonl --replicates 3 --stage smoke',
    'audition run --lane gpt5.reason-min --suite suites/demo-mcq.jsonl --verify-first --max-cost 5',
    'audition run --resume 20261122T101500Z-4o.t0-7-3fa9 --suite suites/demo-mcq.jsonl',
  ],
  async run({ options, output, env, signal }) {
    const suitePath = options.required('suite', 'e.g. --suite suites/demo-mcq.jsonl');
    const providers = new ProviderPool(env, output);
    const result = await launchRun({
      ...(options.string('lane') !== undefined ? { laneSlug: options.string('lane') } : {}),
      suitePath,
      runsDir: runsDirOf(options, env),
      ...definedEntries({
        taskKind: options.string('task'),
        replicates: options.integer('replicates', { min: 1 }),
        seed: options.integer('seed', { min: 0 }),
        stage: options.string('stage'),
        limit: options.integer('limit', { min: 1 }),
        resumeRunId: options.string('resume'),
        runId: options.string('run-id'),
        createdBy: options.string('created-by'),
        notes: options.string('notes'),
      }),
      ...executionSettingsFrom(options),
      taskSettings: taskSettingsFrom(options),
      dryRun: options.flag('dry-run'),
      output,
      signal,
      env,
      providers,
      limiters: new LimiterRegistry(),
      command: commandRenderer(env),
    }).finally(() => providers.close());
    const summary = { run_id: result.runId, path: result.path, status: result.status, ...result.counts, cost_usd: result.priced ? Number(result.costUsd.toFixed(6)) : null };
    const cost = result.priced ? `$${result.costUsd.toFixed(4)}` : 'cost n/a (no price for this model)';
    output.data(options.flag('json') ? renderJsonLines([summary]) : result.runId);
    if (options.flag('dry-run')) return ExitCode.ok;
    output.info(`${result.status}: ${result.counts.ok} ok, ${result.counts.abstain} abstain, ${result.counts.error} error · ${cost} · ${result.path}`);
    const resume = commandHint(env, ['run', '--resume', result.runId, '--suite', suitePath]);
    if (result.stoppedBy === 'max-cost') throw new StoppedError(`stopped by --max-cost after $${result.costUsd.toFixed(4)}`, `resume with '${resume}' and a higher --max-cost`);
    if (result.stoppedBy === 'signal') {
      output.info(`interrupted; resume with: ${resume}`);
      return ExitCode.interrupted;
    }
    if (result.errorRate !== undefined) {
      const { share, max } = result.errorRate;
      throw new CliError(`run ${result.runId} failed: ${result.counts.error} of ${result.counts.ok + result.counts.abstain + result.counts.error} steps (${(100 * share).toFixed(1)}%) ended in errors, above --max-error-rate ${max}`, {
        exitCode: ExitCode.unexpected,
        hint: `see why: ${commandHint(env, ['status', result.runId])}, or after ${commandHint(env, ['aggregate'])}: ${commandHint(env, ['sql', 'recent_errors'])}; ${resume} retries the infrastructure errors (a parse error is the model's, final)`,
      });
    }
    return ExitCode.ok;
  },
};

/**
 * How each run executes, from the flags `run` and `sweep` share (RUN_OPTIONS): only the flags given, so a resume
 * can tell a flag from a default.
 */
export function executionSettingsFrom(options: Options): Pick<LaunchOptions, 'concurrency' | 'maxRetries' | 'timeoutMs' | 'maxCostUsd' | 'maxErrorRate' | 'limitsFile' | 'verifyFirst' | 'cacheAware'> {
  const timeout = options.number('timeout', { min: 1 });
  return definedEntries({
    concurrency: options.integer('concurrency', { min: 1, max: 4096 }),
    maxRetries: options.integer('max-retries', { min: 0, max: 100 }),
    timeoutMs: timeout === undefined ? undefined : timeout * 1000,
    maxCostUsd: options.number('max-cost', { min: 0 }),
    maxErrorRate: options.number('max-error-rate', { min: 0, max: 1 }),
    limitsFile: options.string('limits'),
    // unset unless given, so a resume keeps what the run recorded
    verifyFirst: options.flag('verify-first') ? true : undefined,
    cacheAware: options.flag('no-cache') ? false : undefined,
  });
}

/** Drops undefined values so optional properties stay absent. */
export function definedEntries<T extends Record<string, unknown>>(values: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
