import { InputError, type Location } from '../../lib/errors.ts';
import type { Suite } from '../suites/types.ts';
import { parseTaskSettings, type TaskKind } from '../tasks/settings.ts';
import { DEFAULT_TASK_KIND } from '../../core/taskSettingSpecs.ts';

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
  /** The rate-limits table (a Markdown file); unset: the built-in docs/api_limits.md. */
  limitsFile?: string;
  /** false (--no-cache): no warm-up ordering and no cache markers on requests (RUN_DEFAULTS.cacheAware when unset). */
  cacheAware?: boolean;
  /** Send one step first and stop if it fails (RUN_DEFAULTS.verifyFirst when unset). */
  verifyFirst?: boolean;
  /** Task settings (output of parseTaskSettings), including `kind`. */
  task: Record<string, unknown>;
}

/**
 * The one definition of every run setting's default: `resolveRunSettings` fills unset settings from it,
 * and the CLI's help, `estimate`, sweeps, the demo and experiments read it (task settings' defaults live
 * in TASK_SETTING_SPECS).
 */
export const RUN_DEFAULTS = { replicates: 1, seed: 1, stage: 'adhoc', concurrency: 8, maxRetries: 3, timeoutMs: 300_000, maxErrorRate: 0.2, cacheAware: true, verifyFirst: false } as const;

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
  limitsFile?: string;
  cacheAware?: boolean;
  verifyFirst?: boolean;
  /** Task kind; by default from the suite's first item (prompt → generate, else mcq). */
  taskKind?: string;
  /** Raw task settings (from flags or a run log), validated by the task kind. */
  taskSettings?: Record<string, unknown>;
}

/** The task kind a suite runs when none is named: its first item's kind (prompt items are generated). */
export function defaultTaskKind(suite: Pick<Suite, 'items'>): TaskKind {
  return suite.items[0]?.kind === 'prompt' ? DEFAULT_TASK_KIND.prompt : DEFAULT_TASK_KIND.other;
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
    cacheAware: input.cacheAware ?? RUN_DEFAULTS.cacheAware,
    verifyFirst: input.verifyFirst ?? RUN_DEFAULTS.verifyFirst,
    task: parseTaskSettings(input.taskKind ?? defaultTaskKind(suite), input.taskSettings ?? {}, { field: 'task settings' }),
  };
  if (input.limit !== undefined) settings.limit = input.limit;
  if (input.maxCostUsd !== undefined) settings.maxCostUsd = input.maxCostUsd;
  if (input.limitsFile !== undefined) settings.limitsFile = input.limitsFile;
  return settings;
}

/** A setting that shapes how a run sends (not what it asks): recorded in run_start and kept by `--resume` unless a flag overrides it. */
interface SendingSetting {
  /** Its key in the log's `settings`. */
  record: string;
  /** How a user names it (the flag). */
  flag: string;
  /** The recorded value as a setting (undefined: unset), or a problem text for a value no run could have written. */
  read(value: unknown): { value: unknown } | string;
}

const positiveInteger = (min: number) => (value: unknown) => (typeof value === 'number' && Number.isInteger(value) && value >= min ? { value } : `must be an integer ≥ ${min}`);
const nullableNumber = (max: number) => (value: unknown) => (value === null || value === undefined ? { value: undefined } : typeof value === 'number' && value >= 0 && value <= max ? { value } : `must be a number from 0 to ${max}, or null`);
const nullableString = (value: unknown) => (value === null || value === undefined ? { value: undefined } : typeof value === 'string' && value !== '' ? { value } : 'must be a file path, or null');
const flag = (value: unknown) => (typeof value === 'boolean' ? { value } : 'must be true or false');

/** Every sending setting, by its RunSettings key: the one list run_start records, a resume reads back and overrides are checked against. */
const SENDING_SETTINGS = {
  concurrency: { record: 'concurrency', flag: '--concurrency', read: positiveInteger(1) },
  maxRetries: { record: 'max_retries', flag: '--max-retries', read: positiveInteger(0) },
  timeoutMs: { record: 'timeout_ms', flag: '--timeout', read: positiveInteger(1) },
  maxCostUsd: { record: 'max_cost_usd', flag: '--max-cost', read: nullableNumber(Number.MAX_VALUE) },
  maxErrorRate: { record: 'max_error_rate', flag: '--max-error-rate', read: nullableNumber(1) },
  limitsFile: { record: 'limits_file', flag: '--limits', read: nullableString },
  cacheAware: { record: 'cache_aware', flag: '--no-cache', read: flag },
  verifyFirst: { record: 'verify_first', flag: '--verify-first', read: flag },
} as const satisfies Partial<Record<keyof RunSettingsInput & keyof RunSettings, SendingSetting>>;

