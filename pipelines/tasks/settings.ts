import { InputError, type Location } from '../../lib/errors.ts';

/** Task kinds: `mcq` (LEARN/USE with evidence), `session` (mcq steps sharing a growing context), `generate` and `grade` (generate-then-grade experiments). */
export const TASK_KINDS = ['mcq', 'session', 'generate', 'grade'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** How a session's context is trimmed once it passes the threshold (`none` never trims). */
export const TRIM_STRATEGIES = ['sliding-window', 'importance', 'hybrid', 'aggressive', 'none'] as const;
export type TrimStrategy = (typeof TRIM_STRATEGIES)[number];

/** One task setting as data: `audition run` builds its flags and help from these. */
export interface TaskSettingSpec {
  /** The CLI flag without dashes, e.g. `cards-budget`. */
  flag: string;
  /** The key in the parsed settings and in the run log, e.g. `cards_budget`. */
  key: string;
  type: 'integer' | 'number' | 'boolean' | 'string';
  description: string;
  default?: number | boolean | string;
  kinds: readonly TaskKind[];
  min?: number;
  max?: number;
  choices?: readonly string[];
}

const MCQ_LIKE: readonly TaskKind[] = ['mcq', 'session'];

export const TASK_SETTING_SPECS: readonly TaskSettingSpec[] = [
  { flag: 'cards-budget', key: 'cards_budget', type: 'integer', default: 6, min: 0, max: 64, kinds: MCQ_LIKE, description: 'LEARN slots: PRO cards first (one per option), then evidence snippets' },
  { flag: 'max-learn-boosts', key: 'max_learn_boosts', type: 'integer', default: 2, min: 0, max: 64, kinds: MCQ_LIKE, description: 'at most this many retrieved evidence snippets in the slots the cards leave' },
  { flag: 'idk', key: 'idk', type: 'boolean', default: false, kinds: MCQ_LIKE, description: 'allow the model to abstain with IDK' },
  { flag: 'strict-evidence', key: 'strict_evidence', type: 'boolean', default: false, kinds: MCQ_LIKE, description: 'an answer without a verified passage quote (or whose first citation is not its shown PRO card) counts as an abstention' },
  { flag: 'sc', key: 'sc', type: 'integer', default: 1, min: 1, max: 64, kinds: MCQ_LIKE, description: 'self-consistency: N samples, majority vote (ties: answers beat IDK, then the earliest-voted option)' },
  { flag: 'sc-extract', key: 'sc_extract', type: 'integer', default: 1, min: 1, max: 64, kinds: MCQ_LIKE, description: 'pool the citations of the first K samples that voted for the winner' },
  { flag: 'best-of', key: 'best_of', type: 'integer', default: 1, min: 1, max: 64, kinds: MCQ_LIKE, description: 'N samples, keep the one whose verified quotes best support its own answer' },
  { flag: 'tau', key: 'tau', type: 'number', default: 0.5, min: 0, max: 1, kinds: MCQ_LIKE, description: 'τ: least coverage of the gold option by the quotes for an answer to be credited' },
  { flag: 'context-limit', key: 'context_limit', type: 'integer', default: 16000, min: 256, kinds: ['session'], description: "the model's context limit in tokens" },
  { flag: 'trim-threshold', key: 'trim_threshold', type: 'number', default: 0.8, min: 0.05, max: 1, kinds: ['session'], description: 'trim when the context passes this share of the limit' },
  { flag: 'trim-target', key: 'trim_target', type: 'number', default: 0.5, min: 0, max: 1, kinds: ['session'], description: 'trim down to this share of the limit (aggressive: half of it)' },
  { flag: 'trim-strategy', key: 'trim_strategy', type: 'string', default: 'sliding-window', choices: TRIM_STRATEGIES, kinds: ['session'], description: 'sliding-window | importance | hybrid | aggressive | none' },
  { flag: 'max-attempts', key: 'max_attempts', type: 'integer', default: 3, min: 1, max: 20, kinds: ['generate', 'grade'], description: 'requests per step until a note or grade parses' },
  { flag: 'grader-reasoning', key: 'grader_reasoning', type: 'boolean', default: false, kinds: ['grade'], description: 'the grader reasons before its JSON scores' },
];

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
