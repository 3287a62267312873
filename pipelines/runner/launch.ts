import { PLAIN_COMMAND, type CommandRenderer } from '../../lib/commandHint.ts';
import { CliError } from '../../lib/errors.ts';
import type { Output } from '../../lib/output.ts';
import type { Lane } from '../../core/lane.ts';
import { requireLane } from '../lanes/manage.ts';
import { parseLane } from '../lanes/parse.ts';
import { openLaneStore } from '../lanes/openStore.ts';
import type { ProviderPool } from '../providers/providerPool.ts';
import { requireRunLog } from '../runlog/discover.ts';
import { currentSettings, readRunLog, type RunLog } from '../runlog/reader.ts';
import { loadSuite } from '../suites/load.ts';
import { createTask } from '../tasks/index.ts';
import { runLane, type RunResult } from './engine.ts';
import type { LimiterRegistry } from './limiterRegistry.ts';
import { readLimitsFile } from './limits.ts';
import { readPriceTable } from './pricing.ts';
import { resolveRunSettings, resumeSettings, type RunSettings, type RunSettingsInput } from './runSettings.ts';

/** A run by names and files; settings left unset take RUN_DEFAULTS (a resumed run takes its log's, a flag overriding one). */
export interface LaunchOptions extends RunSettingsInput {
  /** Required for a new run; a resumed run takes its lane from its own log. */
  laneSlug?: string;
  suitePath: string;
  runsDir: string;
  dryRun?: boolean;
  resumeRunId?: string;
  runId?: string;
  createdBy?: string;
  notes?: string;
  output: Output;
  signal?: AbortSignal;
  /** The command's environment: the registry's location, the run's secrets and USER. */
  env: NodeJS.ProcessEnv;
  /** The command's adapters; it closes them when its runs are done. */
  providers: ProviderPool;
  /** The command's rate limiters, shared by all its runs. */
  limiters: LimiterRegistry;
  /** Renders the commands hints suggest as the user runs audition (default `audition …`). */
  command?: CommandRenderer;
}

async function laneFromRegistry(runsDir: string, slug: string, env: NodeJS.ProcessEnv, command: CommandRenderer): Promise<Lane> {
  const store = await openLaneStore(runsDir, { readOnly: true, env });
  try {
    return await requireLane(store, slug, command);
  } finally {
    await store.close();
  }
}

/** Resolves lane, suite, task, limits and prices from names and files, then runs (or resumes) the run. */
export async function launchRun(options: LaunchOptions): Promise<RunResult> {
  const { env } = options;
  const command = options.command ?? PLAIN_COMMAND;
  const suite = await loadSuite(options.suitePath, command);
  let lane: Lane;
  let settings: RunSettings;
  let resume: { runId: string; log: RunLog } | undefined;
  if (options.resumeRunId !== undefined) {
    const path = await requireRunLog(options.runsDir, options.resumeRunId, { rerun: ['run', '--suite', options.suitePath, '--resume'], command });
    const log = await readRunLog(path);
    const start = log.start;
    if (start === null) throw new CliError(`run log ${path} has no readable run_start; it cannot be resumed`);
    resume = { runId: start.run_id, log };
    lane = parseLane(start.lane, { file: path, line: 1, field: 'lane' });
    if (options.laneSlug !== undefined && options.laneSlug !== lane.slug) throw new CliError(`run ${options.resumeRunId} belongs to lane ${lane.slug}, not ${options.laneSlug}`);
    // a resume is the same run: what it asks and how it sends come from its log (re-validated); a flag overrides how it sends
    settings = resumeSettings(currentSettings({ ...log, start }), start.stage, options, suite, { file: path });
  } else {
    if (options.laneSlug === undefined) throw new CliError('--lane is required', { hint: `see '${command(['lanes', 'list'])}'` });
    lane = await laneFromRegistry(options.runsDir, options.laneSlug, env, command);
    settings = resolveRunSettings(options, suite);
  }
  const task = createTask(String(settings.task['kind']), settings.task, command);
  const adapter = await options.providers.adapterFor(lane, task.simulator);
  const run = {
    lane, suite, task, settings, runsDir: options.runsDir, output: options.output, adapter, env,
    limits: await readLimitsFile(settings.limitsFile), limiters: options.limiters, prices: readPriceTable(), dryRun: options.dryRun === true,
  };
  return runLane({
    ...run,
    ...(resume !== undefined ? { runId: resume.runId, resume: true, log: resume.log } : options.runId !== undefined ? { runId: options.runId } : {}),
    ...(options.createdBy !== undefined ? { createdBy: options.createdBy } : {}),
    ...(options.notes !== undefined ? { notes: options.notes } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    command,
  });
}
