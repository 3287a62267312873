import type { IncomingHttpHeaders } from 'node:http';
import type { Fault } from './faults.ts';
import type { CacheOptions } from './prefixCache.ts';
import type { RateLimitOptions } from './rateLimit.ts';

export type ProviderName = 'openai' | 'anthropic' | 'ollama';

/** One conversation turn flattened to text, the same shape for every provider. */
export interface ChatTurn {
  readonly role: string;
  readonly text: string;
}

/** What a responder sees: the request normalised, plus the raw body for provider-specific fields. */
export interface RespondRequest {
  readonly provider: ProviderName;
  readonly index: number;
  readonly model: string;
  readonly turns: readonly ChatTurn[];
  readonly body: Readonly<Record<string, unknown>>;
}

export interface RespondResult {
  readonly text: string;
  /** Hidden reasoning tokens billed as output (OpenAI reasoning_tokens, Anthropic thinking). */
  readonly reasoningTokens?: number;
  /** Visible reasoning text (Anthropic thinking block, Ollama message.thinking). */
  readonly reasoning?: string;
}

export type Responder = (request: RespondRequest) => RespondResult | Promise<RespondResult>;

export interface FakeServerOptions {
  /** When set, requests must carry this key (Bearer or x-api-key); otherwise any key is accepted. */
  apiKey?: string;
  /** When set, other model names get the provider's "model not found" 404. */
  models?: readonly string[];
  respond?: Responder;
  latencyMs?: number | ((index: number, body: unknown) => number);
  faultFor?: (index: number, body: unknown) => Fault | undefined;
  cache?: CacheOptions | false;
  rateLimit?: RateLimitOptions | false;
  /** true keeps every request, false none, a number keeps the most recent N. Default true. */
  record?: boolean | number;
}

export interface RecordedRequest {
  readonly index: number;
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON, the raw text when it was not JSON, or undefined when empty. */
  readonly body: unknown;
}

export interface FakeStats {
  requests: number;
  byStatus: Record<number, number>;
  /** 429 replies sent, from the rate limiter or injected faults. */
  rateLimited: number;
  faults: Record<Fault['kind'], number>;
  cacheReads: number;
  cacheWrites: number;
  cachedTokens: number;
  cacheCreationTokens: number;
  inFlight: number;
  maxInFlight: number;
}

export interface FakeServer<O extends FakeServerOptions = FakeServerOptions> {
  /** Origin, e.g. http://127.0.0.1:54321 (no trailing slash, no /v1). */
  readonly url: string;
  /** A snapshot copy. */
  readonly stats: FakeStats;
  readonly requests: readonly RecordedRequest[];
  /** Queue `fault` for the next `count` requests (FIFO, before options.faultFor). */
  inject(fault: Fault, count?: number): void;
  /** Change options at runtime; replacing cache or rateLimit starts them empty. */
  configure(patch: Partial<O>): void;
  /** Forget stats, recorded requests, queued faults, cache entries and rate-limit history. */
  reset(): void;
  /** Stop listening and destroy every socket, hung ones included. */
  close(): Promise<void>;
}
