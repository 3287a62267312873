// A condition is a lane under one set of task settings: the unit of a ranking row. Runs pool only when their task
// settings match once defaults are filled in (a log that recorded `sc: 1` and one that left it out agree), so a
// lane run with self-consistency and without it gives two rows, never one average of both.

import { DEFAULT_TASK_KIND, TASK_SETTING_SPECS, type TaskSettingSpec } from '../core/taskSettingSpecs.ts';
import type { RunInfo, Scalar } from './outcomes.ts';
import { taskDialsOf } from './settings.ts';

/** The task kinds a suite runs when none is named (mcq items, prompt items): a label leaves them out. */
const UNNAMED_KINDS: readonly string[] = Object.values(DEFAULT_TASK_KIND);

/** A run's condition: the readable label and the task settings that differ from their defaults. */
export interface Condition {
  /** The lane slug and each non-default task setting, e.g. `strong.t0-7 · sc3`. */
  label: string;
  /** The non-default task settings as JSON with sorted keys (`{}` when every one is its default). */
  taskSettings: string;
}

const specOf = (key: string): TaskSettingSpec | undefined => TASK_SETTING_SPECS.find((s) => s.key === key);

/** One setting as a label part: `sc3`, `trim-importance`, `idk` / `no-idk`; a key no spec names as `key=value`. */
function labelPart(key: string, value: Scalar): string {
  if (key === 'task') return String(value);
  const spec = specOf(key);
  if (spec === undefined) return `${key}=${String(value)}`;
  if (typeof value === 'boolean') return value ? spec.label : `no-${spec.label}`;
  return `${spec.label}${String(value)}`;
}

/** The condition a run measured: its lane and the task settings it recorded that are not their defaults. */
export function conditionOf(run: Pick<RunInfo, 'lane' | 'settings'>): Condition {
  const dials = taskDialsOf(run.settings);
  const changed: [string, Scalar][] = Object.entries(dials).filter(([key, value]) =>
    key === 'task' ? !UNNAMED_KINDS.includes(String(value)) : specOf(key)?.default !== value);
  // Spec order reads naturally (kind first, then the settings as `audition run --help` lists them); unknown keys last.
  const order = (key: string) => (key === 'task' ? -1 : specOf(key) === undefined ? TASK_SETTING_SPECS.length : TASK_SETTING_SPECS.findIndex((s) => s.key === key));
  changed.sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b));
  // As the log names them (the kind is `kind`), with sorted keys, so equal settings give equal text.
  const logged = changed.map(([k, v]): [string, Scalar] => [k === 'task' ? 'kind' : k, v]).sort(([a], [b]) => a.localeCompare(b));
  return {
    label: [run.lane, ...changed.map(([k, v]) => labelPart(k, v))].join(' · '),
    taskSettings: JSON.stringify(Object.fromEntries(logged)),
  };
}
