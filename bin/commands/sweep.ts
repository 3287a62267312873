import { commandHint, commandRenderer } from '../../lib/commandHint.ts';
import { CliError, ExitCode } from '../../lib/errors.ts';
import { renderJsonLines, renderTable } from '../../lib/table.ts';
import { openLaneStore } from '../../pipelines/lanes/openStore.ts';
import { ProviderPool } from '../../pipelines/providers/providerPool.ts';
import { LimiterRegistry } from '../../pipelines/runner/limiterRegistry.ts';
import { SWEEP_DEFAULTS, describeSweep, runSweep, type SweepRun } from '../../pipelines/runner/sweep.ts';
import { loadSuite } from '../../pipelines/suites/load.ts';
import { RUN_DEFAULTS } from '../../pipelines/runner/runSettings.ts';
import type { Command } from '../command.ts';
import { RUN_OPTIONS, TASK_OPTIONS, definedEntries, executionSettingsFrom, taskSettingsFrom } from './run.ts';
import { JSON_OPTION, RUNS_DIR_OPTION, runsDirOf } from './shared.ts';

export const sweep: Command = {
  name: 'sweep',
  summary: 'run many lanes over one suite; finished runs are skipped, partial ones resumed',
  description: 'Each (stage, lane, suite, settings) gets a fixed run id, found in any stage and as .jsonl.gz, so running the same sweep again after a crash or Ctrl-C resumes exactly what is missing; --retry-errors also resumes finished runs that have error steps.',
  options: {
    lane: { type: 'string', value: 'SLUG', multiple: true, description: 'a lane to run; default: every active lane' },
    suite: RUN_OPTIONS['suite'],
    stage: { type: 'string', value: 'NAME', description: 'folder under runs/ for the logs (e.g. holdout, compare)' },
    task: RUN_OPTIONS['task'],
    replicates: RUN_OPTIONS['replicates'],
    seed: RUN_OPTIONS['seed'],
    limit: RUN_OPTIONS['limit'],
    parallel: { type: 'string', value: 'N', description: `lanes at once (default ${SWEEP_DEFAULTS.parallel})` },
    concurrency: RUN_OPTIONS['concurrency'],
    'max-retries': RUN_OPTIONS['max-retries'],
    timeout: RUN_OPTIONS['timeout'],
    'max-cost': { type: 'string', value: 'USD', description: 'per-run spending cap; a capped run stops the sweep (exit 3)' },
    'max-error-rate': { type: 'string', value: 'R', description: `a run that ends with a larger share of error steps is marked failed and listed; the sweep exits 1 (default ${RUN_DEFAULTS.maxErrorRate})` },
    limits: RUN_OPTIONS['limits'],
    'verify-first': RUN_OPTIONS['verify-first'],
    'no-cache': RUN_OPTIONS['no-cache'],
    'retry-errors': { type: 'boolean', description: 'also resume finished runs that have error steps, to send those steps again' },
    ...TASK_OPTIONS,
    ...JSON_OPTION,
    ...RUNS_DIR_OPTION,
  },
  onInterrupt: 'finishing in-flight work and closing the run logs',
  examples: ['audition sweep --stage holdout --suite suites/demo-mcq.jsonl --replicates 3 --lane strong.t0-7 --lane weak.t0-7'],
  async run({ options, output, env, argv, signal }) {
    const runsDir = runsDirOf(options, env);
    const suitePath = options.required('suite');
    const suite = await loadSuite(suitePath, commandRenderer(env));
    let lanes = options.list('lane');
    if (lanes.length === 0) {
      const store = await openLaneStore(runsDir, { readOnly: true, env, command: commandRenderer(env) });
      try {
        lanes = (await store.list()).filter((l) => l.active).map((l) => l.slug);
      } finally {
        await store.close();
      }
      if (lanes.length === 0) throw new CliError('no active lanes to sweep', { hint: `add lanes with '${commandHint(env, ['lanes', 'import', 'FILE'])}' or name them with --lane` });
    }
    const providers = new ProviderPool(env, output);
    const runs = await runSweep({
      lanes, suitePath, runsDir, stage: options.required('stage', 'e.g. --stage holdout'), output, signal, env, providers, limiters: new LimiterRegistry(),
      command: commandRenderer(env), taskSettings: taskSettingsFrom(options), retryErrors: options.flag('retry-errors'),
      ...executionSettingsFrom(options),
      ...definedEntries({
        taskKind: options.string('task'), replicates: options.integer('replicates', { min: 1 }), seed: options.integer('seed', { min: 0 }),
        limit: options.integer('limit', { min: 1 }), parallel: options.integer('parallel', { min: 1, max: 64 }),
      }),
    }, suite).finally(() => providers.close());
    // the same sweep again resumes it: the fixed run ids find what is done
    describeSweep(runs, output, commandHint(env, argv));
    const statusOf = (r: SweepRun): string => (r.action === 'refused' ? 'cannot send' : r.error !== undefined ? 'failed' : r.action === 'not-started' ? 'not started' : r.result?.status ?? 'completed');
    const rows = runs.map((r) => ({ lane: r.lane, run_id: r.runId, action: r.action, status: statusOf(r), ok: r.result?.counts.ok ?? null, errors: r.result?.counts.error ?? null }));
    output.data(options.flag('json') ? renderJsonLines(rows) : renderTable(rows));
    if (signal.aborted) return ExitCode.interrupted;
    // as `audition run` would: 2 for a lane that could not run (no key, bad input, account), 1 for one that failed
    if (runs.some((r) => r.error !== undefined && r.errorExitCode !== ExitCode.unexpected)) return ExitCode.usage;
    if (runs.some((r) => r.result?.stoppedBy === 'max-cost')) return ExitCode.stopped;
    if (runs.some((r) => r.errorExitCode === ExitCode.unexpected || r.result?.errorRate !== undefined)) return ExitCode.unexpected;
    return ExitCode.ok;
  },
};
