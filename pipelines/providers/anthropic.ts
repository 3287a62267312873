import Anthropic, { type ClientOptions } from '@anthropic-ai/sdk';
import type { Lane } from '../../core/lane.ts';
import type { TokenCounts } from '../../core/tokens.ts';
import { estimateTokens } from '../../core/tokens.ts';
import { ClientCache } from './clientCache.ts';
import { putDials, requestDials } from './dialBody.ts';
import { readApiKey } from './credentials.ts';
import { baseURLFromEnv, checkBaseURL } from './endpoint.ts';
import { withDeadline } from './deadline.ts';
import { toProviderError } from './errors.ts';
import { withRateLimitHint } from './rateLimitHeaders.ts';
import type { AdapterOptions } from './providerPool.ts';
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

// https://docs.anthropic.com/en/docs/resources/model-deprecations — the notices the SDK (1.12) writes with a bare
// console.warn on every messages.create, where neither its `logger` option nor anything short of patching the global
// console can catch them. The adapter sends the same request through the SDK's client.post (its documented way to
// call an endpoint directly: same auth, timeouts, errors and streaming) and gives these notices itself, once each.
const DEPRECATED_MODELS: Readonly<Record<string, string>> = {
  'claude-sonnet-4-5': 'November 30th, 2026',
  'claude-sonnet-4-5-20250929': 'November 30th, 2026',
};
const THINKING_ENABLED_DEPRECATED = ['claude-mythos-preview', 'claude-opus-4-6'];

/** The deprecation notices a Messages request body earns (the SDK's own wording). */
export function deprecationNotices(body: Record<string, unknown>): string[] {
  const model = String(body['model']);
  const notices: string[] = [];
  const endOfLife = DEPRECATED_MODELS[model];
  if (endOfLife !== undefined) notices.push(`The model '${model}' is deprecated and will reach end-of-life on ${endOfLife}\nPlease migrate to a newer model. Visit https://docs.anthropic.com/en/docs/resources/model-deprecations for more information.`);
  if (THINKING_ENABLED_DEPRECATED.includes(model) && (body['thinking'] as { type?: unknown } | undefined)?.type === 'enabled') {
    notices.push(`Using Claude with ${model} and 'thinking.type=enabled' is deprecated. Use 'thinking.type=adaptive' instead which results in better model performance in our testing: https://platform.claude.com/docs/en/build-with-claude/adaptive-thinking`);
  }
  return notices;
}

const LOG_LEVELS = ['off', 'error', 'warn', 'info', 'debug'] as const;

/**
 * The SDK's logger for one adapter: warnings and errors go to the adapter's `warn`, each distinct text once per
 * adapter (a sweep would repeat them thousands of times); info and debug to its `debug`, never to stdout (the SDK's
 * default console writes them there). The level is the adapter environment's ANTHROPIC_LOG, else warn.
 */
function sdkLogging(env: NodeJS.ProcessEnv, log: AdapterOptions['log']): { logger: ClientOptions['logger']; logLevel: ClientOptions['logLevel']; warnOnce: (text: string) => void } {
  const shown = new Set<string>();
  const warnOnce = (text: string): void => {
    if (shown.has(text)) return;
    shown.add(text);
    log?.warn(text);
  };
  const line = (message: string, rest: unknown[]): string => [message, ...rest.map((r) => (typeof r === 'string' ? r : JSON.stringify(r)))].join(' ');
  const level = env['ANTHROPIC_LOG'];
  return {
    logger: {
      error: (message, ...rest) => warnOnce(line(message, rest)),
      warn: (message, ...rest) => warnOnce(line(message, rest)),
      info: (message, ...rest) => log?.debug(line(message, rest)),
      debug: (message, ...rest) => log?.debug(line(message, rest)),
    },
    logLevel: (LOG_LEVELS as readonly string[]).includes(level ?? '') ? (level as ClientOptions['logLevel']) : 'warn',
    warnOnce,
  };
}

/** A lane's api_key_env, else ANTHROPIC_API_KEY; always required. */
const keySourceOf = (lane: Lane) => ({ variable: lane.api_key_env ?? 'ANTHROPIC_API_KEY', required: true }) as const;

/** The Anthropic adapter: Messages API on the official SDK; key from the lane's api_key_env, else ANTHROPIC_API_KEY. */
export function createAdapter(env: NodeJS.ProcessEnv, options: AdapterOptions = {}): ProviderAdapter {
  const clients = new ClientCache<Anthropic>();
  const { logger, logLevel, warnOnce } = sdkLogging(env, options.log);
  const baseURLOf = (lane: Lane): string => (lane.base_url ?? baseURLFromEnv(env, 'ANTHROPIC_BASE_URL') ?? ANTHROPIC_BASE_URL).replace(/\/+$/, '');
  return {
    name: 'anthropic',
    buildRequest(lane, request) {
      return { url: `${baseURLOf(lane)}/v1/messages`, body: buildMessagesBody(lane, request) };
    },
    check(lane) {
      readApiKey(env, lane, keySourceOf(lane));
      checkBaseURL(lane, env, 'ANTHROPIC_BASE_URL', () => baseURLOf(lane));
    },
    baseURL: baseURLOf,
    async send(lane, request, options) {
      const apiKey = readApiKey(env, lane, keySourceOf(lane));
      const baseURL = baseURLOf(lane);
      // Retries belong to the scheduler, which honours Retry-After across all requests.
      const client = clients.get(baseURL, apiKey, () => new Anthropic({ apiKey, baseURL, maxRetries: 0, logger, logLevel }));
      const body = buildMessagesBody(lane, request);
      for (const notice of deprecationNotices(body)) warnOnce(notice);
      return withDeadline(options, async (deadline) => {
        const requestOptions = { body, signal: deadline.signal, timeout: options.timeoutMs, maxRetries: 0 };
        const startedAt = performance.now();
        try {
          // withResponse: the headers carry the rate limits the scheduler adapts to
          if (request.stream === true) {
            const { data: stream, response: http } = await client.post<AsyncIterable<Anthropic.RawMessageStreamEvent>>('/v1/messages', { ...requestOptions, stream: true }).withResponse();
            const response = await readStream(stream, startedAt);
            deadline.throwIfAborted();
            return withRateLimitHint(response, http.headers);
          }
          const { data, response: http } = await client.post<Anthropic.Message>('/v1/messages', requestOptions).withResponse();
          return withRateLimitHint(responseFromMessage(data), http.headers);
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
