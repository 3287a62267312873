import type { CommandRenderer } from '../../lib/commandHint.ts';
import type { Output } from '../../lib/output.ts';
import type { Lane } from '../../core/lane.ts';
import type { ProviderAdapter } from '../../core/chat.ts';
import type { Simulator } from '../../core/simulator.ts';
import { runLane as engineRunLane, type RunLaneOptions, type RunResult } from './engine.ts';
import { RUN_DEFAULTS, type RunSettings } from './runSettings.ts';
import { compressedRunError, findOnlyRunLog } from '../runlog/discover.ts';
import { readRunLog } from '../runlog/reader.ts';
import type { Suite } from '../suites/types.ts';
import { parseTaskSettings, type GenerateTaskSettings, type GradeTaskSettings } from '../tasks/settings.ts';
import type { Experiment, ExperimentPlan } from '../tasks/graded/experiment.ts';
import { planExperiment } from '../tasks/graded/experiment.ts';
import { createGenerateTask } from '../tasks/graded/generate.ts';
import { createGradeTask, gradeItem, gradeItemId, type GradeJob } from '../tasks/graded/grade.ts';

export interface ExperimentRunOptions {
  experiment: Experiment;
  suite: Suite;
  /** Resolves a lane slug (from the experiment's roster or the registry). */
  resolveLane: (slug: string) => Promise<Lane>;
  adapterFor: (lane: Lane, simulator: Simulator | undefined) => Promise<ProviderAdapter>;
  runsDir: string;
  output: Output;
  /** The command's environment: the runs' secrets and USER. */
  env: NodeJS.ProcessEnv;
  /** Bounds the parallel requests of each run (--workers). */
  workers: number;
  /** Overrides the experiment's max_attempts. */
  maxAttempts?: number;
  maxRetries?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  createdBy?: string;
  /** The engine (tests may pass a stand-in). */
  runLane?: (options: RunLaneOptions) => Promise<RunResult>;
  /** Renders the commands the runs' hints suggest as the user runs audition. */
  command?: CommandRenderer;
}

export interface PhaseRun {
  phase: 'generate' | 'grade';
  lane: string;
  reasoning?: boolean;
  result: RunResult;
}

export interface ExperimentResult {
  plan: ExperimentPlan;
  runs: PhaseRun[];
  /** Notes that never came (generate steps that ended in error), so their grades were not asked for. */
  missingNotes: number;
  gradeJobs: number;
  /** True when a stop signal ended a run early (the grade phase is then not started). */
  interrupted: boolean;
}

/** The run id of a phase run: stable, so running the experiment again resumes it. */
export function experimentRunId(experiment: Experiment, phase: 'gen' | 'grade', laneSlug: string, reasoning = false): string {
  return `${experiment.name}.${phase}.${laneSlug}${reasoning ? '.reason' : ''}`;
}

/**
 * Runs a generate-then-grade experiment: one run per generator lane over the
 * eligible cases (replicates = note_replications), then one run per grader
 * lane over every (case × generator × note replicate × rubric author) with
 * replicates = grade_replications. Notes are read back from the generate
 * logs; a phase run whose log exists is resumed, not repeated.
 */
