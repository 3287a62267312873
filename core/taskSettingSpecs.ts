// The task settings as data, with their defaults: tasks validate against them, `audition run` builds its flags
// from them, and the statistics label a ranking row's condition by the settings that differ from them.

/** Task kinds: `mcq` (LEARN/USE with evidence), `session` (mcq steps sharing a growing context), `generate` and `grade` (generate-then-grade experiments). */
export const TASK_KINDS = ['mcq', 'session', 'generate', 'grade'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** The task kind a suite runs when none is named, by its first item's kind: prompt items are generated, the rest mcq. */
export const DEFAULT_TASK_KIND = { prompt: 'generate', other: 'mcq' } as const satisfies Record<string, TaskKind>;

/** How a session's context is trimmed once it passes the threshold (`none` never trims). */
export const TRIM_STRATEGIES = ['sliding-window', 'importance', 'hybrid', 'aggressive', 'none'] as const;
export type TrimStrategy = (typeof TRIM_STRATEGIES)[number];

/** One task setting as data: `audition run` builds its flags and help from these. */
export interface TaskSettingSpec {
  /** The CLI flag without dashes, e.g. `cards-budget`. */
  flag: string;
  /** The key in the parsed settings and in the run log, e.g. `cards_budget`. */
  key: string;
  /** The short name in a ranking row's condition label (`sc` → `sc3`; a boolean shows it when true, `no-…` when false). */
  label: string;
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
  { flag: 'cards-budget', key: 'cards_budget', label: 'cards', type: 'integer', default: 6, min: 0, max: 64, kinds: MCQ_LIKE, description: 'LEARN slots: PRO cards first (one per option), then evidence snippets' },
  { flag: 'max-learn-boosts', key: 'max_learn_boosts', label: 'boosts', type: 'integer', default: 2, min: 0, max: 64, kinds: MCQ_LIKE, description: 'at most this many retrieved evidence snippets in the slots the cards leave' },
  { flag: 'idk', key: 'idk', label: 'idk', type: 'boolean', default: false, kinds: MCQ_LIKE, description: 'allow the model to abstain with IDK' },
  { flag: 'strict-evidence', key: 'strict_evidence', label: 'strict', type: 'boolean', default: false, kinds: MCQ_LIKE, description: 'an answer without a verified passage quote (or whose first citation is not its shown PRO card) counts as an abstention' },
  { flag: 'sc', key: 'sc', label: 'sc', type: 'integer', default: 1, min: 1, max: 64, kinds: MCQ_LIKE, description: 'self-consistency: N samples, majority vote (ties: answers beat IDK, then the earliest-voted option)' },
  { flag: 'sc-extract', key: 'sc_extract', label: 'scx', type: 'integer', default: 1, min: 1, max: 64, kinds: MCQ_LIKE, description: 'pool the citations of the first K samples that voted for the winner' },
  { flag: 'best-of', key: 'best_of', label: 'bo', type: 'integer', default: 1, min: 1, max: 64, kinds: MCQ_LIKE, description: 'N samples, keep the one whose verified quotes best support its own answer' },
  { flag: 'tau', key: 'tau', label: 'tau', type: 'number', default: 0.5, min: 0, max: 1, kinds: MCQ_LIKE, description: 'τ: least coverage of the gold option by the quotes for an answer to be credited' },
  { flag: 'context-limit', key: 'context_limit', label: 'ctx', type: 'integer', default: 16000, min: 256, kinds: ['session'], description: "the model's context limit in tokens" },
  { flag: 'trim-threshold', key: 'trim_threshold', label: 'trim-at', type: 'number', default: 0.8, min: 0.05, max: 1, kinds: ['session'], description: 'trim when the context passes this share of the limit' },
  { flag: 'trim-target', key: 'trim_target', label: 'trim-to', type: 'number', default: 0.5, min: 0, max: 1, kinds: ['session'], description: 'trim down to this share of the limit (aggressive: half of it)' },
  { flag: 'trim-strategy', key: 'trim_strategy', label: 'trim-', type: 'string', default: 'sliding-window', choices: TRIM_STRATEGIES, kinds: ['session'], description: 'sliding-window | importance | hybrid | aggressive | none' },
  { flag: 'max-attempts', key: 'max_attempts', label: 'tries', type: 'integer', default: 3, min: 1, max: 20, kinds: ['generate', 'grade'], description: 'requests per step until a note or grade parses' },
  { flag: 'grader-reasoning', key: 'grader_reasoning', label: 'grader-reasoning', type: 'boolean', default: false, kinds: ['grade'], description: 'the grader reasons before its JSON scores' },
];

