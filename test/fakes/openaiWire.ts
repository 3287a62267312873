import type { OutgoingHttpHeaders } from 'node:http';
import type { Completion } from './completion.ts';
import { formatRetryAfter } from './faults.ts';
import { jsonReply, splitForStream } from './http.ts';
import type { Reply } from './http.ts';
import type { LimitState, RateLimitOptions, RateLimitVerdict } from './rateLimit.ts';

// https://platform.openai.com/docs/guides/error-codes and the body every OpenAI error carries.
export function openaiError(
  status: number,
  message: string,
  type: string,
  param: string | null,
  code: string | number | null,
  headers: OutgoingHttpHeaders,
): Reply {
  return jsonReply(status, { error: { message, type, param, code } }, headers);
}

export interface ChatReplyParts {
  readonly id: string;
  readonly model: string;
  readonly promptTokens: number;
  readonly cachedTokens: number;
  readonly completion: Completion;
}

function usageOf(parts: ChatReplyParts): Record<string, unknown> {
  const { promptTokens, cachedTokens, completion } = parts;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completion.outputTokens,
    total_tokens: promptTokens + completion.outputTokens,
    prompt_tokens_details: { cached_tokens: cachedTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: completion.reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function finishReason(completion: Completion): 'stop' | 'length' {
  return completion.stop === 'length' ? 'length' : 'stop';
}

/** The non-streaming chat.completion object. */
export function chatCompletion(parts: ChatReplyParts): Record<string, unknown> {
  return {
    id: parts.id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: parts.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: parts.completion.text, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: finishReason(parts.completion),
      },
    ],
    usage: usageOf(parts),
    service_tier: 'default',
    system_fingerprint: null,
  };
}

/** The SSE body of a streamed completion: role chunk, content chunks, finish chunk, optional usage chunk, [DONE]. */
export function chatCompletionStream(parts: ChatReplyParts, includeUsage: boolean): string {
  const created = Math.floor(Date.now() / 1000);
  const chunk = (choices: unknown[], usage: unknown): string => {
    const value: Record<string, unknown> = {
      id: parts.id,
      object: 'chat.completion.chunk',
      created,
      model: parts.model,
      service_tier: 'default',
      system_fingerprint: null,
      choices,
    };
    if (includeUsage) value.usage = usage;
    return `data: ${JSON.stringify(value)}\n\n`;
  };
  const choice = (delta: unknown, finish: string | null) => [{ index: 0, delta, logprobs: null, finish_reason: finish }];
  let body = chunk(choice({ role: 'assistant', content: '', refusal: null }, null), null);
  for (const piece of splitForStream(parts.completion.text)) body += chunk(choice({ content: piece }, null), null);
  body += chunk(choice({}, finishReason(parts.completion)), null);
  if (includeUsage) body += chunk([], usageOf(parts));
  return `${body}data: [DONE]\n\n`;
}

/** Go-style durations as OpenAI writes them in x-ratelimit-reset-*: 20ms, 1.5s, 6m0s. */
export function formatResetDuration(ms: number): string {
  const rounded = Math.max(0, Math.ceil(ms));
  if (rounded < 1000) return `${rounded}ms`;
  const minutes = Math.floor(rounded / 60_000);
  const seconds = Number(((rounded % 60_000) / 1000).toFixed(3));
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
}

// https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers
export function openaiRateHeaders(verdict: RateLimitVerdict | undefined, advertise: RateLimitOptions['advertise'] = 'all'): OutgoingHttpHeaders {
  if (verdict === undefined) return {};
  if (advertise === 'retry-after') return verdict.allowed ? {} : formatRetryAfter(verdict.retryAfterMs, false);
  const headers: OutgoingHttpHeaders = {};
  const put = (kind: string, state: LimitState | undefined) => {
    if (state === undefined) return;
    headers[`x-ratelimit-limit-${kind}`] = String(state.limit);
    headers[`x-ratelimit-remaining-${kind}`] = String(state.remaining);
    headers[`x-ratelimit-reset-${kind}`] = formatResetDuration(state.resetMs);
  };
  put('requests', verdict.limits.requests);
  put('tokens', verdict.limits.tokens);
  if (!verdict.allowed) Object.assign(headers, formatRetryAfter(verdict.retryAfterMs, true));
  return headers;
}

/** The 429 body OpenAI sends when a per-minute limit is hit. */
export function openaiRateLimited(
  model: string,
  verdict: RateLimitVerdict,
  tokens: number,
  headers: OutgoingHttpHeaders,
): Reply {
  const byRequests = verdict.exceeded === 'requests';
  const state = byRequests ? verdict.limits.requests : verdict.limits.tokens;
  const limit = state?.limit ?? 0;
  const used = limit - (state?.remaining ?? 0);
  const what = byRequests ? 'requests per min (RPM)' : 'tokens per min (TPM)';
  const requested = byRequests ? 1 : tokens;
  const message =
    `Rate limit reached for ${model} in organization org-fake on ${what}: Limit ${limit}, Used ${used}, ` +
    `Requested ${requested}. Please try again in ${formatResetDuration(verdict.retryAfterMs)}. ` +
    'Visit https://platform.openai.com/account/rate-limits to learn more.';
  return openaiError(429, message, byRequests ? 'requests' : 'tokens', null, 'rate_limit_exceeded', headers);
}
