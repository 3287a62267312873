import OpenAI, { type ClientOptions } from 'openai';
import type { Lane, ProviderName } from '../../core/lane.ts';
import type { TokenCounts } from '../../core/tokens.ts';
import { ClientCache } from './clientCache.ts';
import { putDials } from './dialBody.ts';
import { readApiKey, type KeySource } from './credentials.ts';
import { checkBaseURL } from './endpoint.ts';
import { withDeadline } from './deadline.ts';
import { toProviderError } from './errors.ts';
import { withRateLimitHint } from './rateLimitHeaders.ts';
import type { ChatRequest, ChatResponse, ProviderAdapter } from '../../core/chat.ts';

/** One server family that speaks Chat Completions: OpenAI itself, or an OpenAI-compatible backend. */
export interface ChatCompletionsEndpoint {
  readonly name: ProviderName;
  /** Names the endpoint in error messages, e.g. `openai-compatible/deepseek`. */
  label(lane: Lane): string;
  /** The base URL the SDK appends /chat/completions to. */
  baseURL(lane: Lane): string;
  /** The environment variable the base URL comes from when the lane sets none (OPENAI_BASE_URL). */
  baseURLVariable?: string;
  keySource(lane: Lane): KeySource;
  /** Client options beyond base URL and key (OpenAI's organization and project). */
  clientOptions?: Partial<ClientOptions>;
}

/** The Chat Completions body for a lane and request: the dials under the fields DIAL_FIELDS gives the lane's target (OpenAI, its reasoning models, or a compatible backend). */
export function buildChatCompletionBody(lane: Lane, request: ChatRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { model: lane.model, messages: request.messages.map(({ role, content }) => ({ role, content })) };
  putDials(body, lane, request);
  if (request.json === true) body['response_format'] = { type: 'json_object' };
  if (request.stream === true) {
    body['stream'] = true;
    body['stream_options'] = { include_usage: true };
  }
  return body;
}

/** Usage fields some compatible servers add next to (or instead of) OpenAI's prompt_tokens_details. */
interface CompatibleUsage {
  /** DeepSeek: https://api-docs.deepseek.com/guides/kv_cache */
  prompt_cache_hit_tokens?: number;
  /** Moonshot (Kimi): https://platform.moonshot.ai/docs/api/chat */
  cached_tokens?: number;
}

/**
 * Token counts from a Chat Completions usage object. prompt_tokens already includes cached tokens, so
 * prompt is taken as is; Chat Completions servers bill no cache writes.
 */
export function tokensFromUsage(usage: (OpenAI.CompletionUsage & CompatibleUsage) | null | undefined): TokenCounts {
  if (usage === null || usage === undefined) return { prompt: 0, completion: 0, cached_read: 0, cache_write: 0, reasoning: 0 };
  return {
    prompt: usage.prompt_tokens ?? 0,
    completion: usage.completion_tokens ?? 0,
    cached_read: usage.prompt_tokens_details?.cached_tokens ?? usage.prompt_cache_hit_tokens ?? usage.cached_tokens ?? 0,
    cache_write: 0,
    reasoning: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

function responseFromCompletion(completion: OpenAI.ChatCompletion): ChatResponse {
  const choice = completion.choices[0];
  return { text: choice?.message.content ?? '', finishReason: choice?.finish_reason ?? null, tokens: tokensFromUsage(completion.usage), ttftMs: null };
}

/** Deltas as compatible servers stream them: reasoning text arrives before content (DeepSeek, vLLM, OpenRouter). */
type StreamDelta = OpenAI.ChatCompletionChunk.Choice.Delta & { reasoning_content?: string | null; reasoning?: string | null };
/** Moonshot puts the final usage inside the last choice instead of the chunk. */
type StreamChoice = OpenAI.ChatCompletionChunk.Choice & { usage?: OpenAI.CompletionUsage | null };

/** Reads a stream to the end; time to first token is the first delta with text, reasoning included. */
async function readStream(stream: AsyncIterable<OpenAI.ChatCompletionChunk>, startedAt: number): Promise<ChatResponse> {
  let text = '';
  let finishReason: string | null = null;
  let usage: OpenAI.CompletionUsage | null | undefined;
  let ttftMs: number | null = null;
  for await (const chunk of stream) {
    const choice = chunk.choices[0] as StreamChoice | undefined;
    const delta = choice?.delta as StreamDelta | undefined;
    if (ttftMs === null && [delta?.content, delta?.reasoning_content, delta?.reasoning].some((s) => typeof s === 'string' && s !== '')) {
      ttftMs = Math.round(performance.now() - startedAt);
    }
    text += delta?.content ?? '';
    finishReason = choice?.finish_reason ?? finishReason;
    usage = chunk.usage ?? choice?.usage ?? usage;
  }
  return { text, finishReason, tokens: tokensFromUsage(usage), ttftMs };
}

/** The URL a Chat Completions request goes to. */
function completionsURL(baseURL: string): string {
  return `${baseURL.replace(/\/+$/, '')}/chat/completions`;
}

/** An adapter over the official openai SDK for any endpoint that speaks Chat Completions. */
export function createChatCompletionsAdapter(endpoint: ChatCompletionsEndpoint, env: NodeJS.ProcessEnv): ProviderAdapter {
  const clients = new ClientCache<OpenAI>();
  const clientFor = (baseURL: string, apiKey: string | null): OpenAI =>
    clients.get(baseURL, apiKey, () =>
      new OpenAI({
        baseURL,
        // The SDK insists on a key; for a keyless server (vLLM, local) it gets a placeholder whose header is removed.
        apiKey: apiKey ?? 'no-key',
        ...(apiKey === null ? { defaultHeaders: { Authorization: null } } : {}),
        // Retries belong to the scheduler, which honours Retry-After across all requests.
        maxRetries: 0,
        // Nothing from process.env: the adapter's env decides, and OpenAI's own headers never go to another server.
        adminAPIKey: null,
        organization: null,
        project: null,
        webhookSecret: null,
        ...endpoint.clientOptions,
      }));

  return {
    name: endpoint.name,
    buildRequest(lane, request) {
      return { url: completionsURL(endpoint.baseURL(lane)), body: buildChatCompletionBody(lane, request) };
    },
    check(lane) {
      readApiKey(env, lane, endpoint.keySource(lane));
      checkBaseURL(lane, env, endpoint.baseURLVariable, () => endpoint.baseURL(lane));
    },
    baseURL: (lane) => endpoint.baseURL(lane),
    async send(lane, request, options) {
      const apiKey = readApiKey(env, lane, endpoint.keySource(lane));
      const client = clientFor(endpoint.baseURL(lane), apiKey);
      const body = buildChatCompletionBody(lane, request);
      return withDeadline(options, async (deadline) => {
        const requestOptions = { signal: deadline.signal, timeout: options.timeoutMs, maxRetries: 0 };
        const startedAt = performance.now();
        try {
          // withResponse: the headers carry the rate limits the scheduler adapts to
          if (request.stream === true) {
            const { data: stream, response: http } = await client.chat.completions.create(body as unknown as OpenAI.ChatCompletionCreateParamsStreaming, requestOptions).withResponse();
            const response = await readStream(stream, startedAt);
            deadline.throwIfAborted();
            return withRateLimitHint(response, http.headers);
          }
          const { data, response: http } = await client.chat.completions.create(body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming, requestOptions).withResponse();
          return withRateLimitHint(responseFromCompletion(data), http.headers);
        } catch (error) {
          throw toProviderError(error, { provider: endpoint.label(lane), env, apiKey, deadline });
        }
      });
    },
    async close() {
      clients.clear();
    },
  };
}
