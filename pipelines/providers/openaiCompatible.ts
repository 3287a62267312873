import type { BackendName, Lane } from '../../core/lane.ts';
import { createChatCompletionsAdapter } from './chatCompletions.ts';
import type { KeySource } from './credentials.ts';
import { ProviderError, type ProviderAdapter } from '../../core/chat.ts';

interface BackendDefaults {
  /** Undefined where the server is the user's own (vLLM, generic): the lane must give base_url. */
  baseURL?: string;
  key: KeySource;
}

/** Each backend's documented base URL and key variable. */
const BACKENDS: Readonly<Record<BackendName, BackendDefaults>> = {
  // https://api-docs.deepseek.com/
  deepseek: { baseURL: 'https://api.deepseek.com', key: { variable: 'DEEPSEEK_API_KEY', required: true } },
  // https://platform.moonshot.ai/docs/api/chat
  moonshot: { baseURL: 'https://api.moonshot.ai/v1', key: { variable: 'MOONSHOT_API_KEY', required: true } },
  // https://openrouter.ai/docs/api-reference/overview
  openrouter: { baseURL: 'https://openrouter.ai/api/v1', key: { variable: 'OPENROUTER_API_KEY', required: true } },
  // https://docs.together.ai/reference/chat-completions-1
  together: { baseURL: 'https://api.together.xyz/v1', key: { variable: 'TOGETHER_API_KEY', required: true } },
  // https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html: a key only when the server was started with --api-key.
  vllm: { key: { variable: 'VLLM_API_KEY', required: false } },
  generic: { key: { variable: undefined, required: false } },
};

const backendOf = (lane: Lane): BackendName => lane.backend ?? 'generic';

function baseURLOf(lane: Lane): string {
  const url = lane.base_url ?? BACKENDS[backendOf(lane)].baseURL;
  if (url === undefined) throw new ProviderError('invalid_request', `lane ${lane.slug}: the ${backendOf(lane)} backend needs base_url (for example http://127.0.0.1:8000/v1)`);
  return url;
}

/** A lane's api_key_env names a required key; otherwise the backend's usual variable. */
function keySourceOf(lane: Lane): KeySource {
  return lane.api_key_env !== undefined ? { variable: lane.api_key_env, required: true } : BACKENDS[backendOf(lane)].key;
}

/** The OpenAI-compatible adapter: DeepSeek, Moonshot, OpenRouter, Together, vLLM and others by base URL. */
export function createAdapter(env: NodeJS.ProcessEnv): ProviderAdapter {
  return createChatCompletionsAdapter(
    {
      name: 'openai-compatible',
      label: (lane) => `openai-compatible/${backendOf(lane)}`,
      baseURL: baseURLOf,
      keySource: keySourceOf,
    },
    env,
  );
}
