import Anthropic from '@anthropic-ai/sdk';
import type { Lane } from '../../core/lane.ts';
import type { TokenCounts } from '../../core/tokens.ts';
import { estimateTokens } from '../../core/tokens.ts';
import { ClientCache } from './clientCache.ts';
import { putDials, requestDials } from './dialBody.ts';
import { readApiKey } from './credentials.ts';
import { withDeadline } from './deadline.ts';
import { toProviderError } from './errors.ts';
import { ProviderError, type ChatRequest, type ChatResponse, type ProviderAdapter } from '../../core/chat.ts';

/** The SDK's own default, written out so --dry-run can show the URL. */
const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';

// https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching: a cache_control mark on a block
// caches the prompt (system, then messages) up to and including that block.
const CACHE_MARK = { type: 'ephemeral' } as const;

function textBlock(text: string, marked: boolean): Record<string, unknown> {
  return marked ? { type: 'text', text, cache_control: CACHE_MARK } : { type: 'text', text };
}

/**
 * The Messages API body: system messages become `system` text blocks (in order), the rest `messages`;
 * the last message of the shared prefix (request.cachePrefix) gets the cache mark, as a system block or
 * as its message's one text block. Dials go under the fields core/dialFields.ts gives Anthropic (extended
 * thinking as `thinking: {type: 'enabled', budget_tokens}`; temperature only when the lane sets it, which
 * with thinking the lane rules allow only as 1). `json` and the per-step `seed` send nothing: the Messages
 * API has no JSON mode short of a full schema and no seed, so the task's prompt asks for JSON.
 */
export function buildMessagesBody(lane: Lane, request: ChatRequest): Record<string, unknown> {
  // https://docs.anthropic.com/en/api/messages: max_tokens is required.
  if (requestDials(lane, request).max_output_tokens === undefined) throw new ProviderError('invalid_request', `lane ${lane.slug}: Anthropic requires max_tokens; set max_output_tokens`);
  const lastShared = Math.min(request.cachePrefix ?? 0, request.messages.length) - 1;
  const system: Record<string, unknown>[] = [];
  const messages: Record<string, unknown>[] = [];
  request.messages.forEach((message, index) => {
    const marked = index === lastShared;
    if (message.role === 'system') system.push(textBlock(message.content, marked));
    else messages.push({ role: message.role, content: marked ? [textBlock(message.content, true)] : message.content });
  });
  const body: Record<string, unknown> = { model: lane.model };
  if (system.length > 0) body['system'] = system;
  body['messages'] = messages;
  putDials(body, lane, request);
  if (request.stream === true) body['stream'] = true;
  return body;
}

/** The usage fields this adapter reads, from a Message or merged from stream events. */
interface UsageCounts {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number | null;
  cache_creation_input_tokens: number | null;
  output_tokens_details?: { thinking_tokens: number } | null;
}

/**
 * Anthropic's input_tokens leaves out cached tokens, so prompt = input + cache reads + cache writes (every
 * input token, as OpenAI counts it). Reasoning is usage.output_tokens_details.thinking_tokens; when the
 * usage has no such split, it is estimated from the returned thinking text (≈ 4 characters a token,
 * at most output_tokens) — a lower bound, since thinking may come back summarised.
 */
export function tokensFromUsage(usage: UsageCounts, thinkingText: string): TokenCounts {
  const read = usage.cache_read_input_tokens ?? 0;
  const write = usage.cache_creation_input_tokens ?? 0;
  const thinking = usage.output_tokens_details?.thinking_tokens;
  return {
    prompt: usage.input_tokens + read + write,
    completion: usage.output_tokens,
    cached_read: read,
    cache_write: write,
    reasoning: thinking ?? (thinkingText === '' ? 0 : Math.min(usage.output_tokens, estimateTokens(thinkingText))),
  };
}

/** Text is the text blocks joined; thinking blocks stay out of it. */
function responseFromMessage(message: Anthropic.Message): ChatResponse {
  let text = '';
  let thinking = '';
  for (const block of message.content) {
    if (block.type === 'text') text += block.text;
    else if (block.type === 'thinking') thinking += block.thinking;
  }
  return { text, finishReason: message.stop_reason, tokens: tokensFromUsage(message.usage, thinking), ttftMs: null };
}

