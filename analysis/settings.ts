// A "setting" is everything a user can turn that may change a result: the lane's dials plus the run's task
// settings (cards budget, self-consistency, …). Run-control settings (replicates, seed, concurrency, limits)
// are not part of it: they change how much was measured, not what.

import type { RunInfo, Scalar } from './outcomes.ts';

/** Dials that shape sampling; the baseline lane of a model is the one that sets the fewest. */
export const SAMPLING_DIALS = ['temperature', 'top_p', 'top_k', 'min_p', 'frequency_penalty', 'presence_penalty', 'repetition_penalty'] as const;

/** Keys of a run's settings that control the run, not the task. */
export const RUN_CONTROL_KEYS: ReadonlySet<string> = new Set(['replicates', 'seed', 'limit', 'concurrency', 'max_retries', 'timeout_ms', 'max_cost_usd', 'stage', 'resume', 'dry_run', 'verify_first', 'no_cache']);

/** One setting: its canonical key, the lane it runs on and every dial (lane dials and task settings). */
export interface Setting {
  key: string;
  lane: string;
  dials: Record<string, Scalar>;
  /** Names of the dials that come from the task settings (the rest come from the lane). */
  taskDials: string[];
}

function scalarEntries(object: Record<string, unknown>): [string, Scalar][] {
  return Object.entries(object).filter((e): e is [string, Scalar] => typeof e[1] === 'number' || typeof e[1] === 'string' || typeof e[1] === 'boolean');
}

/**
 * The task dials of a run: the scalar fields of settings.task (its `kind` becomes `task`), or — for logs that
 * keep task settings at the top level — the top-level scalars that are not run control.
 */
export function taskDialsOf(settings: Record<string, unknown>): Record<string, Scalar> {
  const task = settings['task'];
  if (task !== null && typeof task === 'object' && !Array.isArray(task)) {
    return Object.fromEntries(scalarEntries(task as Record<string, unknown>).map(([k, v]) => [k === 'kind' ? 'task' : k, v]));
  }
  return Object.fromEntries(scalarEntries(settings).filter(([k]) => !RUN_CONTROL_KEYS.has(k)));
}

/** A stable text key for a set of dials (sorted keys). */
export function dialsKey(dials: Record<string, Scalar>): string {
  return JSON.stringify(Object.keys(dials).sort().map((k) => [k, dials[k]]));
}

/** The setting a run measured. */
export function settingOf(run: Pick<RunInfo, 'lane' | 'laneDials' | 'settings'>): Setting {
  const task = taskDialsOf(run.settings);
  const dials: Record<string, Scalar> = { ...task, ...run.laneDials };
  return { key: `${run.lane}\u0000${dialsKey(dials)}`, lane: run.lane, dials, taskDials: Object.keys(task).filter((k) => !(k in run.laneDials)).sort() };
}

/**
 * Short labels for settings compared together: the lane slug plus only the task dials that differ among them,
 * e.g. `4o.t0-7 · cards_budget=5` (a task dial every setting shares says nothing).
 */
export function labelSettings(settings: readonly Setting[]): Map<string, string> {
  const names = [...new Set(settings.flatMap((s) => s.taskDials))].sort();
  const varying = names.filter((name) => new Set(settings.map((s) => JSON.stringify(s.dials[name] ?? null))).size > 1);
  return new Map(settings.map((s) => [s.key, [s.lane, ...varying.map((k) => `${k}=${formatDialValue(s.dials[k])}`)].join(' · ')]));
}

/** Formats a dial value for tables; an unset dial is the provider's default. */
export function formatDialValue(value: Scalar | undefined): string {
  return value === undefined ? 'default' : String(value);
}

/** Orders dial values: unset (default) first, then false < true, numbers ascending, strings alphabetically. */
export function compareDialValues(a: Scalar | undefined, b: Scalar | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a ? 1 : -1;
  return String(a).localeCompare(String(b));
}

/**
 * The baseline lane among a model's lanes: the one with the fewest sampling dials set, ties to the lowest
 * temperature (unset counts as highest), then the slug. `override` names it outright when it is one of them.
 */
export function chooseBaselineLane(lanes: readonly { slug: string; dials: Record<string, Scalar> }[], overrides: readonly string[] = []): string | undefined {
  const chosen = lanes.find((l) => overrides.includes(l.slug));
  if (chosen !== undefined) return chosen.slug;
  const count = (d: Record<string, Scalar>) => SAMPLING_DIALS.filter((k) => d[k] !== undefined).length;
  const temperature = (d: Record<string, Scalar>) => (typeof d['temperature'] === 'number' ? d['temperature'] : Number.POSITIVE_INFINITY);
  return [...lanes].sort((a, b) => count(a.dials) - count(b.dials) || temperature(a.dials) - temperature(b.dials) || a.slug.localeCompare(b.slug))[0]?.slug;
}
