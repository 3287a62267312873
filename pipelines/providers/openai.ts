import { createChatCompletionsAdapter } from './chatCompletions.ts';
import { baseURLFromEnv } from './endpoint.ts';
import type { ProviderAdapter } from '../../core/chat.ts';

/** The SDK's own default, written out so --dry-run can show the URL. */
const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** The OpenAI adapter: Chat Completions on the official SDK; key from the lane's api_key_env, else OPENAI_API_KEY. */
export function createAdapter(env: NodeJS.ProcessEnv): ProviderAdapter {
  return createChatCompletionsAdapter(
    {
      name: 'openai',
      label: () => 'openai',
      baseURL: (lane) => lane.base_url ?? baseURLFromEnv(env, 'OPENAI_BASE_URL') ?? OPENAI_BASE_URL,
      baseURLVariable: 'OPENAI_BASE_URL',
      keySource: (lane) => ({ variable: lane.api_key_env ?? 'OPENAI_API_KEY', required: true }),
      clientOptions: { organization: env['OPENAI_ORG_ID'] ?? null, project: env['OPENAI_PROJECT_ID'] ?? null },
    },
    env,
  );
}