/** Reads a message stream to the end; time to first token is the first text or thinking delta. */
async function readStream(stream: AsyncIterable<Anthropic.RawMessageStreamEvent>, startedAt: number): Promise<ChatResponse> {
  let text = '';
  let thinking = '';
  let stopReason: string | null = null;
  let ttftMs: number | null = null;
  const usage: UsageCounts = { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: null, cache_creation_input_tokens: null };
  const firstToken = (): void => {
    if (ttftMs === null) ttftMs = Math.round(performance.now() - startedAt);
  };
  for await (const event of stream) {
    if (event.type === 'message_start') {
      Object.assign(usage, pickUsage(event.message.usage));
    } else if (event.type === 'content_block_delta') {
      if (event.delta.type === 'text_delta') {
        firstToken();
        text += event.delta.text;
      } else if (event.delta.type === 'thinking_delta') {
        firstToken();
        thinking += event.delta.thinking;
      }
    } else if (event.type === 'message_delta') {
      stopReason = event.delta.stop_reason ?? stopReason;
      // message_delta carries cumulative counts; fields it leaves null keep the message_start values.
      Object.assign(usage, pickUsage(event.usage));
    }
  }
  return { text, finishReason: stopReason, tokens: tokensFromUsage(usage, thinking), ttftMs };
}

function pickUsage(usage: Partial<Record<keyof UsageCounts, unknown>>): Partial<UsageCounts> {
  const picked: Partial<UsageCounts> = {};
  for (const field of ['input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens'] as const) {
    const value = usage[field];
    if (typeof value === 'number') picked[field] = value;
  }
  const details = usage.output_tokens_details as { thinking_tokens?: unknown } | null | undefined;
  if (typeof details?.thinking_tokens === 'number') picked.output_tokens_details = { thinking_tokens: details.thinking_tokens };
  return picked;
}

/** The Anthropic adapter: Messages API on the official SDK; key from the lane's api_key_env, else ANTHROPIC_API_KEY. */
export function createAdapter(env: NodeJS.ProcessEnv): ProviderAdapter {
  const clients = new ClientCache<Anthropic>();
  const baseURLOf = (lane: Lane): string => (lane.base_url ?? env['ANTHROPIC_BASE_URL'] ?? ANTHROPIC_BASE_URL).replace(/\/+$/, '');
  return {
    name: 'anthropic',
    buildRequest(lane, request) {
      return { url: `${baseURLOf(lane)}/v1/messages`, body: buildMessagesBody(lane, request) };
    },
    async send(lane, request, options) {
      const apiKey = readApiKey(env, lane, { variable: lane.api_key_env ?? 'ANTHROPIC_API_KEY', required: true });
      const baseURL = baseURLOf(lane);
      // Retries belong to the scheduler, which honours Retry-After across all requests.
      const client = clients.get(baseURL, apiKey, () => new Anthropic({ apiKey, baseURL, maxRetries: 0 }));
      const body = buildMessagesBody(lane, request);
      return withDeadline(options, async (deadline) => {
        const requestOptions = { signal: deadline.signal, timeout: options.timeoutMs, maxRetries: 0 };
        const startedAt = performance.now();
        try {
          if (request.stream === true) {
            const stream = await warnOnce(() => client.messages.create(body as unknown as Anthropic.MessageCreateParamsStreaming, requestOptions));
            const response = await readStream(stream, startedAt);
            deadline.throwIfAborted();
            return response;
          }
          return responseFromMessage(await warnOnce(() => client.messages.create(body as unknown as Anthropic.MessageCreateParamsNonStreaming, requestOptions)));
        } catch (error) {
          throw toProviderError(error, { provider: 'anthropic', env, apiKey, deadline });
        }
      });
    },
    async close() {
      clients.clear();
    },
  };
}

const warned = new Set<string>();

/**
 * The SDK console.warns on every create() for deprecated models and thinking modes,
 * synchronously before it returns its promise; a sweep would print it thousands of
 * times. Each distinct warning is shown once.
 */
function warnOnce<T>(create: () => T): T {
  const original = console.warn;
  console.warn = (...args: unknown[]): void => {
    const text = args.map(String).join(' ');
    if (warned.has(text)) return;
    warned.add(text);
    original(...args);
  };
  try {
    return create();
  } finally {
    console.warn = original;
  }
}
