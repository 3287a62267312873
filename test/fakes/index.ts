/**
 * Fake OpenAI, Anthropic and Ollama servers for driving the real SDKs in tests: each binds
 * 127.0.0.1:0 and supports injected faults, latency, prefix caching and rate limits.
 * Tokens are estimated as ceil(chars / 4) per piece of text (see tokens.ts).
 */
export { startFakeOpenAI } from './openai.ts';
export type { FakeOpenAI, FakeOpenAIOptions } from './openai.ts';
export { startFakeAnthropic } from './anthropic.ts';
export type { FakeAnthropic, FakeAnthropicOptions } from './anthropic.ts';
export { startFakeOllama } from './ollama.ts';
export type { FakeOllama, FakeOllamaOptions, OllamaCall } from './ollama.ts';
export { defaultRespond } from './respond.ts';
export { estimateTokens } from './tokens.ts';
export type { Fault, StatusFault } from './faults.ts';
export type { CacheOptions } from './prefixCache.ts';
export type { RateLimitOptions } from './rateLimit.ts';
export type {
  ChatTurn,
  FakeServer,
  FakeServerOptions,
  FakeStats,
  ProviderName,
  RecordedRequest,
  RespondRequest,
  RespondResult,
  Responder,
} from './types.ts';
