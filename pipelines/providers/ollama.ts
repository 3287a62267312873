import { AsyncLocalStorage } from 'node:async_hooks';
import { Ollama, type ChatRequest as OllamaChatRequest, type ChatResponse as OllamaChatResponse } from 'ollama';
import type { Lane } from '../../core/lane.ts';
import type { TokenCounts } from '../../core/tokens.ts';
import { estimateTokens } from '../../core/tokens.ts';
import { ClientCache } from './clientCache.ts';
import { putDials } from './dialBody.ts';
import { readApiKey, type KeySource } from './credentials.ts';
import { checkBaseURL } from './endpoint.ts';
import { withDeadline, type Deadline } from './deadline.ts';
import { toProviderError } from './errors.ts';
import { withRateLimitHint } from './rateLimitHeaders.ts';
import { ProviderError, type ChatRequest, type ChatResponse, type ProviderAdapter } from '../../core/chat.ts';

// https://github.com/ollama/ollama/blob/main/docs/faq.md#how-do-i-configure-ollama-server
const OLLAMA_DEFAULT_PORT = '11434';
const OLLAMA_DEFAULT_HOST = `http://127.0.0.1:${OLLAMA_DEFAULT_PORT}`;
// https://github.com/ollama/ollama/blob/main/docs/faq.md#how-do-i-keep-a-model-loaded-in-memory-or-make-it-unload-immediately:
// each request may say how long the model stays loaded after it; a sweep keeps it loaded between steps.
const DEFAULT_KEEP_ALIVE = '30m';

/**
 * The host as ollama-js formats it (its formatHost): http:// and port 11434 when no scheme is given,
 * the scheme's port otherwise, no trailing slash. Credentials in the URL are dropped (fetch refuses them).
 */
export function formatOllamaHost(host: string | undefined): string {
  if (host === undefined || host.trim() === '') return OLLAMA_DEFAULT_HOST;
  let text = host.trim();
  let explicitScheme = text.includes('://');
  if (text.startsWith(':')) {
    text = `http://127.0.0.1${text}`;
    explicitScheme = true;
  }
  const url = new URL(explicitScheme ? text : `http://${text}`);
  const port = url.port !== '' ? url.port : !explicitScheme ? OLLAMA_DEFAULT_PORT : url.protocol === 'https:' ? '443' : '80';
  return `${url.protocol}//${url.hostname}:${port}${url.pathname}`.replace(/\/+$/, '');
}

/** keep_alive from OLLAMA_KEEP_ALIVE: a bare number is seconds (the API takes a number), else a duration such as '30m'. */
export function keepAliveFrom(env: NodeJS.ProcessEnv): string | number {
  const value = env['OLLAMA_KEEP_ALIVE']?.trim();
  if (value === undefined || value === '') return DEFAULT_KEEP_ALIVE;
  return /^-?\d+$/.test(value) ? Number(value) : value;
}

/** The /api/chat body: the dials go in `options` under Ollama's names (core/dialFields.ts). */
export function buildChatBody(lane: Lane, request: ChatRequest, keepAlive: string | number): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: lane.model,
    messages: request.messages.map(({ role, content }) => ({ role, content })),
    stream: request.stream === true,
    keep_alive: keepAlive,
  };
  putDials(body, lane, request);
  if (request.json === true) body['format'] = 'json';
  return body;
}

/**
 * prompt = prompt_eval_count, completion = eval_count (Ollama reports no cache). eval_count includes a
 * thinking model's reasoning, which is estimated from message.thinking like Anthropic's fallback.
 */
function tokensFrom(reply: Pick<OllamaChatResponse, 'prompt_eval_count' | 'eval_count'>, thinking: string): TokenCounts {
  const completion = reply.eval_count ?? 0;
  return {
    prompt: reply.prompt_eval_count ?? 0,
    completion,
    cached_read: 0,
    cache_write: 0,
    reasoning: thinking === '' ? 0 : Math.min(completion, estimateTokens(thinking)),
  };
}

/**
 * Not streamed, time to first token is the server's own figure: load_duration + prompt_eval_duration
 * (nanoseconds), which leaves out network and queueing. Streamed, it is measured.
 */
function serverTtftMs(reply: OllamaChatResponse): number | null {
  const ns = (reply.load_duration ?? 0) + (reply.prompt_eval_duration ?? 0);
  return ns > 0 ? Math.round(ns / 1e6) : null;
}

function responseFromChat(reply: OllamaChatResponse): ChatResponse {
  const thinking = reply.message.thinking ?? '';
  return { text: reply.message.content, finishReason: reply.done_reason ?? null, tokens: tokensFrom(reply, thinking), ttftMs: serverTtftMs(reply) };
}

async function readStream(stream: AsyncIterable<OllamaChatResponse>, startedAt: number): Promise<ChatResponse> {
  let text = '';
  let thinking = '';
  let ttftMs: number | null = null;
  let last: OllamaChatResponse | null = null;
  for await (const part of stream) {
    const piece = part.message?.content ?? '';
    const thought = part.message?.thinking ?? '';
    if (ttftMs === null && (piece !== '' || thought !== '')) ttftMs = Math.round(performance.now() - startedAt);
    text += piece;
    thinking += thought;
    last = part;
  }
  if (last === null) throw new ProviderError('network', 'ollama: the stream ended before any message');
  return { text, finishReason: last.done_reason ?? null, tokens: tokensFrom(last, thinking), ttftMs };
}

