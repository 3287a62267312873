import { BACKENDS, DIAL_NAMES, isOpenAIReasoningModel, type DialName, type Lane } from './lane.ts';

/**
 * Where a dial goes in a request body: a dotted path (`options.repeat_penalty`), or null when the
 * target does not take the dial, and the lane rules reject a lane that sets it. `whenOn` is for a
 * flag the API spells as a word: true writes that word, false writes nothing (the API's default).
 */
export type DialField = string | { path: string; whenOn: string } | null;

/** One wire format (or one backend's flavour of it): which field each dial becomes. */
export interface DialTargetSpec {
  /** Names the target in rule messages. */
  label: string;
  /** The documentation the fields come from. */
  doc: string;
  /** Added to a rejection, where the target takes something else instead. */
  hint?: string;
  fields: Readonly<Record<DialName, DialField>>;
}

/** The wire format a lane's dials are written for: its provider, its OpenAI-compatible backend, or OpenAI's reasoning models. */
export const DIAL_TARGETS = ['openai', 'openai-reasoning', ...BACKENDS, 'anthropic', 'ollama', 'sim'] as const;
export type DialTarget = (typeof DIAL_TARGETS)[number];

const NONE = Object.fromEntries(DIAL_NAMES.map((dial) => [dial, null])) as Record<DialName, DialField>;

const CHAT_COMPLETIONS_SAMPLING = {
  temperature: 'temperature', top_p: 'top_p', frequency_penalty: 'frequency_penalty', presence_penalty: 'presence_penalty', seed: 'seed',
} as const satisfies Partial<Record<DialName, DialField>>;

// https://platform.openai.com/docs/api-reference/chat/create: max_tokens is deprecated for max_completion_tokens.
const OPENAI: DialTargetSpec = {
  label: 'OpenAI non-reasoning models', doc: 'https://platform.openai.com/docs/api-reference/chat/create',
  fields: { ...NONE, ...CHAT_COMPLETIONS_SAMPLING, max_output_tokens: 'max_completion_tokens' },
};

// https://platform.openai.com/docs/guides/reasoning: reasoning models take reasoning_effort and max_completion_tokens and
// reject temperature, top_p and the penalties; no seed is sent to them either.
const OPENAI_REASONING: DialTargetSpec = {
  label: 'OpenAI o-series and gpt-5 reasoning models', doc: 'https://platform.openai.com/docs/guides/reasoning', hint: 'they take reasoning_effort (minimal|low|medium|high) instead',
  fields: { ...NONE, reasoning_effort: 'reasoning_effort', max_output_tokens: 'max_completion_tokens' },
};

// https://api-docs.deepseek.com/api/create-chat-completion, https://platform.moonshot.ai/docs/api/chat: compatible servers
// document max_tokens and take reasoning_effort where their models reason.
const COMPATIBLE_FIELDS = { ...NONE, ...CHAT_COMPLETIONS_SAMPLING, reasoning_effort: 'reasoning_effort', max_output_tokens: 'max_tokens' } as const;

// https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html#extra-parameters, https://openrouter.ai/docs/parameters,
// https://docs.together.ai/reference/chat-completions-1: min_p, top_k and repetition_penalty as top-level body fields.
const EXTENDED_SAMPLING_FIELDS = { ...COMPATIBLE_FIELDS, top_k: 'top_k', min_p: 'min_p', repetition_penalty: 'repetition_penalty' } as const;
const EXTENDED_SAMPLING_DOC = 'https://docs.vllm.ai/en/latest/api/vllm/sampling_params.html';

// https://docs.anthropic.com/en/api/messages (max_tokens is required; no penalties, no seed) and
// https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking: thinking {type: 'enabled', budget_tokens}.
const ANTHROPIC: DialTargetSpec = {
  label: 'Anthropic', doc: 'https://docs.anthropic.com/en/api/messages',
  fields: {
    ...NONE, temperature: 'temperature', top_p: 'top_p', top_k: 'top_k',
    thinking: { path: 'thinking.type', whenOn: 'enabled' }, thinking_budget_tokens: 'thinking.budget_tokens', max_output_tokens: 'max_tokens',
  },
};

// https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion and
// https://github.com/ollama/ollama/blob/main/docs/modelfile.md#valid-parameters-and-values: sampling dials go in `options`,
// repetition_penalty as repeat_penalty and max_output_tokens as num_predict.
const OLLAMA: DialTargetSpec = {
  label: 'Ollama', doc: 'https://github.com/ollama/ollama/blob/main/docs/api.md',
  fields: {
    ...NONE, temperature: 'options.temperature', top_p: 'options.top_p', top_k: 'options.top_k', min_p: 'options.min_p',
    frequency_penalty: 'options.frequency_penalty', presence_penalty: 'options.presence_penalty', repetition_penalty: 'options.repeat_penalty',
    max_output_tokens: 'options.num_predict', seed: 'options.seed',
  },
};

/** The offline simulator reads every dial under its own name (docs/sim.md). */
const SIM: DialTargetSpec = { label: 'the sim', doc: 'docs/sim.md', fields: Object.fromEntries(DIAL_NAMES.map((dial) => [dial, dial])) as Record<DialName, DialField> };

/** For every target, which field each dial becomes, or that it is not taken: adapters write bodies from it, the lane rules reject from it. */
export const DIAL_FIELDS: Readonly<Record<DialTarget, DialTargetSpec>> = {
  openai: OPENAI,
  'openai-reasoning': OPENAI_REASONING,
  deepseek: { label: 'DeepSeek', doc: 'https://api-docs.deepseek.com/api/create-chat-completion', fields: COMPATIBLE_FIELDS },
  moonshot: { label: 'Moonshot (Kimi)', doc: 'https://platform.moonshot.ai/docs/api/chat', fields: COMPATIBLE_FIELDS },
  openrouter: { label: 'OpenRouter', doc: 'https://openrouter.ai/docs/parameters', fields: EXTENDED_SAMPLING_FIELDS },
  vllm: { label: 'vLLM', doc: EXTENDED_SAMPLING_DOC, fields: EXTENDED_SAMPLING_FIELDS },
  together: { label: 'Together', doc: 'https://docs.together.ai/reference/chat-completions-1', fields: EXTENDED_SAMPLING_FIELDS },
  generic: { label: 'generic OpenAI-compatible servers', doc: EXTENDED_SAMPLING_DOC, fields: EXTENDED_SAMPLING_FIELDS },
  anthropic: ANTHROPIC,
  ollama: OLLAMA,
  sim: SIM,
};

/** The target a lane's dials are written for. */
export function dialTargetOf(lane: Pick<Lane, 'provider' | 'model' | 'backend'>): DialTarget {
  switch (lane.provider) {
    case 'openai':
      return isOpenAIReasoningModel(lane.model) ? 'openai-reasoning' : 'openai';
    case 'openai-compatible':
      return lane.backend ?? 'generic';
    default:
      return lane.provider;
  }
}

/** The targets that take a dial and those that refuse it, in DIAL_TARGETS order. */
export function targetsOfDial(dial: DialName): { taking: DialTargetSpec[]; refusing: DialTargetSpec[] } {
  const specs = DIAL_TARGETS.map((target) => DIAL_FIELDS[target]);
  return { taking: specs.filter((spec) => spec.fields[dial] !== null), refusing: specs.filter((spec) => spec.fields[dial] === null) };
}
