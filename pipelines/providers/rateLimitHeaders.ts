import type { ChatResponse, RateLimitHint, RateLimitWindow } from '../../core/chat.ts';

/**
 * How long the provider asked us to wait: `retry-after-ms` (OpenAI), else `retry-after` in seconds or as
 * an HTTP date (RFC 9110 §10.2.3). Null when there is no such header or it cannot be read.
 */
export function retryAfterMs(headers: Headers | null | undefined, now: number = Date.now()): number | null {
  if (headers === null || headers === undefined) return null;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Math.ceil(Number(ms));
  const after = headers.get('retry-after');
  if (after === null || after.trim() === '') return null;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.ceil(seconds * 1000) : null;
  const date = Date.parse(after);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

const DURATION_UNITS_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, 'µs': 0.001, ns: 0.000001 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:h|ms|m|s|us|µs|ns))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g;
/** A bare number this large is a Unix time in seconds, not a duration. */
const EPOCH_SECONDS = 1e9;

/**
 * Milliseconds until a limit resets, from any form a reset header takes: a Go duration as OpenAI writes it
 * (`6m0s`, `1.5s`, `20ms`), an RFC 3339 time as Anthropic does (`2026-01-01T00:00:07Z`), or, as some compatible
 * servers do, bare seconds or a Unix time in seconds. Null when it cannot be read.
 */
export function resetMs(value: string | null, now: number = Date.now()): number | null {
  const text = value?.trim() ?? '';
  if (text === '') return null;
  if (DURATION.test(text)) {
    let ms = 0;
    for (const [, amount, unit] of text.matchAll(DURATION_PART)) ms += Number(amount) * DURATION_UNITS_MS[unit];
    return Math.ceil(ms);
  }
  const number = Number(text);
  if (Number.isFinite(number)) return number < 0 ? null : number >= EPOCH_SECONDS ? Math.max(0, number * 1000 - now) : Math.ceil(number * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function count(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  const n = Number(value);
  // Azure sends -1 for a limit it does not report
  return Number.isFinite(n) && n >= 0 ? n : null;
}

// https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers: x-ratelimit-{limit,remaining,reset}-{requests,tokens},
// the reset a Go duration until the limit is fully replenished.
const OPENAI_LIMITS: readonly [string, RateLimitWindow['unit']][] = [['requests', 'requests'], ['tokens', 'tokens']];
// https://docs.anthropic.com/en/api/rate-limits#response-headers: anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset},
// the reset an RFC 3339 time when the limit is fully replenished.
const ANTHROPIC_LIMITS: readonly [string, RateLimitWindow['unit']][] = [['requests', 'requests'], ['tokens', 'tokens'], ['input-tokens', 'tokens'], ['output-tokens', 'tokens']];

/** The one reader of rate-limit headers, both families and Retry-After; null when a response has none of them. */
export function readRateLimitHint(headers: Headers | null | undefined, now: number = Date.now()): RateLimitHint | null {
  if (headers === null || headers === undefined) return null;
  const limits: RateLimitWindow[] = [];
  const read = (unit: RateLimitWindow['unit'], limit: string, remaining: string, reset: string): void => {
    const window: RateLimitWindow = { unit, limit: count(headers.get(limit)), remaining: count(headers.get(remaining)), resetMs: resetMs(headers.get(reset), now) };
    if (window.limit !== null || window.remaining !== null || window.resetMs !== null) limits.push(window);
  };
  for (const [name, unit] of OPENAI_LIMITS) read(unit, `x-ratelimit-limit-${name}`, `x-ratelimit-remaining-${name}`, `x-ratelimit-reset-${name}`);
  for (const [name, unit] of ANTHROPIC_LIMITS) read(unit, `anthropic-ratelimit-${name}-limit`, `anthropic-ratelimit-${name}-remaining`, `anthropic-ratelimit-${name}-reset`);
  const retryAfter = retryAfterMs(headers, now);
  return retryAfter === null && limits.length === 0 ? null : { retryAfterMs: retryAfter, limits };
}

/** The response with the hint its headers carry, if any. */
export function withRateLimitHint(response: ChatResponse, headers: Headers | null | undefined): ChatResponse {
  const hint = readRateLimitHint(headers);
  return hint === null ? response : { ...response, rateLimit: hint };
}