/**
 * ollama-js turns an `{"error": …}` line inside a stream into a plain Error, and a stream that stops
 * before `done` into another: the first is the server's failure, the second a cut connection.
 */
function streamFailure(error: unknown, deadline: Deadline): ProviderError | null {
  if (deadline.signal.aborted || !(error instanceof Error) || error.constructor !== Error) return null;
  const cut = error.message.startsWith('Did not receive done');
  return new ProviderError(cut ? 'network' : 'server', `ollama: ${error.message}`, { cause: error });
}

/** One request's signal and the response it got, for the fetch hook below. */
interface RequestScope {
  signal: AbortSignal;
  response: Response | null;
}

/**
 * ollama-js takes no per-request AbortSignal and keeps response headers to itself; this fetch hook
 * joins the request's deadline (from the adapter's `scopes`) to the call and keeps the response,
 * for its rate-limit headers (Retry-After on a 429).
 */
function scopedFetch(scopes: AsyncLocalStorage<RequestScope>): typeof fetch {
  return async (input, init) => {
    const scope = scopes.getStore();
    if (scope === undefined) return fetch(input, init);
    const signal = init?.signal ? AbortSignal.any([init.signal, scope.signal]) : scope.signal;
    const response = await fetch(input, { ...init, signal });
    scope.response = response;
    return response.ok || response.headers.get('content-type')?.includes('application/json') === true ? response : asJsonError(response);
  };
}

/** Longest error text kept from a non-JSON error page (a proxy's HTML). */
const ERROR_TEXT_CHARS = 500;

/**
 * ollama-js console.logs on stdout while it reads a non-JSON error body (a proxy's 502 page); it gets
 * the same text in Ollama's own `{"error": …}` shape instead, so stdout stays the caller's.
 */
async function asJsonError(response: Response): Promise<Response> {
  const text = (await response.text()).replace(/\s+/g, ' ').trim().slice(0, ERROR_TEXT_CHARS);
  const headers = new Headers(response.headers);
  headers.set('content-type', 'application/json');
  headers.delete('content-length');
  const error = text === '' ? `${response.status} ${response.statusText}` : text;
  return new Response(JSON.stringify({ error }), { status: response.status, statusText: response.statusText, headers });
}

/** A lane's api_key_env names a required key (a proxy or ollama.com); a local server takes none. */
function keySourceOf(lane: Lane): KeySource {
  return { variable: lane.api_key_env, required: lane.api_key_env !== undefined };
}

/** The Ollama adapter: /api/chat on the official ollama package; host from the lane's base_url, else OLLAMA_HOST. */
export function createAdapter(env: NodeJS.ProcessEnv): ProviderAdapter {
  const clients = new ClientCache<Ollama>();
  // each request runs in its own scope, which the adapter's fetch hook reads
  const scopes = new AsyncLocalStorage<RequestScope>();
  const fetchInScope = scopedFetch(scopes);
  const keepAlive = keepAliveFrom(env);
  const hostOf = (lane: Lane): string => formatOllamaHost(lane.base_url ?? env['OLLAMA_HOST']);
  return {
    name: 'ollama',
    buildRequest(lane, request) {
      return { url: `${hostOf(lane)}/api/chat`, body: buildChatBody(lane, request, keepAlive) };
    },
    check(lane) {
      readApiKey(env, lane, keySourceOf(lane));
      checkBaseURL(lane, env, 'OLLAMA_HOST', () => hostOf(lane));
    },
    baseURL: hostOf,
    async send(lane, request, options) {
      const apiKey = readApiKey(env, lane, keySourceOf(lane));
      const host = hostOf(lane);
      const client = clients.get(host, apiKey, () => new Ollama({ host, fetch: fetchInScope, ...(apiKey === null ? {} : { headers: { Authorization: `Bearer ${apiKey}` } }) }));
      const body = buildChatBody(lane, request, keepAlive) as unknown as OllamaChatRequest;
      return withDeadline(options, (deadline) => {
        const scope: RequestScope = { signal: deadline.signal, response: null };
        return scopes.run(scope, async () => {
          const startedAt = performance.now();
          try {
            if (request.stream === true) {
              const stream = await client.chat({ ...body, stream: true });
              try {
                return withRateLimitHint(await readStream(stream, startedAt), scope.response?.headers);
              } catch (error) {
                throw streamFailure(error, deadline) ?? error;
              }
            }
            return withRateLimitHint(responseFromChat(await client.chat({ ...body, stream: false })), scope.response?.headers);
          } catch (error) {
            throw toProviderError(error, { provider: 'ollama', env, apiKey, deadline, headers: scope.response?.headers ?? null });
          }
        });
      });
    },
    async close() {
      clients.clear();
    },
  };
}
