import type { ChatRequest } from './chat.ts';

export interface TokenCounts {
  prompt: number;
  completion: number;
  cached_read: number;
  cache_write: number;
  reasoning: number;
}

export function emptyTokens(): TokenCounts {
  return { prompt: 0, completion: 0, cached_read: 0, cache_write: 0, reasoning: 0 };
}

/** Adds `add` into `into`, field by field. */
export function addTokens(into: TokenCounts, add: TokenCounts): void {
  into.prompt += add.prompt;
  into.completion += add.completion;
  into.cached_read += add.cached_read;
  into.cache_write += add.cache_write;
  into.reasoning += add.reasoning;
}

/** A quick token estimate (≈ 4 characters a token) for limits and budgets before the provider counts. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The prompt-token estimate of a request: every message plus ~8 characters of framing each. */
export function estimatePromptTokens(request: ChatRequest): number {
  let chars = 0;
  for (const m of request.messages) chars += m.content.length + 8;
  return Math.ceil(chars / 4);
}