type SendingKey = keyof typeof SENDING_SETTINGS;
const SENDING_KEYS = Object.keys(SENDING_SETTINGS) as SendingKey[];

/** The key under which a log records the content hash of the limits table a run was sent under. */
const LIMITS_SHA256 = 'limits_sha256';

/** A run's settings as its log records them (run_start, and each run_resume): what it asks, how it sends, and the limits table's hash. */
export function recordSettings(settings: RunSettings, limitsSha256: string | null): Record<string, unknown> {
  const resolved = { ...settings, maxErrorRate: settings.maxErrorRate ?? RUN_DEFAULTS.maxErrorRate, cacheAware: settings.cacheAware ?? RUN_DEFAULTS.cacheAware, verifyFirst: settings.verifyFirst ?? RUN_DEFAULTS.verifyFirst };
  const sending = Object.fromEntries(SENDING_KEYS.map((key) => [SENDING_SETTINGS[key].record, resolved[key] ?? null]));
  return { replicates: settings.replicates, seed: settings.seed, limit: settings.limit ?? null, ...sending, [LIMITS_SHA256]: limitsSha256, task: settings.task };
}

/** A setting a resume's flag changed, as the run_resume record keeps it. */
export interface SettingOverride {
  from: unknown;
  to: unknown;
}

/** What a resume sends with, and what it changed. */
export interface ResumedSettings {
  settings: RunSettings;
  /** By recorded name: the settings a flag changed, and the limits table's hash when its content changed. */
  overrides: Record<string, SettingOverride>;
}

/**
 * The settings of a resumed run: what it asks (replicates, seed, limit, task) always from its log, how it sends from
 * its log too (the latest run_resume's, else run_start's), except where `input` sets one: a flag overrides it. A log
 * written before a setting was recorded takes RUN_DEFAULTS for it. `where` names the log for a value no run writes.
 */
export function resumeSettings(recorded: Record<string, unknown>, stage: string, input: RunSettingsInput, suite: Pick<Suite, 'items'>, where: Location): RunSettings {
  const kept: RunSettingsInput = {};
  for (const key of SENDING_KEYS) {
    const spec = SENDING_SETTINGS[key];
    if (!(spec.record in recorded) || input[key] !== undefined) continue;
    const read = spec.read(recorded[spec.record]);
    if (typeof read === 'string') throw new InputError({ ...where, field: `settings.${spec.record}` }, `${read} (it is ${JSON.stringify(recorded[spec.record])})`, `resume with ${spec.flag} set, which overrides it`);
    (kept as Record<string, unknown>)[key] = read.value;
  }
  const task = recorded['task'] as Record<string, unknown>;
  const given = Object.fromEntries(SENDING_KEYS.filter((key) => input[key] !== undefined).map((key) => [key, input[key]]));
  return resolveRunSettings({
    ...kept, ...given, replicates: recorded['replicates'] as number, seed: recorded['seed'] as number, stage, limit: (recorded['limit'] as number | null) ?? undefined, taskKind: String(task['kind']), taskSettings: task,
  }, suite);
}

/** The recorded sending settings (and limits hash) that `now` changes, by recorded name. */
export function settingOverrides(recorded: Record<string, unknown>, now: Record<string, unknown>): Record<string, SettingOverride> {
  const overrides: Record<string, SettingOverride> = {};
  for (const name of [...SENDING_KEYS.map((key) => SENDING_SETTINGS[key].record), LIMITS_SHA256]) {
    const from = recorded[name] ?? null;
    const to = now[name] ?? null;
    if (name in recorded && JSON.stringify(from) !== JSON.stringify(to)) overrides[name] = { from, to };
  }
  return overrides;
}

/** The flag that sets a recorded sending setting, for messages. */
export function flagOfRecordedSetting(name: string): string | undefined {
  return SENDING_KEYS.map((key) => SENDING_SETTINGS[key]).find((spec) => spec.record === name)?.flag;
}