export async function runExperiment(options: ExperimentRunOptions): Promise<ExperimentResult> {
  const { experiment, suite, output } = options;
  const run = options.runLane ?? engineRunLane;
  const plan = planExperiment(experiment, suite);
  for (const s of plan.skipped) output.warn(`case ${s.id} is not eligible: ${s.reason}`);
  const maxAttempts = options.maxAttempts ?? experiment.max_attempts;
  const where = { file: experiment.file, field: 'task settings' };
  const runs: PhaseRun[] = [];
  const base = { seed: experiment.seed ?? RUN_DEFAULTS.seed, stage: experiment.stage, concurrency: options.workers, maxRetries: options.maxRetries ?? RUN_DEFAULTS.maxRetries, timeoutMs: options.timeoutMs ?? RUN_DEFAULTS.timeoutMs };
  const launch = async (lane: Lane, runId: string, settings: RunSettings, task: RunLaneOptions['task'], runSuite: Suite, items: RunLaneOptions['items']): Promise<RunResult> => {
    // the run's log wherever it is (another stage, archived as .jsonl.gz): a completed one is read, not run again
    const found = await findOnlyRunLog(options.runsDir, runId, 'the experiment');
    if (found?.endsWith('.gz') === true) {
      const log = await readRunLog(found);
      if (log.end?.status === 'completed') return { runId, path: found, status: 'completed', counts: { ...log.end.counts }, costUsd: log.end.cost_usd, priced: log.steps.some((s) => s.cost_usd !== null), tokens: { ...log.end.tokens } };
      throw compressedRunError(runId, found, 'is not finished', 'the experiment');
    }
    const adapter = await options.adapterFor(lane, task.simulator);
    return run({
      lane, suite: runSuite, task, settings, runsDir: options.runsDir, runId, resume: found !== null, ...(found !== null ? { logPath: found } : {}), output, adapter, items, env: options.env,
      notes: experiment.notes ?? `experiment ${experiment.name}`,
      ...(options.createdBy !== undefined ? { createdBy: options.createdBy } : {}), ...(options.signal !== undefined ? { signal: options.signal } : {}),
      ...(options.command !== undefined ? { command: options.command } : {}),
    });
  };

  const generateSettings = parseTaskSettings('generate', maxAttempts === undefined ? {} : { max_attempts: maxAttempts }, where) as GenerateTaskSettings;
  const caseItems = plan.cases.map((c) => c.item);
  const notes = new Map<string, Map<string, string>>();
  for (const slug of experiment.generators) {
    const lane = await options.resolveLane(slug);
    const result = await launch(lane, experimentRunId(experiment, 'gen', lane.slug), { ...base, replicates: experiment.note_replications, task: generateSettings }, createGenerateTask(generateSettings), suite, caseItems);
    runs.push({ phase: 'generate', lane: lane.slug, result });
    if (result.status !== 'completed') return { plan, runs, missingNotes: 0, gradeJobs: 0, interrupted: true };
    const log = await readRunLog(result.path);
    const byStep = new Map<string, string>();
    for (const step of log.steps) if (step.status === 'ok' && step.response !== null) byStep.set(`${step.item_id}#${step.replicate}`, step.response.text);
    notes.set(lane.slug, byStep);
  }

  const jobs = new Map<string, GradeJob>();
  let missingNotes = 0;
  for (const { item, rubrics } of plan.cases) {
    for (const [generatorLane, byStep] of notes) {
      for (let r = 0; r < experiment.note_replications; r++) {
        const note = byStep.get(`${item.id}#${r}`);
        if (note === undefined) {
          missingNotes++;
          continue;
        }
        for (const rubric of rubrics) {
          const id = gradeItemId(item.id, generatorLane, r, rubric.author);
          jobs.set(id, { id, case: item, rubric, note, generatorLane, noteReplicate: r });
        }
      }
    }
  }
  if (missingNotes > 0) output.warn(`${missingNotes} notes are missing (their generate steps failed); their grades are skipped`);
  if (jobs.size === 0) return { plan, runs, missingNotes, gradeJobs: 0, interrupted: false };
  const items = [...jobs.values()].map(gradeItem);
  const gradeSuite: Suite = { ...suite, name: `${suite.name}.grades`, items };
  for (const grader of experiment.graders) {
    const lane = await options.resolveLane(grader.lane);
    const settings = parseTaskSettings('grade', { grader_reasoning: grader.reasoning, ...(maxAttempts === undefined ? {} : { max_attempts: maxAttempts }) }, where) as GradeTaskSettings;
    const result = await launch(lane, experimentRunId(experiment, 'grade', lane.slug, grader.reasoning), { ...base, replicates: experiment.grade_replications, task: settings }, createGradeTask(settings, jobs), gradeSuite, items);
    runs.push({ phase: 'grade', lane: lane.slug, reasoning: grader.reasoning, result });
    if (result.status !== 'completed') return { plan, runs, missingNotes, gradeJobs: jobs.size, interrupted: true };
  }
  return { plan, runs, missingNotes, gradeJobs: jobs.size, interrupted: false };
}
