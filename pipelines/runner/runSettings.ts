import type { Suite } from '../suites/types.ts';
import { parseTaskSettings, type TaskKind } from '../tasks/settings.ts';

/** The settings of one run, resolved: what the engine runs with and the log's run_start records. */
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
  /** A run that completes with a larger share of error steps ends failed (RUN_DEFAULTS.maxErrorRate when unset). */
  maxErrorRate?: number;
  /** Task settings (output of parseTaskSettings), including `kind`. */
  task: Record<string, unknown>;
}

/**
 * The one definition of every run setting's default: `resolveRunSettings` fills unset settings from it,
 * and the CLI's help, `estimate`, sweeps, the demo and experiments read it (task settings' defaults live
 * in TASK_SETTING_SPECS).
 */
export const RUN_DEFAULTS = { replicates: 1, seed: 1, stage: 'adhoc', concurrency: 8, maxRetries: 3, timeoutMs: 300_000, maxErrorRate: 0.2 } as const;

/** A run's settings as a caller gives them: anything unset takes its default. */
export interface RunSettingsInput {
  replicates?: number;
  seed?: number;
  stage?: string;
  limit?: number;
  concurrency?: number;
  maxRetries?: number;
  timeoutMs?: number;
  maxCostUsd?: number;
  maxErrorRate?: number;
  /** Task kind; by default from the suite's first item (prompt → generate, else mcq). */
  taskKind?: string;
  /** Raw task settings (from flags or a run log), validated by the task kind. */
  taskSettings?: Record<string, unknown>;
}

/** The task kind a suite runs when none is named: its first item's kind (prompt items are generated). */
export function defaultTaskKind(suite: Pick<Suite, 'items'>): TaskKind {
  return suite.items[0]?.kind === 'prompt' ? 'generate' : 'mcq';
}

/** Fills every unset setting from RUN_DEFAULTS and validates the task settings for the suite's task kind. */
export function resolveRunSettings(input: RunSettingsInput, suite: Pick<Suite, 'items'>): RunSettings {
  const settings: RunSettings = {
    replicates: input.replicates ?? RUN_DEFAULTS.replicates,
    seed: input.seed ?? RUN_DEFAULTS.seed,
    stage: input.stage ?? RUN_DEFAULTS.stage,
    concurrency: input.concurrency ?? RUN_DEFAULTS.concurrency,
    maxRetries: input.maxRetries ?? RUN_DEFAULTS.maxRetries,
    timeoutMs: input.timeoutMs ?? RUN_DEFAULTS.timeoutMs,
    maxErrorRate: input.maxErrorRate ?? RUN_DEFAULTS.maxErrorRate,
    task: parseTaskSettings(input.taskKind ?? defaultTaskKind(suite), input.taskSettings ?? {}, { field: 'task settings' }),
  };
  if (input.limit !== undefined) settings.limit = input.limit;
  if (input.maxCostUsd !== undefined) settings.maxCostUsd = input.maxCostUsd;
  return settings;
}
