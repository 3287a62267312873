import type { ChatMessage, ChatRequest } from './chat.ts';

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

// One estimate for limits, budgets, session contexts and the sim: ≈ 4 characters a token, and each message
// counts ~8 characters of framing (role and separators). Sizes are added up in characters and rounded once,
// so a conversation's parts add up to exactly the estimate of the whole.
const CHARS_PER_TOKEN = 4;
const MESSAGE_FRAMING_CHARS = 8;

/** Tokens of an estimated character count, rounded up. */
export function tokensFromChars(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

/** A quick token estimate of a text for limits and budgets before the provider counts. */
export function estimateTokens(text: string): number {
  return tokensFromChars(text.length);
}

/** The characters messages count for in the estimate: their text plus framing each. */
export function countMessageChars(messages: readonly ChatMessage[]): number {
  let chars = 0;
  for (const m of messages) chars += m.content.length + MESSAGE_FRAMING_CHARS;
  return chars;
}

/** The token estimate of messages sent together. */
export function estimateMessageTokens(messages: readonly ChatMessage[]): number {
  return tokensFromChars(countMessageChars(messages));
}

/** The prompt-token estimate of a request. */
export function estimatePromptTokens(request: ChatRequest): number {
  return estimateMessageTokens(request.messages);
}
