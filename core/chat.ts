import type { ErrorKind } from './errorKinds.ts';
import type { Lane, ProviderName } from './lane.ts';
import type { TokenCounts } from './tokens.ts';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** One chat request, provider-neutral; adapters map it and the lane's dials onto their wire format. */
export interface ChatRequest {
  messages: ChatMessage[];
  /**
   * How many leading messages form the shared prefix that replicates and sibling items reuse.
   * Anthropic adapters put cache_control on the last of them; OpenAI caches prefixes automatically.
   */
  cachePrefix?: number;
  /** Ask for a JSON object (response_format json_object / format json where supported). */
  json?: boolean;
  /** Overrides the lane's max_output_tokens for this request. */
  maxOutputTokens?: number;
  /** A per-step seed, passed where the provider accepts one (the lane's seed dial wins). */
  seed?: number;
  /** Stream the response to measure time to first token. */
  stream?: boolean;
}

export interface ChatResponse {
  text: string;
  finishReason: string | null;
  tokens: TokenCounts;
  /** Time to first token when streamed, else null. */
  ttftMs: number | null;
  /** What the response's rate-limit headers said, when it had any. */
  rateLimit?: RateLimitHint;
}

/** One limit a provider reported in its response headers (OpenAI x-ratelimit-*, Anthropic anthropic-ratelimit-*). */
export interface RateLimitWindow {
  /** What it counts: requests, or tokens (all of them, or only input or output tokens). */
  unit: 'requests' | 'tokens';
  limit: number | null;
  remaining: number | null;
  /** Milliseconds until the limit is fully replenished. */
  resetMs: number | null;
}

/** What a response (or a 429) said about the rate limits of its (endpoint, model, key), provider-neutral. */
export interface RateLimitHint {
  /** From Retry-After / retry-after-ms. */
  retryAfterMs: number | null;
  limits: RateLimitWindow[];
}

/** A failed request, classified so the scheduler knows whether and when to retry. */
export class ProviderError extends Error {
  readonly kind: ErrorKind;
  readonly httpStatus: number | null;
  /** From Retry-After / retry-after-ms, when the provider said when to come back. */
  readonly retryAfterMs: number | null;
  /** The response's rate-limit headers, when it had any. */
  readonly rateLimit: RateLimitHint | null;

  constructor(kind: ErrorKind, message: string, options: { httpStatus?: number | null; retryAfterMs?: number | null; rateLimit?: RateLimitHint | null; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProviderError';
    this.kind = kind;
    this.httpStatus = options.httpStatus ?? null;
    this.retryAfterMs = options.retryAfterMs ?? options.rateLimit?.retryAfterMs ?? null;
    this.rateLimit = options.rateLimit ?? null;
  }

  /** Rate limits, timeouts, 5xx and network failures are worth another attempt; bad requests, auth, quota and parse errors are not. */
  get retryable(): boolean {
    return this.kind === 'rate_limit' || this.kind === 'timeout' || this.kind === 'server' || this.kind === 'network';
  }
}

export interface SendOptions {
  signal: AbortSignal;
  timeoutMs: number;
}

/** One provider behind one interface. Adapters reuse one SDK client (keep-alive) per base URL and key. */
export interface ProviderAdapter {
  readonly name: ProviderName;
  /** The exact request body that would be sent for this lane (never with secrets), for --dry-run. */
  buildRequest(lane: Lane, request: ChatRequest): { url: string; body: Record<string, unknown> };
  /**
   * Throws a ProviderError when this lane cannot send at all — a required key variable unset (`auth`), a base URL
   * that is not http(s) (`invalid_request`) — naming the lane, the variable or field, and the fix. Sends nothing.
   */
  check(lane: Lane): void;
  /** Where this lane's requests go (its base URL or host), for messages. */
  baseURL(lane: Lane): string;
  /** Sends one request with SDK retries off (the scheduler retries); throws ProviderError on failure. */
  send(lane: Lane, request: ChatRequest, options: SendOptions): Promise<ChatResponse>;
  close(): Promise<void>;
}
