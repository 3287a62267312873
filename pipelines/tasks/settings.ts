import { InputError, type Location } from '../../lib/errors.ts';

export { TASK_KINDS, TASK_SETTING_SPECS, TRIM_STRATEGIES, type TaskKind, type TaskSettingSpec, type TrimStrategy } from '../../core/taskSettingSpecs.ts';
import { TASK_KINDS, TASK_SETTING_SPECS, type TaskKind, type TaskSettingSpec, type TrimStrategy } from '../../core/taskSettingSpecs.ts';

// Type aliases, not interfaces, so parsed settings are assignable to Record<string, unknown> (RunSettings.task, run logs).
export type McqSettings = {
  cards_budget: number;
  max_learn_boosts: number;
  idk: boolean;
  strict_evidence: boolean;
  sc: number;
  sc_extract: number;
  best_of: number;
  tau: number;
};

export type SessionWindow = {
  context_limit: number;
  trim_threshold: number;
  trim_target: number;
  trim_strategy: TrimStrategy;
};

export type McqTaskSettings = { kind: 'mcq' } & McqSettings;
export type SessionTaskSettings = { kind: 'session' } & McqSettings & SessionWindow;
export type GenerateTaskSettings = { kind: 'generate'; max_attempts: number };
export type GradeTaskSettings = { kind: 'grade'; max_attempts: number; grader_reasoning: boolean };
export type TaskSettings = McqTaskSettings | SessionTaskSettings | GenerateTaskSettings | GradeTaskSettings;

function fieldAt(where: Location, name: string): Location {
  return { ...where, field: where.field === undefined || where.field === '' ? name : `${where.field}.${name}` };
}

function coerce(spec: TaskSettingSpec, value: unknown, at: Location): number | boolean | string {
  let v = value;
  if (typeof v === 'string' && spec.type !== 'string') {
    const text = v.trim();
    v = spec.type === 'boolean' ? (text === 'true' ? true : text === 'false' ? false : v) : text === '' ? v : Number(text);
  }
  if (spec.type === 'boolean') {
    if (typeof v !== 'boolean') throw new InputError(at, `expected true or false; got ${JSON.stringify(value)}`);
    return v;
  }
  if (spec.type === 'string') {
    if (typeof v !== 'string') throw new InputError(at, `expected a string; got ${JSON.stringify(value)}`);
    if (spec.choices !== undefined && !spec.choices.includes(v)) throw new InputError(at, `must be one of ${spec.choices.join(', ')}; got ${JSON.stringify(v)}`);
    return v;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(at, `expected ${spec.type === 'integer' ? 'a whole number' : 'a number'}; got ${JSON.stringify(value)}`);
  if (spec.type === 'integer' && !Number.isInteger(v)) throw new InputError(at, `expected a whole number; got ${v}`);
  if (spec.min !== undefined && v < spec.min) throw new InputError(at, `must be ≥ ${spec.min}; got ${v}`);
  if (spec.max !== undefined && v > spec.max) throw new InputError(at, `must be ≤ ${spec.max}; got ${v}`);
  return v;
}

/**
 * Validates task settings for a kind: keys may be flags (`cards-budget`) or
 * keys (`cards_budget`), values typed or strings from the command line;
 * unset ones take their defaults. Accepts its own output (a run log's
 * settings), so resuming re-validates.
 */
export function parseTaskSettings(kind: string, raw: Record<string, unknown>, where: Location): TaskSettings {
  if (!(TASK_KINDS as readonly string[]).includes(kind)) throw new InputError(fieldAt(where, 'kind'), `unknown task kind ${JSON.stringify(kind)}`, `task kinds: ${TASK_KINDS.join(', ')}`);
  const taskKind = kind as TaskKind;
  const out: Record<string, unknown> = { kind: taskKind };
  const given = new Map<string, { name: string; value: unknown }>();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (name === 'kind') {
      if (value !== kind) throw new InputError(fieldAt(where, 'kind'), `says ${JSON.stringify(value)} but the task is ${kind}`);
      continue;
    }
    const spec = TASK_SETTING_SPECS.find((s) => s.key === name || s.flag === name);
    if (spec === undefined) throw new InputError(fieldAt(where, name), 'is not a task setting', `settings: ${TASK_SETTING_SPECS.map((s) => s.flag).join(', ')}`);
    if (!spec.kinds.includes(taskKind)) throw new InputError(fieldAt(where, name), `--${spec.flag} does not apply to ${kind} tasks`, `it applies to: ${spec.kinds.join(', ')}`);
    given.set(spec.key, { name, value });
  }
  for (const spec of TASK_SETTING_SPECS) {
    if (!spec.kinds.includes(taskKind)) continue;
    const entry = given.get(spec.key);
    out[spec.key] = entry === undefined ? spec.default : coerce(spec, entry.value, fieldAt(where, entry.name));
  }
  const at = (key: string): Location => fieldAt(where, given.get(key)?.name ?? key);
  if (taskKind === 'mcq' || taskKind === 'session') {
    const s = out as unknown as McqSettings;
    if (s.sc > 1 && s.best_of > 1) throw new InputError(at('best_of'), `--best-of ${s.best_of} cannot be combined with --sc ${s.sc}`, 'choose self-consistency or best-of');
    if (s.sc_extract > s.sc) throw new InputError(at('sc_extract'), `--sc-extract ${s.sc_extract} is more than --sc ${s.sc} samples`);
  }
  if (taskKind === 'session') {
    const s = out as unknown as SessionWindow;
    if (s.trim_target >= s.trim_threshold) throw new InputError(at('trim_target'), `--trim-target ${s.trim_target} must be below --trim-threshold ${s.trim_threshold}`);
  }
  return out as TaskSettings;
}
