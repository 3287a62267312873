import { createHash } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';
import type { Completion } from './completion.ts';
import { formatRetryAfter } from './faults.ts';
import { jsonReply, splitForStream } from './http.ts';
import type { Reply } from './http.ts';
import type { LimitName, LimitState, RateLimitVerdict } from './rateLimit.ts';

export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'overloaded_error';

// https://platform.claude.com/docs/en/api/errors: every error body has this shape; `details.error_code` names a
// case within a type (a 429 enforced_spend_limit_reached, https://platform.claude.com/docs/en/api/rate-limits).
export function anthropicError(
  status: number,
  type: string,
  message: string,
  requestId: string,
  headers: OutgoingHttpHeaders,
  errorCode?: string,
): Reply {
  const error = errorCode === undefined ? { type, message } : { type, message, details: { error_code: errorCode } };
  return jsonReply(status, { type: 'error', error, request_id: requestId }, headers);
}

// https://platform.claude.com/docs/en/api/errors: the error type Anthropic uses for a status code.
export function errorTypeFor(status: number): AnthropicErrorType {
  if (status === 401) return 'authentication_error';
  if (status === 402) return 'billing_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 504) return 'timeout_error';
  if (status === 529) return 'overloaded_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

/** The message the API sends with an error type (the SDK's defaults where the API's own wording is not public). */
export function stockMessage(type: string, status: number, errorCode?: string): string {
  if (errorCode === 'enforced_spend_limit_reached') {
    return "You have reached your API usage limits: your organization has crossed its monthly API usage threshold, set based on your organization's API tier. You will regain access on the first day of next month at 00:00 UTC.";
  }
  if (type === 'billing_error') return 'Billing error';
  if (type === 'timeout_error') return 'Request timeout';
  if (type === 'rate_limit_error') return 'Number of requests has exceeded your rate limit (https://docs.claude.com/en/api/rate-limits).';
  if (type === 'overloaded_error') return 'Overloaded';
  if (type === 'api_error') return 'Internal server error';
  return `Injected error ${status}`;
}

// https://platform.claude.com/docs/en/api/rate-limits (response headers): requests, input tokens, output tokens and
// tokens each get -limit, -remaining (for tokens, rounded to the nearest thousand) and -reset (an RFC 3339 instant,
// when the limit is fully replenished); a 429 adds retry-after in seconds.
export function anthropicRateHeaders(verdict: RateLimitVerdict | undefined): OutgoingHttpHeaders {
  if (verdict === undefined) return {};
  const headers: OutgoingHttpHeaders = {};
  const now = Date.now();
  const put = (kind: string, state: LimitState | undefined, rounded: boolean) => {
    if (state === undefined) return;
    headers[`anthropic-ratelimit-${kind}-limit`] = String(state.limit);
    headers[`anthropic-ratelimit-${kind}-remaining`] = String(rounded ? Math.round(state.remaining / 1000) * 1000 : state.remaining);
    headers[`anthropic-ratelimit-${kind}-reset`] = new Date(now + state.resetMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  };
  const { limits } = verdict;
  put('requests', limits.requests, false);
  put('input-tokens', limits.input_tokens, true);
  put('output-tokens', limits.output_tokens, true);
  put('tokens', limits.tokens ?? combinedLimit(limits.input_tokens, limits.output_tokens), true);
  if (!verdict.allowed) Object.assign(headers, formatRetryAfter(verdict.retryAfterMs, false));
  return headers;
}

/** The tokens-* headers without a combined limit of their own: input + output, as the real API reports them. */
function combinedLimit(input: LimitState | undefined, output: LimitState | undefined): LimitState | undefined {
  if (input === undefined || output === undefined) return input ?? output;
  return { limit: input.limit + output.limit, remaining: input.remaining + output.remaining, resetMs: Math.max(input.resetMs, output.resetMs) };
}

const LIMIT_UNITS: Record<LimitName, string> = { requests: 'requests', tokens: 'tokens', input_tokens: 'input tokens', output_tokens: 'output tokens' };
const FAKE_ORGANIZATION = '00000000-0000-4000-8000-000000000000';

/** The message of a 429 from a per-minute limit, in the API's words: it names the limit hit, e.g. input tokens per minute. */
export function rateLimitMessage(verdict: RateLimitVerdict, model: string): string {
  const name = verdict.exceeded ?? 'requests';
  const limit = verdict.limits[name]?.limit ?? 0;
  return `This request would exceed your organization's rate limit of ${limit.toLocaleString('en-US')} ${LIMIT_UNITS[name]} per minute ` +
    `(org: ${FAKE_ORGANIZATION}, model: ${model}). For details, refer to: https://docs.claude.com/en/api/rate-limits. ` +
    'You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, ' +
    'or try again later. You may also contact sales at https://claude.com/contact-sales to discuss your options for a rate limit increase.';
}

export interface MessageParts {
  readonly id: string;
  readonly model: string;
  readonly inputTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheWriteTokens: number;
  readonly thinking: boolean;
  readonly completion: Completion;
}

function usageOf(parts: MessageParts, outputTokens: number): Record<string, unknown> {
  return {
    input_tokens: parts.inputTokens,
    cache_creation_input_tokens: parts.cacheWriteTokens,
    cache_read_input_tokens: parts.cacheReadTokens,
    cache_creation: { ephemeral_5m_input_tokens: parts.cacheWriteTokens, ephemeral_1h_input_tokens: 0 },
    output_tokens: outputTokens,
    output_tokens_details: parts.thinking ? { thinking_tokens: parts.completion.reasoningTokens } : null,
    service_tier: 'standard',
  };
}

function stopReason(completion: Completion): string {
  if (completion.stop === 'length') return 'max_tokens';
  return completion.stop === 'stop_sequence' ? 'stop_sequence' : 'end_turn';
}

function signatureOf(thinking: string): string {
  return createHash('sha256').update(thinking).digest('base64');
}

/** The non-streaming Message object. */
export function messageObject(parts: MessageParts): Record<string, unknown> {
  const { completion } = parts;
  const content: unknown[] = [];
  if (parts.thinking) {
    content.push({ type: 'thinking', thinking: completion.reasoning, signature: signatureOf(completion.reasoning) });
  }
  if (completion.text !== '' || !parts.thinking) content.push({ type: 'text', text: completion.text });
  return {
    id: parts.id,
    type: 'message',
    role: 'assistant',
    model: parts.model,
    content,
    stop_reason: stopReason(completion),
    stop_sequence: completion.stopSequence,
    usage: usageOf(parts, completion.outputTokens),
  };
}

function event(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

/** The SSE body of a streamed message, in the order the API sends events. */
export function messageStream(parts: MessageParts): string {
  const { completion } = parts;
  const startUsage = { ...usageOf(parts, 1), output_tokens_details: parts.thinking ? { thinking_tokens: 0 } : null };
  const start = { ...messageObject(parts), content: [], stop_reason: null, stop_sequence: null, usage: startUsage };
  let body = event('message_start', { message: start });
  let index = 0;
  if (parts.thinking) {
    body += event('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } });
    body += event('ping', {});
    for (const piece of splitForStream(completion.reasoning)) {
      body += event('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: piece } });
    }
    const signature = signatureOf(completion.reasoning);
    body += event('content_block_delta', { index, delta: { type: 'signature_delta', signature } });
    body += event('content_block_stop', { index });
    index++;
  }
  if (completion.text !== '' || !parts.thinking) {
    body += event('content_block_start', { index, content_block: { type: 'text', text: '' } });
    if (index === 0) body += event('ping', {});
    for (const piece of splitForStream(completion.text)) {
      body += event('content_block_delta', { index, delta: { type: 'text_delta', text: piece } });
    }
    body += event('content_block_stop', { index });
  }
  const { service_tier: _tier, cache_creation: _creation, ...deltaUsage } = usageOf(parts, completion.outputTokens);
  body += event('message_delta', {
    delta: { stop_reason: stopReason(completion), stop_sequence: completion.stopSequence },
    usage: deltaUsage,
  });
  return body + event('message_stop', {});
}
