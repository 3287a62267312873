/** The providers audition can talk to; `openai-compatible` covers DeepSeek, Moonshot, OpenRouter, vLLM … by base URL. */
export const PROVIDERS = ['openai', 'anthropic', 'ollama', 'openai-compatible', 'sim'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** Known OpenAI-compatible backends; they differ in which sampling dials they accept. */
export const BACKENDS = ['deepseek', 'moonshot', 'openrouter', 'vllm', 'together', 'generic'] as const;
export type BackendName = (typeof BACKENDS)[number];

export const REASONING_EFFORTS = ['minimal', 'low', 'medium', 'high'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

/** Sampling and output dials. Absent means "the provider's default"; nothing is sent for it. */
export interface Dials {
  temperature?: number;
  top_p?: number;
  top_k?: number;
  min_p?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  repetition_penalty?: number;
  reasoning_effort?: ReasoningEffort;
  thinking?: boolean;
  thinking_budget_tokens?: number;
  max_output_tokens?: number;
  seed?: number;
}

export const DIAL_NAMES = [
  'temperature', 'top_p', 'top_k', 'min_p', 'frequency_penalty', 'presence_penalty', 'repetition_penalty',
  'reasoning_effort', 'thinking', 'thinking_budget_tokens', 'max_output_tokens', 'seed',
] as const satisfies readonly (keyof Dials)[];
export type DialName = (typeof DIAL_NAMES)[number];

/** One model configuration. The slug is built from alias and dials (see slug.ts). */
export interface Lane {
  slug: string;
  /** Short model name used in slugs: `4o`, `gpt5`, `sonnet`, `hermes`. */
  alias: string;
  provider: ProviderName;
  /** The provider's model id, e.g. `gpt-4o-2024-08-06`, `claude-sonnet-4-5`. */
  model: string;
  backend?: BackendName;
  base_url?: string;
  /** Name of the environment variable holding the API key (never the key itself). */
  api_key_env?: string;
  dials: Dials;
  /** May run new generations. */
  active: boolean;
  /** Shown in rankings and reports. */
  visible: boolean;
  notes?: string;
  created_at?: string;
  updated_at?: string;
}

/** A lane's registry flags alone: what the aggregate needs to know of the registry. */
export type LaneFlags = Pick<Lane, 'slug' | 'active' | 'visible'>;

/** The dials as a flat object with only the set values, in DIAL_NAMES order (for logs and tables). */
export function flattenDials(dials: Dials): Record<string, number | string | boolean> {
  const flat: Record<string, number | string | boolean> = {};
  for (const name of DIAL_NAMES) {
    const value = dials[name];
    if (value !== undefined) flat[name] = value;
  }
  return flat;
}

/** True for OpenAI reasoning models (o-series, gpt-5 except the chat variant), which take reasoning_effort, never temperature. */
export function isOpenAIReasoningModel(model: string): boolean {
  return /^(o\d+)(-|$)/.test(model) || /^gpt-5(?!-chat)/.test(model);
}
