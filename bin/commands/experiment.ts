import { commandHint, commandRenderer } from '../../lib/commandHint.ts';
import { CliError, ExitCode, StoppedError } from '../../lib/errors.ts';
import { renderJsonLines, renderTable } from '../../lib/table.ts';
import type { Lane } from '../../core/lane.ts';
import { readLaneFile } from '../../pipelines/lanes/laneFile.ts';
import { requireLane } from '../../pipelines/lanes/manage.ts';
import { openLaneStore } from '../../pipelines/lanes/openStore.ts';
import { ProviderPool } from '../../pipelines/providers/providerPool.ts';
import { RUN_DEFAULTS } from '../../pipelines/runner/runSettings.ts';
import { loadSuite } from '../../pipelines/suites/load.ts';
import { planExperiment, readExperimentFile, type Experiment } from '../../pipelines/tasks/graded/experiment.ts';
import { runExperiment } from '../../pipelines/runner/experiment.ts';
import { TASK_SETTING_SPECS } from '../../pipelines/tasks/settings.ts';
import type { Command } from '../command.ts';
import { JSON_OPTION, RUNS_DIR_OPTION, runsDirOf } from './shared.ts';

/** Lanes by slug from the experiment's roster file, else from the registry. */
async function laneResolver(experiment: Experiment, runsDir: string, env: NodeJS.ProcessEnv): Promise<{ resolve: (slug: string) => Promise<Lane>; close: () => Promise<void> }> {
  if (experiment.lanes !== undefined) {
    const roster = await readLaneFile(experiment.lanes);
    return {
      resolve: async (slug) => {
        const lane = roster.find((l) => l.slug === slug);
        if (lane === undefined) throw new CliError(`lane ${slug} is not in ${experiment.lanes}`, { hint: `lanes there: ${roster.map((l) => l.slug).join(', ')}` });
        return lane;
      },
      close: async () => {},
    };
  }
  const store = await openLaneStore(runsDir, { readOnly: true, env });
  return { resolve: (slug) => requireLane(store, slug, commandRenderer(env)), close: () => store.close() };
}

export const experimentRun: Command = {
  name: 'experiment run',
  summary: 'run a generate-then-grade experiment from a YAML/JSON file',
  description: 'Generator lanes write notes for every eligible case (≥ 2 accepted rubrics by different authors); grader lanes score each note against each author’s latest accepted rubric. Each lane is one run log; running the file again resumes them.',
  positionals: [{ name: 'FILE', description: 'the experiment: name, suite, generators, graders [{lane, reasoning}], cases, note_replications, grade_replications' }],
  options: {
    workers: { type: 'string', value: 'N', description: `requests in flight at once in each run (default ${RUN_DEFAULTS.concurrency})` },
    'max-attempts': { type: 'string', value: 'N', description: `requests per note or grade until it parses (default: the file’s max_attempts, else ${String(TASK_SETTING_SPECS.find((s) => s.key === 'max_attempts')?.default)})` },
    'max-retries': { type: 'string', value: 'N', description: `retries per request after rate limits, timeouts, 5xx (default ${RUN_DEFAULTS.maxRetries})` },
    plan: { type: 'boolean', description: 'print the cases and step counts, run nothing' },
    ...JSON_OPTION,
    ...RUNS_DIR_OPTION,
  },
  examples: ['audition experiment run experiments/demo-graded.yaml --workers 16', 'audition experiment run experiments/demo-graded.yaml --plan'],
  onInterrupt: 'finishing in-flight work and closing the run logs',
  async run({ positionals, options, output, env, signal }) {
    const experiment = await readExperimentFile(positionals[0]);
    const suite = await loadSuite(experiment.suite, commandRenderer(env));
    const plan = planExperiment(experiment, suite);
    const summary = { cases: plan.cases.length, skipped: plan.skipped.length, notes_per_generator: plan.notesPerGenerator, grades_per_grader: plan.gradesPerGrader, notes: plan.notes, grades: plan.grades };
    if (options.flag('plan')) {
      for (const s of plan.skipped) output.info(`skipped ${s.id}: ${s.reason}`);
      output.data(options.flag('json') ? renderJsonLines([summary]) : renderTable(Object.entries(summary).map(([field, value]) => ({ field, value }))));
      return;
    }
    const runsDir = runsDirOf(options, env);
    const lanes = await laneResolver(experiment, runsDir, env);
    const providers = new ProviderPool(env, output);
    try {
      const maxAttempts = options.integer('max-attempts', { min: 1, max: 20 });
      const maxRetries = options.integer('max-retries', { min: 0, max: 100 });
      const result = await runExperiment({
        experiment, suite, resolveLane: lanes.resolve, adapterFor: (lane, simulator) => providers.adapterFor(lane, simulator), runsDir, output, env, signal, command: commandRenderer(env),
        workers: options.integer('workers', { min: 1, max: 4096 }) ?? RUN_DEFAULTS.concurrency,
        ...(maxAttempts !== undefined ? { maxAttempts } : {}), ...(maxRetries !== undefined ? { maxRetries } : {}),
      });
      const rows = result.runs.map((r) => ({ phase: r.phase, lane: r.lane + (r.reasoning === true ? ' (reasoning)' : ''), run_id: r.result.runId, status: r.result.status, ok: r.result.counts.ok, error: r.result.counts.error, log: r.result.path }));
      output.data(options.flag('json') ? renderJsonLines(rows) : renderTable(rows));
      const resume = `run '${commandHint(env, ['experiment', 'run', positionals[0]])}' again to resume`;
      if (result.interrupted && signal.aborted) throw new CliError(`experiment ${experiment.name} interrupted before it finished`, { exitCode: ExitCode.interrupted, hint: resume });
      if (result.interrupted) throw new StoppedError(`experiment ${experiment.name} stopped before it finished`, resume);
    } finally {
      await lanes.close();
      await providers.close();
    }
  },
};
